"""Lifestyle mechanisms in simulations of one typical subject (seeded; the same engine shape as
the scenario tests, so JAX compiles once), and the lifestyle validation targets."""

from __future__ import annotations

import numpy as np
import pytest

from somatosim import Schedule, Subject, simulate
from somatosim import lifestyle as life
from somatosim.params import load_parameters
from somatosim.schedule import MIN_PER_DAY

P = load_parameters().floats()
MAN = Subject(age=30, sex="male", height_cm=178, weight_kg=75)
OUT = ("gh", "igf1_total", "gh_secretion", "igf1_free")  # the scenario runs' outputs: shared compilation
DAY = MIN_PER_DAY


def run(schedule, days, subject=MAN):
    return simulate(subject, days, seed=3, schedule=schedule, variability=False, outputs=OUT)


def window_mean(ds, name, a, b):
    t = ds.time.values
    return float(ds[name].values[0, (t >= a) & (t < b)].mean())


@pytest.fixture(scope="module")
def fed():
    return run(Schedule.habitual(MAN, 0, 6), 6)


def test_fasting_raises_gh_then_lowers_igf1_and_refeeding_reverses(fed):
    fast = life.Fast(19.5 * 60, 19.5 * 60 + 3 * DAY)
    ds = run(life.fasting_schedule(MAN, 8, [fast], P), 8)
    gh_ratio = window_mean(ds, "gh_secretion", 2 * DAY, 3 * DAY) / window_mean(fed, "gh_secretion", 2 * DAY, 3 * DAY)
    assert gh_ratio > 1.5
    igf = ds.igf1_total.values[0]
    t = ds.time.values
    at = {d: igf[np.searchsorted(t, d * DAY)] for d in (1, 2, 4)}
    assert at[4] < 0.92 * at[1]  # down over days (-41 to -64 % by day 5: Ho 1988, Isley 1983)
    assert abs(at[2] / at[1] - 1.0) < 0.2  # little change at first (hepatic resistance offsets the GH rise)
    lowest = int(np.argmin(igf))
    assert t[lowest] > fast.stop and igf[-1] > 1.1 * igf[lowest]  # recovery after refeeding (with a lag)


def test_free_fatty_acids_turn_the_gh_rise_of_a_long_fast_down_by_day_5():
    # Hartman 1992 (day 2: production x4.8) and Ho 1988 (day 5: x3.1): without the rising free
    # fatty acids the model's GH keeps climbing as IGF-1 falls; with them day 5 is below day 2.
    from somatosim.params import parameter_overrides

    fast = life.Fast(19.5 * 60, 19.5 * 60 + 5 * DAY)

    def day5_over_day2(**overrides):
        with parameter_overrides(**overrides):
            ds = run(life.fasting_schedule(MAN, 8, [fast], load_parameters().floats()), 8)
        start = fast.start
        return (window_mean(ds, "gh_secretion", start + 96 * 60, start + 120 * 60)
                / window_mean(ds, "gh_secretion", start + 32 * 60, start + 56 * 60))

    assert day5_over_day2() < 0.85
    assert day5_over_day2(nutrition_ffa_inhibition=0.0) > 0.95


def test_a_sleepless_night_keeps_a_smaller_nocturnal_gh_release():
    # Mullington 1996: nocturnal peak 10.5 vs 19.9 ug/L awake vs asleep. Without the circadian
    # drive a sleepless night is as flat as the day; habitual nights do not use it (sleep masks it).
    from somatosim.params import parameter_overrides

    young = Subject(age=22, sex="male", height_cm=178, weight_kg=75)
    night = (DAY + 23 * 60, 2 * DAY + 7 * 60)

    def night_means(**overrides):
        with parameter_overrides(**overrides):
            habitual = run(Schedule.habitual(young, 0, 2), 3, young)
            deprived = run(life.sleep_deprivation_schedule(young, 3, nights_without_sleep=(1,)), 3, young)
        return window_mean(habitual, "gh", *night), window_mean(deprived, "gh", *night)

    asleep, awake = night_means()
    asleep0, awake0 = night_means(night_wake_drive=0.0)
    assert asleep == pytest.approx(asleep0, rel=0.02)  # the window is < 0.4 % open at 23:00 and 07:00
    assert awake > 1.8 * awake0
    assert awake < 0.8 * asleep


def test_an_exercise_bout_raises_gh_for_about_two_hours(fed):
    ds = run(Schedule.habitual(MAN, 0, 6).with_events(life.bout(DAY + 600, 30, 1.5)), 6)
    burst = window_mean(ds, "gh", DAY + 600, DAY + 720) / window_mean(fed, "gh", DAY + 600, DAY + 720)
    assert burst > 3.0
    assert window_mean(ds, "gh", 3 * DAY, 4 * DAY) == pytest.approx(window_mean(fed, "gh", 3 * DAY, 4 * DAY), rel=0.2)


def test_oral_not_transdermal_estrogen_lowers_igf1(fed):
    woman = Subject(age=60, sex="female", height_cm=163, weight_kg=66, postmenopausal=True)
    base = run(Schedule.habitual(woman, 0, 6), 6, woman)
    oral = run(Schedule.habitual(woman, 0, 6).with_events(
        life.EstrogenTherapy(0, 6 * DAY, "oral", "ethinylestradiol", 20)), 6, woman)
    skin = run(Schedule.habitual(woman, 0, 6).with_events(
        life.EstrogenTherapy(0, 6 * DAY, "transdermal", "estradiol", 100)), 6, woman)
    last = (5 * DAY, 6 * DAY)
    assert window_mean(oral, "igf1_total", *last) < 0.8 * window_mean(base, "igf1_total", *last)
    assert window_mean(oral, "gh", *last) > window_mean(base, "gh", *last)
    assert np.array_equal(skin.igf1_total.values, base.igf1_total.values)


def test_chronic_glucocorticoid_excess_lowers_gh(fed):
    import dataclasses

    cushing = dataclasses.replace(MAN, conditions=(life.GlucocorticoidExcess(60.0),))
    ds = run(Schedule.habitual(cushing, 0, 6), 6, cushing)
    assert window_mean(ds, "gh_secretion", 0, 6 * DAY) < 0.8 * window_mean(fed, "gh_secretion", 0, 6 * DAY)


def test_dexamethasone_raises_igf1_only_where_there_is_gh(fed):
    """Miell 1991: four days of dexamethasone raise total IGF-1 in healthy men; J Endocrinol
    Invest 2001: not in patients without GH (the hepatic effect acts through GH)."""
    import dataclasses

    from somatosim.conditions import PituitaryDamage

    course = life.glucocorticoid_course(DAY + 480, 2.0, "dexamethasone", every_h=12, count=8)
    ghd = dataclasses.replace(MAN, conditions=(PituitaryDamage(severity=1.0),))

    def igf1_gain(subject, control):
        ds = run(Schedule.habitual(subject, 0, 6).with_events(*course), 6, subject)
        return window_mean(ds, "igf1_total", 5 * DAY, 5.1 * DAY) / window_mean(control, "igf1_total", 5 * DAY, 5.1 * DAY)

    assert igf1_gain(MAN, fed) > 1.2
    assert igf1_gain(ghd, run(Schedule.habitual(ghd, 0, 6), 6, ghd)) < 1.05


# --- validation targets -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def table():
    from somatosim.validation import evaluate, load_targets
    from somatosim.validation.lifestyle import SCENARIOS

    return evaluate([t for t in load_targets() if t.scenario in SCENARIOS])


def test_lifestyle_targets_are_well_formed():
    from somatosim.validation import load_targets
    from somatosim.validation.lifestyle import SCENARIOS

    mine = [t for t in load_targets() if t.scenario in SCENARIOS]
    assert len(mine) >= 10 and len({t.id for t in mine}) == len(mine)
    assert all(t.source for t in mine) and sum(t.must_pass for t in mine) >= 5
    assert {t.scenario for t in mine} == set(SCENARIOS)


def test_no_must_pass_lifestyle_target_is_red(table):
    red = table[table.must_pass & (table.status == "red")]
    assert red.empty, red[["id", "model", "published"]].to_string()


def test_lifestyle_validation_does_not_regress(table):
    # The current tally (see docs/lifestyle.md): regressions below it fail; the red targets are
    # documented limits of the core model (GH synthesis, GH autofeedback, IGF-1 feedback gain).
    assert (table.status == "green").mean() >= 0.75, table[["id", "model", "published", "status"]].to_string()
    # the 5-day fast is green since the free fatty acids restrain GH release (session 7)
    fast5 = table.set_index("id").loc["fast5_gh"]
    assert fast5.status == "green", fast5.to_string()
