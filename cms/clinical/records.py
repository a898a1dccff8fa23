"""What clinical governance remembers: each approval, and pages that need a look.

Kept apart from ``models.py`` (which holds the workflow task) so the publish
rules can read approvals without importing the task, which calls the rules.
``models.py`` imports these classes, so Django registers them as this app's.
"""

from django.conf import settings
from django.db import models


class ClinicalApproval(models.Model):
    """A clinician's approval of one version of a clinical page.

    The publish rules trust this record, not the page's own "reviewed by" fields
    (which anyone who can write the page could set). ``clinical_content`` is
    the approved version's clinical fields, as ``rules.clinical_snapshot`` puts
    them, so a later change to any of them is seen whoever publishes it.
    Approvals recorded before this table existed have no snapshot and cover
    the revision that was live then.
    """

    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="clinical_approvals",
        help_text="The clinical page that was approved.",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The version the clinician approved.",
    )
    clinician = models.ForeignKey(
        "core.Clinician",
        null=True,
        on_delete=models.SET_NULL,
        related_name="approvals",
        help_text="The clinician whose review this is.",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The admin account that approved.",
    )
    approved_at = models.DateTimeField(auto_now_add=True)
    clinical_content = models.JSONField(
        null=True,
        editable=False,
        help_text="The approved version's clinical fields, for comparison.",
    )
    fda_wording_acknowledged = models.BooleanField(
        "“FDA-approved” wording checked",
        default=False,
        help_text="The reviewer confirmed that FDA wording on the page is accurate.",
    )

    class Meta:
        ordering = ["-approved_at", "-pk"]
        get_latest_by = "approved_at"

    def __str__(self):
        return f"Approval of page {self.page_id} ({self.approved_at:%Y-%m-%d})"


class ClinicalFlag(models.Model):
    """Something happened to a clinical page that a reviewer should look at.

    A scheduled go-live the rules refused, or a study, disclaimer, clinician or
    condition the page cited was removed. Open flags show on the dashboard and
    in the review report; the next approval of the page resolves them.
    """

    class Kind(models.TextChoices):
        GO_LIVE_REFUSED = "go_live_refused", "Scheduled go-live refused"
        CITATION_REMOVED = "citation_removed", "Changed since review"

    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="clinical_flags",
        help_text="The clinical page that needs a look.",
    )
    kind = models.CharField(
        max_length=32, choices=Kind.choices, help_text="What happened."
    )
    message = models.TextField(help_text="What happened, in editors' words.")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(
        null=True, blank=True, help_text="When an approval dealt with it."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: page {self.page_id}"
