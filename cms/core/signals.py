"""Signals the feature apps share without importing each other.

Clinical governance knows when a page's HTML changes without a publish;
publishing knows what to do about it (webhooks, cache and CDN purges). Neither
imports the other, so the signal lives here, below both.
"""

from django.dispatch import Signal

# The HTML of these live pages changed without a publish: something they show
# (a study they cite, their disclaimer, their reviewer, a condition) was
# deleted or unpublished. Sent once the change has committed, with
# ``pages``: the specific page objects, and ``reason``: a short code saying
# why, e.g. ``"citation_removed"``. Receivers run inside one transaction the
# sender opens, so what they record is stored together.
live_pages_changed = Signal()
