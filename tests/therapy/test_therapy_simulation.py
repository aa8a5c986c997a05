"""Therapy through the axis model: engine equivalence, the periodic course method, physiology.

Every run has 4 subjects (one JAX compilation for the whole file) and few days.
"""

import warnings

import numpy as np
import pytest

from somatosim import Subject
from somatosim.schedule import MIN_PER_DAY
from somatosim.therapy import (
    Regimen,
    drake_1998,
    ghd_cohort,
    ghd_patient,
    plan_events,
    run_course,
    simulate_treatment,
)
from somatosim.therapy.course import OUTPUTS, CohortRun, EventIndex
from somatosim.therapy.treatment import simulate_arms

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture(scope="module")
def four():
    return ghd_cohort(4, age=(30.0, 55.0), seed=5, oral_estrogen_share=0.5)


def test_cohort_run_reproduces_simulate(four):
    plan = [Regimen("somatropin", "0.3 mg/day")]
    ds = simulate_treatment(four, plan, 2, seed=7)
    run = CohortRun(four, seed=7)
    out = run.run(0, 2, [EventIndex(plan_events(s, plan, 2)) for s in four])
    for name in OUTPUTS:
        np.testing.assert_allclose(out[name].T, ds[name].values, rtol=1e-12, atol=1e-12)


def test_periodic_course_matches_full_resolution(four):
    """The jump to the periodic steady state changes visit IGF-1 SDS by < 0.1 (docs: < 0.05 typical)
    and no titration decision."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fast = run_course(four, drake_1998(), weeks=8, seed=3, method="periodic")
        full = run_course(four, drake_1998(), weeks=8, seed=3, method="full")
    a = fast.visits.sort_values(["subject", "visit"])
    b = full.visits.sort_values(["subject", "visit"])
    assert len(a) == 4 * 3
    diff = np.abs(a.sds.values - b.sds.values)
    assert diff.max() < 0.1
    # the same titration decisions, but for (at most) one visit whose SDS sits on a limit
    assert np.sum(a.action.values != b.action.values) <= 1
    assert np.sum(~np.isclose(fast.summary().final_dose, full.summary().final_dose)) <= 1
    # treatment raises IGF-1 from the untreated baseline into (or towards) the target band
    base = a[a.visit == 0].sds.values
    end = a[a.visit == a.visit.max()].sds.values
    assert np.all(end > base + 0.5)
    # severe GHD starts far below the band: 8 weeks of 4-weekly steps only raise the doses
    assert np.all(fast.summary().final_dose > drake_1998().start_dose.value)
    fig = fast.figure()
    assert len(fig.axes) == 2


def test_exogenous_gh_suppresses_endogenous_secretion():
    """Healthy men: somatropin lowers pituitary secretion (IGF-1 and GH feedback of the model)
    and raises IGF-1."""
    men = [Subject(age=25), Subject(age=30, weight_kg=80)]
    arms = simulate_arms(men, {"none": [], "gh": [Regimen("somatropin", "1 mg/day")]}, 3, seed=2)
    day = arms["none"].time.values >= 2 * MIN_PER_DAY
    sec0 = arms["none"].gh_secretion.values[:, day].mean(axis=1)
    sec1 = arms["gh"].gh_secretion.values[:, day].mean(axis=1)
    assert np.all(sec1 < 0.8 * sec0)
    assert np.all(arms["gh"].igf1_total.values[:, day].mean(axis=1) > arms["none"].igf1_total.values[:, day].mean(1))


def test_doses_missed_doses_and_a_weekly_analogue():
    patient = ghd_patient(45, "male")
    arms = {
        "none": [],
        "daily": [Regimen("somatropin", "0.3 mg/day")],
        "missed": [Regimen("somatropin", "0.3 mg/day", missed=(4, 5, 6, 7))],
        "weekly": [Regimen("somapacitan", "1.5 mg/week", clock_h=9)],
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runs = simulate_arms([patient], arms, 9, seed=4)
    t = runs["none"].time.values
    morning8 = int(np.argmin(np.abs(t - (8 * MIN_PER_DAY + 540))))
    igf = {k: float(v.igf1_total.values[0, morning8]) for k, v in runs.items()}
    assert igf["daily"] > 1.5 * igf["none"]
    assert igf["none"] < igf["missed"] < igf["daily"]
    sds = runs["daily"].igf1_sds.values[0]
    assert sds[morning8] > sds[0] + 1.0
    weekly = runs["weekly"]
    assert weekly.gh_agonist.values.max() > 0 and runs["daily"].gh_agonist.values.max() == 0
    first_week = (t >= 540) & (t < 7 * MIN_PER_DAY + 540)
    peak_day = (t[first_week][np.argmax(weekly.igf1_total.values[0, first_week])] - 540) / MIN_PER_DAY
    assert 1.0 < peak_day < 4.5
