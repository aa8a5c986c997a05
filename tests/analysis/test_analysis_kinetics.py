"""The closed-form convolution model against independent references."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from scipy import integrate

from somatosim.analysis import BiExponential, ConstantSD, MonoExponential, SyntheticSpec
from somatosim.analysis.deconvolution import _Problem
from somatosim.analysis.kinetics import gaussian_burst_response
from somatosim.analysis.synthetic import simulate_pulsatile_series


@pytest.mark.parametrize("slow_fraction", [1.0, 0.63])
def test_closed_form_matches_independent_generator(slow_fraction):
    """The generator integrates exponentials step by step; the analyser uses the closed form."""
    spec = replace(
        SyntheticSpec(),
        duration_min=600.0,
        slow_fraction=slow_fraction,
        error_model=ConstantSD(1e-3),
    )
    sim = simulate_pulsatile_series(spec, seed=3)
    t = sim.series.time_min
    elim = (
        BiExponential(spec.fast_half_life_min, slow_fraction)
        if slow_fraction < 1
        else MonoExponential()
    )
    a, k, _ = elim.components(spec.slow_half_life_min)
    conc = spec.basal_secretion_per_min * elim.area(spec.slow_half_life_min)
    for ac, kc in zip(a, k):
        g = gaussian_burst_response(t, sim.all_pulses["time_min"].to_numpy(), spec.burst_sd_min, kc)
        conc = conc + ac * (sim.all_pulses["mass"].to_numpy() @ g)
    # the generator interpolates secretion linearly on a 0.25-min grid: O(h^2) ~ 3e-4
    np.testing.assert_allclose(conc, sim.noise_free, rtol=1e-3, atol=1e-6)


def test_unit_burst_integrates_to_mean_residence_time():
    t = np.linspace(-50, 2000, 200_001)
    g = gaussian_burst_response(t, np.array([10.0]), 5.0, 0.03)[0]
    assert integrate.trapezoid(g, t) == pytest.approx(1 / 0.03, rel=1e-4)


def test_burst_response_is_finite_far_from_the_burst():
    t = np.array([-1e4, -100.0, 0.0, 100.0, 1e4])
    g = gaussian_burst_response(t, np.array([0.0]), 3.0, 0.5)
    assert np.all(np.isfinite(g))
    assert g[0, 0] == 0.0 and g[0, -1] == 0.0


@pytest.mark.parametrize("elim", [MonoExponential(), BiExponential()])
@pytest.mark.parametrize("free", [(True, True), (False, True), (True, False)])
def test_analytic_jacobian_matches_finite_differences(elim, free):
    rng = np.random.default_rng(0)
    t = np.arange(0.0, 300.0, 10.0)
    y = rng.uniform(0.2, 1.0, t.size)
    prob = _Problem(
        t,
        y,
        rng.uniform(5, 20, t.size),
        elim,
        fixed_half_life=None if free[0] else 25.0,
        fixed_sd=None if free[1] else 4.0,
        hl_bounds=(4.0, 200.0),
        sd_bounds=(1.0, 30.0),
        lead=10.0,
        test="chi2",
    )
    k = 3
    x = prob._pack(
        0.01, rng.uniform(0.1, 0.5, prob.nc), 25.0, 4.0, [40.0, 130.0, 211.0], [1.0, 0.5, 2.0]
    )
    jac = prob.jacobian(x, k)
    num = np.empty_like(jac)
    for j in range(x.size):
        step = 1e-6 * max(abs(x[j]), 1.0)
        xp, xm = x.copy(), x.copy()
        xp[j] += step
        xm[j] -= step
        num[:, j] = (prob.residual(xp, k) - prob.residual(xm, k)) / (2 * step)
    np.testing.assert_allclose(jac, num, rtol=1e-5, atol=1e-6 * np.abs(num).max())
