r"""Estrogen therapy: the route decides (oral → hepatic GH resistance; transdermal → little).

Taken by mouth, estrogen reaches the liver at high portal concentration (first pass) and blunts
hepatic GH signalling (SOCS-2 induction; Leung et al., Endocr Rev 2004;25:693), so IGF-1 falls and,
with less IGF-1 feedback, GH rises. Through the skin the same hormone reaches the liver only at
systemic concentration and IGF-1 does not fall. In postmenopausal women (Weissberger, Ho & Lazarus,
JCEM 1991;72:374), 2 months of oral ethinylestradiol 20 µg/day lowered IGF-1 by 33 % and raised
mean 24-h GH 3.5-fold, while transdermal estradiol 100 µg/day changed neither (IGF-1 rose a
little); transdermal 50–150 µg/day left basal GH and IGF-1 unchanged (Friend et al., JCEM
1991;72:172). Oral conjugated estrogens 1.25 mg and estradiol valerate 2 mg lower IGF-1 too
(Kelly et al., Clin Endocrinol 1993).

The model gives oral estrogen a hepatic factor ``1 / (1 + D / D50)`` on GH-receptor signalling
(:func:`hepatic_estrogen_factor`), ``D`` being the daily dose in ethinylestradiol equivalents
(``estrogen_ee_equivalent_*``); transdermal estrogen has no hepatic factor. The estrogen
condition (:class:`somatosim.conditions.Estrogen`) uses the same function, so established
therapy and a course share one effect size. No central (hypothalamic) estrogen effect is added:
Weissberger's transdermal arm shows none at replacement doses, so in the model the GH rise of oral
estrogen comes only from weaker IGF-1 feedback — which the model under-states (see
``docs/lifestyle.md``).

A course is an event (:class:`EstrogenTherapy`, acting on ``hepatic_factor`` with onset and
offset over ``estrogen_hepatic_tau``); established therapy is the condition, which
:func:`estrogen_condition` builds from the same preparation.
Constants: ``params/lifestyle.toml`` (``estrogen_*``). Doses in µg/day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from somatosim._validation import InputError, Interval, OneOf, check, check_finite
from somatosim.lifestyle._params import default
from somatosim.lifestyle._timecourse import first_order_pulse

ROUTES = ("oral", "transdermal")
#: Preparations by route.
DRUGS = {
    "oral": ("ethinylestradiol", "estradiol", "estradiol_valerate", "conjugated_estrogens"),
    "transdermal": ("estradiol",),
}
ESTROGEN_CONSTRAINTS = {
    "route": OneOf(ROUTES),
    "dose_ug_per_day": Interval(0, 10000, "ug/day", low_open=True),
}
_TAIL_TAUS = 10.0


def _check_preparation(route: str, drug: str, dose_ug_per_day: float) -> None:
    check("estrogen.route", route, ESTROGEN_CONSTRAINTS["route"])
    check("estrogen.drug", drug, OneOf(DRUGS[route]))
    check("estrogen.dose_ug_per_day", dose_ug_per_day, ESTROGEN_CONSTRAINTS["dose_ug_per_day"])


def ethinylestradiol_equivalent(drug: str, dose_ug_per_day: float, p) -> float:
    """Oral daily dose of ``drug`` (µg/day) as µg/day of ethinylestradiol."""
    return dose_ug_per_day * p[f"estrogen_ee_equivalent_{drug}"]


def hepatic_estrogen_factor(route: str, drug: str, dose_ug_per_day: float, p) -> float:
    """Factor (≤ 1) on hepatic GH-receptor signalling at steady state on this preparation."""
    if route != "oral":
        return 1.0
    return 1.0 / (1.0 + ethinylestradiol_equivalent(drug, dose_ug_per_day, p) / p["estrogen_oral_ee_d50"])


@dataclass(frozen=True)
class EstrogenTherapy:
    """A course of estrogen from ``start`` to ``stop`` (min): ``route``, ``drug`` and daily dose (µg)."""

    start: float
    stop: float
    route: str
    drug: str
    dose_ug_per_day: float

    def __post_init__(self):
        for name in ("start", "stop"):
            v = getattr(self, name)
            check_finite(f"estrogen.{name}", v, "a finite number of minutes")
        if self.stop <= self.start:
            raise InputError(f"estrogen.stop = {self.stop:g} is not allowed: expected a time after start = "
                             f"{self.start:g} min")
        _check_preparation(self.route, self.drug, self.dose_ug_per_day)

    @property
    def end(self) -> float:
        return self.stop + _TAIL_TAUS * default("estrogen_hepatic_tau")

    def apply(self, t, channels, p) -> None:
        on = t >= self.start
        if not on.any():
            return
        f = hepatic_estrogen_factor(self.route, self.drug, self.dose_ug_per_day, p)
        w = first_order_pulse(t[on], self.start, self.stop, p["estrogen_hepatic_tau"])
        channels["hepatic_factor"][on] *= np.power(f, w)


def estrogen_condition(route: str, drug: str, dose_ug_per_day: float):
    """Established therapy on this preparation as a subject condition
    (:class:`somatosim.conditions.Estrogen`, which uses :func:`hepatic_estrogen_factor`)."""
    from somatosim.conditions.sex_hormones import Estrogen

    _check_preparation(route, drug, dose_ug_per_day)
    return Estrogen(dose_ug_per_day=dose_ug_per_day, route=route, drug=drug)
