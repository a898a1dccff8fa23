"""What each webhook's body holds, as pydantic models: one per event.

``webhooks.py`` builds the bodies as plain dicts (they are stored as JSON with
the delivery); these models are their contract. The API's OpenAPI document
lists them in its top-level ``webhooks`` section (``cms/api/webhooks_doc.py``),
so a frontend generates its receiver's types from the same document as its API
client, and ``cms/publishing/tests/test_webhook_events.py`` checks that every
body really sent validates against the schema published there.

Every field is always present (``None`` when it does not apply), so a
generated type has no optional fields to guess about; extra fields are
forbidden, so a field added to a body without being described here fails the
tests.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timestamp: str = Field(
        description="When the change happened (ISO 8601).",
        json_schema_extra={"format": "date-time"},
    )
    delivery_id: int = Field(
        description="The delivery's id, as in `X-Clinic-Webhook-Id`; the same on "
        "every retry, so a receiver that must act once keys on it."
    )


class _PageBody(_Body):
    page_id: int
    type: str = Field(description="The page type, e.g. `home.ServicePage`.")
    title: str
    url: str | None = Field(description="The page's public address, if it has one.")
    html_path: str | None = Field(
        description="The page's path on its site, e.g. `/services/ketamine/`."
    )
    api_detail_url: str = Field(description="Where the API serves the page.")
    revision_id: int | None


class _AddressChange(BaseModel):
    old_html_path: str | None = Field(
        description="The page's path before this change, when the change gave it "
        "a new address (a slug edit or a move); `null` when the address is "
        "unchanged. Revalidate it: it now answers a redirect or a 404."
    )
    descendants_moved: bool = Field(
        description="`true` when the address changed and the page has live "
        "pages below it: their paths moved with it, so revalidate everything "
        "under `old_html_path` and `html_path`."
    )


class PagePublished(_PageBody, _AddressChange):
    """A page was published (by an editor, the API, code or the scheduler)."""

    event: Literal["page.published"]


class PageUnpublished(_PageBody):
    """A page was unpublished: its address now answers 404."""

    event: Literal["page.unpublished"]


class PageMoved(_PageBody, _AddressChange):
    """A live page moved to a new address."""

    event: Literal["page.moved"]


class PageDeleted(_PageBody):
    """A live page was deleted (with its descendants)."""

    event: Literal["page.deleted"]


class PageVisibilityChanged(_PageBody):
    """A live page was made private, or public again (its descendants too)."""

    event: Literal["page.visibility_changed"]
    public: bool = Field(description="Whether anonymous visitors may see it now.")


class PageChanged(_PageBody):
    """A live page's HTML changed without a publish."""

    event: Literal["page.changed"]
    reason: Literal["citation_removed"] = Field(
        description="Why: something the page cites or names was removed."
    )


class PageReference(BaseModel):
    """A live, public page, in the lists of other events."""

    model_config = ConfigDict(extra="forbid")

    id: int
    type: str = Field(description="The page type, e.g. `home.ServicePage`.")
    html_path: str | None


class SnippetChanged(_Body):
    """A snippet (clinician, condition, disclaimer, …) was saved or deleted."""

    event: Literal["snippet.changed"]
    type: str = Field(description="The snippet's model, e.g. `core.Condition`.")
    object_id: int
    action: Literal["saved", "deleted"]
    pages: list[PageReference] = Field(
        description="The live, public pages that use the snippet (Wagtail's "
        "reference index), each once, at most 500: revalidate these."
    )
    pages_truncated: bool = Field(
        description="`true` when more pages use it than `pages` lists: "
        "revalidate the whole site instead."
    )


class SiteChanged(_Body):
    """Something every page shows changed: the clinic settings or a menu."""

    event: Literal["site.changed"]
    site_id: int
    hostname: str
    root_url: str
    api_url: str = Field(
        description="Where the API serves the site-wide data (`/api/v3/site/`)."
    )
    reason: Literal["settings_saved", "settings_deleted", "menu_changed"]


class RedirectSite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int
    hostname: str


class _RedirectBody(_Body):
    redirect_id: int
    old_path: str = Field(description="The path that redirects, e.g. `/old-page`.")
    site: RedirectSite | None = Field(
        description="The site it applies to; `null` for every site."
    )
    target: str | None = Field(
        description="Where it leads: the page's path when it redirects to a live, "
        "public page of the same site (an absolute URL for another site's page), "
        "else its external link; `null` when it leads nowhere a visitor may go."
    )
    target_page_id: int | None = Field(
        description="The page `target` is, when it is one of ours."
    )
    permanent: bool = Field(description="301 when `true`, 302 when `false`.")
    edit: bool = Field(
        description="`true` when this event is half of an edit: an edited redirect "
        "is sent as `redirect.deleted` (as it was) then `redirect.created` (as "
        "it is now)."
    )


class RedirectCreated(_RedirectBody):
    """A redirect was added (by an editor, or automatically on a slug change)."""

    event: Literal["redirect.created"]


class RedirectDeleted(_RedirectBody):
    """A redirect was removed: its old path no longer redirects."""

    event: Literal["redirect.deleted"]


class SendTestNotice(_Body):
    """Sent only by the admin's "Send test" button."""

    event: Literal["test"]
    message: str


#: Event name → the model of its body, in the order the document lists them.
PAYLOADS: dict[str, type[_Body]] = {
    "page.published": PagePublished,
    "page.unpublished": PageUnpublished,
    "page.moved": PageMoved,
    "page.deleted": PageDeleted,
    "page.visibility_changed": PageVisibilityChanged,
    "page.changed": PageChanged,
    "snippet.changed": SnippetChanged,
    "site.changed": SiteChanged,
    "redirect.created": RedirectCreated,
    "redirect.deleted": RedirectDeleted,
    "test": SendTestNotice,
}
