#!/usr/bin/env bash
# The production lane: the site as docs/deployment.md deploys it, on loopback.
# Installs what it needs (Debian redis-server and varnish, the pinned Python
# packages), then runs the tests marked "production" under a throw-away
# PostgreSQL (.ci/with-postgres.sh). The tests' session fixture starts Redis,
# moto's S3 server, two gunicorn app servers, the worker and Varnish, all on
# 127.0.0.1, and stops them at the end. A service that cannot start fails the
# lane; so does a run that collects no test (pytest exit 5).
set -euo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-true}" DEBIAN_FRONTEND=noninteractive

PY="${PY:-.venv/bin/python}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v varnishd >/dev/null 2>&1 || [ -x /usr/sbin/varnishd ] || missing+=(varnish)
if [ "${#missing[@]}" -gt 0 ]; then
    echo "==> Installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q "${missing[@]}" >/dev/null
fi
export PATH="$PATH:/usr/sbin"

echo "==> Checking the pinned Python packages (requirements-dev.txt)"
"$PY" -m pip install --quiet -r requirements-dev.txt

echo "==> Production lane: PostgreSQL, Redis, S3 (moto), Varnish, 2 x gunicorn, worker"
export CLINIC_PRODUCTION_LANE=1
bash .ci/with-postgres.sh "$PY" -m pytest -m production cms/ops/tests/production \
    -p no:cacheprovider -q -x --capture=sys "$@"
