"""SNOMED CT identifier checks.

A SNOMED CT identifier (SCTID) is 6 to 18 digits, without a leading zero; its last digit is a Verhoeff
check digit over the others, and the two digits before it (the partition identifier) say whether it
names a concept (``00`` short form, ``10`` extension). Checking the digit catches a mistyped or
truncated id (see ``shared/research/instruments.md`` section 2 for a published id that fails it).
Source: SNOMED International, "Technical Implementation Guide", section on SCTID check digits.
"""

from __future__ import annotations

_MULTIPLY = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
# Verhoeff's position permutations: row i is the first row applied i times (so no row can be mistyped).
_FIRST_PERMUTATION = (1, 5, 7, 6, 2, 8, 3, 0, 9, 4)


def _permutations() -> tuple[tuple[int, ...], ...]:
    rows = [tuple(range(10))]
    for _ in range(7):
        rows.append(tuple(_FIRST_PERMUTATION[digit] for digit in rows[-1]))
    return tuple(rows)


_PERMUTE = _permutations()
_CONCEPT_PARTITIONS = frozenset({"00", "10"})


def has_valid_verhoeff_digit(digits: str) -> bool:
    """True when the last digit of ``digits`` is the Verhoeff check digit of the rest."""
    check = 0
    for position, char in enumerate(reversed(digits)):
        check = _MULTIPLY[check][_PERMUTE[position % 8][int(char)]]
    return check == 0


def is_valid_sctid(value: str) -> bool:
    """True for a well-formed SNOMED CT *concept* identifier with a correct check digit."""
    if not (6 <= len(value) <= 18) or not value.isdigit() or value.startswith("0"):
        return False
    return value[-3:-1] in _CONCEPT_PARTITIONS and has_valid_verhoeff_digit(value)
