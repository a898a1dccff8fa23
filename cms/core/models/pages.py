"""The abstract pages every clinic page type builds on."""

from django.core.exceptions import ValidationError
from wagtail.api import APIField
from wagtail.models import Page, Site

from cms.core import routing
from cms.core.forms import ClinicalPageForm
from cms.core.missing import MissingItem
from cms.core.models.mixins import (
    HeadlessPreviewMixin,
    ListingMixin,
    MedicalReviewMixin,
    SeoMixin,
)
from cms.core.models.settings import ClinicSettings
from cms.core.navigation import page_site
from cms.core.panels import MissingInformationPanel
from cms.core.serializers.jsonld import JsonLdField
from cms.core.text import short_description


class BasePage(HeadlessPreviewMixin, SeoMixin, ListingMixin, MedicalReviewMixin, Page):
    """Every public page: sharing and listing details plus a medical-review record.

    Clinical pages (``ClinicalPage``) show the review panel in the editor and
    the "Medically reviewed by" line to visitors; other pages keep the fields
    but do not ask for them.
    """

    is_clinical = False
    #: The page visitors book a consultation on ('Book' links lead to it).
    is_booking_page = False
    base_form_class = ClinicalPageForm

    # The listing summary is the page's own words (a clinical field on
    # clinical pages), so it sits with the content, not on the Promote tab.
    content_panels = [*Page.content_panels, *ListingMixin.listing_panels]
    promote_panels = [*Page.promote_panels, *SeoMixin.seo_panels]
    api_fields = [
        # When the live version was last published: a sitemap's "last
        # modified" and a cache key. v3's ``meta`` has only the first publish.
        APIField("last_published_at"),
        *ListingMixin.listing_api_fields,
        *SeoMixin.seo_api_fields,
        *MedicalReviewMixin.review_api_fields,
        # The same schema.org graph the HTML page embeds.
        APIField("jsonld", serializer=JsonLdField()),
    ]

    #: What a page of this type is, in a sentence true of every page of the type;
    #: the description of last resort (a section page before editors write its
    #: introduction).
    default_description = ""
    #: What the page's own template shows beside its fields, read with the
    #: page when it is routed to (``cms/core/routing.py``): one query in all
    #: for the ``page_select`` relations, one per ``page_prefetch`` lookup,
    #: however often the template and the JSON-LD ask. ``page_prefetch`` may
    #: be a static method giving them (for ``Prefetch`` objects).
    page_select: tuple[str, ...] = ("reviewed_by", "social_image")
    page_prefetch: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @property
    def meta_description(self) -> str:
        """The description search engines and previews get, never empty if avoidable.

        An editor's search description or summary wins; otherwise the start of
        the page's own text is used, and for a section page with no text yet
        its type's ``default_description``, so no page goes out without one.
        """
        return (
            self.search_description
            or self.summary
            or short_description(self.description_source())
            or self.default_description
        )

    def description_source(self) -> str:
        """Text to describe the page when editors wrote no summary; per page type."""
        return ""

    def clinic_settings(self, request=None) -> ClinicSettings | None:
        """The clinic settings of this page's site (``None`` outside any site).

        With the request, the settings it already read (the site frame,
        ``cms/core/chrome.py``) when the page is on the request's site.
        """
        site = page_site(self, request)
        if site is None:
            return None
        if request is not None and site == Site.find_for_request(request):
            return ClinicSettings.for_request(request)
        return ClinicSettings.for_site(site)

    def route(self, request, path_components):
        """Every page along the address in one query (``cms/core/routing.py``)."""
        return routing.route(self, request, path_components)

    setattr(route, routing.ROUTES_BY_URL_PATH, True)

    def get_view_restrictions(self):
        """The restrictions routing already found, else Wagtail's own lookup."""
        routed = getattr(self, "routed_view_restrictions", None)
        if routed is not None:
            return routed
        return super().get_view_restrictions()

    def clean(self):
        super().clean()
        errors = self.clean_medical_review()
        if errors:
            raise ValidationError(errors)

    def jsonld_entities(self, webpage: dict, request=None) -> list[dict]:
        """Extra JSON-LD nodes for this page type; may link them from ``webpage``."""
        return []

    def missing_information(self) -> list[MissingItem]:
        """What the page still lacks; page types add their own items.

        Each item names its field and who can fill it (``cms/core/missing.py``);
        the "Still missing" panel shows each person only their own items.
        """
        missing = []
        if not self.summary:
            missing.append(
                MissingItem(
                    "Summary: two or three sentences for listings and search.",
                    "summary",
                )
            )
        if self.is_clinical:
            missing.extend(self.missing_review_information())
        return missing


class ClinicalPage(BasePage):
    """A page with clinical content: it needs a clinician's review to go live.

    Its editor starts with the "Still missing" panel and ends with the review
    record; the clinical rules (``cms/clinical``) read the attributes below
    instead of knowing page types by name.
    """

    is_clinical = True
    #: Which ClinicSettings field holds this page type's review cadence.
    review_months_setting: str | None = None
    #: Inline rows whose words visitors read, checked by the wording checks:
    #: relation name → the text fields of each row.
    wording_check_children: dict[str, tuple[str, ...]] = {}
    #: A page that is itself a source (a study summary) needs no citation.
    is_evidence_source = False
    #: Fields whose change needs a new clinical review before it goes live.
    #: Search and sharing fields (SEO title, description, image, slug, menu)
    #: are not among them: changing those alone publishes directly.
    clinical_fields: tuple[str, ...] = ("title", "body")
    #: The fields that are not: they change how the page is found or shared,
    #: or are written by the approval itself. Every other field of a clinical
    #: page type must be listed in ``clinical_fields`` (a test checks it).
    non_clinical_fields: tuple[str, ...] = (
        "slug",
        "seo_title",
        "search_description",
        "show_in_menus",
        "social_image",
        "social_text",
        "canonical_url",
        "listing_image",
        "go_live_at",
        "expire_at",
        "reviewed_by",
        "last_reviewed",
        "next_review_due",
    )
    #: Rich-text sections that must not be empty when the page goes live.
    required_sections: tuple[str, ...] = ()
    #: Fields the content API writes (v3 create and patch) besides title, slug
    #: and the search fields; page types add their own (``cms/api/writes.py``).
    #: The review record is written only by those allowed to record reviews.
    api_write_fields: tuple[str, ...] = (
        "summary",
        "listing_image",
        "social_image",
        "social_text",
        "canonical_url",
        "reviewed_by",
        "last_reviewed",
        "next_review_due",
    )

    content_panels = [MissingInformationPanel(), *BasePage.content_panels]
    review_panels = MedicalReviewMixin.review_panels

    class Meta:
        abstract = True

    def uses_ketamine(self) -> bool:
        """Whether the page is about a ketamine treatment (needs the disclaimer)."""
        return False
