"""Disclosure control across groups: a nation, its health boards and their services shown together.

The property test checks the promise of ``kpis.md`` independently of the implementation: from the
published cells and every sum that links them, no suppressed non-zero count can be worked out
exactly (exact rational elimination here; the implementation uses floating-point SVD).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imsk.analytics.disclosure import SUPPRESSED, GroupSum, suppress_related
from imsk.analytics.kpis.access import MAXIMUM_WAIT_WEEKS, WAITING_BANDS

S = SUPPRESSED
BANDS = [label for label, _, _ in WAITING_BANDS]
LONG = [label for label, lower, _ in WAITING_BANDS if lower >= MAXIMUM_WAIT_WEEKS]
QUINTILES = ("1", "2", "3", "4", "5")
FEEDBACK = ("complaint", "compliment", "concern")


def _report(level: str, groups: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "period": {"from": "2026-04-01", "to": "2027-03-31"},
        "by": level,
        "groups": [{"key": key, "kpis": kpis} for key, kpis in groups.items()],
    }


def _levels(
    services: dict[str, dict[str, Any]], board_of: dict[str, str]
) -> tuple[dict[str, dict[str, Any]], list[GroupSum]]:
    boards: dict[str, list[str]] = {}
    for service, board in board_of.items():
        boards.setdefault(board, []).append(service)
    board_values = {b: _add([services[s] for s in members]) for b, members in boards.items()}
    national = {"national": _add(list(board_values.values()))}
    reports = {
        "service": _report("service", services),
        "health_board": _report("health_board", board_values),
        "national": _report("national", national),
    }
    sums = [
        GroupSum(("health_board", b), tuple(("service", s) for s in members))
        for b, members in boards.items()
    ]
    sums.append(GroupSum(("national", "national"), tuple(("health_board", b) for b in boards)))
    return reports, sums


def _add(values: list[dict[str, Any]]) -> dict[str, Any]:
    """The KPIs of a parent group: the sum of its members' (a rate's value recomputed)."""
    total: dict[str, Any] = {}
    for kpi_id in values[0]:
        first = values[0][kpi_id]
        if isinstance(first, int):
            total[kpi_id] = sum(v[kpi_id] for v in values)
        elif kpi_id == "new_patient_dna_rate":
            num = sum(v[kpi_id]["numerator"] for v in values)
            den = sum(v[kpi_id]["denominator"] for v in values)
            total[kpi_id] = {"numerator": num, "denominator": den, "value": _pct(num, den)}
        elif kpi_id == "waiting_first_contact":
            bands = {b: sum(v[kpi_id]["bands"][b] for v in values) for b in BANDS}
            total[kpi_id] = _waiting(bands)
        elif kpi_id == "access_by_deprivation":
            total[kpi_id] = _access(
                [sum(v[kpi_id][q]["requests"] for v in values) for q in QUINTILES],
                sum(v[kpi_id]["unknown"] for v in values),
            )
        else:
            total[kpi_id] = {k: sum(v[kpi_id][k] for v in values) for k in first}
    return total


def _pct(num: int, den: int) -> float | None:
    return round(100 * num / den, 6) if den else None


def _waiting(bands: dict[str, int]) -> dict[str, Any]:
    return {
        "total": sum(bands.values()),
        "over_14_weeks": sum(bands[b] for b in LONG),
        "bands": bands,
    }


def _access(requests: list[int], unknown: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        q: {"requests": n, "population": 1000, "access_ratio": round(n / 1000, 6)}
        for q, n in zip(QUINTILES, requests, strict=True)
    }
    result["unknown"] = unknown
    return result


def _service(first: int, dna: tuple[int, int], feedback: tuple[int, ...]) -> dict[str, Any]:
    return {
        "first_contacts_attended": first,
        "new_patient_dna_rate": {
            "numerator": dna[0],
            "denominator": dna[1],
            "value": _pct(*dna),
        },
        "feedback": dict(zip(FEEDBACK, feedback, strict=True)),
    }


def _kpis(result: dict[str, dict[str, Any]], level: str, key: str) -> dict[str, Any]:
    for group in result[level]["groups"]:
        if group["key"] == key:
            kpis: dict[str, Any] = group["kpis"]
            return kpis
    raise AssertionError(key)


def test_a_small_service_takes_its_sibling_with_it_when_the_board_is_shown() -> None:
    services = {
        "a1": _service(3, (10, 50), (0, 20, 0)),
        "a2": _service(50, (20, 60), (0, 30, 0)),
        "b1": _service(40, (30, 70), (0, 10, 0)),
    }
    reports, sums = _levels(services, {"a1": "A", "a2": "A", "b1": "B"})
    result = suppress_related(reports, sums)
    assert _kpis(result, "service", "a1")["first_contacts_attended"] == S
    # Without this, a2 = 53 - 3 would give a1 back from the board's count.
    assert _kpis(result, "service", "a2")["first_contacts_attended"] == S
    assert _kpis(result, "health_board", "A")["first_contacts_attended"] == 53
    assert _kpis(result, "service", "b1")["first_contacts_attended"] == 40
    assert _kpis(result, "national", "national")["first_contacts_attended"] == 93
    # Nothing here is small: no rate is touched.
    assert _kpis(result, "service", "a1")["new_patient_dna_rate"]["numerator"] == 10
    assert reports["service"]["groups"][0]["kpis"]["first_contacts_attended"] == 3  # input kept


def test_a_board_with_one_small_service_is_suppressed_and_so_is_another_board() -> None:
    services = {
        "a1": _service(60, (10, 50), (0, 20, 0)),
        "b1": _service(30, (20, 60), (0, 30, 0)),
        "c1": _service(2, (30, 70), (0, 10, 0)),
    }
    reports, sums = _levels(services, {"a1": "A", "b1": "B", "c1": "C"})
    result = suppress_related(reports, sums)
    assert _kpis(result, "service", "c1")["first_contacts_attended"] == S
    assert _kpis(result, "health_board", "C")["first_contacts_attended"] == S  # C = c1
    # The nation minus A and B would give C: the smallest other board goes too, and its service.
    assert _kpis(result, "health_board", "B")["first_contacts_attended"] == S
    assert _kpis(result, "service", "b1")["first_contacts_attended"] == S
    assert _kpis(result, "health_board", "A")["first_contacts_attended"] == 60
    assert _kpis(result, "national", "national")["first_contacts_attended"] == 92


def test_a_rate_is_suppressed_whole_when_a_sibling_must_hide_its_numerator() -> None:
    services = {"a1": _service(30, (2, 40), (0, 9, 0)), "a2": _service(30, (12, 45), (0, 9, 0))}
    reports, sums = _levels(services, {"a1": "A", "a2": "A"})
    result = suppress_related(reports, sums)
    assert _kpis(result, "service", "a1")["new_patient_dna_rate"] == dict.fromkeys(
        ("numerator", "denominator", "value"), S
    )
    assert _kpis(result, "service", "a2")["new_patient_dna_rate"] == dict.fromkeys(
        ("numerator", "denominator", "value"), S
    )
    assert _kpis(result, "health_board", "A")["new_patient_dna_rate"]["numerator"] == 14


def test_a_sum_naming_a_missing_group_is_refused() -> None:
    reports, _ = _levels({"a1": _service(30, (2, 40), (0, 9, 0))}, {"a1": "A"})
    with pytest.raises(KeyError, match="nowhere"):
        suppress_related(reports, [GroupSum(("health_board", "nowhere"), (("service", "a1"),))])


# --- the property -------------------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=12)


@st.composite
def _service_values(draw: st.DrawFn) -> dict[str, Any]:
    den = draw(counts)
    num = draw(st.integers(min_value=0, max_value=den))
    bands = {b: draw(st.integers(min_value=0, max_value=6)) for b in BANDS}
    return {
        "first_contacts_attended": draw(counts),
        "new_patient_dna_rate": {"numerator": num, "denominator": den, "value": _pct(num, den)},
        "feedback": {k: draw(st.integers(min_value=0, max_value=8)) for k in FEEDBACK},
        "waiting_first_contact": _waiting(bands),
        "access_by_deprivation": _access(
            [draw(st.integers(min_value=0, max_value=8)) for _ in QUINTILES],
            draw(st.integers(min_value=0, max_value=5)),
        ),
    }


@st.composite
def _hierarchies(draw: st.DrawFn) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    boards = draw(st.integers(min_value=1, max_value=3))
    board_of: dict[str, str] = {}
    for b in range(boards):
        for s in range(draw(st.integers(min_value=1, max_value=3))):
            board_of[f"s{b}{s}"] = f"B{b}"
    return {s: draw(_service_values()) for s in board_of}, board_of


def _paths(kpi_id: str) -> list[tuple[str, ...]]:
    return {
        "first_contacts_attended": [()],
        "new_patient_dna_rate": [("numerator",), ("denominator",)],
        "feedback": [(k,) for k in FEEDBACK],
        "waiting_first_contact": [("total",), ("over_14_weeks",)] + [("bands", b) for b in BANDS],
        "access_by_deprivation": [(q, "requests") for q in QUINTILES] + [("unknown",)],
    }[kpi_id]


def _at(value: Any, path: tuple[str, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


def _sums_of(kpi_id: str, ref: tuple[str, str]) -> list[dict[Any, int]]:
    """The sums inside one group, as the spec describes them (right-hand sides known or zero)."""
    cell = lambda path: (ref, path)  # noqa: E731
    if kpi_id == "feedback":
        return [{cell((k,)): 1 for k in FEEDBACK}]
    if kpi_id == "waiting_first_contact":
        return [
            {**{cell(("bands", b)): 1 for b in BANDS}, cell(("total",)): -1},
            {**{cell(("bands", b)): 1 for b in LONG}, cell(("over_14_weeks",)): -1},
        ]
    if kpi_id == "access_by_deprivation":
        return [{**{cell((q, "requests")): 1 for q in QUINTILES}, cell(("unknown",)): 1}]
    return []


def _determined(equations: list[dict[Any, int]], unknowns: list[Any]) -> set[Any]:
    """Unknowns whose value the equations fix (reduced row echelon form over the rationals)."""
    rows = [[Fraction(eq.get(u, 0)) for u in unknowns] for eq in equations]
    pivot_row = 0
    for col in range(len(unknowns)):
        pick = next((r for r in range(pivot_row, len(rows)) if rows[r][col] != 0), None)
        if pick is None:
            continue
        rows[pivot_row], rows[pick] = rows[pick], rows[pivot_row]
        lead = rows[pivot_row][col]
        rows[pivot_row] = [x / lead for x in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row], strict=True)]
        pivot_row += 1
    return {
        unknowns[row.index(next(x for x in row if x != 0))]
        for row in rows
        if sum(1 for x in row if x != 0) == 1
    }


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(_hierarchies())
def test_no_suppressed_count_can_be_worked_out_from_what_is_shown(
    hierarchy: tuple[dict[str, dict[str, Any]], dict[str, str]],
) -> None:
    services, board_of = hierarchy
    reports, sums = _levels(services, board_of)
    result = suppress_related(reports, sums)
    refs = [(level, g["key"]) for level, report in reports.items() for g in report["groups"]]
    raw = {
        (level, g["key"]): g["kpis"] for level, report in reports.items() for g in report["groups"]
    }
    shown = {ref: _kpis(result, *ref) for ref in refs}
    for kpi_id in services[next(iter(services))]:
        equations: list[dict[Any, int]] = []
        for ref in refs:
            equations.extend(_sums_of(kpi_id, ref))
        for relation in sums:
            for path in _paths(kpi_id):
                eq = {(relation.total, path): 1}
                for member in relation.members:
                    eq[(member, path)] = -1
                equations.append(eq)
        hidden: list[Any] = []
        for ref in refs:
            for path in _paths(kpi_id):
                original, published = _at(raw[ref][kpi_id], path), _at(shown[ref][kpi_id], path)
                if 0 < original < 5:
                    assert published == S, (ref, kpi_id, path)  # primary suppression
                if published == S:
                    hidden.append((ref, path))
                else:
                    assert published == original, (ref, kpi_id, path)
        # Move every shown cell to the right-hand side: only the hidden ones remain unknown.
        reduced = [{cell: c for cell, c in eq.items() if cell in hidden} for eq in equations]
        leaked = {
            cell
            for cell in _determined([eq for eq in reduced if eq], hidden)
            if _at(raw[cell[0]][kpi_id], cell[1]) > 0
        }
        assert not leaked, (kpi_id, sorted(leaked))
