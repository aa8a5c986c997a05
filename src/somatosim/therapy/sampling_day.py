"""Weekly GH products: which day to sample IGF-1, and how to correct a sample to the weekly mean.

On a once-weekly product IGF-1 rises for about two days after each dose and falls for five, so a
single sample depends on the day it was drawn. At steady state the deviation of a sample from
the weekly average is a fixed function of the day since the dose (plus individual noise), and
labels tell clinicians when to sample: about day 4 for the weekly mean (somapacitan, somatrogon),
4–5 days for lonapegsomatropin, day 2 for the peak.

* :data:`LONAPEG_TABLE` — the published day-by-day correction for lonapegsomatropin in children
  at steady state (Lin Z et al. J Endocr Soc 2022;6:bvab168, Table; clinical_reference.md §3.4).
* :data:`ANCHORS` — what is published for the others (peak and mean days). The day-specific
  coefficients of Kildemoes 2021 (somapacitan) were not retrievable, so for somapacitan and
  somatrogon the day-by-day correction is the model's (:func:`model_sampling_day_table`).
* :func:`sampling_day_correction` — published where available, else the model's (``source``).
* :func:`weekly_profiles` — the model's within-week IGF-1 SDS of virtual patients, used for the
  model tables and the validation of the weekly products.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from somatosim._validation import InputError, Interval, OneOf, as_number, check
from somatosim.schedule import MIN_PER_DAY
from somatosim.therapy.products import get_product

#: Lonapegsomatropin, children at steady state (Lin 2022): days since dose, mean (IGF-1 SDS on that
#: day − weekly average SDS), and the concentration ratio (day value / weekly average).
LONAPEG_TABLE = (
    (0.0, -1.22, 0.62), (0.5, -0.12, 0.96), (1.0, 0.39, 1.14), (1.5, 0.60, 1.22), (2.0, 0.67, 1.25),
    (2.5, 0.68, 1.25), (3.0, 0.62, 1.23), (3.5, 0.46, 1.17), (4.0, 0.21, 1.07), (4.5, -0.09, 0.97),
    (5.0, -0.39, 0.87), (5.5, -0.64, 0.79), (6.0, -0.85, 0.73), (6.5, -1.07, 0.67), (7.0, -1.22, 0.62),
)
LONAPEG_SOURCE = "Lin Z et al. J Endocr Soc 2022;6:bvab168 (lonapegsomatropin, GHD children, steady state)"

#: Published sampling days (days after the dose): peak and weekly mean, with sources.
ANCHORS = {
    "lonapegsomatropin": {"peak_day": 2.5, "mean_day": 4.5, "source": LONAPEG_SOURCE},
    "somapacitan": {"peak_day": 2.0, "mean_day": 4.0,
                    "source": "Juul Kildemoes R et al. JCEM 2021;106:567 (day 4 best for the weekly mean, RSD < 0.2; "
                              "day 2 for the peak)"},
    "somatrogon": {"peak_day": 2.5, "mean_day": 4.0,
                   "source": "Ngenla SmPC (sample 4 days after the dose for the mean); Pfizer phase 3 PK/PD "
                             "(peak IGF-1 48-72 h after the dose); Fisher DM et al. Horm Res Paediatr 2017;87:324"},
}

DAY_RANGE = Interval(0, 7, "days since the last weekly dose")
SOURCES = ("auto", "published", "model")


def _weekly(product):
    prod = get_product(product)
    if not prod.weekly:
        raise InputError(f"product = {prod.key!r} is not allowed: sampling-day corrections are for once-weekly "
                         "products (lonapegsomatropin, somapacitan, somatrogon); daily somatropin gives a steady IGF-1")
    return prod


def _days(day) -> np.ndarray:
    d = np.asarray(as_number("day", day) if isinstance(day, str) else day, dtype=float)
    for v in np.atleast_1d(d):
        check("day", float(v), DAY_RANGE)
    return d


def sampling_day_correction(product: str, day, source: str = "auto"):
    """IGF-1 SDS on ``day`` after a weekly dose minus the weekly-average SDS (steady state).

    Subtract it from a measured SDS to estimate the weekly average (:func:`average_igf1_sds`).

    Parameters
    ----------
    product : str
        A once-weekly product.
    day : float or array
        Days since the last dose, 0–7.
    source : {"auto", "published", "model"}
        ``"published"``: the published table (lonapegsomatropin only; elsewhere only the mean day
        is published, where the correction is 0). ``"model"``: the model's table
        (:func:`model_sampling_day_table`). ``"auto"``: published where a table exists.

    The model's waves for somapacitan and somatrogon run late (weekly mean crossed on day 5.0
    and 4.8 instead of 4; somapacitan's peak on day 2.9 instead of 2; docs/therapy.md), so their
    model corrections are offset by about a day on the wave's flanks: on day 4 they read about
    +0.5 SDS (somapacitan +0.50, somatrogon +0.46) where the published sampling advice (day 4
    = weekly mean) implies 0.
    """
    prod = _weekly(product)
    check("source", source, OneOf(SOURCES))
    d = _days(day)
    if source == "published" or (source == "auto" and prod.key == "lonapegsomatropin"):
        if prod.key != "lonapegsomatropin":
            anchor = ANCHORS[prod.key]["mean_day"]
            if np.all(np.isclose(d, anchor)):
                return 0.0 if d.ndim == 0 else np.zeros_like(d)
            raise InputError(f"source = 'published': for {prod.key} only the mean day ({anchor:g} days after the "
                             "dose, correction 0) is published; use source='model' for other days")
        days, diff, _ = np.array(LONAPEG_TABLE).T
        out = np.interp(d, days, diff)
    else:
        table = model_sampling_day_table(prod.key)
        out = np.interp(d, table.day.values, table["mean"].values)
    return float(out) if np.ndim(out) == 0 else out


def average_igf1_sds(measured_sds, product: str, day, source: str = "auto"):
    """Weekly-average IGF-1 SDS estimated from one sample drawn ``day`` days after the dose."""
    return np.asarray(measured_sds, dtype=float) - sampling_day_correction(product, day, source)


def average_igf1(measured_ng_ml, day):
    """Weekly-average IGF-1 concentration on lonapegsomatropin from one sample (Lin 2022 ratios)."""
    d = _days(day)
    days, _, ratio = np.array(LONAPEG_TABLE).T
    return np.asarray(measured_ng_ml, dtype=float) / np.interp(d, days, ratio)


# --- the model's within-week profiles -------------------------------------------------------------

#: Weeks simulated before the analysed week (accumulation of the analogues' PK).
PROFILE_WEEKS = 4
#: Half-day grid of the tables, days since the dose.
TABLE_DAYS = np.arange(0.0, 7.01, 0.5)


def weekly_profiles(subjects, arms, *, seed: int = 0, weeks: int = PROFILE_WEEKS, parameters=None) -> dict:
    """Within-week IGF-1 SDS of each subject on each arm, in the last of ``weeks`` weeks.

    ``arms`` maps a label to ``(product, dose)`` (e.g. ``{"soma": ("somapacitan",
    "0.16 mg/kg/week")}``); every subject takes every arm (one cohort of ``len(subjects) ×
    len(arms)`` runs, the same person on every arm: :func:`~somatosim.therapy.treatment.simulate_arms`).
    Weekly products are injected at 09:00 on days 0, 7, …; daily somatropin at
    21:00. Returns ``{label: {"t": days since the last weekly dose, "sds": (subjects × t),
    "igf1": …, "gh": …, "agonist": …}}``.
    """
    from somatosim.therapy.regimens import Regimen
    from somatosim.therapy.treatment import simulate_arms

    subjects = list(subjects)
    plans = {}
    for label, (product, dose) in arms.items():
        prod = get_product(product)
        plans[label] = [Regimen(prod.key, dose, 0, clock_h=9.0 if prod.weekly else None)]
    days = weeks * 7 + 1
    runs = simulate_arms(subjects, plans, days, seed=seed, parameters=parameters)
    t = next(iter(runs.values())).time.values / MIN_PER_DAY
    start = (weeks - 1) * 7 + 9.0 / 24.0
    w = (t >= start) & (t <= start + 7.0 + 1e-9)
    out = {}
    for label, ds in runs.items():
        out[label] = {"t": t[w] - start, "sds": ds.igf1_sds.values[:, w], "igf1": ds.igf1_total.values[:, w],
                      "gh": ds.gh.values[:, w], "agonist": ds.gh_agonist.values[:, w]}
    return out


def profile_metrics(profile: dict) -> dict:
    """Peak day, mean-crossing day, peak − mean and trough − mean of a within-week SDS profile
    (subject-wise deviations from each subject's weekly mean, averaged over subjects)."""
    t, sds = profile["t"], profile["sds"]
    week = t < 7.0 - 1e-9
    dev = sds - sds[:, week].mean(axis=1, keepdims=True)
    mean_dev = dev.mean(axis=0)
    i_peak = int(np.argmax(mean_dev[week]))
    # first downward crossing of the weekly mean after the peak
    after = np.where((np.arange(t.size) > i_peak) & (mean_dev <= 0.0))[0]
    if after.size:
        j = after[0]
        t0, t1, y0, y1 = t[j - 1], t[j], mean_dev[j - 1], mean_dev[j]
        mean_day = float(t0 + (t1 - t0) * y0 / (y0 - y1))
    else:
        mean_day = float("nan")
    per_subject = np.array([np.interp(TABLE_DAYS, t, r) for r in dev])
    return {
        "peak_day": float(t[week][i_peak]),
        "mean_day": mean_day,
        "peak_minus_mean": float(mean_dev[week].max()),
        "trough_minus_mean": float(mean_dev[0]),
        "weekly_mean_sds": float(sds[:, week].mean()),
        "table": per_subject.mean(axis=0),
        "table_sd": per_subject.std(axis=0),
    }


@cache
def model_sampling_day_table(product: str, n: int = 16, seed: int = 0) -> pd.DataFrame:
    """The model's day-by-day correction for ``product`` at its paediatric label dose.

    ``n`` virtual GHD children (4–10 y, boys and girls) at steady state; columns ``day``,
    ``mean`` (IGF-1 SDS on that day − weekly average), ``sd`` (between children). Cached.
    """
    from somatosim.therapy.patients import ghd_cohort
    from somatosim.therapy.regimens import paediatric_dose

    prod = _weekly(product)
    kids = ghd_cohort(n, age=(4.0, 10.0), seed=seed)
    prof = weekly_profiles(kids, {prod.key: (prod.key, paediatric_dose(prod.key))}, seed=seed)[prod.key]
    m = profile_metrics(prof)
    return pd.DataFrame({"day": TABLE_DAYS, "mean": m["table"], "sd": m["table_sd"]})
