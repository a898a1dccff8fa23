"""Background tasks, run by the django-tasks worker (``make worker``).

Tasks take plain ids, never model instances: the queue stores their arguments
as JSON, and the row may have changed by the time a worker picks it up.
"""

from django_tasks import task

from cms.core import webhooks


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One attempt at one webhook delivery; it queues its own retry."""
    return webhooks.attempt_delivery(delivery_id)
