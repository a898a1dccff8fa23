"""What a page still lacks, item by item, and who can fill each item in.

The "Still missing" panel and the reviewer's approve dialog read a page's
``missing_information()``. Each item names the form field it is about,
so the panel can lead the editor to that field (on whichever tab it is), and
the permission needed to fill it, so nobody is asked for something only
someone else may enter (an editor cannot record a medical review).
"""

from dataclasses import dataclass

#: Who may set the medical-review record (reviewer, dates).
REVIEW_PERMISSION = "core.record_review"


@dataclass(frozen=True)
class MissingItem:
    """One gap: the words shown, the field it is about, who can fill it."""

    text: str
    #: The form field (or inline panel's relation) that fills the gap.
    field: str
    #: Only users with this permission can fill it; ``None``: anyone editing.
    permission: str | None = None

    def __str__(self) -> str:
        return self.text

    def can_be_filled_by(self, user) -> bool:
        return self.permission is None or bool(
            user is not None and user.has_perm(self.permission)
        )


def for_user(items: list[MissingItem], user) -> list[MissingItem]:
    """The items ``user`` can fill in themselves, in the page's order."""
    return [item for item in items if item.can_be_filled_by(user)]
