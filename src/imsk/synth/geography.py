"""Where the synthetic people live: LSOAs, their health board, deprivation quintile and population.

With a reference folder (``--reference-dir`` or ``$IMSK_REFERENCE_DIR``) the generator uses the real
Welsh 2011 LSOAs: the Welsh Index of Multiple Deprivation 2019 (Welsh Government; official quintile,
1 = most deprived; health board ODS code 7A1-7A7) from ``wimd2019_lsoa11_wales.csv`` and the ONS
mid-2020 single-year-of-age population per LSOA from ``pop_mid2020_lsoa11_wales_syoa.csv`` (both Open
Government Licence v3.0; see ``../shared/research/data/geo/README.md``). imsk never ships or copies
those files: the user points at a folder holding them.

Without one it builds a documented *synthetic* geography: made-up LSOA-like codes ``W99nnnnnn``
(real Welsh LSOAs are ``W01...``: no real area has them), 100 per health board, 20 in each quintile,
every LSOA with the same population and a simple made-up age structure. Such output says so in its
manifest and in the command's report.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from numpy.typing import NDArray

from imsk.core.errors import SynthError

WIMD_FILE = "wimd2019_lsoa11_wales.csv"
POPULATION_FILE = "pop_mid2020_lsoa11_wales_syoa.csv"
REFERENCE_ENV = "IMSK_REFERENCE_DIR"
MAX_AGE = 90  # the last population column is "90+"
AGES = MAX_AGE + 1

WALES_HEALTH_BOARDS: dict[str, str] = {
    "7A1": "Betsi Cadwaladr University Health Board",
    "7A2": "Hywel Dda University Health Board",
    "7A3": "Swansea Bay University Health Board",
    "7A4": "Cardiff and Vale University Health Board",
    "7A5": "Cwm Taf Morgannwg University Health Board",
    "7A6": "Aneurin Bevan University Health Board",
    "7A7": "Powys Teaching Health Board",
}

_SYNTHETIC_LSOAS_PER_BOARD = 100
_SYNTHETIC_LSOA_POPULATION = 1600


@dataclass(frozen=True)
class Geography:
    """LSOAs (one row each) with their board, quintile and population by single year of age."""

    lsoa: list[str]
    board: NDArray[np.int64]  # index into ``boards``
    quintile: NDArray[np.int64]  # 1 = most deprived
    population: NDArray[np.float64]  # shape (lsoas, AGES)
    boards: list[str]
    board_names: list[str]
    source: str  # "reference" or "synthetic"

    def board_population(self, scale: float = 1.0) -> dict[tuple[str, int], int]:
        """Residents per (health board, quintile), the data set ``population`` table."""
        totals: dict[tuple[str, int], int] = {}
        per_lsoa = self.population.sum(axis=1) * scale
        for b, name in enumerate(self.boards):
            for q in range(1, 6):
                mask = (self.board == b) & (self.quintile == q)
                totals[(name, q)] = round(float(per_lsoa[mask].sum()))
        return totals


def reference_dir_from_env() -> Path | None:
    value = os.environ.get(REFERENCE_ENV, "").strip()
    return Path(value) if value else None


def _read(path: Path, columns: list[str]) -> pa.Table:
    if not path.is_file():
        raise SynthError(f"reference file {path.name} is missing from {path.parent}")
    options = pacsv.ConvertOptions(
        include_columns=columns, column_types={"lsoa11cd": pa.string(), "lhb_ods": pa.string()}
    )
    try:
        return pacsv.read_csv(path, convert_options=options)
    except (pa.ArrowInvalid, KeyError) as error:
        raise SynthError(f"reference file {path.name} cannot be read: {error}") from None


def reference_geography(folder: Path, boards: list[str]) -> Geography:
    """Real Welsh LSOAs of ``boards`` (ODS codes) from WIMD 2019 and ONS mid-2020 population."""
    wimd = _read(folder / WIMD_FILE, ["lsoa11cd", "lhb_ods", "lhb_nm", "wimd2019_quintile"])
    age_columns = [str(age) for age in range(MAX_AGE)] + [f"{MAX_AGE}+"]
    people = _read(folder / POPULATION_FILE, ["lsoa11cd", *age_columns])
    by_lsoa = {str(code): row for row, code in enumerate(people.column("lsoa11cd").to_pylist())}
    codes = [str(code) for code in wimd.column("lsoa11cd").to_pylist()]
    ods = [str(code) for code in wimd.column("lhb_ods").to_pylist()]
    names = dict(zip(ods, (str(name) for name in wimd.column("lhb_nm").to_pylist()), strict=True))
    unknown = sorted(set(boards) - set(names))
    if unknown:
        raise SynthError(f"health board(s) {', '.join(unknown)} are not in {WIMD_FILE}")
    keep = [i for i, code in enumerate(codes) if ods[i] in boards]
    missing = [codes[i] for i in keep if codes[i] not in by_lsoa]
    if missing:
        raise SynthError(f"LSOA {missing[0]} of {WIMD_FILE} has no row in {POPULATION_FILE}")
    matrix = np.column_stack([people.column(c).to_numpy().astype(np.float64) for c in age_columns])
    quintiles = np.asarray(wimd.column("wimd2019_quintile").to_numpy(), dtype=np.int64)
    return Geography(
        lsoa=[codes[i] for i in keep],
        board=np.array([boards.index(ods[i]) for i in keep], dtype=np.int64),
        quintile=quintiles[keep],
        population=matrix[[by_lsoa[codes[i]] for i in keep]],
        boards=list(boards),
        board_names=[names[b] for b in boards],
        source="reference",
    )


def synthetic_geography(boards: list[str]) -> Geography:
    """Made-up LSOAs: 100 per board, equal quintile populations, a simple age structure."""
    ages = np.arange(AGES, dtype=np.float64)
    shape = np.where(ages < 65, 1.0, np.exp(-(ages - 65) / 11.0))
    per_age = shape / shape.sum() * _SYNTHETIC_LSOA_POPULATION
    count = len(boards) * _SYNTHETIC_LSOAS_PER_BOARD
    index = np.arange(count, dtype=np.int64)
    return Geography(
        lsoa=[f"W99{i + 1:06d}" for i in range(count)],
        board=index // _SYNTHETIC_LSOAS_PER_BOARD,
        quintile=(index % _SYNTHETIC_LSOAS_PER_BOARD) // 20 + 1,
        population=np.tile(per_age, (count, 1)),
        boards=list(boards),
        board_names=[WALES_HEALTH_BOARDS.get(b, f"Health board {b}") for b in boards],
        source="synthetic",
    )


def load_geography(folder: Path | None, boards: list[str], nation: str) -> Geography:
    """Real geography when a reference folder is given (Wales only), else the synthetic one."""
    if folder is None:
        return synthetic_geography(boards)
    if nation != "wales":
        raise SynthError("the reference geography (WIMD 2019 LSOAs) covers Wales only")
    if not folder.is_dir():
        raise SynthError(f"reference folder {folder} does not exist")
    return reference_geography(folder, boards)
