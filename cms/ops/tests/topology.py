"""Real processes on loopback for the deployment tests: start, probe, stop.

The production lane (``make test-production``) and the SQLite team test run
the site the way a server does: gunicorn with deploy/gunicorn.conf.py and the
production settings, ``manage.py run_worker``, and, in the lane, Redis, an
S3-compatible store (moto in server mode) and Varnish with
deploy/varnish/default.vcl. Everything listens on 127.0.0.1, every wait has a
deadline and an iteration cap, and every process runs in its own process
group so stopping it stops its children too.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
HTTP_TIMEOUT = 15


def say(message: str) -> None:
    """Progress for the person watching the lane (pytest captures stdout)."""
    sys.__stderr__.write(message + "\n")
    sys.__stderr__.flush()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, *, what: str, timeout: float = 30.0, interval: float = 0.2):
    """Call ``check`` until it returns something truthy; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    last_error = None
    for _attempt in range(int(timeout / interval) + 1):
        try:
            result = check()
        except Exception as error:  # noqa: BLE001 - reported below
            result, last_error = None, error
        if result:
            return result
        if time.monotonic() > deadline:
            break
        time.sleep(interval)
    raise TimeoutError(
        f"Timed out after {timeout:g} s waiting for {what} ({last_error})"
    )


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of an environment file (systemd's EnvironmentFile format)."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip()
    return values


@dataclass
class Service:
    """One long-running process with its log file."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None

    def start(self) -> Service:
        say(f"==> Starting {self.name}")
        handle = self.log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own fixed commands
            self.argv,
            env=self.env,
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        handle.close()
        return self

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 15.0) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            say(f"==> Stopping {self.name}")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        # Children that outlived their leader (gunicorn workers) go too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None

    def tail(self, lines: int = 40) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    """Run ``manage.py`` with ``env``; its output, or an error showing it."""
    completed = subprocess.run(  # noqa: S603 - our own fixed commands
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args[:2])} failed ({completed.returncode}):\n"
            f"{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"
        )
    return completed.stdout


def shell_json(env: dict[str, str], code: str, timeout: float = 120):
    """Run Python in ``manage.py shell``; its last output line, read as JSON."""
    output = manage(env, "shell", "--no-imports", "-c", code, timeout=timeout)
    return json.loads(output.strip().splitlines()[-1])


def gunicorn(name: str, port: int, env: dict[str, str], logs: Path) -> Service:
    return Service(
        name=f"{name} (gunicorn) on 127.0.0.1:{port}",
        argv=[
            str(BIN / "gunicorn"),
            "-c",
            str(DEPLOY / "gunicorn.conf.py"),
            "cms.wsgi",
        ],
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        log=logs / f"{name}.log",
    )


def worker(env: dict[str, str], logs: Path) -> Service:
    return Service(
        name="worker (manage.py run_worker)",
        argv=[PYTHON, str(ROOT / "manage.py"), "run_worker", "--interval", "5"],
        env=env,
        log=logs / "worker.log",
    )


def wait_healthy(base_url: str, *, timeout: float = 60) -> None:
    wait_until(
        lambda: requests.get(f"{base_url}/healthz/", timeout=3).status_code == 200,
        what=f"{base_url}/healthz/",
        timeout=timeout,
        interval=0.3,
    )


def production_env(overrides: dict[str, str]) -> dict[str, str]:
    """deploy/clinic.env.example, the documented environment, with the run's values."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "AWS_", "PYTEST_"))
        and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(read_env_file(DEPLOY / "clinic.env.example"))
    env.update(
        {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": "",
            # Loopback is plain HTTP: nothing in front terminates TLS here.
            "SECURE_SSL_REDIRECT": "false",
            "TRUSTED_PROXY_COUNT": "0",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_THREADS": "4",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value != ""}


class Visitor:
    """An HTTP client that keeps cookies itself.

    The production settings mark the session and CSRF cookies ``Secure``; a
    cookie jar would never send them over the lane's plain-HTTP loopback.
    """

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        url = path if path.startswith("http") else self.base_url + path
        response = requests.request(
            method,
            url,
            headers=headers,
            timeout=kwargs.pop("timeout", HTTP_TIMEOUT),
            allow_redirects=kwargs.pop("allow_redirects", False),
            **kwargs,
        )
        for header in response.raw.headers.getlist("Set-Cookie"):
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def csrf_token(self, html: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert match, "no CSRF token in the form"
        return match.group(1)

    def post_form(self, path: str, data: dict, files=None, **kwargs):
        """GET ``path`` for its CSRF token, then POST ``data`` to it."""
        page = self.get(path)
        assert page.status_code == 200, (path, page.status_code)
        fields = {"csrfmiddlewaretoken": self.csrf_token(page.text), **data}
        return self.request(
            "POST",
            path,
            data=fields,
            files=files,
            headers={"Referer": self.base_url + path},
            **kwargs,
        )

    def log_in(self, username: str, password: str) -> None:
        response = self.post_form(
            "/admin/login/",
            {"username": username, "password": password, "next": "/admin/"},
        )
        assert response.status_code == 302, response.text[:500]
        assert "sessionid" in self.cookies


def bulk_action(visitor: Visitor, action: str, page_id: int) -> requests.Response:
    """Publish or unpublish one page with the admin's bulk action (a plain form)."""
    path = f"/admin/bulk/wagtailcore/page/{action}/?id={page_id}&next=/admin/"
    response = visitor.post_form(path, {"include_descendants": ""})
    assert response.status_code == 302, (
        action,
        response.status_code,
        response.text[:800],
    )
    return response


def copy_static(source: Path, target: Path) -> None:
    if not target.exists():
        shutil.copytree(source, target)


@dataclass
class Ports:
    redis: int = field(default_factory=free_port)
    moto: int = field(default_factory=free_port)
    varnish: int = field(default_factory=free_port)
    app_a: int = field(default_factory=free_port)
    app_b: int = field(default_factory=free_port)
