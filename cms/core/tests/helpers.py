"""Helpers the admin tests share: a logged-in client, the edit form as posted.

Plain functions, not fixtures: a test calls them with the users and pages its
fixtures gave it.
"""

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)
from wagtail.test.utils.wagtail_tests import WagtailTestUtils


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


def edit_form_data(client, page, **changes):
    """The edit form as the editor's browser would post it, with ``changes``.

    StreamFields are drawn by JavaScript, so their values are added from the
    page itself.
    """
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
