"""One middleware for the API's edges: limit token guessing, refuse input v3
would crash on, make writes all-or-nothing, cache reads.

Tokens: an address that sent too many wrong bearer tokens gets 429 for any
request with a token until its window ends (``cms/api/tokens.py``).

Input: a few requests make stock v3 answer 500 before any of its validation
runs (``PATCH /api/v3/pages/abc/``, integers too big for the database, NUL
characters, search text with quotes, JSON bodies that are not objects). The
checks in ``cms/api/guards.py`` refuse those with the same RFC 7807
``application/problem+json`` body v3 uses, and reduce every ``search``
parameter to plain words.

Database refusals: a write v3 let through its validation but the database
refuses (a uniqueness rule v3's form does not check, a value too large for
its column) is a 409 or 422 problem, not a 500; the write is undone.

Caching: anonymous GETs get a strong ``ETag`` and ``Cache-Control: public,
max-age=API_CACHE_MAX_AGE`` and a 304 for a matching ``If-None-Match``; they
are answered from the API cache (``cms/api/cache.py``), whose ETag is derived
from the content generation, so a 304 renders nothing. Answers to token
holders and previews are ``private, no-store``: they may contain drafts.
"""

import hashlib
import logging

from django.db import DataError, IntegrityError, transaction
from django.utils.cache import get_conditional_response
from wagtail.api.v3.errors import problem_response

from cms.api import tokens
from cms.api.cache import CachedRead, is_private, public_headers, vary
from cms.api.guards import first_problem

logger = logging.getLogger(__name__)

API_PREFIX = "/api/v3/"


class APIGuardMiddleware:
    """Limit token guessing; refuse bad input; writes all-or-nothing; cache reads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        token = tokens.presented_token(request)
        if token is not None and (limited := tokens.refused(request)):
            return tokens.too_many_failures(limited)
        problem = first_problem(request)
        if problem is not None:
            return problem_response(
                status=problem.status,
                detail=problem.detail,
                errors=problem.errors or None,
            )
        response = self._serve(request)
        if token is not None and not tokens.token_accepted(request, token):
            tokens.count_failure(request)
        return response

    def process_exception(self, request, exception):
        """A write the database refuses is the caller's conflict, not our crash."""
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, IntegrityError):
            logger.warning("API write refused by the database: %s", exception)
            return problem_response(
                status=409,
                detail="This conflicts with a record that already exists "
                "(a rule that each record must be unique). Nothing was saved.",
            )
        if isinstance(exception, DataError):
            logger.warning("API write refused by the database: %s", exception)
            return problem_response(
                status=422,
                detail="A value does not fit where it is stored (too long or "
                "too large). Nothing was saved.",
            )
        return None

    def _serve(self, request):
        if request.method == "OPTIONS":
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return self._write(request)
        try:
            read = CachedRead.for_request(request)
        except Exception:
            # An optimisation only: a store that is down means rendering.
            logger.warning("API cache unavailable; serving uncached", exc_info=True)
            read = None
        if read is not None:
            return self._read_through_cache(request, read)
        response = self.get_response(request)
        vary(response)
        if is_private(request):
            response["Cache-Control"] = "private, no-store"
            return response
        if response.status_code != 200 or response.streaming:
            return response
        # The API cache is off (API_CACHE_SECONDS=0): the ETag is the answer's digest.
        etag = response.get("ETag")
        if etag is None:
            etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        public_headers(response, etag)
        return get_conditional_response(
            request, etag=response["ETag"], response=response
        )

    def _read_through_cache(self, request, read):
        """An anonymous read: 304 from the key, else the stored answer, else render.

        Only the shared generation is read before a 304 or a hit (cms/api/cache.py).
        """
        try:
            answer = read.not_modified()
            if answer is None:
                answer = read.stored()
        except Exception:
            logger.warning("API cache unavailable; serving uncached", exc_info=True)
            answer = None
        if answer is not None:
            return answer
        response = self.get_response(request)
        vary(response)
        try:
            return read.keep(response)
        except Exception:
            logger.warning("API cache unavailable; answer not kept", exc_info=True)
            return response

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
