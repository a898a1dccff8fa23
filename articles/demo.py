"""The articles section. The seed holds no article, so none is invented."""

from wagtail.models import Page

from articles.models import ArticleIndexPage
from cms.core.loading import LoadReport, ensure_page


def load(home: Page, report: LoadReport) -> ArticleIndexPage:
    return ensure_page(
        home,
        ArticleIndexPage,
        slug="articles",
        values={"title": "Articles", "show_in_menus": True},
        report=report,
    )
