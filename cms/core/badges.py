"""Review status badges: one look, by urgency, wherever the admin shows a status.

The page listing, the Clinical review due report and the dashboard panel all
show a page's medical-review status. A grey tag for every status hid the ones
that need a clinician, so each status gets its own colour (``core/admin/
admin.css``, checked for WCAG AA contrast by a test) and always its words, so
the colour is never the only signal.
"""

from collections.abc import Callable

from wagtail.admin.ui.tables import Column

from cms.core.review import ReviewStatus

#: A flagged page (changed since its review, a refused go-live) outranks dates.
CHANGED = "changed"
#: Badge kinds, most urgent first; each has a ``review-badge--<kind>`` style.
BADGE_KINDS = (
    CHANGED,
    ReviewStatus.OVERDUE.value,
    ReviewStatus.NOT_REVIEWED.value,
    ReviewStatus.DUE_SOON.value,
    ReviewStatus.CURRENT.value,
)


def badge_kind(status) -> str:
    """The badge style for a review status (or ``CHANGED``); unknown: current."""
    value = str(status)
    return value if value in BADGE_KINDS else ReviewStatus.CURRENT.value


class ReviewBadgeColumn(Column):
    """A report column showing its value as a review badge.

    ``kind`` takes the row and returns its badge kind (a ``ReviewStatus`` or
    ``CHANGED``); the cell's words are the column's value.
    """

    cell_template_name = "core/tables/review_badge_cell.html"

    def __init__(self, name, kind: Callable[[object], str], **kwargs):
        super().__init__(name, **kwargs)
        self.kind = kind

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["kind"] = badge_kind(self.kind(instance))
        return context
