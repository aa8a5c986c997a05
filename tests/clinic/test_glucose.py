"""Glucose–insulin minimal model and its coupling to the GH axis (fasting state, OGTT, ITT)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from somatosim.model import glucose as glc
from somatosim.params import load_parameters

P = load_parameters().floats()


def test_homa_ir_formula():
    # Matthews 1985: glucose (mmol/L) x insulin (µU/mL) / 22.5
    assert glc.homa_ir(90.08, 10.0) == pytest.approx(5.0 * 10.0 / 22.5)


@given(st.floats(50, 300), st.floats(1, 100), st.floats(1.01, 3))
def test_homa_ir_rises_with_insulin(g, i, k):
    assert glc.homa_ir(g, i * k) > glc.homa_ir(g, i)


def test_basal_state_is_steady():
    d_g, d_x, d_i = glc.glucose_rates(P["glucose_basal"], 0.0, P["insulin_basal"], 0.0, 0.0, 1.0,
                                      {**P, "glucose_volume": 130.0, "insulin_volume": 3.5})
    assert d_g == pytest.approx(0.0, abs=1e-12) and d_x == 0.0 and d_i == pytest.approx(0.0, abs=1e-12)


def test_counter_regulation_thresholds():
    """The GH counter-regulation is negligible at fasting glucose, starts near 66 mg/dL
    (Schwartz 1987) and is near-maximal at the ITT adequacy limit of 40 mg/dL."""
    s = glc.hypoglycaemia_signal(np.array([92.0, 66.0, 40.0]), P)
    assert s[0] < 0.01 and 0.05 < s[1] < 0.2 and s[2] > 0.8


@given(st.floats(20, 400), st.floats(20, 400))
def test_couplings_are_monotone(a, b):
    lo, hi = sorted((a, b))
    assert glc.hypoglycaemia_signal(lo, P) >= glc.hypoglycaemia_signal(hi, P)
    assert glc.glucose_srif_factor(hi, P) >= glc.glucose_srif_factor(lo, P)


def test_srif_and_insulin_factors_are_one_at_reference():
    assert glc.glucose_srif_factor(P["glucose_basal"], P) == pytest.approx(1.0)
    assert glc.gh_insulin_factor(P["ghr_signal_reference"], P, np) == pytest.approx(1.0)
    assert glc.gh_insulin_factor(P["ghr_signal_reference"] + 0.1, P, np) < 1.0


def _healthy(test):
    from somatosim.validation import clinic

    return clinic._run("healthy", test)


def test_fasting_values_and_ogtt_in_healthy_adults():
    rs = _healthy("ogtt")
    g0 = np.array([r.glucose_baseline for r in rs])
    i0 = np.array([r.insulin[0] for r in rs])
    assert np.all((g0 > 70) & (g0 < 100)) and np.all((i0 > 2) & (i0 < 15))
    peak = np.array([r.trace_glucose[(r.trace_time >= 0) & (r.trace_time <= 120)].max() for r in rs])
    two_h = np.array([r.glucose[-1] for r in rs])
    assert np.all(peak > 120) and np.all(peak < 200) and np.median(two_h) < 140
    nadir = np.array([r.nadir_gh for r in rs])
    assert np.mean(nadir < 1.0) > 0.9
    assert all(r.result in ("suppressed", "not_suppressed") for r in rs)


def test_gh_rebounds_after_oral_glucose():
    """GH is suppressed while glucose is high and rebounds as it falls back (3-5 h)."""
    rs = _healthy("ogtt")
    suppressed = [np.mean(r.trace_gh[(r.trace_time >= 30) & (r.trace_time <= 120)]) for r in rs]
    rebound = [np.mean(r.trace_gh[(r.trace_time >= 150) & (r.trace_time <= 250)]) for r in rs]
    assert np.median(rebound) > 1.5 * np.median(suppressed)


def test_itt_reaches_hypoglycaemia_and_recovers():
    rs = _healthy("insulin_tolerance")
    nadir_t = np.array([r.glucose_nadir_time for r in rs])
    assert np.median([r.glucose_nadir for r in rs]) < 45.0
    assert np.all((nadir_t >= 15) & (nadir_t <= 60))
    end = np.array([r.glucose[-1] for r in rs])
    assert np.median(end) > 55.0  # recovering by 120 min
