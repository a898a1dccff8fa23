from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from articles.feeds import ArticleFeed
from cms.api.urls import api
from cms.core import sitemaps, views
from cms.ops import urls as ops_urls

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v3/", api.urls),
    path("search/", views.search, name="search"),
    # Issue 16: a sitemap index, and the pages in sitemaps of bounded size.
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<section>.xml", sitemaps.section, name=sitemaps.SECTION_URL_NAME),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("feeds/articles.xml", ArticleFeed(), name="article_feed"),
    # Issue 12: /healthz/, /readyz/ and, without an object store, the image
    # files of MEDIA_ROOT (never its documents/ folder).
    path("", include(ops_urls)),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# Wagtail's page serving comes last: it matches every remaining path.
urlpatterns += [path("", include(wagtail_urls))]
