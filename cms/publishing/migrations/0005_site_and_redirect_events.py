"""New events: "site.changed" (clinic settings, menus), "redirect.created" and
"redirect.deleted".

Clinic settings used to be announced as "snippet.changed"; they are now
"site.changed" only. Endpoints that asked for "snippet.changed" are given
"site.changed" too, so none stops hearing of a settings change.
"""

from django.db import migrations, models


def subscribe_snippet_listeners_to_site_changes(apps, schema_editor):
    WebhookEndpoint = apps.get_model("publishing", "WebhookEndpoint")
    for endpoint in WebhookEndpoint.objects.all():
        if "snippet.changed" in endpoint.events and "site.changed" not in endpoint.events:
            endpoint.events = [*endpoint.events, "site.changed"]
            endpoint.save(update_fields=["events"])


class Migration(migrations.Migration):

    dependencies = [
        ('publishing', '0004_delivery_lease_and_paused'),
    ]

    operations = [
        migrations.AlterField(
            model_name='webhookdelivery',
            name='event',
            field=models.CharField(choices=[('page.published', 'Page published'), ('page.unpublished', 'Page unpublished'), ('page.moved', 'Page moved'), ('page.deleted', 'Page deleted'), ('page.visibility_changed', 'Page made private or public again'), ('page.changed', 'Page changed without a publish'), ('snippet.changed', 'Snippet changed'), ('site.changed', 'Clinic settings or menus changed'), ('redirect.created', 'Redirect added'), ('redirect.deleted', 'Redirect removed'), ('test', 'Test')], editable=False, max_length=32),
        ),
        migrations.RunPython(
            subscribe_snippet_listeners_to_site_changes, migrations.RunPython.noop
        ),
    ]
