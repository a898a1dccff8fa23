"""The article index: filters by tag and condition, pages, constant query count."""

import datetime
import re

import pytest
import wagtail_factories
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.tests.factories import ArticleIndexPageFactory, ArticlePageFactory
from cms.core.tests.factories import ConditionFactory, publish_reviewed

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(home_page):
    return ArticleIndexPageFactory(parent=home_page)


def add_articles(index, count, **kwargs):
    condition = ConditionFactory(name=f"Condition for {count}")
    for number in range(count):
        article = ArticlePageFactory(
            parent=index,
            title=f"Article {count}-{number}",
            summary="A card summary.",
            listing_image=wagtail_factories.ImageFactory(
                file__width=1280, file__height=720
            ),
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=number),
            **kwargs,
        )
        article.tags.add("sleep" if number % 2 else "movement")
        article.conditions.set([condition])
        publish_reviewed(article)
    return condition


def queries_to_render(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
    return len(captured)


def test_listing_queries_do_not_grow_with_its_length(home_page, client):
    small = ArticleIndexPageFactory(parent=home_page, slug="small")
    large = ArticleIndexPageFactory(parent=home_page, slug="large")
    add_articles(small, 5)
    add_articles(large, 50)
    client.get(small.url)  # warm up renditions and caches for both
    client.get(large.url)
    assert queries_to_render(client, small.url) == queries_to_render(client, large.url)


def test_cards_show_image_with_srcset_avif_webp_and_lazy_loading(index, client):
    add_articles(index, 1)
    page_html = client.get(index.url).content.decode()
    picture = page_html[page_html.index("<picture>") : page_html.index("</picture>")]
    assert re.search(r'<source [^>]*type="image/webp"', picture)
    assert re.search(
        r"srcset=\"[^\"]*fill-320x180\.webp 320w, [^\"]*fill-640x360\.webp 640w",
        picture,
    )
    # AVIF first: a browser takes the first <source> whose type it supports.
    assert picture.index('type="image/avif"') < picture.index('type="image/webp"')
    assert re.search(
        r"srcset=\"[^\"]*fill-320x180\.avif 320w, "
        r"[^\"]*fill-640x360\.avif 640w",
        picture,
    )
    assert 'loading="lazy"' in picture
    assert 'height="180"' in picture and 'width="320"' in picture
    assert 'alt="' in picture


def test_filter_by_tag_and_condition(index, client):
    condition = add_articles(index, 4)
    other = ConditionFactory(name="Migraine")
    lone = ArticlePageFactory(parent=index, title="Migraine basics")
    lone.conditions.set([other])
    publish_reviewed(lone)
    by_tag = client.get(index.url, {"tag": "sleep"}).content.decode()
    assert "2 articles" in by_tag
    assert ">Article 4-1</a>" in by_tag and ">Article 4-0</a>" not in by_tag
    by_condition = client.get(index.url, {"condition": other.slug}).content.decode()
    assert "1 article<" in by_condition
    assert ">Migraine basics</a>" in by_condition
    assert f'<option value="{condition.slug}"' in by_condition
    none = client.get(index.url, {"tag": "nothing"}).content.decode()
    assert "No articles match these filters." in none


def test_listing_is_paginated_newest_first(index, client):
    add_articles(index, 14)
    first = client.get(index.url).content.decode()
    assert "Page 1 of 2" in first
    assert first.index(">Article 14-13</a>") < first.index(">Article 14-12</a>")
    second = client.get(index.url, {"page": 2}).content.decode()
    assert ">Article 14-0</a>" in second
    assert ">Article 14-13</a>" not in second


def test_a_page_past_the_end_or_not_a_number_gives_the_nearest_page(index, client):
    # Issue 16 reads a page's ids with their count, and the last page backwards;
    # the pages shown must be Django's nearest page all the same.
    add_articles(index, 14)
    for number in ("9", "0"):
        last = client.get(index.url, {"page": number}).content.decode()
        assert "Page 2 of 2" in last, number
        assert last.index(">Article 14-1</a>") < last.index(">Article 14-0</a>")
        assert ">Article 14-2</a>" not in last
    for number in ("x", "", "2.0"):
        first = client.get(index.url, {"page": number}).content.decode()
        assert "Page 1 of 2" in first, number
        assert ">Article 14-13</a>" in first and ">Article 14-2</a>" in first
    empty = client.get(index.url, {"tag": "nothing", "page": "3"}).content.decode()
    assert "No articles match these filters." in empty
