"""Page capabilities, one per mixin: each owns its fields, panels and API fields.

Panel and API lists are named for the capability (``seo_panels``,
``review_api_fields``) so that the method resolution order can never swap them
for ``Page``'s own lists; ``BasePage`` composes them once.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms.core import preview, request_pages
from cms.core.missing import REVIEW_PERMISSION, MissingItem
from cms.core.panels import ReviewRecordPanel
from cms.core.renditions import card_renditions
from cms.core.review import ReviewStatus, review_status
from cms.core.serializers.fields import MedicalReviewField
from cms.core.serializers.images import (
    LISTING_ASPECT,
    SOCIAL_ASPECT,
    ResponsiveImageField,
)
from cms.core.text import editor_features, plain_text
from cms.core.visibility import public_pages


class SeoMixin(models.Model):
    """How the page looks when shared, and where search engines should index it.

    The title tag and meta description are Wagtail's own ``seo_title`` and
    ``search_description`` (v3 already returns them in ``meta``).
    """

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="sharing image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when the page is shared on social media. Best at 1200×630.",
    )
    social_text = models.CharField(
        "sharing description",
        max_length=255,
        blank=True,
        help_text="One sentence for social media previews. Falls back to the "
        "search description.",
    )
    canonical_url = models.URLField(
        "canonical address",
        blank=True,
        help_text="Only if this text was first published elsewhere: the address of "
        "the original. Leave empty otherwise.",
    )

    seo_panels = [
        MultiFieldPanel(
            [
                FieldPanel("social_image"),
                FieldPanel("social_text"),
                FieldPanel("canonical_url"),
            ],
            heading="Sharing and search",
        )
    ]
    seo_api_fields = [
        APIField("social_text"),
        APIField("canonical_url"),
        APIField("social_image", serializer=ResponsiveImageField(aspect=SOCIAL_ASPECT)),
    ]

    class Meta:
        abstract = True


class ListingMixin(models.Model):
    """How the page appears in listings, cards and search results."""

    summary = models.TextField(
        max_length=400,
        blank=True,
        help_text="Two or three plain sentences for listings and search results. "
        "Also used as the search description if that is empty.",
    )
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="card image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Picture shown on this page's card in listings.",
    )

    listing_panels = [
        MultiFieldPanel(
            [FieldPanel("summary"), FieldPanel("listing_image")],
            heading="Listings",
        )
    ]
    listing_api_fields = [
        APIField("summary"),
        APIField(
            "listing_image", serializer=ResponsiveImageField(aspect=LISTING_ASPECT)
        ),
    ]

    class Meta:
        abstract = True


class MedicalReviewMixin(models.Model):
    """Which clinician last checked the page for clinical accuracy, and when.

    Follows the NHS pattern of "Page last reviewed / Next review due". A minor
    edit is not a review, so these dates only change when a clinician reviews.
    """

    reviewed_by = models.ForeignKey(
        "core.Clinician",
        verbose_name="medically reviewed by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"is_active": True},
        help_text="The clinician who checked this page for clinical accuracy.",
    )
    last_reviewed = models.DateField(
        "last reviewed on",
        null=True,
        blank=True,
        help_text="The date of that clinical review, not of the last edit.",
    )
    next_review_due = models.DateField(
        "next review due",
        null=True,
        blank=True,
        help_text="When a clinician should check the page again.",
    )

    review_panels = [
        MultiFieldPanel(
            [
                ReviewRecordPanel("reviewed_by"),
                ReviewRecordPanel("last_reviewed"),
                ReviewRecordPanel("next_review_due"),
            ],
            heading="Medical review",
        )
    ]
    # v3 renders a foreign key as {id, meta} and snippet endpoints need a token,
    # so the reviewer's public details travel inside the page payload.
    review_api_fields = [
        APIField("last_reviewed"),
        APIField("next_review_due"),
        APIField("medical_review", serializer=MedicalReviewField()),
    ]

    class Meta:
        abstract = True

    @property
    def review_status(self) -> ReviewStatus:
        return review_status(
            self.reviewed_by_id, self.last_reviewed, self.next_review_due
        )

    def clean_medical_review(self) -> dict[str, str]:
        """Field errors for an inconsistent review record (empty dict when fine)."""
        errors = {}
        if self.last_reviewed and self.last_reviewed > timezone.localdate():
            errors["last_reviewed"] = (
                "The review date is in the future. Enter the day the clinician "
                "actually reviewed the page."
            )
        if self.last_reviewed and not self.reviewed_by_id:
            errors["reviewed_by"] = (
                "Choose the clinician who did this review, or clear the review date."
            )
        if self.reviewed_by_id and not self.last_reviewed:
            errors["last_reviewed"] = (
                "Enter the date the clinician reviewed the page, or clear the reviewer."
            )
        if (
            self.next_review_due
            and self.last_reviewed
            and self.next_review_due <= self.last_reviewed
        ):
            errors["next_review_due"] = (
                "The next review must come after the last review. Pick a later date."
            )
        return errors

    def missing_review_information(self) -> list[MissingItem]:
        """Gaps in the review record; only people who record reviews fill them."""
        checks = [
            (
                self.reviewed_by_id,
                "reviewed_by",
                "Medical reviewer: no clinician has reviewed this page yet.",
            ),
            (
                self.last_reviewed,
                "last_reviewed",
                "Review date: when the clinician last reviewed it.",
            ),
            (
                self.next_review_due,
                "next_review_due",
                "Next review due: when it should be checked again.",
            ),
        ]
        return [
            MissingItem(text, field, permission=REVIEW_PERMISSION)
            for present, field, text in checks
            if not present
        ]


class HeadlessPreviewMixin:
    """Adds a "Frontend" preview mode that shows the draft in the external site.

    Only when ``FRONTEND_PREVIEW_URL`` is set, and only for pages saved at
    least once (the frontend asks the API by page id). The HTML preview stays
    the default mode. See ``cms/core/preview.py``.
    """

    FRONTEND_PREVIEW_MODE = "frontend"

    @property
    def preview_modes(self):
        modes = super().preview_modes
        if preview.frontend_preview_url() and self.pk:
            return [*modes, (self.FRONTEND_PREVIEW_MODE, "Frontend")]
        return modes

    def serve_preview(self, request, mode_name):
        if mode_name == self.FRONTEND_PREVIEW_MODE and self.pk:
            return preview.redirect_to_frontend(self)
        return super().serve_preview(request, mode_name)


class RelatedStudiesMixin:
    """Pages that cite study summaries through a ``related_studies`` inline."""

    @cached_property
    def public_related_studies(self) -> list:
        """The cited study summaries a visitor can open, in the editor's order.

        Drafts and view-restricted studies are left out: their titles are not
        for anonymous visitors, on the page, in its JSON-LD or in the API.
        Cached on the instance: the template and the JSON-LD both read it.
        """
        return self.related_studies_for(None)

    def get_context(self, request, *args, **kwargs):
        # Before the template shows them as cards, their renditions found
        # together (``card_renditions``); the API shows links, not cards.
        card_renditions(self.related_studies_for(request))
        return super().get_context(request, *args, **kwargs)

    def related_studies_for(self, request) -> list:
        """``public_related_studies``, checked against the request's restrictions.

        Read once, in one query with the studies' card images, and kept as
        ``public_related_studies``: the JSON-LD asks first, then the cards
        (or the API's links).
        """
        if "public_related_studies" in self.__dict__:
            return self.__dict__["public_related_studies"]
        if self.pk is None or self.related_studies.is_deferring:  # a preview
            links = self.related_studies.select_related("study", "study__listing_image")
            studies = [link.study for link in links]
        else:
            studies = self.related_and_cited_studies()
        studies = public_pages(studies, request)
        self.__dict__["public_related_studies"] = studies
        return studies

    def related_and_cited_studies(self) -> list:
        """The related studies in the editor's order, read with the pages the
        body points at.

        One query reads the related studies (with their card images), the
        studies the body's study references cite and the pages its rich text
        links to: plain pages, each study joined as its own type. All are
        kept for the request (``cms.core.request_pages``), where the
        references' chooser and the link handler find them instead of
        reading them again.
        """
        links = self.related_studies.model.objects.filter(page=self)
        study_model = links.model._meta.get_field("study").related_model
        as_study = study_model._meta.model_name  # Page's link to the study row
        cited = set(request_pages.chosen_page_ids(self))
        linked = request_pages.unknown_link_ids(self)
        link = links.filter(study=OuterRef("pk"))
        rows = list(
            Page.objects.filter(
                Q(pk__in=links.values("study")) | Q(pk__in=cited | set(linked))
            )
            .select_related(as_study, f"{as_study}__listing_image")
            .annotate(
                is_related=Exists(link),
                link_order=Subquery(link.values("sort_order")[:1]),
            )
        )
        pages = [getattr(row, as_study, None) or row for row in rows]
        request_pages.keep(pages, linked)
        related = sorted(
            (row for row in rows if row.is_related),
            key=lambda row: (row.link_order is None, row.link_order or 0),
        )
        return [getattr(row, as_study) for row in related]


class IndexIntroMixin(models.Model):
    """An index page's introduction above its list (services, articles, studies)."""

    intro = RichTextField(
        blank=True,
        features=editor_features("text"),
        help_text="A short introduction shown above the list on this page.",
    )

    intro_panels = [FieldPanel("intro")]
    intro_search_fields = [index.SearchField("intro")]
    intro_api_fields = [APIField("intro")]

    class Meta:
        abstract = True

    def description_source(self) -> str:
        return plain_text(self.intro)
