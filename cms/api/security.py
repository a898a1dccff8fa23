"""The OpenAPI document states anonymous access the way OpenAPI defines it.

Wagtail's ``AllowAnonymous`` is a Ninja auth callback, so Ninja lists it as an
``http`` security scheme with no ``scheme``: an invalid document (the
``scheme`` of an ``http`` scheme is required), and a claim that there is a
credential to send. OpenAPI's own way to say "no credential needed" is an
empty security requirement, ``{}``. ``with_anonymous_access`` rewrites the
generated document that way; ``install`` makes the served
``/api/v3/openapi.json`` (and the committed snapshot, built the same way) use it.
"""

from typing import Any

from ninja import NinjaAPI
from wagtail.api.v3.auth import AllowAnonymous

ANONYMOUS = AllowAnonymous.__name__
HTTP_METHODS = frozenset(
    {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
)


def with_anonymous_access(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with ``AllowAnonymous`` as ``{}`` requirements, not a scheme."""
    for path_item in document.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in HTTP_METHODS or "security" not in operation:
                continue
            requirements = []
            for requirement in operation["security"]:
                entry = {k: v for k, v in requirement.items() if k != ANONYMOUS}
                if entry not in requirements:
                    requirements.append(entry)
            operation["security"] = requirements
    schemes = document.get("components", {}).get("securitySchemes", {})
    schemes.pop(ANONYMOUS, None)
    return document


def install(api: NinjaAPI) -> None:
    """Serve the rewritten document from ``api`` (before its URLs are read)."""
    generate = api.get_openapi_schema

    def get_openapi_schema(*, path_prefix=None, path_params=None):
        document = generate(path_prefix=path_prefix, path_params=path_params)
        return with_anonymous_access(document)

    api.get_openapi_schema = get_openapi_schema
