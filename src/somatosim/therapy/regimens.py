"""Regimens: which product, how much, when — including missed doses, dose changes and switches.

A :class:`Regimen` is one product given on a fixed rhythm (daily or weekly) from ``start_day``
until ``stop_day``, at ``clock_h``; ``changes`` set new doses from given days on and ``missed``
lists injections that were skipped. A treatment is a sequence of regimens (a switch from daily
somatropin to a weekly product is two regimens); products must not overlap in time.

Starting doses: :func:`aace_starting_dose` (adults, AACE 2019, by age and oral-estrogen status)
and :func:`paediatric_dose` (children, mg/kg/week labels). Every number is in ``therapy.toml``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from somatosim._validation import InputError, Interval, as_number, check
from somatosim.subject import Subject
from somatosim.therapy.doses import Dose, DoseWarning, check_dose
from somatosim.therapy.patients import on_oral_estrogen
from somatosim.therapy.products import (
    InjectionEvent,
    default_parameters,
    get_product,
    injection,
    link_doses,
)

MIN_PER_DAY = 1440.0


@dataclass(frozen=True)
class Regimen:
    """One product on a fixed rhythm.

    Parameters
    ----------
    product : str
        ``"somatropin"`` (daily), ``"lonapegsomatropin"``, ``"somapacitan"``, ``"somatrogon"``
        (weekly), or a brand name.
    dose : Dose or str
        E.g. ``"0.3 mg/day"``, ``"1.5 mg/week"``, ``"0.16 mg/kg/week"`` (see :mod:`.doses`).
    start_day : float
        Day (from day 0) of the first injection (weekly products: the weekday of injection);
        injections fall at ``clock_h`` on whole days.
    stop_day : float, optional
        No injections on or after this day.
    clock_h : float, optional
        Clock time of injections, h (default ``rx_injection_clock``, 21:00).
    missed : tuple of int
        Numbers of the injections (0 = first) that were skipped.
    changes : tuple of (day, dose)
        New doses from the given days on (e.g. ``((42, "0.4 mg/day"),)``).
    """

    product: str = "somatropin"
    dose: Dose | str = "0.3 mg/day"
    start_day: float = 0.0
    stop_day: float | None = None
    clock_h: float | None = None
    missed: tuple[int, ...] = ()
    changes: tuple = ()

    def __post_init__(self):
        prod = get_product(self.product, "regimen.product")
        object.__setattr__(self, "product", prod.key)
        object.__setattr__(self, "dose", Dose.parse(self.dose, "regimen.dose"))
        start = as_number("regimen.start_day", self.start_day)
        check("regimen.start_day", start, Interval(0, 3660, "days"))
        object.__setattr__(self, "start_day", float(start))
        if self.stop_day is not None:
            stop = as_number("regimen.stop_day", self.stop_day)
            check("regimen.stop_day", stop, Interval(self.start_day, None, "days", low_open=True))
            object.__setattr__(self, "stop_day", float(stop))
        clock = default_parameters()["rx_injection_clock"] if self.clock_h is None else as_number(
            "regimen.clock_h", self.clock_h)
        check("regimen.clock_h", clock, Interval(0, 24, "h (clock time)", high_open=True))
        object.__setattr__(self, "clock_h", float(clock))
        missed = tuple(self.missed)
        for k in missed:
            if isinstance(k, bool) or not isinstance(k, int) or k < 0:
                raise InputError(f"regimen.missed: {k!r} is not allowed: expected injection numbers (int >= 0, "
                                 "0 = first injection)")
        object.__setattr__(self, "missed", tuple(sorted(set(missed))))
        changes = []
        for i, item in enumerate(self.changes):
            if not isinstance(item, (tuple, list)) or len(item) != 2:
                raise InputError(f"regimen.changes[{i}] = {item!r} is not allowed: expected (day, dose)")
            day = as_number(f"regimen.changes[{i}].day", item[0])
            check(f"regimen.changes[{i}].day", day, Interval(self.start_day, self.stop_day, "days"))
            changes.append((float(day), Dose.parse(item[1], f"regimen.changes[{i}].dose")))
        object.__setattr__(self, "changes", tuple(sorted(changes, key=lambda c: c[0])))

    @property
    def interval_days(self) -> int:
        return get_product(self.product).interval_days

    def dose_at(self, day: float) -> Dose:
        """The prescribed dose on ``day``."""
        dose = self.dose
        for d, new in self.changes:
            if d <= day:
                dose = new
        return dose

    def injection_times(self, until_day: float) -> list[tuple[float, Dose]]:
        """``(time in min, dose)`` of every injection given before ``until_day``."""
        stop = until_day if self.stop_day is None else min(until_day, self.stop_day)
        out, k = [], 0
        while True:
            day = math.floor(self.start_day) + k * self.interval_days
            t = day * MIN_PER_DAY + self.clock_h * 60.0
            if day >= stop or t >= until_day * MIN_PER_DAY:
                break
            if k not in self.missed:
                out.append((t, self.dose_at(day)))
            k += 1
        return out

    def active(self) -> tuple[float, float]:
        """(first day, last day + interval) the product acts on the schedule of injections."""
        return self.start_day, math.inf if self.stop_day is None else self.stop_day

    def events(self, subject: Subject, until_day: float, p: dict[str, float] | None = None,
               field: str = "regimen") -> list[InjectionEvent]:
        """Injection events for ``subject`` up to ``until_day`` (doses checked; warnings once per dose)."""
        p = default_parameters() if p is None else p
        adult = subject.age >= p["rx_adult_age"]
        mg_of: dict[Dose, float] = {}
        out = []
        for t, dose in self.injection_times(until_day):
            if dose not in mg_of:
                mg_of[dose] = check_dose(dose, self.product, subject.weight, subject.bsa, adult, p, f"{field}.dose")
            out.append(injection(self.product, t, mg_of[dose], subject.weight, adult, p))
        return link_doses(out)


def check_plan(regimens: Sequence[Regimen], field: str = "regimens") -> tuple[Regimen, ...]:
    """Validate a treatment (sequence of regimens): products must not overlap in time."""
    regs = tuple(r if isinstance(r, Regimen) else _from_mapping(r, f"{field}[{i}]") for i, r in enumerate(regimens))
    if not regs:
        raise InputError(f"{field}: expected at least one regimen")
    for i, a in enumerate(regs):
        for j, b in enumerate(regs[:i]):
            a0, a1 = a.active()
            b0, b1 = b.active()
            if a0 < b1 and b0 < a1:
                until = "on" if math.isinf(b1) else f"until day {b1:g}"
                raise InputError(
                    f"{field}[{i}] ({a.product} from day {a0:g}) overlaps {field}[{j}] ({b.product} from day "
                    f"{b0:g} {until}): two GH products must not be given at the same time; set "
                    f"{field}[{j}].stop_day <= {a0:g} (switching: stop the daily dose, start the weekly product "
                    "the next day)")
    return regs


def _from_mapping(d, field: str) -> Regimen:
    if not isinstance(d, dict):
        raise InputError(f"{field} = {d!r} is not allowed: expected a Regimen or a table with product and dose")
    unknown = set(d) - {"product", "dose", "start_day", "stop_day", "clock_h", "missed", "changes"}
    if unknown:
        raise InputError(f"{field}: unknown key(s) {sorted(unknown)}: expected product, dose, start_day, stop_day, "
                         "clock_h, missed, changes")
    kw = dict(d)
    if "missed" in kw:
        kw["missed"] = tuple(kw["missed"])
    if "changes" in kw:
        kw["changes"] = tuple(tuple(c) for c in kw["changes"])
    return Regimen(**kw)


def plan_events(subject: Subject, regimens: Sequence[Regimen], until_day: float,
                p: dict[str, float] | None = None) -> list[InjectionEvent]:
    """All injection events of a treatment for one subject, in time order."""
    regs = check_plan(regimens)
    events = []
    for i, r in enumerate(regs):
        events += r.events(subject, until_day, p, field=f"regimens[{i}]")
    return link_doses(sorted(events, key=lambda e: e.start))


def aace_starting_dose(age: float, oral_estrogen: bool = False, diabetes: bool = False,
                       p: dict[str, float] | None = None) -> Dose:
    """Adult daily somatropin starting dose (mg/day), AACE 2019, by age band.

    < 30 y 0.4–0.5, 30–60 y 0.2–0.3, > 60 y or diabetes 0.1–0.2 mg/day (the middle of each band);
    women on oral estrogen start at the top of their band (``rx_aace_start_oral_estrogen``).
    """
    p = default_parameters() if p is None else p
    check("age", as_number("age", age), Interval(p["rx_adult_age"], 120, "years"))
    if diabetes or age > p["rx_aace_age_old"]:
        mg = p["rx_aace_start_old"]
    elif age < p["rx_aace_age_young"]:
        mg = p["rx_aace_start_young"]
    else:
        mg = p["rx_aace_start_mid"]
    if oral_estrogen:
        mg += p["rx_aace_start_oral_estrogen"]
    return Dose(round(mg, 4), "mg", "", "day")


def starting_dose(subject: Subject, product: str = "somatropin", p: dict[str, float] | None = None) -> Dose:
    """Label/guideline starting dose of ``product`` for ``subject`` (adult or child)."""
    p = default_parameters() if p is None else p
    prod = get_product(product)
    adult = subject.age >= p["rx_adult_age"]
    if not adult:
        return paediatric_dose(prod.key, p)
    oral = on_oral_estrogen(subject)
    if prod.key == "somatropin":
        return aace_starting_dose(subject.age, oral, p=p)
    if prod.key == "somapacitan":
        mg = p["rx_somapacitan_adult_start"]
        if subject.age > p["rx_aace_age_old"]:
            mg -= p["rx_somapacitan_adult_step"]
        elif oral:
            mg += p["rx_somapacitan_adult_step"]
        return Dose(mg, "mg", "", "week")
    raise InputError(f"product = {prod.key!r}: no adult starting dose in our sources (adult dosing of "
                     f"{prod.key} is not labelled in the EU); give the dose explicitly")


def paediatric_dose(product: str = "somatropin", p: dict[str, float] | None = None) -> Dose:
    """Label paediatric GHD dose (mg/kg/week) of ``product``."""
    p = default_parameters() if p is None else p
    key = get_product(product).key
    name = {"somatropin": "rx_somatropin_child_dose", "lonapegsomatropin": "rx_lonapeg_child_dose",
            "somapacitan": "rx_somapacitan_child_max", "somatrogon": "rx_somatrogon_child_max"}[key]
    return Dose(p[name], "mg", "kg", "week")


__all__ = ["DoseWarning", "Regimen", "aace_starting_dose", "check_plan", "paediatric_dose", "plan_events",
           "starting_dose"]
