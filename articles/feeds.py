"""RSS feed of the newest patient-education articles.

Synthetic articles (``generate_demo_content``) are never in it, on any site:
a feed goes out to readers and newsletters, and generated test data must not.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from wagtail.models import Site

from articles.models import ArticlePage
from cms.demo.models import not_synthetic

FEED_LENGTH = 20


class ArticleFeed(Feed):
    """The newest live articles, for feed readers and newsletters."""

    description = "New patient-education articles from the clinic."

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return Site.find_for_request(request)

    def title(self, site):
        return f"{site.site_name or 'Clinic'}: articles" if site else "Articles"

    def link(self, site):
        return f"{site.root_url}/" if site else "/"

    def items(self, site):
        pages = ArticlePage.objects.live().public().filter(not_synthetic())
        if site:
            pages = pages.descendant_of(site.root_page)
        return pages.order_by("-date", "-pk")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        return timezone.make_aware(
            datetime.datetime.combine(item.date, datetime.time())
        )
