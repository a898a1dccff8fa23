"""The review task moves to ``clinical``, the webhook models to ``publishing``.

State only: the tables stay where they are, now owned by those apps.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0006_webhook_visibility_event'),
        ('clinical', '0001_move_from_core'),
        ('publishing', '0001_move_from_core'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='webhookdelivery',
                name='endpoint',
            ),
            migrations.DeleteModel(
                name='ClinicalReviewTask',
            ),
            migrations.DeleteModel(
                name='WebhookDelivery',
            ),
            migrations.DeleteModel(
                name='WebhookEndpoint',
            ),
            ],
            database_operations=[],
        ),
    ]
