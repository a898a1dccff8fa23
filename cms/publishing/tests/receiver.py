"""Test helpers: a webhook receiver on 127.0.0.1 and an in-process queue worker."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django_tasks_db.management.commands import db_worker


@dataclass
class Received:
    headers: dict
    body: bytes


@dataclass
class Receiver:
    """Records every POST; answers with ``status`` after ``delay`` seconds.

    ``reply`` is the body it answers with, ``reason`` its status line's phrase
    and ``location`` a redirect target; ``connections`` counts every TCP
    connection accepted, whether or not a request followed.
    """

    port: int = 0
    status: int = 200
    delay: float = 0.0
    reply: bytes = b"ok"
    reason: str | None = None
    location: str | None = None
    requests: list[Received] = field(default_factory=list)
    connections: int = 0
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def handle(self):
                receiver.connections += 1
                super().handle()

            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                receiver.requests.append(Received(dict(self.headers), body))
                if receiver.delay:
                    time.sleep(receiver.delay)  # bounded: a test sets ~1 s
                self.send_response(receiver.status, receiver.reason)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", str(len(receiver.reply)))
                self.end_headers()
                self.wfile.write(receiver.reply)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening: connections to the port are refused from now on."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None


def run_worker(max_tasks: int | None = None) -> None:
    """Run queued tasks in this process, as ``manage.py db_worker --batch`` does.

    Bounded: it stops when the queue is empty or after ``max_tasks``. Tests run
    inside a transaction, so the worker must not close the connection between
    tasks as it would in production.
    """
    original = db_worker.close_old_connections
    db_worker.close_old_connections = lambda: None
    try:
        db_worker.Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id="test-worker",
            excluded_queue_names=[],
        ).run()
    finally:
        db_worker.close_old_connections = original
