"""Reference data files: the condition and activity code lists.

Version 1 of each list ships inside the package (copied from ``shared/spec``). An administrator
supplies a new version by pointing imsk at a CSV file of the same columns (``--condition-codes PATH``
on the CLI, or the ``IMSK_CONDITION_CODES`` / ``IMSK_ACTIVITY_CODES`` environment variables): no code
change is needed. The version label is taken from the file name (``condition-codes-v2.csv`` is version
``2``) unless given explicitly.
"""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path

from imsk.core.codes import (
    ActivityCode,
    CodeList,
    ConditionCode,
    parse_activity_codes,
    parse_condition_codes,
)

BUNDLED_VERSION = "1"
_VERSION_IN_NAME = re.compile(r"-v([0-9A-Za-z._]+)\.csv$")


def _bundled_text(name: str) -> str:
    return (
        resources.files("imsk.core.codes") / "data" / f"{name}-codes-v{BUNDLED_VERSION}.csv"
    ).read_text(encoding="utf-8")


def version_from_name(path: Path) -> str:
    """``condition-codes-v2.csv`` -> ``2``; a file without ``-vN`` in its name -> its stem."""
    match = _VERSION_IN_NAME.search(path.name)
    return match.group(1) if match else path.stem


def load_condition_codes(
    path: Path | None = None, version: str | None = None
) -> CodeList[ConditionCode]:
    """The condition code list at ``path`` (or ``$IMSK_CONDITION_CODES``, or bundled version 1)."""
    chosen = path or _env_path("IMSK_CONDITION_CODES")
    if chosen is None:
        return parse_condition_codes(_bundled_text("condition"), BUNDLED_VERSION)
    return parse_condition_codes(
        chosen.read_text(encoding="utf-8"), version or version_from_name(chosen)
    )


def load_activity_codes(
    path: Path | None = None, version: str | None = None
) -> CodeList[ActivityCode]:
    """The activity code list at ``path`` (or ``$IMSK_ACTIVITY_CODES``, or bundled version 1)."""
    chosen = path or _env_path("IMSK_ACTIVITY_CODES")
    if chosen is None:
        return parse_activity_codes(_bundled_text("activity"), BUNDLED_VERSION)
    return parse_activity_codes(
        chosen.read_text(encoding="utf-8"), version or version_from_name(chosen)
    )


def _env_path(variable: str) -> Path | None:
    value = os.environ.get(variable, "").strip()
    return Path(value) if value else None
