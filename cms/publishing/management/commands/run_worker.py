"""``manage.py run_worker``: the one background process the site needs.

It runs django-tasks-db's ``db_worker`` (queued tasks: search and reference
index updates, image renditions, webhooks, whatever the apps enqueue) as a
child process; every ``--interval`` seconds it runs Wagtail's
``publish_scheduled``, which publishes pages whose go-live time has come and
unpublishes expired ones; and every ``--sweep-interval`` seconds it queues
again webhook deliveries whose worker died (their lease lapsed, see
``tasks.requeue_pending``).

When the queue worker dies (killed, out of memory, a crash), ``run_worker``
stops too, with exit status 1 and a log line saying why: a service manager
(systemd's ``Restart=always``, Kubernetes) starts it again, fresh, rather than
this process guessing how often a restart loop is safe. It reaps the child, so
nothing is left as a zombie. Stop it with Ctrl-C or SIGTERM; it stops its
child too.
"""

import logging
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections, connection

from cms.publishing.tasks import requeue_pending

logger = logging.getLogger(__name__)

# How often the loop looks at its child: a dead queue worker is noticed within this.
TICK_SECONDS = 0.5
# Exit status when the queue worker died, so the service manager restarts us.
QUEUE_WORKER_DIED = 1


class Command(BaseCommand):
    help = (
        "Run the task queue worker and publish scheduled pages every minute, "
        "until stopped. Exits with status 1 if the task queue worker dies."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=int,
            default=60,
            help="Seconds between scheduled-publishing runs. Default: 60.",
        )
        parser.add_argument(
            "--sweep-interval",
            type=float,
            default=10,
            help="Seconds between looks for webhook deliveries whose worker "
            "died. Default: 10.",
        )
        parser.add_argument(
            "--max-runs",
            type=int,
            default=None,
            help="Stop after this many scheduled-publishing runs (for checks).",
        )
        parser.add_argument(
            "--no-queue",
            action="store_true",
            help="Only publish scheduled pages; do not start the task queue worker.",
        )

    def handle(self, *args, interval, sweep_interval, max_runs, no_queue, **options):
        worker = None if no_queue else self.start_queue_worker()
        signal.signal(signal.SIGTERM, self.stop)
        runs = 0
        next_publish = next_sweep = time.monotonic()
        died = None
        try:
            # Bounded per turn: each turn sleeps one tick; the loop ends on a
            # signal, a dead child or --max-runs.
            while max_runs is None or runs < max_runs:
                if worker is not None and worker.poll() is not None:
                    died = worker.returncode
                    break
                now = time.monotonic()
                if now >= next_sweep and worker is not None:
                    self.sweep()
                    next_sweep = now + sweep_interval
                if now >= next_publish:
                    fresh_connection()
                    call_command("publish_scheduled", stdout=self.stdout)
                    runs += 1
                    next_publish = now + interval
                    if max_runs is not None and runs >= max_runs:
                        break
                time.sleep(TICK_SECONDS)
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None and worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait(timeout=10)
        if died is not None:
            message = (
                f"The task queue worker (db_worker) exited with status {died}; "
                "stopping so that the service manager starts the worker again."
            )
            logger.error(message)
            raise CommandError(message, returncode=QUEUE_WORKER_DIED)
        self.stdout.write("Worker stopped.")

    def start_queue_worker(self):
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker"]
        self.stdout.write("Starting the task queue worker (db_worker).")
        return subprocess.Popen([*command, "--no-reload"])  # noqa: S603

    def sweep(self):
        """Queue again deliveries whose worker died; a database hiccup waits."""
        fresh_connection()
        try:
            count = requeue_pending()
        except DatabaseError:
            logger.warning("Could not look for stuck webhook deliveries", exc_info=True)
            return
        if count:
            self.stdout.write(f"Queued {count} pending webhook deliveries again.")

    def stop(self, signum, frame):
        raise KeyboardInterrupt


def fresh_connection():
    """Drop a broken or too-old database connection before the next round.

    A long-running process would otherwise keep a connection the database
    closed (a restart) and fail every round. Not inside a transaction (a test
    calling the command): closing there would break the transaction.
    """
    if not connection.in_atomic_block:
        close_old_connections()
