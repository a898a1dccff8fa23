import datetime

import factory
import wagtail_factories

from articles.models import ArticleIndexPage, ArticlePage
from cms.core.tests.factories import ClinicalPageFactory
from home.tests.factories import HomePageFactory, paragraph


class ArticleIndexPageFactory(wagtail_factories.PageFactory):
    title = "Articles"
    slug = "articles"
    parent = factory.SubFactory(HomePageFactory)

    class Meta:
        model = ArticleIndexPage


class ArticlePageFactory(ClinicalPageFactory):
    title = factory.Sequence(lambda n: f"Example article {n}")
    parent = factory.SubFactory(ArticleIndexPageFactory)
    date = datetime.date(2026, 3, 1)
    body = factory.LazyFunction(lambda: paragraph("What the example article says."))

    class Meta:
        model = ArticlePage
