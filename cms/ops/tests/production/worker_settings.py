"""Production settings plus one test switch, for the lane's webhook tests only.

TEST ONLY. The lane's webhook receivers listen on 127.0.0.1, which production
refuses (``WEBHOOK_ALLOW_LOOPBACK`` is off in base.py and read from no
environment variable, so no mistyped environment file can turn it on). Rather
than add such a variable, the lane runs its webhook worker with this module
(``DJANGO_SETTINGS_MODULE=cms.ops.tests.production.worker_settings``): it lives
among the tests, is named by nothing a deployment uses, and changes nothing
else, so the worker under test is the production worker in every other way.
"""

from cms.settings.production import *  # noqa: F403

WEBHOOK_ALLOW_LOOPBACK = True
