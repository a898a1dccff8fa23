#!/usr/bin/env bash
# make bench measures throughput with wrk (a C load generator) besides its own
# Python client, which is the bottleneck near the ceiling; the bench test runs
# it too. Install the Debian package when it is missing.
set -euo pipefail
if command -v wrk >/dev/null 2>&1; then
    exit 0
fi
echo "==> Installing wrk (Debian package wrk)"
bash "$(dirname "$0")/apt-install.sh" wrk
