"""Blocks of the clinic-wide settings: footer links and structured opening hours.

They live in settings, not on pages, so they have no template: the HTML
footer and the API's ``/site/`` endpoint read their values directly.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import blocks

#: schema.org's day names, in the order a week is shown to visitors.
WEEKDAYS = [
    ("Monday", "Monday"),
    ("Tuesday", "Tuesday"),
    ("Wednesday", "Wednesday"),
    ("Thursday", "Thursday"),
    ("Friday", "Friday"),
    ("Saturday", "Saturday"),
    ("Sunday", "Sunday"),
]
WEEKDAY_ORDER = [day for day, _label in WEEKDAYS]


class PageLinkBlock(blocks.StructBlock):
    """A link to a page of this site; it disappears while that page is unpublished."""

    page = blocks.PageChooserBlock(help_text="The page the link opens.")
    label = blocks.CharBlock(
        required=False,
        max_length=80,
        help_text="The link's words. Leave empty to use the page's title.",
    )

    class Meta:
        icon = "doc-empty"
        label = "Link to a page"


class ExternalLinkBlock(blocks.StructBlock):
    """A link to another website, e.g. a patient portal or a social media page."""

    url = blocks.URLBlock(help_text="The full web address, starting with https://")
    label = blocks.CharBlock(max_length=80, help_text="The link's words.")

    class Meta:
        icon = "link-external"
        label = "Link to another website"


class FooterLinksBlock(blocks.StreamBlock):
    page = PageLinkBlock()
    external = ExternalLinkBlock()


class OpeningPeriodBlock(blocks.StructBlock):
    """Days sharing the same hours, e.g. Monday to Friday, 8:00 to 17:00."""

    days = blocks.MultipleChoiceBlock(
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every day with these hours.",
    )
    opens = blocks.TimeBlock(help_text="When the doors open, e.g. 08:00.")
    closes = blocks.TimeBlock(help_text="When they close, e.g. 17:00.")

    class Meta:
        icon = "time"
        label = "Opening hours"

    def clean(self, value):
        value = super().clean(value)
        opens, closes = value.get("opens"), value.get("closes")
        if (
            isinstance(opens, datetime.time)
            and isinstance(closes, datetime.time)
            and closes <= opens
        ):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "closes": ErrorList(
                        [ValidationError("Closing time must be after opening time.")]
                    )
                }
            )
        return value


class OpeningHoursBlock(blocks.StreamBlock):
    period = OpeningPeriodBlock()
