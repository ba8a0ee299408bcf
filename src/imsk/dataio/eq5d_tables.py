"""EQ-5D lookup tables the user supplies: the van Hout crosswalk and the NICE DSU 5L -> 3L mapping.

imsk does not ship these tables (published research data; the NICE DSU licence was not confirmed):
the user downloads a copy and points imsk at it (``imsk score eq5d5l ... --crosswalk PATH`` or
``--mapping PATH``). This module only reads the file; the strict parsing and the lookups live in
:mod:`imsk.core.instruments.eq5d_mapping`, whose docstring describes the expected columns.
"""

from __future__ import annotations

from pathlib import Path

from imsk.core.instruments.eq5d_mapping import (
    CrosswalkTable,
    DsuMappingTable,
    parse_crosswalk,
    parse_dsu_mapping,
)


def read_crosswalk(path: Path, country: str = "UK") -> CrosswalkTable:
    """The van Hout crosswalk column ``country`` of the CSV file at ``path``."""
    return parse_crosswalk(path.read_text(encoding="utf-8-sig"), country)


def read_dsu_mapping(path: Path) -> DsuMappingTable:
    """The NICE DSU 5L -> 3L UK mapping in the CSV file at ``path``."""
    return parse_dsu_mapping(path.read_text(encoding="utf-8-sig"))
