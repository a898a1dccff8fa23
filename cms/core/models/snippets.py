"""Reusable records editors pick from pages: people, conditions, disclaimers.

Their admin (list columns, search, menu) lives in ``wagtail_hooks.py``.
Public details travel inside page payloads, because v3 snippet endpoints need a
token even to read.
"""

from django.conf import settings
from django.db import models
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.search import index

from cms.core.text import editor_features


class Clinician(index.Indexed, models.Model):
    """A clinician who writes or medically reviews the clinic's pages."""

    name = models.CharField(
        "full name",
        max_length=255,
        help_text="Name only, without credentials, e.g. 'Jane Smith'.",
    )
    credentials = models.CharField(
        max_length=100,
        blank=True,
        help_text="Degrees and licences after the name, e.g. 'MD' or 'PhD, LCSW'.",
    )
    role = models.CharField(
        max_length=255,
        blank=True,
        help_text="Their role at the clinic, e.g. 'Medical director'.",
    )
    bio = RichTextField(
        "short biography",
        blank=True,
        features=editor_features("inline"),
        help_text="Two or three sentences on training and experience, for patients.",
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A head-and-shoulders photo. Describe it in the image's alt text.",
    )
    profile_url = models.URLField(
        "profile page",
        blank=True,
        help_text="Optional link to a fuller profile or licence record.",
    )
    is_active = models.BooleanField(
        "currently with the clinic",
        default=True,
        help_text="Only clinicians with the clinic can be chosen as reviewers.",
    )
    # Approving a page in the "Clinical review" workflow records the clinician
    # linked to the approving account, so a review always names a real person.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="admin account",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clinician",
        help_text="The account this clinician signs in with to approve clinical "
        "reviews. Leave empty if they do not use the admin.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("credentials"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("profile_url"),
        FieldPanel("is_active"),
        # Only people who manage accounts may link one: a reviewer who could
        # relink records could approve in someone else's name.
        FieldPanel("user", permission="auth.change_user"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    api_fields = [
        APIField("name"),
        APIField("credentials"),
        APIField("role"),
        APIField("bio"),
        APIField("profile_url"),
    ]

    class Meta:
        ordering = ["name"]
        permissions = [
            ("record_review", "Can record who reviewed a page and when"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """'Jane Smith, MD': how a byline or review line names the clinician."""
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class Condition(index.Indexed, models.Model):
    """A health condition the clinic's pages are about, used to group content."""

    name = models.CharField(
        max_length=255,
        unique=True,
        help_text="Plain-language name patients use, e.g. 'Back pain'.",
    )
    slug = models.SlugField(
        max_length=255,
        unique=True,
        blank=True,
        help_text="Used in web addresses and filters. Made from the name if empty.",
    )
    description = models.TextField(
        blank=True,
        help_text="Optional one-sentence explanation for patients.",
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    api_fields = [APIField("name"), APIField("slug"), APIField("description")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:255]
        super().save(*args, **kwargs)


class Disclaimer(models.Model):
    """One version of a required notice, such as the off-label ketamine disclaimer.

    Each wording change is a new row with a new version, so a page can always say
    which wording it carried.
    """

    class Kind(models.TextChoices):
        KETAMINE_OFF_LABEL = "ketamine_off_label", "Off-label ketamine use"
        GENERAL_MEDICAL = "general_medical", "General medical information"

    kind = models.CharField(
        "type of disclaimer",
        max_length=32,
        choices=Kind.choices,
        help_text="Which notice this is. Ketamine pages need the off-label one.",
    )
    version = models.CharField(
        max_length=32,
        help_text="A label for this wording, e.g. '2026-11' or 'v2'.",
    )
    text = RichTextField(
        features=editor_features("inline"),
        help_text="The exact wording approved by the clinic. Do not shorten it.",
    )
    is_active = models.BooleanField(
        "in use",
        default=False,
        help_text="Tick for the wording pages should show now; one per type.",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("version"), FieldPanel("is_active")],
            heading="Version",
        ),
        FieldPanel("text"),
    ]
    api_fields = [
        APIField("kind"),
        APIField("version"),
        APIField("text"),
        APIField("is_active"),
    ]

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "version"], name="unique_disclaimer_version"
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(is_active=True),
                name="one_active_disclaimer_per_kind",
                violation_error_message=(
                    "Another version of this disclaimer is already in use. "
                    "Untick “in use” on it first."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.version})"
