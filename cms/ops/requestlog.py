"""One log line per request: method, path, status and duration, nothing personal.

Production formats it as JSON (python-json-logger, see LOGGING in
cms/settings/production.py), so a log collector indexes the fields as they
are. The line never carries the query string (a search or a form may put
health details there), the client's address, the user, cookies or headers:
a request log must not become a record of who asked for what. Gunicorn's
own access log is off in deploy/gunicorn.conf.py for the same reason.
"""

import logging
import time

logger = logging.getLogger("cms.requests")


class RequestLogMiddleware:
    """Log each finished request at INFO on the ``cms.requests`` logger."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "page_cache": response.get("X-Page-Cache", ""),
            },
        )
        return response


class RedactRequest(logging.Filter):
    """Shorten the ``request`` Django attaches to its log records to method and path.

    ``django.request`` logs every 4xx and 5xx with the request object, whose
    text includes the query string; a JSON formatter would write it out.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            record.request = f"{request.method} {request.path}"
        return True
