"""``manage.py purge_form_submissions``: delete requests once intake has them."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission


class Command(BaseCommand):
    help = (
        "Permanently delete form submissions older than a number of days "
        "(default: FORM_SUBMISSION_RETENTION_DAYS). Copy requests into the clinic's "
        "own records first: deleted submissions cannot be recovered."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="DAYS",
            default=settings.FORM_SUBMISSION_RETENTION_DAYS,
            help="Delete submissions received more than DAYS days ago.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count what would be deleted.",
        )

    def handle(self, *args, older_than, dry_run, **options):
        if older_than < 1:
            raise CommandError(
                "--older-than must be a whole number of days, 1 or more."
            )
        cutoff = timezone.now() - datetime.timedelta(days=older_than)
        old = FormSubmission.objects.filter(submit_time__lt=cutoff)
        count = old.count()
        if dry_run:
            self.stdout.write(
                f"{count} submission(s) older than {older_than} days would be deleted."
            )
            return
        old.delete()
        self.stdout.write(
            self.style.SUCCESS(
                f"Deleted {count} submission(s) older than {older_than} days."
            )
        )
