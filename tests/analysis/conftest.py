"""Shared fixtures for the pulse-analysis tests (small, seeded series only)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from somatosim.analysis import CVWithFloor, SyntheticSpec, simulate_pulsatile_series


@pytest.fixture(scope="session")
def short_spec() -> SyntheticSpec:
    """An 8-h, 10-min GH-like series at 5 % CV: about 6 bursts, fast to deconvolve."""
    return replace(SyntheticSpec(), duration_min=480.0, error_model=CVWithFloor(0.05, 0.01))


@pytest.fixture(scope="session")
def short_sim(short_spec):
    return simulate_pulsatile_series(short_spec, seed=11)
