"""Adding a study while citing it: the link under a service's Evidence list."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from wagtail.test.utils.wagtail_tests import WagtailTestUtils

from cms.core.tests.helpers import logged_in
from home.tests.factories import ServicePageFactory
from studies.tests.helpers import add_url, study_form

pytestmark = pytest.mark.django_db


def test_the_service_offers_a_new_study_that_comes_back_to_it(
    service_index, study_index, editor
):
    service = ServicePageFactory(parent=service_index, title="Physical therapy")
    edit = reverse("wagtailadmin_pages:edit", args=[service.pk])
    soup = WagtailTestUtils.get_soup(logged_in(editor).get(edit).content)
    link = soup.select_one("[data-new-study] a")
    assert link.get_text() == "Add a new study summary"
    address = urlsplit(link["href"])
    assert address.path == add_url(study_index)
    assert parse_qs(address.query) == {"next": [edit]}

    # Submitting the new study brings the editor back to the service.
    data = study_form(pmid="PMID: 29870457")
    data["action-submit"] = "Submit to Clinical review"
    response = logged_in(editor).post(link["href"], data)
    assert response.status_code == 302
    assert response["Location"] == edit


def test_a_page_not_yet_saved_has_no_such_link(service_index, study_index, editor):
    add = reverse(
        "wagtailadmin_pages:add", args=["home", "servicepage", service_index.pk]
    )
    html = logged_in(editor).get(add).content.decode()
    assert "Add a new study summary" not in html
