r"""Inflammation and acute illness: cytokine-driven hepatic GH resistance.

IL-6, TNF-α and IL-1 induce SOCS-3 in hepatocytes and blunt GH-receptor (JAK2–STAT5)
signalling, so IGF-1 falls although GH is normal or high (Lang CH, Frost RA; De Benedetti F et
al. J Clin Invest 1997;99:643). In the population IGF-1 is inversely related to IL-6 and CRP
(Andreassen M et al. Inflamm Res 2010;59:503; about −13 ng/mL IGF-1 per unit of log CRP,
PMID 19138871). In acute critical illness the pattern is extreme: high basal GH with IGF-1 at a
fifth to two fifths of normal (Ross R et al. Clin Endocrinol 1991;35:47; Gianotti L et al.
J Endocrinol Invest 1998;21:115).

* :class:`ChronicInflammation` — CRP above ``inflammation_crp_reference`` lowers hepatic
  GH-receptor signalling: ``ghr_sensitivity × (CRP/reference)^(−inflammation_crp_exponent)``, the
  lifestyle module's function and constants
  (:func:`somatosim.lifestyle.inflammation.hepatic_inflammation_factor`, ``params/lifestyle.toml``),
  so a chronic condition and a time-limited inflammation event share one effect size.
* :class:`AcuteIllness` — a steady acute illness (sepsis, major trauma, burns) of ``severity``
  0–1: ``ghr_sensitivity × (1 − acute_illness_ghr_cut·severity)``.
* :class:`AcuteIllnessEvent` — the same effect for a limited time in a schedule (event protocol
  of :mod:`somatosim.schedule`): it multiplies the ``hepatic_factor`` channel, so IGF-1 falls over
  the following days and recovers after ``end``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from somatosim._validation import InputError, Interval, check_finite
from somatosim.conditions._base import Condition, clip01


def acute_illness_factor(severity: float, p: dict[str, float]) -> float:
    """Factor (0–1) on hepatic GH-receptor signalling in acute illness of ``severity`` 0–1."""
    return 1.0 - p["acute_illness_ghr_cut"] * clip01(severity)


@dataclass(frozen=True)
class ChronicInflammation(Condition):
    """Chronic low-grade or overt inflammation, graded by C-reactive protein."""

    crp_mg_l: float = 10.0

    name: ClassVar[str] = "chronic_inflammation"
    label: ClassVar[str] = "chronic inflammation"
    constraints: ClassVar[dict] = {"crp_mg_l": Interval(0, 500, "mg/L", low_open=True)}
    descriptions: ClassVar[dict] = {"crp_mg_l": "steady C-reactive protein, mg/L (healthy: about 1)"}

    def modify(self, p, subject) -> None:
        # the shared mechanism of the lifestyle module
        from somatosim.lifestyle.inflammation import hepatic_inflammation_factor

        p["ghr_sensitivity"] *= float(hepatic_inflammation_factor(self.crp_mg_l, p))


@dataclass(frozen=True)
class AcuteIllness(Condition):
    """Acute severe illness or infection held steady (sepsis, trauma, burns, major surgery)."""

    severity: float = 1.0

    name: ClassVar[str] = "acute_illness"
    label: ClassVar[str] = "acute illness"
    constraints: ClassVar[dict] = {"severity": Interval(0, 1, "(1 = critical illness)")}
    descriptions: ClassVar[dict] = {"severity": "0 = well, 1 = critical illness (sepsis in intensive care)"}

    def modify(self, p, subject) -> None:
        p["ghr_sensitivity"] *= acute_illness_factor(self.severity, p)


@dataclass(frozen=True)
class AcuteIllnessEvent:
    """An acute illness or infection from ``start`` to ``end`` (min from midnight of day 0).

    Follows the schedule event protocol: ``apply`` multiplies the ``hepatic_factor`` channel by
    :func:`acute_illness_factor` while the illness lasts.
    """

    start: float
    end: float
    severity: float = 1.0

    def __post_init__(self):
        for field in ("start", "end", "severity"):
            v = getattr(self, field)
            check_finite(f"acute_illness_event.{field}", v)
        if self.end <= self.start:
            raise InputError(f"acute_illness_event.end = {self.end!r} is not allowed: expected a time after "
                             f"start = {self.start!r}")
        if not 0.0 <= self.severity <= 1.0:
            raise InputError(f"acute_illness_event.severity = {self.severity!r} is not allowed: expected a number "
                             "in [0, 1]")

    def apply(self, t, channels, p) -> None:
        on = (t >= self.start) & (t <= self.end)
        channels["hepatic_factor"][on] *= acute_illness_factor(self.severity, p)
