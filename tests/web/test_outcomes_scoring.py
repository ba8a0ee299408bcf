"""Scoring is the core's: whatever the answers, the stored measure holds the core scorer's number,
the instrument version and value set it reports, and ``items`` in the data set's form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django import Settings

from imsk.core.dataset.values import is_well_formed_items
from imsk.core.instruments import dataset_score_agrees, eq5d, fft, msk_hq, prem, score_dataset_items
from imsk.dataio.dataset.validator import validate_dataset
from imsk.web.outcomes import questionnaires, services
from imsk.web.outcomes.checks import check_questionnaire_wording
from imsk.web.referrals.services import export_dataset
from tests.web.personas import Personas
from tests.web.test_outcomes_builders import first_options, our_request

pytestmark = pytest.mark.django_db
HYPOTHESIS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _answers(draw: st.DrawFn, instrument: str) -> questionnaires.Answers:
    found = questionnaires.questionnaire(instrument)
    codes: dict[str, str | None] = {}
    for item in found.items:
        choices = [option.code for option in item.options]
        if instrument in questionnaires.OPTIONAL_ITEMS:
            codes[item.id] = draw(st.sampled_from([*choices, None]))
        else:
            codes[item.id] = draw(st.sampled_from(choices))
    vas = draw(st.integers(0, 100)) if found.vas is not None else None
    return questionnaires.Answers(instrument, codes, vas, "")


@st.composite
def answers_to(draw: st.DrawFn, instrument: str) -> questionnaires.Answers:
    return _answers(draw, instrument)


def _enter(personas: Personas, answers: questionnaires.Answers) -> object:
    return services.enter_measure(
        actor=personas.clinician,
        request=our_request(personas),
        answers=answers,
        timepoint="discharge",
        completed_at=timezone.now(),
    )


@HYPOTHESIS
@given(answers=answers_to("msk_hq"))
def test_msk_hq_stores_the_core_total_and_the_scored_items_in_order(
    personas: Personas, answers: questionnaires.Answers
) -> None:
    measure = _enter(personas, answers)
    codes = [int(answers.codes[str(n)] or 0) for n in range(1, 15)]
    expected = msk_hq.score_msk_hq(codes)
    assert measure.items == " ".join(str(code) for code in codes)  # type: ignore[attr-defined]
    assert measure.score == expected.score  # type: ignore[attr-defined]
    assert measure.scoring.instrument_version == expected.instrument_version  # type: ignore[attr-defined]


@HYPOTHESIS
@given(answers=answers_to("eq5d5l"))
def test_eq5d5l_stores_the_profile_and_the_uk_2026_index_and_vas(
    personas: Personas, answers: questionnaires.Answers
) -> None:
    measure = _enter(personas, answers)
    profile = "".join(str(answers.codes[d]) for d in eq5d.DIMENSIONS)
    expected = eq5d.score_eq5d(profile, vas=answers.vas)
    assert measure.items == profile  # type: ignore[attr-defined]
    assert measure.score == expected.score  # type: ignore[attr-defined]
    assert measure.scoring.value_set == "uk_5l_rowen_2026"  # type: ignore[attr-defined]
    assert measure.scoring.vas == answers.vas  # type: ignore[attr-defined]


@HYPOTHESIS
@given(answers=answers_to("prem"))
def test_prem_stores_the_core_percentage_or_refuses_too_few_answers(
    personas: Personas, answers: questionnaires.Answers
) -> None:
    codes = [answers.codes[item.id] for item in prem.LOCAL_EXAMPLE_PREM.items]
    try:
        expected = prem.score_prem(prem.LOCAL_EXAMPLE_PREM, codes)
    except prem.IncompleteResponseError:
        with pytest.raises(prem.IncompleteResponseError):
            _enter(personas, answers)
        return
    measure = _enter(personas, answers)
    assert measure.score == expected.score  # type: ignore[attr-defined]
    assert measure.items == " ".join(code or "-" for code in codes)  # type: ignore[attr-defined]
    assert measure.scoring.instrument_version == "imsk_local_example_prem@1"  # type: ignore[attr-defined]


@pytest.mark.parametrize("code", range(1, 7))
def test_fft_stores_the_response_code_and_its_category(personas: Personas, code: int) -> None:
    answers = questionnaires.Answers("fft", {"1": str(code)}, None, "Kind staff")
    measure = _enter(personas, answers)
    assert measure.score == code  # type: ignore[attr-defined]
    assert measure.scoring.band == fft.score_fft(code).band  # type: ignore[attr-defined]
    assert measure.scoring.comment == "Kind staff"  # type: ignore[attr-defined]


@HYPOTHESIS
@given(
    instrument=st.sampled_from(questionnaires.OFFERED),
    data=st.data(),
)
def test_every_stored_items_string_is_well_formed_and_agrees_with_the_data_set_scorer(
    personas: Personas, instrument: str, data: st.DataObject
) -> None:
    answers = data.draw(answers_to(instrument))
    try:
        measure = _enter(personas, answers)
    except prem.IncompleteResponseError:
        return
    items: str = measure.items  # type: ignore[attr-defined]
    assert is_well_formed_items(items)
    computed = score_dataset_items(instrument, items)
    assert dataset_score_agrees(instrument, measure.score, computed)  # type: ignore[attr-defined]


def test_the_placeholder_wording_offers_exactly_the_codes_the_core_scores() -> None:
    wording = questionnaires.wording()
    msk = wording.questionnaires["msk_hq"]
    assert len(msk.items) == msk_hq.ITEM_COUNT
    assert all({o.code for o in item.options} == set("01234") for item in msk.items)
    eq = wording.questionnaires["eq5d5l"]
    assert [item.id for item in eq.items] == list(eq5d.DIMENSIONS)
    assert {o.code for o in wording.questionnaires["fft"].items[0].options} == set("123456")
    prem_ids = [item.id for item in wording.questionnaires["prem"].items]
    assert prem_ids == [item.id for item in prem.LOCAL_EXAMPLE_PREM.items]


def test_an_export_of_stored_measures_passes_the_data_set_validator(
    personas: Personas, tmp_path: Path
) -> None:
    for instrument in questionnaires.OFFERED:
        _enter(personas, first_options(instrument))
    export_dataset(actor=None, out_dir=tmp_path)
    report = validate_dataset(tmp_path)
    assert report.row_counts.get("measures") == 4
    measure_findings = [f for f in report.findings if f.table == "measures"]
    assert measure_findings == []


def test_the_shipped_wording_passes_the_start_up_check() -> None:
    assert questionnaires.wording_problems() == []


def test_a_wording_file_with_an_option_the_core_refuses_fails_the_start_up_check(
    tmp_path: Path, settings: Settings
) -> None:
    data = json.loads(questionnaires.PLACEHOLDER_WORDING.read_text(encoding="utf-8"))
    data["instruments"]["msk_hq"]["items"][11]["options"][0]["code"] = "5"  # item 12 scores 0-4
    del data["instruments"]["eq5d5l"]["items"][4]  # anxiety/depression missing
    bad = tmp_path / "wording.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    settings.IMSK_QUESTIONNAIRE_WORDING = str(bad)
    messages = check_questionnaire_wording()
    text = " ".join(message.msg for message in messages)
    assert {message.id for message in messages} == {"outcomes.E001"}
    assert "msk_hq item 12 option 5" in text
    assert "eq5d5l items must be MO SC UA PD AD" in text


def test_an_unreadable_wording_file_fails_the_start_up_check(
    tmp_path: Path, settings: Settings
) -> None:
    settings.IMSK_QUESTIONNAIRE_WORDING = str(tmp_path / "missing.json")
    (message,) = check_questionnaire_wording()
    assert "missing.json" in message.msg
