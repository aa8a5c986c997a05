"""Drugs of the GH stimulation tests: their pharmacokinetics and the input channel each acts on.

Each drug is a schedule *event* (see :mod:`somatosim.schedule`): a frozen dataclass with
``start``, ``end`` and ``apply(t, channels, p)``; the subject-specific amount (a weight-based
dose) lives in the event, every kinetic and potency constant in ``params/stimulation.toml``
(``stim_*``). Each acts through its own mechanism:

========================== ====================== ==============================================
drug                       channel                mechanism
========================== ====================== ==============================================
GHRH(1-44), i.v. bolus     ``ghrh_exogenous``     mono-exponential plasma decay (t½ 6.8 min,
                                                  Frohman 1986) scaled to a portal-equivalent
                                                  concentration at the somatotrophs
L-arginine, i.v. 30 min    ``srif_factor``        plasma arginine (one compartment, zero-order
                                                  infusion; Tangphao 1999) withdraws
                                                  hypothalamic somatostatin (Emax model)
macimorelin, oral          ``ghs_exogenous``      first-order absorption and elimination (label:
                                                  Tmax 0.5–1.5 h, t½ 4.1 h), ghrelin-equivalent
regular insulin, i.v.      ``insulin_infusion``   the dose enters plasma over about a minute;
                                                  hypoglycaemia then drives GH through the
                                                  glucose coupling of the model
glucagon, i.m.             ``glucose_appearance`` first-order absorption; hepatic glucose release
                           ``ghrh_drive_factor``  through an effect compartment, and a delayed
                                                  central (hypothalamic) action through a chain
                                                  of transit compartments
clonidine, oral            ``ghrh_drive_factor``  α2-agonist stimulating GHRH neurones (first-order
                                                  absorption, t½ 12–16 h)
========================== ====================== ==============================================

Concentration shapes are pure functions of the time since the dose (min) so that any time grid
can be filled; the transit-chain and effect-compartment responses are computed on a private
0.5-min grid from the dose and interpolated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from somatosim._validation import InputError

__all__ = [
    "ArginineInfusion",
    "ClonidineDose",
    "GHRHBolus",
    "GlucagonInjection",
    "InsulinBolus",
    "MacimorelinDose",
    "bateman",
    "effect_compartment",
    "infusion_profile",
    "transit_chain",
]

#: Events stop acting once their effect has fallen below this fraction of its peak (a
#: numerical horizon, not physiology).
_NEGLIGIBLE = 1e-4
#: Step (min) of the private grid on which delayed responses are integrated.
_FINE_DT = 0.5


def _rate(half_life_min: float) -> float:
    return math.log(2.0) / half_life_min


def bateman(x, ka: float, ke: float):
    """First-order absorption and elimination, normalised to a peak of 1 (0 before the dose).

    ``x`` min since the dose; ``ka``, ``ke`` in 1/min (``ka == ke`` handled as the limit).
    """
    x = np.maximum(np.asarray(x, dtype=float), 0.0)
    if abs(ka - ke) < 1e-12 * max(ka, ke):
        shape = x * np.exp(-ke * x)
        return shape / (math.exp(-1.0) / ke)
    shape = (np.exp(-ke * x) - np.exp(-ka * x)) / (ka - ke)
    t_max = math.log(ka / ke) / (ka - ke)
    peak = (math.exp(-ke * t_max) - math.exp(-ka * t_max)) / (ka - ke)
    return shape / peak


def bateman_peak_time(ka: float, ke: float) -> float:
    """Time of the peak of :func:`bateman`, min."""
    if abs(ka - ke) < 1e-12 * max(ka, ke):
        return 1.0 / ke
    return math.log(ka / ke) / (ka - ke)


def infusion_profile(x, duration: float, ke: float):
    """One-compartment concentration during and after a constant infusion of ``duration`` min,
    in units of ``rate / (ke · V)`` (so 1 is the steady state); 0 before the start."""
    x = np.asarray(x, dtype=float)
    during = 1.0 - np.exp(-ke * np.clip(x, 0.0, duration))
    after = np.exp(-ke * np.maximum(x - duration, 0.0))
    return np.where(x < 0.0, 0.0, during * after)


def effect_compartment(signal, dt: float, ke0: float):
    """First-order lag ``dy/dt = ke0 (signal − y)``, ``y(0) = 0``, of ``signal`` sampled every
    ``dt`` min (exact for an input that varies linearly between samples; ``signal[0]`` must be 0)."""
    from scipy.signal import lfilter

    a = math.exp(-ke0 * dt)
    b = (1.0 - a) / (ke0 * dt)
    return lfilter([1.0 - b, b - a], [1.0, -a], np.asarray(signal, dtype=float))


def transit_chain(signal, dt: float, mean_delay: float, n: int):
    """Output of ``n`` first-order transit compartments (Erlang delay, mean ``mean_delay`` min)."""
    out = np.asarray(signal, dtype=float)
    for _ in range(n):
        out = effect_compartment(out, dt, n / mean_delay)
    return out


def _check_amount(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise InputError(f"{name} = {value!r} is not allowed: expected a finite number >= 0")
    return float(value)


def _window(t, start: float, end: float):
    t = np.asarray(t, dtype=float)
    return (t >= start) & (t <= end)


@dataclass(frozen=True)
class GHRHBolus:
    """GHRH(1-44) given as an i.v. bolus of ``dose_ug_per_kg`` µg/kg at ``start`` (min).

    Acts on ``ghrh_exogenous``: ``stim_ghrh_portal_per_dose × dose × exp(−k x)`` with ``k`` from
    the plasma half-life of intact GHRH(1-44) (6.8 min; Frohman LA et al. J Clin Invest
    1986;78:906). Because the pituitary response saturates (Hill 5 in the model) a 1-µg/kg dose
    is near-maximal, as observed (Wilton P et al. Acta Paediatr 1993;388:10).
    """

    start: float
    dose_ug_per_kg: float = 1.0

    def __post_init__(self):
        _check_amount("ghrh.dose_ug_per_kg", self.dose_ug_per_kg)

    @property
    def end(self) -> float:
        # horizon where the exponential has fallen to _NEGLIGIBLE of its start (half-life 6.8 min)
        return self.start + 6.8 * math.log2(1.0 / _NEGLIGIBLE) * 2.0

    def concentration(self, x, p) -> np.ndarray:
        """Portal-equivalent GHRH (pg/mL) ``x`` min after the bolus."""
        x = np.asarray(x, dtype=float)
        c = p["stim_ghrh_portal_per_dose"] * self.dose_ug_per_kg * np.exp(-_rate(p["stim_ghrh_half_life"]) * x)
        return np.where(x >= 0.0, c, 0.0)

    def apply(self, t, channels, p) -> None:
        on = _window(t, self.start, self.end)
        channels["ghrh_exogenous"][on] += self.concentration(np.asarray(t)[on] - self.start, p)


@dataclass(frozen=True)
class ArginineInfusion:
    """L-arginine ``dose_g`` g i.v. over ``duration_min`` min from ``start``, in a person of
    ``weight_kg`` kg.

    Plasma arginine above baseline follows a one-compartment model (volume
    ``stim_arginine_volume`` L/kg, half-life ``stim_arginine_half_life``; Tangphao O et al.
    Br J Clin Pharmacol 1999;47:261: 30 g over 30 min raised plasma arginine to 1390 µg/mL).
    Arginine withdraws hypothalamic somatostatin, basal tone and the GH-driven release alike
    (it abolishes the refractoriness to a second GHRH bolus that GH autofeedback causes: Ghigo E
    et al. Neuroendocrinology 1991;54:291): ``srif_factor`` is multiplied by
    ``1 − cut · Cʰ / (Cʰ + EC50ʰ)``.
    """

    start: float
    dose_g: float
    weight_kg: float
    duration_min: float = 30.0

    def __post_init__(self):
        _check_amount("arginine.dose_g", self.dose_g)
        if _check_amount("arginine.weight_kg", self.weight_kg) <= 0:
            raise InputError(f"arginine.weight_kg = {self.weight_kg!r} is not allowed: expected > 0")
        if _check_amount("arginine.duration_min", self.duration_min) <= 0:
            raise InputError(f"arginine.duration_min = {self.duration_min!r} is not allowed: expected > 0")

    @property
    def end(self) -> float:
        return self.start + self.duration_min + 600.0  # > 10 half-lives of plasma arginine

    def concentration(self, x, p) -> np.ndarray:
        """Plasma arginine above baseline (µg/mL) ``x`` min after the start of the infusion."""
        ke = _rate(p["stim_arginine_half_life"])
        volume_l = p["stim_arginine_volume"] * self.weight_kg
        rate_ug_min = self.dose_g * 1e6 / self.duration_min
        steady_ug_per_ml = rate_ug_min / (ke * volume_l * 1000.0)
        return steady_ug_per_ml * infusion_profile(x, self.duration_min, ke)

    def srif_withdrawal(self, x, p) -> np.ndarray:
        """Fraction (0–``stim_arginine_srif_cut``) by which basal somatostatin release falls."""
        c = self.concentration(x, p)
        h = p["stim_arginine_hill"]
        ch = c ** h
        return p["stim_arginine_srif_cut"] * ch / (ch + p["stim_arginine_ec50"] ** h)

    def apply(self, t, channels, p) -> None:
        on = _window(t, self.start, self.end)
        channels["srif_factor"][on] *= 1.0 - self.srif_withdrawal(np.asarray(t)[on] - self.start, p)


@dataclass(frozen=True)
class MacimorelinDose:
    """Oral macimorelin ``dose_mg_per_kg`` mg/kg at ``start`` (fasting).

    First-order absorption and elimination (label: Cmax 0.5–1.5 h, mean terminal t½ 4.1 h;
    phase 1: median tmax 0.5–0.75 h). The plasma level is expressed in units of the pre-meal
    ghrelin level on ``ghs_exogenous``, ``stim_macimorelin_ghs_per_dose`` per mg/kg at Cmax
    (dose-proportional; the phase-1 study found less than proportional rises above 0.5 mg/kg).
    """

    start: float
    dose_mg_per_kg: float = 0.5

    def __post_init__(self):
        _check_amount("macimorelin.dose_mg_per_kg", self.dose_mg_per_kg)

    @property
    def end(self) -> float:
        return self.start + 4000.0  # > 16 terminal half-lives

    def level(self, x, p) -> np.ndarray:
        """Ghrelin-equivalent level ``x`` min after the dose."""
        ka = _rate(p["stim_macimorelin_absorption_half_life"])
        ke = _rate(p["stim_macimorelin_half_life"])
        return p["stim_macimorelin_ghs_per_dose"] * self.dose_mg_per_kg * bateman(x, ka, ke)

    def apply(self, t, channels, p) -> None:
        on = _window(t, self.start, self.end)
        channels["ghs_exogenous"][on] += self.level(np.asarray(t)[on] - self.start, p)


@dataclass(frozen=True)
class InsulinBolus:
    """Regular insulin ``dose_u`` U i.v. at ``start``, entering plasma over
    ``stim_insulin_injection_time`` min (``insulin_infusion``, mU/min)."""

    start: float
    dose_u: float

    def __post_init__(self):
        _check_amount("insulin.dose_u", self.dose_u)

    @property
    def end(self) -> float:
        return self.start + 10.0  # the injection lasts about a minute (stim_insulin_injection_time)

    def apply(self, t, channels, p) -> None:
        t = np.asarray(t, dtype=float)
        duration = p["stim_insulin_injection_time"]
        on = (t >= self.start) & (t < self.start + duration)
        channels["insulin_infusion"][on] += 1000.0 * self.dose_u / duration


@dataclass(frozen=True)
class GlucagonInjection:
    """Glucagon ``dose_mg`` mg i.m. at ``start`` in a person of ``weight_kg`` kg.

    Plasma glucagon: first-order absorption from muscle and elimination (label: i.v. half-life
    8–18 min; Mühlhauser I et al. Diabetes Care 1985;8:39: plasma glucagon high 10 min after
    1 mg i.m.). Two actions:

    * hepatic glycogenolysis: glucose appearance (``glucose_appearance``, mg/min) proportional to
      plasma glucagon passed through an effect compartment (the liver response outlasts the
      short plasma half-life; blood glucose peaks at about 90 min in the glucagon test,
      Yuen 2011), saturating with dose;
    * the GH response, whose mechanism is not settled: the model keeps two routes, the fall of
      glucose after the glucagon-induced rise (through the model's glucose coupling, which
      Kawalec 2024 found the main correlate of the GH rise) and a delayed central action that
      raises GHRH-neurone drive (``ghrh_drive_factor``) after plasma glucagon has passed a chain
      of transit compartments (GH peaks at 120–180 min).
    """

    start: float
    dose_mg: float
    weight_kg: float

    def __post_init__(self):
        _check_amount("glucagon.dose_mg", self.dose_mg)
        if _check_amount("glucagon.weight_kg", self.weight_kg) <= 0:
            raise InputError(f"glucagon.weight_kg = {self.weight_kg!r} is not allowed: expected > 0")

    @property
    def end(self) -> float:
        return self.start + 720.0

    def _plasma(self, x, p):
        """Plasma glucagon in units of the peak after 1 mg in a 70-kg adult (dimensionless)."""
        ka = _rate(p["stim_glucagon_absorption_half_life"])
        ke = _rate(p["stim_glucagon_half_life"])
        exposure = self.dose_mg / self.weight_kg * p["stim_glucagon_reference_weight"]
        return exposure * bateman(x, ka, ke)

    def responses(self, x, p) -> tuple[np.ndarray, np.ndarray]:
        """(glucose appearance mg/min, GHRH-drive factor − 1) ``x`` min after the injection."""
        x = np.asarray(x, dtype=float)
        fine = np.arange(0.0, max(float(x.max(initial=0.0)), 0.0) + 2 * _FINE_DT, _FINE_DT)
        plasma = self._plasma(fine, p)
        liver = effect_compartment(plasma, _FINE_DT, _rate(p["stim_glucagon_liver_half_time"]))
        k50 = p["stim_glucagon_liver_ec50"]
        hgp = (p["stim_glucagon_glucose_max"] * self.weight_kg * liver / (liver + k50)) * (1.0 + k50)
        central = transit_chain(plasma, _FINE_DT, p["stim_glucagon_central_delay"],
                                int(p["stim_glucagon_central_stages"]))
        # normalise the chain output to its peak for the reference dose so the gain is the peak effect
        ref = self._reference_chain_peak(p)
        drive = p["stim_glucagon_central_gain"] * central / ref
        xs = np.clip(x, 0.0, None)
        return (np.where(x >= 0, np.interp(xs, fine, hgp), 0.0), np.where(x >= 0, np.interp(xs, fine, drive), 0.0))

    @staticmethod
    def _reference_chain_peak(p) -> float:
        ka = _rate(p["stim_glucagon_absorption_half_life"])
        ke = _rate(p["stim_glucagon_half_life"])
        fine = np.arange(0.0, 4.0 * p["stim_glucagon_central_delay"] + 240.0, _FINE_DT)
        chain = transit_chain(bateman(fine, ka, ke), _FINE_DT, p["stim_glucagon_central_delay"],
                              int(p["stim_glucagon_central_stages"]))
        return float(chain.max())

    def apply(self, t, channels, p) -> None:
        on = _window(t, self.start, self.end)
        if not on.any():
            return
        hgp, drive = self.responses(np.asarray(t)[on] - self.start, p)
        channels["glucose_appearance"][on] += hgp
        channels["ghrh_drive_factor"][on] *= 1.0 + drive


@dataclass(frozen=True)
class ClonidineDose:
    """Oral clonidine ``dose_mg_per_m2`` mg/m² at ``start`` (the paediatric test).

    An α2-adrenergic agonist that stimulates GHRH neurones: ``ghrh_drive_factor`` is multiplied
    by ``1 + gain · E`` with ``E`` the plasma level (first-order absorption, elimination
    half-life 12–16 h, Catapres label) relative to its peak after 0.15 mg/m², Emax-shaped.
    The dose per m² keeps exposure about constant across body sizes.
    """

    start: float
    dose_mg_per_m2: float = 0.15

    def __post_init__(self):
        _check_amount("clonidine.dose_mg_per_m2", self.dose_mg_per_m2)

    @property
    def end(self) -> float:
        return self.start + 1440.0

    def drive(self, x, p) -> np.ndarray:
        ka = _rate(p["stim_clonidine_absorption_half_life"])
        ke = _rate(p["stim_clonidine_half_life"])
        level = self.dose_mg_per_m2 / p["stim_clonidine_reference_dose"] * bateman(x, ka, ke)
        k50 = p["stim_clonidine_ec50"]
        return p["stim_clonidine_drive_gain"] * level / (level + k50) * (1.0 + k50)

    def apply(self, t, channels, p) -> None:
        on = _window(t, self.start, self.end)
        channels["ghrh_drive_factor"][on] *= 1.0 + self.drive(np.asarray(t)[on] - self.start, p)
