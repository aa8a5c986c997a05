r"""Glucocorticoids and stress: acute stimulation after hours, chronic suppression.

Glucocorticoids act on the GH axis in two phases (Mazziotti & Giustina, Nat Rev Endocrinol
2013;9:265): a single dose *stimulates* GH a few hours later (dexamethasone 4 mg i.v. → GH peak
6.7 ± 1.5 µg/L at about 3 h; Popovic et al., Neuroendocrinology 1993;58:465), whereas sustained
excess *suppresses* it by raising hypothalamic somatostatin tone (reversed by somatostatin
antibodies; Wehrenberg et al., Endocrinology 1990). Physiological cortisol fluctuations do not
change GH; blocking GH acutely needs > 100 mg cortisol given hours earlier, and suppression by
steroid therapy lasts 12–24 h after the last dose (Mühlendahl et al., Eur J Pediatr
1978;128:113).

In the model:

* doses are converted to hydrocortisone equivalents (standard anti-inflammatory equivalence) and
  give an *exposure* ``E(t)`` in mg/day hydrocortisone-equivalent, decaying with the drug's
  biological half-life (a daily dose ``D`` gives an average exposure ``D``);
* **acute phase** — each dose withdraws somatostatin transiently, peaking ``gc_acute_peak_time``
  after the dose, with a steep (threshold-like) saturating dose response;
* **chronic phase** — the exposure, smoothed over ``gc_chronic_tau``, raises basal somatostatin
  release with a steep saturating (Hill) dose response, half-maximal at ``gc_srif_e50``;
* **stress** — sustained endogenous cortisol excess (``CortisolExcess`` for a period,
  ``GlucocorticoidExcess`` as an established condition: Cushing-like or severe chronic stress)
  enters as an exposure in mg/day; an acute psychological stressor
  (``AcuteStress``) is a small endogenous cortisol surge, and so has almost no effect, as the
  evidence says (physiological cortisol changes do not alter GH).

* **liver** — the same smoothed exposure makes the liver more sensitive to GH (more IGF-1 per
  unit of GH-receptor occupancy), with the same dose response as the somatostatin rise and a
  maximal gain ``gc_hepatic_gain``. Dexamethasone for four days raises total IGF-1 by about
  40 % in healthy men (Miell et al., JCEM 1991;72:675) but not at all in patients without GH
  (J Endocrinol Invest 2001;24:871, doi:10.1007/BF03343944), so the effect acts through GH, not
  beside it; it is why total IGF-1 in Cushing's syndrome is not lower than in controls despite
  lower GH (Van Aken et al., Am J Physiol Endocrinol Metab 2005).

Constants: ``params/lifestyle.toml`` (``gc_*``, ``stress_*``). Times in min; doses in mg.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from somatosim._validation import InputError, Interval, OneOf, check, check_finite
from somatosim.lifestyle._params import default
from somatosim.lifestyle._timecourse import gamma_bump
from somatosim.model.hypothalamus import scale_somatostatin

#: Glucocorticoids the model knows (their equivalence and half-life are parameters).
DRUGS = ("hydrocortisone", "prednisolone", "prednisone", "methylprednisolone", "dexamethasone")

STRESS_CONSTRAINTS = {
    "drug": OneOf(DRUGS),
    "dose_mg": Interval(0, 1000, "mg", low_open=True),
    "cortisol_excess_mg_per_day": Interval(0, 500, "mg/day hydrocortisone-equivalent", low_open=True),
    "duration_min": Interval(0, 1440, "min", low_open=True),
}
#: An exposure or response below 0.1 % of its start is treated as over: ln(1000) ≈ 6.9 half-lives
#: of decay, plus the chronic smoothing.
_TAIL_HALF_LIVES = 10.0


def _time(field, v) -> float:
    return check_finite(field, v, "a finite number of minutes")


def hydrocortisone_equivalent(drug: str, dose_mg: float, p) -> float:
    """Dose of ``drug`` (mg) as mg of hydrocortisone with the same glucocorticoid effect."""
    return dose_mg * p[f"gc_equivalence_{drug}"]


def _lowpass_of_decay(x, k_decay, tau):
    """First-order smoothing (time constant ``tau``) of ``exp(-k_decay·x)`` started at x = 0 from 0."""
    k_f = 1.0 / tau
    if abs(k_f - k_decay) < 1e-9 * k_f:
        return k_f * x * np.exp(-k_f * x)
    return k_f / (k_f - k_decay) * (np.exp(-k_decay * x) - np.exp(-k_f * x))


def _two_stage_step(x, k1, k2):
    """Unit-step response of two first-order stages (rates ``k1``, ``k2`` per min) at elapsed ``x``."""
    x = np.maximum(np.asarray(x, dtype=float), 0.0)
    if abs(k1 - k2) < 1e-9 * k2:
        return 1.0 - np.exp(-k1 * x) * (1.0 + k1 * x)
    return 1.0 - (k2 * np.exp(-k1 * x) - k1 * np.exp(-k2 * x)) / (k2 - k1)


def acute_dose_response(dose_hc_mg, p):
    """Fraction (0–1) of the maximal acute response to a dose of ``dose_hc_mg`` mg
    hydrocortisone-equivalent (Hill function, threshold-like)."""
    n = p["gc_acute_hill"]
    return dose_hc_mg ** n / (dose_hc_mg ** n + p["gc_acute_e50"] ** n)


def _chronic_fraction(exposure_mg_day, p):
    """Fraction (0–1) of the maximal chronic effect of a (smoothed) exposure, mg/day (Hill)."""
    e = np.maximum(exposure_mg_day, 0.0) ** p["gc_srif_hill"]
    return e / (e + p["gc_srif_e50"] ** p["gc_srif_hill"])


def chronic_srif_factor(exposure_mg_day, p):
    """Factor on basal somatostatin release of a (smoothed) glucocorticoid exposure, mg/day."""
    return 1.0 + p["gc_srif_max"] * _chronic_fraction(exposure_mg_day, p)


def hepatic_gain(exposure_mg_day, p):
    """Factor on hepatic GH sensitivity of a (smoothed) glucocorticoid exposure, mg/day."""
    return 1.0 + p["gc_hepatic_gain"] * _chronic_fraction(exposure_mg_day, p)


@dataclass(frozen=True)
class Glucocorticoid:
    """One glucocorticoid dose of ``dose_mg`` mg of ``drug`` at ``time`` (min)."""

    time: float
    dose_mg: float
    drug: str = "hydrocortisone"

    def __post_init__(self):
        _time("glucocorticoid.time", self.time)
        check("glucocorticoid.drug", self.drug, STRESS_CONSTRAINTS["drug"])
        check("glucocorticoid.dose_mg", self.dose_mg, STRESS_CONSTRAINTS["dose_mg"])

    @property
    def start(self) -> float:
        return self.time

    @property
    def end(self) -> float:
        t_half = default(f"gc_half_life_{self.drug}")
        return self.time + _TAIL_HALF_LIVES * t_half + 10.0 * default("gc_chronic_tau")

    def apply(self, t, channels, p) -> None:
        """Acute somatostatin withdrawal (hours); chronic somatostatin rise and hepatic sensitisation (a day)."""
        on = t >= self.time
        if not on.any():
            return
        x = t[on] - self.time
        dose = hydrocortisone_equivalent(self.drug, self.dose_mg, p)
        acute = acute_dose_response(dose, p) * gamma_bump(x, 0.0, p["gc_acute_peak_time"])
        k = math.log(2.0) / p[f"gc_half_life_{self.drug}"]
        # exposure as a daily-dose equivalent: dose × k (per min) × 1440 at the dose, decaying.
        chronic = dose * k * 1440.0 * _lowpass_of_decay(x, k, p["gc_chronic_tau"])
        channels["srif_factor"][on] *= np.exp(-p["gc_acute_srif_withdrawal"] * acute) * chronic_srif_factor(chronic, p)
        channels["hepatic_factor"][on] *= hepatic_gain(chronic, p)


def glucocorticoid_course(first_time: float, dose_mg: float, drug: str, *, every_h: float = 24.0,
                          count: int = 1) -> tuple[Glucocorticoid, ...]:
    """``count`` doses of ``dose_mg`` mg ``drug`` every ``every_h`` hours from ``first_time`` (min)."""
    check("glucocorticoid.count", count, Interval(1, 1000))
    check("glucocorticoid.every_h", every_h, Interval(0, 24 * 30, "h", low_open=True))
    return tuple(Glucocorticoid(first_time + i * every_h * 60.0, dose_mg, drug) for i in range(int(count)))


@dataclass(frozen=True)
class CortisolExcess:
    """Sustained endogenous cortisol excess (chronic stress, Cushing-like) from ``start`` to
    ``stop`` (min), in mg/day of hydrocortisone-equivalent above normal production."""

    start: float
    stop: float
    excess_mg_per_day: float

    def __post_init__(self):
        _time("stress.start", self.start)
        _time("stress.stop", self.stop)
        if self.stop <= self.start:
            raise InputError(f"stress.stop = {self.stop:g} is not allowed: expected a time after start = "
                             f"{self.start:g} min")
        check("stress.cortisol_excess_mg_per_day", self.excess_mg_per_day,
              STRESS_CONSTRAINTS["cortisol_excess_mg_per_day"])

    @property
    def end(self) -> float:
        return self.stop + _TAIL_HALF_LIVES * (default("gc_half_life_hydrocortisone") + default("gc_chronic_tau"))

    def exposure(self, t, p) -> np.ndarray:
        """Smoothed exposure (mg/day): production on [start, stop) passed through hydrocortisone's
        biological half-life and the chronic smoothing (two first-order stages, exact)."""
        k = math.log(2.0) / p["gc_half_life_hydrocortisone"]
        kf = 1.0 / p["gc_chronic_tau"]
        return self.excess_mg_per_day * (_two_stage_step(t - self.start, k, kf)
                                         - _two_stage_step(t - self.stop, k, kf))

    def apply(self, t, channels, p) -> None:
        on = t >= self.start
        if on.any():
            exposure = self.exposure(t[on], p)
            channels["srif_factor"][on] *= chronic_srif_factor(exposure, p)
            channels["hepatic_factor"][on] *= hepatic_gain(exposure, p)


@dataclass(frozen=True)
class AcuteStress:
    """An acute psychological stressor at ``time`` (min): an endogenous cortisol surge of
    ``stress_acute_cortisol_mg`` mg (hydrocortisone), acting like a dose of that size."""

    time: float

    def __post_init__(self):
        _time("stress.time", self.time)

    @property
    def start(self) -> float:
        return self.time

    @property
    def end(self) -> float:
        return Glucocorticoid(self.time, 1.0).end

    def apply(self, t, channels, p) -> None:
        Glucocorticoid(self.time, p["stress_acute_cortisol_mg"], "hydrocortisone").apply(t, channels, p)


@dataclass(frozen=True)
class GlucocorticoidExcess:
    """Established glucocorticoid excess (a subject condition): ``excess_mg_per_day`` mg/day of
    hydrocortisone-equivalent above normal production — Cushing's syndrome, chronic steroid
    therapy (give the daily dose × its equivalence) or severe chronic stress.

    Implements the condition protocol: raises the subject's somatostatin release by
    :func:`chronic_srif_factor` and its hepatic GH sensitivity by :func:`hepatic_gain`, the
    steady state of :class:`CortisolExcess`.
    """

    excess_mg_per_day: float
    name: str = "glucocorticoid excess"

    def __post_init__(self):
        check("stress.cortisol_excess_mg_per_day", self.excess_mg_per_day,
              STRESS_CONSTRAINTS["cortisol_excess_mg_per_day"])

    def modify(self, p, subject) -> None:
        scale_somatostatin(p, float(chronic_srif_factor(self.excess_mg_per_day, p)))
        p["ghr_sensitivity"] *= float(hepatic_gain(self.excess_mg_per_day, p))
