"""The OpenAPI document as a client generator needs it: what every answer holds.

Ninja and v3 describe the success answers; a generated client (e.g.
openapi-typescript) also needs to know which keys are always there, what an
error looks like and what the ``find`` endpoints really do. Two steps, both
installed on the API by ``install`` (``cms/api/urls.py``):

- ``mark_always_present(api)``, before the document is generated: every
  pydantic model an operation answers with is serialised with all its fields
  (Ninja never drops unset or ``None`` fields), so each gets pydantic's own
  ``json_schema_serialization_defaults_required``: a field with a default is
  still ``required`` in the answer's schema (``null`` stays allowed where the
  type allows it). TypedDict keys keep their own ``NotRequired``, which is
  real: a JSON-LD node leaves an unknown detail out.
- ``with_typed_answers(document)``, after: the shared ``ProblemDetail``
  schema and the ``application/problem+json`` 4xx answers of every operation;
  the 302 of v3's generic ``find`` endpoints; and a ``discriminator`` on
  every union of page details, which all carry a top-level ``type`` const
  (``cms/api/read_types.py``).

Other hooks (e.g. the ``webhooks`` section) wrap ``get_openapi_schema`` the
same way and do not depend on this one.
"""

import typing
from typing import Any

from ninja import NinjaAPI
from pydantic import BaseModel

from cms.api.security import HTTP_METHODS

PROBLEM_JSON = "application/problem+json"
PROBLEM_REF = "#/components/schemas/ProblemDetail"
BEARER = "BearerTokenAuth"
WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})

#: What ``wagtail.api.v3.errors.problem_response`` sends (``errors`` only when
#: there are some: it dumps with ``exclude_none``); cms/api/guards.py and
#: cms/api/tokens.py answer through the same function.
PROBLEM_DETAIL_SCHEMA = {
    "title": "ProblemDetail",
    "description": (
        "An RFC 7807 problem: every 4xx answer of this API, as "
        "application/problem+json."
    ),
    "type": "object",
    "properties": {
        "type": {
            "type": "string",
            "description": "A URI naming the kind of problem; `about:blank` here.",
        },
        "title": {"type": "string", "description": "The HTTP status in words."},
        "status": {"type": "integer", "description": "The HTTP status code."},
        "detail": {"type": "string", "description": "What went wrong, for people."},
        "errors": {
            "type": "array",
            "description": (
                "Only when there are field errors: where (`loc`) and what (`msg`)."
            ),
            "items": {
                "type": "object",
                "properties": {
                    "type": {"type": "string"},
                    "loc": {
                        "type": "array",
                        "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                    },
                    "msg": {"type": "string"},
                },
                "required": ["msg"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}

PROBLEMS = {
    400: "Bad request: a malformed or unknown query parameter, or NUL characters.",
    401: "No valid credential for an operation that needs one.",
    403: "The credential does not allow this.",
    404: "Nothing here, or not visible to you.",
    409: "The database refused the write (e.g. a duplicate); nothing was changed.",
    422: "Validation failed; `errors` says where.",
    429: "Too many wrong bearer tokens from this address; retry later.",
}

#: v3's ``find`` endpoints answer a redirect to the detail URL, not the object.
REDIRECTING_FIND = {"pages_find": "page", "redirects_find": "redirect"}
#: Anonymous, but with a credential of their own (a signed token).
TOKEN_OPERATIONS = frozenset({"preview_detail"})


# Before generation -----------------------------------------------------------


def models_in(annotation: Any, seen: set) -> None:
    """Every pydantic model ``annotation`` contains, at any depth, into ``seen``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            models_in(field.annotation, seen)
        return
    if typing.is_typeddict(annotation):
        for value in typing.get_type_hints(annotation, include_extras=True).values():
            models_in(value, seen)
        return
    for argument in typing.get_args(annotation):
        models_in(argument, seen)


def operations(api: NinjaAPI):
    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            yield from path_view.operations


def mark_always_present(api: NinjaAPI) -> None:
    """Mark every model an answer holds as "all fields required when serialised".

    A model that is also a request body is left alone: Ninja writes one
    component per model name, and a body's optional fields must stay optional.
    """
    answers: set = set()
    bodies: set = set()
    for operation in operations(api):
        for model in operation.response_models.values():
            if isinstance(model, type) and issubclass(model, BaseModel):
                models_in(model, answers)
        for model in operation.models:
            if isinstance(model, type) and issubclass(model, BaseModel):
                models_in(model, bodies)
    for model in answers - bodies:
        # Each class owns its config dict; pydantic reads it when it writes
        # the schema, and it does not change validation or serialisation.
        model.model_config["json_schema_serialization_defaults_required"] = True


# After generation ------------------------------------------------------------


def problem_answer(description: str) -> dict:
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}},
    }


def problem_statuses(method: str, operation: dict) -> list[int]:
    """The 4xx answers an operation can give, from what it takes and needs."""
    parameters = operation.get("parameters", [])
    security = operation.get("security", [])
    statuses = {400}
    if any(BEARER in requirement for requirement in security):
        statuses |= {401, 403, 429}
    if operation.get("operationId") in TOKEN_OPERATIONS:
        statuses.add(401)
    if any(p.get("in") == "path" for p in parameters) or "find" in (
        operation.get("operationId") or ""
    ):
        statuses.add(404)
    if operation.get("operationId") in TOKEN_OPERATIONS:
        statuses.add(404)
    if parameters or "requestBody" in operation or method in WRITE_METHODS:
        statuses.add(422)
    if method in WRITE_METHODS:
        statuses.add(409)
    return sorted(statuses)


def redirecting_find(operation: dict, thing: str) -> None:
    """v3's generic find answers 302 to the detail URL; say so, keep the type."""
    operation["responses"].pop(200, None)
    operation["responses"][302] = {
        "description": (
            f"Found: the {thing}'s detail URL (with the other query parameters) "
            "is in `Location`; follow it for the object."
        ),
        "headers": {
            "Location": {
                "description": f"The {thing}'s detail endpoint.",
                "required": True,
                "schema": {"type": "string", "format": "uri-reference"},
            }
        },
    }
    operation["description"] = (
        f"Answers 302 to the {thing}'s detail endpoint, never the {thing} "
        "itself; 404 when nothing matches."
    )


def page_type_of(document: dict, ref: str) -> str | None:
    name = ref.rsplit("/", 1)[-1]
    schema = document["components"]["schemas"].get(name, {})
    return schema.get("properties", {}).get("type", {}).get("const")


def add_discriminators(document: dict, node: Any) -> None:
    """A ``oneOf`` whose members all have a ``type`` const is discriminated by it."""
    if isinstance(node, dict):
        members = node.get("oneOf")
        if isinstance(members, list) and "discriminator" not in node:
            refs = [member.get("$ref") for member in members]
            if all(refs):
                types = [page_type_of(document, ref) for ref in refs]
                if all(types) and len(set(types)) == len(types):
                    node["discriminator"] = {
                        "propertyName": "type",
                        "mapping": dict(zip(types, refs, strict=True)),
                    }
                    node["description"] = (
                        "A union of page details, discriminated by their "
                        "top-level `type` (the same label as `meta.type`)."
                    )
        for value in node.values():
            add_discriminators(document, value)
    elif isinstance(node, list):
        for value in node:
            add_discriminators(document, value)


def with_typed_answers(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with problem answers, real ``find`` answers, discriminators."""
    document.setdefault("components", {}).setdefault("schemas", {})
    document["components"]["schemas"]["ProblemDetail"] = PROBLEM_DETAIL_SCHEMA
    for path_item in document.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status in problem_statuses(method, operation):
                responses.setdefault(status, problem_answer(PROBLEMS[status]))
            thing = REDIRECTING_FIND.get(operation.get("operationId"))
            if thing:
                redirecting_find(operation, thing)
    add_discriminators(document, document.get("paths", {}))
    add_discriminators(document, document["components"]["schemas"])
    return document


def install(api: NinjaAPI) -> None:
    """Serve the typed document from ``api`` (before its URLs are read)."""
    generate = api.get_openapi_schema

    def get_openapi_schema(*, path_prefix=None, path_params=None):
        mark_always_present(api)
        document = generate(path_prefix=path_prefix, path_params=path_params)
        return with_typed_answers(document)

    api.get_openapi_schema = get_openapi_schema
