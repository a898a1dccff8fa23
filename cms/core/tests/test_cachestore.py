"""The page cache's store: a disk generation read by stat, a day until midnight."""

import datetime
import os
import zoneinfo

import pytest

from cms.core import cachestore


def test_a_change_is_seen_by_another_process_at_once(tmp_path):
    writer = cachestore.GenerationFile(tmp_path)
    reader = cachestore.GenerationFile(tmp_path)  # as in a second process
    first = reader.read()
    assert first and first == writer.read()
    seen = {first}
    # Changes in quick succession (same mtime, same line length) are all seen.
    for _ in range(50):
        writer.replace()
        token = reader.read()
        assert token not in seen
        seen.add(token)
        assert writer.read() == token


def test_an_unchanged_generation_is_not_read_again(tmp_path, monkeypatch):
    generation = cachestore.GenerationFile(tmp_path)
    token = generation.read()
    opened = []
    real_open = open
    monkeypatch.setattr(
        "builtins.open", lambda *a, **k: opened.append(a) or real_open(*a, **k)
    )
    assert generation.read() == token
    assert opened == []


def test_a_long_generation_file_starts_afresh_and_is_still_seen(tmp_path, monkeypatch):
    monkeypatch.setattr(cachestore.GenerationFile, "RESTART_AT", 17 * 3)
    writer = cachestore.GenerationFile(tmp_path)
    reader = cachestore.GenerationFile(tmp_path)
    tokens = {reader.read()}
    for _ in range(10):
        writer.replace()
        token = reader.read()
        assert token not in tokens
        tokens.add(token)
    assert os.path.getsize(tmp_path / "generation") <= 17 * 4


def test_two_processes_starting_together_agree_on_one_token(tmp_path):
    one, two = cachestore.GenerationFile(tmp_path), cachestore.GenerationFile(tmp_path)
    assert one.read() == two.read()


def test_a_disk_page_cache_keeps_its_generation_in_the_file(settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        },
    }
    # (Django's setting_changed handler forgets the cache made with the old ones.)
    before = cachestore.content_version()
    cachestore.invalidate()
    after = cachestore.content_version()
    assert before != after
    assert (tmp_path / "generation").read_text().split()[-1] in after


ZONE = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture
def new_york(settings):
    settings.TIME_ZONE = "America/New_York"


def at(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ZONE).timestamp()


def test_the_day_is_the_clinics_and_changes_at_local_midnight(new_york):
    now = [at(2026, 3, 2, 23, 59)]
    today = cachestore.LocalDay(clock=lambda: now[0])
    assert today() == datetime.date(2026, 3, 2)  # 04:59 UTC on the 3rd
    now[0] = at(2026, 3, 3, 0, 0)
    assert today() == datetime.date(2026, 3, 3)


def test_the_day_is_right_across_a_daylight_saving_change(new_york):
    # 8 March 2026: clocks go forward; the day still ends at local midnight.
    now = [at(2026, 3, 8, 23, 30)]
    today = cachestore.LocalDay(clock=lambda: now[0])
    assert today() == datetime.date(2026, 3, 8)
    now[0] = at(2026, 3, 9, 0, 1)
    assert today() == datetime.date(2026, 3, 9)


class Counter:
    """A value to remember, counting how often it had to be found."""

    def __init__(self):
        self.calls = 0

    def __call__(self) -> list[int]:
        self.calls += 1
        return [self.calls]


def remember(counter, keep=lambda value: True):
    return cachestore.remembered(
        "test-value",
        "here",
        counter,
        encode=lambda value: str(value[0]).encode(),
        decode=lambda content: [int(content)],
        keep=keep,
    )


@pytest.fixture
def kept_values(settings, empty_page_store):
    settings.FRAGMENT_CACHE_SECONDS = 600


def test_a_remembered_value_is_found_once_per_generation(kept_values):
    counter = Counter()
    assert remember(counter) == [1]
    assert remember(counter) == [1]
    assert counter.calls == 1
    cachestore.invalidate()  # what every publish, unpublish, move, … does
    assert remember(counter) == [2]
    assert remember(counter) == [2]


def test_a_remembered_value_is_found_again_the_next_day(kept_values, monkeypatch):
    counter = Counter()
    remember(counter)
    tomorrow = cachestore.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(cachestore, "today", lambda: tomorrow)
    assert remember(counter) == [2]


def test_nothing_is_remembered_with_shared_fragments_off(settings, empty_page_store):
    settings.FRAGMENT_CACHE_SECONDS = 0
    counter = Counter()
    assert [remember(counter), remember(counter)] == [[1], [2]]


def test_a_value_refused_by_keep_is_found_every_time(kept_values):
    counter = Counter()
    assert [remember(counter, keep=lambda v: False) for _ in range(2)] == [[1], [2]]


class BrokenStore:
    """A shared store that is down: every read and write raises."""

    def get(self, *args, **kwargs):
        raise ConnectionError("store down")

    set = get


def test_a_store_that_cannot_be_read_means_the_value_is_found(
    kept_values, monkeypatch, caplog
):
    counter = Counter()
    monkeypatch.setattr(cachestore, "generation", BrokenStore().get)
    assert [remember(counter), remember(counter)] == [[1], [2]]
    assert "Page store unavailable; test-value found afresh" in caplog.text


def test_a_store_that_cannot_be_written_still_gives_the_value(
    kept_values, monkeypatch, caplog
):
    counter = Counter()
    monkeypatch.setattr(cachestore, "store_answer", BrokenStore().set)
    assert [remember(counter), remember(counter)] == [[1], [2]]
    assert "Page store unavailable; test-value not kept" in caplog.text
