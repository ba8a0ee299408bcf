#!/usr/bin/env bash
# The main job on a fresh clone: score questionnaires, triage example requests, validate a data set.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"

step() { printf '\n== %s\n' "$*"; }
step "Working day WD(2026-12-24, 1) in Wales (Christmas and the Boxing Day substitute day are skipped)"
imsk calendar --nation wales add 2026-12-24 1
