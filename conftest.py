"""Shared fixtures: a site whose root is a HomePage, and an admin client."""

import pytest
from wagtail.models import Page, Site

from home.tests.factories import HomePageFactory


@pytest.fixture
def home_page(db):
    """A HomePage serving the default site, as the content loader sets it up."""
    root = Page.get_first_root_node()
    for placeholder in root.get_children():
        placeholder.delete()
    home = HomePageFactory(parent=root, slug="home")
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True
    )
    return home


@pytest.fixture
def admin_client(client, django_user_model, db):
    user = django_user_model.objects.create_superuser(
        username="admin", email="admin@example.com", password="password"
    )
    client.force_login(user)
    client.user = user
    return client
