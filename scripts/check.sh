#!/usr/bin/env bash
# Every check and test, in the order that fails fastest. Called by `make test` and .ci/run.
# The suite runs twice: on the embedded defaults (SQLite, DuckDB), then the database tests again on
# PostgreSQL (DATABASE_URL, default: the local server at 127.0.0.1:5432, user postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export IMSK_REQUIRE_BROWSER=1
PG_URL=${IMSK_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/imsk_ci}

step() { printf '\n== %s\n' "$*"; }

step "ruff format --check"; ruff format --check src tests benchmarks
step "ruff check";          ruff check src tests benchmarks
step "import-linter";       lint-imports
step "mypy --strict";       mypy
step "pytest (SQLite, DuckDB, Chromium)"
env -u DATABASE_URL pytest -n 2 -q -p no:cacheprovider "$@"
step "pytest (PostgreSQL: $PG_URL)"
DATABASE_URL=$PG_URL pytest -n 2 -q -p no:cacheprovider tests/web tests/browser "$@"
step "demo (the README's first command, small, without the web server, in a scratch folder)"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
DEMO_SERVE=0 DEMO_REQUESTS=2000 DEMO_OUT="$scratch/demo" IMSK_DASHBOARD_DIR="$scratch/dashboard" \
  DATABASE_URL="sqlite:///$scratch/demo.sqlite3" scripts/demo.sh > "$scratch/demo.log" 2>&1 \
  || { tail -40 "$scratch/demo.log"; exit 1; }
tail -1 "$scratch/demo.log"
