"""Fixtures for the editorial-trust tests: people in each group, clinical sections."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from cms.core.tests.factories import ClinicianFactory
from home.tests.factories import ServiceIndexPageFactory
from studies.tests.factories import StudyIndexPageFactory


def make_user(django_user_model, username, group_name):
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@example.com", password="password"
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def editor(django_user_model):
    return make_user(django_user_model, "edna", "Editors")


@pytest.fixture
def reviewer(django_user_model):
    """A medical reviewer whose account is linked to an active clinician."""
    user = make_user(django_user_model, "ana", "Medical reviewers")
    ClinicianFactory(name="Ana Reyes", credentials="MD", user=user)
    return user


@pytest.fixture
def publisher(django_user_model):
    return make_user(django_user_model, "paul", "Publishers")


@pytest.fixture
def study_index(home_page):
    return StudyIndexPageFactory(parent=home_page)


@pytest.fixture
def service_index(home_page):
    return ServiceIndexPageFactory(parent=home_page)


def edit_form_data(client, page, **changes):
    """The edit form as the editor's browser would post it, with ``changes``.

    StreamFields are drawn by JavaScript, so their values are added from the
    page itself.
    """
    from django.urls import reverse
    from wagtail.test.utils.form_data import (
        nested_form_data,
        querydict_from_html,
        rich_text,
        streamfield,
    )
    from wagtail.test.utils.wagtail_tests import WagtailTestUtils

    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content
    data = querydict_from_html(html.decode(), form_id="page-edit-form")
    # A ticked checkbox without a value attribute is sent as "on" by browsers.
    soup = WagtailTestUtils.get_soup(html)
    for box in soup.select("#page-edit-form input[type=checkbox][checked]"):
        if "value" not in box.attrs:
            data[box["name"]] = "on"
    body = getattr(page, "body", None)
    if body is not None:
        blocks = [
            (block.block_type, rich_text(str(block.value.source)))
            for block in body
            if block.block_type == "paragraph"
        ]
        data.update(nested_form_data({"body": streamfield(blocks)}))
    for name, value in changes.items():
        data[name] = value
    return data


from cms.core.tests.api_fixtures import clinic  # noqa: E402, F401
