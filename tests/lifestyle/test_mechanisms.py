"""Lifestyle mechanisms at the level of their input channels (no simulation: fast)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from somatosim import InputError, Schedule, Subject
from somatosim import lifestyle as life
from somatosim.lifestyle._timecourse import erlang2_pulse, lowpass_piecewise
from somatosim.params import load_parameters
from somatosim.schedule import CHANNELS, MIN_PER_DAY, input_grid

P = load_parameters().floats()
MAN = Subject(age=30, sex="male", height_cm=178, weight_kg=75)
NAMES = list(CHANNELS)


def channel(schedule: Schedule, name: str, t) -> np.ndarray:
    return input_grid(schedule, np.asarray(t, dtype=float), P)[:, NAMES.index(name)]


def only(*events) -> Schedule:
    return Schedule().with_events(*events)


# --- shared time courses ----------------------------------------------------------------------


@settings(max_examples=15)
@given(levels=st.lists(st.floats(-5, 5), min_size=1, max_size=6), tau=st.floats(5, 500),
       init=st.floats(-5, 5), rise_fall=st.booleans())
def test_lowpass_matches_an_ode_and_stays_between_its_inputs(levels, tau, init, rise_fall):
    edges = np.arange(len(levels)) * 137.0
    taus = (tau, 2 * tau) if rise_fall else tau
    t = np.linspace(-50, edges[-1] + 400, 400)
    y = lowpass_piecewise(t, edges, levels, taus, initial=init)
    lo, hi = min(levels + [init]), max(levels + [init])
    assert np.all(y >= lo - 1e-9) and np.all(y <= hi + 1e-9)
    assert np.all(y[t < 0] == init)
    # Euler check of dy/dt = (u - y)/tau on a fine grid (single time constant).
    if not rise_fall:
        dt = 0.02
        tt = np.arange(0, edges[-1] + 400, dt)
        u = np.asarray(levels)[np.searchsorted(edges, tt, side="right") - 1]
        yy = np.empty(tt.size)
        yy[0] = init
        for i in range(1, tt.size):
            yy[i] = yy[i - 1] + dt * (u[i - 1] - yy[i - 1]) / tau
        assert np.allclose(lowpass_piecewise(tt, edges, levels, tau, initial=init), yy, atol=1e-3 * (hi - lo + 1))


def test_erlang_pulse_lags_and_returns_to_zero():
    t = np.arange(0, 300.0)
    x = erlang2_pulse(t, 10, 40, 6.0)
    assert x[:11].max() == 0 and 0 < x[15] < x[39] < 1
    assert 40 <= t[np.argmax(x)] <= 50  # the two-stage drive peaks just after the bout
    assert x[-1] < 1e-6


# --- exercise ---------------------------------------------------------------------------------


def test_exercise_withdraws_somatostatin_above_the_onset_and_scales_with_intensity():
    t = np.arange(0, 400.0)
    low = channel(only(life.bout(100, 30, 0.25)), "srif_factor", t)
    assert np.all(low == 1.0)  # below the onset (about 0.3 x LT): nothing
    mid = channel(only(life.bout(100, 30, 1.0)), "srif_factor", t)
    high = channel(only(life.bout(100, 30, 1.75)), "srif_factor", t)
    assert np.all(mid[:100] == 1.0) and mid.min() < 1.0 and high.min() < mid.min()
    assert 128 <= t[np.argmin(mid)] <= 145  # deepest near the end of the bout
    assert abs(mid[-1] - 1.0) < 1e-3  # over within a couple of hours
    trained = channel(only(life.bout(100, 30, 1.0, trained=True)), "srif_factor", t)
    assert mid.min() < trained.min() < 1.0


def test_exercise_raises_ghrh_drive_with_intensity_and_suspends_gh_autofeedback_only_while_it_lasts():
    t = np.arange(0, 400.0)
    drive = {x: channel(only(life.bout(100, 30, x)), "ghrh_drive_factor", t) for x in (0.75, 1.0, 1.75)}
    assert drive[0.75].max() > 1.0 and drive[0.75].max() < drive[1.0].max() < drive[1.75].max()
    gain = (drive[1.75].max() - drive[0.75].max()) / (drive[1.0].max() - drive[0.75].max())
    assert gain == pytest.approx(4.0, rel=0.05)  # linear in intensity above the onset
    fb = channel(only(life.bout(100, 60, 1.0)), "srif_feedback_factor", t)
    assert np.all(fb[:100] == 1.0) and fb[130:160].max() < 0.05  # suspended through the bout
    assert abs(fb[-1] - 1.0) < 1e-2  # and back when it is over


def test_the_drive_needs_minutes_to_build():
    t = np.arange(0, 300.0)
    five = life.bout(50, 5, 1.5).drive(t, P).max()
    fifteen = life.bout(50, 15, 1.5).drive(t, P).max()
    thirty = life.bout(50, 30, 1.5).drive(t, P).max()
    load = 1.5 - P["exercise_intensity_onset"]
    assert five < 0.5 * fifteen and fifteen < thirty <= load * (1 + P["exercise_drive_drift"] * 0.5)


@settings(max_examples=25, deadline=None)
@given(st.floats(20.0, 180.0), st.floats(0.5, 2.5))
def test_the_drive_drifts_up_through_a_session_and_starts_afresh_in_the_next(minutes, intensity):
    t = np.arange(0.0, 1200.0, 0.5)
    load = intensity - P["exercise_intensity_onset"]
    one = life.bout(60, minutes, intensity).drive(t, P)
    end = int(np.searchsorted(t, 60 + minutes)) - 1
    # at the end of the bout: the two-stage response to the load, scaled by the drift of the whole bout
    lagged = erlang2_pulse(t[end], 60, 60 + minutes, P["exercise_drive_tau"])
    assert one[end] == pytest.approx(load * lagged * (1 + P["exercise_drive_drift"] * (t[end] - 60) / 60))
    assert one[int(np.searchsorted(t, 60 + minutes / 2))] < one[end]
    # a second bout hours later is a new session: the same drive, shifted
    two = life.Exercise(((60, 60 + minutes, intensity), (660, 660 + minutes, intensity))).drive(t, P)
    shift = int(600 / 0.5)
    np.testing.assert_allclose(two[shift:shift + 400], one[:400], atol=1e-9)


def test_interval_training_is_one_session():
    t = np.arange(0.0, 400.0, 0.5)
    h = life.hiit(60, work_min=4, rest_min=3, repeats=6, work_intensity=1.5)
    x = h.drive(t, P)
    first = x[(t >= 60) & (t < 67)].max()
    last = x[(t >= 95) & (t < 102)].max()
    assert last > first * (1 + 0.5 * P["exercise_drive_drift"] * 35 / 60)


def test_hiit_segments_and_vo2max_conversion():
    h = life.hiit(600, work_min=1, rest_min=2, repeats=3, work_intensity=2.0, rest_intensity=0.5)
    assert h.segments == ((600, 601, 2.0), (601, 603, 0.5), (603, 604, 2.0), (604, 606, 0.5), (606, 607, 2.0))
    assert h.start == 600 and h.exercise_end == 607 and h.end > 607
    assert life.intensity_from_vo2max(90, 60) == pytest.approx(1.5)


@pytest.mark.parametrize("make, field", [
    (lambda: life.bout(0, 30, 3.5), "exercise.intensity"),
    (lambda: life.bout(0, -5, 1.0), "exercise.duration_min"),
    (lambda: life.bout(math.nan, 30, 1.0), "exercise.start"),
    (lambda: life.hiit(0, work_min=1, rest_min=1, repeats=2.5, work_intensity=2), "exercise.repeats"),
    (lambda: life.Exercise(((0, 10, 1.0), (5, 20, 1.0))), "overlaps"),
    (lambda: life.intensity_from_vo2max(200, 60), "exercise.percent_vo2max"),
])
def test_exercise_bad_input(make, field):
    with pytest.raises(InputError, match=re.escape(field)):
        make()


# --- fasting, energy and protein --------------------------------------------------------------


def test_regular_meals_are_neutral():
    sched = Schedule.habitual(MAN, 0, 3)
    sched = sched.with_events(life.nutrition_event(sched, MAN, P, until=3 * MIN_PER_DAY))
    t = np.arange(0, 3 * MIN_PER_DAY, 10.0)
    assert np.allclose(channel(sched, "srif_factor", t), 1.0)
    assert np.allclose(channel(sched, "hepatic_factor", t), 1.0)
    assert np.allclose(channel(sched, "release_factor", t), 1.0)


def test_free_fatty_acids_of_a_long_fast_restrain_release_and_fall_on_refeeding():
    fast = life.Fast(19.5 * 60, 19.5 * 60 + 5 * MIN_PER_DAY)
    sched = life.fasting_schedule(MAN, 8, [fast], P)
    t = np.arange(0, 8 * MIN_PER_DAY, 30.0)
    release = channel(sched, "release_factor", t)
    day = t / MIN_PER_DAY

    def at(d):
        return release[np.searchsorted(day, d)]

    # rising lipolysis: the restraint deepens from day to day through the fast ...
    assert 1.0 > at(1.5) > at(2.5) > at(3.5) > at(5.5)
    # ... and is stronger on day 5 than on day 2, which is what turns the GH rise down
    assert (1 / at(5.3) - 1) > 1.5 * (1 / at(2.3) - 1)
    expected = 1 / (1 + P["nutrition_ffa_inhibition"] * (1 - np.exp(-(5 * MIN_PER_DAY - 1440.0) / P["nutrition_ffa_tau_on"])))
    assert at(5.79) == pytest.approx(expected, rel=0.15)  # about a day of meals missed before the deficit is full
    # free fatty acids fall within hours once a full day of meals has been eaten again (the deficit is
    # counted over the trailing 24 h, so it clears at the third meal after the fast)
    assert at(6.3) < 0.3 and at(7.9) > 0.95


def test_fast_withdraws_somatostatin_within_a_day_and_builds_hepatic_resistance_over_days():
    fast = life.Fast(19.5 * 60, 19.5 * 60 + 5 * MIN_PER_DAY)
    sched = life.fasting_schedule(MAN, 10, [fast], P)
    t = np.arange(0, 10 * MIN_PER_DAY, 30.0)
    srif = channel(sched, "srif_factor", t)
    hep = channel(sched, "hepatic_factor", t)
    day = t / MIN_PER_DAY
    assert srif[np.searchsorted(day, 1.5)] < 0.9  # falling within the first day
    assert srif[(day > 2.5) & (day < 5)].max() < 0.35  # deep withdrawal once a day's meals are missed
    assert hep[np.searchsorted(day, 1.0)] > hep[np.searchsorted(day, 3.0)] > hep[np.searchsorted(day, 5.5)]
    assert hep.min() > 0
    # refeeding: somatostatin back within a day, hepatic sensitivity recovers more slowly
    assert srif[np.searchsorted(day, 7.5)] > 0.95
    assert hep[np.searchsorted(day, 5.9)] < hep[np.searchsorted(day, 9.9)] < 1.0


def test_protein_below_the_reference_lowers_hepatic_signalling_and_more_does_not_raise_it():
    def hepatic(protein_g_per_day):
        habit = Schedule.habitual(MAN, 0, 10)
        meals = tuple(type(m)(m.time_min, protein_g=protein_g_per_day / 3) for m in habit.meals)
        sched = Schedule(habit.sleep, meals)
        ev = life.nutrition_event(sched, MAN, P, until=10 * MIN_PER_DAY)
        return channel(sched.with_events(ev), "hepatic_factor", [9.5 * MIN_PER_DAY])[0]

    ref = P["nutrition_protein_per_kg"] * MAN.weight
    assert hepatic(2.0 * ref) == pytest.approx(1.0)
    low = hepatic(0.5 * ref)
    assert low == pytest.approx(0.5 ** P["nutrition_protein_exponent"], rel=0.02)


def test_fast_bad_input():
    with pytest.raises(InputError, match="fast.stop"):
        life.Fast(100, 50)
    with pytest.raises(InputError, match="nutrition"):
        life.Nutrition((), 0.0, 10.0, 0.0, 50.0)


# --- glucocorticoids and stress ---------------------------------------------------------------


def test_dexamethasone_stimulates_after_hours_then_suppresses():
    t = np.arange(0, 3 * MIN_PER_DAY, 10.0)
    srif = channel(only(life.Glucocorticoid(480, 4, "dexamethasone")), "srif_factor", t)
    assert np.all(srif[t < 480] == 1.0)
    assert 480 + 120 <= t[np.argmin(srif)] <= 480 + 240  # acute phase near 3 h
    assert srif[np.searchsorted(t, 480 + 24 * 60)] > 1.1  # chronic phase a day later


def test_physiological_cortisol_surge_does_almost_nothing():
    t = np.arange(0, MIN_PER_DAY, 10.0)
    srif = channel(only(life.AcuteStress(480)), "srif_factor", t)
    assert np.all(np.abs(srif - 1.0) < 0.1)


def test_equivalent_doses_differ_in_duration_of_action():
    from somatosim.lifestyle.stress import acute_dose_response, hydrocortisone_equivalent

    assert acute_dose_response(hydrocortisone_equivalent("dexamethasone", 4, P), P) == pytest.approx(
        acute_dose_response(4 * P["gc_equivalence_dexamethasone"], P))
    t = np.array([3 * MIN_PER_DAY])
    dex = channel(only(life.Glucocorticoid(0, 4, "dexamethasone")), "srif_factor", t)[0]
    hc = channel(only(life.Glucocorticoid(0, 4 * P["gc_equivalence_dexamethasone"], "hydrocortisone")),
                 "srif_factor", t)[0]
    assert dex > hc >= 1.0  # dexamethasone still suppresses 3 days later


@pytest.mark.parametrize("excess", [5.0, 40.0, 200.0])
def test_cortisol_excess_reaches_the_condition_steady_state(excess):
    t = np.array([10 * MIN_PER_DAY])
    event = only(life.CortisolExcess(0, 20 * MIN_PER_DAY, excess))
    p = dict(P)
    life.GlucocorticoidExcess(excess).modify(p, MAN)
    assert channel(event, "srif_factor", t)[0] == pytest.approx(
        p["srif_basal_release"] / P["srif_basal_release"], rel=1e-3)
    assert channel(event, "hepatic_factor", t)[0] == pytest.approx(
        p["ghr_sensitivity"] / P["ghr_sensitivity"], rel=1e-3)


def test_glucocorticoids_sensitise_the_liver_with_the_somatostatin_dose_response():
    from somatosim.lifestyle.stress import chronic_srif_factor, hepatic_gain

    t = np.arange(0, 3 * MIN_PER_DAY, 10.0)
    liver = channel(only(life.Glucocorticoid(480, 4, "dexamethasone")), "hepatic_factor", t)
    assert np.all(liver[t < 480] == 1.0)
    assert liver[np.searchsorted(t, 480 + 24 * 60)] > 1.3  # a day after dexamethasone 4 mg
    exposure = np.geomspace(1.0, 500.0, 20)
    # one Hill fraction drives both effects: their relative rises are proportional
    ratio = (hepatic_gain(exposure, P) - 1.0) / (chronic_srif_factor(exposure, P) - 1.0)
    assert np.allclose(ratio, P["gc_hepatic_gain"] / P["gc_srif_max"])


def test_glucocorticoid_course_and_bad_input():
    course = life.glucocorticoid_course(480, 5, "prednisolone", every_h=12, count=3)
    assert [c.time for c in course] == [480, 1200, 1920]
    for make, field in [(lambda: life.Glucocorticoid(0, 0, "prednisolone"), "dose_mg"),
                        (lambda: life.Glucocorticoid(0, 5, "cortisone"), "drug"),
                        (lambda: life.CortisolExcess(10, 5, 40), "stress.stop")]:
        with pytest.raises(InputError, match=field):
            make()


# --- inflammation and estrogen ----------------------------------------------------------------


def test_inflammation_episode_matches_the_chronic_condition_at_steady_state():
    from somatosim.conditions import ChronicInflammation

    t = np.array([0.0, 5 * MIN_PER_DAY, 30 * MIN_PER_DAY])
    hep = channel(only(life.Inflammation(0, 10 * MIN_PER_DAY, 20.0)), "hepatic_factor", t)
    p = dict(P)
    ChronicInflammation(crp_mg_l=20.0).modify(p, MAN)
    assert hep[0] == 1.0 and hep[1] == pytest.approx(p["ghr_sensitivity"] / P["ghr_sensitivity"], rel=1e-3)
    assert hep[2] == pytest.approx(1.0, abs=1e-3)  # recovered
    assert channel(only(life.Inflammation(0, 100, 0.5)), "hepatic_factor", [50.0])[0] == 1.0  # below reference


def test_estrogen_route_decides():
    t = np.array([20 * MIN_PER_DAY])
    oral = channel(only(life.EstrogenTherapy(0, 30 * MIN_PER_DAY, "oral", "ethinylestradiol", 20)),
                   "hepatic_factor", t)[0]
    skin = channel(only(life.EstrogenTherapy(0, 30 * MIN_PER_DAY, "transdermal", "estradiol", 100)),
                   "hepatic_factor", t)[0]
    assert oral < 0.7 and skin == 1.0
    p = dict(P)
    life.estrogen_condition("oral", "ethinylestradiol", 20).modify(p, MAN)
    assert oral == pytest.approx(p["ghr_sensitivity"] / P["ghr_sensitivity"], rel=1e-3)
    with pytest.raises(InputError, match="estrogen.drug"):
        life.EstrogenTherapy(0, 100, "transdermal", "ethinylestradiol", 20)


# --- sleep, weight ----------------------------------------------------------------------------


def test_sleep_schedules():
    shift = life.night_shift_schedule(MAN, 2, sleep_onset_h=7.0, sleep_h=8.0)
    assert [(p.start, p.end) for p in shift.sleep] == [(420, 900), (1860, 2340)]
    deprived = life.sleep_deprivation_schedule(MAN, 2, nights_without_sleep=(0,))
    assert not any(1380 <= p.start < 1440 for p in deprived.sleep) and any(p.start == 2820 for p in deprived.sleep)
    short = life.restricted_sleep_schedule(MAN, 1, bed_h=1, wake_h=5)
    assert [(p.start, p.end) for p in short.sleep] == [(60, 300)]
    with pytest.raises(InputError, match="nights_without_sleep"):
        life.sleep_deprivation_schedule(MAN, 2, nights_without_sleep=(5,))


@settings(max_examples=20)
@given(onset_h=st.floats(18.0, 30.0), hours=st.floats(1.0, 12.0))
def test_sleep_masks_the_circadian_night_drive(onset_h, hours):
    from somatosim.schedule import SleepPeriod, night_window

    sleep = SleepPeriod(onset_h * 60.0, (onset_h + hours) * 60.0)
    t = np.arange(0.0, 2 * MIN_PER_DAY, 5.0)
    drive = channel(Schedule(sleep=(sleep,)), "night_wake", t)
    asleep = (t >= sleep.start) & (t < sleep.end)
    assert np.all(drive[asleep] == 0.0)
    window = night_window((t / 60.0) % 24.0, P["night_wake_acrophase"], P["night_wake_sharpness"])
    np.testing.assert_allclose(drive[~asleep], window[~asleep])
    assert np.all((window >= 0.0) & (window <= 1.0))
    # closed during the day, open in the small hours
    clock = (t / 60.0) % 24.0
    assert np.all(window[(clock > 9) & (clock < 21)] == 0.0)
    assert window[np.argmin(np.abs(t - P["night_wake_acrophase"] * 60.0))] == pytest.approx(1.0)


def test_weight_loss_lowers_visceral_fat_and_restores_gh_drive():
    from somatosim.subject import typical_parameters, visceral_fat

    obese = Subject(age=40, sex="male", height_cm=178, weight_kg=120, visceral_fat_cm2=220)
    after = life.after_weight_loss(obese, 30)
    assert after.weight == 90 and visceral_fat(after) < 220
    assert typical_parameters(after)["ghrh_drive"] > typical_parameters(obese)["ghrh_drive"]
    assert typical_parameters(after)["gh_clearance"] < typical_parameters(obese)["gh_clearance"]
    implicit = life.after_weight_loss(Subject(age=40, sex="male", weight_kg=120), 30)
    assert implicit.visceral_fat_cm2 is None and implicit.weight == 90
    with pytest.raises(InputError, match="weight_loss_kg"):
        life.after_weight_loss(obese, 115)


# --- the evidence table and the parameters ----------------------------------------------------


def test_evidence_table_grades_every_claim_and_models_no_unsupported_effect():
    table = life.evidence_table()
    names = {e.name for e in table}
    assert names >= {"zinc", "magnesium", "vitamin C", "selenium", "vitamin D", "thiamine", "sugar", "gluten", "dairy"}
    for e in table:
        assert e.grade in ("A", "B", "C", "D", "insufficient") and e.source and e.modelled
        assert e.effect == 0.0, e.name  # supported effects act through existing mechanisms
    assert "opposite" in life.evidence("dairy").evidence
    with pytest.raises(KeyError):
        life.evidence("spirulina")
    assert len(life.evidence_frame()) == len(table)


def test_every_lifestyle_parameter_is_used():
    src = Path(life.__file__).parent
    files = [*src.glob("*.py"), src / "evidence.toml", src.parent / "scenario.py",
             src.parent / "validation" / "lifestyle.py"]
    code = "\n".join(p.read_text() for p in files)
    params = load_parameters()
    mine = [n for n, p in params.items() if p.file == "lifestyle.toml"]
    assert len(mine) > 40
    for name in mine:
        stem = re.sub(r"_(hydrocortisone|prednisolone|prednisone|methylprednisolone|dexamethasone|ethinylestradiol|"
                      r"estradiol_valerate|estradiol|conjugated_estrogens)$", "_", name)
        assert name in code or stem in code, name
