"""Input stock v3 would crash on, found before any view runs.

Each check answers ``None`` (nothing wrong) or a ``Problem``: the status,
``detail`` and ``errors`` of the RFC 7807 answer ``APIGuardMiddleware`` sends
instead. They cover what v3 and the search backends do not validate
themselves: page ids read from the raw path, integers too big for the
database, NUL characters (PostgreSQL cannot store them), search text the
backends would read as query syntax, snippet keys of the wrong type, and JSON
bodies that are not an object, nest without end or hold numbers no column
can hold.
"""

import json
import re
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from wagtail.coreutils import resolve_model_string
from wagtail.snippets.models import get_snippet_models

from cms.api.urls import api
from cms.core.search import SearchTextTooLong, search_words

PAGE_ID_IN_PATH = re.compile(r"^/api/v3/pages/(?P<page_id>[^/]+)/")
SNIPPET_IN_PATH = re.compile(r"^/api/v3/snippets/(?P<type>[^/]+)/(?P<pk>[^/]+)/")

#: Query parameters v3 or our routers read as integers.
INTEGER_PARAMS = frozenset(
    {
        "id",
        "limit",
        "offset",
        "page_id",
        "child_of",
        "descendant_of",
        "ancestor_of",
        "translation_of",
    }
)
#: The query parameter every searchable v3 list and our own lists read.
SEARCH_PARAM = "search"
#: Larger integers overflow a signed 64-bit column (SQLite raises, not 404s).
MAX_INTEGER = 2**63 - 1
#: Deeper JSON is refused before Python's parser or validators recurse on it;
#: no write schema nests more than a handful of levels (StreamField included).
MAX_BODY_DEPTH = 64
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
#: Bodies these content types carry are files and form fields, not JSON.
FORM_CONTENT_TYPES = frozenset(
    {"multipart/form-data", "application/x-www-form-urlencoded"}
)


@dataclass(frozen=True)
class Problem:
    status: int
    detail: str
    errors: list[dict] = field(default_factory=list)


def invalid_query(request: HttpRequest) -> Problem | None:
    """NUL characters anywhere, unparseable page ids, integers too large."""
    nul = "Requests may not contain NUL characters."
    if "\x00" in request.path:
        return Problem(400, nul, [{"loc": ["path"], "msg": nul}])
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return Problem(400, nul, [{"loc": ["query", key], "msg": nul}])
    match = PAGE_ID_IN_PATH.match(request.path)
    if match and match["page_id"] != "find":
        page_id = match["page_id"]
        if not page_id.isdigit() or int(page_id) > MAX_INTEGER:
            return Problem(
                422,
                "Validation failed",
                [
                    {
                        "type": "int_parsing",
                        "loc": ["path", "page_id"],
                        "msg": "The page id must be a positive whole number.",
                    }
                ],
            )
    for name in INTEGER_PARAMS & set(request.GET):
        for value in request.GET.getlist(name):
            digits = value.strip().lstrip("+-")
            if digits.isdigit() and int(digits) > MAX_INTEGER:
                return Problem(
                    400,
                    f"The query parameter {name!r} is too large.",
                    [{"loc": ["query", name], "msg": "Number too large."}],
                )
    return None


def normalize_search(request: HttpRequest) -> Problem | None:
    """Replace each ``search`` value by its plain words (``search_words``).

    Every endpoint then searches words only, whichever router serves it
    (Wagtail's pages, images, documents and snippets, or our lists). Text
    with no letters or digits, or longer than the limit, is refused here:
    "search for nothing" has no sensible answer, and silently searching a cut
    text would answer a question nobody asked.
    """
    if SEARCH_PARAM not in request.GET:
        return None
    words = []
    for value in request.GET.getlist(SEARCH_PARAM):
        try:
            text = search_words(value)
        except SearchTextTooLong as error:
            return Problem(400, str(error), [search_error(str(error))])
        if not text:
            message = "Search text has no words in it: search for letters or numbers."
            return Problem(400, message, [search_error(message)])
        words.append(text)
    query = request.GET.copy()
    query.setlist(SEARCH_PARAM, words)
    query._mutable = False
    request.GET = query
    return None


def search_error(message: str) -> dict:
    return {"type": "search_text", "loc": ["query", SEARCH_PARAM], "msg": message}


def invalid_snippet_key(request: HttpRequest) -> Problem | None:
    """A key that cannot be the snippet type's primary key is a 404, not a crash.

    v3 looks snippets up with the raw path segment; the database raises on
    ``abc`` for an integer key (or on a number beyond 64 bits). An unknown
    type is left to v3, which refuses it with its own 422.
    """
    match = SNIPPET_IN_PATH.match(request.path)
    if not match:
        return None
    try:
        model = resolve_model_string(match["type"])
    except (LookupError, ValueError):
        return None
    if model not in get_snippet_models():
        return None
    key = unquote(match["pk"])
    pk_field = model._meta.pk
    try:
        value = pk_field.to_python(key)
    except ValidationError:
        value = None
    integer_key = isinstance(pk_field, models.IntegerField)
    if value is None or (integer_key and not 0 < value <= MAX_INTEGER):
        name = model._meta.verbose_name
        return Problem(404, f"No {name} with the key {key!r}.")
    return None


def is_json(content_type: str) -> bool:
    return content_type == "application/json" or content_type.endswith("+json")


class _BadBody(ValueError):
    """Raised by the JSON hooks below; its message is the problem's detail."""


def _parse_int(text: str) -> int:
    value = int(text)
    if abs(value) > MAX_INTEGER:
        raise _BadBody("The request body has a number too large to store.")
    return value


def _parse_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _BadBody("The request body has a number too large to store.")
    return value


def _parse_constant(text: str):
    raise _BadBody(f"The request body has {text}, which is not a JSON number.")


def _depth(data) -> int:
    """How deeply ``data`` nests, walked without recursion."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        value, level = stack.pop()
        if not isinstance(value, dict | list):
            continue
        deepest = max(deepest, level)
        if deepest > MAX_BODY_DEPTH:
            break
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, level + 1) for child in children)
    return deepest


def invalid_body(request: HttpRequest) -> Problem | None:
    """A write's JSON body must be one object v3 can validate without crashing.

    v3's page and snippet writes read ``body["meta"]`` before validating, so
    ``null``, ``[]``, ``"x"`` or ``1`` crashed them. An empty body and form
    uploads are left to v3 (it asks for the fields it needs); any other body
    must say it is JSON (415 otherwise), as the OpenAPI document declares.
    Fields a type cannot write but can read are ignored, as v3 designs it, so
    a page read from the API can be sent back as it is; a name the API does not
    know at all (a typo such as ``titel``) is refused, since ignoring it would
    report success for a change that was never made.
    """
    if request.method not in WRITE_METHODS or request.content_type in (
        FORM_CONTENT_TYPES
    ):
        return None
    body = request.body
    if not body:
        return None
    if not is_json(request.content_type):
        return Problem(
            415,
            f"Send the request body as application/json, not {request.content_type!r}.",
        )
    try:
        data = json.loads(
            body,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
        )
    except _BadBody as error:
        return Problem(400, str(error))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return Problem(400, "The request body is not valid JSON (UTF-8).")
    if not isinstance(data, dict):
        return Problem(400, "The request body must be a JSON object ({…}).")
    if _depth(data) > MAX_BODY_DEPTH:
        return Problem(
            400, f"The request body nests deeper than {MAX_BODY_DEPTH} levels."
        )
    unknown = sorted(set(data) - known_field_names())
    if unknown:
        return Problem(
            422,
            "Validation failed",
            [
                {
                    "type": "extra_forbidden",
                    "loc": ["body", name],
                    "msg": f"Unknown field {name!r}: no content type in this API "
                    "has it. Check the spelling against /api/v3/openapi.json.",
                }
                for name in unknown
            ],
        )
    return None


@cache
def known_field_names() -> frozenset[str]:
    """Every property name the OpenAPI document gives any schema, read or write.

    Built once per process from the document the API serves, so it follows
    every content type and field without a list to keep.
    """
    names: set[str] = set()
    stack = [api.get_openapi_schema()["components"]]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                names.update(properties)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return frozenset(names)


#: In the order they run: cheap checks of the address first, the body last.
CHECKS = (invalid_query, invalid_snippet_key, normalize_search, invalid_body)


def first_problem(request: HttpRequest) -> Problem | None:
    for check in CHECKS:
        problem = check(request)
        if problem is not None:
            return problem
    return None
