"""``manage.py publish_scheduled_pages``: Wagtail's older name for the scheduler.

Kept working, with the clinical publish rules, for crontabs that still use it.
"""

from cms.clinical.management.commands.publish_scheduled import Command as Scheduler


class Command(Scheduler):
    pass
