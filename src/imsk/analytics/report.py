"""Computing the KPI report: every registered KPI for a period and a level, in the JSON shape of
``shared/spec/kpis.md`` ("Output").

The result is a plain dict ready for ``json.dumps``::

    {"period": {"from": ..., "to": ...}, "by": level,
     "groups": [{"key": ..., "kpis": {kpi_id: value, ...}}, ...]}

A KPI whose optional tables are absent is ``{"status": "unavailable", "reason": "table X is absent"}``
in every group, never zero.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import ibis
import pyarrow as pa

from imsk.analytics.kpis.base import Kpi
from imsk.analytics.kpis.inputs import KpiInputs, Level, Period
from imsk.analytics.kpis.registry import KPIS
from imsk.analytics.loading import Dataset
from imsk.analytics.rollup import Json, evaluate, group_keys, summarise
from imsk.core.codes import ActivityCode, CodeList
from imsk.core.errors import KpiError, ScoringError
from imsk.core.instruments import score_dataset_items
from imsk.dataio.reference import load_activity_codes

#: Instruments whose item strings the KPIs score (MSK-HQ change, FFT positive).
SCORED_INSTRUMENTS = ("msk_hq", "fft")

Progress = Callable[[int, int, str], None]


def prepare_inputs(
    dataset: Dataset, period: Period, activity_codes: CodeList[ActivityCode] | None = None
) -> KpiInputs:
    """Everything the KPI expressions read, for one data set and period.

    ``activity_codes`` is the activity code list whose ``kpi_group`` places investigations (the
    configured or bundled version when not given).
    """
    codes = activity_codes or load_activity_codes()
    grouped = [entry for entry in codes if entry.kpi_group]
    activity_groups = ibis.memtable(
        pa.table(
            {
                "activity_code": pa.array([e.code for e in grouped], pa.string()),
                "kpi_group": pa.array([e.kpi_group for e in grouped], pa.string()),
            }
        )
    )
    return KpiInputs(
        dataset=dataset,
        period=period,
        item_scores=dataset.memo("item_scores", lambda: _item_scores(dataset)),
        activity_groups=activity_groups,
        investigation_groups=tuple(codes.groups()),
    )


def _item_scores(dataset: Dataset) -> Any:
    """(score_instrument, scored_items, computed_score) for every distinct item string to score.

    Scoring is the core's (:func:`imsk.core.instruments.score_dataset_items`), done once per distinct
    string: there are far fewer distinct answers than measures. Items that cannot be scored get no
    computed score (the validator reports them); the KPI then uses the recorded score.
    """
    measures = dataset.table("measures")
    wanted = measures.filter(
        measures.instrument.isin(SCORED_INSTRUMENTS) & measures["items"].notnull()
    )
    pairs = wanted.select("instrument", "items").distinct().to_pyarrow().to_pylist()
    instruments, items, scores = [], [], []
    for pair in pairs:
        try:
            score = score_dataset_items(pair["instrument"], pair["items"])
        except ScoringError:
            continue
        instruments.append(pair["instrument"])
        items.append(pair["items"])
        scores.append(None if score is None else float(score))
    table = pa.table(
        {
            "score_instrument": pa.array(instruments, pa.string()),
            "scored_items": pa.array(items, pa.string()),
            "computed_score": pa.array(scores, pa.float64()),
        }
    )
    return ibis.memtable(table)


def unavailable(kpi: Kpi, present: frozenset[str]) -> Json | None:
    """The ``unavailable`` marker when a table ``kpi`` needs is absent, else ``None``."""
    absent = [name for name in kpi.needs if name not in present]
    if not absent:
        return None
    names = ", ".join(absent)
    reason = f"table {names} is absent" if len(absent) == 1 else f"tables {names} are absent"
    return {"status": "unavailable", "reason": reason}


def selected_kpis(ids: Iterable[str] | None) -> list[Kpi]:
    """The registered KPIs named in ``ids`` (all, in registry order, when ``None``)."""
    if ids is None:
        return list(KPIS.values())
    chosen = list(ids)
    unknown = [kpi_id for kpi_id in chosen if kpi_id not in KPIS]
    if unknown:
        raise KpiError(f"unknown KPI(s): {', '.join(unknown)}; known: {', '.join(KPIS)}")
    return [kpi for kpi in KPIS.values() if kpi.id in chosen]


def compute_kpis(
    dataset: Dataset,
    period: Period,
    level: Level,
    *,
    kpi_ids: Iterable[str] | None = None,
    progress: Progress | None = None,
    inputs: KpiInputs | None = None,
) -> dict[str, Any]:
    """The KPI report of ``dataset`` for ``period`` at ``level`` (see the module docstring).

    Pass the same ``inputs`` to compute other levels of the same period: the engine's work (derived
    tables, the sums per service) is done once and reused (:mod:`imsk.analytics.rollup`).
    """
    inputs = inputs or prepare_inputs(dataset, period)
    kpis = selected_kpis(kpi_ids)
    keys = group_keys(inputs, level)
    markers = {kpi.id: unavailable(kpi, dataset.present) for kpi in kpis}
    computable = [kpi for kpi in kpis if markers[kpi.id] is None]
    positions = {kpi.id: position for position, kpi in enumerate(kpis, start=1)}

    def report_progress(kpi: Kpi) -> None:
        if progress is not None:
            progress(positions[kpi.id], len(kpis), kpi.id)

    sums = evaluate(inputs, computable, report_progress)
    results: dict[str, dict[str, Json]] = {key: {} for key in keys}
    for kpi in kpis:
        marker = markers[kpi.id]
        values = (
            dict.fromkeys(keys, marker)
            if marker is not None
            else summarise(kpi, sums[kpi.id], inputs, level)
        )
        for key in keys:
            results[key][kpi.id] = values[key]
    return {
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "by": level.value,
        "groups": [{"key": key, "kpis": results[key]} for key in keys],
    }
