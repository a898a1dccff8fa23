"""The editor form for clinical pages."""

from wagtail.admin.forms import WagtailAdminPageForm

REVIEW_FIELDS = ("reviewed_by", "last_reviewed", "next_review_due")
REVIEW_PERMISSION = "core.record_review"


class ClinicalPageForm(WagtailAdminPageForm):
    """Shows the medical-review record to everyone, but lets only reviewers change it.

    The record is what visitors trust ("Medically reviewed by …"), so it is set
    by approving the page in the "Clinical review" workflow, not typed in by
    whoever edits the page. A disabled field keeps its saved value whatever is
    posted.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None or user.has_perm(REVIEW_PERMISSION):
            return
        for name in REVIEW_FIELDS:
            if name in self.fields:
                self.fields[name].disabled = True
                self.fields[name].help_text = (
                    "Filled in when a medical reviewer approves this page in the "
                    "Clinical review workflow."
                )
