"""Admin rules of the home app: who may read consultation requests, and where.

Wagtail's "Forms" listing lets in only people with a page permission (add,
change, publish, lock...) somewhere in the tree, then lists the forms whose
submissions they may read. Intake reads requests but must not touch pages, so
the listing sent them back to the dashboard. Granting Intake a page permission
to get past that check would also give them the page explorer and a real
action on the page; instead the listing here asks the same question the
submission views ask: may this person read at least one form's submissions?
"""

from django.core.exceptions import PermissionDenied
from django.urls import path
from wagtail import hooks
from wagtail.contrib.forms.utils import get_form_types, get_forms_for_user
from wagtail.contrib.forms.views import FormPagesListView
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


class ReadableFormsListView(FormPagesListView):
    """The Forms listing for anyone who may read some form's submissions."""

    any_permission_required = None

    def dispatch(self, request, *args, **kwargs):
        if not get_forms_for_user(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# Before Wagtail's own forms URLs (order -1), at the same addresses, so the
# menu item, breadcrumbs and the listing's own filtering all reach this view.
@hooks.register("register_admin_urls", order=-1)
def register_readable_forms_listing():
    return [
        path("forms/", ReadableFormsListView.as_view(), name="readable_forms"),
        path(
            "forms/results/",
            ReadableFormsListView.as_view(results_only=True),
            name="readable_forms_results",
        ),
    ]
