"""Fixtures shared by every test tier."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO_ROOT = Path(__file__).resolve().parent.parent

# Speed is measured in benchmarks/, never in unit tests: Hypothesis's per-example deadline would make
# the suite fail on a loaded two-core CI machine without anything being wrong.
settings.register_profile(
    "imsk", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "imsk"))


def shared_path() -> Path:
    """The ``shared`` folder that sits beside the repository (or ``$IMSK_SHARED``)."""
    override = os.environ.get("IMSK_SHARED")
    return Path(override) if override else REPO_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared``: the spec, research notes and reference tables tests read but never copy."""
    path = shared_path()
    if not (path / "spec" / "dataset.md").is_file():
        pytest.fail(f"the shared folder is missing at {path}; set IMSK_SHARED to its location")
    return path


@pytest.fixture(scope="session")
def research_data_dir(shared_dir: Path) -> Path:
    """``../shared/research/data``: EQ-5D value sets and mappings, deprivation lookups."""
    return shared_dir / "research" / "data"
