"""A table goes through the API as caption, columns and rows, both ways."""

import pytest
from wagtail.models import APIToken

from cms.core.tests.factories import publish_reviewed
from home.models import ServicePage

pytestmark = pytest.mark.django_db

TABLE = {
    "caption": "What to bring",
    "columns": ["Item", "Why"],
    "rows": [["Photo ID", "To confirm who you are"], ["A driver", "To get home"]],
    "row_headers": False,
}
UNFINISHED = {**TABLE, "caption": "", "columns": []}


@pytest.fixture
def headers(admin_user):
    _token, secret = APIToken.create_token(user=admin_user, name="table test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def create(client, headers, page_type, parent, table, **meta):
    return client.post(
        "/api/v3/pages/",
        {
            "meta": {"type": page_type, "parent_id": parent.pk, **meta},
            "title": "Your first visit",
            "slug": "your-first-visit",
            "body": [{"type": "table", "value": table}],
        },
        content_type="application/json",
        **headers,
    )


def test_a_table_written_as_read_is_stored_as_the_editor_stores_it(
    client, service_index, headers
):
    response = create(client, headers, "home.ServicePage", service_index, TABLE)
    assert response.status_code == 201, response.content
    page = ServicePage.objects.get(pk=response.json()["id"])
    draft = page.get_latest_revision_as_object()
    stored = draft.body[0].value
    assert stored["table_caption"] == "What to bring"
    assert stored["data"] == [TABLE["columns"], *TABLE["rows"]]
    assert stored["first_row_is_table_header"] is True
    # Once live (as set-up, not through the review rules), anyone reads back
    # the shape that was sent, and visitors get the table.
    publish_reviewed(draft)
    read = client.get(f"/api/v3/pages/{page.pk}/")
    assert read.status_code == 200
    assert read.json()["body"][0]["value"] == TABLE
    html = client.get(page.url).content.decode()
    assert "<caption>What to bring</caption>" in html


def test_an_unfinished_table_is_refused_at_publish_with_the_reasons(
    client, service_index, headers
):
    response = create(
        client, headers, "home.ServicePage", service_index, UNFINISHED, action="publish"
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    detail = response.content.decode()
    assert "body[0].value: Add a table caption" in detail
    assert "Display the first row as a header" in detail
    assert not ServicePage.objects.filter(slug="your-first-visit").exists()


def test_a_draft_may_hold_an_unfinished_table_as_in_the_editor(
    client, service_index, headers
):
    response = create(client, headers, "home.ServicePage", service_index, UNFINISHED)
    assert response.status_code == 201, response.content
    assert not ServicePage.objects.get(pk=response.json()["id"]).live


def test_a_table_of_the_wrong_shape_is_a_422_not_a_500(client, service_index, headers):
    response = create(
        client,
        headers,
        "home.ServicePage",
        service_index,
        {"caption": "x", "rows": "not rows"},
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert "columns" in response.content.decode()
