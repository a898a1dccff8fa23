"""``make bench`` runs end to end: real servers on 127.0.0.1, every answer checked.

Speed itself is never asserted here (timed tests fail on busy machines); the
test proves the harness measures the right pages, that the cached server
really serves from its cache, and that the report holds its ratios.
"""

import json
import shutil

import pytest

from bench.run import main, percentile


@pytest.mark.parametrize(
    "values, fraction, expected",
    [
        ([5.0], 0.95, 5.0),
        ([1.0, 2.0, 3.0, 4.0], 0.5, 2.0),
        (list(map(float, range(1, 101))), 0.95, 95.0),
        ([3.0, 1.0, 2.0], 1.0, 3.0),
    ],
)
def test_percentile_is_the_nearest_rank(values, fraction, expected):
    assert percentile(values, fraction) == expected


def test_percentile_of_nothing_is_an_error():
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_bench_measures_the_clinic_pages_and_reports_ratios(tmp_path, capsys):
    out = tmp_path / "bench.json"
    arguments = ["--requests", "3", "--warmup", "1", "--wrk-seconds", "1"]
    assert main([*arguments, "--json", str(out)]) == 0
    outcome = json.loads(out.read_text())

    rows = {(row["name"], row["server"]): row for row in outcome["results"]}
    with_redis = shutil.which("redis-server") is not None
    for page in ("home page", "service page", "study index", "study page"):
        assert rows[(page, "render")]["cache_hits"] == 0
        # Warmed up once, then every measured request is a cache hit.
        assert rows[(page, "cached")]["cache_hits"] == 3
        assert f"{page}: page cache / rendered" in outcome["ratios"]
        # The ceiling: the same bytes from the trivial WSGI app.
        assert rows[(page, "trivial")]["requests"] == 3
        assert f"{page}: rendered / trivial" in outcome["ratios"]
        assert f"{page}: cached / trivial (req/s)" in outcome["ratios"]
        if with_redis:
            assert rows[(page, "redis")]["cache_hits"] == 3
            assert f"{page}: redis / trivial (req/s)" in outcome["ratios"]
    for page in ("service page", "study page"):
        assert rows[(page, "scratch")]["cache_hits"] == 0
        assert f"{page}: from scratch / trivial" in outcome["ratios"]
    assert rows[("API study detail", "render")]["cache_hits"] == 0
    assert rows[("API study detail", "cached")]["cache_hits"] == 3
    assert rows[("API study detail, unchanged (304)", "render")]["requests"] == 3
    assert rows[("API study detail, unchanged (304)", "cached")]["cache_hits"] == 3
    assert "API detail: 304 / 200" in outcome["ratios"]
    assert "API detail: cached 304 / rendered 200" in outcome["ratios"]
    assert all(row["median_ms"] > 0 for row in outcome["results"])
    # The req/s ratios come from wrk's load where it is installed (make
    # install-dev installs it), each scenario's answers checked by it too.
    if shutil.which("wrk"):
        assert outcome["settings"]["wrk_seconds"] == 1
        assert all(row["wrk_requests_per_second"] > 0 for row in outcome["results"])
        home = rows[("home page", "cached")]["wrk_requests_per_second"]
        trivial = rows[("home page", "trivial")]["wrk_requests_per_second"]
        ratio = outcome["ratios"]["home page: cached / trivial (req/s)"]
        assert ratio == round(home / trivial, 3)

    printed = capsys.readouterr().out
    assert "Ratios (lower is faster; req/s ratios from wrk" in printed or (
        not shutil.which("wrk") and "Ratios (lower is faster" in printed
    )
    assert "study page: page cache / rendered" in printed


def test_bench_stops_at_a_wrong_answer_and_says_so(monkeypatch, capsys):
    """A benchmark of error pages would be worse than none."""
    from bench import run

    real = run.scenarios

    def with_a_missing_page(port):
        return [*real(port), run.Scenario("missing", "render", "/no-such-page/")]

    monkeypatch.setattr(run, "scenarios", with_a_missing_page)
    assert main(["--requests", "2", "--warmup", "0", "--wrk-seconds", "0"]) == 1
    err = capsys.readouterr().err
    assert "bench failed: missing: GET /no-such-page/ answered 404" in err


def test_bench_refuses_unbounded_load():
    with pytest.raises(SystemExit):
        main(["--requests", "0"])
    with pytest.raises(SystemExit):
        main(["--concurrency", "500"])
    with pytest.raises(SystemExit):
        main(["--warmup", "-1"])
