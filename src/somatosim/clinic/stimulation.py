"""GH stimulation tests as virtual experiments: protocols, runner and interpretation.

A test is given at 08:00 (``stim_test_start``) after the overnight fast every protocol asks for:
the subject sleeps their habitual night, skips breakfast, and receives the test drug(s) as
schedule events (:mod:`somatosim.clinic.drugs`) with doses computed from their weight, body
surface or age as the protocol says. Blood is sampled at the protocol's times; GH goes through
the GH assay (:mod:`somatosim.assay`, seeded), glucose and insulin are read as simulated. The
peak GH is read against the guideline cut-off that applies (:mod:`somatosim.clinic.cutoffs`),
with the ITT's check of adequate hypoglycaemia and each test's safety notes.

Each test acts through its own mechanism in the model:

* **insulin tolerance** — an i.v. insulin bolus lowers glucose; hypoglycaemia drives GHRH
  neurones and withdraws somatostatin (the glucose coupling of :mod:`somatosim.model.glucose`);
* **GHRH** — exogenous GHRH acts directly on the somatotrophs;
* **arginine** — withdraws hypothalamic somatostatin, so that endogenous GHRH can act;
* **GHRH + arginine** — both at once;
* **macimorelin** — an oral ghrelin-receptor agonist (pituitary and hypothalamus);
* **glucagon** — raises glucose, then GH rises late, through the glucose fall and a delayed
  central action;
* **clonidine** — an α2-agonist that stimulates GHRH neurones (children);
* **OGTT** (suppression test) — 75 g oral glucose raises glucose, which raises somatostatin
  tone and suppresses GH.

Public API: :func:`run_stimulation_test` (one subject), :func:`run_stimulation_tests` (a cohort
in one batched simulation), :class:`StimulationTestResult`, :data:`PROTOCOLS`.

For research and teaching only; not a medical device and not medical advice.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from somatosim._validation import InputError, OneOf, check
from somatosim.assay import DEFAULT_GH_ASSAY, Assay, measure
from somatosim.clinic import cutoffs as co
from somatosim.clinic import drugs
from somatosim.params import ParameterSet, load_parameters
from somatosim.schedule import Meal, Schedule, SleepPeriod
from somatosim.subject import Subject

__all__ = [
    "DISCLAIMER",
    "PROTOCOLS",
    "Protocol",
    "StimulationTestResult",
    "protocol_events",
    "run_stimulation_test",
    "run_stimulation_tests",
]

DISCLAIMER = "For research and teaching only; not a medical device and not medical advice."

#: Minutes simulated on day 0 (the test starts at ``stim_test_start`` = 480 min and the longest
#: protocol samples 240 min): one length for every test, so the engine compiles once per cohort size.
RUN_MIN = 740.0
#: Noise stream of the GH assay for stimulation tests (independent of the pulse-study streams).
_ASSAY_STREAM = 11
#: The basal (time-0) sample is drawn this many minutes before dosing, so that it never holds
#: any drug effect (the engine interpolates inputs within a step).
_BASAL_LEAD_MIN = 1.0
#: Glucose unit conversion (mg/dL per mmol/L).
_MGDL_PER_MMOL = 18.016


@dataclass(frozen=True)
class Protocol:
    """A stimulation (or suppression) test as the clinic runs it.

    ``sampling_min`` are blood-sampling times after dosing (min) for adults,
    ``sampling_child_min`` for children (None: same); ``duration_min`` the last sample.
    """

    key: str
    label: str
    mechanism: str
    sampling_min: tuple[float, ...]
    sources: tuple[str, ...]
    sampling_child_min: tuple[float, ...] | None = None
    readout: str = "peak"  # "peak" (stimulation) or "nadir" (suppression)

    def sampling(self, population: str) -> tuple[float, ...]:
        if population == "child" and self.sampling_child_min is not None:
            return self.sampling_child_min
        return self.sampling_min


_Q30_120 = (0.0, 30.0, 60.0, 90.0, 120.0)

#: The protocols (clinical_reference.md §2.2 and §2.4).
PROTOCOLS: dict[str, Protocol] = {p.key: p for p in (
    Protocol("insulin_tolerance", "Insulin tolerance test (ITT)",
             "IV insulin → hypoglycaemia → GHRH release and somatostatin withdrawal",
             (0.0, 15.0, 30.0, 45.0, 60.0, 90.0, 120.0), ("itt_protocol",)),
    Protocol("ghrh_arginine", "GHRH + arginine",
             "exogenous GHRH on the somatotrophs + arginine withdrawing somatostatin",
             (0.0, 30.0, 45.0, 60.0, 90.0, 120.0), ("adult_protocols",)),
    Protocol("glucagon", "Glucagon stimulation test (GST)",
             "IM glucagon → glucose rise and fall + delayed central action on GHRH neurones",
             (0.0, 30.0, 60.0, 90.0, 120.0, 150.0, 180.0, 210.0, 240.0), ("yuen2011",),
             sampling_child_min=(0.0, 30.0, 60.0, 90.0, 120.0, 150.0, 180.0)),
    Protocol("macimorelin", "Macimorelin (oral ghrelin agonist)",
             "oral GH secretagogue (ghrelin-receptor agonist) on pituitary and hypothalamus",
             (0.0, 30.0, 45.0, 60.0, 90.0), ("adult_protocols", "garcia2018")),
    Protocol("arginine", "Arginine", "arginine withdrawing hypothalamic somatostatin",
             _Q30_120, ("adult_protocols", "paediatric_protocols")),
    Protocol("clonidine", "Clonidine", "oral α2-agonist stimulating GHRH neurones",
             _Q30_120, ("paediatric_protocols",)),
    Protocol("ghrh", "GHRH", "exogenous GHRH on the somatotrophs",
             (0.0, 15.0, 30.0, 45.0, 60.0), ("paediatric_protocols",)),
    Protocol("ogtt", "Oral glucose tolerance test (GH suppression)",
             "oral glucose → hyperglycaemia → somatostatin → GH suppression",
             (0.0, 30.0, 60.0, 90.0, 120.0), ("katznelson2014",), readout="nadir"),
)}

_TESTS = tuple(PROTOCOLS)

#: Safety and validity notes of each test: (population, text, sources).
_NOTES: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "insulin_tolerance": (
        ("adult", ("Contraindicated in epilepsy, ischaemic heart disease and the elderly; needs close "
                  "supervision."), ("itt_protocol",)),
        ("any", ("Valid only with adequate hypoglycaemia (glucose < 40 mg/dL = 2.2 mmol/L; children also "
                "< 50 % of baseline)."), ("itt_protocol",)),
        ("child", ("Physician supervision required; the only paediatric stimulation test with reported "
                  "fatalities."), ("paediatric_protocols",)),
    ),
    "ghrh_arginine": (
        ("any", ("GHRH acts directly on the pituitary: hypothalamic (e.g. post-irradiation) GHD can give a "
                "false-normal response."), ("oncohemakey",)),
        ("adult", "GHRH has been unavailable in the USA since 2008.", ("adult_protocols",)),
    ),
    "ghrh": (
        ("any", "GHRH acts directly on the pituitary: hypothalamic GHD can give a false-normal response.",
         ("oncohemakey",)),
    ),
    "glucagon": (
        ("any", ("Nausea in about 30 % and vomiting in about 10 %; late hypoglycaemia is possible; avoid after "
                "> 48 h of fasting."), ("yuen2011", "adult_protocols")),
        ("adult", ("The GH response follows the depth of the late glucose fall (nadir <= 60 mg/dL gave a "
                  "response in every control)."), ("kawalec2024",)),
    ),
    "macimorelin": (
        ("adult", ("Avoid drugs that prolong QT and strong CYP3A4 inducers; performance not established at "
                  "BMI > 40 kg/m² (trial enrolled BMI < 37)."), ("macrilen_label", "garcia2018")),
        ("child", "Approved for adult GHD only; no paediatric cut-off.", ("adult_protocols",)),
    ),
    "arginine": (
        ("adult", "No longer recommended in adults (poor secretagogue; cut-off 0.4 µg/L).",
         ("aace2019", "endotext")),
    ),
    "clonidine": (
        ("adult", "A paediatric test; not used in adults (no adult cut-off).", ("adult_protocols",)),
        ("child", "Drowsiness and a fall in blood pressure are expected; monitor for hypotension.",
         ("paediatric_protocols",)),
    ),
    "ogtt": (
        ("any", "A suppression test for GH excess: normal suppression is a GH nadir < 1 µg/L.",
         ("katznelson2014",)),
    ),
}

#: GH nadir (µg/L) below which an OGTT shows normal suppression (Katznelson 2014, [M]).
OGTT_SUPPRESSION_NADIR = 1.0


@dataclass(frozen=True)
class StimulationTestResult:
    """One simulated stimulation test of one subject.

    Times are minutes after dosing. ``gh`` holds the assayed GH at the sampling times (what a lab
    reports), ``gh_true`` the simulated serum GH there; ``trace_*`` are 1-min simulated traces
    from 30 min before dosing to the end of the record. Glucose is in mg/dL, insulin in µU/mL.
    ``result`` is ``"deficient"``, ``"sufficient"``, ``"not_interpretable"`` (ITT without
    adequate hypoglycaemia and a peak below the cut-off), ``"no_cutoff"``, or for the OGTT
    ``"suppressed"``/``"not_suppressed"``.
    """

    test: str
    label: str
    subject: Subject
    seed: int
    doses: Mapping[str, str]
    population: str
    times: np.ndarray
    gh: np.ndarray
    gh_true: np.ndarray
    glucose: np.ndarray
    insulin: np.ndarray
    trace_time: np.ndarray
    trace_gh: np.ndarray
    trace_glucose: np.ndarray
    trace_insulin: np.ndarray
    peak_gh: float
    peak_time: float
    nadir_gh: float
    glucose_baseline: float
    glucose_nadir: float
    glucose_nadir_time: float
    adequate_hypoglycaemia: bool | None
    cutoff: co.Cutoff | None
    result: str
    notes: tuple[tuple[str, tuple[str, ...]], ...]
    mechanism: str
    assay: str
    disclaimer: str = DISCLAIMER
    pretest: str = "high"
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def bmi(self) -> float:
        return self.subject.bmi

    def summary(self) -> str:
        """One line: test, peak and reading (for reports and the CLI)."""
        if self.test == "ogtt":
            return (f"{self.label}: GH nadir {self.nadir_gh:.2f} µg/L → {self.result.replace('_', ' ')} "
                    f"(normal < {OGTT_SUPPRESSION_NADIR:g} µg/L)")
        cut = self.cutoff.describe() if self.cutoff else "no cut-off for this population"
        hyp = ""
        if self.adequate_hypoglycaemia is not None:
            hyp = (f"; glucose nadir {self.glucose_nadir:.0f} mg/dL "
                   f"({'adequate' if self.adequate_hypoglycaemia else 'NOT adequate'} hypoglycaemia)")
        return (f"{self.label}: peak GH {self.peak_gh:.2f} µg/L at {self.peak_time:.0f} min → "
                f"{self.result.replace('_', ' ')} [{cut}]{hyp}")

    def as_lab_result(self) -> dict[str, Any]:
        """The fields of :class:`somatosim.clinic.interpretation.StimulationResult` (a dict), to feed
        :func:`somatosim.clinic.interpretation.with_stimulation`. Not defined for the OGTT."""
        if self.test == "ogtt":
            raise InputError("test = 'ogtt' is not allowed here: the OGTT is a suppression test, not a "
                             "GH stimulation result")
        out: dict[str, Any] = {
            "test": self.test, "peak_gh": float(self.peak_gh), "gh_unit": "ug/L",
            "origin": f"somatosim simulation (seed {self.seed})",
        }
        if self.test == "insulin_tolerance":
            out.update(glucose_nadir=float(self.glucose_nadir), glucose_baseline=float(self.glucose_baseline),
                       glucose_unit="mg/dL")
        if self.test == "glucagon":
            out["glucagon_dose"] = "fixed" if self.population == "adult" else "weight_based"
        return out

    def table(self):
        """Sampled values as a :class:`pandas.DataFrame` (one row per sample)."""
        import pandas as pd

        return pd.DataFrame({
            "time_min": self.times, "gh_ug_l": self.gh, "gh_true_ug_l": self.gh_true,
            "glucose_mg_dl": self.glucose, "glucose_mmol_l": self.glucose / _MGDL_PER_MMOL,
            "insulin_uU_ml": self.insulin,
        })

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (sampled values, readout, cut-off with sources, notes)."""
        s = self.subject
        cut = None
        if self.cutoff is not None:
            cut = {"value_ug_l": self.cutoff.value, "comparison": self.cutoff.comparison,
                   "label": self.cutoff.label,
                   "sources": [co.SOURCES[k].citation for k in self.cutoff.sources]}
        return {
            "test": self.test, "label": self.label, "mechanism": self.mechanism,
            "subject": {"age": s.age, "sex": s.sex, "height_cm": s.height, "weight_kg": s.weight,
                        "bmi": round(s.bmi, 2), "conditions": [getattr(c, "name", repr(c)) for c in s.conditions]},
            "seed": self.seed, "population": self.population, "doses": dict(self.doses),
            "pretest_probability": self.pretest,
            "samples": self.table().to_dict(orient="list"),
            "peak_gh_ug_l": self.peak_gh, "peak_time_min": self.peak_time, "nadir_gh_ug_l": self.nadir_gh,
            "glucose_baseline_mg_dl": self.glucose_baseline, "glucose_nadir_mg_dl": self.glucose_nadir,
            "glucose_nadir_time_min": self.glucose_nadir_time,
            "adequate_hypoglycaemia": self.adequate_hypoglycaemia,
            "cutoff": cut, "result": self.result, "summary": self.summary(),
            "notes": [{"text": t, "sources": [co.SOURCES[k].citation for k in src]} for t, src in self.notes],
            "assay": self.assay, "disclaimer": self.disclaimer, **dict(self.extra),
        }


# ----------------------------------------------------------------------------------- protocols

def _doses(test: str, subject: Subject, p: Mapping[str, float], insulin_dose: float | None) -> dict[str, float]:
    """Doses of a test for a subject (amounts the protocol prescribes)."""
    w = subject.weight
    child = co.population_of(subject.age) == "child"
    out: dict[str, float] = {}
    if test == "insulin_tolerance":
        per_kg = insulin_dose
        if per_kg is None:
            per_kg = p["stim_itt_dose_insulin_resistant"] if subject.bmi >= p["stim_itt_obese_bmi"] else p["stim_itt_dose"]
        out["insulin_u_per_kg"] = float(per_kg)
        out["insulin_u"] = float(per_kg) * w
    if test in ("ghrh", "ghrh_arginine"):
        out["ghrh_ug_per_kg"] = p["stim_ghrh_dose"]
    if test in ("arginine", "ghrh_arginine"):
        out["arginine_g"] = min(p["stim_arginine_dose"] * w, p["stim_arginine_max_dose"])
    if test == "macimorelin":
        out["macimorelin_mg_per_kg"] = p["stim_macimorelin_dose"]
    if test == "glucagon":
        if child:
            out["glucagon_mg"] = min(p["stim_glucagon_dose_child"] * w, p["stim_glucagon_max_dose_child"])
        else:
            out["glucagon_mg"] = p["stim_glucagon_dose_heavy"] if w > p["stim_glucagon_heavy_weight"] else p["stim_glucagon_dose"]
    if test == "clonidine":
        out["clonidine_mg_per_m2"] = p["stim_clonidine_dose"]
        out["clonidine_mg"] = p["stim_clonidine_dose"] * subject.bsa
    if test == "ogtt":
        out["glucose_g"] = p["stim_ogtt_glucose"]
    return out


def _describe_doses(d: Mapping[str, float]) -> dict[str, str]:
    text = {
        "insulin_u": lambda v: f"regular insulin {v:.1f} U IV ({d['insulin_u_per_kg']:g} U/kg)",
        "ghrh_ug_per_kg": lambda v: f"GHRH(1-44) {v:g} µg/kg IV bolus",
        "arginine_g": lambda v: f"L-arginine {v:.1f} g IV over 30 min",
        "macimorelin_mg_per_kg": lambda v: f"macimorelin {v:g} mg/kg orally",
        "glucagon_mg": lambda v: f"glucagon {v:.2f} mg IM",
        "clonidine_mg": lambda v: f"clonidine {1000 * v:.0f} µg orally ({d['clonidine_mg_per_m2']:g} mg/m²)",
        "glucose_g": lambda v: f"glucose {v:g} g orally",
    }
    return {k: f(d[k]) for k, f in text.items() if k in d}


def protocol_events(test: str, subject: Subject, start: float, p: Mapping[str, float],
                    insulin_dose: float | None = None) -> tuple[tuple, tuple[Meal, ...], dict[str, float]]:
    """(events, meals, doses) of ``test`` for ``subject`` dosed at ``start`` (min from midnight)."""
    check("test", test, OneOf(_TESTS))
    d = _doses(test, subject, p, insulin_dose)
    events: list = []
    meals: tuple[Meal, ...] = ()
    if test == "insulin_tolerance":
        events.append(drugs.InsulinBolus(start, d["insulin_u"]))
    if "ghrh_ug_per_kg" in d:
        events.append(drugs.GHRHBolus(start, d["ghrh_ug_per_kg"]))
    if "arginine_g" in d:
        events.append(drugs.ArginineInfusion(start, d["arginine_g"], subject.weight, p["stim_arginine_infusion_time"]))
    if test == "macimorelin":
        events.append(drugs.MacimorelinDose(start, d["macimorelin_mg_per_kg"]))
    if test == "glucagon":
        events.append(drugs.GlucagonInjection(start, d["glucagon_mg"], subject.weight))
    if test == "clonidine":
        events.append(drugs.ClonidineDose(start, d["clonidine_mg_per_m2"]))
    if test == "ogtt":
        # a glucose drink: the meal channel (absorption and the ghrelin fall) with carbohydrate only
        meals = (Meal(start, energy_kcal=4.0 * d["glucose_g"], protein_g=0.0, carbohydrate_g=d["glucose_g"]),)
    return tuple(events), meals, d


def _test_schedule(subject: Subject, start: float, events: tuple, meals: tuple) -> Schedule:
    """The habitual night before the test (woken by the test if still asleep), no breakfast."""
    sleep = []
    for day in (-1, 0):
        s0 = subject.sleep_onset_h * 60.0 + 1440.0 * day
        s1 = min(s0 + subject.sleep_duration_h * 60.0, start)
        if s1 > s0:
            sleep.append(SleepPeriod(s0, s1))
    return Schedule(sleep=tuple(sleep), meals=meals, events=events)


# ------------------------------------------------------------------------------------ runner

def run_stimulation_tests(
    subjects: Sequence[Subject],
    test: str,
    *,
    seed: int = 0,
    variability: bool = True,
    overrides: dict[str, float] | None = None,
    pretest: str = "high",
    insulin_dose: float | None = None,
    assay: Assay = DEFAULT_GH_ASSAY,
    parameters: ParameterSet | None = None,
) -> list[StimulationTestResult]:
    """Run ``test`` in every subject of a cohort (one batched simulation).

    Parameters
    ----------
    subjects : sequence of Subject
        Subject ``i`` gets the random effects and GHRH-drive noise of stream ``(seed, i)``, so the
        same cohort and seed gives the same people whatever the test.
    test : str
        One of :data:`PROTOCOLS` (``insulin_tolerance``, ``ghrh_arginine``, ``glucagon``,
        ``macimorelin``, ``arginine``, ``clonidine``, ``ghrh``, ``ogtt``).
    seed : int
        Seeds the simulation and the GH assay noise.
    variability : bool
        Between-person random effects (False: the typical person of each trait set).
    overrides : dict, optional
        Parameter values imposed on every subject (e.g. ``{"somatotroph_capacity": 0.05}``).
    pretest : {"high", "low"}
        Pre-test probability of GHD (chooses the AACE 2019 glucagon cut-off at BMI 25–30).
    insulin_dose : float, optional
        ITT insulin dose, U/kg (default 0.1, or 0.15 from BMI 30 kg/m²).
    assay : Assay
        GH assay applied to the samples (default 5 % CV, detection limit 0.05 µg/L).
    """
    from somatosim.simulation import simulate

    check("test", test, OneOf(_TESTS))
    check("pretest", pretest, OneOf(("high", "low")))
    subjects = [subjects] if isinstance(subjects, Subject) else list(subjects)
    if not subjects or not all(isinstance(s, Subject) for s in subjects):
        raise InputError("subjects: expected a Subject or a non-empty sequence of Subject")
    if insulin_dose is not None and (isinstance(insulin_dose, bool) or not isinstance(insulin_dose, (int, float))
                                     or not math.isfinite(insulin_dose) or not 0.0 < insulin_dose <= 0.3):
        raise InputError(f"insulin_dose = {insulin_dose!r} is not allowed: expected a number in (0, 0.3] U/kg")
    base = parameters or load_parameters()
    p = base.floats()
    start = p["stim_test_start"]
    if not 0.0 <= start <= RUN_MIN - 250.0:
        raise InputError(f"stim_test_start = {start!r} is not allowed: expected 0 to {RUN_MIN - 250:g} min")
    protocol = PROTOCOLS[test]
    planned = [protocol_events(test, s, start, p, insulin_dose) for s in subjects]
    schedules = [_test_schedule(s, start, ev, meals) for s, (ev, meals, _) in zip(subjects, planned)]
    ds = simulate(subjects, RUN_MIN / 1440.0, seed=seed, schedule=schedules, variability=variability,
                  overrides=overrides, outputs=("gh", "glucose", "insulin"), parameters=base)
    t = ds.time.values - start
    keep = t >= -30.0
    out = []
    for i, s in enumerate(subjects):
        population = co.population_of(s.age)
        times = np.array(protocol.sampling(population))
        idx = np.searchsorted(t, np.where(times <= 0.0, times - _BASAL_LEAD_MIN, times) - 1e-6)
        gh_true = ds.gh.values[i, idx]
        measured, _ = measure(gh_true, assay, np.random.default_rng([int(seed), _ASSAY_STREAM, i]))
        glucose = ds.glucose.values[i, idx]
        insulin = ds.insulin.values[i, idx]
        out.append(_read(protocol, s, seed, population, planned[i][2], times, measured, gh_true, glucose, insulin,
                         t[keep], ds.gh.values[i, keep], ds.glucose.values[i, keep], ds.insulin.values[i, keep],
                         p, pretest, assay))
    return out


def run_stimulation_test(
    subject: Subject,
    test: str,
    *,
    seed: int = 0,
    variability: bool = True,
    overrides: dict[str, float] | None = None,
    pretest: str = "high",
    insulin_dose: float | None = None,
    assay: Assay = DEFAULT_GH_ASSAY,
    parameters: ParameterSet | None = None,
) -> StimulationTestResult:
    """Run one stimulation test in one subject (see :func:`run_stimulation_tests`).

    Example
    -------
    >>> from somatosim import Subject
    >>> r = run_stimulation_test(Subject(age=45, sex="male", weight_kg=85), "insulin_tolerance", seed=1)
    >>> r.peak_gh, r.result  # doctest: +SKIP
    """
    if not isinstance(subject, Subject):
        raise InputError(f"subject = {subject!r} is not allowed: expected a Subject")
    return run_stimulation_tests([subject], test, seed=seed, variability=variability, overrides=overrides,
                                 pretest=pretest, insulin_dose=insulin_dose, assay=assay, parameters=parameters)[0]


def _read(protocol, subject, seed, population, doses, times, gh, gh_true, glucose, insulin,
          tt, tgh, tglu, tins, p, pretest, assay) -> StimulationTestResult:
    test = protocol.key
    j = int(np.argmax(gh))
    k = int(np.argmin(glucose))
    baseline = float(glucose[0])
    nadir = float(glucose[k])
    adequate = None
    if test == "insulin_tolerance":
        adequate = nadir < p["stim_itt_adequate_glucose"]
        if population == "child":
            adequate = adequate or nadir < p["stim_itt_adequate_fraction_child"] * baseline
    cutoff = None
    if test == "ogtt":
        result = "suppressed" if float(gh.min()) < OGTT_SUPPRESSION_NADIR else "not_suppressed"
    else:
        cutoff = co.select_cutoff(test, age=subject.age, bmi=subject.bmi, pretest=pretest)
        result = co.classify(float(gh[j]), cutoff)
        if adequate is False and result == "deficient":
            result = "not_interpretable"
    notes = [(text, src) for pop, text, src in _NOTES.get(test, ()) if pop in ("any", population)]
    notes += _warnings(test, subject, population, adequate, nadir, p)
    return StimulationTestResult(
        test=test, label=protocol.label, subject=subject, seed=int(seed), doses=_describe_doses(doses),
        population=population, times=times, gh=gh, gh_true=gh_true, glucose=glucose, insulin=insulin,
        trace_time=tt, trace_gh=tgh, trace_glucose=tglu, trace_insulin=tins,
        peak_gh=float(gh[j]), peak_time=float(times[j]), nadir_gh=float(gh.min()),
        glucose_baseline=baseline, glucose_nadir=nadir, glucose_nadir_time=float(times[k]),
        adequate_hypoglycaemia=adequate, cutoff=cutoff, result=result, notes=tuple(notes),
        mechanism=protocol.mechanism, assay=assay.describe(), pretest=pretest,
    )


def _warnings(test, subject, population, adequate, nadir, p) -> list[tuple[str, tuple[str, ...]]]:
    """Subject-specific safety and validity warnings."""
    out = []
    if test == "insulin_tolerance" and adequate is False:
        out.append(((f"Glucose nadir {nadir:.0f} mg/dL ({nadir / _MGDL_PER_MMOL:.1f} mmol/L): hypoglycaemia was "
                    "NOT adequate; a peak below the cut-off cannot be read as GHD (repeat with a higher "
                    "insulin dose or use another test)."), ("itt_protocol",)))
    if test == "macimorelin" and subject.bmi > 40.0:
        out.append(((f"BMI {subject.bmi:.1f} kg/m²: macimorelin's diagnostic performance is not established "
                    "above 40 kg/m²."), ("macrilen_label",)))
    if test in ("ghrh_arginine", "glucagon") and population == "adult":
        out.append((f"BMI {subject.bmi:.1f} kg/m² chose the cut-off (peaks fall with BMI).",
                    ("corneli2005",) if test == "ghrh_arginine" else ("aace2019",)))
    return out
