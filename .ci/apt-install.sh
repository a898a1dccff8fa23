#!/usr/bin/env bash
# Install Debian packages without a prompt (CI has no terminal), with sudo
# when not root. Usage: apt-install.sh PACKAGE... ; the ensure-*.sh scripts
# decide whether a package is missing, this one only installs.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "$@" >/dev/null
