from datetime import timedelta

from django.core.management.base import BaseCommand

from cms.publishing.tasks import requeue_pending


class Command(BaseCommand):
    help = (
        "Queue again webhook deliveries that are still waiting but have no live "
        "task (e.g. the worker was killed mid-attempt). `make worker` runs it "
        "before starting the worker; safe to run at any time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-after",
            type=float,
            default=None,
            metavar="SECONDS",
            help="Treat a task running this long as dead (default: the webhook "
            "timeout plus a minute). Use 0 when no worker is running, e.g. just "
            "before starting the only one.",
        )

    def handle(self, *args, stale_after=None, **options):
        if stale_after is not None:
            stale_after = timedelta(seconds=stale_after)
        count = requeue_pending(stale_after=stale_after)
        self.stdout.write(f"Queued {count} pending webhook deliveries.")
