"""Webhook deliveries can be "page.changed": a live page's HTML changed without a
publish (a study it cites was deleted or unpublished)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('publishing', '0001_move_from_core'),
    ]

    operations = [
        migrations.AlterField(
            model_name='webhookdelivery',
            name='event',
            field=models.CharField(choices=[('page.published', 'Page published'), ('page.unpublished', 'Page unpublished'), ('page.moved', 'Page moved'), ('page.deleted', 'Page deleted'), ('page.visibility_changed', 'Page made private or public again'), ('page.changed', 'Page changed without a publish'), ('snippet.changed', 'Snippet or settings changed'), ('test', 'Test')], editable=False, max_length=32),
        ),
    ]
