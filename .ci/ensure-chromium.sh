#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through Playwright (browser downloads do
# not work here). Install the Debian package when it is missing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
echo "==> Installing Chromium (Debian package chromium)"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium >/dev/null
