"""Reading a scenario file (JSON or TOML) into a :class:`~imsk.sim.scenario.Scenario`, strictly.

A file gives only the fields that differ from the defaults, nested as in the dataclasses
(``clinics.bands."7+".fte``). Parsing walks the dataclass fields: an unknown field, a value of the wrong
type, a share outside 0-1, a mix that does not add up to 1 or lacks a category, an unknown nation or
choice is a :class:`~imsk.core.errors.ScenarioError` naming the field by its dotted path, e.g.
``scenario field clinics.bands.7+.fte: expected a number, got 'ten'``. Nothing is repaired or guessed.
"""

from __future__ import annotations

import dataclasses
import json
import math
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, TypeVar, cast, get_args, get_origin, get_type_hints

from imsk.core.calendar import calendar_for
from imsk.core.errors import CalendarError, ScenarioError
from imsk.sim.casemix import CaseProfile
from imsk.sim.scenario import Changes, Scenario

T = TypeVar("T")
_MIX_TOLERANCE = 1e-6


def load_scenario(path: Path) -> Scenario:
    """The scenario in a ``.json`` or ``.toml`` file (a subset of :class:`Scenario` fields)."""
    text = path.read_text(encoding="utf-8")
    try:
        data: object = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        raise ScenarioError(f"scenario file {path.name} cannot be parsed: {error}") from None
    return scenario_from_mapping(data)


def scenario_from_mapping(data: object) -> Scenario:
    """A scenario from the defaults with the fields in ``data`` replaced (checked, by path)."""
    scenario = _build(Scenario, data, Scenario(), "")
    _check_case_mix(scenario.demand.case_mix)
    return scenario


def _fail(path: str, message: str) -> ScenarioError:
    return ScenarioError(f"scenario field {path or '(top level)'}: {message}")


def _build(cls: type[T], data: object, base: T, path: str) -> T:
    if not isinstance(data, Mapping):
        raise _fail(path, f"expected a table of fields, got {data!r}")
    fields = {item.name: item for item in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise _fail(
            _join(path, unknown[0]),
            f"unknown field; allowed here: {', '.join(sorted(fields))}",
        )
    hints = get_type_hints(cls)
    changes: dict[str, object] = {}
    for name, raw in data.items():
        item = fields[name]
        where = _join(path, name)
        value = _coerce(hints[name], raw, getattr(base, name), where, item.metadata)
        _check(value, item.metadata, where)
        changes[name] = value
    return dataclasses.replace(base, **changes)  # type: ignore[type-var]


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _coerce(hint: Any, raw: object, current: object, path: str, meta: Mapping[str, Any]) -> object:
    origin = get_origin(hint)
    if dataclasses.is_dataclass(hint):
        return _build(hint, raw, current, path)  # type: ignore[arg-type]
    if origin is dict:
        return _table(get_args(hint)[1], raw, current, path, meta)
    if origin is tuple:
        item_type = get_args(hint)[0]
        if item_type is CaseProfile:
            return _case_mix(raw, path)
        if not isinstance(raw, list):
            raise _fail(path, f"expected a list of numbers, got {raw!r}")
        return tuple(_number(item, f"{path}[{i}]") for i, item in enumerate(raw))
    return _scalar(hint, raw, path)


def _scalar(hint: Any, raw: object, path: str) -> object:
    if hint is str:
        if not isinstance(raw, str):
            raise _fail(path, f"expected text, got {raw!r}")
        return raw
    if hint is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise _fail(path, f"expected a whole number, got {raw!r}")
        return raw
    if hint is float:
        return _number(raw, path)
    if hint is date:
        return _date(raw, path)
    raise _fail(path, f"cannot read a value of type {hint!r}")  # pragma: no cover


def _number(raw: object, path: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise _fail(path, f"expected a number, got {raw!r}")
    return float(raw)


def _date(raw: object, path: str) -> date:
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise _fail(path, f"expected a date YYYY-MM-DD, got {raw!r}")


def _table(
    value_type: Any, raw: object, current: object, path: str, meta: Mapping[str, Any]
) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise _fail(path, f"expected a table of name = value, got {raw!r}")
    keys = meta.get("keys")
    if keys is not None:
        unknown = sorted(str(k) for k in raw if k not in keys)
        if unknown:
            raise _fail(_join(path, unknown[0]), f"unknown key; expected one of: {', '.join(keys)}")
    if dataclasses.is_dataclass(value_type):
        defaults = current if isinstance(current, dict) else {}
        out = dict(defaults) if meta.get("check") == "table" else {}
        for key, entry in raw.items():
            base = defaults[key] if key in defaults else cast("type[Any]", value_type)()
            out[str(key)] = _build(
                cast("type[Any]", value_type), entry, base, _join(path, str(key))
            )
        return out
    return {str(k): _number(v, _join(path, str(k))) for k, v in raw.items()}


def _case_mix(raw: object, path: str) -> tuple[CaseProfile, ...]:
    if not isinstance(raw, list) or not raw:
        raise _fail(path, "expected a non-empty list of case profiles")
    profiles = []
    for i, entry in enumerate(raw):
        where = f"{path}[{i}]"
        if not isinstance(entry, Mapping):
            raise _fail(where, "expected a table with name, share, facts, condition_codes")
        unknown = sorted(set(entry) - {"name", "share", "facts", "condition_codes"})
        if unknown:
            raise _fail(
                f"{where}.{unknown[0]}",
                "unknown field; allowed: name, share, facts, condition_codes",
            )
        name = _scalar(str, entry.get("name"), f"{where}.name")
        share = _number(entry.get("share"), f"{where}.share")
        facts = entry.get("facts", {})
        if not isinstance(facts, Mapping) or {"source", "received_at"} & set(facts):
            raise _fail(
                f"{where}.facts",
                "expected a table of triage facts without source or "
                "received_at (the simulator sets those)",
            )
        codes = entry.get("condition_codes", ["OTHER.UNDIFFERENTIATED"])
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
            raise _fail(f"{where}.condition_codes", "expected a non-empty list of condition codes")
        profiles.append(CaseProfile(str(name), share, dict(facts), tuple(codes)))
    return tuple(profiles)


def _check_case_mix(profiles: tuple[CaseProfile, ...]) -> None:
    names = [p.name for p in profiles]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise _fail("demand.case_mix", f"profile name {duplicated[0]!r} is used twice")
    for i, profile in enumerate(profiles):
        if not 0.0 <= profile.share <= 1.0:
            raise _fail(f"demand.case_mix[{i}].share", f"{profile.share} is not between 0 and 1")
    total = sum(p.share for p in profiles)
    if abs(total - 1.0) > _MIX_TOLERANCE:
        raise _fail("demand.case_mix", f"profile shares add up to {total:.6f}, not 1")


def _check(value: object, meta: Mapping[str, Any], path: str) -> None:
    check = meta.get("check")
    if check is None:
        return
    if isinstance(value, float | int) and not isinstance(value, bool):
        _check_number(float(value), check, path)
    elif check == "nation":
        try:
            calendar_for(str(value))
        except CalendarError as error:
            raise _fail(path, str(error)) from None
    elif check == "choice" and value not in meta["choices"]:
        raise _fail(path, f"{value!r} is not one of: {', '.join(meta['choices'])}")
    elif isinstance(value, tuple):
        _check_sequence(value, check, meta, path)
    elif isinstance(value, dict):
        _check_table(value, check, meta, path)


_BOUNDS: dict[str, tuple[float, float, str]] = {
    "share": (0.0, 1.0, "a share between 0 and 1"),
    "positive": (1e-12, math.inf, "a number above 0"),
    "non_negative": (0.0, math.inf, "a number of 0 or more"),
    "percent": (0.0, 100.0, "a percentage between 0 and 100"),
    "growth": (-99.999999, math.inf, "a percentage above -100"),
    "hour": (0.0, 23.999999, "an hour of the day, 0 to below 24"),
    "band": (1.0, 9.0, "an Agenda for Change band 1-9"),
}


def _check_number(value: float, check: str, path: str) -> None:
    bounds = _BOUNDS.get(check)
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        raise _fail(path, f"{value:g} is not {bounds[2]}")


def _check_sequence(
    values: tuple[float, ...], check: str, meta: Mapping[str, Any], path: str
) -> None:
    if check == "hours":
        if len(values) != 2 or not 0.0 <= values[0] < values[1] <= 24.0:
            raise _fail(path, f"expected [from, to] hours with 0 <= from < to <= 24, got {values}")
    elif check == "weights" and (
        len(values) != meta["length"] or min(values) < 0 or sum(values) <= 0
    ):
        raise _fail(path, f"expected {meta['length']} non-negative weights, not all zero")


def _check_table(values: dict[str, Any], check: str, meta: Mapping[str, Any], path: str) -> None:
    keys = meta.get("keys")
    if keys is not None and not meta.get("partial") and set(values) != set(keys):
        missing = sorted(set(keys) - set(values))
        raise _fail(path, f"missing key(s): {', '.join(missing)}; expected {', '.join(keys)}")
    numbers = [v for v in values.values() if isinstance(v, float)]
    if check in {"mix", "shares"}:
        for key, share in values.items():
            _check_number(share, "share", _join(path, key))
        total = sum(numbers)
        if check == "mix" and abs(total - 1.0) > _MIX_TOLERANCE:
            raise _fail(path, f"shares add up to {total:.6f}, not 1")
        if check == "shares" and total > 1.0 + _MIX_TOLERANCE:
            raise _fail(path, f"shares add up to {total:.6f}, more than 1")
    elif check == "amounts" and not meta.get("partial"):
        for key, amount in values.items():
            _check_number(amount, "positive", _join(path, key))
    elif check == "variants":
        for name in values:
            if not name.strip():
                raise _fail(path, "a variant needs a non-empty name")


def combine(first: Changes, second: Changes) -> Changes:
    """``second`` applied after ``first``: growth compounds, FTE and hours add, cuts compound."""
    added = dict(first.added_fte)
    for band, fte in second.added_fte.items():
        added[band] = added.get(band, 0.0) + fte
    return Changes(
        demand_growth_pct=(
            (1 + first.demand_growth_pct / 100) * (1 + second.demand_growth_pct / 100) - 1
        )
        * 100,
        added_fte=added,
        added_triage_hours=first.added_triage_hours + second.added_triage_hours,
        dna_reduction_pct=100
        - (100 - first.dna_reduction_pct) * (100 - second.dna_reduction_pct) / 100,
        self_management_shift_pct=min(
            100.0, first.self_management_shift_pct + second.self_management_shift_pct
        ),
    )


def variants_of(scenario: Scenario) -> dict[str, Scenario]:
    """The baseline (its own ``changes`` applied) and each named variant on top of it."""
    out = {"baseline": dataclasses.replace(scenario, variants={})}
    for name, extra in scenario.variants.items():
        out[name] = dataclasses.replace(
            scenario, name=name, changes=combine(scenario.changes, extra), variants={}
        )
    return out
