"""Validation scenarios of lifestyle, nutrition, stress and sleep (issue 3); their targets are in
``targets_lifestyle.toml``.

Each scenario mirrors the design of a published study on a virtual cohort of
``scenarios.COHORT_SIZE`` subjects sharing one schedule, with the core scenarios' outputs, so the
engine compiled for the core validation is reused (no new JAX compilation). Where a study
compared days or conditions within the same people, the virtual cohort does the same (a control
day followed by exercise days; fed day, fast and refeeding in one run). Controls that equal a core
cohort (young men 20-30 y, men 36-50 y) are taken from the core scenarios' cache.

Windows are min from midnight of day 0. Integrated GH is ``Σ GH · Δt`` (µg/L·min) as the studies
computed it from their samples; GH production is µg secreted (``metrics.production_ug``).
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from somatosim.cohort import virtual_cohort
from somatosim.lifestyle import (
    AcuteStress,
    Fast,
    Glucocorticoid,
    GlucocorticoidExcess,
    after_weight_loss,
    bout,
    estrogen_condition,
    fasting_schedule,
    glucocorticoid_course,
    intensity_from_vo2max,
    nutrition_event,
    sleep_deprivation_schedule,
)
from somatosim.lifestyle.fasting import energy_requirement_kcal
from somatosim.params import load_parameters
from somatosim.schedule import MIN_PER_DAY, Meal, Schedule
from somatosim.simulation import simulate
from somatosim.subject import Subject, subject_parameters
from somatosim.validation import metrics as m
from somatosim.validation import scenarios as core

N = core.COHORT_SIZE
SEED = core.SEED
OUT = core._OUT
DAY = MIN_PER_DAY
H = 60.0


def _floats() -> dict[str, float]:
    return load_parameters().floats()


def _cohort(sex="male", age=(20.0, 30.0), seed=SEED, **traits):
    return virtual_cohort(N, sex=sex, age=age, seed=seed, **traits)


def _simulate(subjects, days, schedule=None):
    return simulate(subjects, days, seed=SEED, schedule=schedule, outputs=OUT)


def _integral(x, t, a, b):
    """Σ x·Δt over ``a <= t < b`` for every subject (Δt = recording interval)."""
    dt = float(t[1] - t[0])
    return m.window(x, t, a, b).sum(-1) * dt


def _production(ds, subjects, a, b):
    """GH secreted (µg) over ``[a, b)`` per subject."""
    p = subject_parameters(subjects, seed=SEED)
    return _integral(ds.gh_secretion.values, ds.time.values, a, b) * p["gh_v1"]


def _at(x, t, time):
    """Value of ``x`` (subject, time) at the recorded time nearest ``time`` (per subject)."""
    return x[:, int(np.argmin(np.abs(t - time)))]


def _typical(subjects) -> Subject:
    """The subject of median weight (stands for the cohort where an event needs body size)."""
    order = np.argsort([s.weight for s in subjects])
    return subjects[int(order[len(order) // 2])]


def _core_control(sex="male", age=(20.0, 30.0)):
    """(subjects, dataset) of a core validation cohort (cached by the core scenarios)."""
    subjects, ds, _ = core._run(sex, age)
    return subjects, ds


# --- exercise ----------------------------------------------------------------------------------

#: Days of the exercise run: 0 control, then 30-min bouts at 10:00 at these intensities (× LT).
PRITZLAFF_INTENSITIES = (0.25, 0.75, 1.0, 1.25, 1.75)
EXERCISE_START_H = 10.0
#: Pritzlaff 1999 integrated GH over exercise + 3.5 h of recovery, min.
PRITZLAFF_WINDOW = 240.0
#: Kanaley 1997 delayed-exercise day: bouts at 10:00, 14:00, 18:00; 30 min at 70 % VO2max, each
#: bout's response integrated over the bout and 60 min of recovery.
KANALEY_BOUTS_H = (10.0, 14.0, 18.0)
KANALEY_WINDOW = 90.0
KANALEY_VO2MAX = 70.0
KANALEY_MEALS_H = (6.0, 22.0)


@cache
def _bout_run(intensity: float | None, age: tuple[float, float] = (20.0, 30.0), trained: bool = False,
              sex: str = "male", minutes: float = 30.0):
    """Adults of ``sex`` and ``age``: one bout of ``minutes`` at ``intensity`` × LT at 10:00 of day 1
    after a habitual day (``None``: the same people without it, the control). Each condition is a
    run of its own, as the studies admitted their subjects on separate occasions in random order;
    the same seed gives every run the same subjects and noise, so a bout's increment is its run
    minus the control."""
    subjects = _cohort(sex, age)
    sched = Schedule.habitual(subjects[0], 0, 2)
    if intensity is not None:
        sched = sched.with_events(bout(DAY + EXERCISE_START_H * H, minutes, intensity, trained=trained))
    return _simulate(subjects, 2, sched)


@cache
def _kanaley_run():
    """Young men on Kanaley's delayed-exercise day (day 1): bouts at 10:00, 14:00 and 18:00 at 70 %
    VO2max, meals only at 06:00 and 22:00 (half the day's requirement each)."""
    p = _floats()
    subjects = _cohort("male", (20.0, 30.0))
    vo2 = intensity_from_vo2max(KANALEY_VO2MAX, p["exercise_lt_percent_vo2max"])
    habit = Schedule.habitual(subjects[0], 0, 2)
    typical = _typical(subjects)
    half = energy_requirement_kcal(typical, p) / 2.0
    meals = tuple(x for x in habit.meals if not DAY <= x.time_min < 2 * DAY)
    meals += tuple(Meal(DAY + h * H, energy_kcal=half) for h in KANALEY_MEALS_H)
    sched = Schedule(habit.sleep, meals)
    sched = sched.with_events(*[bout(DAY + h * H, 30.0, vo2) for h in KANALEY_BOUTS_H],
                              nutrition_event(sched, typical, p, until=2 * DAY))
    return _simulate(subjects, 2, sched)


def _window_auc(ds, start: float, length: float) -> np.ndarray:
    """GH integral (µg/L·min) over ``[start, start + length)`` per subject."""
    return _integral(ds.gh.values, ds.time.values, start, start + length)


#: Start of the bouts of the exercise runs (10:00 of day 1), min.
BOUT_START = DAY + EXERCISE_START_H * H


def _increment(intensity: float, age=(20.0, 30.0), trained: bool = False) -> float:
    """Cohort-mean GH increment over the Pritzlaff window of a bout over the same men's control."""
    return float(np.mean(_window_auc(_bout_run(intensity, age, trained), BOUT_START, PRITZLAFF_WINDOW)
                         - _window_auc(_bout_run(None, age), BOUT_START, PRITZLAFF_WINDOW)))


def exercise() -> dict[str, float]:
    """Exercise intensity (Pritzlaff 1999), timing and repeated bouts (Kanaley 1997) in young men."""
    incr = np.array([_increment(x) for x in PRITZLAFF_INTENSITIES])
    slope = np.polyfit(PRITZLAFF_INTENSITIES, incr, 1)[0]
    at = dict(zip(PRITZLAFF_INTENSITIES, incr))
    # Timing: minute of the peak of the cohort-mean GH after the start of the 1.0 x LT bout.
    ds = _bout_run(1.0)
    t = ds.time.values
    w = (t >= BOUT_START) & (t < BOUT_START + 180.0)
    peak_min = float(t[w][np.argmax(ds.gh.values[:, w].mean(0))] - BOUT_START)
    # Repeated bouts: third vs first bout of the delayed-exercise day.
    bouts = [np.mean(_window_auc(_kanaley_run(), DAY + h * H, KANALEY_WINDOW)) for h in KANALEY_BOUTS_H]
    return {
        "slope_per_lt": float(slope),
        "low_vs_lt_increment": float(at[0.25] / at[1.0]),
        "high_vs_moderate_increment": float(at[1.75] / at[0.75]),
        "peak_minutes_after_start": peak_min,
        "bout3_vs_bout1": float(bouts[2] / bouts[0]),
    }


#: Wideman 2006: 30, 60 and 120 min at 70 % VO2max on separate visits; GH integrated over 4 h from
#: the start of exercise.
WIDEMAN_MINUTES = (30.0, 60.0, 120.0)
WIDEMAN_WINDOW = 240.0


def _duration_auc(sex: str, minutes: float) -> float:
    """Cohort-mean GH integral (µg/L·min) over 4 h from the start of one bout of ``minutes`` at
    70 % VO2max (:func:`_bout_run`), young adults of ``sex``."""
    vo2 = intensity_from_vo2max(KANALEY_VO2MAX, _floats()["exercise_lt_percent_vo2max"])
    ds = _bout_run(vo2, sex=sex, minutes=minutes)
    return float(np.mean(_window_auc(ds, BOUT_START, WIDEMAN_WINDOW)))


def exercise_duration() -> dict[str, float]:
    """GH over 4 h after 60 and 120 min relative to 30 min at 70 % VO2max, young men and women
    (Wideman 2006); each bout in a run of its own, as the study's separate visits."""
    out = {}
    for sex in ("male", "female"):
        short = _duration_auc(sex, WIDEMAN_MINUTES[0])
        for minutes in WIDEMAN_MINUTES[1:]:
            out[f"{sex}_{minutes:.0f}_vs_30"] = _duration_auc(sex, minutes) / short
    return out


@cache
def exercise_older() -> dict[str, float]:
    """GH response to the same relative exercise (30 min at 1.0 × LT) in older (60-75 y) vs young
    men (Wideman 2002: 4-7-fold smaller in older adults), and in the older men when trained
    (Weltman 1997); each condition a run of its own against the same men's control."""
    old = (60.0, 75.0)
    untrained = _increment(1.0, old)
    return {
        "old_vs_young_response": untrained / _increment(1.0),
        "trained_vs_untrained_response": _increment(1.0, old, trained=True) / untrained,
    }


# --- fasting and refeeding ---------------------------------------------------------------------

#: The fast starts after dinner on day 0 and lasts 5 days; 5 days of normal refeeding follow.
FAST_START = 19.5 * H
FAST_HOURS = 120.0
REFEED_DAYS = 5


@cache
def _fasting_run():
    p = _floats()
    subjects = _cohort("male", (20.0, 35.0))
    days = 1 + math.ceil((FAST_HOURS + REFEED_DAYS * 24) / 24.0)
    fast = Fast(FAST_START, FAST_START + FAST_HOURS * H)
    sched = fasting_schedule(_typical(subjects), days, [fast], p)
    return subjects, _simulate(subjects, days, sched)


def fasting() -> dict[str, float]:
    """2-day fast (Hartman 1992), 5-day fast (Ho 1988; Isley 1983) and 5 days of refeeding
    (Isley 1983) in young men; the fed control is day 0 of the same run."""
    subjects, ds = _fasting_run()
    t = ds.time.values
    fed = (0.0, DAY)

    def hours(a, b):
        return (FAST_START + a * H, FAST_START + b * H)

    prod_fed = _production(ds, subjects, *fed)
    gh_fed = _integral(ds.gh.values, t, *fed)
    igf = ds.igf1_total.values
    igf0 = _at(igf, t, FAST_START)
    return {
        "fast2_production_ratio": float(np.mean(_production(ds, subjects, *hours(32, 56))) / np.mean(prod_fed)),
        "fast2_igf1_ratio": float(np.mean(_at(igf, t, FAST_START + 56 * H) / igf0)),
        "fast5_gh_ratio": float(np.mean(_integral(ds.gh.values, t, *hours(96, 120))) / np.mean(gh_fed)),
        "fast5_igf1_ratio": float(np.mean(_at(igf, t, FAST_START + FAST_HOURS * H) / igf0)),
        "refeed5_igf1_ratio": float(np.mean(_at(igf, t, FAST_START + (FAST_HOURS + 24 * REFEED_DAYS) * H - H)
                                            / igf0)),
    }


#: Fontana 2008: habitual protein 1.67 g/kg/day reduced to 0.95 g/kg/day (energy unchanged).
FONTANA_PROTEIN = (1.67, 0.95)
FONTANA_DAYS = 8


def protein_restriction() -> dict[str, float]:
    """Protein intake cut from a habitual 1.67 to 0.95 g/kg/day at unchanged energy for
    ``FONTANA_DAYS`` days (Fontana 2008: IGF-1 194 → 152 ng/mL after 3 weeks) in men 40-60 y."""
    from somatosim.lifestyle import Nutrition
    from somatosim.lifestyle.fasting import energy_requirement_kcal as req

    p = _floats()
    subjects = _cohort("male", (40.0, 60.0))
    typical = _typical(subjects)
    habit = Schedule.habitual(typical, 0, FONTANA_DAYS)
    n = len(typical.meal_times_h)
    per_meal = FONTANA_PROTEIN[1] * typical.weight / n
    meals = tuple(Meal(x.time_min, protein_g=per_meal) for x in habit.meals)
    rows = [(x.time_min, req(typical, p) / n, per_meal) for x in meals]
    rows += [(x - DAY, req(typical, p) / n, FONTANA_PROTEIN[0] * typical.weight / n)
             for x in [m_.time_min for m_ in habit.meals if m_.time_min < DAY]]
    event = Nutrition(tuple(rows), 0.0, FONTANA_DAYS * DAY, req(typical, p), FONTANA_PROTEIN[0] * typical.weight)
    ds = _simulate(subjects, FONTANA_DAYS, Schedule(habit.sleep, meals, (event,)))
    t, igf = ds.time.values, ds.igf1_total.values
    return {"igf1_ratio": float(np.mean(_at(igf, t, FONTANA_DAYS * DAY - 1.0) / _at(igf, t, 0.0)))}


# --- glucocorticoids and stress ----------------------------------------------------------------

DEX_TIME = DAY + 8.0 * H
STRESS_TIME = 8.0 * H


def glucocorticoids() -> dict[str, float]:
    """Young men: an acute psychological stressor at 08:00 on day 0 (Mühlendahl 1978: physiological
    cortisol changes do not alter GH) and dexamethasone 4 mg at 08:00 on day 1 (Popovic 1993);
    the counterfactual is the core cohort of the same men with the same seed. Then established
    cortisol excess in heavier middle-aged men against lean controls (Van Aken 2005)."""
    young, ds_ctl = _core_control("male", (20.0, 30.0))
    sched = Schedule.habitual(young[0], 0, 2).with_events(AcuteStress(STRESS_TIME),
                                                          Glucocorticoid(DEX_TIME, 4.0, "dexamethasone"))
    ds = _simulate(young, 2, sched)
    t = ds.time.values
    w = (t >= DEX_TIME) & (t < DEX_TIME + 6 * H)
    mean_curve = ds.gh.values[:, w].mean(0)
    peak_time = float(t[w][np.argmax(mean_curve)] - DEX_TIME)
    peak_gh = float(np.mean(ds.gh.values[:, w].max(1)))
    stress_window = (STRESS_TIME, STRESS_TIME + 6 * H)
    stress = (np.mean(_integral(ds.gh.values, t, *stress_window))
              / np.mean(_integral(ds_ctl.gh.values, ds_ctl.time.values, *stress_window)))

    lean, ds_lean = _core_control("male", (36.0, 50.0))
    patients = [_with(s, GlucocorticoidExcess(CUSHING_EXCESS))
                for s in _cohort("male", (36.0, 50.0), visceral_fat_cm2=CUSHING_VAT)]
    ds_c = _simulate(patients, 1)
    gh_ratio = np.mean(_production(ds_c, patients, 0, DAY)) / np.mean(_production(ds_lean, lean, 0, DAY))
    igf_ratio = ds_c.igf1_total.values.mean() / m.window(ds_lean.igf1_total.values, ds_lean.time.values, 0, DAY).mean()
    return {"dex_peak_minutes": peak_time, "dex_peak_gh": peak_gh, "acute_stress_gh_ratio": float(stress),
            "cushing_gh_ratio": float(gh_ratio), "cushing_igf1_ratio": float(igf_ratio)}


#: Miell 1991 / Pralong 1991: dexamethasone 2 mg at 08:00 and 20:00 for 96 h, from 08:00 of day 1
#: (day 0 is the untreated baseline of the same men).
DEX_COURSE = (2.0, 12.0, 8)  # mg per dose, hours between doses, doses
DEX_COURSE_START = DAY + 8.0 * H


def dexamethasone_course() -> dict[str, float]:
    """Young men before and after four days of dexamethasone 2 mg twice daily: morning total
    IGF-1 (08:30) after the course relative to before (Miell 1991), and mean GH over the last
    24 h of the course relative to the untreated day (Pralong 1991)."""
    men = _cohort("male", (20.0, 30.0))
    dose, every, count = DEX_COURSE
    last_day = 1 + int(count * every / 24.0)
    sched = Schedule.habitual(men[0], 0, last_day).with_events(
        *glucocorticoid_course(DEX_COURSE_START, dose, "dexamethasone", every_h=every, count=count))
    ds = _simulate(men, last_day + 1, sched)
    t = ds.time.values
    course_end = DEX_COURSE_START + count * every * H
    igf = ds.igf1_total.values
    before = _at(igf, t, DEX_COURSE_START - 10.0)
    after = _at(igf, t, course_end + 30.0)

    last_day_gh = np.mean(_window_auc(ds, course_end - DAY, DAY))
    return {"dex_igf1_ratio": float(np.mean(after) / np.mean(before)),
            "dex_mean_gh_ratio": float(last_day_gh / np.mean(_window_auc(ds, DEX_COURSE_START - DAY, DAY)))}


#: Van Aken 2005: adrenal Cushing's patients were heavier than lean controls (the BMI-matched
#: group explained about 30 % of their GH deficit); visceral fat of an overweight man.
CUSHING_VAT = 150.0
#: Cortisol production above normal in adrenal Cushing's syndrome, mg/day: urinary free cortisol
#: typically 2-5 times normal on a normal production of about 15-20 mg/day.
CUSHING_EXCESS = 40.0


# --- estrogen route ----------------------------------------------------------------------------


@cache
def _estrogen_runs():
    women = _cohort("female", (50.0, 65.0), postmenopausal=True)
    base = _simulate(women, 1)
    oral = _simulate([_with(s, estrogen_condition("oral", "ethinylestradiol", 20.0)) for s in women], 1)
    skin = _simulate([_with(s, estrogen_condition("transdermal", "estradiol", 100.0)) for s in women], 1)
    return base, oral, skin


def _with(subject: Subject, condition) -> Subject:
    import dataclasses

    return dataclasses.replace(subject, conditions=subject.conditions + (condition,))


def estrogen_route() -> dict[str, float]:
    """Postmenopausal women on established oral ethinylestradiol 20 µg/day or transdermal estradiol
    100 µg/day against the same women untreated (Weissberger 1991)."""
    base, oral, skin = _estrogen_runs()

    def ratio(ds, name):
        return float(np.mean(ds[name].values.mean(1)) / np.mean(base[name].values.mean(1)))

    return {
        "oral_igf1_ratio": ratio(oral, "igf1_total"),
        "oral_gh_ratio": ratio(oral, "gh"),
        "transdermal_igf1_ratio": ratio(skin, "igf1_total"),
    }


# --- inflammation ------------------------------------------------------------------------------


def inflammation() -> dict[str, float]:
    """Steady low-grade inflammation at CRP e² mg/L (7.4) against CRP ≤ 1 mg/L in young men:
    IGF-1 difference per natural-log unit of CRP (Colangelo 2009)."""
    from somatosim.conditions import ChronicInflammation

    subjects, ds0 = _core_control("male", (20.0, 30.0))
    crp = math.exp(2.0)
    ds1 = _simulate([_with(s, ChronicInflammation(crp_mg_l=crp)) for s in subjects], 1)
    igf0 = m.window(ds0.igf1_total.values, ds0.time.values, 0.0, DAY).mean()
    igf1 = ds1.igf1_total.values.mean()
    return {"igf1_per_ln_crp": float((igf1 - igf0) / math.log(crp))}


# --- weight and weight loss --------------------------------------------------------------------

#: Rasmussen 1995: obese young adults (BMI 40.9 kg/m²) before and after losing 30.3 kg.
RASMUSSEN_BMI = 40.9
RASMUSSEN_LOSS_KG = 30.3
#: Edén Engström 2006: obese women, BMI 45 before and 32 kg/m² 12 months after gastric bypass.
RYGB_BMI = (45.0, 32.0)


def _at_bmi(subjects, bmi):
    import dataclasses

    return [dataclasses.replace(s, weight_kg=bmi * (s.height / 100.0) ** 2) for s in subjects]


def weight_loss() -> dict[str, float]:
    """Massive weight loss in obese young men against lean controls (Rasmussen 1995); obese women
    before and after gastric bypass (Edén Engström 2006, fasting morning GH and IGF-1)."""
    lean, ds_lean = _core_control("male", (20.0, 30.0))
    obese = _at_bmi(lean, RASMUSSEN_BMI)
    reduced = [after_weight_loss(s, RASMUSSEN_LOSS_KG) for s in obese]
    ds_red = _simulate(reduced, 1)
    after_vs_lean = np.mean(_production(ds_red, reduced, 0, DAY)) / np.mean(_production(ds_lean, lean, 0, DAY))

    women = _cohort("female", (30.0, 50.0))
    before, after = _at_bmi(women, RYGB_BMI[0]), _at_bmi(women, RYGB_BMI[1])
    ds_b, ds_a = _simulate(before, 1), _simulate(after, 1)
    morning = (7.0 * H, 8.0 * H)  # fasting morning sample, before breakfast

    def am_gh(ds):
        return np.mean(m.window(ds.gh.values, ds.time.values, *morning))

    return {
        "reduced_obese_vs_lean_gh_production": float(after_vs_lean),
        "bypass_morning_gh_ratio": float(am_gh(ds_a) / am_gh(ds_b)),
        "bypass_igf1_ratio": float(ds_a.igf1_total.values.mean() / ds_b.igf1_total.values.mean()),
    }


# --- sleep -------------------------------------------------------------------------------------

#: Weibel 1997 / Brandenberger 2004: night workers sleeping 07:00-15:00.
NIGHT_SLEEP = (7.0, 8.0)
NIGHT_MEALS = (16.0, 21.0, 2.0)


def sleep() -> dict[str, float]:
    """Night workers vs day-active men (Weibel 1997) and a night of total sleep deprivation vs
    sleeping young men (Mullington 1996)."""
    day_men, ds_day = _core_control("male", (20.0, 30.0))
    night_men = _cohort("male", (20.0, 30.0), sleep_onset_h=NIGHT_SLEEP[0], sleep_duration_h=NIGHT_SLEEP[1],
                        meal_times_h=NIGHT_MEALS)
    ds_night = _simulate(night_men, 1)
    ratio = np.mean(_production(ds_night, night_men, 0, DAY)) / np.mean(_production(ds_day, day_men, 0, DAY))
    # Main secretory episode: largest burst in the first half of the sleep period (07:00-11:00).
    t = ds_night.time.values
    sec = m.window(ds_night.gh_secretion.values, t, NIGHT_SLEEP[0] * H, (NIGHT_SLEEP[0] + NIGHT_SLEEP[1]) * H)
    first_half = np.mean(np.argmax(sec, axis=1) < sec.shape[1] / 2)

    deprived = _simulate(day_men, 2, sleep_deprivation_schedule(day_men[0], 2, nights_without_sleep=(0,)))
    night = (23.0 * H, 31.0 * H)  # 23:00 of day 0 to 07:00 of day 1
    peak_dep = m.window(deprived.gh.values, deprived.time.values, *night).max(1)
    peak_ctl = m.window(ds_day.gh.values, ds_day.time.values, *night).max(1)
    return {
        "night_shift_production_ratio": float(ratio),
        "night_shift_first_half_share": float(first_half),
        "deprivation_nocturnal_peak_ratio": float(np.mean(peak_dep) / np.mean(peak_ctl)),
    }


#: Scenario name -> function returning a dict of metrics.
SCENARIOS: dict = {
    "exercise": cache(exercise),
    "exercise_older": exercise_older,
    "exercise_duration": exercise_duration,
    "fasting": cache(fasting),
    "protein_restriction": cache(protein_restriction),
    "glucocorticoids": cache(glucocorticoids),
    "dexamethasone_course": cache(dexamethasone_course),
    "estrogen_route": cache(estrogen_route),
    "inflammation": cache(inflammation),
    "weight_loss": cache(weight_loss),
    "sleep": cache(sleep),
}


# --- recalibration -----------------------------------------------------------------------------

#: Calibrated lifestyle parameters, the target each is fitted to, and the bracket searched. The
#: fits are one-dimensional and run in this order (fasting parameters interact: two passes). The
#: fasting GH constants are a joint fit (``validation.calibrate.FASTING``): run it first.
CALIBRATION = (
    ("exercise_srif_withdrawal", "exercise_dose_response_slope", (0.02, 0.9)),
    ("exercise_training_factor", "exercise_training", (0.1, 1.0)),
    ("nutrition_hepatic_tau_on", "fast2_igf1", (300.0, 5000.0)),
    ("nutrition_fast_hepatic_cut", "fast5_igf1", (0.3, 0.98)),
    ("nutrition_hepatic_tau_off", "refeed5_igf1", (1000.0, 30000.0)),
    ("nutrition_protein_exponent", "protein_restriction_igf1", (0.1, 2.0)),
    ("gc_acute_srif_withdrawal", "dex_gh_peak", (0.2, 10.0)),
    ("gc_hepatic_gain", "dex_igf1", (0.1, 10.0)),
    ("gc_srif_max", "cushing_gh", (0.1, 20.0)),
    ("estrogen_oral_ee_d50", "oral_estrogen_igf1", (1.0, 200.0)),
    ("inflammation_crp_exponent", "crp_igf1_slope", (0.01, 1.0)),
    ("night_wake_drive", "sleep_deprivation_nocturnal_peak", (0.1, 2.0)),
)


def recalibrate(passes: int = 2, steps: int = 7, verbose: bool = True) -> dict[str, float]:
    """Refit the calibrated lifestyle parameters to their targets after a change of the core model.

    Each parameter is fitted on its own (bisection in log scale on the deviation from the
    target's value, the response being monotonic in the parameter), in the order of
    :data:`CALIBRATION`. Returns the new values; write them into ``params/lifestyle.toml``.
    Takes a few minutes (each step re-runs one validation scenario under
    :func:`somatosim.params.parameter_overrides`).
    """
    from somatosim.params import parameter_overrides
    from somatosim.validation.report import load_targets

    targets = {t.id: t for t in load_targets()}
    base = load_parameters()
    values = {name: base[name].value for name, _, _ in CALIBRATION}
    for _ in range(passes):
        for name, target_id, (lo, hi) in CALIBRATION:
            target = targets[target_id]

            def deviation(x, name=name, target=target):
                with parameter_overrides(**{**values, name: x}):
                    return SCENARIOS[target.scenario]()[target.metric] - target.value

            d_lo, d_hi = deviation(lo), deviation(hi)
            if d_lo * d_hi > 0:  # no sign change in the bracket: keep the end closer to the target
                values[name] = lo if abs(d_lo) < abs(d_hi) else hi
            else:
                a, b = math.log(lo), math.log(hi)
                for _ in range(steps):
                    mid = 0.5 * (a + b)
                    d = deviation(math.exp(mid))
                    if d * d_lo > 0:
                        a, d_lo = mid, d
                    else:
                        b = mid
                values[name] = float(f"{math.exp(0.5 * (a + b)):.3g}")
            if verbose:
                print(f"{name} = {values[name]:g}  ({target_id})", flush=True)
    return values


def calibrate_exercise(max_evaluations: int = 25, verbose: bool = True) -> dict[str, float]:
    """Fit the exercise constants jointly (:data:`somatosim.validation.calibrate.EXERCISE`:
    Nelder-Mead on log parameters from the shipped values, objective the weighted sum of squared
    log ratios of model to published value). Returns the best values found; write them into
    ``params/lifestyle.toml`` and refit ``exercise_training_factor`` after (:func:`recalibrate`).
    Each evaluation runs the exercise scenarios (several seconds)."""
    from somatosim.validation.calibrate import EXERCISE, calibrate

    return calibrate(EXERCISE.parameters, EXERCISE.targets, max_evaluations=max_evaluations, verbose=verbose).values
