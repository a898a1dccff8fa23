"""The one place where the clinic's routers join Wagtail's v3 API.

Routers must be added before ``api.urls`` is first read (Ninja raises
``ConfigError`` otherwise); ``cms/urls.py`` imports this module first.
"""

from wagtail.api.v3.urls import api

__all__ = ["api"]

from articles.api import router as articles_router
from cms.api import detail, images, openapi_doc, redirects, security
from cms.api.preview import router as preview_router
from cms.api.site import router as site_router
from cms.api.webhooks_doc import install as install_webhooks_doc
from home.api import consultation_router, install_consultation_schemas
from home.api import router as services_router
from studies.api import router as studies_router

# The webhook payloads as the document's ``webhooks`` section (cms/api/webhooks_doc.py).
install_webhooks_doc(api)

api.add_router("/services/", services_router)
api.add_router("/articles/", articles_router)
api.add_router("/studies/", studies_router)
api.add_router("/preview/", preview_router)
api.add_router("/consultation/", consultation_router)
# ``/site/`` and ``/sitemap/``: site-wide details and the page list for sitemaps.
api.add_router("/", site_router)
# Stock ``/redirects/`` answers carry each target as a routable address.
redirects.install()
# Stock ``/pages/{id}/`` reads an anonymous page in a few queries (cms/api/detail.py).
detail.install()
# Stock ``/images/`` reads each image's collection in the list's own query.
images.install()
# Anonymous access as OpenAPI's ``{}`` requirement, not an invalid scheme.
security.install(api)
# The consultation POST reads its own body; its schemas join the document here.
install_consultation_schemas(api)
# Required keys, problem+json errors, real find answers (cms/api/openapi_doc.py).
openapi_doc.install(api)
