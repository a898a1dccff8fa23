from django.core.management.base import BaseCommand

from cms.core.webhooks import requeue_pending


class Command(BaseCommand):
    help = (
        "Queue again webhook deliveries that are still waiting but have no live "
        "task (e.g. the worker was killed mid-attempt). `make worker` runs it "
        "before starting the worker; safe to run at any time."
    )

    def handle(self, *args, **options):
        count = requeue_pending()
        self.stdout.write(f"Queued {count} pending webhook deliveries.")
