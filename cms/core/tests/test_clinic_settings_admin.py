"""What an editor sees in Settings → Clinic settings for the new site details."""

import pytest
from django.urls import reverse

from cms.core.models import ClinicSettings

pytestmark = pytest.mark.django_db


def edit_url(site) -> str:
    return reverse("wagtailsettings:edit", args=["core", "clinicsettings", site.pk])


def form_data(**changes) -> dict:
    data = {
        "clinic_name": "Utah Ketamine Authority",
        "street_address": "",
        "locality": "",
        "region": "",
        "postal_code": "",
        "phone": "",
        "email": "",
        "opening_hours": "",
        "opening_hours_structured-count": "0",
        "booking_url": "",
        "crisis_line": "988",
        "crisis_line_text": "Call or text 988.",
        "logo": "",
        "brand_colour": "#1f5f8b",
        "default_social_image": "",
        "footer_links-count": "0",
        "service_review_months": "12",
        "article_review_months": "12",
        "study_review_months": "24",
    }
    data.update(changes)
    return data


def test_the_form_groups_the_new_fields_with_plain_help(admin_client, home_page):
    html = admin_client.get(edit_url(home_page.get_site())).content.decode()
    for heading in ("Opening hours", "Look and sharing", "Footer links"):
        assert heading in html
    assert "Brand colour" in html
    assert "dark enough for white text on it" in html
    assert "Default sharing image" in html


def test_a_readable_colour_is_saved(admin_client, home_page):
    site = home_page.get_site()
    response = admin_client.post(edit_url(site), form_data())
    assert response.status_code == 302
    assert ClinicSettings.for_site(site).brand_colour == "#1f5f8b"


def test_a_too_light_colour_is_refused_with_the_measured_contrast(
    admin_client, home_page
):
    site = home_page.get_site()
    response = admin_client.post(edit_url(site), form_data(brand_colour="#66aaff"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This colour is too light to read" in html
    assert "white text on the brand colour (buttons): 2.40:1" in html
    assert ClinicSettings.for_site(site).brand_colour == ""
