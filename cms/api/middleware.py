"""One middleware for the API's edges: refuse input v3 would crash on, cache reads.

Input: a few requests make stock v3 answer 500 before any of its validation
runs. ``PATCH /api/v3/pages/abc/`` looks the page type up with the raw path
segment before the path is validated; integers too big for the database
overflow in SQLite; a NUL character breaks PostgreSQL. Those are refused here
with the same RFC 7807 ``application/problem+json`` body v3 uses.

Caching: anonymous GETs get a strong ``ETag`` and ``Cache-Control: public,
max-age=API_CACHE_MAX_AGE`` and a 304 for a matching ``If-None-Match``.
Answers to token holders and previews are ``private, no-store``: they may
contain drafts.
"""

import hashlib
import re

from django.conf import settings
from django.db import transaction
from django.utils.cache import get_conditional_response, patch_vary_headers
from wagtail.api.v3.errors import problem_response

API_PREFIX = "/api/v3/"
PREVIEW_PREFIX = "/api/v3/preview/"
PAGE_ID_IN_PATH = re.compile(r"^/api/v3/pages/(?P<page_id>[^/]+)/")
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
#: Larger integers overflow a signed 64-bit column (SQLite raises, not 404s).
MAX_INTEGER = 2**63 - 1


def invalid_input(request) -> tuple[int, str, list[dict]] | None:
    """Why the request cannot be served (status, detail, errors), or None."""
    query_text = "".join(
        f"{key}{value}" for key, values in request.GET.lists() for value in values
    )
    if "\x00" in request.path or "\x00" in query_text:
        return 400, "Requests may not contain NUL characters.", []
    match = PAGE_ID_IN_PATH.match(request.path)
    if match and match["page_id"] != "find":
        page_id = match["page_id"]
        if not page_id.isdigit() or int(page_id) > MAX_INTEGER:
            return (
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
                return (
                    400,
                    f"The query parameter {name!r} is too large.",
                    [{"loc": ["query", name], "msg": "Number too large."}],
                )
    return None


class APIGuardMiddleware:
    """Refuse input v3 would crash on; make writes all-or-nothing; cache reads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        problem = invalid_input(request)
        if problem is not None:
            status, detail, errors = problem
            return problem_response(status=status, detail=detail, errors=errors or None)
        if request.method == "OPTIONS":
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return self._write(request)
        response = self.get_response(request)
        private = "HTTP_AUTHORIZATION" in request.META or request.path.startswith(
            PREVIEW_PREFIX
        )
        patch_vary_headers(response, ["Authorization"])
        if private:
            response["Cache-Control"] = "private, no-store"
            return response
        if response.status_code != 200 or response.streaming:
            return response
        if not response.has_header("ETag"):
            digest = hashlib.sha256(response.content).hexdigest()[:32]
            response["ETag"] = f'"{digest}"'
        response["Cache-Control"] = f"public, max-age={settings.API_CACHE_MAX_AGE}"
        conditional = get_conditional_response(
            request, etag=response["ETag"], response=response
        )
        return conditional

    def _write(self, request):
        """An API write is one transaction, undone whenever it is refused.

        A create or patch with ``"action": "publish"`` saves the page before
        it publishes; if the publish rules refuse (422) or anything else fails,
        nothing of it stays, so "refused" means "the page is as it was".
        """
        with transaction.atomic():
            response = self.get_response(request)
            if response.status_code >= 400:
                transaction.set_rollback(True)
        return response
