"""``/api/v3/articles/``: article cards, one article's full content, by id or path."""

from articles.models import ArticlePage
from articles.schemas import ArticleCardSchema, ArticleFilters
from cms.api.routers import ContentType, content_router

router = content_router(
    ContentType(
        singular="article",
        plural="articles",
        model=ArticlePage,
        card_schema=ArticleCardSchema,
        filters=ArticleFilters,
        example_path="/articles/sleep-and-pain/",
    )
)
