#!/usr/bin/env bash
# Every check and test, in the order that fails fastest. Called by `make test` and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"

step() { printf '\n== %s\n' "$*"; }

step "ruff format --check"; ruff format --check src tests benchmarks
step "ruff check";          ruff check src tests benchmarks
step "import-linter";       lint-imports
step "mypy --strict";       mypy
step "pytest";              pytest -n 2 -q -p no:cacheprovider "$@"
