"""``manage.py run_worker``: the one background process the site needs.

It runs django-tasks-db's ``db_worker`` (queued tasks: search and reference
index updates, image renditions, whatever the apps enqueue) as a child process,
and every ``--interval`` seconds runs Wagtail's ``publish_scheduled``, which
publishes pages whose go-live time has come and unpublishes expired ones.
Stop it with Ctrl-C or SIGTERM; it stops its child too.
"""

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the task queue worker and publish scheduled pages every minute, "
        "until stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=int,
            default=60,
            help="Seconds between scheduled-publishing runs. Default: 60.",
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

    def handle(self, *args, interval, max_runs, no_queue, **options):
        worker = None if no_queue else self.start_queue_worker()
        signal.signal(signal.SIGTERM, self.stop)
        runs = 0
        try:
            while max_runs is None or runs < max_runs:
                call_command("publish_scheduled", stdout=self.stdout)
                runs += 1
                if max_runs is not None and runs >= max_runs:
                    break
                time.sleep(interval)
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
        self.stdout.write("Worker stopped.")

    def start_queue_worker(self):
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker"]
        self.stdout.write("Starting the task queue worker (db_worker).")
        return subprocess.Popen([*command, "--no-reload"])  # noqa: S603

    def stop(self, signum, frame):
        raise KeyboardInterrupt
