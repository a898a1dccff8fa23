"""The mark every generated page carries: synthetic, never the clinic's content.

A row here says "this page was made by ``generate_demo_content`` to measure the
site at scale"; ``generate_demo_content --remove`` deletes exactly the pages
that have one. Kept in its own table (not a field on every page type) so that
no content model changes and nothing the clinic wrote can be mistaken for it.
"""

from django.db import models
from django.db.models import Q
from wagtail.models import Page


class SyntheticPage(models.Model):
    """One generated page, by its id."""

    page = models.OneToOneField(
        Page,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="synthetic_marker",
    )
    generated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "synthetic page"

    def __str__(self):
        return f"synthetic page {self.page_id}"


def not_synthetic(prefix: str = "") -> Q:
    """Pages without the mark: the clinic's own content.

    For what speaks for the clinic beyond one site's listings (the clinical
    review report and dashboard, the article feed): generated pages are
    measured on their own site and must never reach editors' to-do lists or
    a newsletter. ``prefix`` reaches the page through a relation
    (``"page__"`` for a flag on a page).
    """
    return Q(**{f"{prefix}synthetic_marker__isnull": True})
