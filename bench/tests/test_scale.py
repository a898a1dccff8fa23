"""``make bench ARGS=--scale`` asks for the right pages and judges the ratio."""

from bench.run import Result
from bench.scale import ALLOWED_RATIO, SYNTHETIC_HOST, report, scenarios


def test_the_last_pages_are_the_real_last_pages():
    by_name = {s.name: s for s in scenarios(10_000, 2_000)}
    # 10,000 studies at 12 a page; 12,003 pages at 50 a sitemap.
    assert by_name["study index, last page"].path == "/studies/?page=834"
    assert by_name["sitemap, last full page"].path == "/sitemap-pages.xml?p=240"
    assert by_name["API study list, last page"].path == (
        "/api/v3/studies/?offset=9980&limit=20"
    )
    assert {s.headers["Host"] for s in by_name.values()} == {SYNTHETIC_HOST}


def result(name: str, median_ms: float) -> Result:
    return Result(name, "render", "/", 10, median_ms, median_ms, 1.0, 0)


def test_the_report_flags_what_is_slower_than_the_goal():
    outcome = report(
        [result("fast", 10.0), result("slow", 10.0)],
        [result("fast", 10.0 * ALLOWED_RATIO), result("slow", 16.0)],
        "SQLite",
    )
    assert [row["within_goal"] for row in outcome["rows"]] == [True, False]
    assert "SLOW" in outcome["report"].splitlines()[-1]


def test_a_scenario_that_failed_is_reported_as_failed():
    failed = result("search", 0.0)
    failed.failed = "search: GET /search/?q=ketamine: timed out"
    outcome = report([result("search", 10.0)], [failed], "SQLite")
    assert outcome["rows"][0]["within_goal"] is False
    assert outcome["all_within_goal"] is False
    assert "FAILED: search: GET /search/?q=ketamine: timed out" in outcome["report"]
