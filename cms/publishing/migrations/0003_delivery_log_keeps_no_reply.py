"""The delivery log no longer keeps what receivers answered.

Until now a failed attempt stored up to 500 characters of the receiver's reply
("HTTP 500 Internal Server Error: <body>") or of the exception, which can quote
the reply ("BadStatusLine: <first line>"). The field stays (it now holds a short
reason of ours); this rewrites the rows written the old way:

- "HTTP <code> ...": the code and its standard phrase, "HTTP 503 Service Unavailable";
- "<ExceptionName>: ...": a short reason from the kind of failure, when it is
  recognisable (timed out, connection refused, certificate), otherwise a note
  that the details were removed.

Anything else was not written in the old format and is left alone. Going back
cannot restore what was removed, so the reverse step does nothing.

The endpoint's help text also says now that private addresses are refused.
"""

import re
from http import HTTPStatus

from django.db import migrations, models

OLD_HTTP = re.compile(r"^HTTP (\d{3})\b")
OLD_EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*: ")
REMOVED = "Failed (details removed: they could include the receiver's reply)"


def short_reason(old: str) -> str:
    match = OLD_HTTP.match(old)
    if match:
        code = int(match.group(1))
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = ""
        return f"HTTP {code} {phrase}".rstrip()
    if not OLD_EXCEPTION.match(old):
        return old
    lower = old.lower()
    if "timed out" in lower:
        return "Timed out"
    if "connection refused" in lower:
        return "Connection refused"
    if "certificate" in lower:
        return "TLS certificate not valid"
    return REMOVED


def rewrite_reasons(apps, schema_editor):
    WebhookDelivery = apps.get_model("publishing", "WebhookDelivery")
    rows = WebhookDelivery.objects.exclude(last_error="").only("pk", "last_error")
    for delivery in rows.iterator():
        reason = short_reason(delivery.last_error)
        if reason != delivery.last_error:
            WebhookDelivery.objects.filter(pk=delivery.pk).update(last_error=reason)


class Migration(migrations.Migration):

    dependencies = [
        ('publishing', '0002_page_changed_event'),
    ]

    operations = [
        migrations.AlterField(
            model_name='webhookendpoint',
            name='url',
            field=models.URLField(help_text='Where to send the notice: a public internet address starting with https:// (http:// is allowed only for localhost or 127.0.0.1 while testing). Addresses inside a private network are refused.', max_length=500, verbose_name='address'),
        ),
        migrations.RunPython(rewrite_reasons, migrations.RunPython.noop),
    ]
