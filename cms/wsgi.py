"""WSGI entry point; servers run production settings unless told otherwise.

Cached anonymous pages are answered by the page cache's front
(``cms/publishing/front.py``) before Django handles the request.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

application = get_wsgi_application()

# Imported once Django is set up: the front reads settings and the cache.
from cms.publishing.front import PageCacheFront  # noqa: E402

application = PageCacheFront(application)
