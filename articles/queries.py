"""Article listings with the filters visitors use (tag, condition)."""

from django.db.models import QuerySet
from taggit.models import Tag

from articles.models import ArticlePage
from cms.core.listings import with_card_images
from cms.core.models import Condition


def article_listing(
    parent=None, tag: str = "", condition: str = ""
) -> QuerySet[ArticlePage]:
    """Live, public articles, newest first, optionally by tag slug or condition slug."""
    articles = ArticlePage.objects.live().public()
    if parent is not None:
        articles = articles.child_of(parent)
    if tag:
        articles = articles.filter(tagged_items__tag__slug=tag)
    if condition:
        articles = articles.filter(conditions__slug=condition)
    return with_card_images(articles.distinct().order_by("-date", "-pk"))


def article_tags(parent) -> QuerySet[Tag]:
    """Tags used by the live articles under ``parent``, for the filter menu."""
    return (
        Tag.objects.filter(
            articles_articlepagetag_items__content_object__in=ArticlePage.objects.child_of(
                parent
            )
            .live()
            .public()
        )
        .distinct()
        .order_by("name")
    )


def article_conditions(parent) -> QuerySet[Condition]:
    return (
        Condition.objects.filter(
            articles__in=ArticlePage.objects.child_of(parent).live().public()
        )
        .distinct()
        .order_by("name")
    )
