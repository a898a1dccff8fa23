from datetime import timedelta

from django.core.management.base import BaseCommand

from cms.publishing.tasks import requeue_pending


class Command(BaseCommand):
    help = (
        "Queue again webhook deliveries that are still waiting but that no live "
        "worker is sending (e.g. the worker was killed mid-attempt and its lease "
        "lapsed), and those of paused endpoints sending again. `make worker` "
        "runs it before starting the worker; safe to run at any time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-after",
            type=float,
            default=None,
            metavar="SECONDS",
            help="Treat a task running this long without a lease as dead "
            "(default: one lease, the webhook timeout plus the lease margin). "
            "Use 0 when no worker is running, e.g. just before starting the only "
            "one: leases are then void too.",
        )

    def handle(self, *args, stale_after=None, **options):
        if stale_after is not None:
            stale_after = timedelta(seconds=stale_after)
        count = requeue_pending(stale_after=stale_after)
        self.stdout.write(f"Queued {count} pending webhook deliveries.")
