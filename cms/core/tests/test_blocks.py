"""Every body block has help for editors, a preview value and a template."""

import pytest
from django.core.exceptions import ValidationError

from cms.core.blocks import BodyStreamBlock, CallToActionBlock

BLOCKS = list(BodyStreamBlock.base_blocks.items())


@pytest.mark.parametrize("name, block", BLOCKS, ids=[name for name, _ in BLOCKS])
def test_block_has_editor_help_preview_and_template(name, block):
    assert block.meta.description, f"{name} needs a description for editors"
    assert block.meta.preview_value is not None, f"{name} needs a preview value"
    assert block.meta.template.startswith("blocks/")


PREVIEW_TEXT = {
    "paragraph": "Chronic pain is pain that lasts longer than three months.",
    "heading": "<h2>What to expect</h2>",
    "callout": "If you are in crisis, call or text 988.",
    "key_points": "<li>Treatment plans are built around each patient.</li>",
    "faq": "<summary>How long does an appointment take?</summary>",
    "quote": "We build each plan with the patient.",
    "call_to_action": 'href="https://example.com/book">Book a consultation</a>',
}


@pytest.mark.django_db
@pytest.mark.parametrize("name, expected", PREVIEW_TEXT.items())
def test_block_preview_renders_with_its_template(name, expected):
    block = BodyStreamBlock.base_blocks[name]
    assert expected in block.render(block.get_preview_value())


def test_call_to_action_needs_exactly_one_destination():
    block = CallToActionBlock()
    value = block.to_python(
        {"heading": "Book", "text": "", "button_label": "Go", "page": None, "url": ""}
    )
    with pytest.raises(ValidationError):
        block.clean(value)
