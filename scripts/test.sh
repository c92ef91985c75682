#!/usr/bin/env bash
# Set up, then run the whole test suite (unit, AppTest and the browser tests in Chromium).
# `scripts/test.sh -m "not browser"` is the fast tier: everything but the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
wants_browser=true
# Wait for another apt run (an unattended upgrade) instead of failing on its lock.
APT_WAIT="-o DPkg::Lock::Timeout=600"
case " $* " in *"not browser"*) wants_browser=false ;; esac
if $wants_browser && ! [ -x /usr/bin/chromium ]; then
  # Browser tests drive Debian's Chromium; Playwright's own download is unreachable here.
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get $APT_WAIT update -qq && $SUDO apt-get $APT_WAIT install -y -qq chromium >/dev/null
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  # The store's tests run against a real PostgreSQL server too (tests/postgres_server.py starts one).
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get $APT_WAIT update -qq && $SUDO apt-get $APT_WAIT install -y -qq postgresql >/dev/null
fi
exec .venv/bin/python -m pytest -n 2 "$@"
