"""One log line per request: method, path, status and duration, nothing personal.

Production formats it as JSON (python-json-logger, see LOGGING in
cms/settings/production.py), so a log collector indexes the fields as they
are. The line never carries the query string (a search or a form may put
health details there), the client's address, the user, cookies or headers:
a request log must not become a record of who asked for what. Gunicorn's
own access log is off in deploy/gunicorn.conf.py for the same reason.
"""

import json
import logging
import time

from django.conf import settings

logger = logging.getLogger("cms.requests")


def log_request(method: str, path: str, status: int, started: float, *, page_cache=""):
    """Write the line for one request that started at ``perf_counter()`` ``started``.

    Also called by the page cache's WSGI front (``cms/publishing/front.py``)
    for the pages it answers before Django runs, when ``REQUEST_LOG`` is on.
    """
    if not logger.isEnabledFor(logging.INFO):
        return
    # The record is made directly: ``logger.info`` would also walk the stack
    # to find the caller, which no request line prints (a third of its cost).
    record = logger.makeRecord(
        logger.name,
        logging.INFO,
        __file__,
        0,
        "request",
        None,
        None,
        extra={
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "page_cache": page_cache,
        },
    )
    logger.handle(record)


def front_log_request(method: str, path: str, status: int, started: float, **extra):
    """``log_request`` if the request log is on (``REQUEST_LOG``), else nothing."""
    if settings.REQUEST_LOG:
        log_request(method, path, status, started, **extra)


class RequestLogMiddleware:
    """Log each finished request at INFO on the ``cms.requests`` logger."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        log_request(
            request.method,
            request.path,
            response.status_code,
            started,
            page_cache=response.get("X-Page-Cache", ""),
        )
        return response


class RequestLineFormatter(logging.Formatter):
    """The request line as JSON, with the fields every other record has.

    The same keys as the general JSON formatter (``time``, ``level``,
    ``logger``, ``message``) plus the request's; written for the one record
    shape this logger has, it costs a third of the general formatter, which
    matters on a cached page answered in a fraction of a millisecond.
    """

    FIELDS = ("method", "path", "status", "duration_ms", "page_cache")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._second = None
        self._second_text = ""

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging's name
        # Hundreds of lines share a second: its text is worked out once.
        second = int(record.created)
        if second != self._second:
            self._second_text = time.strftime(
                "%Y-%m-%d %H:%M:%S", self.converter(record.created)
            )
            self._second = second
        return f"{self._second_text},{int(record.msecs):03d}"

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in self.FIELDS:
            line[name] = getattr(record, name, None)
        return json.dumps(line)


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
