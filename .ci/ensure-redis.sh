#!/usr/bin/env bash
# The page-cache tests start a throw-away redis-server on 127.0.0.1 in both
# pytest lanes (they fail on CI without it), before the production lane would
# install it. Install the Debian package when it is missing.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
    exit 0
fi
echo "==> Installing Redis (Debian package redis-server)"
bash "$(dirname "$0")/apt-install.sh" redis-server
