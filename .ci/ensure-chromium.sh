#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through Playwright (browser downloads do
# not work here). Install the Debian package when it is missing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
echo "==> Installing Chromium (Debian package chromium)"
bash "$(dirname "$0")/apt-install.sh" chromium
