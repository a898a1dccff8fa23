"""Detail schemas: the same typed page schema v3 builds, reused by our routers.

v3's registry already holds a read schema per page type, generated from the
model's ``api_fields`` (with our typed StreamField and embedded snippets). Our
detail and lookup-by-path endpoints, and preview, answer with exactly that
schema, so a frontend has one type per page whichever route it used.
"""

from wagtail.api.v3.registry import registry


def detail_schema(model):
    registration = registry.get(model._meta.label)
    if registration is None:  # pragma: no cover - every page model registers
        raise LookupError(f"{model._meta.label} has no v3 read schema")
    return registration.read_schema
