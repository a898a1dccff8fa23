"""Wrong API tokens are counted per client address; past the limit it must wait.

Guessing tokens is the one attack on the API a limit stops: after
``RATE_LIMITS["api-token-failure"]`` wrong tokens (10 a minute unless set
otherwise) from one address, every request from that address that carries a
bearer token gets ``429`` until the window ends, a correct token included,
or a guesser would learn which guess was right. Requests without a token
(public reads) from that address, and tokens from other addresses, are served
as usual. Counters live in the shared ``limits`` cache (``cms/core/limits.py``)
so every app server counts together.
"""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from wagtail.api.v3.errors import problem_response
from wagtail.models import APIToken

from cms.core.limits import Limited, hit

LIMIT_GROUP = "api-token-failure"


def presented_token(request: HttpRequest) -> str | None:
    """The bearer token sent, as v3's ``HttpBearer`` reads it (``""`` if blank)."""
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip()


def token_accepted(request: HttpRequest, token: str) -> bool:
    """Whether ``token`` names an unrevoked token of an active user.

    v3 leaves the resolved ``APIToken`` on ``request.auth`` where an endpoint
    checked it; public endpoints that never look at tokens (our lists, say)
    get the same lookup v3's ``BearerTokenAuth`` does, so a good token is
    never counted as a guess.
    """
    if isinstance(getattr(request, "auth", None), APIToken):
        return True
    if not token:
        return False
    api_token = (
        APIToken.objects.select_related("user")
        .filter(
            key_hash__in=APIToken.candidate_key_hashes(token),
            revoked_at__isnull=True,
        )
        .first()
    )
    user = api_token.user if api_token else AnonymousUser()
    return bool(user.is_active)


def refused(request: HttpRequest) -> Limited | None:
    """Before serving: is this address already over its wrong-token allowance?"""
    return hit(request, LIMIT_GROUP, count=False)


def count_failure(request: HttpRequest) -> None:
    hit(request, LIMIT_GROUP, count=True)


def too_many_failures(limited: Limited):
    response = problem_response(
        status=429,
        detail=(
            "Too many requests with a wrong API token from this address. "
            f"Try again in {limited.retry_after} seconds."
        ),
    )
    response["Retry-After"] = str(limited.retry_after)
    return response
