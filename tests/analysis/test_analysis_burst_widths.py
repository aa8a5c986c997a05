"""Per-burst widths (``burst_widths="per_burst"``): model, merge step and invariances."""

from __future__ import annotations

import numpy as np
import pytest

from somatosim.analysis import (
    AnalysisInputError,
    BiExponential,
    CVWithFloor,
    Deconvolution,
    MonoExponential,
)
from somatosim.analysis.deconvolution import DeconvolutionFit, _Problem
from somatosim.analysis.kinetics import basal_knots, gaussian_burst_response

ELIM = BiExponential()
TAU = np.array([60.0, 180.0, 300.0, 420.0, 540.0, 650.0])
SD = np.array([4.0, 12.0, 4.0, 12.0, 4.0, 4.0])
MASS = np.array([3.0, 4.0, 2.0, 5.0, 3.0, 2.5])
EM = CVWithFloor(0.05, 0.01)


def _mixed_width_series(seed: int):
    """12 h at 5-min sampling: narrow (SD 4 min) and wide (SD 12 min) Gaussian bursts."""
    t = np.arange(0.0, 720.0, 5.0)
    a, k, _ = ELIM.components(20.0)
    conc = 0.01 * ELIM.area(20.0)
    for ac, kc in zip(a, k):
        conc = conc + ac * (MASS @ gaussian_burst_response(t, TAU, SD, kc))
    y = conc * (1 + 0.05 * np.random.default_rng(seed).standard_normal(t.size))
    return t, y


def test_burst_response_accepts_one_sd_per_burst():
    t = np.linspace(0.0, 200.0, 41)
    both = gaussian_burst_response(t, np.array([50.0, 120.0]), np.array([3.0, 9.0]), 0.1)
    np.testing.assert_allclose(both[0], gaussian_burst_response(t, np.array([50.0]), 3.0, 0.1)[0])
    np.testing.assert_allclose(both[1], gaussian_burst_response(t, np.array([120.0]), 9.0, 0.1)[0])


@pytest.mark.parametrize("elim", [MonoExponential(), BiExponential()])
@pytest.mark.parametrize("knots", [None, 100.0])
def test_per_burst_jacobian_matches_finite_differences(elim, knots):
    rng = np.random.default_rng(2)
    t = np.arange(0.0, 300.0, 10.0)
    prob = _Problem(
        t,
        rng.uniform(0.2, 1.0, t.size),
        rng.uniform(5, 20, t.size),
        elim,
        fixed_half_life=None,
        fixed_sd=None,
        hl_bounds=(4.0, 200.0),
        sd_bounds=(1.0, 30.0),
        lead=10.0,
        test="chi2",
        basal_knots=basal_knots(0.0, 290.0, knots),
    )
    prob.per_burst_sd = True
    k = 3
    x = prob._pack(
        rng.uniform(0.005, 0.02, prob.nb),
        rng.uniform(0.1, 0.5, prob.nc),
        25.0,
        4.0,
        [40.0, 130.0, 211.0],
        [1.0, 0.5, 2.0],
        [3.0, 7.5, 12.0],
    )
    assert x.size == prob.n_params(k) == prob.nb + prob.nc + 1 + 3 * k
    jac = prob.jacobian(x, k)
    num = np.empty_like(jac)
    for j in range(x.size):
        step = 1e-6 * max(abs(x[j]), 1.0)
        xp, xm = x.copy(), x.copy()
        xp[j] += step
        xm[j] -= step
        num[:, j] = (prob.residual(xp, k) - prob.residual(xm, k)) / (2 * step)
    np.testing.assert_allclose(jac, num, rtol=1e-5, atol=1e-6 * np.abs(num).max())
    # the masses sit where the standard errors and the Wald test look for them
    fit = DeconvolutionFit(
        *prob.unpack(x, k)[:2], 25.0, 4.0, np.array([40.0, 130.0, 211.0]),
        np.array([1.0, 0.5, 2.0]), 1.0, prob.n_params(k), np.array([3.0, 7.5, 12.0]),
    )  # fmt: skip
    np.testing.assert_allclose(x[prob._mass_index(k)], fit.mass)
    assert prob.wald_p_values(fit).shape == (k,)


@pytest.mark.parametrize("seed", [0, 3])
def test_wide_bursts_are_one_burst_each_with_per_burst_widths(seed):
    """One common SD splits each wide burst into several; per-burst widths do not."""
    t, y = _mixed_width_series(seed)
    common = Deconvolution(EM, elimination=ELIM).fit((t, y))
    per = Deconvolution(EM, elimination=ELIM, burst_widths="per_burst").fit((t, y))
    assert len(common.pulses_) >= len(TAU) + 2  # the known failure this option fixes
    table = per.pulses_
    assert len(table) == len(TAU)
    np.testing.assert_allclose(table["time_min"], TAU, atol=3.0)
    np.testing.assert_allclose(table["burst_sd_min"], SD, rtol=0.25)
    np.testing.assert_allclose(table["mass"], MASS, rtol=0.2)
    assert (table["p_value"] < per.alpha).all()
    assert per.summary_.extra["burst_widths"] == "per_burst"
    # the secretion profile uses each burst's own width
    grid = np.array([180.0, 420.0, 60.0])
    expected = MASS[[1, 3, 0]] / (SD[[1, 3, 0]] * np.sqrt(2 * np.pi))
    np.testing.assert_allclose(per.secretion_rate(grid), expected, rtol=0.25)
    np.testing.assert_allclose(per.predict(t), per.fitted_, rtol=1e-10)


def test_per_burst_detections_do_not_change_when_data_are_rescaled():
    t, y = _mixed_width_series(1)
    a = Deconvolution(EM, elimination=ELIM, burst_widths="per_burst").fit((t, y))
    b = Deconvolution(EM.scaled(250.0), elimination=ELIM, burst_widths="per_burst").fit(
        (t, y * 250.0)
    )
    assert len(a.pulses_) == len(b.pulses_)
    np.testing.assert_allclose(a.pulses_["time_min"], b.pulses_["time_min"], atol=1e-3)
    np.testing.assert_allclose(a.pulses_["burst_sd_min"], b.pulses_["burst_sd_min"], rtol=1e-3)
    np.testing.assert_allclose(b.pulses_["mass"], a.pulses_["mass"] * 250.0, rtol=1e-3)


def test_burst_widths_parameter_is_checked():
    t, y = _mixed_width_series(0)
    with pytest.raises(
        AnalysisInputError, match=r"'burst_widths' parameter of Deconvolution must be one of"
    ):
        Deconvolution(EM, burst_widths="each").fit((t, y))
