"""Fixtures the page cache, its WSGI front and the shared fragments' tests share."""

import pytest
from django.core.cache import caches

from cms.publishing import cachestore
from home.tests.factories import StandardPageFactory


def empty_the_page_store() -> None:
    caches["pages"].clear()
    cachestore.local_copies().clear()


@pytest.fixture
def empty_page_store():
    """The shared page store and this process's copies, empty before and after:
    an answer kept by one test must never be served in the next."""
    empty_the_page_store()
    yield
    empty_the_page_store()


@pytest.fixture
def page(home_page, on_commit):
    """A live standard page at ``/aftercare/``, published in a committed
    transaction (so the cache purge and the fragments' generation ran)."""
    page = StandardPageFactory(parent=home_page, title="Aftercare", slug="aftercare")
    on_commit(lambda: page.save_revision().publish())
    return page
