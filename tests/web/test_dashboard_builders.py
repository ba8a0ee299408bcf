"""A small MSK data set for the dashboard tests, built row by row (no files copied from elsewhere).

Three services in two health boards, matching the personas: Cardiff and Vale MSK (``cav-msk``,
7A4, the personas' own service), Cardiff and Vale hand therapy (``cav-hand``, 7A4, three requests
only, so its figures are small numbers that disclosure control must hide) and Betsi Cadwaladr MSK
(``bcu-msk``, 7A1, the other board). Requests arrive every ten days from April 2025 to March 2026.
"""

from __future__ import annotations

import copy
import csv
import io
import zipfile
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from imsk.analytics.kpis.inputs import Period
from imsk.dataio.dataset import validate_dataset
from imsk.web.dashboard import figures

START = datetime(2025, 4, 1, 9, 0)
END = datetime(2026, 3, 31, 17, 0)
SERVICES = (
    ("cav-msk", "Cardiff and Vale MSK", "7A4", 36),
    ("cav-hand", "Cardiff and Vale hand therapy", "7A4", 3),
    ("bcu-msk", "Betsi Cadwaladr MSK", "7A1", 12),
)
BOARDS = ("7A1", "7A4")


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def _write(
    folder: Path, table: str, header: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(["" if cell is None else cell for cell in row] for row in rows)


def write_dataset(folder: Path) -> Path:
    """Write the data set into ``folder`` (created) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    requests, contacts, exits, measures = [], [], [], []
    for service_id, _name, _board, count in SERVICES:
        step = 350 // count
        for i in range(count):
            request_id = f"{service_id}-R{i:03d}"
            received = START + timedelta(days=i * step)
            last = i == count - 1 and count > 3  # the newest request is not triaged yet
            urgent = i % 4 == 0
            triaged = None if last else received + timedelta(days=6 if i % 7 == 3 else 0, hours=5)
            requests.append(
                [
                    request_id,
                    f"P-{service_id}-{i}",
                    service_id,
                    _stamp(received),
                    "gp" if i % 3 else "self",
                    (i % 5) + 1,
                    None if last else ("urgent" if urgent else "routine"),
                    None if triaged is None else _stamp(triaged),
                    None if last else "assess_and_support",
                ]
            )
            first = received + timedelta(days=21, hours=1)
            if triaged is None or first > END:
                continue
            status = "did_not_attend" if i % 6 == 5 else "attended"
            contacts.append(
                [f"{request_id}-C1", request_id, "first", _stamp(first), status, "in_person", 6]
            )
            exited = received + timedelta(days=60)
            if status != "attended" or exited > END:
                continue
            exits.append([request_id, _stamp(exited), "discharged", "resolved"])
            baseline = 30 + i % 5
            gain = 3 if i % 4 == 1 else 8
            measures.append([request_id, "msk_hq", "baseline", _stamp(first), baseline])
            measures.append([request_id, "msk_hq", "discharge", _stamp(exited), baseline + gain])
    months = [f"{2025 + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(12)]
    _write(
        folder,
        "services",
        ["service_id", "name", "health_board", "nation"],
        [[s, n, b, "wales"] for s, n, b, _c in SERVICES],
    )
    _write(
        folder,
        "requests",
        [
            "request_id",
            "person_id",
            "service_id",
            "received_at",
            "source",
            "deprivation_quintile",
            "priority",
            "triaged_at",
            "pathway",
        ],
        requests,
    )
    _write(
        folder,
        "contacts",
        ["contact_id", "request_id", "kind", "scheduled_at", "status", "mode", "band"],
        contacts,
    )
    _write(folder, "exits", ["request_id", "exited_at", "code", "outcome"], exits)
    _write(
        folder,
        "measures",
        ["request_id", "instrument", "timepoint", "completed_at", "score"],
        measures,
    )
    _write(
        folder,
        "costs",
        ["service_id", "month", "staffing", "consumables"],
        [[s, month, 10000, 500] for s, _n, _b, _c in SERVICES for month in months],
    )
    _write(
        folder,
        "population",
        ["health_board", "deprivation_quintile", "population"],
        [[board, q, 50000 + 1000 * q] for board in BOARDS for q in range(1, 6)],
    )
    return folder


def write_invalid_dataset(folder: Path) -> Path:
    """The same data set plus a request of a service that does not exist (an error finding)."""
    write_dataset(folder)
    with (folder / "requests.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write("ghost-R1,P-ghost,no-such-service,2025-05-01T10:00,gp,3,,,\n")
    return folder


def zipped(folder: Path, *, inside: str = "dataset") -> bytes:
    """The folder's files as a zip, under one top folder ``inside`` (or at the top when empty)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"{inside}/{path.name}" if inside else path.name)
    return buffer.getvalue()


_COMPUTED: dict[tuple[object, ...], Any] = {}


def remember_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compute the figures of :func:`write_dataset` once per test session, by the real engine.

    Every test writes the same data set into its own folder, so the figures of a (kind, period,
    level) are the same for all of them; the KPI engine takes about a second per month of trend.
    """
    real_reports, real_trends = figures.compute_reports, figures.compute_trends

    def reports(folder: Path, period: Period, progress: figures.Progress | None = None) -> Any:
        key = ("reports", period)
        if key not in _COMPUTED:
            _COMPUTED[key] = real_reports(folder, period, progress)
        return copy.deepcopy(_COMPUTED[key])

    def trends(folder: Path, end: date, progress: figures.Progress | None = None) -> Any:
        key = ("trends", end)
        if key not in _COMPUTED:
            _COMPUTED[key] = real_trends(folder, end, progress)
        return copy.deepcopy(_COMPUTED[key])

    monkeypatch.setattr(figures, "compute_reports", reports)
    monkeypatch.setattr(figures, "compute_trends", trends)


def test_the_dashboard_test_data_set_passes_validation(tmp_path: Path) -> None:
    report = validate_dataset(write_dataset(tmp_path / "data"))
    assert report.is_valid, report.summary()
    assert report.row_counts["requests"] == sum(count for *_rest, count in SERVICES)


def test_the_invalid_test_data_set_has_an_error_finding(tmp_path: Path) -> None:
    report = validate_dataset(write_invalid_dataset(tmp_path / "data"))
    assert not report.is_valid
