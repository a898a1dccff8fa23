"""Content writes: every editor-facing field through v3 create and patch, typed.

Stock v3 writes only the fields a model marks ``APIField(name, writable=True)``
and types a StreamField as a list of anything. Marking a read field writable
would change what it reads as (our reads type conditions, images and linked
pages through serializers, which v3 then refuses to write), so page types list
the names they accept in ``api_write_fields`` instead; this module adds them to
v3's create and patch schemas, typed the way v3 types any field of that kind:

- a plain field (text, date, boolean, choice) as the model field;
- a foreign key (an image, the reviewing clinician) as the chosen row's id;
- a ``ParentalManyToManyField`` (conditions) as a list of ids;
- an inline child relation (key points, related studies, approaches) as a list
  of its rows, each with the child model's writable ``api_fields``;
- a StreamField as the same ``type``-discriminated union the reads use
  (``cms/api/streamfield.py``), with an image's or page's id where reads
  expand it, so a script can send back what it read with ids in place.

Everything is then bound to the page type's own editor form, so the admin's
validation runs unchanged (``cms/api/forms.py``); ids that name nothing are
refused while the body is read, with the block they are in named in ``loc``.
"""

from typing import Annotated, Any, Literal, Union

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from ninja.orm.fields import get_schema_field
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    create_model,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError
from wagtail import blocks
from wagtail.api.conf import get_model_field
from wagtail.api.v3.schemas import create_generator, patch_generator
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page

from cms.api.streamfield import BlockValueModel, StreamTyper, TypedBlock, pascal

#: Schema names of the write types end so, apart from the read types.
INPUT_SUFFIX = "Input"


def _unused(value, context):
    """Write types are only validated, never serialised from a value."""
    raise NotImplementedError


def image_id(value: int | None) -> int | None:
    """An image id that names an image in the library."""
    if value is not None and not get_image_model().objects.filter(pk=value).exists():
        raise PydanticCustomError("not_found", "no image with id {id}", {"id": value})
    return value


def page_id_of(model: type[Page]):
    """A validator: a page id that names a page of ``model`` (any page for Page)."""

    def check(value: int | None) -> int | None:
        if value is not None and not model.objects.filter(pk=value).exists():
            kind = "page" if model is Page else model._meta.verbose_name
            raise PydanticCustomError(
                "not_found", "no {kind} with id {id}", {"kind": kind, "id": value}
            )
        return value

    return check


def id_of(value):
    """An object read from the API (``{"id": 3, …}``) stands for its id.

    So a page read from the API can be sent back as it is: its conditions,
    images and linked pages come back as the rows they were read as.
    """
    if isinstance(value, dict) and "id" in value:
        return value["id"]
    return value


ReadId = BeforeValidator(id_of)
ImageId = Annotated[int, ReadId, AfterValidator(image_id)]


def api_value(block: blocks.Block, value):
    """``value`` of ``block`` in the write shape: list items bare, no block ids.

    Used for block defaults, which the document shows; ``get_prep_value``
    would give list items new random ids each time it is built.
    """
    if value is None:
        return None
    if isinstance(block, blocks.ListBlock):
        # A new list block starts with empty items to fill in: none, here.
        return []
    if isinstance(block, blocks.StreamBlock):
        return [
            {"type": child.block_type, "value": api_value(child.block, child.value)}
            for child in value
        ]
    if isinstance(block, blocks.StructBlock) and not isinstance(block, ImageBlock):
        return {
            name: api_value(child, value.get(name))
            for name, child in block.child_blocks.items()
        }
    return block.get_prep_value(value)


class ImageInputModel(BlockValueModel):
    """Also takes the image as reads give it (``id``, ``alt``, ``decorative``)."""

    @model_validator(mode="before")
    @classmethod
    def from_read(cls, value):
        if isinstance(value, dict) and "id" in value and "image" not in value:
            return {
                "image": value["id"],
                "alt_text": value.get("alt") or "",
                "decorative": bool(value.get("decorative")),
            }
        return value


class InputStreamTyper(StreamTyper):
    """The read types of ``StreamTyper``, with ids where reads expand a row.

    Struct members keep their read names and order; a member the block does
    not require, or that has a default, may be left out: it then has the
    block's default, as a new block in the editor has.
    """

    def schema_name(self, block, path, suffix):
        return super().schema_name(block, path, suffix) + INPUT_SUFFIX

    def image_chooser(self, block, path) -> TypedBlock:
        return TypedBlock(ImageId | None, _unused)

    def image(self, block, path) -> TypedBlock:
        name = self.schema_name(block, path, "Value")
        if name not in self._models:
            model = create_model(
                name,
                __base__=ImageInputModel,
                __doc__="An image from the library, by id, with its alt text.",
                image=(ImageId, ...),
                alt_text=(str, ""),
                decorative=(bool, False),
            )
            self._models[name] = TypedBlock(model, _unused)
        typed = self._models[name]
        if block.required:
            return typed
        return TypedBlock(typed.annotation | None, _unused)

    def page_chooser(self, block, path) -> TypedBlock:
        checked = Annotated[int, ReadId, AfterValidator(page_id_of(block.target_model))]
        return TypedBlock(checked | None, _unused)

    def embed(self, block, path) -> TypedBlock:
        return TypedBlock(str | None, _unused)

    def struct(self, block: blocks.StructBlock, path) -> TypedBlock:
        name = self.schema_name(block, path, "Value")
        if name in self._models:
            return self._models[name]
        fields = {}
        for child_name, child in block.child_blocks.items():
            typed = self.typed(child, f"{path}_{child_name}")
            default = api_value(child, child.get_default())
            if default not in (None, "", [], {}):
                # Left out, it is the block's default, as in a new block.
                fields[child_name] = (typed.annotation, default)
            elif child.required:
                fields[child_name] = (typed.annotation, ...)
            else:
                fields[child_name] = (typed.annotation | None, None)
        model = create_model(
            name,
            __base__=BlockValueModel,
            __doc__=(type(block).__doc__ or "").strip() or None,
            **fields,
        )
        self._models[name] = TypedBlock(model, _unused)
        return self._models[name]

    def stream(self, block: blocks.StreamBlock, path) -> TypedBlock:
        name = self.schema_name(block, path, "")
        if name in self._models:
            return self._models[name]
        members = []
        for child_name, child in block.child_blocks.items():
            typed = self.typed(child, f"{path}_{child_name}")
            members.append(
                create_model(
                    f"{name.removesuffix(INPUT_SUFFIX)}{pascal(child_name)}"
                    f"{INPUT_SUFFIX}",
                    __base__=BlockValueModel,
                    __doc__=str(getattr(child.meta, "description", "") or child.label),
                    type=(Literal[child_name], ...),
                    id=(str | None, None),
                    value=(typed.annotation, ...),
                )
            )
        union = Annotated[
            Union[tuple(members)],  # noqa: UP007 - built at run time
            Field(discriminator="type"),
        ]
        self._models[name] = TypedBlock(list[union], _unused)
        return self._models[name]


# The read typer's order (subclasses first), with this class's methods.
InputStreamTyper.handlers = [
    (block_class, getattr(InputStreamTyper, method.__name__))
    for block_class, method in StreamTyper.handlers
]
input_typer = InputStreamTyper()


def typed_stream_input_schema(generator, field: StreamField):
    """Write-generator hook: a StreamField as the typed, discriminated list."""
    typed = input_typer.typed(field.stream_block, type(field.stream_block).__name__)
    return typed.annotation, []


def write_only_fields(generator, model) -> dict[str, tuple[Any, Any]]:
    """``{name: (annotation, default)}`` for the names in ``model.api_write_fields``.

    Typed by the generator's own field hooks (rich text, StreamField, child
    relations, foreign keys), or as the model field, exactly as v3 types a
    writable ``APIField``; optional on patch.
    """
    extra: dict[str, tuple[Any, Any]] = {}
    for name in getattr(model, "api_write_fields", ()):
        try:
            model_field = get_model_field(model, name)
        except FieldDoesNotExist as error:
            raise ImproperlyConfigured(
                f"{model._meta.label}.api_write_fields names {name!r}, which is "
                "not a field of the model."
            ) from error
        for cls in type(model_field).mro():
            if cls in generator.field_schemas:
                schema = generator.field_schemas[cls](generator, model_field)
                break
        else:
            if model_field.many_to_many:
                # ninja makes a list of ids required even when the field is blank.
                schema = (
                    list[Annotated[int, ReadId]],
                    FieldInfo(default_factory=list, description=model_field.help_text),
                )
            else:
                schema = get_schema_field(model_field)
        if schema is not None and model_field.one_to_many:
            schema = _rows_from_links(model_field.related_model, schema)
        if schema is None:
            raise ImproperlyConfigured(
                f"{model._meta.label}.{name} has no writable shape in the API."
            )
        if generator.for_update:
            schema = generator._make_optional(schema)
        extra[name] = schema
    return extra


def with_choice_values(model, fields: dict[str, tuple[Any, Any]]) -> dict:
    """Fields with choices typed as their values (an enum), not any string.

    ninja types a ``CharField`` with choices as ``str``; the editor form then
    refuses a wrong value, but a generated client could not know the set.
    The field keeps its default and requiredness; a length limit means
    nothing for a fixed set, so it is dropped.
    """
    typed = dict(fields)
    for name, (annotation, default) in fields.items():
        try:
            model_field = get_model_field(model, name)
        except FieldDoesNotExist:
            continue
        if not getattr(model_field, "choices", None) or model_field.many_to_many:
            continue
        values = tuple(str(value) for value, _label in model_field.flatchoices)
        choice = Literal[values]  # type: ignore[valid-type]
        optional = type(None) in getattr(annotation, "__args__", ())
        if isinstance(default, FieldInfo):
            default = FieldInfo(
                default=default.default,
                title=default.title,
                description=default.description,
            )
        typed[name] = (choice | None if optional else choice, default)
    return typed


def _rows_from_links(child_model, schema):
    """Rows that only choose one row elsewhere also take it as reads give it.

    Related studies and article authors are read as the studies and the
    clinicians themselves (``{"id": 9, "title": …}``); sent back so, each is
    the row choosing that study or clinician.
    """
    choosers = [
        field
        for field in child_model._meta.concrete_fields
        if field.is_relation
        and not field.primary_key
        and field.editable
        and field.name != "page"
    ]
    if len(choosers) != 1:
        return schema
    key = choosers[0].attname

    def from_links(items):
        if not isinstance(items, list):
            return items
        return [
            {key: item["id"]}
            if isinstance(item, dict)
            and "id" in item
            and key not in item
            and len(item) > 1
            else item
            for item in items
        ]

    annotation, default = schema
    return Annotated[annotation, BeforeValidator(from_links)], default


def install() -> None:
    """Extend v3's create and patch generators; before v3 builds its schemas.

    v3 has no hook for fields a model writes but reads differently, so each
    generator's ``_build_extra_fields`` (the step that adds ``api_fields``
    extras) is wrapped to add ``api_write_fields`` too.
    """
    for generator in (create_generator, patch_generator):
        generator.register_field_schema(StreamField, typed_stream_input_schema)
        if getattr(generator, "_clinic_writes", False):
            continue
        stock = generator._build_extra_fields

        def build_extra_fields(model, stock=stock, generator=generator):
            fields = {**stock(model), **write_only_fields(generator, model)}
            return with_choice_values(model, fields)

        generator._build_extra_fields = build_extra_fields
        generator._clinic_writes = True
