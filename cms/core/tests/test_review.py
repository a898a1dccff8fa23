import datetime

import pytest

from cms.core.review import ReviewStatus, add_months, review_status

TODAY = datetime.date(2026, 11, 23)


@pytest.mark.parametrize(
    "reviewer, last, next_due, expected",
    [
        (None, None, None, ReviewStatus.NOT_REVIEWED),
        (1, None, None, ReviewStatus.NOT_REVIEWED),
        (
            None,
            datetime.date(2026, 1, 1),
            datetime.date(2027, 1, 1),
            ReviewStatus.NOT_REVIEWED,
        ),
        (1, datetime.date(2026, 1, 1), datetime.date(2027, 1, 1), ReviewStatus.CURRENT),
        (
            1,
            datetime.date(2026, 1, 1),
            datetime.date(2026, 12, 23),
            ReviewStatus.DUE_SOON,
        ),
        (
            1,
            datetime.date(2025, 1, 1),
            datetime.date(2026, 11, 22),
            ReviewStatus.OVERDUE,
        ),
        (1, datetime.date(2025, 1, 1), None, ReviewStatus.OVERDUE),
    ],
)
def test_review_status(reviewer, last, next_due, expected):
    assert review_status(reviewer, last, next_due, today=TODAY) is expected


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 11, 23), 12) == datetime.date(2027, 11, 23)
    assert add_months(datetime.date(2026, 11, 23), 24) == datetime.date(2028, 11, 23)
