"""The StreamField typer: every block typed, unknown blocks refused at start-up."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from pydantic import TypeAdapter, ValidationError
from wagtail import blocks

from cms.api.streamfield import StreamTyper
from cms.core.blocks import BodyStreamBlock


class ColourBlock(blocks.FieldBlock):
    """A block type the typer has never heard of."""


def test_an_unknown_block_type_stops_start_up():
    stream = blocks.StreamBlock([("colour", ColourBlock())])
    with pytest.raises(ImproperlyConfigured, match="ColourBlock"):
        StreamTyper().typed(stream, "ColourStream")


def test_body_schema_accepts_its_own_shape_and_refuses_others():
    typed = StreamTyper().typed(BodyStreamBlock(), "BodyStreamBlock")
    adapter = TypeAdapter(typed.annotation)
    heading = {"type": "heading", "id": "a", "value": {"text": "Hi", "level": "h2"}}
    assert adapter.validate_python([heading])[0].value.text == "Hi"
    with pytest.raises(ValidationError):
        adapter.validate_python([{**heading, "value": {"text": "Hi", "level": "h9"}}])
    with pytest.raises(ValidationError):
        adapter.validate_python([{"type": "marquee", "value": "Hi"}])


def test_serialised_body_validates_against_its_schema():
    block = BodyStreamBlock()
    typed = StreamTyper().typed(block, "BodyStreamBlock")
    value = block.to_python(
        [
            {"type": "heading", "value": {"text": "Risks", "level": "h3"}},
            {"type": "key_points", "value": {"heading": "Key", "points": ["One"]}},
            {
                "type": "faq",
                "value": {
                    "heading": "FAQ",
                    "items": [{"question": "Why?", "answer": "<p>Because.</p>"}],
                },
            },
            {
                "type": "call_to_action",
                "value": {"heading": "Book", "url": "https://e.x"},
            },
        ]
    )
    data = typed.serialize(value, {})
    TypeAdapter(typed.annotation).validate_python(data)
    assert data[1]["value"] == {"heading": "Key", "points": ["One"]}
    assert data[2]["value"]["items"] == [
        {"question": "Why?", "answer": "<p>Because.</p>"}
    ]
    assert data[3]["value"]["page"] is None
