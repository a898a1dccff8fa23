"""Links inside API payloads: to live, public pages only (``cms.core.visibility``).

A link inside a payload (a page chooser in the body, a related study) carries
the target's title, so every link goes through ``public_page_link``.
"""

from cms.core.api.fields import PageLinkDict
from cms.core.visibility import is_public


def public_page_link(page, request) -> PageLinkDict | None:
    if not is_public(page, request):
        return None
    return PageLinkDict(id=page.pk, title=page.title, url=page.get_full_url(request))
