"""The result of validating a data set: findings (capped), exact counts, and what was read.

A data set with ten million requests can have ten million bad cells; printing them all helps nobody.
The validator keeps the first ``max_findings`` findings of each (table, code) in file order and counts
the rest exactly, so the summary says "bad_timestamp in requests: 120 431" while listing a hundred
examples with their row numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from imsk.core.dataset.findings import SEVERITY, Finding, FindingCode, Severity

JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


@dataclass(frozen=True)
class TableRead:
    """A table file that was read: its file name, form (``csv``/``parquet``) and data row count."""

    table: str
    file: str
    form: str
    rows: int


@dataclass(frozen=True)
class ValidationReport:
    """Everything one validation found.

    ``findings`` holds at most ``max_findings`` findings per (table, code), sorted by table reading
    order, row and code; ``counts`` holds the exact number of findings per (table, code).
    ``unchecked`` lists checks that could not run and why (e.g. foreign keys to an absent table).
    """

    source: str
    findings: tuple[Finding, ...]
    counts: Mapping[tuple[str, FindingCode], int]
    tables_read: tuple[TableRead, ...]
    tables_absent: tuple[str, ...]
    max_findings: int
    unchecked: tuple[str, ...] = ()
    _totals: Mapping[Severity, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        totals = dict.fromkeys(Severity, 0)
        for (_, code), count in self.counts.items():
            totals[SEVERITY[code]] += count
        object.__setattr__(self, "_totals", MappingProxyType(totals))
        object.__setattr__(self, "counts", MappingProxyType(dict(self.counts)))

    @property
    def error_count(self) -> int:
        return self._totals[Severity.ERROR]

    @property
    def warning_count(self) -> int:
        return self._totals[Severity.WARNING]

    @property
    def is_valid(self) -> bool:
        """No error findings (warnings allowed)."""
        return self.error_count == 0

    @property
    def row_counts(self) -> dict[str, int]:
        return {read.table: read.rows for read in self.tables_read}

    @property
    def tables_present(self) -> tuple[str, ...]:
        return tuple(read.table for read in self.tables_read)

    def count(self, code: FindingCode, table: str | None = None) -> int:
        """Exact number of findings with ``code`` (in ``table`` if given)."""
        return sum(n for (t, c), n in self.counts.items() if c == code and table in (None, t))

    def codes(self) -> set[FindingCode]:
        """Every code that was found at least once."""
        return {code for (_, code), count in self.counts.items() if count}

    def not_shown(self) -> dict[tuple[str, FindingCode], int]:
        """Per (table, code), how many findings were counted but not kept."""
        kept: dict[tuple[str, FindingCode], int] = {}
        for finding in self.findings:
            key = (finding.table, finding.code)
            kept[key] = kept.get(key, 0) + 1
        return {key: n - kept.get(key, 0) for key, n in self.counts.items() if n > kept.get(key, 0)}

    def summary(self) -> str:
        """A plain-text summary: tables read, tables absent, counts per table and code, verdict."""
        lines = [f"Data set {self.source} (MSK service data set version 1)", "Tables read:"]
        lines += [f"  {r.table:<17} {r.rows:>12,} rows  ({r.file})" for r in self.tables_read]
        if self.tables_absent:
            lines.append(f"Tables absent: {', '.join(self.tables_absent)}")
        lines += [f"Not checked: {reason}" for reason in self.unchecked]
        if self.counts:
            lines.append("Findings by table and code:")
            for (table, code), count in sorted(self.counts.items()):
                lines.append(f"  {table:<17} {code:<28} {count:>12,}  {SEVERITY[code]}")
        verdict = "VALID" if self.is_valid else "INVALID"
        lines.append(f"{verdict}: {self.error_count:,} error(s), {self.warning_count:,} warning(s)")
        return "\n".join(lines)

    def to_json(self) -> dict[str, JsonValue]:
        """A JSON-ready dictionary of the whole report."""
        return {
            "source": self.source,
            "valid": self.is_valid,
            "errors": self.error_count,
            "warnings": self.warning_count,
            "tables": {
                r.table: {"file": r.file, "form": r.form, "rows": r.rows} for r in self.tables_read
            },
            "absent_tables": list(self.tables_absent),
            "not_checked": list(self.unchecked),
            "max_findings": self.max_findings,
            "counts": [
                {"table": t, "code": str(c), "severity": str(SEVERITY[c]), "count": n}
                for (t, c), n in sorted(self.counts.items())
            ],
            "findings": [
                {
                    "table": f.table,
                    "row": f.row,
                    "field": f.field,
                    "code": str(f.code),
                    "severity": str(f.severity),
                    "message": f.message,
                }
                for f in self.findings
            ],
        }
