#!/usr/bin/env bash
# Install Mentorbridge into .venv, build the SQLite database with demo data, and serve the
# portal on http://127.0.0.1:5000 with its task-queue worker beside it (matching runs, email,
# the daily and weekly jobs; the queue is a SQLite file in instance/). Ctrl-C stops both.
# Safe to run again: nothing is duplicated.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
export FLASK_APP=portal
export PUBLIC_URL="${PUBLIC_URL:-http://127.0.0.1:${PORT:-5000}}"  # emailed links lead here
.venv/bin/flask db upgrade
.venv/bin/flask seed-demo

.venv/bin/flask worker --workers 2 &
WORKER=$!
stop_worker() {
  kill "$WORKER" 2>/dev/null || true
  wait "$WORKER" 2>/dev/null || true
}
trap stop_worker EXIT
trap 'exit 130' INT TERM
.venv/bin/flask run --host 127.0.0.1 --port "${PORT:-5000}"
