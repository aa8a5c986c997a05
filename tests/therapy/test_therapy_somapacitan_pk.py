"""Somapacitan's non-linear (Michaelis–Menten) pharmacokinetics: published single-dose anchors,
more-than-dose-proportional exposure, dose trains (no superposition) and the event protocol."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import trapezoid

from somatosim.schedule import CHANNELS, Schedule, input_grid
from somatosim.therapy import Regimen, ghd_patient, plan_events
from somatosim.therapy.products import (
    default_parameters,
    injection,
    link_doses,
    mm_concentration,
    single_dose_profile,
    somapacitan_pk,
)
from somatosim.validation.therapy import SOMAPACITAN_CMAX, SOMAPACITAN_TMAX

P = default_parameters()
AGONIST = list(CHANNELS).index("gh_agonist")
WEEK = 7 * 1440.0


def _single(mg_per_kg, weight=25.0, adult=False, hours=168.0):
    """(t h, plasma µg/L) of one dose, from the product's own PK."""
    h, ge = single_dose_profile("somapacitan", mg_per_kg * weight, weight, adult, hours=hours, step_min=5.0)
    return h, ge / P["rx_somapacitan_potency"]


def test_reproduces_battelino_2017_cmax_and_tmax_range():
    for dose, cmax in SOMAPACITAN_CMAX.items():
        h, c = _single(dose)
        assert c.max() == pytest.approx(cmax, rel=0.02)
        # median Tmax 8-25.5 h over 0.02-0.16 mg/kg (Sogroya product information)
        assert 0.8 * SOMAPACITAN_TMAX[dose] < h[np.argmax(c)] < 1.2 * SOMAPACITAN_TMAX[dose]


def test_exposure_rises_more_than_dose_proportionally():
    auc, cmax, tmax = [], [], []
    for dose in (0.02, 0.04, 0.08, 0.16):
        h, c = _single(dose, hours=600.0)
        auc.append(trapezoid(c, h) / dose)
        cmax.append(c.max() / dose)
        tmax.append(h[np.argmax(c)])
    assert np.all(np.diff(auc) > 0) and np.all(np.diff(cmax) > 0)  # dose-normalised exposure grows
    assert auc[-1] / auc[0] > 2.0  # 8x the dose, > 16x the AUC
    assert np.all(np.diff(tmax) > 0)  # saturable elimination delays the peak at higher doses


def test_weight_based_dose_gives_the_same_concentration():
    _, c_small = _single(0.16, weight=15.0)
    _, c_big = _single(0.16, weight=40.0)
    np.testing.assert_allclose(c_small, c_big, rtol=1e-5, atol=1e-6)


def test_adults_are_slower_with_the_same_peak_per_mg_kg():
    h, child = _single(0.04)
    h, adult = _single(0.04, weight=70.0, adult=True)
    assert adult.max() == pytest.approx(child.max(), rel=0.01)
    ratio = P["rx_somapacitan_half_life_adult"] / P["rx_somapacitan_half_life_child"]
    assert h[np.argmax(adult)] == pytest.approx(ratio * h[np.argmax(child)], rel=0.05)


def test_dose_train_does_not_superpose_but_events_sum_to_it():
    w = 20.0
    ka, v, vmax, km = somapacitan_pk(P, False)
    doses = [(540.0 + k * WEEK, 0.16 * w * 1000.0) for k in range(4)]
    t = np.arange(0.0, 5 * WEEK, 2.0)
    train = mm_concentration(t, doses, v * w, ka, vmax * w, km)
    alone = sum(mm_concentration(t, [d], v * w, ka, vmax * w, km) for d in doses)
    # a dose given while the previous one is still present meets saturated elimination
    assert np.all(train >= alone - 1e-6) and train.max() > alone.max() * (1 + 1e-4)
    # the events of the linked train add up to the train's concentration (any time grid)
    events = link_doses([injection("somapacitan", s, a / 1000.0, w, False) for s, a in doses])
    assert [len(e.prior) for e in events] == [0, 1, 2, 2]
    grid = input_grid(Schedule(events=tuple(events)), t, P)[:, AGONIST]
    np.testing.assert_allclose(grid, P["rx_somapacitan_potency"] * train, rtol=1e-4, atol=1e-6)  # tail truncation
    chunks = np.concatenate([input_grid(Schedule(events=tuple(events)), t[i:i + 720], P)[:, AGONIST]
                             for i in range(0, t.size, 720)])
    np.testing.assert_array_equal(chunks, grid)
    # little accumulation at steady state (label: accumulation ratio 1-2)
    first = grid[(t >= 540.0) & (t < 540.0 + WEEK)].max()
    last = grid[(t >= 540.0 + 3 * WEEK) & (t < 540.0 + 4 * WEEK)].max()
    assert 1.0 <= last / first < 2.0


def test_regimen_events_are_linked():
    child = ghd_patient(8, "male")
    ev = plan_events(child, [Regimen("somapacitan", "0.16 mg/kg/week", clock_h=9.0)], 28)
    assert [len(e.prior) for e in ev] == [0, 1, 2, 2]
    assert ev[3].prior == tuple((e.start, e.amount_mg) for e in ev[1:3])
    daily = plan_events(child, [Regimen("somatropin", "0.24 mg/kg/week")], 5)
    assert all(e.prior == () for e in daily)  # linear products superpose: no history kept


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.floats(0.0, 30.0), st.floats(0.01, 20.0)), min_size=1, max_size=6),
       st.floats(10.0, 90.0), st.booleans())
def test_concentration_finite_and_non_negative(train, weight, adult):
    ka, v, vmax, km = somapacitan_pk(P, adult)
    doses = [(day * 1440.0, mg * 1000.0) for day, mg in train]
    t = np.linspace(-1440.0, 40 * 1440.0, 3001)
    c = mm_concentration(t, doses, v * weight, ka, vmax * weight, km)
    assert np.all(np.isfinite(c)) and np.all(c >= 0.0)
    assert np.all(c[t < min(d for d, _ in doses)] == 0.0)
    # mass balance bound: never more than all the drug given in the volume
    assert c.max() <= sum(a for _, a in doses) / (v * weight) * (1 + 1e-6)
    events = link_doses([injection("somapacitan", d, a / 1000.0, weight, adult) for d, a in sorted(doses)])
    grid = input_grid(Schedule(events=tuple(events)), t, P)[:, AGONIST]
    assert np.all(np.isfinite(grid)) and np.all(grid >= 0.0)
