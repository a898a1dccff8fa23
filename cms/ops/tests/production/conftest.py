"""The production topology on loopback, once per lane run (``make test-production``).

PostgreSQL comes from .ci/with-postgres.sh (``DATABASE_URL``); this module
starts Redis, moto's S3 server, two gunicorn app servers, the worker and
Varnish with the files in deploy/, and stops them all at the end, whatever
happened. Tests here are marked ``production``; outside the lane
(``CLINIC_PRODUCTION_LANE`` unset) they are skipped, and the other lanes
deselect them with ``-m "not production"``. Inside the lane a service that
does not start is an error, never a skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import boto3
import psycopg
import pytest
import redis as redis_client

from cms.ops.tests.topology import (
    BIN,
    DEPLOY,
    PYTHON,
    ROOT,
    Ports,
    Service,
    gunicorn,
    manage,
    port_open,
    production_env,
    say,
    wait_healthy,
    wait_until,
    worker,
)

IN_LANE = os.environ.get("CLINIC_PRODUCTION_LANE") == "1"
BUCKET = "clinic-media"
S3_KEY, S3_SECRET = "lane-access-key", "lane-secret-key"  # moto accepts any pair


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "production: needs the production lane's services (make test-production)",
    )


def pytest_collection_modifyitems(config, items):
    if IN_LANE:
        return
    skip = pytest.mark.skip(reason="runs in the production lane: make test-production")
    for item in items:
        if item.get_closest_marker("production"):
            item.add_marker(skip)


def find_pg_bin() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    assert candidates, (
        "PostgreSQL binaries not found (.ci/with-postgres.sh installs them)"
    )
    return candidates[-1]


class Lane:
    """Every service of the topology, their addresses and the shared environment."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.logs = tmp / "logs"
        self.logs.mkdir()
        self.ports = Ports()
        self.pg_bin = find_pg_bin()
        server_url = os.environ["DATABASE_URL"]
        parts = urlsplit(server_url)
        self.database_url = urlunsplit(parts._replace(path="/clinic_lane"))
        self.maintenance_url = urlunsplit(parts._replace(path="/postgres"))
        self.varnish_url = f"http://127.0.0.1:{self.ports.varnish}"
        self.app_urls = {
            "app_a": f"http://127.0.0.1:{self.ports.app_a}",
            "app_b": f"http://127.0.0.1:{self.ports.app_b}",
        }
        self.s3_url = f"http://127.0.0.1:{self.ports.moto}"
        self.redis_url = f"redis://127.0.0.1:{self.ports.redis}/0"
        self.admin_password = os.urandom(12).hex()
        self.env = production_env(
            {
                "DATABASE_URL": self.database_url,
                "DATABASE_CONN_MAX_AGE": "0",
                "REDIS_URL": self.redis_url,
                "AWS_STORAGE_BUCKET_NAME": BUCKET,
                "AWS_ACCESS_KEY_ID": S3_KEY,
                "AWS_SECRET_ACCESS_KEY": S3_SECRET,
                "AWS_S3_REGION_NAME": "us-east-1",
                "AWS_S3_ENDPOINT_URL": self.s3_url,
                "AWS_S3_ADDRESSING_STYLE": "path",
                "AWS_S3_URL_PROTOCOL": "http:",
                "FRONTEND_CACHE_URL": self.varnish_url,
                "WAGTAILADMIN_BASE_URL": self.varnish_url,
                "STATIC_ROOT": str(tmp / "static"),
                "MEDIA_ROOT": str(tmp / "media"),
                # The lane posts forms quickly from one address.
                "RATE_LIMIT_CONSULTATION": "1000/h",
                "LANE_ADMIN_PASSWORD": self.admin_password,
            }
        )
        self.services: dict[str, Service] = {
            "redis": Service(
                name=f"Redis on 127.0.0.1:{self.ports.redis}",
                argv=[
                    "redis-server",
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    str(self.ports.redis),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(tmp),
                ],
                env=dict(os.environ),
                log=self.logs / "redis.log",
            ),
            "moto": Service(
                name=f"S3-compatible store (moto) on 127.0.0.1:{self.ports.moto}",
                argv=[
                    str(BIN / "moto_server"),
                    "-H",
                    "127.0.0.1",
                    "-p",
                    str(self.ports.moto),
                ],
                env=dict(os.environ),
                log=self.logs / "moto.log",
            ),
            "app_a": gunicorn("app_a", self.ports.app_a, self.env, self.logs),
            "app_b": gunicorn("app_b", self.ports.app_b, self.env, self.logs),
            "worker": worker(self.env, self.logs),
            "varnish": self.varnish_service(),
        }

    # Varnish runs deploy/varnish/default.vcl; only backends.vcl is the lane's.

    def varnish_service(self) -> Service:
        conf = self.tmp / "varnish-conf"
        conf.mkdir()
        backends = (DEPLOY / "varnish" / "backends.vcl").read_text()
        backends = backends.replace('"8001"', f'"{self.ports.app_a}"').replace(
            '"8002"', f'"{self.ports.app_b}"'
        )
        (conf / "backends.vcl").write_text(backends)
        self.varnish_workdir = self.tmp / "varnish-work"
        return Service(
            name=f"Varnish on 127.0.0.1:{self.ports.varnish}",
            argv=[
                shutil.which("varnishd") or "/usr/sbin/varnishd",
                "-F",
                "-j",
                "none",
                "-n",
                str(self.varnish_workdir),
                "-a",
                f"127.0.0.1:{self.ports.varnish}",
                "-T",
                f"127.0.0.1:{Ports().varnish}",
                "-f",
                str(DEPLOY / "varnish" / "default.vcl"),
                "-p",
                f"vcl_path={conf}:{DEPLOY / 'varnish'}",
                "-s",
                "malloc,64m",
            ],
            env=dict(os.environ),
            log=self.logs / "varnish.log",
        )

    def s3(self):
        return boto3.client(
            "s3",
            endpoint_url=self.s3_url,
            aws_access_key_id=S3_KEY,
            aws_secret_access_key=S3_SECRET,
            region_name="us-east-1",
        )

    def redis(self):
        return redis_client.Redis.from_url(self.redis_url, socket_timeout=2)

    def wait_port(self, name: str, port: int) -> None:
        wait_until(
            lambda: self.services[name].running() and port_open(port),
            what=self.services[name].name,
            timeout=30,
        )

    def start_redis(self) -> None:
        self.services["redis"].start()
        self.wait_port("redis", self.ports.redis)

    def start_app(self, name: str) -> None:
        self.services[name].start()
        wait_healthy(self.app_urls[name], timeout=60)

    def restart_worker(self, env: dict[str, str] | None = None, *args: str):
        """Stop the worker and start a fresh one, as systemd would after a crash.

        ``env`` goes on top of the lane's environment and ``args`` after the
        command (the webhook tests give the worker settings allowing loopback
        receivers, and a shorter sweep); none of either gives the usual worker.
        """
        self.services["worker"].stop()
        usual = worker(self.env, self.logs)
        usual.argv = [*usual.argv, *args]
        usual.env = {**self.env, **(env or {})}
        self.services["worker"] = usual.start()
        return usual

    def start(self) -> None:
        say(f"==> Creating database clinic_lane on {self.maintenance_url}")
        with psycopg.connect(self.maintenance_url, autocommit=True) as connection:
            connection.execute("DROP DATABASE IF EXISTS clinic_lane")
            connection.execute("CREATE DATABASE clinic_lane")
        self.start_redis()
        self.services["moto"].start()
        self.wait_port("moto", self.ports.moto)
        say(f"==> Creating private bucket {BUCKET}")
        self.s3().create_bucket(Bucket=BUCKET)
        say("==> Migrating, collecting static files, loading the clinic's content")
        # collectstatic needs no database: it runs while migrate does.
        static = subprocess.Popen(  # noqa: S603 - our own fixed command
            [PYTHON, str(ROOT / "manage.py"), "collectstatic", "--noinput"],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        manage(self.env, "migrate", "--noinput")
        _out, errors = static.communicate(timeout=300)
        assert static.returncode == 0, errors.decode()[-3000:]
        manage(
            self.env,
            "load_clinic_content",
            "--site-hostname",
            "127.0.0.1",
            "--site-port",
            str(self.ports.varnish),
        )
        manage(
            self.env,
            "shell",
            "--no-imports",
            "-c",
            "import os; from django.contrib.auth import get_user_model; "
            "get_user_model().objects.create_superuser('lane-admin', "
            "'lane-admin@clinic.example', os.environ['LANE_ADMIN_PASSWORD'])",
        )
        for name in ("app_a", "app_b"):
            self.services[name].start()
        self.services["varnish"].start()
        self.wait_port("varnish", self.ports.varnish)
        for name in ("app_a", "app_b"):
            wait_healthy(self.app_urls[name], timeout=90)
        wait_healthy(self.varnish_url, timeout=30)
        # Last: the content load queued CDN purges, which need Varnish up.
        self.services["worker"].start()
        say("==> Topology up: " + ", ".join(s.name for s in self.services.values()))

    def stop(self) -> None:
        for name in ("varnish", "worker", "app_a", "app_b", "moto", "redis"):
            try:
                self.services[name].stop()
            except Exception as error:  # noqa: BLE001 - stop the others anyway
                say(f"==> Could not stop {name}: {error}")

    def log_of(self, name: str) -> str:
        return self.services[name].log.read_text(errors="replace")


@pytest.fixture(scope="session")
def lane():
    assert IN_LANE, "the production lane sets CLINIC_PRODUCTION_LANE=1"
    assert "DATABASE_URL" in os.environ, "run under .ci/with-postgres.sh"
    tmp = Path(tempfile.mkdtemp(prefix="clinic-lane."))
    topology = Lane(tmp)
    try:
        topology.start()
    except BaseException:
        for service in topology.services.values():
            say(f"--- {service.name} ---\n{service.tail(15)}")
        topology.stop()
        raise
    yield topology
    topology.stop()
    if os.environ.get("KEEP_LANE_LOGS") != "1":
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        say(f"==> Lane logs kept in {tmp / 'logs'}")
