"""Listings of articles, for the articles index page and ``/api/v3/articles/``."""

import datetime

from django.db.models import Prefetch, QuerySet
from taggit.models import Tag

from articles.models import ArticleAuthor, ArticlePage
from cms.core.models import Condition
from cms.core.queries import (
    CARD_PREFETCH,
    CARD_SELECT,
    filter_clinical,
    live_public,
    order_by_key,
)

#: Ordering keys; the first is the default (newest first).
ARTICLE_ORDERINGS = {
    "-date": ("-date",),
    "date": ("date",),
    "title": ("title",),
    "-title": ("-title",),
    "-last_reviewed": ("-last_reviewed",),
}


def live_articles(
    *,
    site=None,
    condition: str | None = None,
    tag: str | None = None,
    review_status: str | None = None,
    reviewed_after: datetime.date | None = None,
    order: str | None = None,
) -> QuerySet:
    """Live, public articles, with authors, tags and conditions for their cards."""
    queryset = filter_clinical(
        live_public(ArticlePage, site),
        condition=condition,
        review_status=review_status,
        reviewed_after=reviewed_after,
    )
    if tag:
        queryset = queryset.filter(tags__slug=tag)
    queryset = queryset.select_related(*CARD_SELECT).prefetch_related(
        *CARD_PREFETCH,
        "tags",
        Prefetch(
            "authors",
            queryset=ArticleAuthor.objects.select_related("clinician"),
        ),
    )
    return order_by_key(queryset, ARTICLE_ORDERINGS, order)


def article_listing(parent, tag: str = "", condition: str = "") -> QuerySet:
    """The articles index: its live children, newest first, as visitors filter."""
    return live_articles(tag=tag or None, condition=condition or None).child_of(parent)


def article_tags(parent) -> QuerySet[Tag]:
    """Tags used by the live articles under ``parent``, for the filter menu."""
    articles = ArticlePage.objects.child_of(parent).live().public()
    return (
        Tag.objects.filter(articles_articlepagetag_items__content_object__in=articles)
        .distinct()
        .order_by("name")
    )


def article_conditions(parent) -> QuerySet[Condition]:
    articles = ArticlePage.objects.child_of(parent).live().public()
    return Condition.objects.filter(articles__in=articles).distinct().order_by("name")
