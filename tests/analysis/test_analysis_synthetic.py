"""The synthetic generator and the error models."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from somatosim.analysis import (
    AnalysisInputError,
    ConstantCV,
    ConstantSD,
    CVWithFloor,
    SyntheticSpec,
    simulate_pulsatile_series,
)
from somatosim.analysis.error_model import error_model_from_options


def test_seeded_and_reproducible():
    a = simulate_pulsatile_series(seed=4)
    b = simulate_pulsatile_series(seed=4)
    c = simulate_pulsatile_series(seed=5)
    np.testing.assert_array_equal(a.series.concentration, b.series.concentration)
    assert not np.array_equal(a.series.concentration, c.series.concentration)
    assert a.series.n_samples == 144 and a.series.sampling_interval_min == 10.0
    t = a.true_pulses["time_min"]
    assert t.min() >= 0 and t.max() <= a.series.time_min[-1]
    assert a.true_pulses["mass"].gt(0).all()
    d = a.truth_dict()
    assert d["error_model"]["model"] == "CVWithFloor"


def test_sampling_interval_and_noise_follow_the_spec():
    spec = replace(SyntheticSpec(), sampling_interval_min=20.0, error_model=CVWithFloor(0.1, 0.01))
    sim = simulate_pulsatile_series(spec, seed=1)
    assert sim.series.n_samples == 72
    z = (sim.series.concentration - sim.noise_free) / spec.error_model.sd(sim.noise_free)
    assert abs(np.std(z) - 1) < 0.25


@pytest.mark.parametrize(
    ("field", "value", "pattern"),
    [
        (
            "sampling_interval_min",
            0.0,
            r"'sampling_interval_min' of SyntheticSpec must be a float in the range \(0, inf\)",
        ),
        ("sampling_interval_min", 10.1, r"multiple of fine_step_min"),
        ("slow_fraction", 1.5, r"'slow_fraction'.*\(0, 1\]"),
        ("min_interpulse_min", 200.0, r"below mean_interpulse_min"),
    ],
)
def test_spec_validation(field, value, pattern):
    with pytest.raises(AnalysisInputError, match=pattern):
        replace(SyntheticSpec(), **{field: value})


def test_error_models():
    assert ConstantCV(0.1).sd([0, 2.0]).tolist() == [0.0, 0.2]
    np.testing.assert_allclose(CVWithFloor(0.1, 0.3).sd([0, 4.0]), [0.3, 0.5])
    assert ConstantSD(0.2).sd([1, 5]).tolist() == [0.2, 0.2]
    assert CVWithFloor(0.1, 0.3).scaled(10) == CVWithFloor(0.1, 3.0)
    assert ConstantCV(0.1).scaled(10) == ConstantCV(0.1)
    with pytest.raises(
        AnalysisInputError,
        match=r"'cv' parameter of ConstantCV must be a float in the range \(0, inf\)\. Got -0\.1",
    ):
        ConstantCV(-0.1)
    with pytest.raises(
        AnalysisInputError,
        match=r"'floor' parameter of CVWithFloor must be a real number\. Got 'x'",
    ):
        CVWithFloor(0.1, "x")  # type: ignore[arg-type]
    assert error_model_from_options(0.05, None, None) == ConstantCV(0.05)
    assert error_model_from_options(0.05, 0.1, None) == CVWithFloor(0.05, 0.1)
    assert error_model_from_options(None, None, 0.2) == ConstantSD(0.2)
    with pytest.raises(AnalysisInputError, match=r"An error model is required"):
        error_model_from_options(None, None, None)
    with pytest.raises(AnalysisInputError, match=r"not both"):
        error_model_from_options(0.05, None, 0.2)
