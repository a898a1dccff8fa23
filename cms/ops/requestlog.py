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
import math
import os
import threading
import time
from json.encoder import encode_basestring_ascii

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
    record = RequestRecord(
        logger.name,
        method=method,
        path=path,
        status=status,
        duration_ms=round((time.perf_counter() - started) * 1000, 1),
        page_cache=page_cache,
    )
    logger.handle(record)


_STARTED = time.time()


class RequestRecord(logging.LogRecord):
    """The log record of one request line, made without the stock record's work.

    ``LogRecord.__init__`` splits the caller's file name, asks multiprocessing
    and asyncio for names and more: on a page answered from the cache it was a
    fifth of the whole answer. This record sets the same attributes from
    values at hand (the code's own file, no caller), so a formatter, filter or
    handler configured for ``cms.requests`` finds everything it would on a
    stock record. ``relativeCreated`` counts from this module's import.
    """

    def __init__(self, name: str, **fields):  # noqa: D107 - see the class
        created = time.time()
        self.name = name
        self.msg = "request"
        self.args = None
        self.levelname = "INFO"
        self.levelno = logging.INFO
        self.pathname = __file__
        self.filename = "requestlog.py"
        self.module = "requestlog"
        self.lineno = 0
        self.funcName = None
        self.exc_info = None
        self.exc_text = None
        self.stack_info = None
        self.created = created
        self.msecs = int((created - int(created)) * 1000) + 0.0  # as 3.11's
        self.relativeCreated = (created - _STARTED) * 1000
        self.thread = threading.get_ident()
        self.threadName = threading.current_thread().name
        self.processName = None
        self.process = os.getpid()
        self.taskName = None
        self.__dict__.update(fields)


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
        # Written out by hand, with ``json.dumps``'s own separators and string
        # escaping: the same text as dumping the dict, for half the cost.
        parts = [
            f'"time": {_json(self.formatTime(record))}',
            f'"level": {_json(record.levelname)}',
            f'"logger": {_json(record.name)}',
            f'"message": {_json(record.getMessage())}',
        ]
        parts.extend(
            f'"{name}": {_json(getattr(record, name, None))}' for name in self.FIELDS
        )
        return "{" + ", ".join(parts) + "}"


def _json(value) -> str:
    """``json.dumps(value)``, quicker for the types a request line holds."""
    kind = type(value)
    if kind is str:
        return encode_basestring_ascii(value)
    if kind is int or (kind is float and math.isfinite(value)):
        return repr(value)
    return json.dumps(value)


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
