"""``/api/v3/articles/``: article cards, one article's full content, by id or path."""

from articles.models import ArticlePage
from articles.queries import live_articles
from articles.schemas import ArticleCardSchema, ArticleFilters
from cms.core.api.routers import ContentType, content_router

router = content_router(
    ContentType(
        singular="article",
        plural="articles",
        model=ArticlePage,
        listing=live_articles,
        card_schema=ArticleCardSchema,
        filters=ArticleFilters,
        example_path="/articles/sleep-and-pain/",
    )
)
