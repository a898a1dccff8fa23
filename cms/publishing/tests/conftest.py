"""Fixtures the page cache, its WSGI front and the shared fragments' tests share.

The empty page store they start from is the root ``conftest.py``'s
``empty_page_store``.
"""

import pytest

from home.tests.factories import StandardPageFactory


@pytest.fixture
def page(home_page, on_commit):
    """A live standard page at ``/aftercare/``, published in a committed
    transaction (so the cache purge and the fragments' generation ran)."""
    page = StandardPageFactory(parent=home_page, title="Aftercare", slug="aftercare")
    on_commit(lambda: page.save_revision().publish())
    return page
