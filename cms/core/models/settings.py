"""Clinic-wide details shown in the footer, structured data, bookings and /site/."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from cms.core.blocks.site import WEEKDAY_ORDER, FooterLinksBlock, OpeningHoursBlock
from cms.core.colour import validate_brand_colour

REVIEW_MONTHS_VALIDATORS = [MinValueValidator(1), MaxValueValidator(36)]


@register_setting(icon="site")
class ClinicSettings(BaseSiteSetting):
    """The clinic's name, contact details, booking link and crisis line."""

    clinic_name = models.CharField(
        max_length=255,
        help_text="The clinic's public name, as patients know it.",
    )
    street_address = models.CharField(
        max_length=255,
        blank=True,
        help_text="Street and number where patients come, e.g. '123 Main Street'.",
    )
    locality = models.CharField(
        "city", max_length=100, blank=True, help_text="e.g. 'Salt Lake City'."
    )
    region = models.CharField(
        "state", max_length=100, blank=True, help_text="Two letters, e.g. 'UT'."
    )
    postal_code = models.CharField(
        "ZIP code", max_length=20, blank=True, help_text="e.g. '84101'."
    )
    phone = models.CharField(
        "phone number",
        max_length=50,
        blank=True,
        help_text="The number patients call, e.g. '(801) 555-0100'.",
    )
    email = models.EmailField(
        "e-mail address",
        blank=True,
        help_text="A general contact address. Never ask patients to e-mail records.",
    )
    opening_hours = models.TextField(
        "opening hours as shown",
        blank=True,
        help_text="How the hours read on the website, one line per day or range, "
        "e.g. 'Mon–Fri 8am–5pm'.",
    )
    opening_hours_structured = StreamField(
        OpeningHoursBlock(),
        verbose_name="opening hours for search engines and apps",
        blank=True,
        help_text="The same hours as above, as days and times, so that search "
        "engines and maps can show when the clinic is open. Add one row per "
        "group of days with the same hours; leave out closed days.",
    )
    booking_url = models.URLField(
        "booking link",
        blank=True,
        help_text="Where 'Book a consultation' buttons go. Leave empty to hide them.",
    )
    crisis_line = models.CharField(
        "crisis line number",
        max_length=50,
        default="988",
        help_text="Shown on every page for people in crisis. 988 is the US Suicide "
        "& Crisis Lifeline.",
    )
    crisis_line_text = models.CharField(
        "crisis line message",
        max_length=255,
        default="In crisis? Call or text 988.",
        help_text="A few words shown on every page beside the crisis line's Call "
        'and Text buttons, e.g. "In crisis? Call or text 988." Keep it short: '
        "on a phone it should fit on one line.",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The clinic's logo, for the website header. A wide picture "
        "with a transparent or white background works best.",
    )
    brand_colour = models.CharField(
        "brand colour",
        max_length=7,
        blank=True,
        validators=[validate_brand_colour],
        help_text="The clinic's main colour for buttons and links, as # and six "
        "characters, e.g. #1f5f8b. It must be dark enough for white text on it "
        "and for links on white pages to be easy to read; a colour that is too "
        "light is refused with the measured contrast.",
    )
    default_social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="default sharing image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when a page without its own sharing image is shared on "
        "social media. Best at 1200×630.",
    )
    footer_links = StreamField(
        FooterLinksBlock(),
        blank=True,
        help_text="Links at the bottom of every page, in this order, e.g. "
        "'Privacy' or 'Patient portal'. A link to an unpublished page is "
        "hidden until the page is published again.",
    )
    service_review_months = models.PositiveSmallIntegerField(
        "service pages: review every (months)",
        default=12,
        validators=REVIEW_MONTHS_VALIDATORS,
        help_text="How often a clinician re-checks service pages. At most 36.",
    )
    article_review_months = models.PositiveSmallIntegerField(
        "articles: review every (months)",
        default=12,
        validators=REVIEW_MONTHS_VALIDATORS,
        help_text="How often a clinician re-checks articles. At most 36.",
    )
    study_review_months = models.PositiveSmallIntegerField(
        "study summaries: review every (months)",
        default=24,
        validators=REVIEW_MONTHS_VALIDATORS,
        help_text="How often a clinician re-checks study summaries. At most 36.",
    )

    panels = [
        FieldPanel("clinic_name"),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldPanel("locality"),
                FieldPanel("region"),
                FieldPanel("postal_code"),
            ],
            heading="Address",
        ),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email")],
            heading="Contact",
        ),
        MultiFieldPanel(
            [FieldPanel("opening_hours"), FieldPanel("opening_hours_structured")],
            heading="Opening hours",
        ),
        FieldPanel("booking_url"),
        MultiFieldPanel(
            [FieldPanel("crisis_line"), FieldPanel("crisis_line_text")],
            heading="Crisis line",
        ),
        MultiFieldPanel(
            [
                FieldPanel("logo"),
                FieldPanel("brand_colour"),
                FieldPanel("default_social_image"),
            ],
            heading="Look and sharing",
        ),
        FieldPanel("footer_links"),
        MultiFieldPanel(
            [
                FieldPanel("service_review_months"),
                FieldPanel("article_review_months"),
                FieldPanel("study_review_months"),
            ],
            heading="Medical review cadence",
        ),
    ]

    def __str__(self):
        return self.clinic_name or "Clinic settings"

    @property
    def address_lines(self) -> list[str]:
        city_line = " ".join(
            part
            for part in (
                ", ".join(p for p in (self.locality, self.region) if p),
                self.postal_code,
            )
            if part
        )
        return [line for line in (self.street_address, city_line) if line]

    @property
    def opening_hours_lines(self) -> list[str]:
        return [
            line.strip() for line in self.opening_hours.splitlines() if line.strip()
        ]

    @property
    def opening_periods(self) -> list[dict]:
        """Structured hours as plain values: days in week order, times as HH:MM."""
        periods = []
        for block in self.opening_hours_structured:
            value = block.value
            days = sorted(value["days"], key=WEEKDAY_ORDER.index)
            if not days or value["opens"] is None or value["closes"] is None:
                continue
            periods.append(
                {
                    "days": days,
                    "opens": value["opens"].strftime("%H:%M"),
                    "closes": value["closes"].strftime("%H:%M"),
                }
            )
        return periods
