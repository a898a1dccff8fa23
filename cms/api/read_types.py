"""Precise read types for v3's generated page and snippet schemas.

Two things v3's read generator leaves loose, fixed where the schemas are
built (not by editing the document afterwards):

- **Text fields.** Ninja types a ``CharField`` or ``TextField`` with
  ``blank=True`` as ``str | None``, though Django stores ``""``, never
  ``NULL``; and a field with ``choices`` as any string. ``text_field_schema``
  types a non-null text field as ``str`` and a field with choices as the
  ``Literal`` of its stored values (an OpenAPI ``enum``). v3 types every
  ``RichTextField`` as ``str | None`` likewise; ``rich_text_field_schema``
  keeps its resolver and drops the ``None`` for a non-null field.
- **The page's type.** v3 names a page's content type only in ``meta.type``,
  which a TypeScript union cannot narrow on (a discriminant must be a
  top-level property). ``page_schema_with_type`` gives every page read schema
  a top-level ``type`` whose value is the model's label (``home.ServicePage``),
  typed as that one ``Literal``.

And one thing it reads slowly: v3 queries a page's tags on its own even when
they were read with the page; ``tags_field_schema`` keeps v3's type and reads
them through ``cms.core.tagging`` (the same names, in the same order).
"""

from typing import Any, Literal, Union, get_args, get_origin

from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from ninja.orm.fields import get_schema_field
from pydantic import Field
from wagtail.api.v3.schemas import PageSchema
from wagtail.api.v3.schemas.generators.read import (
    SchemaGenerator,
    read_generator,
    rich_text_schema,
)
from wagtail.fields import RichTextField

from cms.core.tagging import tag_names


def choice_values(field: models.Field) -> tuple[str, ...]:
    """The values a field with choices can hold.

    ``""`` too when the field may be blank, or has no default: Django then
    stores ``""`` for a row saved without validation (a v3 snippet create
    with an empty body does), and the answer must still match its schema.
    """
    values = [str(value) for value, _label in field.flatchoices]
    if (field.blank or not field.has_default()) and "" not in values:
        values.append("")
    return tuple(values)


def without_none(annotation: Any) -> Any:
    if get_origin(annotation) is Union:
        members = [arg for arg in get_args(annotation) if arg is not type(None)]
        return Union[tuple(members)]  # noqa: UP007 - built at run time
    return annotation


def text_field_schema(generator: SchemaGenerator, field: models.Field):
    """A text field typed by what the database can hold (see the module)."""
    annotation, info = get_schema_field(field)
    if field.choices:
        annotation = Literal[choice_values(field)]  # type: ignore[valid-type]
        # Length limits do not apply to a Literal; the enum says it all.
        info = Field(info.default, title=info.title, description=info.description)
        if field.null:
            annotation = annotation | None
    elif not field.null:
        annotation = without_none(annotation)
    return annotation, info, None


def rich_text_field_schema(generator: SchemaGenerator, field: RichTextField):
    annotation, default, resolver = rich_text_schema(generator, field)
    if not field.null:
        annotation = str
    return annotation, default, resolver


def tags_field_schema(generator: SchemaGenerator, field: ClusterTaggableManager):
    """A page's tag names, as v3 types them, read with the page when they were."""
    field_name = field.name
    return list[str], [], staticmethod(lambda obj: tag_names(obj, field_name))


_stock_generate_schema = read_generator.generate_schema


def page_schema_with_type(model: type[models.Model], base_class: type) -> type:
    """v3's read schema for ``model``, with a top-level ``type`` on pages."""
    if isinstance(base_class, type) and issubclass(base_class, PageSchema):
        label = model._meta.label
        base_class = read_generator.extend_schema(
            base_class,
            f"{model._meta.object_name}TypedBase",
            {
                "type": (
                    Literal[label],  # type: ignore[valid-type]
                    Field(
                        ...,
                        description="The page's content type, e.g. to narrow a union.",
                    ),
                    staticmethod(lambda obj: label),
                )
            },
        )
    return _stock_generate_schema(model, base_class=base_class)


def install() -> None:
    """Called from ``ApiConfig.ready()``, before v3 builds its schemas."""
    read_generator.register_field_schema(models.CharField, text_field_schema)
    read_generator.register_field_schema(models.TextField, text_field_schema)
    read_generator.register_field_schema(RichTextField, rich_text_field_schema)
    read_generator.register_field_schema(ClusterTaggableManager, tags_field_schema)
    read_generator.generate_schema = page_schema_with_type
