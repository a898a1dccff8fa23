"""``manage.py publish_scheduled``, with the clinical publish rules at go-live.

Replaces Wagtail's command of the same name (this app is listed before
``wagtail``), so every scheduler (``run_worker``, cron) gets the rules. Due
clinical pages are handled first; Wagtail's command then does the rest
(other pages, snippets and expiry).
"""

from wagtail.management.commands.publish_scheduled import Command as WagtailCommand

from cms.clinical.scheduling import publish_due_clinical_pages


class Command(WagtailCommand):
    def handle(self, *args, **options):
        if not options.get("dryrun"):
            for page, problems in publish_due_clinical_pages():
                self.stderr.write(
                    f"Not published: “{page.title}” (id {page.pk}) no longer "
                    "passes the clinical publish rules: " + " ".join(problems)
                )
        super().handle(*args, **options)
