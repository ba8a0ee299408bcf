"""The planning trade-off chart: FTE against the share of requests seen within target, by band."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt

from imsk.planning.search import Plan, Point
from imsk.sim.charts import save


def _bars(
    points: tuple[Point, ...], attribute: str
) -> tuple[list[float], list[float], list[float]]:
    means, below, above = [], [], []
    for point in points:
        estimate = getattr(point, attribute)
        means.append(estimate.mean)
        below.append(0.0 if estimate.low is None else estimate.mean - estimate.low)
        above.append(0.0 if estimate.high is None else estimate.high - estimate.mean)
    return means, below, above


def tradeoff_chart(plan: Plan, path: Path) -> Path:
    """One panel per band group: % within target (mean, 95 % interval) against FTE."""
    groups = list(plan.bands)
    figure, axes_row = plt.subplots(1, len(groups), figsize=(5 * len(groups), 4), dpi=100)
    targets = plan.targets
    for axes, group in zip(axes_row, groups, strict=True):
        band = plan.bands[group]
        fte = [p.fte for p in band.points]
        for attribute, label, target in (
            ("routine", f"routine within {targets.routine_weeks:g} weeks", targets.routine_share),
            ("urgent", "urgent within 10 working days", targets.urgent_share),
        ):
            means, below, above = _bars(band.points, attribute)
            line = axes.errorbar(
                fte, means, yerr=[below, above], marker="o", ms=3, capsize=2, label=label
            )
            axes.axhline(target, linestyle=":", color=line[0].get_color(), linewidth=1)
        if band.least_fte is not None:
            axes.axvline(band.least_fte, color="black", linewidth=1, alpha=0.6)
            axes.annotate(
                f"least FTE {band.least_fte:g}",
                (band.least_fte, 2),
                fontsize=8,
                xytext=(4, 0),
                textcoords="offset points",
            )
        axes.set_title(f"Band {group} (workload {band.workload_fte:.1f} FTE)", fontsize=10)
        axes.set_xlabel("FTE")
        axes.set_ylabel("% within target (dotted: target)")
        axes.set_ylim(0, 102)
        axes.grid(alpha=0.3)
        axes.legend(frameon=False, fontsize=8, loc="lower right")
    return save(figure, path)
