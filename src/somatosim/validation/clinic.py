"""Validation scenarios of the clinical lab: glucose-insulin and GH stimulation tests (issue 4);
their targets are in ``targets_clinic.toml``.

Every scenario uses virtual cohorts of :data:`COHORT_SIZE` (one size, so the engine compiles
once) and the stimulation-test runner of :mod:`somatosim.clinic.stimulation`: healthy adults
(20–65 y, half women), adults with GH deficiency of mixed causes
(:func:`somatosim.clinic.accuracy.ghd_cohort`), lean and obese adults, prepubertal children.
Test runs are cached and shared between scenarios.
"""

from __future__ import annotations

import dataclasses
from functools import cache

import numpy as np

#: Subjects per virtual cohort.
COHORT_SIZE = 60
SEED = 2026
#: Tests whose accuracy the suite checks (arginine alone, no longer recommended, only in the full
#: table of ``python -m somatosim.clinic.accuracy``).
ACCURACY_TESTS = ("insulin_tolerance", "ghrh_arginine", "glucagon", "macimorelin")
#: BMI of the lean and obese cohorts (kg/m²): middle of the ES 2011 bands < 25 and >= 30.
LEAN_BMI, OBESE_BMI = 22.0, 34.0


@cache
def _cohort(name: str) -> tuple:
    from somatosim.clinic.accuracy import ghd_cohort, healthy_cohort
    from somatosim.cohort import virtual_cohort

    if name == "healthy":
        return tuple(healthy_cohort(COHORT_SIZE, seed=SEED))
    if name == "ghd":
        return tuple(ghd_cohort(COHORT_SIZE, seed=SEED))
    if name in ("lean", "obese"):
        bmi = LEAN_BMI if name == "lean" else OBESE_BMI
        base = healthy_cohort(COHORT_SIZE, seed=SEED + 7, age=(30.0, 50.0))
        return tuple(dataclasses.replace(s, weight_kg=bmi * (s.height / 100.0) ** 2) for s in base)
    if name == "children":
        n = COHORT_SIZE // 2
        return tuple(virtual_cohort(n, sex="male", age=(6.0, 10.0), seed=SEED)
                     + virtual_cohort(COHORT_SIZE - n, sex="female", age=(6.0, 9.0), seed=SEED + 1))
    raise KeyError(name)


@cache
def _run(cohort: str, test: str) -> tuple:
    from somatosim.clinic.stimulation import run_stimulation_tests

    return tuple(run_stimulation_tests(list(_cohort(cohort)), test, seed=SEED))


def _peaks(cohort: str, test: str) -> np.ndarray:
    return np.array([r.peak_gh for r in _run(cohort, test)])


def _sexes(cohort: str) -> np.ndarray:
    return np.array([s.sex for s in _cohort(cohort)])


def glucose_fasting() -> dict[str, float]:
    """Fasting (08:00, overnight fast) glucose, insulin and HOMA-IR of healthy adults."""
    from somatosim.model.glucose import homa_ir

    rs = _run("healthy", "ogtt")
    g = np.array([r.glucose_baseline for r in rs])
    i = np.array([r.insulin[0] for r in rs])
    return {"fasting_glucose": float(np.median(g)), "fasting_insulin": float(np.median(i)),
            "homa_ir": float(np.median(homa_ir(g, i)))}


def ogtt() -> dict[str, float]:
    """75-g oral glucose in healthy adults: GH nadir (0–120 min samples), glucose at 2 h, GH
    rebound (largest simulated GH 150–300 min after the drink relative to the basal GH)."""
    rs = _run("healthy", "ogtt")
    nadir = np.array([r.nadir_gh for r in rs])
    two_h = np.array([r.glucose[-1] for r in rs])
    peak_g = np.array([r.trace_glucose[(r.trace_time >= 0) & (r.trace_time <= 120)].max() for r in rs])
    return {"gh_nadir_median": float(np.median(nadir)), "share_suppressed": float(np.mean(nadir < 1.0)),
            "glucose_2h": float(np.median(two_h)), "glucose_peak": float(np.median(peak_g))}


def insulin_tolerance() -> dict[str, float]:
    """ITT (0.1 U/kg; 0.15 U/kg from BMI 30) in healthy and GH-deficient adults."""
    rs = _run("healthy", "insulin_tolerance")
    peaks = np.array([r.peak_gh for r in rs])
    adequate = np.array([bool(r.adequate_hypoglycaemia) for r in rs])
    times = np.array([r.peak_time for r in rs])
    ghd = _peaks("ghd", "insulin_tolerance")
    return {
        "healthy_nadir": float(np.median([r.glucose_nadir for r in rs])),
        "share_adequate": float(adequate.mean()),
        "healthy_peak_mean": float(peaks[adequate].mean()),
        "healthy_peak_median": float(np.median(peaks[adequate])),
        "healthy_peak_time": float(np.median(times[adequate])),
        "ghd_peak_mean": float(ghd.mean()),
    }


def ghrh_arginine() -> dict[str, float]:
    """GHRH + arginine: healthy men and women, GHD, and the fall of peaks with BMI."""
    peaks, sex = _peaks("healthy", "ghrh_arginine"), _sexes("healthy")
    lean, obese = _peaks("lean", "ghrh_arginine"), _peaks("obese", "ghrh_arginine")
    return {
        "men_median": float(np.median(peaks[sex == "male"])),
        "women_median": float(np.median(peaks[sex == "female"])),
        "ghd_max": float(_peaks("ghd", "ghrh_arginine").max()),
        "obese_lean_ratio": float(np.median(obese) / np.median(lean)),
    }


def glucagon() -> dict[str, float]:
    """Glucagon stimulation test: healthy and GHD peaks, time of the healthy peak."""
    rs = _run("healthy", "glucagon")
    return {
        "healthy_peak_mean": float(np.mean([r.peak_gh for r in rs])),
        "healthy_peak_time": float(np.median([r.peak_time for r in rs])),
        "glucose_peak_time": float(np.median([r.times[int(np.argmax(r.glucose))] for r in rs])),
        "ghd_peak_mean": float(_peaks("ghd", "glucagon").mean()),
    }


def macimorelin() -> dict[str, float]:
    """Macimorelin 0.5 mg/kg: healthy and GHD peaks."""
    return {"healthy_peak_mean": float(_peaks("healthy", "macimorelin").mean()),
            "ghd_peak_mean": float(_peaks("ghd", "macimorelin").mean())}


def clonidine_children() -> dict[str, float]:
    """Clonidine 0.15 mg/m² in prepubertal children (6–10 y)."""
    p = _peaks("children", "clonidine")
    return {"peak_mean": float(p.mean()), "peak_p5": float(np.percentile(p, 5))}


def stimulation_accuracy() -> dict[str, float]:
    """Sensitivity, specificity and ROC AUC at the guideline cut-offs in the healthy and GHD cohorts."""
    from somatosim.clinic.accuracy import accuracy_table, cause_of

    causes = [cause_of(s) for s in _cohort("healthy") + _cohort("ghd")]
    results = {t: list(_run("healthy", t)) + list(_run("ghd", t)) for t in ACCURACY_TESTS}
    table = accuracy_table(results, causes).set_index("test")
    out = {}
    for t in ACCURACY_TESTS:
        out[f"{t}_sensitivity"] = float(table.loc[t, "sensitivity"])
        out[f"{t}_specificity"] = float(table.loc[t, "specificity"])
        out[f"{t}_auc"] = float(table.loc[t, "auc"])
    out["ghrh_arginine_hypothalamic_sensitivity"] = float(table.loc["ghrh_arginine", "hypothalamic_sensitivity"])
    return out


#: Scenario name -> function returning a dict of metrics.
SCENARIOS: dict = {
    "clinic_glucose_fasting": glucose_fasting,
    "clinic_ogtt": ogtt,
    "clinic_insulin_tolerance": insulin_tolerance,
    "clinic_ghrh_arginine": ghrh_arginine,
    "clinic_glucagon": glucagon,
    "clinic_macimorelin": macimorelin,
    "clinic_clonidine_children": clonidine_children,
    "clinic_stimulation_accuracy": stimulation_accuracy,
}
