"""Replications summarised: the mean of each measure with its 95 % confidence interval.

Each replication is an independent run (its own seed), so for a measure with values x1..xR the interval
is mean ± t(0.975, R - 1) x s / √R (Student's t; s the sample standard deviation). With one replication
there is no interval (reported as null). The same seeds are used for every variant of a scenario
(common random numbers), so differences between variants are sharper than the intervals suggest.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from imsk.sim.metrics import RunMetrics

# Two-sided 95 % Student's t quantiles t(0.975, df) for df = 1..30 (standard tables).
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


def t975(df: int) -> float:
    """t(0.975, df); beyond 30 degrees of freedom the normal approximation 1.96 + 2.4/df."""
    if df < 1:
        raise ValueError("a confidence interval needs at least 2 replications")
    return _T975[df - 1] if df <= len(_T975) else 1.96 + 2.4 / df


@dataclass(frozen=True)
class Estimate:
    """Mean of the replications' values with its 95 % interval (``None`` bounds for one value)."""

    mean: float
    low: float | None
    high: float | None
    values: tuple[float, ...]

    @classmethod
    def of(cls, values: Sequence[float]) -> Estimate:
        clean = [v for v in values if not math.isnan(v)]
        if not clean:
            return cls(math.nan, None, None, tuple(values))
        mean = sum(clean) / len(clean)
        if len(clean) < 2:
            return cls(mean, None, None, tuple(values))
        sd = math.sqrt(sum((v - mean) ** 2 for v in clean) / (len(clean) - 1))
        half = t975(len(clean) - 1) * sd / math.sqrt(len(clean))
        return cls(mean, mean - half, mean + half, tuple(values))

    def contains(self, value: float) -> bool:
        return self.low is not None and self.high is not None and self.low <= value <= self.high

    def as_dict(self) -> dict[str, Any]:
        return {
            "mean": _finite(self.mean),
            "ci95": None if self.low is None else [_finite(self.low), _finite(self.high)],
            "values": [_finite(v) for v in self.values],
        }


def _finite(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(value, 6)


@dataclass(frozen=True)
class VariantSummary:
    """One variant: its scalar estimates and its weekly series (mean and interval per week)."""

    name: str
    scalars: dict[str, Estimate]
    series: dict[str, list[Estimate]]
    week_ending: list[date]

    @classmethod
    def of(cls, name: str, runs: Sequence[RunMetrics]) -> VariantSummary:
        scalars = {key: Estimate.of([run.scalars[key] for run in runs]) for key in runs[0].scalars}
        series = {
            key: [Estimate.of([run.series[key][w] for run in runs]) for w in range(len(values))]
            for key, values in runs[0].series.items()
        }
        return cls(name, scalars, series, runs[0].week_ending)

    def as_dict(self) -> dict[str, Any]:
        return {
            "measures": {key: estimate.as_dict() for key, estimate in self.scalars.items()},
            "weekly": {
                "week_ending": [day.isoformat() for day in self.week_ending],
                **{
                    key: {
                        "mean": [_finite(e.mean) for e in estimates],
                        "ci95_low": [_finite(e.low) for e in estimates],
                        "ci95_high": [_finite(e.high) for e in estimates],
                    }
                    for key, estimates in self.series.items()
                },
            },
        }


def write_summary(
    folder: Path, header: dict[str, Any], variants: Sequence[VariantSummary]
) -> tuple[Path, Path]:
    """``summary.json`` (header plus every variant) and ``summary.csv`` (one row per estimate)."""
    folder.mkdir(parents=True, exist_ok=True)
    document = {**header, "variants": {v.name: v.as_dict() for v in variants}}
    json_path = folder / "summary.json"
    json_path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    csv_path = folder / "summary.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["variant", "measure", "week_ending", "mean", "ci95_low", "ci95_high"])
        for variant in variants:
            for key, estimate in variant.scalars.items():
                writer.writerow([variant.name, key, "", *_cells(estimate)])
            for key, estimates in variant.series.items():
                for day, estimate in zip(variant.week_ending, estimates, strict=True):
                    writer.writerow([variant.name, key, day.isoformat(), *_cells(estimate)])
    return json_path, csv_path


def _cells(estimate: Estimate) -> list[str]:
    return [
        "" if v is None else f"{v:.6g}"
        for v in (_finite(estimate.mean), _finite(estimate.low), _finite(estimate.high))
    ]
