"""Properties of the pure model functions (no engine)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from somatosim.model import axis, igf, kinetics, liver
from somatosim.model.hill import hill_down, hill_up
from somatosim.params import load_parameters
from somatosim.subject import Subject, subject_parameters

P = {k: float(v[0]) for k, v in subject_parameters(Subject(), variability=False).items()}


@given(st.floats(0, 1e4), st.floats(1e-3, 1e3), st.floats(0.5, 6))
def test_hill_bounds(x, potency, n):
    up = hill_up(x, potency, n)
    assert 0.0 <= up <= 1.0
    assert abs(up + hill_down(x, potency, n) - 1.0) < 1e-12


@given(st.floats(2.0, 6.0), st.floats(12.0, 40.0), st.floats(0.2, 1.0), st.floats(3.0, 8.0))
def test_micro_constants_reproduce_half_lives(t_fast, t_slow, cl, v1):
    k10 = cl / v1
    alpha, beta = np.log(2) / t_fast, np.log(2) / t_slow
    if not beta < k10 < alpha:
        return
    mc = kinetics.micro_constants(t_fast, t_slow, cl, v1)
    a = np.array([[-(mc["k10"] + mc["k12"]), mc["k21"]], [mc["k12"], -mc["k21"]]])
    rates = np.sort(-np.linalg.eigvals(a).real)
    np.testing.assert_allclose(rates, [beta, alpha], rtol=1e-9)
    assert 0 < mc["fast_fraction"] < 1


@settings(max_examples=50)
@given(st.floats(0.1, 20.0), st.floats(50.0, 2000.0))
def test_igf_steady_state_is_a_fixed_point(production, capacity):
    f, b, t = igf.steady_state(production, capacity, P, np)
    rates = igf.binding_rates(f, b, t, production, capacity, P)
    for r, x in zip(rates, (f, b, t)):
        assert abs(r) <= 1e-9 * max(1.0, production) + 1e-12 * x
    assert f > 0 and b > 0 and 0 < t < capacity


@settings(max_examples=30)
@given(st.floats(0, 1), st.floats(-3, 3), st.floats(0, 1), st.sampled_from([0.0, 1e-9, 0.3, 1.0]))
def test_vector_field_finite_on_physiological_states(signal, noise, sws, capacity):
    y = np.zeros(len(axis.STATES))
    y[axis.IX["ghrh"]] = 100.0
    y[axis.IX["srif_pev"]] = 40.0
    y[axis.IX["gh_store"]] = 1.0
    y[axis.IX["gh"]] = 1.0
    for name, v in axis.slow_steady_state(signal, P, np).items():
        y[axis.IX[name]] = v
    y[axis.IX["glucose"]] = P["glucose_basal"]
    y[axis.IX["insulin"]] = P["insulin_basal"]
    u = axis.input_vector(noise, sws=sws)
    # capacity 0: a pituitary with no somatotrophs left (complete pituitary damage) is allowed
    dy = axis.vector_field(0.0, y, u, {**P, "somatotroph_capacity": capacity}, np)
    assert dy.shape == y.shape and np.all(np.isfinite(dy))


@given(st.floats(0.0, 0.5), st.floats(0.0, 0.5), st.floats(0.0, 50.0))
def test_a_synthetic_ceiling_blunts_the_igf1_response_more_than_the_basal_output(s0, ds, h):
    healthy = dict(P, igf1_synthesis_saturation=0.0)
    limited = dict(P, igf1_synthesis_saturation=h)
    s1 = s0 + ds
    assert liver.igf1_production(s1, healthy) == pytest.approx(
        P["igf1_production_max"] * P["hepatic_capacity"]
        * (P["igf1_production_basal_fraction"] + (1 - P["igf1_production_basal_fraction"]) * s1))
    base, raised = liver.igf1_production(s0, limited), liver.igf1_production(s1, limited)
    assert base <= liver.igf1_production(s0, healthy)
    assert base <= raised  # still rises with the GH signal ...
    # ... but by a smaller factor than in a healthy liver
    assert raised / base <= liver.igf1_production(s1, healthy) / liver.igf1_production(s0, healthy) + 1e-12


def test_gh_clearance_is_saturable():
    assert kinetics.extrarenal_rate(10.0, P) < kinetics.extrarenal_rate(0.1, P)


def test_vector_field_broadcasts_over_subjects():
    y = np.tile(np.linspace(0.1, 2.0, len(axis.STATES)), (3, 1))
    u = np.tile(axis.input_vector(0.1, sws=0.2, circadian=0.3, ghrelin=0.9, glucose_appearance=50.0), (3, 1))
    one = axis.vector_field(0.0, y[0], u[0], P, np)
    many = axis.vector_field(0.0, y, u, {k: np.full(3, v) for k, v in P.items()}, np)
    np.testing.assert_allclose(many, np.tile(one, (3, 1)))


@settings(max_examples=40)
@given(st.floats(3, 90), st.floats(80, 230), st.floats(10, 300), st.floats(0, 600))
def test_any_allowed_body_gives_valid_kinetics(age, height, weight, vat):
    p = subject_parameters(
        Subject(age=age, height_cm=height, weight_kg=weight, visceral_fat_cm2=vat), variability=False
    )
    for k in ("gh_k12", "gh_k21", "gh_renal_k", "gh_extrarenal_k0"):
        assert np.all(np.isfinite(p[k])) and np.all(p[k] > 0)


@settings(max_examples=30)
@given(st.floats(10, 300), st.floats(1.05, 3.0))
def test_hepatic_signal_turnover_scales_with_body_weight(weight, factor):
    """ghr_tau follows weight^exponent from the 70-kg reference: heavier is slower, never faster."""
    heavier = min(weight * factor, 300.0)
    light, heavy = (subject_parameters(Subject(age=40, weight_kg=w), variability=False) for w in (weight, heavier))
    ratio = float(heavy["ghr_tau"][0] / light["ghr_tau"][0])
    expected = (heavier / weight) ** P["ghr_tau_weight_exponent"]
    assert ratio == pytest.approx(expected, rel=1e-9)
    assert ratio >= 1.0
    base = load_parameters()
    ref = subject_parameters(Subject(age=40, weight_kg=base["allometric_reference_weight"].value), variability=False)
    assert float(ref["ghr_tau"][0]) == pytest.approx(base["ghr_tau"].value, rel=1e-9)


def _resting_state():
    y = np.zeros(len(axis.STATES))
    y[axis.IX["ghrh"]] = 100.0
    y[axis.IX["srif_pev"]] = 40.0
    y[axis.IX["gh_store"]] = 1.0
    y[axis.IX["gh"]] = 1.0
    for name, v in axis.slow_steady_state(0.15, P, np).items():
        y[axis.IX[name]] = v
    y[axis.IX["glucose"]] = P["glucose_basal"]
    y[axis.IX["insulin"]] = P["insulin_basal"]
    return y


def test_glucose_and_insulin_rest_at_basal_without_input():
    dy = axis.vector_field(0.0, _resting_state(), axis.input_vector(), P, np)
    for name in ("glucose", "insulin_action", "insulin"):
        assert abs(dy[axis.IX[name]]) < 1e-12


@settings(max_examples=25)
@given(st.floats(0.01, 50.0))
def test_gh_infusion_enters_the_central_compartment(rate):
    y = _resting_state()
    base = axis.vector_field(0.0, y, axis.input_vector(), P, np)
    dosed = axis.vector_field(0.0, y, axis.input_vector(gh_infusion=rate), P, np)
    assert np.isclose(dosed[axis.IX["gh"]] - base[axis.IX["gh"]], rate / P["gh_v1"])


@settings(max_examples=25)
@given(st.floats(20.0, 60.0))
def test_hypoglycaemia_drives_ghrh_and_hyperglycaemia_raises_somatostatin(low):
    y = _resting_state()
    rest = axis.vector_field(0.0, y, axis.input_vector(), P, np)
    y_low = y.copy()
    y_low[axis.IX["glucose"]] = low
    hypo = axis.vector_field(0.0, y_low, axis.input_vector(), P, np)
    assert hypo[axis.IX["ghrh"]] > rest[axis.IX["ghrh"]]
    assert hypo[axis.IX["srif_pev"]] < rest[axis.IX["srif_pev"]]
    y_high = y.copy()
    y_high[axis.IX["glucose"]] = 250.0 - low
    hyper = axis.vector_field(0.0, y_high, axis.input_vector(), P, np)
    assert hyper[axis.IX["srif_pev"]] > rest[axis.IX["srif_pev"]]


def test_hepatic_factor_and_agonist_act_on_the_receptor_signal():
    y = _resting_state()
    i = axis.IX["ghr_signal"]
    rest = axis.vector_field(0.0, y, axis.input_vector(), P, np)[i]
    assert axis.vector_field(0.0, y, axis.input_vector(hepatic_factor=0.5), P, np)[i] < rest
    assert axis.vector_field(0.0, y, axis.input_vector(gh_agonist=5.0), P, np)[i] > rest
    with pytest.raises(KeyError, match="unknown input channel"):
        axis.input_vector(not_a_channel=1.0)
