r"""Inflammatory episodes: IL-6/CRP lower the liver's IGF-1 response to GH, for a while.

Pro-inflammatory cytokines (IL-6, IL-1β, TNF-α) blunt hepatic GH signalling and IGF-1
transcription (rat hepatocytes: Thissen et al., Endocrinology 1997;138:1078; IL-6 transgenic
mice grow poorly through low IGF-1: De Benedetti et al., J Clin Invest 1997;99:643). In people,
plasma IGF-1 falls as IL-6 and hsCRP rise (629 adults 50–89 y: Andreassen et al., Inflamm Res
2010;59:503), by about 13 ng/mL per natural-log unit of CRP (Colangelo et al., GH IGF Res
2009;19:420, in black men; none in white men): an observational, partly confounded association
(evidence grade C) that the model takes as causal and hepatic.

Hepatic GH signalling is multiplied by ``(CRP / inflammation_crp_reference)^(−inflammation_crp_exponent)``
(:func:`hepatic_inflammation_factor`), the dose–response shared with the chronic condition
(:class:`somatosim.conditions.ChronicInflammation`), so a chronic state and an episode have one
effect size. :class:`Inflammation` applies it for a limited time on the
``hepatic_factor`` channel, building and waning over ``inflammation_tau`` (the cytokine effect
follows the illness within hours; IGF-1 then follows over days). Extrapolating the population
slope to the CRP of a severe infection (100+ mg/L) probably *under*-states the fall of IGF-1 in
critical illness, for which :class:`somatosim.conditions.AcuteIllness` is calibrated.

Constants: ``params/lifestyle.toml`` (``inflammation_*``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from somatosim._validation import InputError, Interval, check, check_finite
from somatosim.lifestyle._params import default
from somatosim.lifestyle._timecourse import first_order_pulse

INFLAMMATION_CONSTRAINTS = {"crp_mg_l": Interval(0, 500, "mg/L", low_open=True)}
_TAIL_TAUS = 10.0


def hepatic_inflammation_factor(crp_mg_l, p):
    """Factor (≤ 1) on hepatic GH-receptor signalling at a steady CRP (mg/L)."""
    ratio = np.maximum(np.asarray(crp_mg_l, dtype=float) / p["inflammation_crp_reference"], 1.0)
    return ratio ** (-p["inflammation_crp_exponent"])


@dataclass(frozen=True)
class Inflammation:
    """An inflammatory episode (infection, flare) with CRP ``crp_mg_l`` from ``start`` to ``stop`` (min)."""

    start: float
    stop: float
    crp_mg_l: float

    def __post_init__(self):
        for name in ("start", "stop"):
            v = getattr(self, name)
            check_finite(f"inflammation.{name}", v, "a finite number of minutes")
        if self.stop <= self.start:
            raise InputError(f"inflammation.stop = {self.stop:g} is not allowed: expected a time after start = "
                             f"{self.start:g} min")
        check("inflammation.crp_mg_l", self.crp_mg_l, INFLAMMATION_CONSTRAINTS["crp_mg_l"])

    @property
    def end(self) -> float:
        return self.stop + _TAIL_TAUS * default("inflammation_tau")

    def apply(self, t, channels, p) -> None:
        """Multiply ``hepatic_factor`` by the CRP factor, phased in and out over ``inflammation_tau``."""
        on = t >= self.start
        if not on.any():
            return
        w = first_order_pulse(t[on], self.start, self.stop, p["inflammation_tau"])
        channels["hepatic_factor"][on] *= np.power(hepatic_inflammation_factor(self.crp_mg_l, p), w)
