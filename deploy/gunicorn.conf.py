"""Gunicorn settings for one app server (docs/deployment.md, "App servers").

Started as ``gunicorn -c deploy/gunicorn.conf.py cms.wsgi`` by the systemd unit
deploy/systemd/clinic-web@.service and by the production test lane. Every value
can be changed from the environment, so the same file serves every machine.
"""

import os
import sys

# Loopback only: Varnish (or the load balancer) in front is the public side.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# Threads let one slow request (a large upload, a cold rendition) not hold a
# whole worker; the site's views are thread-safe.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request that runs longer than this is killed and answered 502 by Varnish,
# which then retries another app server for GET (default.vcl).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, so a slow leak never becomes an outage.
max_requests = 2000
max_requests_jitter = 200
# Only the proxy on this machine may say a request came over HTTPS.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# No gunicorn access log: the site writes one JSON line per request itself
# (cms/ops/requestlog.py), without client addresses or query strings.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
            },
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": sys.stderr,
        }
    },
    "loggers": {
        "gunicorn.error": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
        },
        "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}
