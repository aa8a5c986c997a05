"""Validation scenarios of the causes of GH deficiency and GH resistance (issue 3); their targets
are in ``targets_conditions.toml``.

Every *arm* is a virtual cohort of ``scenarios.COHORT_SIZE`` subjects with one condition (or
none: a control), simulated with the core scenarios' seed, outputs and one shared schedule, so the
engine compiled for the core validation is reused. Arms of one comparison share their subjects,
random effects and GHRH-drive noise (common random numbers: the same seed and cohort), so a
ratio condition/control shows the condition and not sampling noise.

* Day 0 (00:00–24:00) gives the 24-h GH metrics (mean, 5th-percentile nadir, bursts, production)
  and the day's mean total and free IGF-1 and IGFBP-3.
* Arms with a stimulation test are simulated for two days; meals are given on day 0 only, so the
  test starts at 08:00 of day 1 after an overnight fast: a GHRH bolus of 1 µg/kg
  (:class:`somatosim.clinic.drugs.GHRHBolus`) or 30 g of arginine over 30 min
  (:class:`somatosim.clinic.drugs.ArginineInfusion`); the peak GH over the following 2 h is
  recorded.
* GH metabolic clearance (L/min) is computed from the subject's parameters at a GH of 3 µg/L
  (renal plus saturable extra-renal elimination of the central compartment), as Haffner 1994
  measured it at steady-state GH levels.

:func:`arm` returns the per-subject summaries of a named arm (see :data:`ARMS`); the signature
tests (``tests/conditions``) read the same cached arms.
"""

from __future__ import annotations

import dataclasses
import warnings
from functools import cache

import numpy as np

from somatosim.cohort import virtual_cohort
from somatosim.conditions import (
    AcuteIllness,
    AnorexiaNervosa,
    BioinactiveGH,
    ChronicKidneyDisease,
    Cirrhosis,
    CranialIrradiation,
    GH1Deletion,
    GHRHReceptorDefect,
    HypothalamicDamage,
    LaronSyndrome,
    MaleHypogonadism,
    PituitaryDamage,
)
from somatosim.model import kinetics
from somatosim.schedule import MIN_PER_DAY, Schedule
from somatosim.simulation import simulate
from somatosim.subject import subject_parameters
from somatosim.validation import metrics as m
from somatosim.validation import scenarios as core

N = core.COHORT_SIZE
SEED = core.SEED
OUT = core._OUT
#: 24-h window of the GH and IGF-1 metrics: day 0, min.
DAY0 = (0.0, MIN_PER_DAY)
#: Start of stimulation tests: 08:00 of day 1, after an overnight fast, min.
TEST_START = MIN_PER_DAY + 8.0 * 60.0
#: Window after the test start in which the peak GH is read, min (the 0-120 min of the protocols).
TEST_WINDOW = 120.0
#: GH level (µg/L) at which metabolic clearance is computed (Haffner 1994 steady states 1-10 µg/L).
CLEARANCE_GH = 3.0
#: Arginine dose of the test, g (0.5 g/kg, at most 30 g: 30 g for every adult above 60 kg).
ARGININE_G = 30.0
#: Nominal body weight for the arginine event (the dose is the 30-g cap), kg.
ARGININE_WEIGHT_KG = 70.0

_MEN = ("male", (30.0, 50.0))
_OLDER_MEN = ("male", (45.0, 65.0))
_OLD_MEN = ("male", (57.0, 77.0))
_YOUNG_WOMEN = ("female", (18.0, 30.0))

#: BMI of the anorexia cohort and of its controls (Støving 1999: 14.2 vs 20.3 kg/m²).
ANOREXIA_BMI, CONTROL_BMI = 14.2, 20.3

#: Arm name -> (sex, age range, conditions, test, extra cohort traits).
ARMS: dict[str, tuple] = {
    # structural and inherited GHD, with a GHRH test on day 1 (men 30-50 y)
    "control": (*_MEN, (), "ghrh", {}),
    "pituitary": (*_MEN, (PituitaryDamage(severity=0.95),), "ghrh", {}),
    "hypothalamic": (*_MEN, (HypothalamicDamage(severity=0.95),), "ghrh", {}),
    "ghrh_receptor": (*_MEN, (GHRHReceptorDefect(residual=0.0),), "ghrh", {}),
    "gh1": (*_MEN, (GH1Deletion(residual=0.0),), None, {}),
    "laron": (*_MEN, (LaronSyndrome(residual=0.0),), None, {}),
    "bioinactive": (*_MEN, (BioinactiveGH(bioactivity=0.2),), None, {}),
    # irradiation: arginine test (Merchant 2011) and GHRH test (hypothalamus first)
    "control_arginine": (*_MEN, (), "arginine", {}),
    "irradiation_30gy_3y_arginine": (*_MEN, (CranialIrradiation(dose_gy=30.0, years_since=3.0),), "arginine", {}),
    "irradiation_30gy_10y_arginine": (*_MEN, (CranialIrradiation(dose_gy=30.0, years_since=10.0),), "arginine", {}),
    "irradiation_30gy_3y_ghrh": (*_MEN, (CranialIrradiation(dose_gy=30.0, years_since=3.0),), "ghrh", {}),
    # liver, kidney, acute illness (men 45-65 y)
    "control_older": (*_OLDER_MEN, (), None, {}),
    "cirrhosis_cp6": (*_OLDER_MEN, (Cirrhosis(child_pugh=6.5),), None, {}),
    "cirrhosis_cp10": (*_OLDER_MEN, (Cirrhosis(child_pugh=10.5),), None, {}),
    "ckd_stage4": (*_OLDER_MEN, (ChronicKidneyDisease(stage="4"),), None, {}),
    "ckd_dialysis": (*_OLDER_MEN, (ChronicKidneyDisease(dialysis=True),), None, {}),
    "acute_illness": (*_OLDER_MEN, (AcuteIllness(severity=1.0),), None, {}),
    # anorexia nervosa (women 18-30 y)
    "control_women": (*_YOUNG_WOMEN, (), None, {"bmi": CONTROL_BMI}),
    "anorexia": (*_YOUNG_WOMEN, (AnorexiaNervosa(bmi=ANOREXIA_BMI),), None, {"bmi": ANOREXIA_BMI}),
    # sex steroids (older men, Roelfsema 2018: 57-77 y)
    "control_old_men": (*_OLD_MEN, (), None, {}),
    "hypogonadism": (*_OLD_MEN, (MaleHypogonadism(severity=1.0),), None, {}),
}


def _test_event(kind: str):
    from somatosim.clinic.drugs import ArginineInfusion, GHRHBolus

    if kind == "ghrh":
        return GHRHBolus(TEST_START, 1.0)
    return ArginineInfusion(TEST_START, ARGININE_G, ARGININE_WEIGHT_KG)


def cohort(name: str) -> list:
    """The subjects of arm ``name`` (conditions attached)."""
    sex, age, conditions, _test, traits = ARMS[name]
    traits = dict(traits)
    bmi = traits.pop("bmi", None)
    subjects = virtual_cohort(N, sex=sex, age=age, seed=SEED, **traits)
    if bmi is not None:
        subjects = [dataclasses.replace(s, weight_kg=bmi * (s.height / 100.0) ** 2) for s in subjects]
    return [dataclasses.replace(s, conditions=tuple(conditions)) for s in subjects]


def _schedule(subject, test: str | None) -> Schedule | None:
    if test is None:
        return None
    habitual = Schedule.habitual(subject, 0, 1)
    day0_meals = tuple(meal for meal in habitual.meals if meal.time_min < MIN_PER_DAY)
    return Schedule(habitual.sleep, day0_meals, (_test_event(test),))


def clearance_l_per_min(p: dict[str, np.ndarray], gh: float = CLEARANCE_GH) -> np.ndarray:
    """GH metabolic clearance (L/min) of each subject at a steady GH of ``gh`` µg/L."""
    return (p["gh_renal_k"] + kinetics.extrarenal_rate(gh, p)) * p["gh_v1"]


@cache
def arm(name: str) -> dict[str, np.ndarray]:
    """Per-subject summaries of arm ``name`` (arrays over the cohort)."""
    _sex, _age, _conditions, test, _traits = ARMS[name]
    subjects = cohort(name)
    days = 2 if test else 1
    ds = simulate(subjects, days, seed=SEED, schedule=_schedule(subjects[0], test), outputs=OUT)
    p = subject_parameters(subjects, seed=SEED)
    t = ds.time.values
    gh = m.window(ds.gh.values, t, *DAY0)
    sec = m.window(ds.gh_secretion.values, t, *DAY0)
    out = {
        "mean_gh": gh.mean(1),
        "nadir_gh": np.percentile(gh, 5, axis=1),
        "bursts": np.array([m.burst_count(s) for s in sec]),
        "production_ug": np.array([m.production_ug(s, v) for s, v in zip(sec, p["gh_v1"])]),
        "igf1": m.window(ds.igf1_total.values, t, *DAY0).mean(1),
        "igf1_free": m.window(ds.igf1_free.values, t, *DAY0).mean(1),
        "igfbp3": m.window(ds.igfbp3.values, t, *DAY0).mean(1),
        "clearance": clearance_l_per_min(p),
    }
    if test:
        out["test_peak"] = m.window(ds.gh.values, t, TEST_START, TEST_START + TEST_WINDOW).max(1)
    return out


def ratio(name: str, control: str, metric: str) -> float:
    """Median of ``metric`` in arm ``name`` over its median in ``control``."""
    return float(np.median(arm(name)[metric]) / np.median(arm(control)[metric]))


def median(name: str, metric: str) -> float:
    """Median of ``metric`` in arm ``name``."""
    return float(np.median(arm(name)[metric]))


# --- scenarios --------------------------------------------------------------------------------


def ghd_signatures() -> dict[str, float]:
    """Pituitary vs hypothalamic GHD and inherited defects against men 30-50 y (GHRH test day 1)."""
    out = {}
    for name in ("pituitary", "hypothalamic", "ghrh_receptor"):
        out[f"{name}_mean_gh_ratio"] = ratio(name, "control", "mean_gh")
        out[f"{name}_igf1_ratio"] = ratio(name, "control", "igf1")
        out[f"{name}_ghrh_peak_ratio"] = ratio(name, "control", "test_peak")
    out["control_ghrh_peak"] = median("control", "test_peak")
    for name in ("gh1", "bioinactive"):
        out[f"{name}_mean_gh_ratio"] = ratio(name, "control", "mean_gh")
        out[f"{name}_igf1_ratio"] = ratio(name, "control", "igf1")
    return out


def laron() -> dict[str, float]:
    """GH-receptor null (Laron syndrome) adults against men 30-50 y."""
    return {
        "mean_gh_ratio": ratio("laron", "control", "mean_gh"),
        "igf1_ratio": ratio("laron", "control", "igf1"),
        "igf1": median("laron", "igf1"),
        "igfbp3_ratio": ratio("laron", "control", "igfbp3"),
    }


def irradiation() -> dict[str, float]:
    """Arginine-stimulated peak GH after 30 Gy to the hypothalamus, 3 and 10 years on, and the GHRH
    response 3 years on, relative to unirradiated men 30-50 y (Merchant 2011 design)."""
    return {
        "arginine_peak_ratio_3y": ratio("irradiation_30gy_3y_arginine", "control_arginine", "test_peak"),
        "arginine_peak_ratio_10y": ratio("irradiation_30gy_10y_arginine", "control_arginine", "test_peak"),
        "ghrh_peak_ratio_3y": ratio("irradiation_30gy_3y_ghrh", "control", "test_peak"),
        "mean_gh_ratio_3y": ratio("irradiation_30gy_3y_arginine", "control_arginine", "mean_gh"),
        "control_arginine_peak": median("control_arginine", "test_peak"),
    }


def cirrhosis() -> dict[str, float]:
    """Cirrhosis, Child-Pugh 6.5 (5-8 group) and 10.5 (9-12 group), against men 45-65 y (Assy 1998;
    Cuneo 1995; Gianotti 1998)."""
    return {
        "igf1_cp6": median("cirrhosis_cp6", "igf1"),
        "igf1_cp10": median("cirrhosis_cp10", "igf1"),
        "igf1_cp10_vs_cp6": ratio("cirrhosis_cp10", "cirrhosis_cp6", "igf1"),
        "igfbp3_cp10_vs_cp6": ratio("cirrhosis_cp10", "cirrhosis_cp6", "igfbp3"),
        "igf1_ratio_cp10": ratio("cirrhosis_cp10", "control_older", "igf1"),
        "mean_gh_ratio_cp10": ratio("cirrhosis_cp10", "control_older", "mean_gh"),
        "production_ratio_cp10": ratio("cirrhosis_cp10", "control_older", "production_ug"),
        "clearance_ratio_cp10": ratio("cirrhosis_cp10", "control_older", "clearance"),
    }


#: Assy 2008: one s.c. injection of GH 0.06 mg/kg, IGF-1 before and 24 h after (men and women
#: 56 +/- 2 y; here the older men's cohort); MELD groups < 10, 11-18 and 19-24 (their middles).
GENERATION_DOSE = "0.06 mg/kg/day"
GENERATION_MELD = {"meld_low": 8.0, "meld_mid": 14.5, "meld_high": 21.5}
GENERATION_CLOCK_H = 8.0


@cache
def _generation(meld: float | None) -> np.ndarray:
    """IGF-1 24 h after one injection relative to just before it, per subject of the older men's
    cohort (with cirrhosis at ``meld`` if given)."""
    from somatosim.therapy import DoseWarning, Regimen, simulate_treatment

    subjects = cohort("control_older")
    if meld is not None:
        subjects = [dataclasses.replace(s, conditions=(Cirrhosis(meld=meld),)) for s in subjects]
    regimen = Regimen("somatropin", GENERATION_DOSE, start_day=1, stop_day=2, clock_h=GENERATION_CLOCK_H)
    with warnings.catch_warnings():  # 0.06 mg/kg is a test dose, above the daily label maximum
        warnings.simplefilter("ignore", DoseWarning)
        ds = simulate_treatment(subjects, [regimen], 3, seed=SEED)
    t = ds.time.values
    dose_time = MIN_PER_DAY + GENERATION_CLOCK_H * 60.0
    igf = ds.igf1_total.values
    before = igf[:, int(np.argmin(np.abs(t - dose_time)))]
    after = igf[:, int(np.argmin(np.abs(t - dose_time - MIN_PER_DAY)))]
    return after / before


def igf1_generation() -> dict[str, float]:
    """IGF-1 generation test (one s.c. GH injection, IGF-1 at 24 h) in controls and cirrhosis
    by MELD group (Assy 2008): the IGF-1 increment of each group relative to the controls'."""
    control = float(np.median(_generation(None))) - 1.0
    out = {"control_increment": control}
    for name, meld in GENERATION_MELD.items():
        out[f"{name}_vs_control"] = (float(np.median(_generation(meld))) - 1.0) / control
    return out


def kidney() -> dict[str, float]:
    """CKD stage 4 and dialysis against men 45-65 y (Haffner 1994; Frystyk 1999; Tönshoff 1995)."""
    return {
        "clearance_ratio_stage4": ratio("ckd_stage4", "control_older", "clearance"),
        "clearance_ratio_dialysis": ratio("ckd_dialysis", "control_older", "clearance"),
        "igf1_ratio_stage4": ratio("ckd_stage4", "control_older", "igf1"),
        "free_igf1_ratio_stage4": ratio("ckd_stage4", "control_older", "igf1_free"),
        "igf1_ratio_dialysis": ratio("ckd_dialysis", "control_older", "igf1"),
        "free_igf1_ratio_dialysis": ratio("ckd_dialysis", "control_older", "igf1_free"),
        "mean_gh_ratio_dialysis": ratio("ckd_dialysis", "control_older", "mean_gh"),
        "production_ratio_dialysis": ratio("ckd_dialysis", "control_older", "production_ug"),
    }


def anorexia() -> dict[str, float]:
    """Women with anorexia nervosa (BMI 14.2) against normal-weight women (BMI 20.3), 18-30 y."""
    return {
        "igf1_ratio": ratio("anorexia", "control_women", "igf1"),
        "production_ratio": ratio("anorexia", "control_women", "production_ug"),
        "mean_gh_ratio": ratio("anorexia", "control_women", "mean_gh"),
        "nadir_gh_ratio": ratio("anorexia", "control_women", "nadir_gh"),
    }


def sex_steroids() -> dict[str, float]:
    """Castrate-level hypogonadism in men 57-77 y: GH secretion of eugonadal over hypogonadal men
    (Roelfsema 2018: estradiol add-back +60-70 %)."""
    return {"eugonadal_vs_hypogonadal_production": ratio("control_old_men", "hypogonadism", "production_ug")}


def acute_illness() -> dict[str, float]:
    """Critical illness (severity 1) against men 45-65 y (Gianotti 1998; Ross 1991)."""
    return {
        "igf1_ratio": ratio("acute_illness", "control_older", "igf1"),
        "nadir_gh_ratio": ratio("acute_illness", "control_older", "nadir_gh"),
        "mean_gh_ratio": ratio("acute_illness", "control_older", "mean_gh"),
    }


#: Scenario name -> function returning a dict of metrics.
SCENARIOS: dict = {
    "conditions_ghd_signatures": ghd_signatures,
    "conditions_laron": laron,
    "conditions_irradiation": irradiation,
    "conditions_cirrhosis": cirrhosis,
    "conditions_kidney": kidney,
    "conditions_igf1_generation": igf1_generation,
    "conditions_anorexia": anorexia,
    "conditions_sex_steroids": sex_steroids,
    "conditions_acute_illness": acute_illness,
}
