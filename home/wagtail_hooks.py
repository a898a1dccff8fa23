"""Admin rules of the home app: who may read consultation requests."""

from wagtail import hooks
from wagtail.contrib.forms.utils import get_form_types
from wagtail.models import Page

from home.consultation import INTAKE_GROUP


@hooks.register("filter_form_submissions_for_user")
def only_intake_reads_consultation_requests(user, editable_forms):
    """Requests are health information: only Intake (and superusers) read them.

    Editors who may edit the form page still cannot open its submissions.
    """
    if user.is_superuser:
        return editable_forms
    if user.groups.filter(name=INTAKE_GROUP).exists():
        return Page.objects.filter(content_type__in=get_form_types())
    return editable_forms.none()
