"""StreamField, typed: every block a member of a discriminated union.

Stock v3 types a StreamField as ``array`` of ``{}`` and serialises image and
page choosers as bare ids. This module walks a StreamBlock's definition once,
at start-up, and builds two things side by side for every block:

- a Python type for the OpenAPI document (pydantic models for struct blocks, a
  ``type``-discriminated union for stream children, ``Literal`` for choices);
- a function that turns the block's value into data of exactly that type
  (images as renditions, page choosers as links to live, public pages only).

Both come from the same walk, so the document and the payload cannot drift
apart. A block type it does not know stops start-up with an error rather than
leaving an untyped hole in the schema.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

from django.core.exceptions import ImproperlyConfigured
from pydantic import BaseModel, ConfigDict, Field, create_model
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock, ImageChooserBlock

from cms.core.blocks.tables import has_header_row, has_row_headers
from cms.core.serializers.fields import PageLinkDict, public_page_link
from cms.core.serializers.images import ResponsiveImageDict, responsive_image

Context = dict
Serializer = Callable[[Any, Context], Any]


@dataclass(frozen=True)
class TypedBlock:
    """A block's OpenAPI type and the function that serialises its values."""

    annotation: Any
    serialize: Serializer


class BlockValueModel(BaseModel):
    """Base of every generated block schema: strict about unknown keys."""

    model_config = ConfigDict(extra="forbid")


def pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


class StreamTyper:
    """Builds and caches typed blocks; one schema name per block class."""

    def __init__(self):
        self._models: dict[str, TypedBlock] = {}

    def typed(self, block: blocks.Block, path: str) -> TypedBlock:
        for block_class, method in self.handlers:
            if isinstance(block, block_class):
                return method(self, block, path)
        raise ImproperlyConfigured(
            f"No API type for {type(block).__name__} at {path}; add one to "
            "cms/api/streamfield.py."
        )

    def schema_name(self, block: blocks.Block, path: str, suffix: str) -> str:
        """Named after the block's class, or its path for plain library blocks."""
        cls = type(block)
        if cls.__module__.startswith("wagtail."):
            return f"{pascal(path)}{suffix}"
        return f"{cls.__name__}{suffix}"

    # Leaf blocks -----------------------------------------------------------

    def text(self, block, path) -> TypedBlock:
        return TypedBlock(str, lambda value, context: str(value or ""))

    def rich_text(self, block, path) -> TypedBlock:
        # RichTextBlock honours ?rich_text_format= and expands internal links.
        return TypedBlock(
            str, lambda value, context: block.get_api_representation(value, context)
        )

    def choice(self, block, path) -> TypedBlock:
        values = tuple(str(key) for key, _label in block.field.choices if key != "")
        annotation = Literal[values]  # type: ignore[valid-type]
        if not block.required:
            annotation = annotation | None
        return TypedBlock(annotation, lambda value, context: value or None)

    def integer(self, block, path) -> TypedBlock:
        return TypedBlock(int | None, lambda value, context: value)

    def boolean(self, block, path) -> TypedBlock:
        return TypedBlock(bool, lambda value, context: bool(value))

    def date(self, block, path) -> TypedBlock:
        return TypedBlock(datetime.date | None, lambda value, context: value)

    def embed(self, block, path) -> TypedBlock:
        # The address only: fetching oEmbed HTML would call a third party.
        return TypedBlock(
            str | None, lambda value, context: getattr(value, "url", None) or None
        )

    def image_chooser(self, block, path) -> TypedBlock:
        return TypedBlock(
            ResponsiveImageDict | None,
            lambda value, context: responsive_image(
                value, request=context.get("request")
            ),
        )

    def image(self, block, path) -> TypedBlock:
        """ImageBlock: the image with its contextual alt text or decorative flag."""

        def serialize(value, context):
            if value is None:
                return None
            return responsive_image(
                value,
                request=context.get("request"),
                alt=getattr(value, "contextual_alt_text", None),
                decorative=bool(getattr(value, "decorative", False)),
            )

        return TypedBlock(ResponsiveImageDict | None, serialize)

    def page_chooser(self, block, path) -> TypedBlock:
        return TypedBlock(
            PageLinkDict | None,
            lambda value, context: public_page_link(value, context.get("request")),
        )

    def table(self, block, path) -> TypedBlock:
        """A table as caption, column headings and rows of plain-text cells.

        The stored value is Handsontable's (``data`` with the header mixed in,
        flags for which cells are headers); clients get the reading order.
        """
        name = self.schema_name(block, path, "Value")
        if name in self._models:
            return self._models[name]
        model = create_model(
            name,
            __base__=BlockValueModel,
            __doc__=(type(block).__doc__ or "").strip() or None,
            caption=(str, Field(description="What the table shows.")),
            columns=(
                list[str],
                Field(description="The column headings (the header row)."),
            ),
            rows=(
                list[list[str]],
                Field(description="The rows under the headings, cell by cell."),
            ),
            row_headers=(
                bool,
                Field(description="Whether each row's first cell heads that row."),
            ),
        )

        def serialize(value, context):
            if not value:
                return None
            data = [
                [str(cell or "") for cell in row] for row in value.get("data") or []
            ]
            header = bool(data) and has_header_row(value)
            return {
                "caption": value.get("table_caption") or "",
                "columns": data[0] if header else [],
                "rows": data[1:] if header else data,
                "row_headers": has_row_headers(value),
            }

        self._models[name] = TypedBlock(model | None, serialize)
        return self._models[name]

    # Containers --------------------------------------------------------------

    def struct(self, block: blocks.StructBlock, path) -> TypedBlock:
        name = self.schema_name(block, path, "Value")
        if name in self._models:
            return self._models[name]
        children = {
            child_name: self.typed(child, f"{path}_{child_name}")
            for child_name, child in block.child_blocks.items()
        }
        model = create_model(
            name,
            __base__=BlockValueModel,
            __doc__=(type(block).__doc__ or "").strip() or None,
            **{key: (typed.annotation, ...) for key, typed in children.items()},
        )

        def serialize(value, context):
            return {
                key: typed.serialize(value.get(key), context)
                for key, typed in children.items()
            }

        self._models[name] = TypedBlock(model, serialize)
        return self._models[name]

    def list_(self, block: blocks.ListBlock, path) -> TypedBlock:
        child = self.typed(block.child_block, f"{path}_item")

        def serialize(value, context):
            return [child.serialize(item, context) for item in value or []]

        return TypedBlock(list[child.annotation], serialize)

    def stream(self, block: blocks.StreamBlock, path) -> TypedBlock:
        """A list of ``{type, id, value}`` members, discriminated by ``type``."""
        name = self.schema_name(block, path, "")
        if name in self._models:
            return self._models[name]
        members = {}
        children = {}
        for child_name, child in block.child_blocks.items():
            typed = self.typed(child, f"{path}_{child_name}")
            children[child_name] = typed
            members[child_name] = create_model(
                f"{name}{pascal(child_name)}",
                __base__=BlockValueModel,
                __doc__=str(getattr(child.meta, "description", "") or child.label),
                type=(Literal[child_name], ...),
                id=(str | None, None),
                value=(typed.annotation, ...),
            )
        union = Annotated[
            Union[tuple(members.values())],  # noqa: UP007 - built at run time
            Field(discriminator="type"),
        ]

        def serialize(value, context):
            return [
                {
                    "type": item.block_type,
                    "id": item.id,
                    "value": children[item.block_type].serialize(item.value, context),
                }
                for item in value or []
                if item.block_type in children
            ]

        self._models[name] = TypedBlock(list[union], serialize)
        return self._models[name]

    # Order matters: subclasses before the classes they extend.
    handlers: list[tuple[type, Callable]] = [
        (TableBlock, table),
        (ImageBlock, image),
        (ImageChooserBlock, image_chooser),
        (blocks.PageChooserBlock, page_chooser),
        (EmbedBlock, embed),
        (blocks.RichTextBlock, rich_text),
        (blocks.ChoiceBlock, choice),
        (blocks.BooleanBlock, boolean),
        (blocks.IntegerBlock, integer),
        (blocks.DateBlock, date),
        (blocks.CharBlock, text),
        (blocks.TextBlock, text),
        (blocks.URLBlock, text),
        (blocks.EmailBlock, text),
        (blocks.StreamBlock, stream),
        (blocks.ListBlock, list_),
        (blocks.StructBlock, struct),
    ]


typer = StreamTyper()


def typed_stream_schema(generator, field):
    """``read_generator`` hook: a StreamField as a typed, discriminated list."""
    typed = typer.typed(field.stream_block, type(field.stream_block).__name__)
    field_name = field.name

    def resolve(obj, context: dict):
        return typed.serialize(getattr(obj, field_name), context)

    return typed.annotation, [], staticmethod(resolve)
