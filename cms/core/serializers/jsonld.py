"""The page's JSON-LD graph in API payloads: the very object the HTML embeds.

``cms.core.jsonld.page_graph`` builds it for both, so a headless frontend can
print it into ``<script type="application/ld+json">`` unchanged. JSON-LD is
open-ended, so it is typed as recursive JSON (never ``Any``).
"""

from typing import Union

from typing_extensions import TypeAliasType, TypedDict

from cms.core import jsonld
from cms.core.serializers.fields import ReadOnlyField

JsonLdValue = TypeAliasType(
    "JsonLdValue",
    Union[  # noqa: UP007 - a recursive alias needs the explicit form
        str, int, float, bool, None, list["JsonLdValue"], dict[str, "JsonLdValue"]
    ],
)

JsonLdDocument = TypedDict(
    "JsonLdDocument",
    {"@context": str, "@graph": list[dict[str, JsonLdValue]]},
)


class JsonLdField(ReadOnlyField):
    """The page's schema.org graph, as ``cms.core.jsonld.page_graph`` builds it.

    The page supplies its clinic settings (``BasePage.clinic_settings``), so
    this module needs no model import.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, value) -> JsonLdDocument:
        return self.represent(value, None)

    def represent(self, value, request):
        return jsonld.page_graph(value, value.clinic_settings(), request)
