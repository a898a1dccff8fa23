"""The one place where the clinic's routers join Wagtail's v3 API.

Routers must be added before ``api.urls`` is first read (Ninja raises
``ConfigError`` otherwise); ``cms/urls.py`` imports this module first.
"""

from wagtail.api.v3.urls import api

__all__ = ["api"]

from articles.api import router as articles_router
from cms.api import redirects, security
from cms.api.preview import router as preview_router
from cms.api.site import router as site_router
from home.api import router as services_router
from studies.api import router as studies_router

api.add_router("/services/", services_router)
api.add_router("/articles/", articles_router)
api.add_router("/studies/", studies_router)
api.add_router("/preview/", preview_router)
# ``/site/`` and ``/sitemap/``: site-wide details and the page list for sitemaps.
api.add_router("/", site_router)
# Stock ``/redirects/`` answers carry each target as a routable address.
redirects.install()
# Anonymous access as OpenAPI's ``{}`` requirement, not an invalid scheme.
security.install(api)
