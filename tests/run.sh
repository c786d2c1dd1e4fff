#!/usr/bin/env bash
# Installs what the tests need (Debian's Chromium, the pinned Python packages) and runs every test.
# Extra arguments go to pytest, e.g. `bash tests/run.sh -k timer`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  sudo_if_needed=""
  [ "$(id -u)" -eq 0 ] || sudo_if_needed="sudo"
  $sudo_if_needed apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo_if_needed apt-get install -y chromium
fi
python -m pip install --quiet --disable-pip-version-check -r tests/requirements.txt
# Only the pinned plugins load: a pytest plugin the machine happens to have (hypothesis, anyio, pytest-benchmark on
# this one) would be imported by every worker for nothing (1.4 s of the 5 s a worker spent collecting).
export PYTEST_DISABLE_PLUGIN_AUTOLOAD=1
# Compiled modules are kept (__pycache__/, ignored by git), whatever the environment says: with
# PYTHONDONTWRITEBYTECODE=1 (this machine's image sets it) every worker compiled the tests and every streamlit
# server the app anew (measured: collecting took 5.5 s a worker, 3.6 s with the compiled files kept).
unset PYTHONDONTWRITEBYTECODE
# Files go to the three workers whole, in collection order (--no-loadscope-reorder): the browser tests in
# tests/e2e come first and the many quick files fill in at the end. xdist's own order, by test count, left
# the few-test browser files for last and one worker running alone (measured: 329 s against 362 s).
exec python -m pytest tests -p xdist.plugin -p pytest_timeout -p pytest_rerunfailures -p no:cacheprovider --timeout=600 -ra -rR --numprocesses 3 --dist loadfile --no-loadscope-reorder "$@"
