"""Charts of a simulation: the waiting list over time, one line per variant with its 95 % band.

Drawn with matplotlib (the non-interactive Agg backend) as SVG or PNG. SVG output is made repeatable
(fixed hash salt, no creation date) so the same run gives the same file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from imsk.sim.summary import VariantSummary

matplotlib.rcParams["svg.hashsalt"] = "imsk"
FORMATS = ("svg", "png")


def save(figure: Figure, path: Path) -> Path:
    """Write ``figure`` (format from the suffix) without a timestamp, and close it."""
    metadata: dict[str, str | None] = {"Date": None} if path.suffix == ".svg" else {}
    figure.savefig(path, metadata=metadata, bbox_inches="tight")
    plt.close(figure)
    return path


def waiting_list_chart(variants: Sequence[VariantSummary], path: Path, title: str) -> Path:
    """People waiting for a first contact at the end of each week, mean and 95 % interval."""
    figure, axes = plt.subplots(figsize=(8, 4.2), dpi=100)
    for variant in variants:
        estimates = variant.series["waiting_list"]
        weeks = np.array(variant.week_ending, dtype="datetime64[D]")
        mean = [e.mean for e in estimates]
        line = axes.plot(weeks, mean, label=variant.name, linewidth=1.6)[0]
        if all(e.low is not None for e in estimates):
            low = [e.low if e.low is not None else e.mean for e in estimates]
            high = [e.high if e.high is not None else e.mean for e in estimates]
            axes.fill_between(weeks, low, high, color=line.get_color(), alpha=0.2, linewidth=0)
    axes.set_title(title, fontsize=11)
    axes.set_ylabel("people waiting for a first contact")
    axes.set_xlabel("week ending (shaded: 95 % confidence interval over replications)")
    axes.set_ylim(bottom=0)
    axes.grid(alpha=0.3)
    axes.legend(frameon=False, fontsize=9)
    figure.autofmt_xdate()
    return save(figure, path)
