"""Response headers and answers that defend the site: CSP per area, login lockout.

The public site and the admin need different Content-Security-Policies. The
public templates run no inline code, so they get the strict policy, enforced.
Wagtail's admin still relies on a few inline styles and scripts, so there the
strict policy is sent report-only (browsers log what it would block, nothing
breaks) beside a short enforced one. django-csp reads one enforced and one
report-only policy from settings; this middleware decides per path which of
them a response carries.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.shortcuts import render

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


def is_admin_path(path: str) -> bool:
    return path.startswith(ADMIN_PREFIXES)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policies chosen by path."""

    def get_policy_parts(self, request, response, report_only: bool = False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        admin = is_admin_path(request.path_info)
        if report_only and not admin:
            # The public site enforces the strict policy: reporting it too is noise.
            response._csp_exempt_ro = True
        elif admin and not report_only and parts.config is None:
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY
        return parts


def login_locked_out(request, original_response=None, credentials=None):
    """What django-axes answers a locked-out login: a page, 429 and Retry-After.

    The page says how long to wait and what to do instead, and never whether
    the user name exists.
    """
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    response = render(
        request,
        "login_locked_out.html",
        {"minutes": minutes},
        status=429,
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
