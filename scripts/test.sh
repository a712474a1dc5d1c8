#!/usr/bin/env bash
# Install everything the tests need (Python packages into .venv, Debian's chromium and
# redis-server when they are missing) and run the whole suite: lint and types, then every test
# on SQLite, then every test again on a throwaway PostgreSQL cluster. Extra arguments go to
# pytest. A missing PostgreSQL, chromium or redis-server fails the run instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

echo "== install"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
apt_install() {
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  fi
}
[ -x /usr/bin/chromium ] || apt_install chromium
# The task-queue integration tests start their own redis-server (tests/tasks/test_worker.py).
command -v redis-server >/dev/null || apt_install redis-server
export MENTORBRIDGE_REQUIRE_BROWSER=1
export MENTORBRIDGE_REQUIRE_REDIS=1

echo "== ruff and mypy"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy

echo "== tests on SQLite"
.venv/bin/pytest "$@"

echo "== tests on PostgreSQL"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "PostgreSQL server binaries not found (install the postgresql package)." >&2
  exit 1
fi
eval "$(bash scripts/pg-throwaway.sh start)"
trap 'bash scripts/pg-throwaway.sh stop "$PGTMP"' EXIT
TEST_DATABASE_URL="$PG_URL" MENTORBRIDGE_POSTGRES=1 .venv/bin/pytest "$@"
