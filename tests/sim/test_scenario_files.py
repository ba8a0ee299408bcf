"""Scenario files: strict parsing with errors that name the field, and how changes combine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imsk.core.errors import ScenarioError
from imsk.sim.scenario import Changes, Scenario
from imsk.sim.schema import combine, load_scenario, scenario_from_mapping, variants_of

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"clinics": {"bands": {"7+": {"fte": "ten"}}}}, "clinics.bands.7+.fte: expected a number"),
        ({"clinics": {"bands": {"8": {"fte": 1}}}}, "clinics.bands.8: unknown key"),
        ({"demand": {"requests_per_yer": 10}}, "demand.requests_per_yer: unknown field"),
        (
            {"demand": {"requests_per_year": -5}},
            "demand.requests_per_year: -5 is not a number above 0",
        ),
        ({"service": {"nation": "atlantis"}}, "service.nation: unknown nation 'atlantis'"),
        ({"calendar": "lunar"}, "calendar: 'lunar' is not one of: working_days, continuous"),
        ({"period": {"start": "2025-13-01"}}, "period.start: expected a date YYYY-MM-DD"),
        ({"period": {"weeks": 2.5}}, "period.weeks: expected a whole number"),
        ({"attendance": {"first": {"did_not_attend": 1.5}}}, "attendance.first: missing key"),
        (
            {
                "attendance": {
                    "first": {
                        "did_not_attend": 0.6,
                        "patient_cancelled": 0.3,
                        "service_cancelled": 0.2,
                    }
                }
            },
            "attendance.first: shares add up to 1.100000, more than 1",
        ),
        (
            {
                "onward": {
                    "subspecialty_mix": {
                        "orthopaedics": 0.5,
                        "spinal": 0.2,
                        "rheumatology": 0.1,
                        "persistent_pain": 0.1,
                        "other": 0.05,
                    }
                }
            },
            "onward.subspecialty_mix: shares add up to 0.950000, not 1",
        ),
        ({"demand": {"weekday_weights": [1, 1, 1]}}, "demand.weekday_weights: expected 7"),
        ({"demand": {"self_hours": [20, 8]}}, "demand.self_hours: expected [from, to] hours"),
        (
            {"changes": {"dna_reduction_pct": 120}},
            "changes.dna_reduction_pct: 120 is not a percentage",
        ),
        ({"changes": {"added_fte": {"9": 1}}}, "changes.added_fte.9: unknown key"),
        ({"variants": {"x": {"demand_growth": 5}}}, "variants.x.demand_growth: unknown field"),
        ({"pathways": {"subspecialty": {"follow_ups_mean": True}}}, "expected a number, got True"),
        (
            {"demand": {"case_mix": [{"name": "a", "share": 0.5}, {"name": "b", "share": 0.4}]}},
            "demand.case_mix: profile shares add up to 0.900000, not 1",
        ),
        (
            {"demand": {"case_mix": [{"name": "a", "share": 1, "facts": {"source": "gp"}}]}},
            "demand.case_mix[0].facts: expected a table of triage facts without source",
        ),
        ([1, 2], "(top level): expected a table of fields"),
    ],
)
def test_a_bad_scenario_is_refused_naming_the_field(data: object, message: str) -> None:
    with pytest.raises(ScenarioError, match="scenario field") as caught:
        scenario_from_mapping(data)
    assert message in str(caught.value)


def test_an_empty_scenario_is_the_documented_default() -> None:
    assert scenario_from_mapping({}) == Scenario()


def test_a_partial_table_keeps_the_other_defaults() -> None:
    scenario = scenario_from_mapping({"clinics": {"bands": {"7+": {"fte": 3}}}})
    assert scenario.clinics.bands["7+"].fte == 3
    assert scenario.clinics.bands["7+"].band == 7
    assert scenario.clinics.bands["5-6"] == Scenario().clinics.bands["5-6"]


def test_toml_and_json_files_read_alike(tmp_path: Path) -> None:
    data = {
        "name": "t",
        "period": {"start": "2026-04-01", "weeks": 4},
        "changes": {"added_fte": {"5-6": 2}},
    }
    (tmp_path / "s.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "s.toml").write_text(
        'name = "t"\n[period]\nstart = 2026-04-01\nweeks = 4\n[changes.added_fte]\n"5-6" = 2\n',
        encoding="utf-8",
    )
    assert load_scenario(tmp_path / "s.json") == load_scenario(tmp_path / "s.toml")


def test_an_unparseable_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{nope", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"broken\.json cannot be parsed"):
        load_scenario(path)


def test_the_example_scenarios_are_valid() -> None:
    files = sorted((REPO_ROOT / "examples" / "scenarios").glob("*.json"))
    assert files
    for path in files:
        assert load_scenario(path).variants


def test_variant_changes_apply_on_top_of_the_baseline_changes() -> None:
    scenario = scenario_from_mapping(
        {
            "changes": {"demand_growth_pct": 10, "added_fte": {"5-6": 1}, "dna_reduction_pct": 50},
            "variants": {
                "more": {
                    "demand_growth_pct": 10,
                    "added_fte": {"5-6": 2, "7+": 1},
                    "dna_reduction_pct": 50,
                }
            },
        }
    )
    variants = variants_of(scenario)
    assert list(variants) == ["baseline", "more"]
    assert variants["baseline"].changes == scenario.changes
    more = variants["more"].changes
    assert more.demand_growth_pct == pytest.approx(21.0)
    assert more.added_fte == {"5-6": 3.0, "7+": 1.0}
    assert more.dna_reduction_pct == pytest.approx(75.0)


def test_no_changes_combine_to_no_changes() -> None:
    assert combine(Changes(), Changes()).is_empty
