"""GH stimulation tests: cut-offs, drug kinetics, protocols, the runner and diagnostic accuracy.

Cohort-level checks read the cached validation runs of ``somatosim.validation.clinic`` (60
healthy and 60 GH-deficient adults), which the validation suite reuses, so they cost nothing
extra there.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from somatosim._validation import InputError
from somatosim.clinic import cutoffs as co
from somatosim.clinic import drugs
from somatosim.clinic.stimulation import (
    PROTOCOLS,
    protocol_events,
    run_stimulation_test,
    run_stimulation_tests,
)
from somatosim.params import load_parameters
from somatosim.schedule import CHANNELS
from somatosim.subject import Subject

P = load_parameters().floats()


# ------------------------------------------------------------------------------------- cut-offs

@pytest.mark.parametrize(("bmi", "value"), [(22.0, 11.0), (24.99, 11.0), (25.0, 8.0), (29.9, 8.0), (30.0, 4.0),
                                            (41.0, 4.0)])
def test_ghrh_arginine_cutoffs_follow_bmi(bmi, value):
    assert co.select_cutoff("ghrh_arginine", age=40, bmi=bmi).value == value


@pytest.mark.parametrize(("bmi", "pretest", "value"), [(23.0, "low", 3.0), (27.0, "high", 3.0), (27.0, "low", 1.0),
                                                       (30.0, "high", 3.0), (30.5, "high", 1.0)])
def test_glucagon_cutoffs_aace2019(bmi, pretest, value):
    assert co.select_cutoff("glucagon", age=50, bmi=bmi, pretest=pretest).value == value


def test_fixed_and_paediatric_cutoffs():
    assert co.select_cutoff("insulin_tolerance", age=40, bmi=24).value == 3.0
    assert co.select_cutoff("macimorelin", age=40, bmi=24).value == 2.8
    assert co.select_cutoff("arginine", age=40, bmi=24).value == 0.4
    assert co.select_cutoff("clonidine", age=40, bmi=24) is None  # a paediatric test
    assert co.select_cutoff("ghrh", age=40, bmi=24) is None
    for test in ("insulin_tolerance", "clonidine", "glucagon", "arginine", "ghrh"):
        assert co.select_cutoff(test, age=8, bmi=16).value == 10.0
    assert co.select_cutoff("macimorelin", age=8, bmi=16) is None


def test_every_cutoff_is_sourced():
    for c in co.CUTOFFS:
        assert c.sources and all(s in co.SOURCES for s in c.sources), c
        assert c.test in co.TESTS and c.comparison in ("<", "<=")


def test_cutoffs_agree_with_the_interpretation_knowledge():
    """The simulator and the interpretation engine read the same adult guideline cut-offs."""
    know = pytest.importorskip("somatosim.clinic.knowledge").load_knowledge()
    for test in co.TESTS:
        mine = {(c.value, c.bmi_min, c.bmi_max, c.pretest) for c in co.cutoffs_for(test, "adult")}
        theirs = {(c.value, c.bmi_min, c.bmi_max, c.pretest) for c in know.cutoffs_for(test, "adult")}
        assert mine == theirs, test


def test_bad_cutoff_queries():
    with pytest.raises(InputError, match="test"):
        co.select_cutoff("thyroid", age=40, bmi=24)
    with pytest.raises(InputError, match="bmi"):
        co.select_cutoff("glucagon", age=40)
    with pytest.raises(InputError, match="pretest"):
        co.select_cutoff("glucagon", age=40, bmi=27, pretest="medium")


@given(st.floats(0.0, 50.0), st.floats(0.0, 50.0), st.floats(15.0, 45.0))
def test_reading_is_monotone_in_the_peak(a, b, bmi):
    lo, hi = sorted((a, b))
    cut = co.select_cutoff("ghrh_arginine", age=40, bmi=bmi)
    if co.classify(hi, cut) == "deficient":
        assert co.classify(lo, cut) == "deficient"


# ----------------------------------------------------------------------------------- drug kinetics

def test_bateman_peaks_at_one_at_its_peak_time():
    ka, ke = 0.075, math.log(2) / 246.0
    tmax = drugs.bateman_peak_time(ka, ke)
    x = np.linspace(0, 600, 6001)
    y = drugs.bateman(x, ka, ke)
    assert y.max() == pytest.approx(1.0, abs=1e-6)
    assert x[np.argmax(y)] == pytest.approx(tmax, abs=0.2)
    assert drugs.bateman(np.array([-5.0, 0.0]), ka, ke).tolist() == [0.0, 0.0]


def test_macimorelin_peaks_within_the_label_window():
    """Macrilen label: Cmax 0.5-1.5 h after 0.5 mg/kg."""
    d = drugs.MacimorelinDose(0.0)
    x = np.arange(0.0, 300.0, 1.0)
    t_peak = x[np.argmax(d.level(x, P))]
    assert 30.0 <= t_peak <= 90.0
    # half-life 4.1 h: the level 246 min after the peak is about half of it (absorption is over)
    assert d.level(np.array([t_peak + 246.0]), P)[0] / d.level(np.array([t_peak]), P)[0] == pytest.approx(0.5, rel=0.1)


@given(st.floats(0.1, 5.0))
def test_ghrh_bolus_is_linear_in_dose_and_halves_in_its_half_life(dose):
    one, d = drugs.GHRHBolus(0.0, 1.0), drugs.GHRHBolus(0.0, dose)
    x = np.array([0.0, P["stim_ghrh_half_life"]])
    c = d.concentration(x, P)
    assert c[1] / c[0] == pytest.approx(0.5)
    assert c[0] == pytest.approx(dose * one.concentration(x, P)[0])


def test_arginine_reaches_the_published_plasma_level():
    """Tangphao 1999: 30 g over 30 min raised plasma arginine by about 1375 µg/mL (70-kg adult)."""
    d = drugs.ArginineInfusion(0.0, 30.0, 70.0)
    x = np.arange(0.0, 200.0, 0.5)
    c = d.concentration(x, P)
    assert x[np.argmax(c)] == pytest.approx(30.0, abs=0.5)
    assert c.max() == pytest.approx(1375.0, rel=0.05)
    w = d.srif_withdrawal(x, P)
    assert 0.0 <= w.min() and w.max() <= P["stim_arginine_srif_cut"]


def test_glucagon_central_action_is_delayed():
    d = drugs.GlucagonInjection(0.0, 1.0, 70.0)
    x = np.arange(0.0, 400.0, 1.0)
    hgp, drive = d.responses(x, P)
    assert 30.0 <= x[np.argmax(hgp)] <= 90.0            # glycogenolysis early
    assert 90.0 <= x[np.argmax(drive)] <= 180.0         # central action late
    assert drive.max() == pytest.approx(P["stim_glucagon_central_gain"], rel=0.02)


@pytest.mark.parametrize("event", [
    drugs.GHRHBolus(480.0), drugs.ArginineInfusion(480.0, 30.0, 80.0), drugs.MacimorelinDose(480.0),
    drugs.InsulinBolus(480.0, 8.0), drugs.GlucagonInjection(480.0, 1.0, 80.0), drugs.ClonidineDose(480.0),
])
def test_events_act_only_after_dosing_on_their_channels(event):
    t = np.arange(0.0, 1440.0, 0.5)
    ch = {k: np.full(t.size, v[0]) for k, v in CHANNELS.items()}
    event.apply(t, ch, P)
    changed = [k for k, v in ch.items() if not np.allclose(v, CHANNELS[k][0])]
    assert changed
    for k in changed:
        assert np.allclose(ch[k][t < 480.0], CHANNELS[k][0]), k


@pytest.mark.parametrize("make", [
    lambda: drugs.GHRHBolus(0.0, -1.0), lambda: drugs.ArginineInfusion(0.0, 30.0, 0.0),
    lambda: drugs.InsulinBolus(0.0, float("nan")), lambda: drugs.GlucagonInjection(0.0, True, 70.0),
])
def test_bad_doses_raise(make):
    with pytest.raises(InputError, match="is not allowed"):
        make()


# --------------------------------------------------------------------------------------- protocols

def test_protocol_doses():
    lean, obese = Subject(age=40, weight_kg=70.0), Subject(age=40, weight_kg=110.0)
    child = Subject(age=8, height_cm=128.0, weight_kg=26.0)
    assert protocol_events("insulin_tolerance", lean, 480.0, P)[2]["insulin_u"] == pytest.approx(7.0)
    assert protocol_events("insulin_tolerance", obese, 480.0, P)[2]["insulin_u_per_kg"] == 0.15
    assert protocol_events("ghrh_arginine", obese, 480.0, P)[2]["arginine_g"] == 30.0
    assert protocol_events("arginine", child, 480.0, P)[2]["arginine_g"] == pytest.approx(13.0)
    assert protocol_events("glucagon", lean, 480.0, P)[2]["glucagon_mg"] == 1.0
    assert protocol_events("glucagon", obese, 480.0, P)[2]["glucagon_mg"] == 1.5
    assert protocol_events("glucagon", child, 480.0, P)[2]["glucagon_mg"] == pytest.approx(0.78)
    assert protocol_events("clonidine", child, 480.0, P)[2]["clonidine_mg"] == pytest.approx(0.15 * child.bsa)
    events, meals, _ = protocol_events("ogtt", lean, 480.0, P)
    assert not events and meals[0].carbohydrate_g == 75.0


def test_every_protocol_samples_from_baseline():
    for p in PROTOCOLS.values():
        assert p.sampling_min[0] == 0.0 and list(p.sampling_min) == sorted(p.sampling_min)


# -------------------------------------------------------------------------------------- the runner

def test_single_test_is_reproducible_and_exports_a_lab_result():
    s = Subject(age=35, sex="female", height_cm=165, weight_kg=60)
    a = run_stimulation_test(s, "insulin_tolerance", seed=4)
    b = run_stimulation_test(s, "insulin_tolerance", seed=4)
    assert a.peak_gh == b.peak_gh and np.array_equal(a.glucose, b.glucose)
    assert a.glucose_nadir < a.glucose_baseline - 30.0
    assert a.adequate_hypoglycaemia == (a.glucose_nadir < 40.0)
    lab = a.as_lab_result()
    assert lab["test"] == "insulin_tolerance" and lab["glucose_unit"] == "mg/dL"
    interp = pytest.importorskip("somatosim.clinic.interpretation")
    parsed = interp.StimulationResult(**lab)  # the interpretation engine accepts it
    assert parsed.peak_gh_ug_per_l == pytest.approx(a.peak_gh)
    d = a.to_dict()
    assert d["result"] == a.result and "not a medical device" in d["disclaimer"]


def test_runner_rejects_bad_input():
    s = Subject(age=35)
    with pytest.raises(InputError, match="test"):
        run_stimulation_test(s, "tsh", seed=0)
    with pytest.raises(InputError, match="insulin_dose"):
        run_stimulation_tests([s], "insulin_tolerance", insulin_dose=1.0)
    with pytest.raises(InputError, match="subject"):
        run_stimulation_test("a man of 35", "glucagon")


def _runs(cohort, test):
    from somatosim.validation import clinic

    return clinic._run(cohort, test), clinic._cohort(cohort)


@pytest.mark.parametrize("test", ["insulin_tolerance", "ghrh_arginine", "glucagon", "macimorelin"])
def test_healthy_adults_respond_more_than_ghd(test):
    healthy, _ = _runs("healthy", test)
    ghd, _ = _runs("ghd", test)
    h = np.median([r.peak_gh for r in healthy])
    g = np.median([r.peak_gh for r in ghd])
    assert h > 5.0 * g


def test_itt_lowers_glucose_and_ghrh_arginine_does_not():
    itt, _ = _runs("healthy", "insulin_tolerance")
    ga, _ = _runs("healthy", "ghrh_arginine")
    assert np.median([r.glucose_nadir for r in itt]) < 45.0
    assert all(abs(r.glucose_nadir - r.glucose_baseline) < 5.0 for r in ga)


def test_glucagon_gh_comes_late_and_macimorelin_early():
    gst, _ = _runs("healthy", "glucagon")
    mac, _ = _runs("healthy", "macimorelin")
    assert np.median([r.peak_time for r in gst]) >= 120.0
    assert np.median([r.peak_time for r in mac]) <= 60.0


def test_hypothalamic_ghd_keeps_more_response_to_ghrh_than_to_glucagon():
    """GHRH acts on the pituitary directly, glucagon through the hypothalamus: hypothalamic GHD
    keeps a larger share of its GHRH + arginine response (the false-normal pitfall)."""
    from somatosim.clinic.accuracy import cause_of

    ga, people = _runs("ghd", "ghrh_arginine")
    gst, _ = _runs("ghd", "glucagon")
    cause = np.array([cause_of(s) for s in people])
    hyp, pit = cause == "hypothalamic GHD", cause == "pituitary GHD"
    ga_p, gst_p = np.array([r.peak_gh for r in ga]), np.array([r.peak_gh for r in gst])
    assert np.median(ga_p[hyp]) / np.median(gst_p[hyp]) > np.median(ga_p[pit]) / np.median(gst_p[pit])


def test_accuracy_table_on_the_validation_cohorts():
    from somatosim.clinic.accuracy import accuracy_table, cause_of, markdown_table
    from somatosim.validation import clinic

    causes = [cause_of(s) for s in clinic._cohort("healthy") + clinic._cohort("ghd")]
    results = {t: list(clinic._run("healthy", t)) + list(clinic._run("ghd", t))
               for t in ("insulin_tolerance", "macimorelin")}
    table = accuracy_table(results, causes)
    assert set(table.test) == {"insulin_tolerance", "macimorelin"}
    assert (table.auc > 0.8).all() and (table.sensitivity > 0.8).all()
    assert (table.n_healthy + table.n_ghd + table.n_not_interpretable == 120).all()
    assert "insulin_tolerance" in markdown_table(table)
