"""The store behind the page cache and the API cache: one generation, two levels.

Both caches keep whole answers for anonymous readers in the shared "pages"
cache (Redis in production, a disk folder without it). Every key carries the
content *generation*, a random token any content change replaces
(``invalidate``, called from ``cms/publishing/signal_handlers.py`` right after
the change commits), and the local date, because review badges ("Review
overdue") change at midnight without anyone publishing. Replacing the token
makes every stored answer unreachable at once, in every process.

Two levels: fetching a page body from Redis for every hit costs as much as a
small render. So each process also keeps its own copy of the answers it served
lately (``LocalCopies``), and a hit costs one read of the generation: when it
still names the token the copy was made under, the copy is current. A process
never trusts its copies without that read, so a publish made by another
process (or the worker) is seen on the very next request. The read is cheap
on both stores: a ``stat()`` of a file on disk; with Redis, the token kept in
the process until Redis says it changed (``cms.ops.cache.TrackedReads``), and
``invalidate`` reads the new token back so every process has been told when it
returns.

Values derived from the content are kept in the same store under the same
guarantee (``remembered``): sitemap outlines, listings' ids and filter menus,
search hits and page fragments. It lives in ``cms.core`` because the listings
and the search there keep theirs in it; the caches themselves are
``cms.publishing`` and ``cms.api``.

Answers are kept as ``StoredAnswer`` (status, headers, body), not as response
objects: smaller to store, cheap to read back, and every reader gets a fresh
response, so the headers a middleware adds to one visitor's answer never leak
into the next one's.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"

T = TypeVar("T")


def shared_cache():
    return caches["pages"]


class GenerationFile:
    """The generation of a disk page cache, checked with one ``stat()``.

    Reading the token from the disk cache costs a file open, a read and an
    unpickle on every request, as much as the rest of a cached answer. So a
    disk cache keeps its token in a file of its own, to which every change
    *appends* a line: the file only grows, so its size (with its inode) is
    different after every change, and a process re-reads the token only when
    ``stat()`` says so. Appends of one short line are atomic between
    processes; the file is started afresh (``os.replace``) once it is long.
    """

    LINE = 17  # 16 hex digits and a newline
    RESTART_AT = 64 * 1024

    def __init__(self, directory):
        self.path = Path(directory) / "generation"
        self._lock = threading.Lock()
        self._seen = None
        self._token = ""

    def read(self) -> str:
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            self._start()
            stat = os.stat(self.path)
        seen = (stat.st_ino, stat.st_size)
        with self._lock:
            if seen == self._seen:
                return self._token
        with open(self.path, "rb") as file:
            file.seek(max(0, stat.st_size - self.LINE))
            lines = file.read().split()
        token = lines[-1].decode() if lines else ""
        with self._lock:
            self._seen, self._token = seen, token
        return token

    def replace(self) -> None:
        line = (secrets.token_hex(8) + "\n").encode()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            long = os.stat(self.path).st_size >= self.RESTART_AT
        except FileNotFoundError:
            long = False
        if long:
            temporary = self.path.with_name(f"generation.{secrets.token_hex(4)}")
            temporary.write_bytes(line)
            os.replace(temporary, self.path)
            return
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, line)
        finally:
            os.close(descriptor)

    def _start(self) -> None:
        # O_EXCL: when two processes start together, one token wins.
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return
        try:
            os.write(descriptor, (secrets.token_hex(8) + "\n").encode())
        finally:
            os.close(descriptor)


class GenerationKey:
    """The generation as a key of the shared store.

    Redis keeps it in each process and says when it changes
    (``get_tracked``, ``cms.ops.cache.TrackedReads``), so a read is usually
    no round trip; other stores answer ``get``.
    """

    def read(self) -> str:
        cache = shared_cache()
        read = getattr(cache, "get_tracked", cache.get)
        token = read(GENERATION_KEY)
        if token is None:
            token = secrets.token_hex(8)
            # add() so two processes starting together agree on one token.
            cache.add(GENERATION_KEY, token, timeout=None)
            token = read(GENERATION_KEY, token)
        return token

    def replace(self) -> None:
        cache = shared_cache()
        cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)
        # Read back: Redis answers this only after it has sent every process
        # that keeps the generation the message that it changed, so a page
        # read anywhere after invalidate() returns is read afresh.
        cache.get(GENERATION_KEY)


_generations: dict[str, GenerationFile] = {}


def generation_store() -> GenerationFile | GenerationKey:
    """Where the generation is kept: beside a disk cache's files, else in the store."""
    if isinstance(shared_cache(), FileBasedCache):
        directory = settings.CACHES["pages"]["LOCATION"]
        if directory not in _generations:
            _generations[directory] = GenerationFile(directory)
        return _generations[directory]
    return GenerationKey()


def generation() -> str:
    """The current content generation (a ``stat()`` on disk, one read otherwise)."""
    return generation_store().read()


def invalidate() -> None:
    """Make every stored page and API answer unreachable (they expire unread)."""
    generation_store().replace()


class LocalDay:
    """The clinic's local date, worked out again only when a day ends.

    Review badges change at midnight, so the date is part of every key; the
    date is computed once and kept until the next local midnight (the
    clinic's ``TIME_ZONE``, whatever time zone a request activated).
    """

    def __init__(self, clock=time.time):
        self.clock = clock
        self._date = None
        self._until = 0.0

    def __call__(self) -> datetime.date:
        now = self.clock()
        if now >= self._until:
            zone = timezone.get_default_timezone()
            local = datetime.datetime.fromtimestamp(now, zone)
            midnight = datetime.datetime.combine(
                local.date() + datetime.timedelta(days=1), datetime.time(), zone
            )
            self._date, self._until = local.date(), midnight.timestamp()
        return self._date


today = LocalDay()


def content_version() -> str:
    """What a stored answer depends on besides the request: generation and day."""
    return f"{generation()}:{today().isoformat()}"


@dataclass(frozen=True)
class StoredAnswer:
    """A response as kept: enough to answer again exactly as the first time."""

    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    expires: float  # time.time() after which it is not served

    @classmethod
    def of(cls, response, seconds: int) -> StoredAnswer:
        return cls(
            status=response.status_code,
            headers=tuple(response.headers.items()),
            content=response.content,
            expires=time.time() + seconds,
        )

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, status=self.status)
        del response["Content-Type"]  # the stored one follows
        for name, value in self.headers:
            response[name] = value
        return response

    @property
    def fresh(self) -> bool:
        return time.time() < self.expires


class LocalCopies:
    """This process's copies of stored answers, for one generation at a time.

    Bounded (least recently used go first) and emptied whenever the shared
    generation moves on, so memory holds at most ``limit`` answers of the
    current content.
    """

    def __init__(self, limit: int):
        self.limit = limit
        self._lock = threading.Lock()
        self._version = ""
        self._answers: OrderedDict[str, StoredAnswer] = OrderedDict()

    def get(self, version: str, key: str) -> StoredAnswer | None:
        with self._lock:
            if version != self._version:
                self._version = version
                self._answers.clear()
                return None
            answer = self._answers.get(key)
            if answer is None:
                return None
            if not answer.fresh:
                del self._answers[key]
                return None
            self._answers.move_to_end(key)
            return answer

    def put(self, version: str, key: str, answer: StoredAnswer) -> None:
        if self.limit <= 0:
            return
        with self._lock:
            if version != self._version:
                self._version = version
                self._answers.clear()
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self.limit:
                self._answers.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._version = ""
            self._answers.clear()


_local = LocalCopies(limit=0)


def local_copies() -> LocalCopies:
    """The process's copies, sized by ``PAGE_CACHE_LOCAL_COPIES``.

    None are kept when the shared store is itself this process's memory
    (``LocMemCache``): a second copy would save nothing.
    """
    limit = settings.PAGE_CACHE_LOCAL_COPIES
    if isinstance(shared_cache(), LocMemCache):
        limit = 0
    if _local.limit != limit:
        _local.limit = limit
        _local.clear()
    return _local


def fetch(version: str, key: str) -> StoredAnswer | None:
    """The answer stored under ``key`` for content ``version``, or ``None``.

    Looks in this process's copies first; only on a local miss is the body
    read from the shared store (and then copied here).
    """
    copies = local_copies()
    answer = copies.get(version, key)
    if answer is not None:
        return answer
    answer = shared_cache().get(key)
    if not isinstance(answer, StoredAnswer) or not answer.fresh:
        return None
    copies.put(version, key, answer)
    return answer


def store(version: str, key: str, response, seconds: int) -> None:
    store_answer(version, key, StoredAnswer.of(response, seconds))


def store_answer(version: str, key: str, answer: StoredAnswer) -> None:
    """Keep ``answer`` in the shared store and in this process's copies."""
    seconds = max(1, round(answer.expires - time.time()))
    shared_cache().set(key, answer, seconds)
    local_copies().put(version, key, answer)


def remembered(
    kind: str,
    where: str,
    compute: Callable[[], T],
    *,
    encode: Callable[[T], bytes],
    decode: Callable[[bytes], T],
    keep: Callable[[T], bool] = lambda value: True,
) -> T:
    """``compute()``'s value, kept for this content generation and day.

    The one way a value derived from the content (a sitemap's outline, a
    listing's order, a rendered fragment) is shared between requests and
    processes, under the page cache's guarantee: the key carries the content
    generation and the date (``content_version``), so any publish,
    unpublish, move, restriction or deletion makes the kept value
    unreachable in every process, and the very next read computes it again.
    ``kind`` names what is kept and ``where`` what it is of (a site, an
    address, a query); ``keep`` may refuse a value that must not be shared.

    Nothing is kept with ``FRAGMENT_CACHE_SECONDS = 0``. The store failing
    never fails the request: a store that cannot be read means the value is
    computed, one that cannot be written means it is not kept.
    """
    if settings.FRAGMENT_CACHE_SECONDS <= 0:
        return compute()
    try:
        version = content_version()
        key = f"{kind}:{version}:{where}"
        kept = fetch(version, key)
    except Exception:
        logger.warning("Page store unavailable; %s found afresh", kind, exc_info=True)
        return compute()
    if kept is not None:
        return decode(kept.content)
    value = compute()
    if keep(value):
        answer = StoredAnswer(
            status=200,
            headers=(),
            content=encode(value),
            expires=time.time() + settings.FRAGMENT_CACHE_SECONDS,
        )
        try:
            store_answer(version, key, answer)
        except Exception:
            logger.warning("Page store unavailable; %s not kept", kind, exc_info=True)
    return value


def remembered_json(kind: str, where: str, compute: Callable[[], T]) -> T:
    """``remembered`` for a value made of lists, numbers and strings (ids, rows)."""
    return remembered(
        kind,
        where,
        compute,
        encode=lambda value: json.dumps(value).encode(),
        decode=json.loads,
    )
