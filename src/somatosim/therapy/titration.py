"""Virtual titration courses: a clinic protocol applied to one patient or a cohort for months.

At each visit (every ``visit_weeks``) the clinic reads IGF-1 at 09:00, converts it to SDS for age
and sex (on weekly products: corrected for the day since the dose, :mod:`.sampling_day`) and
changes the dose by the protocol's rule; the new dose starts the day after the visit (when the
result is back). :func:`run_course` simulates this with the model in the loop.

Two methods:

* ``"full"`` — every day of the course is integrated (dt = 0.5 min);
* ``"periodic"`` (default) — for each visit interval only one dosing period of warm-up and a few
  settling days before the visit are integrated, with the jump to the periodic steady state of
  :class:`~somatosim.therapy.course.CohortRun` in between (valid because IGF-1 settles within
  about two weeks of a dose change; error against ``"full"`` in docs/therapy.md). Intervals
  shorter than warm-up + settling are integrated in full.

Protocols are data (:class:`TitrationProtocol`); presets :func:`aace_2019`, :func:`drake_1998`,
:func:`somapacitan_adult`, :func:`somatrogon_paediatric` take their numbers from ``therapy.toml``.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from somatosim._validation import InputError, Interval, OneOf, as_number, check
from somatosim.schedule import MIN_PER_DAY
from somatosim.subject import Subject, subject_parameters
from somatosim.therapy.course import CohortRun, EventIndex, records_per_day
from somatosim.therapy.doses import Dose, check_dose, label_maximum
from somatosim.therapy.patients import on_oral_estrogen
from somatosim.therapy.products import (
    acting_minutes,
    default_parameters,
    get_product,
    injection,
    link_doses,
)
from somatosim.therapy.regimens import starting_dose
from somatosim.therapy.treatment import DISCLAIMER, sds_of

METHODS = ("periodic", "full")
#: Days integrated after the jump, before a visit (daily and weekly products); the first interval
#: starts from the burn-in state, which has no reference orbit, and settles longer.
SETTLE_DAYS = {1: 2, 7: 7}
FIRST_SETTLE_DAYS = {1: 5, 7: 7}


@dataclass(frozen=True)
class TitrationProtocol:
    """A dose-titration rule.

    Parameters
    ----------
    name : str
    product : str
    start_dose : Dose or str, optional
        Default: the guideline/label starting dose for each patient
        (:func:`~somatosim.therapy.regimens.starting_dose`).
    visit_weeks : float
        Weeks between visits (whole weeks).
    target : (low, high)
        IGF-1 SDS band: below ``low`` the dose goes up one step, above ``high`` down one step.
    step : Dose or str
        Absolute dose step (per day for daily products, per week for weekly ones).
    relative_step : float, optional
        If given, dose reductions are by this fraction instead (e.g. 0.15).
    increase : bool
        Whether the rule raises doses (False: reductions only).
    sample_day : float
        Weekly products: days after the dose at which the visit sample is drawn.
    correct_sampling_day : bool
        Weekly products: convert the sample to the weekly mean before applying the rule.
    source : str
    """

    name: str = "AACE 2019"
    product: str = "somatropin"
    start_dose: Dose | str | None = None
    visit_weeks: float = 6.0
    target: tuple[float, float] = (0.0, 1.0)
    step: Dose | str = "0.1 mg/day"
    relative_step: float | None = None
    increase: bool = True
    sample_day: float = 4.0
    correct_sampling_day: bool = True
    source: str = ""

    def __post_init__(self):
        prod = get_product(self.product, "protocol.product")
        object.__setattr__(self, "product", prod.key)
        if self.start_dose is not None:
            object.__setattr__(self, "start_dose", Dose.parse(self.start_dose, "protocol.start_dose"))
        object.__setattr__(self, "step", Dose.parse(self.step, "protocol.step"))
        weeks = as_number("protocol.visit_weeks", self.visit_weeks)
        check("protocol.visit_weeks", weeks, Interval(1, 52, "weeks"))
        if weeks != int(weeks):
            raise InputError(f"protocol.visit_weeks = {weeks!r} is not allowed: expected a whole number of weeks")
        object.__setattr__(self, "visit_weeks", float(weeks))
        low, high = (float(as_number("protocol.target", x)) for x in self.target)
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise InputError(f"protocol.target = {self.target!r} is not allowed: expected (low, high) IGF-1 SDS "
                             "with low < high")
        object.__setattr__(self, "target", (low, high))
        if self.relative_step is not None:
            check("protocol.relative_step", self.relative_step, Interval(0, 1, "", low_open=True, high_open=True))
        check("protocol.sample_day", self.sample_day, Interval(0, 7, "days after the dose"))


def aace_2019(p: dict | None = None) -> TitrationProtocol:
    """Adult daily somatropin, AACE 2019: age-based start, 0.1 mg/day steps every 6 weeks to IGF-1
    SDS 0 to +1."""
    p = default_parameters() if p is None else p
    return TitrationProtocol("AACE 2019", "somatropin", None, p["rx_aace_visit_weeks"],
                             (p["rx_aace_target_low"], p["rx_aace_target_high"]),
                             Dose(p["rx_aace_step"], "mg", "", "day"),
                             source="Yuen KCJ et al. Endocr Pract 2019;25:1191 (AACE 2019)")


def drake_1998(p: dict | None = None) -> TitrationProtocol:
    """Drake et al. 1998: start 0.8 IU/day, 4-weekly reviews, IGF-1 between the median and the
    upper end of the age-related range (SDS 0 to +2)."""
    p = default_parameters() if p is None else p
    return TitrationProtocol("Drake 1998", "somatropin", Dose(p["rx_drake_start"], "mg", "", "day"),
                             p["rx_drake_visit_weeks"], (0.0, p["rx_aace_reduce_above"]),
                             Dose(p["rx_drake_step"], "mg", "", "day"),
                             source="Drake WM et al. J Clin Endocrinol Metab 1998;83:3913")


def somapacitan_adult(p: dict | None = None) -> TitrationProtocol:
    """Adult somapacitan (EU SmPC): label start, 0.5 mg steps every 4 weeks, weekly-mean IGF-1
    SDS (day-4 sample) 0 to +1."""
    p = default_parameters() if p is None else p
    return TitrationProtocol("somapacitan adult", "somapacitan", None, 4.0,
                             (p["rx_aace_target_low"], p["rx_aace_target_high"]),
                             Dose(p["rx_somapacitan_adult_step"], "mg", "", "week"), sample_day=4.0,
                             source="Sogroya EU SmPC (titration every 2-4 weeks in 0.5-1.5 mg steps)")


def somatrogon_paediatric(p: dict | None = None) -> TitrationProtocol:
    """Somatrogon in children (SmPC): label dose; reduce 15 % if the weekly-mean IGF-1 SDS > +2."""
    p = default_parameters() if p is None else p
    return TitrationProtocol("somatrogon paediatric", "somatrogon", None, 12.0, (-2.0, 2.0), "0.05 mg/kg/week",
                             relative_step=p["rx_somatrogon_reduction"], increase=False, sample_day=4.0,
                             source="Ngenla SmPC")


PROTOCOLS = {"aace_2019": aace_2019, "drake_1998": drake_1998, "somapacitan_adult": somapacitan_adult,
             "somatrogon_paediatric": somatrogon_paediatric}


@dataclass
class CourseResult:
    """Visits of a titration course (one row per patient and visit) and per-patient summaries."""

    protocol: TitrationProtocol
    subjects: list
    visits: pd.DataFrame
    method: str
    seconds: float
    weeks: float
    notes: dict = field(default_factory=dict)

    @property
    def dose_unit(self) -> str:
        return "mg/week" if get_product(self.protocol.product).weekly else "mg/day"

    def summary(self) -> pd.DataFrame:
        """One row per patient: final dose, weeks to the first in-target visit, final SDS."""
        rows = []
        low, high = self.protocol.target
        for i, g in self.visits.groupby("subject"):
            g = g.sort_values("visit")
            treated = g[g.visit > 0]
            hit = treated[(treated.estimate >= low) & (treated.estimate <= high)]
            s = self.subjects[i]
            rows.append({
                "subject": i, "sex": s.sex, "age": s.age, "weight_kg": s.weight,
                "oral_estrogen": on_oral_estrogen(s), "start_dose": g.dose.iloc[0],
                "final_dose": g.new_dose.iloc[-1], "final_sds": g.estimate.iloc[-1],
                "weeks_to_target": float(hit.week.iloc[0]) if len(hit) else math.nan,
                "in_target_at_end": bool(low <= g.estimate.iloc[-1] <= high),
            })
        return pd.DataFrame(rows)

    def figure(self):
        """Path to target (IGF-1 SDS at visits) and final dose distribution (matplotlib Figure)."""
        from somatosim.therapy.figures import course_figure

        return course_figure(self)


def _sampling_correction(product: str, day: float) -> float:
    """Published correction where it exists (the table, or 0 on a product's published mean day),
    else the model's table (:mod:`.sampling_day`)."""
    from somatosim.therapy.sampling_day import sampling_day_correction

    try:
        return sampling_day_correction(product, day, source="published")
    except InputError:
        return sampling_day_correction(product, day, source="model")


def _injection_times(protocol: TitrationProtocol, days: int, p) -> np.ndarray:
    prod = get_product(protocol.product)
    if not prod.weekly:
        return np.arange(days + 1) * MIN_PER_DAY + p["rx_injection_clock"] * 60.0
    first = (p["rx_sample_clock"] * 60.0 - protocol.sample_day * MIN_PER_DAY) % (7 * MIN_PER_DAY)
    return first + np.arange(days // 7 + 2) * 7 * MIN_PER_DAY


def run_course(subjects: Subject | Sequence[Subject], protocol: TitrationProtocol | str | None = None, *,
               weeks: float = 52, seed: int = 0, method: str = "periodic", batch_size: int = 250,
               adherence: float = 1.0, variability: bool = True, dt: float = 0.5,
               progress: bool = False) -> CourseResult:
    """Simulate a titration course.

    Parameters
    ----------
    subjects : Subject or sequence of Subject
        Patients (e.g. :func:`~somatosim.therapy.ghd_cohort`).
    protocol : TitrationProtocol or preset name
        Default :func:`aace_2019`.
    weeks : float
        Length of the course; the last visit is the last one inside it (6–12 months: 26–52).
    seed : int
        Random effects, noise and missed doses.
    method : {"periodic", "full"}
        See the module docstring.
    batch_size : int
        Patients integrated together (memory: about 0.1 MB per patient and simulated day).
    adherence : float
        Probability that each injection is taken (missed doses drawn with ``seed``).
    """
    t_start = time.perf_counter()
    subjects = [subjects] if isinstance(subjects, Subject) else list(subjects)
    if not subjects or not all(isinstance(s, Subject) for s in subjects):
        raise InputError("subjects: expected a Subject or a non-empty sequence of Subject")
    if protocol is None:
        protocol = aace_2019()
    elif isinstance(protocol, str):
        check("protocol", protocol, OneOf(tuple(PROTOCOLS)))
        protocol = PROTOCOLS[protocol]()
    check("method", method, OneOf(METHODS))
    check("weeks", as_number("weeks", weeks), Interval(protocol.visit_weeks, 520, "weeks"))
    check("adherence", as_number("adherence", adherence), Interval(0, 1, "", low_open=True))
    check("batch_size", batch_size, Interval(1, None))
    p = default_parameters()
    prod = get_product(protocol.product)
    visit_days = round(protocol.visit_weeks * 7)
    n_visits = int(weeks * 7 // visit_days)
    total_days = n_visits * visit_days + 1
    inj_times = _injection_times(protocol, total_days, p)
    rng = np.random.default_rng([int(seed), 55])
    taken = rng.random((len(subjects), inj_times.size)) < adherence
    params = subject_parameters(subjects, seed=seed, variability=variability)

    # starting doses and limits (mg per injection), checked once per patient
    start, top, step = np.empty(len(subjects)), np.empty(len(subjects)), np.empty(len(subjects))
    for i, s in enumerate(subjects):
        adult = s.age >= p["rx_adult_age"]
        dose = protocol.start_dose or starting_dose(s, prod.key, p)
        start[i] = check_dose(dose, prod.key, s.weight, s.bsa, adult, p, f"subjects[{i}] start dose")
        top[i] = label_maximum(prod.key, s.weight, adult, p)[0]
        step[i] = protocol.step.per_injection_mg(prod.key, s.weight, s.bsa, p, "protocol.step")

    rows, days_run = [], 0
    for b0 in range(0, len(subjects), batch_size):
        idx = np.arange(b0, min(b0 + batch_size, len(subjects)))
        batch_rows, days_run = _run_batch(
            [subjects[i] for i in idx], idx, {k: v[idx] for k, v in params.items()}, protocol, prod, p, seed, dt,
            method, visit_days, n_visits, inj_times, taken[idx], start[idx], top[idx], step[idx], progress)
        rows += batch_rows
    visits = pd.DataFrame(rows)
    return CourseResult(protocol, subjects, visits, method, time.perf_counter() - t_start, weeks,
                        {"disclaimer": DISCLAIMER, "days_simulated_per_patient": days_run,
                         "course_days": n_visits * visit_days + 1})


def _run_batch(subjects, idx, params, protocol, prod, p, seed, dt, method, visit_days, n_visits, inj_times,
               taken, dose0, top, step, progress) -> tuple[list[dict], int]:
    run = CohortRun(subjects, seed=seed, dt=dt, indices=idx, params=params)
    n = len(subjects)
    history = [[(-math.inf, float(d))] for d in dose0]  # (from time, mg per injection)
    adult = [s.age >= p["rx_adult_age"] for s in subjects]
    per_day = records_per_day()
    k_sample = round(p["rx_sample_clock"] * 60.0 / (MIN_PER_DAY / per_day))
    interval = prod.interval_days
    warm = interval
    low, high = protocol.target
    rows: list[dict] = []

    lookback = max(acting_minutes(prod.key, p, a) for a in (True, False))

    def events(t0: float, t1: float) -> list[EventIndex]:
        lo = np.searchsorted(inj_times, t0 - lookback)
        hi = np.searchsorted(inj_times, t1, side="right")
        out = []
        for i, s in enumerate(subjects):
            evs = []
            for j in range(lo, hi):
                if not taken[i, j]:
                    continue
                mg = next(d for t_from, d in reversed(history[i]) if inj_times[j] >= t_from)
                evs.append(injection(prod.key, float(inj_times[j]), mg, s.weight, adult[i], p))
            out.append(EventIndex(link_doses(evs)))
        return out

    def simulate_days(first: int, last: int) -> dict:
        return run.run(first, last - first + 1, events(first * MIN_PER_DAY, (last + 1) * MIN_PER_DAY))

    def visit(k: int, day: int, obs: dict, first_day: int) -> None:
        r = (day - first_day) * per_day + k_sample
        igf = obs["igf1_total"][r]
        sds = sds_of(igf[:, None], subjects)[:, 0]
        est = sds.copy()
        if prod.weekly and protocol.correct_sampling_day:
            est = sds - _sampling_correction(prod.key, protocol.sample_day)
        for i in range(n):
            dose = history[i][-1][1]
            new, action = dose, "keep"
            if k == 0:
                action = "baseline"
            elif est[i] < low and protocol.increase:
                new, action = min(dose + step[i], top[i]), "up"
            elif est[i] > high:
                new = dose * (1 - protocol.relative_step) if protocol.relative_step else max(dose - step[i], step[i])
                action = "down"
            if new != dose:
                history[i].append(((day + 1) * MIN_PER_DAY, new))
            rows.append({"subject": int(idx[i]), "visit": k, "day": day, "week": day / 7.0, "dose": dose,
                         "igf1": float(igf[i]), "sds": float(sds[i]), "estimate": float(est[i]),
                         "action": action, "new_dose": new})

    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=n_visits + 1, desc=f"course {int(idx[0])}-{int(idx[-1])}", unit="visit")
    obs = simulate_days(0, 0)
    visit(0, 0, obs, 0)
    last = 0
    for k in range(1, n_visits + 1):
        day = k * visit_days
        settle_k = (FIRST_SETTLE_DAYS if k == 1 else SETTLE_DAYS)[interval]
        if method == "full" or day - last <= warm + settle_k:
            first = last + 1
            obs = simulate_days(first, day)
        else:
            first = day - warm - settle_k + 1
            warm_obs = simulate_days(first, first + warm - 1)
            run.jump(warm_obs["ghr_signal"])
            obs = simulate_days(first + warm, day)
            first = first + warm
        if method == "periodic":
            run.mark_reference(obs["ghr_signal"][-warm * per_day:])
        visit(k, day, obs, first)
        last = day
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return rows, run.days_simulated


def full_resolution_baseline(subjects, protocol=None, *, weeks: float = 52, seed: int = 0, **kw) -> CourseResult:
    """The same course with ``method="full"`` (for checking the periodic method)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_course(subjects, protocol, weeks=weeks, seed=seed, method="full", **kw)
