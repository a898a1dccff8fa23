"""The table block: dosing schedules, side-effect tables, what to bring.

Wagtail offers two table blocks. ``TypedTableBlock`` has typed columns, but
editors build it column by column and cannot paste into it. ``TableBlock``
(Handsontable) takes cells pasted from Excel, Google Sheets or a Word table
and keeps them as cells, which is how the clinic's schedules arrive; pasted
into a rich-text paragraph the same table runs together ("Dose0.5 mg/kg").
So this block builds on ``TableBlock``; its cells are plain text, which is
what figures and short phrases need.

On top of it: a caption and a header row are required (screen readers
announce the caption and read each cell with its column heading), empty rows
and columns left over from pasting are dropped, and the table renders inside
a labelled region that scrolls sideways by itself on a phone instead of
widening the page.
"""

from django.core.exceptions import ValidationError
from wagtail.contrib.table_block.blocks import TableBlock

HEADER_ROW_CHOICES = ("row", "both")
ROW_HEADER_CHOICES = ("col", "column", "both")

TABLE_OPTIONS = {
    "startRows": 4,
    "startCols": 3,
    # Room for a pasted schedule without scrolling inside the editor.
    "height": 216,
    "contextMenu": True,
}


def _cell(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def tidy_rows(rows) -> list[list[str]]:
    """Cells as trimmed text, without the empty rows and columns pasting leaves."""
    rows = [[_cell(value) for value in row] for row in rows or []]
    rows = [row for row in rows if any(row)]
    width = max((len(row) for row in rows), default=0)
    rows = [row + [""] * (width - len(row)) for row in rows]
    used = [col for col in range(width) if any(row[col] for row in rows)]
    return [[row[col] for col in used] for row in rows]


class DataTableBlock(TableBlock):
    """A captioned table with a header row, pasted or typed in."""

    def __init__(self, **kwargs):
        kwargs.setdefault("table_options", dict(TABLE_OPTIONS))
        kwargs.setdefault(
            "help_text",
            "Paste cells from Excel, Google Sheets or a Word table, or type them. "
            "The first row must hold the column headings. Right-click a cell to add "
            "or remove rows and columns.",
        )
        super().__init__(**kwargs)

    class Meta:
        icon = "table"
        label = "Table"
        template = "blocks/table_block.html"
        description = "Rows and columns, e.g. a dosing schedule or side effects."
        preview_value = {
            "table_caption": "Example infusion schedule",
            "table_header_choice": "row",
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "data": [
                ["Visit", "Typical dose", "Time in clinic"],
                ["First infusion", "0.5 mg per kg", "About 2 hours"],
                ["Later infusions", "Set by your clinician", "About 2 hours"],
            ],
        }

    def to_python(self, value):
        # The API reads a table as caption, columns and rows; a table sent
        # back in that shape (an API write) is stored as the editor stores it.
        if isinstance(value, dict) and "data" not in value and "columns" in value:
            value = stored_value(value)
        return super().to_python(value)

    def clean(self, value):
        if value:
            value = {
                **value,
                "data": tidy_rows(value.get("data")),
                "table_caption": _cell(value.get("table_caption")),
            }
            # A draft may be half-built; the checks run before it goes live.
            problems = [] if self.is_deferred_validation else table_problems(value)
            if problems:
                raise ValidationError(problems)
        return super().clean(value)

    def render(self, value, context=None):
        # The header choice decides, also for values saved without clean()
        # (the content loader, code): Wagtail's template reads the two flags.
        if value:
            value = {
                **value,
                "first_row_is_table_header": has_header_row(value),
                "first_col_is_header": has_row_headers(value),
            }
        return super().render(value, context)


def stored_value(api_value: dict) -> dict:
    """A table in the API's shape as the editor's (Handsontable's) value."""
    columns = list(api_value.get("columns") or [])
    row_headers = bool(api_value.get("row_headers"))
    if columns:
        choice = "both" if row_headers else "row"
    else:
        choice = "column" if row_headers else "neither"
    rows = list(api_value.get("rows") or [])
    return {
        "table_caption": api_value.get("caption") or "",
        "table_header_choice": choice,
        "first_row_is_table_header": bool(columns),
        "first_col_is_header": row_headers,
        "data": [columns, *rows] if columns else rows,
    }


def has_header_row(value) -> bool:
    return value.get("table_header_choice") in HEADER_ROW_CHOICES or (
        not value.get("table_header_choice")
        and bool(value.get("first_row_is_table_header"))
    )


def has_row_headers(value) -> bool:
    # Wagtail's own clean() knows "column" and its upgrade step writes "col".
    return value.get("table_header_choice") in ROW_HEADER_CHOICES or (
        not value.get("table_header_choice") and bool(value.get("first_col_is_header"))
    )


def table_problems(value) -> list[str]:
    """What stops the table going live, in editors' words (empty if nothing)."""
    problems = []
    rows = value.get("data") or []
    if not value.get("table_caption"):
        problems.append(
            "Add a table caption: a short title saying what the table shows, e.g. "
            "'Infusion schedule'. Screen readers announce it before the table."
        )
    if not has_header_row(value):
        problems.append(
            "Under 'Which cells should be displayed as headers?', choose 'Display "
            "the first row as a header' and put the column headings in the first "
            "row, so each figure is read with its heading."
        )
    elif rows and not all(rows[0]):
        problems.append("Every column needs a heading in the first row.")
    if len(rows) < 2:
        problems.append("Add at least one row under the headings.")
    return problems
