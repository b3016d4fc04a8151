#!/usr/bin/env bash
# Install everything the tests need (Python packages, Debian's Chromium and nginx) and run the whole suite:
# lint, unit tests of calc/, AppTest for every page, browser tests in Chromium, and two app processes behind nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/sbin/nginx ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium nginx >/dev/null
fi
bash scripts/setup.sh requirements-dev.txt
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
