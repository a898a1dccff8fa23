"""Issue 16: the studies index costs the same queries for 13 studies as for 40,
on its first page and its last, and shows the right cards on each."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

HOST = {"HTTP_HOST": "synthetic.localhost"}


def library_of(count: int) -> None:
    call_command(
        "generate_demo_content",
        "--studies",
        str(count),
        "--articles",
        "0",
        stdout=io.StringIO(),
    )


def get(client, path: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **HOST)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_index_queries_do_not_grow_with_the_library(home_page, client, settings):
    settings.ALLOWED_HOSTS = ["synthetic.localhost", "testserver"]
    library_of(13)
    first_small, first_small_queries = get(client, "/studies/")
    last_small, last_small_queries = get(client, "/studies/?page=2")
    library_of(40)
    first_large, first_large_queries = get(client, "/studies/")
    last_large, last_large_queries = get(client, "/studies/?page=4")

    assert "13 studies" in first_small
    assert "40 studies" in first_large
    # Alphabetical: the last page holds the last studies, the first the first.
    assert "Synthetic study 00013" in last_small
    assert "Synthetic study 00001" in first_large
    assert "Synthetic study 00040" in last_large
    assert "Synthetic study 00012" not in last_large
    assert first_small_queries > 0
    assert first_large_queries == first_small_queries
    assert last_large_queries == last_small_queries
