"""The page cache's store: a disk generation read by stat, a day until midnight."""

import datetime
import os
import zoneinfo

import pytest

from cms.publishing import cachestore


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
