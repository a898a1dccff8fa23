"""Headless preview: an editor's unsaved draft, handed to an external frontend.

Pressing Preview in the admin (mode "Frontend") stores the unsaved page in the
database under a random key and redirects the preview pane to
``FRONTEND_PREVIEW_URL?page_id=…&token=…``. The frontend fetches
``/api/v3/preview/?page_id=…&token=…`` and renders the answer. The token is
signed with ``SECRET_KEY`` (so it cannot be forged), carries the page it was
made for (so it cannot be reused for another page) and expires after
``PREVIEW_TOKEN_MAX_AGE`` seconds. The draft itself never enters the token or
the frontend's address bar; it is a ``PreviewDraft`` row
(cms/core/models/preview.py), in the database every app server shares. (It
used to be kept in the default cache: process memory without Redis, so a
token issued by one app server was a 404 on the other, and lost whenever
Redis was down.)
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.http import urlencode

SALT = "cms.core.preview"


class PreviewError(Exception):
    """A token that cannot be used; ``status`` is what the API answers."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class PreviewGrant:
    page_id: int
    key: str


def max_age() -> int:
    return int(getattr(settings, "PREVIEW_TOKEN_MAX_AGE", 600))


def frontend_preview_url() -> str:
    return getattr(settings, "FRONTEND_PREVIEW_URL", "")


def drafts():
    """``PreviewDraft.objects`` (cms/core/models/preview.py), looked up by name.

    By name because ``cms.core.models`` imports this module (the preview
    mixin's "Frontend" mode): importing the model here would be a cycle.
    """
    return apps.get_model("core", "PreviewDraft").objects


def delete_expired_drafts() -> int:
    """Forget drafts whose tokens have expired; how many went."""
    deleted, _by_model = drafts().filter(expires_at__lte=timezone.now()).delete()
    return deleted


def store_draft(page) -> str:
    """Keep the unsaved page's content for ``max_age`` and return a signed token.

    Expired drafts are deleted here, lazily: previews are rare enough that
    this keeps the table small without a scheduled job.
    """
    delete_expired_drafts()
    key = secrets.token_urlsafe(16)
    drafts().create(
        key=key,
        page_id=page.pk,
        content=page.serializable_data(),
        expires_at=timezone.now() + timedelta(seconds=max_age()),
    )
    return signing.dumps({"page": page.pk, "key": key}, salt=SALT, compress=True)


def read_token(token: str, page_id: int) -> PreviewGrant:
    """Check signature, age and page; 401 for forged or expired, 404 otherwise."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired as error:
        raise PreviewError("This preview link has expired.", 401) from error
    except signing.BadSignature as error:
        raise PreviewError("This preview token is not valid.", 401) from error
    if not isinstance(payload, dict) or payload.get("page") != page_id:
        raise PreviewError("This preview token is for another page.", 404)
    return PreviewGrant(page_id=page_id, key=str(payload.get("key", "")))


def load_draft(grant: PreviewGrant, page):
    """The unsaved draft as a page object (never saved), or PreviewError 404."""
    stored = (
        drafts()
        .filter(key=grant.key, page_id=grant.page_id, expires_at__gt=timezone.now())
        .first()
    )
    if stored is None:
        raise PreviewError("This preview is no longer available.", 404)
    return page.specific.with_content_json(stored.content)


def redirect_to_frontend(page) -> HttpResponseRedirect:
    """The admin preview pane's answer in "Frontend" mode."""
    query = urlencode({"page_id": page.pk, "token": store_draft(page)})
    base = frontend_preview_url()
    separator = "&" if "?" in base else "?"
    return HttpResponseRedirect(f"{base}{separator}{query}")
