"""The admin's backstop for refused publishes, and the one-banner rule.

The admin hooks ask the publish rules before Wagtail acts, so editors read
the reasons in place. Some admin actions publish as a side effect (converting
a live alias, copying as an alias, a bulk publish that includes descendants);
when the rules refuse one of those, the editor gets the same reasons and is
sent back, instead of a server error.

Listed after Django's message middleware, so it sees the messages of the
request before they are stored (redirects) or drawn (template responses), and
can keep one banner per clinical outcome (``banners.py``).
"""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from cms.clinical import banners
from cms.clinical.rules import PublishRefused

ADMIN_PREFIX = "/admin/"


class RefusedPublishMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(ADMIN_PREFIX):
            banners.one_banner_per_outcome(request)
        return response

    def process_template_response(self, request, response):
        # A template response is drawn after this, with the messages in it.
        if request.path.startswith(ADMIN_PREFIX):
            banners.one_banner_per_outcome(request)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, PublishRefused):
            return None
        if not request.path.startswith(ADMIN_PREFIX):
            return None
        banners.refusal(
            request, banners.not_published_text(exception.problems, draft_kept=False)
        )
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = ""
        page = getattr(exception, "page", None)
        if not back and page is not None and page.pk:
            return redirect("wagtailadmin_pages:edit", page.pk)
        return redirect(back or "wagtailadmin_home")
