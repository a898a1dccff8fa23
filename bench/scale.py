"""``make bench ARGS=--scale``: the same pages with 50 study summaries and with 10,000.

A listing, the API, search and the sitemap must cost about as much on a
library of 10,000 studies as on one of 50. Both sizes are measured in one run,
on one server configuration, so the figure that matters is the ratio of the
two (at most 1.5), not the milliseconds.

The studies are synthetic (``manage.py generate_demo_content``) and live on a
site of their own (``synthetic.localhost``, asked for with a ``Host`` header),
beside the clinic's loaded content, exactly as they would be on a real
install. Everything runs on 127.0.0.1 and is bounded like ``bench.run``: a
fixed number of requests per scenario, every answer's status checked.

SQLite by default (a fresh file in a temporary folder); ``--database-url``
measures PostgreSQL instead (``bash .ci/with-postgres.sh`` provides one, as
``DATABASE_URL``, and ``--database-url env`` reads it from there).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from bench.run import (
    BenchError,
    Result,
    Scenario,
    bench_environment,
    manage,
    measure,
    start_server,
    stop_server,
)

SYNTHETIC_HOST = "synthetic.localhost"
#: The two library sizes compared; articles grow with them (one per five).
SMALL, LARGE = 50, 10_000
#: The goal: the large library within this factor of the small one.
ALLOWED_RATIO = 1.5
#: Cards per page of the studies index (``cms.core.listings.CARDS_PER_PAGE``).
CARDS_PER_PAGE = 12
#: Pages per sitemap for the measured server (``SITEMAP_PAGE_SIZE``; the site's
#: default is 1,000). Small enough that the library of 50 studies (63 pages)
#: already needs a sitemap index, so both sizes compare like with like: an index
#: against an index, and a full sitemap of 50 addresses against another.
SITEMAP_PAGE_SIZE = 50


def scenarios(studies: int, articles: int) -> list[Scenario]:
    host = {"Host": SYNTHETIC_HOST}
    last_page = math.ceil(studies / CARDS_PER_PAGE)
    # Home, two index pages, the studies and the articles.
    sitemaps = math.ceil((3 + studies + articles) / SITEMAP_PAGE_SIZE)
    return [
        Scenario("study index", "render", "/studies/", headers=host),
        Scenario(
            "study index, last page",
            "render",
            f"/studies/?page={last_page}",
            headers=host,
        ),
        Scenario("API study list", "render", "/api/v3/studies/", headers=host),
        Scenario(
            "API study list, last page",
            "render",
            f"/api/v3/studies/?offset={studies - 20}&limit=20",
            headers=host,
        ),
        Scenario("search", "render", "/search/?q=ketamine", headers=host),
        Scenario("sitemap index", "render", "/sitemap.xml", headers=host),
        Scenario(
            "sitemap, last full page",
            "render",
            f"/sitemap-pages.xml?p={max(1, sitemaps - 1)}",
            headers=host,
        ),
    ]


def measure_size(
    env: dict[str, str],
    workdir: Path,
    studies: int,
    options: argparse.Namespace,
) -> list[Result]:
    articles = studies // 5
    manage(
        env,
        "generate_demo_content",
        "--studies",
        str(studies),
        "--articles",
        str(articles),
        "--hostname",
        SYNTHETIC_HOST,
    )
    process, port = start_server(env, workdir, f"render-{studies}", 0)
    results = []
    try:
        for scenario in scenarios(studies, articles):
            try:
                result = measure(
                    scenario,
                    port,
                    options.requests,
                    options.warmup,
                    options.concurrency,
                )
            except BenchError as error:
                # A scenario too slow to answer (a request over the timeout) is
                # a result too: reported as failed, the others still measured.
                print(f"    {scenario.name} ({studies} studies): FAILED: {error}")
                result = Result(
                    scenario.name, scenario.server, scenario.path, 0, 0.0, 0.0, 0.0, 0
                )
                result.failed = str(error)
            else:
                print(f"    {scenario.name} ({studies} studies): {result.median_ms} ms")
            results.append(result)
    finally:
        stop_server(process)
    return results


def report(small: list[Result], large: list[Result], database: str) -> dict:
    rows = []
    lines = [
        f"Scale on {database}: {SMALL} against {LARGE} study summaries",
        f"{'scenario':28} {SMALL:>9} ms {LARGE:>9} ms {'ratio':>7}  goal ≤ "
        f"{ALLOWED_RATIO}",
    ]
    for few, many in zip(small, large, strict=True):
        failed = getattr(few, "failed", "") or getattr(many, "failed", "")
        ratio = None if failed else round(many.median_ms / few.median_ms, 2)
        within = ratio is not None and ratio <= ALLOWED_RATIO
        rows.append(
            {"scenario": few.name, "small": asdict(few), "large": asdict(many)}
            | {"ratio": ratio, "within_goal": within, "failed": failed}
        )
        if failed:
            lines.append(f"{few.name:28} FAILED: {failed}")
            continue
        lines.append(
            f"{few.name:28} {few.median_ms:12.2f} {many.median_ms:12.2f} "
            f"{ratio:7.2f}  {'ok' if within else 'SLOW'}"
        )
    return {
        "database": database,
        "rows": rows,
        "report": "\n".join(lines),
        "all_within_goal": all(row["within_goal"] for row in rows),
    }


def run(options: argparse.Namespace, workdir: Path) -> dict:
    env = bench_environment(workdir)
    env["ALLOWED_HOSTS"] = f"{env['ALLOWED_HOSTS']},{SYNTHETIC_HOST}"
    env["SITEMAP_PAGE_SIZE"] = str(SITEMAP_PAGE_SIZE)
    database = "SQLite"
    if options.database_url:
        env["DATABASE_URL"] = options.database_url
        database = "PostgreSQL"
    manage(env, "migrate", "--noinput")
    manage(env, "load_clinic_content")
    manage(env, "collectstatic", "--noinput")
    try:
        small = measure_size(env, workdir, SMALL, options)
        large = measure_size(env, workdir, LARGE, options)
    finally:
        if options.database_url:  # a database the caller keeps: leave it clean
            manage(env, "generate_demo_content", "--remove")
    return report(small, large, database)


def _exit_on_signal(signum, frame):
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40, help="per scenario")
    parser.add_argument("--warmup", type=int, default=4, help="per scenario")
    parser.add_argument("--concurrency", type=int, default=2, help="client threads")
    parser.add_argument(
        "--database-url",
        help="measure this (PostgreSQL) database instead of a fresh SQLite file; "
        "'env' reads DATABASE_URL",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    options = parser.parse_args(argv)
    if not (
        1 <= options.requests <= 1_000
        and 0 <= options.warmup <= 100
        and 1 <= options.concurrency <= 8
    ):
        parser.error("--requests must be 1–1000, --warmup 0–100, --concurrency 1–8")
    if options.database_url == "env":
        options.database_url = os.environ.get("DATABASE_URL")
        if not options.database_url:
            parser.error("--database-url env: DATABASE_URL is not set")
    stops = (signal.SIGTERM, signal.SIGHUP)
    previous = {signum: signal.signal(signum, _exit_on_signal) for signum in stops}
    workdir = Path(tempfile.mkdtemp(prefix="clinic-bench-scale-"))
    try:
        outcome = run(options, workdir)
    except (BenchError, subprocess.CalledProcessError) as error:
        print(f"bench failed: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    print()
    print(outcome["report"])
    if options.json:
        options.json.write_text(json.dumps(outcome, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
