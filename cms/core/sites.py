"""The request's site and its clinic settings, read together (issue 16).

Every page and API answer needs both: Wagtail finds the site
(``Site.find_for_request``, one query) and ``ClinicSettings.for_request``
reads its settings (one more). ``request_site`` reads them in one query: the
sites Wagtail would consider, each with its settings joined, chosen by
Wagtail's own rules (``best_site``, after ``get_site_for_hostname``). Both are
left where Wagtail's lookups look first (``request._wagtail_site`` and the
settings' attribute on the request), so every later call of either, in a
template, a serializer or Wagtail itself, reads nothing. A site with no
settings yet is left to ``for_request``, which creates them.
"""

from django.db.models import Q
from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import (
    MATCH_DEFAULT,
    MATCH_HOSTNAME,
    MATCH_HOSTNAME_DEFAULT,
    MATCH_HOSTNAME_PORT,
)

from cms.core.models.settings import ClinicSettings

#: The relation from a site to its clinic settings (a reverse one-to-one).
_SETTINGS = Site.clinicsettings.related


def match_rank(site: Site, hostname: str, port: int | None) -> int:
    """How well ``site`` answers ``hostname:port``; lower is better, as in Wagtail."""
    if site.hostname == hostname and site.port == port:
        return MATCH_HOSTNAME_PORT
    if site.hostname == hostname and site.is_default_site:
        return MATCH_HOSTNAME_DEFAULT
    if site.is_default_site:
        return MATCH_DEFAULT
    return MATCH_HOSTNAME


def best_site(candidates: list[Site], hostname: str, port: int | None) -> Site | None:
    """The site Wagtail's ``get_site_for_hostname`` picks among ``candidates``.

    ``candidates`` are the sites with that hostname and the default site. An
    exact hostname and port wins, then the hostname on the default site;
    failing both, a single other site with the hostname wins over the
    default, and several leave the default. Several with the hostname and no
    default is no site at all (Wagtail's ``DoesNotExist``).
    """
    ranked = sorted(candidates, key=lambda site: match_rank(site, hostname, port))
    if not ranked:
        return None
    best = match_rank(ranked[0], hostname, port)
    if len(ranked) == 1 or best in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
        return ranked[0]
    if best == MATCH_DEFAULT:
        return ranked[len(ranked) == 2]
    return None


def request_port(request: HttpRequest) -> int | None:
    try:
        return int(request.get_port())
    except (TypeError, ValueError):
        return None


def request_site(request: HttpRequest) -> Site | None:
    """The request's site (``Site.find_for_request``), its settings read with it.

    When the site is already known (Wagtail found it, or remembered routes
    brought it), nothing is read; its settings are kept too if they came with
    it (``remember_site``).
    """
    if hasattr(request, "_wagtail_site"):
        site = request._wagtail_site
    else:
        # ``_get_raw_host``, as Wagtail: no ALLOWED_HOSTS check here.
        hostname = split_domain_port(request._get_raw_host())[0]
        candidates = Site.objects.filter(
            Q(hostname=hostname) | Q(is_default_site=True)
        ).select_related("root_page", _SETTINGS.get_accessor_name())
        site = best_site(list(candidates), hostname, request_port(request))
    remember_site(request, site)
    return site


def remember_site(request: HttpRequest, site: Site | None) -> None:
    """Keep ``site`` on the request for Wagtail, and its settings if read with it."""
    request._wagtail_site = site
    attr = ClinicSettings.get_cache_attr_name()
    if site is None or hasattr(request, attr) or not _SETTINGS.is_cached(site):
        return
    settings = _SETTINGS.get_cached_value(site)
    if settings is not None:
        settings._request = request  # as ``for_request`` does, for page URLs
        setattr(request, attr, settings)
