#!/usr/bin/env bash
# The main job on a fresh clone (`make demo` runs scripts/setup.sh first):
#   1. a synthetic Welsh MSK service data set (imsk synth), validated (imsk validate);
#   2. the KPIs of the Wales specification by health board (imsk kpi);
#   3. triage of example requests and scoring of questionnaires (imsk triage, imsk score);
#   4. the web application on SQLite with a demo user for every role, served at http://127.0.0.1:8000/.
# DEMO_REQUESTS sets the data set size (default 20,000 requests, so the clinical records load into the
# web application in a couple of minutes); DEMO_SERVE=0 does everything but start the web server.
# DEMO_OUT (default var/demo), DATABASE_URL and IMSK_DASHBOARD_DIR move its files elsewhere (the
# test command runs it that way, in a scratch folder).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"

out=${DEMO_OUT:-var/demo}
data=$out/dataset
from=2025-04-01
to=2026-03-31
mkdir -p "$out"
step() { printf '\n== %s\n' "$*"; }

size=(--requests "${DEMO_REQUESTS:-20000}")
geography=()
# Real Welsh LSOAs, WIMD quintiles and populations when the shared reference tables sit beside the clone.
[[ -d ../shared/research/data/geo ]] && geography=(--reference-dir ../shared/research/data/geo)

step "Synthetic data set for Wales, $from to $to, into $data"
imsk synth "$data" --seed 2026 --from "$from" --to "$to" "${size[@]}" "${geography[@]}"

step "Validating the data set (every finding names its table, row and field)"
imsk validate "$data" --max-findings 20

step "KPIs by health board (JSON in $out/kpis-by-health-board.json; Excel in $out/kpis.xlsx)"
imsk kpi "$data" --from "$from" --to "$to" --by health_board --output "$out/kpis-by-health-board.json"
imsk kpi "$data" --from "$from" --to "$to" --by health_board --format xlsx --output "$out/kpis.xlsx"
python - "$out/kpis-by-health-board.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
print(f"{'board':6} {'urgent<=1WD':>12} {'routine<=3WD':>13} {'waiting':>8} {'>14wk':>6} {'DNA %':>6} {'MCID %':>7}")
for group in report["groups"]:
    k = group["kpis"]
    def pct(name):
        value = k[name].get("value") if isinstance(k[name], dict) else None
        return "-" if value is None else f"{value:.1f}"
    wait = k["waiting_first_contact"]
    print(f"{group['key']:6} {pct('triage_urgent_1wd'):>12} {pct('triage_routine_3wd'):>13} "
          f"{wait['total']:>8} {wait['over_14_weeks']:>6} {pct('new_patient_dna_rate'):>6} "
          f"{pct('msk_hq_mcid_achieved'):>7}")
PY

step "Triage of example requests (rule set wales-2026-v1)"
python - examples/requests/*.json <<'PY'
import json, subprocess, sys
from pathlib import Path
for path in sys.argv[1:]:
    out = subprocess.run(["imsk", "triage", path], capture_output=True, text=True, check=True).stdout
    d = json.loads(out)
    print(f"{Path(path).name:36} {d['disposition']:20} {d['priority']:8} "
          f"{str(d['pathway']):20} triage by {d['triage_deadline']}")
PY

step "Scoring: MSK-HQ, EQ-5D-5L (UK 2026 value set), STarT Back"
imsk score msk_hq 2 3 2 3 1 2 2 3 1 2 2 3 2 2
imsk score eq5d5l 21232
imsk score start_back 1 0 1 0 1 1 1 0 4

step "Web application on ${DATABASE_URL:-SQLite (var/imsk.sqlite3)}"
python -m imsk.web.manage migrate --verbosity 0
python -m imsk.web.manage imsk_demo_users
step "Loading the data set into the dashboard and the clinical record (validated first; idempotent)"
python -m imsk.web.manage imsk_load_dashboard_data "$data" --warm
python -m imsk.web.manage imsk_load_dataset "$data" | tail -3
step "Today's picture for 7A4-MSK01: new requests, waiting lists, this week's clinics (idempotent)"
python -m imsk.web.manage imsk_demo_today
if [[ "${DEMO_SERVE:-1}" == "0" ]]; then
  step "Done (DEMO_SERVE=0: everything is loaded; the web server is not started)"
  exit 0
fi
step "Serving http://127.0.0.1:8000/ (Ctrl-C to stop)"
exec python -m imsk.web.manage runserver 127.0.0.1:8000
