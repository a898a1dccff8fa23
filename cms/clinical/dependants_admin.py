"""Admin side of removing something clinical pages cite.

The confirmations name the citing pages before anything goes: the template
tag ``citing_pages_notice`` under Wagtail's usage summary (an override of
``wagtailadmin/shared/usage_summary.html``), so Wagtail's own confirm views
stay in charge. These hooks add the rest: the history entry's wording, and
a message after the deletion or unpublish naming the pages now flagged.
What happens to the pages is ``dependants.py``'s job, for every door.
"""

from wagtail import hooks
from wagtail.admin import messages
from wagtail.log_actions import LogFormatter

from cms.clinical.dependants import (
    CITATION_REMOVED,
    can_be_cited,
    live_clinical_pages_citing,
)

# Where the citing pages wait between a "before" and an "after" hook.
REQUEST_ATTRIBUTE = "_clinical_citing_pages"


@hooks.register("register_log_actions")
def register_citation_removed(actions):
    @actions.register_action(CITATION_REMOVED)
    class CitationRemovedFormatter(LogFormatter):
        label = "Citation removed"

        def format_message(self, log_entry):
            return log_entry.data.get("message") or (
                "A study, clinician, condition or disclaimer this page cites "
                "was removed."
            )


def _remember(request, objects):
    """Before a confirmed removal: which live clinical pages cite what."""
    if request.method != "POST":
        return  # the confirmation itself lists them (citing_pages_notice)
    setattr(
        request,
        REQUEST_ATTRIBUTE,
        [
            (str(obj), pages)
            for obj in objects
            if can_be_cited(obj)
            for pages in [live_clinical_pages_citing(obj)]
            if pages
        ],
    )


def _tell(request):
    """After it: say which pages lost a citation and are flagged."""
    for title, pages in getattr(request, REQUEST_ATTRIBUTE, ()):
        names = ", ".join(f"“{page.title}”" for page in pages)
        messages.warning(
            request,
            f"{len(pages)} live clinical page(s) lost their citation of "
            f"“{title}” and are flagged “Changed since review” for a clinician "
            f"to check: {names}.",
        )


@hooks.register("before_delete_page")
def remember_before_page_delete(request, page):
    _remember(request, [page])


@hooks.register("after_delete_page")
def tell_after_page_delete(request, page):
    _tell(request)


@hooks.register("before_unpublish_page")
def remember_before_unpublish(request, page):
    _remember(request, [page])


@hooks.register("after_unpublish_page")
def tell_after_unpublish(request, page):
    _tell(request)


@hooks.register("before_delete_snippet")
def remember_before_snippet_delete(request, instances):
    _remember(request, instances)


@hooks.register("after_delete_snippet")
def tell_after_snippet_delete(request, instances):
    _tell(request)


@hooks.register("before_bulk_action")
def remember_before_bulk_removal(request, action_type, objects, action_class):
    if action_type in ("delete", "unpublish"):
        _remember(request, objects)


@hooks.register("after_bulk_action")
def tell_after_bulk_removal(request, action_type, objects, action_class):
    if action_type in ("delete", "unpublish"):
        _tell(request)
