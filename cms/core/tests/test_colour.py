"""The brand colour's contrast check: WCAG 2.2 maths and what the editor is told."""

import pytest
from django.core.exceptions import ValidationError

from cms.core.colour import (
    AA_NORMAL_TEXT,
    contrast_ratio,
    relative_luminance,
    validate_brand_colour,
)
from cms.core.models import ClinicSettings


def test_luminance_and_ratio_match_the_standards_reference_points():
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#ffffff") == pytest.approx(1)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21)
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#1f5f8b", "#1f5f8b") == pytest.approx(1)
    # #767676 is the lightest grey that passes on white (WebAIM: 4.54:1).
    assert contrast_ratio("#ffffff", "#767676") == pytest.approx(4.54, abs=0.005)
    assert contrast_ratio("#ffffff", "#777777") < AA_NORMAL_TEXT


@pytest.mark.parametrize("colour", ["#1f5f8b", "#0b5cad", "#767676", "#0F766E"])
def test_dark_enough_colours_are_accepted(colour):
    validate_brand_colour(colour)


def test_a_light_colour_is_refused_naming_each_use_and_its_ratio():
    with pytest.raises(ValidationError) as refused:
        validate_brand_colour("#3b82f6")
    message = refused.value.messages[0]
    assert "white text on the brand colour (buttons): 3.68:1" in message
    assert "the brand colour as text on a white page (links): 3.68:1" in message
    assert "at least 4.5:1" in message
    assert refused.value.code == "low_contrast"


@pytest.mark.parametrize("value", ["1f5f8b", "#1f5f8", "#1f5f8bb", "#gggggg", "blue"])
def test_a_malformed_colour_is_refused_with_an_example(value):
    with pytest.raises(ValidationError) as refused:
        validate_brand_colour(value)
    assert refused.value.messages == [
        "Enter the colour as # followed by six digits or letters a–f, e.g. #1f5f8b."
    ]


@pytest.mark.django_db
def test_clinic_settings_refuse_a_low_contrast_brand_colour(home_page):
    settings = ClinicSettings.for_site(home_page.get_site())
    settings.clinic_name = "Clinic"
    settings.brand_colour = "#ffcc00"
    with pytest.raises(ValidationError) as refused:
        settings.full_clean()
    assert "brand_colour" in refused.value.message_dict
    assert "too light" in refused.value.message_dict["brand_colour"][0]
