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
from cms.publishing import sitemaps as remembered_sitemaps

# Issue 15: the "page not found" page has a real <title> (see the view).
handler404 = views.page_not_found

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v3/", api.urls),
    path("search/", views.search, name="search"),
    # Issue 16: a sitemap index, and the pages in sitemaps of bounded size,
    # with the site's page count and latest date kept per content generation.
    path("sitemap.xml", remembered_sitemaps.index, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        remembered_sitemaps.section,
        name=sitemaps.SECTION_URL_NAME,
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("feeds/articles.xml", ArticleFeed(), name="article_feed"),
    # Issue 15: brand files drawn from Clinic settings (cms/core/brand.py).
    path("favicon.ico", views.favicon_ico, name="favicon_ico"),
    path("favicon.svg", views.favicon_svg, name="favicon_svg"),
    path("apple-touch-icon.png", views.icon_png, name="apple_touch_icon"),
    path("apple-touch-icon-precomposed.png", views.icon_png),
    path("icon-<int:size>.png", views.icon_png, name="brand_icon"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("brand.css", views.brand_css, name="brand_css"),
    # Issue 12: /healthz/, /readyz/ and, without an object store, the image
    # files of MEDIA_ROOT (never its documents/ folder).
    path("", include(ops_urls)),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# Wagtail's page serving comes last: it matches every remaining path.
urlpatterns += [path("", include(wagtail_urls))]
