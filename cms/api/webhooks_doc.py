"""The webhook payloads in the API's OpenAPI 3.1 document (its ``webhooks`` section).

A frontend generates its API client from ``/api/v3/openapi.json``; listing
the webhooks there too (OpenAPI 3.1's top-level ``webhooks``: one entry per
event, each a ``post`` with the body the receiver gets) types its receiver
from the same document. The bodies are the pydantic models of
``cms/publishing/payloads.py`` (the API reads them; publishing knows nothing
of the API), their schemas filed under ``components/schemas`` as
``Webhook<Model>``.

Self-contained on purpose: ``install`` wraps ``get_openapi_schema`` and only
adds ``webhooks`` and its own ``Webhook*`` schemas, so other rewrites of the
document (``security.install``, and any other) compose with it in any order.
"""

from typing import Any

from ninja import NinjaAPI
from wagtail.models import get_page_models
from wagtail.snippets.models import get_snippet_models

from cms.publishing import signing
from cms.publishing.payloads import PAYLOADS

SCHEMA_PREFIX = "Webhook"
REF_TEMPLATE = "#/components/schemas/" + SCHEMA_PREFIX + "{model}"

HEADERS = (
    (signing.EVENT_HEADER, "The event, as the body's `event`.", "string"),
    (
        signing.ID_HEADER,
        "The delivery id, as the body's `delivery_id`; the same on every retry. "
        "Delivery is at least once: key on it to act only once.",
        "string",
    ),
    (
        signing.TIMESTAMP_HEADER,
        "Unix seconds when this attempt was signed. Reject a notice more than "
        "five minutes from your clock (a replay).",
        "string",
    ),
    (
        signing.SIGNATURE_HEADER,
        "`v1=` and the hex HMAC-SHA256, keyed with the endpoint's secret, of "
        "the timestamp, a dot and the raw body bytes. Reject a notice whose "
        "signature does not match.",
        "string",
    ),
)

DESCRIPTION = (
    "Sent by the CMS to every webhook endpoint that asked for this event "
    "(admin: Settings → Webhooks), as compact JSON, signed (see the headers). "
    "See docs/webhooks.md for what a frontend revalidates."
)


def payload_schemas() -> dict[str, dict]:
    """Each payload model's JSON Schema, and the models they use, by name."""
    schemas: dict[str, dict] = {}
    for model in PAYLOADS.values():
        schema = model.model_json_schema(ref_template=REF_TEMPLATE)
        for name, definition in schema.pop("$defs", {}).items():
            schemas[SCHEMA_PREFIX + name] = definition
        schemas[SCHEMA_PREFIX + model.__name__] = schema
    return schemas


def with_model_enums(schemas: dict[str, dict]) -> dict[str, dict]:
    """Payloads' ``type`` as the set of labels it can take, for generated clients.

    The payload models hold a plain ``str`` because publishing knows no page
    or snippet class; by the time the document is served every model is
    registered, so the labels are listed here.
    """
    page_labels = sorted(model._meta.label for model in get_page_models()[1:])
    snippet_labels = sorted(model._meta.label for model in get_snippet_models())
    for name, schema in schemas.items():
        prop = schema.get("properties", {}).get("type")
        if prop is None or prop.get("type") != "string":
            continue
        labels = snippet_labels if name.endswith("SnippetChanged") else page_labels
        prop["enum"] = labels
    return schemas


def webhook_operation(event: str, model) -> dict:
    summary = (model.__doc__ or event).strip().splitlines()[0]
    return {
        "post": {
            "operationId": "webhook_" + event.replace(".", "_"),
            "summary": summary,
            "description": DESCRIPTION,
            "tags": ["webhooks"],
            "parameters": [
                {
                    "name": name,
                    "in": "header",
                    "required": True,
                    "description": description,
                    "schema": {"type": kind}
                    | ({"const": event} if name == signing.EVENT_HEADER else {}),
                }
                for name, description, kind in HEADERS
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": REF_TEMPLATE.format(model=model.__name__)}
                    }
                },
            },
            "responses": {
                "2XX": {
                    "description": "Received. Any other answer, a redirect or no "
                    "answer within the timeout is retried with backoff."
                }
            },
        }
    }


def with_webhooks(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with a ``webhooks`` entry per event and the bodies' schemas."""
    document.setdefault("components", {}).setdefault("schemas", {}).update(
        with_model_enums(payload_schemas())
    )
    document["webhooks"] = {
        event: webhook_operation(event, model) for event, model in PAYLOADS.items()
    }
    return document


def install(api: NinjaAPI) -> None:
    """Serve the document with its ``webhooks`` section (before URLs are read)."""
    generate = api.get_openapi_schema

    def get_openapi_schema(*, path_prefix=None, path_params=None):
        document = generate(path_prefix=path_prefix, path_params=path_params)
        return with_webhooks(document)

    api.get_openapi_schema = get_openapi_schema
