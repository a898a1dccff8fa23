"""``manage.py review_reminders``: e-mail medical reviewers what needs review.

Run it daily or weekly from the scheduler (cron, a systemd timer). It sends one
summary to every active member of the Medical reviewers group who has an
e-mail address, and nothing when no clinical page needs attention.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone

from cms.clinical import reports, workflows
from cms.core.review import ReviewStatus

SECTION_TITLES = {
    ReviewStatus.OVERDUE: "Overdue",
    ReviewStatus.DUE_SOON: "Due in the next 30 days",
    ReviewStatus.NOT_REVIEWED: "Live but never medically reviewed",
}


class Command(BaseCommand):
    help = (
        "E-mail the Medical reviewers group a summary of clinical pages whose "
        "review is overdue, due within 30 days, or missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Pretend today is this date (YYYY-MM-DD), e.g. to preview.",
        )

    def handle(self, *args, today=None, **options):
        today = today or timezone.localdate()
        recipients = list(
            get_user_model()
            .objects.filter(groups__name=workflows.MEDICAL_REVIEWERS, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
            .distinct()
        )
        if not recipients:
            self.stdout.write(
                self.style.WARNING(
                    "No active member of the Medical reviewers group has an e-mail "
                    "address; nothing sent. Add reviewers under Settings › Users."
                )
            )
            return
        # The summary covers every clinical page, whoever can edit it.
        rows = reports.review_rows(None, today)
        if not rows:
            self.stdout.write("Every clinical page has a current review; nothing sent.")
            return
        subject = f"Clinical review: {len(rows)} page(s) need a clinician"
        send_mail(
            subject,
            self.summary(rows),
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Sent “{subject}” to {len(recipients)} medical reviewer(s)."
            )
        )

    def summary(self, rows) -> str:
        admin = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        lines = ["These clinical pages need a medical review:", ""]
        for status, title in SECTION_TITLES.items():
            group = [row for row in rows if row.status == status]
            if not group:
                continue
            lines.append(f"{title} ({len(group)}):")
            for row in sorted(
                group, key=lambda r: (r.next_review_due is None, r.title)
            ):
                due = (
                    f", due {row.next_review_due:%d %b %Y}"
                    if row.next_review_due
                    else ""
                )
                edit = admin + reverse("wagtailadmin_pages:edit", args=[row.pk])
                lines.append(f"  - {row.title} ({row.page_type}{due}): {edit}")
            lines.append("")
        report = admin + reverse("clinical_review_due")
        lines.append(f"The full list, sortable and as CSV: {report}")
        return "\n".join(lines)
