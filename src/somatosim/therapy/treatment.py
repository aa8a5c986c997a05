"""``simulate_treatment``: a fixed treatment (one or more regimens) for one subject or a cohort.

The injections become schedule events and :func:`somatosim.simulate` integrates them exactly
(full resolution). The result is the simulation's dataset plus IGF-1 SDS for age and sex
(:func:`somatosim.igf1_sds`, Bidlingmaier 2014 reference) and per-day summaries.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
import xarray as xr

from somatosim._validation import InputError
from somatosim.clinic.igf1 import igf1_sds
from somatosim.params import ParameterSet
from somatosim.schedule import MIN_PER_DAY, Schedule
from somatosim.simulation import simulate
from somatosim.subject import Subject
from somatosim.therapy.course import OUTPUTS, RECORD_MIN
from somatosim.therapy.products import default_parameters
from somatosim.therapy.regimens import Regimen, check_plan, plan_events

DISCLAIMER = "For research and teaching only; not a medical device and not medical advice."


def _plans(subjects: list[Subject], regimens) -> list[tuple[Regimen, ...]]:
    """One validated plan per subject from a plan (sequence of Regimen) or a list of plans."""
    if isinstance(regimens, Regimen):
        regimens = [regimens]
    regimens = list(regimens)
    if regimens and all(isinstance(r, (list, tuple)) for r in regimens):
        if len(regimens) != len(subjects):
            raise InputError(f"regimens: expected one plan per subject ({len(subjects)}), got {len(regimens)}")
        return [check_plan(r, f"regimens[{i}]") if len(r) else () for i, r in enumerate(regimens)]
    plan = check_plan(regimens)
    return [plan] * len(subjects)


def sds_of(igf1: np.ndarray, subjects: Sequence[Subject]) -> np.ndarray:
    """IGF-1 SDS (subject × time) of total IGF-1 values for each subject's age and sex."""
    ages = np.array([s.age for s in subjects])[:, None]
    sexes = np.array([s.sex for s in subjects])[:, None]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(igf1_sds(np.maximum(igf1, 1e-3), ages, sexes, check_unit=False), dtype=float)


def simulate_treatment(subjects: Subject | Sequence[Subject], regimens, days: float, *, seed: int = 0,
                       record_interval: float = RECORD_MIN, variability: bool = True,
                       overrides: dict | None = None, progress: bool = False,
                       parameters: ParameterSet | None = None) -> xr.Dataset:
    """Simulate GH therapy at full resolution.

    Parameters
    ----------
    subjects : Subject or sequence of Subject
        E.g. :func:`~somatosim.therapy.ghd_patient`.
    regimens : Regimen, sequence of Regimen (one plan for all), or list of plans (one per subject;
        an empty plan is an untreated control)
    days : float
        Length of the run (whole days).
    seed, record_interval, variability, overrides, progress, parameters
        As for :func:`somatosim.simulate` (``parameters`` also feeds the product PK).

    Returns
    -------
    xarray.Dataset
        :data:`~somatosim.therapy.course.OUTPUTS` plus ``igf1_sds`` (subject, time) and the
        injections (``injection_time`` min, ``injection_mg``) as attributes-free variables with an
        ``injection`` dimension.
    """
    subjects = [subjects] if isinstance(subjects, Subject) else list(subjects)
    plans = _plans(subjects, regimens)
    p = default_parameters()
    events = [plan_events(s, plan, days, p) if plan else [] for s, plan in zip(subjects, plans)]
    scheds = [Schedule.habitual(s, 0, int(np.ceil(days))).with_events(*e) for s, e in zip(subjects, events)]
    ds = simulate(subjects, days, seed=seed, schedule=scheds, record_interval=record_interval,
                  variability=variability, overrides=overrides, outputs=OUTPUTS, progress=progress,
                  parameters=parameters)
    ds["igf1_sds"] = (("subject", "time"), sds_of(ds.igf1_total.values, subjects),
                      {"units": "SDS", "long_name": "IGF-1 SDS for age and sex (Bidlingmaier 2014, IDS-iSYS)"})
    n_inj = max(len(e) for e in events) if events else 0
    times = np.full((len(subjects), n_inj), np.nan)
    mg = np.full((len(subjects), n_inj), np.nan)
    for i, e in enumerate(events):
        times[i, :len(e)] = [x.start for x in e]
        mg[i, :len(e)] = [x.amount_mg for x in e]
    ds["injection_time"] = (("subject", "injection"), times, {"units": "min"})
    ds["injection_mg"] = (("subject", "injection"), mg, {"units": "mg"})
    ds.attrs["regimens"] = "; ".join(" + ".join(_describe(r) for r in plan) for plan in dict.fromkeys(plans))
    ds.attrs["disclaimer"] = DISCLAIMER
    return ds


def paired_overrides(subjects: Sequence[Subject], copies: int, seed: int) -> dict[str, np.ndarray]:
    """Parameter overrides that give ``copies`` stacked copies of ``subjects`` the same
    between-person random effects (drawn once per subject with ``seed``): run them with
    ``variability=False``."""
    from somatosim.subject import RANDOM_EFFECTS, subject_parameters

    p = subject_parameters(list(subjects), seed=seed, variability=True)
    return {name: np.tile(p[name], copies) for name in RANDOM_EFFECTS}


def simulate_arms(subjects: Sequence[Subject], arms: dict, days: float, *, seed: int = 0,
                  variability: bool = True, **kw) -> dict[str, xr.Dataset]:
    """Every subject on every arm (``{label: plan}``; an empty plan is untreated), the same person
    in each arm: the between-person random effects are drawn once per subject and imposed on all
    their runs (each run still has its own stochastic GHRH drive). Returns ``{label: Dataset}``.
    """
    subjects = list(subjects)
    n, labels = len(subjects), list(arms)
    overrides = dict(kw.pop("overrides", None) or {})
    if variability:
        for name, v in paired_overrides(subjects, len(labels), seed).items():
            overrides.setdefault(name, v)
    runs = subjects * len(labels)
    plans = [list(arms[label]) for label in labels for _ in subjects]
    ds = simulate_treatment(runs, plans, days, seed=seed, variability=False, overrides=overrides or None, **kw)
    return {label: ds.isel(subject=slice(k * n, (k + 1) * n)) for k, label in enumerate(labels)}


def _describe(r: Regimen) -> str:
    stop = "" if r.stop_day is None else f" until day {r.stop_day:g}"
    extra = f", {len(r.missed)} missed" if r.missed else ""
    changes = "".join(f", {d} from day {day:g}" for day, d in r.changes)
    return f"{r.product} {r.dose} from day {r.start_day:g}{stop} at {r.clock_h:g} h{changes}{extra}"


def daily_summary(ds: xr.Dataset, sample_clock_h: float | None = None) -> pd.DataFrame:
    """One row per subject and day: morning IGF-1 (ng/mL and SDS), daily mean and peak GH,
    mean GH-equivalent analogue."""
    clock = default_parameters()["rx_sample_clock"] if sample_clock_h is None else sample_clock_h
    t = ds.time.values
    n_days = int(np.floor(t[-1] / MIN_PER_DAY)) + 1
    rows = []
    for i in range(ds.sizes["subject"]):
        for d in range(n_days):
            day = (t >= d * MIN_PER_DAY) & (t < (d + 1) * MIN_PER_DAY)
            if not day.any():
                continue
            k = int(np.argmin(np.abs(t - (d * MIN_PER_DAY + clock * 60.0))))
            rows.append({
                "subject": i, "day": d,
                "igf1_morning": float(ds.igf1_total.values[i, k]), "igf1_sds_morning": float(ds.igf1_sds.values[i, k]),
                "igf1_mean": float(ds.igf1_total.values[i, day].mean()),
                "igf1_sds_mean": float(ds.igf1_sds.values[i, day].mean()),
                "gh_mean": float(ds.gh.values[i, day].mean()), "gh_peak": float(ds.gh.values[i, day].max()),
                "gh_agonist_mean": float(ds.gh_agonist.values[i, day].mean()),
            })
    return pd.DataFrame(rows)
