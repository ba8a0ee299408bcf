"""SNOMED CT identifier checks (Verhoeff check digit and concept partition)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imsk.core.codes import is_valid_sctid
from imsk.core.codes.snomed import has_valid_verhoeff_digit


@pytest.mark.parametrize(
    "sctid",
    ["22298006", "73211009", "195967001", "404684003", "81680005", "306171000000106"],
)
def test_published_concept_ids_pass(sctid: str) -> None:
    """Well-known concepts (myocardial infarction, diabetes, asthma, clinical finding, neck pain,
    the UK-extension fragility fracture) must be accepted."""
    assert is_valid_sctid(sctid)


def test_the_start_back_id_printed_without_its_leading_nine_fails_its_check_digit() -> None:
    """``shared/research/instruments.md`` section 2: 45641000000100 as printed fails; 945641000000100
    passes."""
    assert not is_valid_sctid("45641000000100")
    assert is_valid_sctid("945641000000100")


@pytest.mark.parametrize("value", ["", "12345", "022298006", "2229800X", "22298016"])
def test_malformed_ids_fail(value: str) -> None:
    assert not is_valid_sctid(value)


@given(st.text(alphabet="0123456789", min_size=5, max_size=17), st.integers(1, 9))
def test_changing_any_single_digit_breaks_the_check(body: str, delta: int) -> None:
    """Verhoeff detects every single-digit error."""
    check = next(str(d) for d in range(10) if has_valid_verhoeff_digit(body + str(d)))
    full = body + check
    position = len(full) // 2
    changed = full[:position] + str((int(full[position]) + delta) % 10) + full[position + 1 :]
    assert not has_valid_verhoeff_digit(changed)
