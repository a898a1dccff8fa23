"""The table block: accessible HTML, the checks editors get, its API shape."""

import pydantic
import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from pydantic import TypeAdapter
from wagtail.test.utils.wagtail_tests import WagtailTestUtils

from cms.api.streamfield import StreamTyper
from cms.core.blocks import BodyStreamBlock, DataTableBlock
from home.tests.factories import ServicePageFactory

SCHEDULE = {
    "table_caption": "Infusion schedule",
    "table_header_choice": "row",
    "data": [
        ["Visit", "Dose", "Time in clinic"],
        ["First infusion", "0.5 mg/kg", "About 2 hours"],
        ["Later infusions", "Set by your clinician", "About 2 hours"],
    ],
}


def cleaned(**changes):
    block = DataTableBlock()
    return block.clean(block.to_python({**SCHEDULE, **changes}))


def problems(**changes) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        cleaned(**changes)
    return refused.value.messages


def soup_of(value, block=None):
    block = block or DataTableBlock()
    return WagtailTestUtils.get_soup(block.render(block.to_python(value)))


# Rendering -------------------------------------------------------------------


def test_renders_a_captioned_table_with_column_headings():
    soup = soup_of(cleaned())
    table = soup.select_one("table.data-table")
    assert table.caption.get_text(strip=True) == "Infusion schedule"
    headings = table.select("thead th")
    assert [th.get_text(strip=True) for th in headings] == [
        "Visit",
        "Dose",
        "Time in clinic",
    ]
    assert {th["scope"] for th in headings} == {"col"}
    rows = table.select("tbody tr")
    assert [td.get_text(strip=True) for td in rows[0].find_all("td")] == [
        "First infusion",
        "0.5 mg/kg",
        "About 2 hours",
    ]
    # Pasted cells stay cells: no "Dose0.5 mg/kg".
    assert "Dose0.5" not in soup.get_text()


def test_table_scrolls_inside_a_labelled_focusable_region():
    soup = soup_of(cleaned())
    region = soup.select_one("div.table-scroll")
    assert region["role"] == "region"
    assert region["aria-label"] == "Infusion schedule"
    assert region["tabindex"] == "0"
    assert region.select_one("table.data-table") is not None
    stylesheet = soup.select_one('link[rel="stylesheet"]')
    assert stylesheet["href"].endswith("core/blocks/table.css")


def test_first_column_headings_are_row_headers():
    soup = soup_of(cleaned(table_header_choice="both"))
    first_cells = soup.select("tbody tr > :first-child")
    assert [cell.name for cell in first_cells] == ["th", "th"]
    assert {cell["scope"] for cell in first_cells} == {"row"}


def test_cells_are_escaped():
    data = [["Step", "Note"], ["One", "<script>alert(1)</script>"]]
    soup = soup_of(cleaned(data=data))
    assert soup.select("script") == []
    assert "<script>alert(1)</script>" in soup.select_one("tbody td + td").text


def test_stylesheet_keeps_the_scroll_inside_the_table_box():
    with open(finders.find("core/blocks/table.css")) as stylesheet:
        css = stylesheet.read()
    rule = css.split(".table-scroll {", 1)[1].split("}", 1)[0]
    assert "overflow-x: auto" in rule
    assert "max-width: 100%" in rule


@pytest.mark.django_db
def test_table_in_a_page_body_renders_on_the_page(service_index, client):
    service = ServicePageFactory(
        parent=service_index, body=[{"type": "table", "value": SCHEDULE}]
    )
    html = client.get(service.url).content.decode()
    assert "<caption>Infusion schedule</caption>" in html
    assert '<th scope="col"' in html


def test_preview_value_renders():
    block = BodyStreamBlock.base_blocks["table"]
    soup = soup_of(block.get_preview_value(), block)
    assert soup.caption.get_text(strip=True) == "Example infusion schedule"
    assert block.meta.label == "Table"
    assert "Paste cells from Excel" in str(block.field.help_text)


# Checks ------------------------------------------------------------------------


def test_caption_is_required():
    [message] = problems(table_caption="  ")
    assert message.startswith("Add a table caption")


@pytest.mark.parametrize("choice", ["neither", "column"])
def test_a_header_row_is_required(choice):
    [message] = problems(table_header_choice=choice)
    assert "Display the first row as a header" in message


def test_every_column_needs_a_heading():
    data = [["Visit", "", "Time"], ["First", "0.5 mg/kg", "2 hours"]]
    assert problems(data=data) == ["Every column needs a heading in the first row."]


def test_a_table_needs_a_row_under_the_headings():
    assert problems(data=[["Visit", "Dose"], ["", ""]]) == [
        "Add at least one row under the headings."
    ]


def test_empty_rows_and_columns_left_by_pasting_are_dropped():
    data = [
        ["Visit", "Dose", None],
        ["First infusion", " 0.5 mg/kg\n", ""],
        [None, None, None],
    ]
    value = cleaned(data=data)
    assert value["data"] == [["Visit", "Dose"], ["First infusion", "0.5 mg/kg"]]
    assert value["first_row_is_table_header"] is True


def test_a_draft_may_hold_an_unfinished_table():
    block = DataTableBlock()
    block.defer_required_validation()
    value = block.clean(block.to_python({**SCHEDULE, "table_caption": ""}))
    assert value["table_caption"] == ""


# API ------------------------------------------------------------------------------


def test_api_gives_caption_columns_and_rows_typed():
    stream = BodyStreamBlock()
    typed = StreamTyper().typed(stream, "BodyStreamBlock")
    value = stream.to_python([{"type": "table", "id": "t1", "value": cleaned()}])
    data = typed.serialize(value, {})
    assert data == [
        {
            "type": "table",
            "id": "t1",
            "value": {
                "caption": "Infusion schedule",
                "columns": ["Visit", "Dose", "Time in clinic"],
                "rows": [
                    ["First infusion", "0.5 mg/kg", "About 2 hours"],
                    ["Later infusions", "Set by your clinician", "About 2 hours"],
                ],
                "row_headers": False,
            },
        }
    ]
    TypeAdapter(typed.annotation).validate_python(data)


def test_api_schema_refuses_a_table_of_the_wrong_shape():
    typed = StreamTyper().typed(BodyStreamBlock(), "BodyStreamBlock")
    adapter = TypeAdapter(typed.annotation)
    with pytest.raises(pydantic.ValidationError, match="columns"):
        adapter.validate_python(
            [{"type": "table", "value": {"caption": "x", "rows": [], "row_headers": 0}}]
        )
