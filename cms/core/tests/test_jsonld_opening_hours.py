"""Structured opening hours reach the clinic's JSON-LD as schema.org expects."""

import datetime

import pytest
from wagtail.blocks import StructBlockValidationError

from cms.core.blocks.site import OpeningPeriodBlock
from cms.core.models import ClinicSettings

pytestmark = pytest.mark.django_db


def clinic_node(client, page) -> dict:
    graph = client.get(f"/api/v3/pages/{page.pk}/").json()["jsonld"]["@graph"]
    return next(node for node in graph if node["@type"] == "MedicalClinic")


def test_opening_hours_specification_lists_each_group_of_days(client, home_page):
    settings = ClinicSettings.for_site(home_page.get_site())
    settings.clinic_name = "Clinic"
    settings.opening_hours = "Mon–Fri 8am–5pm"
    settings.opening_hours_structured = [
        (
            "period",
            {
                "days": ["Tuesday", "Monday"],
                "opens": datetime.time(8),
                "closes": datetime.time(17),
            },
        )
    ]
    settings.save()
    node = clinic_node(client, home_page)
    assert node["openingHours"] == ["Mon–Fri 8am–5pm"]
    assert node["openingHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["https://schema.org/Monday", "https://schema.org/Tuesday"],
            "opens": "08:00",
            "closes": "17:00",
        }
    ]


def test_no_structured_hours_means_no_specification(client, home_page):
    ClinicSettings.objects.update_or_create(
        site=home_page.get_site(), defaults={"clinic_name": "Clinic"}
    )
    assert "openingHoursSpecification" not in clinic_node(client, home_page)


def test_closing_before_opening_is_refused_in_the_editors_words():
    block = OpeningPeriodBlock()
    value = block.to_python({"days": ["Monday"], "opens": "17:00", "closes": "08:00"})
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(value)
    assert refused.value.block_errors["closes"].messages == [
        "Closing time must be after opening time."
    ]
