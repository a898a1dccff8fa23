#!/usr/bin/env bash
# The TypeScript contract test runs its npm toolchain on node 20+. The machine
# images ship node and npm; install Debian's packages when they are missing.
set -euo pipefail
if command -v npm >/dev/null && node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null; then
    exit 0
fi
echo "==> Installing node and npm (Debian packages nodejs, npm)"
bash "$(dirname "$0")/apt-install.sh" nodejs npm
