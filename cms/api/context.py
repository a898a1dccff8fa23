"""Give the clinic's typed API fields the request, which v3's shim withholds.

v3 runs an ``APIField(serializer=…)`` through one shared, bound copy of the DRF
field and calls ``to_representation(value)`` without the request, so links
would come out without the site's address and visibility could not be cached
per request. For our own fields (``ReadOnlyField`` subclasses) this resolver
calls ``represent(value, request)`` instead. The OpenAPI type is the field's
``api_type()``, and it admits ``null`` only when the field says it can be empty
(``ReadOnlyField.nullable``): v3 makes every such field optional and nullable,
which a generated client would have to check for nothing. Other serializers
keep the stock path.
"""

import copy

from rest_framework.fields import SkipField
from wagtail.api.v3.schemas.generators.read import SchemaGenerator, read_generator

from cms.core.serializers.fields import ReadOnlyField

_stock = SchemaGenerator._custom_serializer_schema


def custom_serializer_schema(api_field):
    if not isinstance(api_field.serializer, ReadOnlyField):
        return _stock(api_field)
    serializer = copy.deepcopy(api_field.serializer)
    serializer.bind(field_name=api_field.name, parent=None)
    annotation = serializer.api_type()
    if serializer.nullable:
        annotation = annotation | None

    def resolve(obj, context: dict):
        try:
            value = serializer.get_attribute(obj)
        except SkipField:
            return None
        if value is None:
            return None
        return serializer.represent(value, context.get("request"))

    # ``...``: always in the payload, so required in the document.
    return annotation, ..., staticmethod(resolve)


def install():
    """Called from ``ApiConfig.ready()``, before v3 builds its page schemas."""
    read_generator._custom_serializer_schema = custom_serializer_schema
