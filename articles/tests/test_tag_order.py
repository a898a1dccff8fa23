"""An article's topics in the order the editor gave them, on the page, in the
API and in a preview, read with the article (``cms/core/tagging.py``)."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from cms.core.tagging import tag_names
from cms.core.tests.factories import publish_reviewed

pytestmark = pytest.mark.django_db

#: Not alphabetical, and not the order the tags were first made in.
TOPICS = ["sleep", "anxiety", "back pain"]


@pytest.fixture
def article(clinic):
    for name in ("back pain", "anxiety"):  # exist before the article uses them
        Tag.objects.create(name=name, slug=name.replace(" ", "-"))
    article = clinic["article"]
    article.tags.set(TOPICS)  # "sleep" was there already
    publish_reviewed(article)
    return article


def test_the_page_shows_the_topics_in_the_editors_order(client, article):
    soup = BeautifulSoup(client.get("/articles/sleep-and-pain/").content, "html.parser")
    assert [tag.get_text() for tag in soup.select(".topics .tag")] == TOPICS


def test_the_api_shows_the_topics_in_the_same_order(client, article):
    data = client.get(f"/api/v3/articles/{article.pk}/").json()
    assert data["tags"] == TOPICS
    assert client.get(f"/api/v3/pages/{article.pk}/").json()["tags"] == TOPICS


def test_the_topics_come_with_the_article_not_apart(client, article):
    path = f"/api/v3/articles/{article.pk}/"
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    tag_reads = [q["sql"] for q in queries if '"taggit_tag"' in q["sql"]]
    assert len(tag_reads) == 1, tag_reads


def test_unsaved_topics_of_a_preview_are_shown_as_edited(article):
    draft = type(article).objects.get(pk=article.pk)
    draft.tags.set(["new topic", "sleep"])  # held in memory until saved
    assert tag_names(draft) == ["new topic", "sleep"]
