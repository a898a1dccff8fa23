"""The one place where the clinic's routers join Wagtail's v3 API.

Routers must be added before ``api.urls`` is first read (Ninja raises
``ConfigError`` otherwise); ``cms/urls.py`` imports this module first.
"""

from wagtail.api.v3.urls import api

__all__ = ["api"]
