"""``make bench``: how fast the site and the API answer, as ratios from one run.

Absolute milliseconds depend on the machine, so every number is reported next
to a ratio measured in the same run: a cached page against the same page
rendered, an API ``304`` against its ``200``, every scenario against a trivial
baseline (``/robots.txt``). A ratio that moves between runs means the code
changed, not the machine.

The ceiling (issue 16): a trivial WSGI app (``trivial_app`` below) serving
the very bytes each page or API answer has, under the same gunicorn
configuration. "rendered / trivial" says how many times a rendered answer
costs what merely sending its bytes costs; "cached / trivial (req/s)" says
which share of that ceiling the page cache reaches.

What it does, all on 127.0.0.1 and all bounded:

1. a fresh SQLite database in a temporary folder, migrated and loaded with the
   clinic's content (``load_clinic_content``), and the static files collected;
2. gunicorn servers with the production settings: one with the page and API
   caches off ("render"), one with them on over the disk cache ("cached"),
   one with them on over a throw-away Redis on loopback ("redis", when
   ``redis-server`` is installed; the two-level cache), and the trivial app
   ("trivial") with the bytes the render server answered;
3. for each scenario, a few warm-up requests, then a fixed number of requests
   from a fixed number of threads. Every response's status is checked: a
   benchmark of error pages would be worse than none.

The client is this script's own threads, one connection per request; at the
ceiling part of each figure is the client's own cost (Python threads on the
same two cores as the servers). So each scenario is then also loaded for a
few seconds by ``wrk`` (a C load generator, ``--wrk-seconds``, installed by
``make bench``), and the throughput ratios ("(req/s)") are wrk's when it ran:
the share of the ceiling a cached page reaches is the servers', not the
client's. Times (medians, "rendered / trivial") stay the Python client's,
whose every answer is checked.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 10  # seconds; one request never waits longer
STARTUP_TIMEOUT = 60  # seconds for a server to answer its first request


@dataclass
class Scenario:
    """One URL asked of one server, with the status every answer must have."""

    name: str
    # "render" (page and API caches off, shared fragments and routes on),
    # "scratch" (all of them off: every query and template, every time),
    # "cached" (on, disk), "redis" (on, Redis) or "trivial" (the same bytes
    # from a trivial WSGI app)
    server: str
    path: str
    expect: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Result:
    name: str
    server: str
    path: str
    requests: int
    median_ms: float
    p95_ms: float
    requests_per_second: float
    cache_hits: int
    vs_baseline: float = 0.0
    #: Throughput under wrk's load, when it ran (``wrk_rate``).
    wrk_requests_per_second: float | None = None


class BenchError(RuntimeError):
    """The site answered wrongly; the run stops and says what it got."""


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def request(port: int, path: str, headers: dict[str, str] | None = None):
    """One GET on a fresh connection: (status, seconds, headers, body)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Host": HOST, **(headers or {})})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return response.status, time.perf_counter() - started, response.headers, body


# Setting up: a database of the clinic's content and two servers.


# Only what a subprocess needs: nothing from the caller's shell or test run
# (a database URL, a CDN, pytest's settings) may leak into the measured site.
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")


def bench_environment(workdir: Path) -> dict[str, str]:
    env = {key: os.environ[key] for key in PASSED_THROUGH if key in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        STATIC_ROOT=str(workdir / "static"),
        PAGE_CACHE_DIR=str(workdir / "pages-setup"),
        LOG_LEVEL="ERROR",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    print(f"==> manage.py {' '.join(args)}", flush=True)
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def start_server(
    env: dict[str, str],
    workdir: Path,
    name: str,
    cache_seconds: int,
    *,
    app: str = "cms.wsgi",
    extra_env: dict[str, str] | None = None,
):
    port = free_port()
    server_env = {
        **env,
        "PAGE_CACHE_SECONDS": str(cache_seconds),
        "API_CACHE_SECONDS": str(cache_seconds),
        "PAGE_CACHE_DIR": str(workdir / f"pages-{name}"),
        **(extra_env or {}),
    }
    # Each server's output (the production request log: a line per request)
    # goes to a file in the bench folder, so the figures are not lost among
    # log lines; a server that does not start has its last lines shown.
    log_path = workdir / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                app,
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=server_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_answering(process, port, name)
    except BenchError as error:
        stop_server(process)
        raise BenchError(f"{error}\n{log_tail(log_path)}") from error
    except BaseException:
        stop_server(process)  # also on Ctrl-C: never leave a server behind
        raise
    print(
        f"==> {name} server on http://{HOST}:{port}/ (output: {log_path})", flush=True
    )
    return process, port


def log_tail(path: Path, lines: int = 20) -> str:
    """The last ``lines`` lines a server wrote, to say why it did not start."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def wait_until_answering(process, port: int, name: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"The {name} server exited with {process.returncode}.")
        try:
            request(port, "/robots.txt")
            return
        except OSError:
            time.sleep(0.2)
    raise BenchError(f"The {name} server did not answer within {STARTUP_TIMEOUT} s.")


def stop_server(process) -> None:
    """Stop gunicorn and its workers (their own process group)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass  # it exited between the check and the signal


# The ceiling: the same bytes from a WSGI app that does nothing else.

TRIVIAL_BODIES_ENV = "BENCH_TRIVIAL_BODIES"
_trivial_answers: dict[str, tuple[str, list[tuple[str, str]], bytes]] = {}


def trivial_app(environ, start_response):
    """Answer each known path with the bytes recorded for it, and nothing else.

    Run by gunicorn as ``bench.run:trivial_app``; the recorded answers come
    from the file named by ``BENCH_TRIVIAL_BODIES`` (see ``record_bytes``).
    """
    if not _trivial_answers:
        recorded = json.loads(Path(os.environ[TRIVIAL_BODIES_ENV]).read_text())
        for path, (content_type, body) in recorded.items():
            data = body.encode("latin-1")
            headers = [
                ("Content-Type", content_type),
                ("Content-Length", str(len(data))),
            ]
            _trivial_answers[path] = ("200 OK", headers, data)
    path = environ.get("PATH_INFO", "/")
    if environ.get("QUERY_STRING"):
        path += "?" + environ["QUERY_STRING"]
    status, headers, data = _trivial_answers.get(
        path, ("404 Not Found", [("Content-Length", "0")], b"")
    )
    start_response(status, headers)
    return [data]


def record_bytes(port: int, plan: list[Scenario], workdir: Path) -> Path:
    """What the render server answers for each 200 scenario, for the trivial app."""
    recorded = {}
    for scenario in plan:
        if scenario.server != "render" or scenario.expect != 200:
            continue
        status, _, headers, body = request(port, scenario.path, scenario.headers)
        if status != 200:
            raise BenchError(
                f"{scenario.name}: GET {scenario.path} answered {status}, expected 200."
            )
        recorded[scenario.path] = (headers["Content-Type"], body.decode("latin-1"))
    target = workdir / "trivial-bodies.json"
    target.write_text(json.dumps(recorded))
    return target


def start_redis(workdir: Path):
    """A throw-away Redis on loopback, or ``None`` when it is not installed."""
    binary = shutil.which("redis-server")
    if binary is None:
        print("==> redis-server not installed: no two-level cache figures")
        return None, None
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - redis-server, fixed arguments
        [
            *(binary, "--bind", HOST, "--port", str(port), "--save", ""),
            *("--appendonly", "no", "--dir", str(workdir)),
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return process, f"redis://{HOST}:{port}/0"
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    raise BenchError(f"Redis did not answer within {STARTUP_TIMEOUT} s.")


# What is measured.


def get_json(port: int, path: str) -> dict:
    status, _, _, body = request(port, path)
    if status != 200:
        raise BenchError(f"GET {path} answered {status}.")
    return json.loads(body)


def scenarios(port: int) -> list[Scenario]:
    """The clinic's own pages, found through the API as a frontend finds them."""
    service = get_json(port, "/api/v3/services/?limit=1")["items"][0]
    study = get_json(port, "/api/v3/studies/?limit=1")["items"][0]
    _, _, headers, _ = request(port, f"/api/v3/studies/{study['id']}/")
    etag = headers["ETag"]
    pages = [
        ("home page", "/"),
        ("service page", service["url"]),
        ("study index", "/studies/"),
        ("study page", study["url"]),
        ("search", "/search/?q=ketamine"),
    ]
    found = [Scenario("baseline: robots.txt", "render", "/robots.txt")]
    for name, url in pages:
        path = "/" + url.split("/", 3)[3] if url.startswith("http") else url
        found.append(Scenario(name, "render", path))
        if name in ("service page", "study page"):
            found.append(Scenario(name, "scratch", path))
        found.append(Scenario(name, "cached", path))
    detail = f"/api/v3/studies/{study['id']}/"
    found += [
        Scenario("API study list", "render", "/api/v3/studies/"),
        Scenario("API study list", "cached", "/api/v3/studies/"),
        Scenario("API study detail", "render", detail),
        Scenario("API study detail", "cached", detail),
        Scenario(
            "API study detail, unchanged (304)",
            "render",
            detail,
            expect=304,
            headers={"If-None-Match": etag},
        ),
    ]
    return found


def cached_304(port: int, detail: str) -> Scenario:
    """The 304 of the API cache: its ETag comes from the cached server itself."""
    _, _, headers, _ = request(port, detail)
    return Scenario(
        "API study detail, unchanged (304)",
        "cached",
        detail,
        expect=304,
        headers={"If-None-Match": headers["ETag"]},
    )


def with_ceilings(plan: list[Scenario], servers: set[str]) -> list[Scenario]:
    """Each page scenario also on the trivial app and, if running, over Redis."""
    found = []
    for scenario in plan:
        found.append(scenario)
        if scenario.server == "cached" and scenario.expect == 200:
            if "redis" in servers:
                found.append(Scenario(scenario.name, "redis", scenario.path))
            found.append(Scenario(scenario.name, "trivial", scenario.path))
    return found


def measure(
    scenario: Scenario, port: int, requests: int, warmup: int, concurrency: int
) -> Result:
    def one(_):
        try:
            status, seconds, headers, _ = request(port, scenario.path, scenario.headers)
        except (OSError, http.client.HTTPException) as error:
            message = f"{scenario.name}: GET {scenario.path}: {error}"
            raise BenchError(message) from error
        if status != scenario.expect:
            raise BenchError(
                f"{scenario.name}: GET {scenario.path} answered {status}, "
                f"expected {scenario.expect}."
            )
        hit = "hit" in (headers.get("X-Page-Cache"), headers.get("X-API-Cache"))
        return seconds, hit

    for number in range(warmup):
        one(number)
    started = time.perf_counter()
    pool = ThreadPoolExecutor(max_workers=concurrency)
    try:
        answers = list(pool.map(one, range(requests)))
    except BaseException:
        # Stop at the first wrong answer instead of sending the rest.
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()
    elapsed = time.perf_counter() - started
    times = [seconds * 1000 for seconds, _ in answers]
    return Result(
        name=scenario.name,
        server=scenario.server,
        path=scenario.path,
        requests=requests,
        median_ms=round(statistics.median(times), 2),
        p95_ms=round(percentile(times, 0.95), 2),
        requests_per_second=round(requests / elapsed, 1),
        cache_hits=sum(hit for _, hit in answers),
    )


WRK = shutil.which("wrk")


def wrk_rate(port: int, scenario: Scenario, seconds: int, connections: int) -> float:
    """Requests per second of ``scenario`` under ``wrk`` (one thread,
    ``connections`` at a time, ``seconds`` long: bounded like the rest)."""
    command = [WRK, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s"]
    for name, value in {"Host": HOST, **scenario.headers}.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{HOST}:{port}{scenario.path}")
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 30
        )
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"{scenario.name}: wrk did not finish") from error
    rate = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    if done.returncode != 0 or rate is None:
        raise BenchError(f"{scenario.name}: wrk failed: {done.stderr or done.stdout}")
    # wrk counts answers outside 2xx and 3xx; none is expected here.
    wrong = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    if wrong:
        raise BenchError(
            f"{scenario.name}: GET {scenario.path}: {wrong.group(1)} answers "
            "under wrk were errors."
        )
    return float(rate.group(1))


def throughput(result: Result, other: Result) -> tuple[float, float]:
    """The two results' requests per second: wrk's when both have it."""
    if result.wrk_requests_per_second and other.wrk_requests_per_second:
        return result.wrk_requests_per_second, other.wrk_requests_per_second
    return result.requests_per_second, other.requests_per_second


def ratios(results: list[Result]) -> dict[str, float]:
    """The comparisons that hold across machines, all from this run.

    Times are medians; "(req/s)" ratios compare throughput under the same load
    (issue 16's targets: rendered / trivial at most 30 (shared fragments and
    routes on; "from scratch" has them off too), cached / trivial at
    least 0.70, over Redis at least 0.60, 304 / rendered 200 at most 0.2).
    """
    by_key = {(r.name, r.server): r for r in results}
    found = {}
    for (name, server), result in by_key.items():
        rendered = by_key.get((name, "render"))
        trivial = by_key.get((name, "trivial"))
        if server == "cached" and rendered:
            found[f"{name}: page cache / rendered"] = round(
                result.median_ms / rendered.median_ms, 3
            )
        if server == "trivial" and rendered:
            found[f"{name}: rendered / trivial"] = round(
                rendered.median_ms / result.median_ms, 3
            )
            scratch = by_key.get((name, "scratch"))
            if scratch:
                found[f"{name}: from scratch / trivial"] = round(
                    scratch.median_ms / result.median_ms, 3
                )
        if server in ("cached", "redis") and trivial:
            ours, ceiling = throughput(result, trivial)
            found[f"{name}: {server} / trivial (req/s)"] = round(ours / ceiling, 3)
    fresh = by_key.get(("API study detail", "render"))
    for server in ("render", "cached"):
        unchanged = by_key.get(("API study detail, unchanged (304)", server))
        if fresh and unchanged:
            label = {
                "render": "API detail: 304 / 200",
                "cached": "API detail: cached 304 / rendered 200",
            }[server]
            found[label] = round(unchanged.median_ms / fresh.median_ms, 3)
    return found


def report(results: list[Result], found_ratios: dict[str, float]) -> str:
    lines = [
        f"{'scenario':38} {'server':7} {'median ms':>9} {'p95 ms':>8} "
        f"{'req/s':>7} {'× base':>7} {'hits':>5} {'wrk r/s':>8}"
    ]
    for r in results:
        wrk = f"{r.wrk_requests_per_second:8.1f}" if r.wrk_requests_per_second else ""
        lines.append(
            f"{r.name:38} {r.server:7} {r.median_ms:9.2f} {r.p95_ms:8.2f} "
            f"{r.requests_per_second:7.1f} {r.vs_baseline:7.2f} {r.cache_hits:5d} "
            f"{wrk}"
        )
    lines.append("")
    with_wrk = any(r.wrk_requests_per_second for r in results)
    client = "wrk" if with_wrk else "this script's threads (wrk not installed)"
    lines.append(f"Ratios (lower is faster; req/s ratios from {client}):")
    lines += [f"  {name:45} {value:.3f}" for name, value in found_ratios.items()]
    return "\n".join(lines)


def run(
    requests: int, warmup: int, concurrency: int, workdir: Path, wrk_seconds: int = 0
) -> dict:
    env = bench_environment(workdir)
    manage(env, "migrate", "--noinput")
    manage(env, "load_clinic_content")
    manage(env, "collectstatic", "--noinput")
    servers = {}
    try:
        for name, cache_seconds in (("render", 0), ("cached", 600)):
            servers[name] = start_server(env, workdir, name, cache_seconds)
        servers["scratch"] = start_server(
            env, workdir, "scratch", 0, extra_env={"FRAGMENT_CACHE_SECONDS": "0"}
        )
        redis_process, redis_url = start_redis(workdir)
        if redis_process is not None:
            servers["redis-server"] = (redis_process, None)
            servers["redis"] = start_server(
                env, workdir, "redis", 600, extra_env={"REDIS_URL": redis_url}
            )
        ports = {name: port for name, (_, port) in servers.items()}
        results = []
        plan = scenarios(ports["render"])
        detail = next(s.path for s in plan if s.name == "API study detail")
        plan.append(cached_304(ports["cached"], detail))
        bodies = record_bytes(ports["render"], plan, workdir)
        servers["trivial"] = start_server(
            env,
            workdir,
            "trivial",
            0,
            app="bench.run:trivial_app",
            extra_env={TRIVIAL_BODIES_ENV: str(bodies)},
        )
        ports["trivial"] = servers["trivial"][1]
        plan = with_ceilings(plan, set(ports))
        print(
            f"==> {len(plan)} scenarios × {requests} requests, {concurrency} at a time",
            flush=True,
        )
        for scenario in plan:
            result = measure(
                scenario, ports[scenario.server], requests, warmup, concurrency
            )
            if wrk_seconds and WRK:
                result.wrk_requests_per_second = wrk_rate(
                    ports[scenario.server], scenario, wrk_seconds, concurrency
                )
            wrk = result.wrk_requests_per_second
            print(
                f"    {scenario.name} ({scenario.server}): {result.median_ms} ms"
                + (f", {wrk} req/s under wrk" if wrk else "")
            )
            results.append(result)
    finally:
        for process, _ in servers.values():
            stop_server(process)
    baseline = results[0].median_ms
    for result in results:
        result.vs_baseline = round(result.median_ms / baseline, 2)
    found_ratios = ratios(results)
    return {
        "settings": {
            "requests": requests,
            "warmup": warmup,
            "concurrency": concurrency,
            "wrk_seconds": wrk_seconds if WRK else 0,
            "gunicorn_workers": 2,
            "database": "SQLite",
        },
        "results": [asdict(r) for r in results],
        "ratios": found_ratios,
        "report": report(results, found_ratios),
    }


def _exit_on_signal(signum, frame):
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    # Issue 16: ``--scale`` is the 50-against-10,000-studies benchmark. It
    # builds on this module's helpers (bench/scale.py imports them), so it runs
    # as its own program instead of being imported back here.
    arguments = sys.argv[1:] if argv is None else argv
    if "--scale" in arguments:
        rest = [argument for argument in arguments if argument != "--scale"]
        return subprocess.call([sys.executable, "-m", "bench.scale", *rest], cwd=ROOT)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="per scenario")
    parser.add_argument("--warmup", type=int, default=10, help="per scenario")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads")
    parser.add_argument(
        "--wrk-seconds",
        type=int,
        default=3,
        help="seconds of wrk load per scenario, for the req/s ratios (0: none)",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    options = parser.parse_args(argv)
    if not (
        1 <= options.requests <= 10_000
        and 0 <= options.warmup <= 1_000
        and 1 <= options.concurrency <= 32
        and 0 <= options.wrk_seconds <= 30
    ):
        parser.error(
            "--requests must be 1–10000, --warmup 0–1000, --concurrency 1–32 "
            "and --wrk-seconds 0–30"
        )
    if options.wrk_seconds and not WRK:
        print("==> wrk is not installed: req/s ratios from this script's threads")
    # A plain kill or a cancelled job must still stop the servers (finally).
    stops = (signal.SIGTERM, signal.SIGHUP)
    previous = {signum: signal.signal(signum, _exit_on_signal) for signum in stops}
    workdir = Path(tempfile.mkdtemp(prefix="clinic-bench-"))
    try:
        outcome = run(
            options.requests,
            options.warmup,
            options.concurrency,
            workdir,
            options.wrk_seconds,
        )
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
