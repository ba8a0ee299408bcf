"""Collecting findings from whole-column checks: exact counts, a capped list, strict mode.

Checks work on a batch (or a whole key column) at once and hand the sink a boolean mask of the rows
at fault. The sink counts the mask exactly (one Arrow sum), and only for the first ``max_findings``
rows of each (table, code) builds :class:`~imsk.core.dataset.Finding` objects, asking the check for
each message. In strict mode the first error finding raises
:class:`~imsk.core.errors.InvalidDatasetError`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pyarrow as pa

from imsk.core.dataset import SEVERITY, Finding, FindingCode, Severity
from imsk.core.errors import InvalidDatasetError
from imsk.dataio.dataset.arrow import Arr, pc

#: Builds the message of the finding at position ``index`` of the masked arrays.
Message = Callable[[int], str]


class FindingSink:
    """Receives findings; keeps ``max_findings`` per (table, code) and counts all of them."""

    def __init__(self, *, max_findings: int, strict: bool) -> None:
        self.max_findings = max_findings
        self.strict = strict
        self.counts: Counter[tuple[str, FindingCode]] = Counter()
        self.kept: list[Finding] = []
        self._kept_per_key: Counter[tuple[str, FindingCode]] = Counter()

    def add(self, finding: Finding) -> None:
        """Record one finding."""
        key = (finding.table, finding.code)
        self.counts[key] += 1
        if self._kept_per_key[key] < self.max_findings:
            self._kept_per_key[key] += 1
            self.kept.append(finding)
        if self.strict and finding.severity is Severity.ERROR:
            raise InvalidDatasetError(finding)

    def add_masked(
        self,
        code: FindingCode,
        table: str,
        field: str | None,
        mask: Arr | None,
        first_row: int,
        message: Message,
    ) -> None:
        """Record a finding for every true position of ``mask``.

        Position ``i`` of the mask is data row ``first_row + i``; ``message(i)`` is called only for
        the findings that are kept.
        """
        if mask is None or len(mask) == 0:
            return
        total = pc.sum(mask).as_py() or 0
        if total == 0:
            return
        key = (table, code)
        room = self.max_findings - self._kept_per_key[key]
        if self.strict and SEVERITY[code] is Severity.ERROR:
            room = max(room, 1)
        if room > 0:
            positions = pc.indices_nonzero(mask).slice(0, room).to_pylist()
            for index in positions:
                self.add(Finding.of(code, table, first_row + index, field, message(index)))
            total -= len(positions)
        self.counts[key] += total

    def add_positions(
        self,
        code: FindingCode,
        table: str,
        field: str | None,
        positions: Arr,
        message: Message,
    ) -> None:
        """Record a finding for each 0-based row position in ``positions`` (ascending).

        ``message(j)`` builds the message of the ``j``-th position; it is called only for the
        findings that are kept.
        """
        total = len(positions)
        if total == 0:
            return
        key = (table, code)
        room = self.max_findings - self._kept_per_key[key]
        if self.strict and SEVERITY[code] is Severity.ERROR:
            room = max(room, 1)
        shown = max(0, min(room, total))
        for j, position in enumerate(positions.slice(0, shown).to_pylist()):
            self.add(Finding.of(code, table, position + 1, field, message(j)))
        self.counts[key] += total - shown


def true_mask(values: pa.Array[Any] | pa.ChunkedArray[Any]) -> Arr:
    """A plain boolean array with nulls as false."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks else pa.array([], pa.bool_())
    return pc.fill_null(values, False)
