r"""GH products and their subcutaneous pharmacokinetics, as schedule events.

An injected dose is an *event* (:mod:`somatosim.schedule`): it computes, from its own
pharmacokinetics, what enters the model's input channels over time, and the axis model does
the rest. Nothing about IGF-1, clearance or feedback is written here.

=================== ================ ==============================================================
product             channel          what the dose puts into the model
=================== ================ ==============================================================
``somatropin``      ``gh_infusion``  unmodified GH absorbed from the injection site through a
                                     depot and two transit compartments (Erlang-3):
                                     :math:`F D k_a^3 t^2 e^{-k_a t}/2` µg/min, the shape of the
                                     published s.c. profile (peak 4-6 h, AUC/Cmax 8 h, apparent
                                     half-life 2.6 h). It joins endogenous GH
                                     in the central compartment, so its clearance, its action on
                                     the liver and its suppression of endogenous secretion are the
                                     model's own.
``lonapegsomatropin`` ``gh_infusion`` unmodified GH released from the TransCon prodrug: a chain of
                                     prodrug uptake (:math:`k_a`) and linker hydrolysis
                                     (:math:`k_r`, released-GH t½ 25 h),
                                     :math:`F D \frac{k_a k_r}{k_a-k_r}(e^{-k_r t}-e^{-k_a t})`.
``somapacitan``     ``gh_agonist``   albumin-bound analogue: one-compartment plasma concentration
                                     with first-order absorption and saturable (Michaelis–Menten)
                                     elimination (Juul 2019), times a relative potency →
                                     GH-equivalent µg/L on hepatic receptors and on the
                                     somatostatin feedback. Non-linear, so a dose's effect depends
                                     on the doses before it (``prior``; :func:`link_doses`).
``somatrogon``      ``gh_agonist``   CTP-fused analogue: one-compartment Bateman function with the
                                     published population CL/F and V/F (2-compartment model
                                     collapsed to its steady-state volume), times a potency.
=================== ================ ==============================================================

Simplifications (stated once, here): somapacitan's dual absorption (first-order plus zero-order
through a transit compartment, Juul 2019) is one first-order absorption, and its volume, Vmax and
absorption scale with body weight; somatrogon's PK is linear; the analogues' GH-equivalent
concentration is their plasma concentration times one calibrated potency, which lumps albumin
binding (somapacitan) or the CTP fusion (somatrogon) with intrinsic receptor potency; no
inter-individual variability of absorption.

Units: doses in mg (converted to µg inside events); times in min from midnight of day 0; rate
constants in the parameter file per hour, converted here.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from somatosim._validation import InputError, OneOf, check
from somatosim.params import load_parameters

MIN_PER_H = 60.0
UG_PER_MG = 1000.0


@dataclass(frozen=True)
class Product:
    """A GH product: how it is given and which input channel it acts on."""

    key: str
    name: str
    mechanism: str  # "somatropin" | "prodrug" | "analogue"
    channel: str  # "gh_infusion" | "gh_agonist"
    interval_days: int  # 1 (daily) or 7 (weekly)
    adult_use: bool
    child_use: bool
    description: str

    @property
    def weekly(self) -> bool:
        return self.interval_days == 7


#: The products somatosim knows, by key.
PRODUCTS: dict[str, Product] = {
    "somatropin": Product(
        "somatropin", "somatropin (daily rhGH)", "somatropin", "gh_infusion", 1, True, True,
        "recombinant human GH, s.c. once daily (Genotropin, Norditropin, Omnitrope, ...)",
    ),
    "lonapegsomatropin": Product(
        "lonapegsomatropin", "lonapegsomatropin (Skytrofa)", "prodrug", "gh_infusion", 7, True, True,
        "TransCon prodrug: mPEG-linked somatropin released by linker hydrolysis; doses in mg somatropin",
    ),
    "somapacitan": Product(
        "somapacitan", "somapacitan (Sogroya)", "analogue", "gh_agonist", 7, True, True,
        "GH analogue with an albumin-binding side chain, once weekly",
    ),
    "somatrogon": Product(
        "somatrogon", "somatrogon (Ngenla)", "analogue", "gh_agonist", 7, False, True,
        "GH fused to three copies of the hCG-beta C-terminal peptide, once weekly (children only)",
    ),
}

#: Accepted spellings of product names (lower case) -> key.
ALIASES: dict[str, str] = {
    "somatropin": "somatropin", "rhgh": "somatropin", "gh": "somatropin", "daily": "somatropin",
    "genotropin": "somatropin", "norditropin": "somatropin", "omnitrope": "somatropin",
    "humatrope": "somatropin", "saizen": "somatropin", "nutropin": "somatropin",
    "lonapegsomatropin": "lonapegsomatropin", "skytrofa": "lonapegsomatropin", "transcon": "lonapegsomatropin",
    "somapacitan": "somapacitan", "sogroya": "somapacitan",
    "somatrogon": "somatrogon", "ngenla": "somatrogon",
}


def get_product(name: str | Product, field: str = "product") -> Product:
    """The :class:`Product` called ``name`` (key, brand or alias, any case)."""
    if isinstance(name, Product):
        return name
    key = ALIASES.get(name.strip().lower()) if isinstance(name, str) else None
    if key is None:
        check(field, name, OneOf(tuple(PRODUCTS)))
    return PRODUCTS[key]


@cache
def default_parameters() -> dict[str, float]:
    """The packaged parameters as floats (read once)."""
    return load_parameters().floats()


# --- pure pharmacokinetic shapes (t: min since the dose; rates: 1/min) --------------------------

def transit_absorption_flux(t, amount, ka, stages=2):
    """Absorption flux (amount/min) of ``amount`` through a depot and ``stages − 1`` transit
    compartments, all emptying at ``ka``: the Erlang density
    ``amount·ka^n·t^(n−1)·e^(−ka·t)/(n−1)!`` with ``n = stages`` (0 before the dose); it peaks at
    ``(n − 1)/ka``."""
    x = np.maximum(np.asarray(t, dtype=float), 0.0)
    n = int(stages)
    return amount * ka ** n * x ** (n - 1) * np.exp(-ka * x) / math.factorial(n - 1)


def transit_peak_flux(amount, ka, stages):
    """Largest value of :func:`transit_absorption_flux` (amount/min)."""
    n = int(stages)
    return amount * ka * (n - 1) ** (n - 1) * math.exp(-(n - 1)) / math.factorial(n - 1)


def chain_flux(t, amount, k1, k2):
    """Outflow (amount/min) of the second of two first-order compartments in series (rates k1,
    k2) after ``amount`` enters the first: ``amount·k1·k2/(k1−k2)·(e^(−k2 t) − e^(−k1 t))``."""
    x = np.maximum(np.asarray(t, dtype=float), 0.0)
    if abs(k1 - k2) < 1e-9 * max(k1, k2):
        return transit_absorption_flux(x, amount, k1)
    return amount * k1 * k2 / (k1 - k2) * (np.exp(-k2 * x) - np.exp(-k1 * x))


def absorption_concentration(t, amount, volume, ka, ke):
    """Plasma concentration (amount/volume) of a one-compartment drug with first-order absorption
    ``ka`` and elimination ``ke`` after an s.c. ``amount`` (Bateman function)."""
    x = np.maximum(np.asarray(t, dtype=float), 0.0)
    if abs(ka - ke) < 1e-9 * max(ka, ke):
        return amount / volume * ka * x * np.exp(-ka * x)
    return amount / volume * ka / (ka - ke) * (np.exp(-ke * x) - np.exp(-ka * x))


def bateman_tmax(ka: float, ke: float) -> float:
    """Time of the peak of the Bateman function (same time unit as 1/rates)."""
    if abs(ka - ke) < 1e-12 * max(ka, ke):
        return 1.0 / ka
    return math.log(ka / ke) / (ka - ke)


def ka_for_tmax(tmax: float, ke: float) -> float:
    """The absorption rate constant (> ke) whose Bateman peak falls at ``tmax`` for elimination
    ``ke``; requires ``tmax < 1/ke``."""
    if not tmax * ke < 1.0:
        raise ValueError(f"no absorption rate gives Tmax {tmax:g} with elimination {ke:g}: need Tmax < 1/ke")
    return brentq(lambda ka: bateman_tmax(ka, ke) - tmax, ke * (1 + 1e-9), 1e3 / tmax)


def mm_concentration(t, doses, volume, ka, vmax, km, cl=0.0, until=None) -> np.ndarray:
    """Plasma concentration (amount/volume) at times ``t`` of a one-compartment drug with
    first-order absorption ``ka`` and parallel linear (``cl``, volume/time) and saturable
    Michaelis–Menten (``vmax`` amount/time, ``km`` amount/volume) elimination, after s.c. doses
    ``((time, amount), ...)``:

    ``dA/dt = −ka·A`` (each dose adds to the depot ``A``), ``dC/dt = ka·A/V − cl·C/V − vmax·C/(V·(km + C))``.

    Non-linear elimination does not superpose, so the whole dose train is integrated at once
    (SciPy, restarted at every dose; solutions are cached, so evaluating one dose train on many
    time grids is cheap). The solution runs to ``until`` (default: the last dose plus
    ``rx_absorption_tail`` slowest time constants); later times, and times before the
    first dose, give 0. The result is finite and ≥ 0.
    """
    x = np.asarray(t, dtype=float)
    doses = tuple(sorted((float(a), float(b)) for a, b in doses if b > 0))
    out = np.zeros(x.shape)
    if not doses:
        return out
    if until is None:
        slowest = min(ka, vmax / (volume * km) + cl / volume)
        until = doses[-1][0] + default_parameters()["rx_absorption_tail"] / slowest
    bounds, sols = _mm_solution(doses, float(volume), float(ka), float(vmax), float(km), float(cl), float(until))
    for (lo, hi), sol in zip(bounds, sols):
        m = (x >= lo) & (x <= hi)
        if np.any(m):
            out[m] = sol(x[m])[1]
    return np.maximum(out, 0.0)


@lru_cache(maxsize=4096)
def _mm_solution(doses, volume, ka, vmax, km, cl, until):
    """Piecewise dense solutions ``(bounds, solutions)`` of :func:`mm_concentration`'s ODE."""

    def rhs(_t, y):
        c = max(y[1], 0.0)
        return [-ka * y[0], (ka * y[0] - cl * c - vmax * c / (km + c)) / volume]

    scale = max(a for _, a in doses) / volume
    times = [d for d, _ in doses]
    y = np.zeros(2)
    bounds, sols = [], []
    for k, (t0, amount) in enumerate(doses):
        y = y + np.array([amount, 0.0])
        t1 = times[k + 1] if k + 1 < len(doses) else max(until, t0)
        if t1 <= t0:
            continue
        r = solve_ivp(rhs, (t0, t1), y, method="LSODA", dense_output=True, rtol=1e-8,
                      atol=[1e-10 * scale * volume, 1e-10 * scale])
        bounds.append((t0, t1))
        sols.append(r.sol)
        y = r.y[:, -1]
    return tuple(bounds), tuple(sols)


# --- per-product rate constants, from the parameter dict -----------------------------------------

def somatropin_ka(p) -> float:
    """Absorption rate constant of daily somatropin, 1/min."""
    return p["rx_somatropin_ka"] / MIN_PER_H


def lonapeg_rates(p) -> tuple[float, float]:
    """(uptake, release) rate constants of lonapegsomatropin, 1/min."""
    return p["rx_lonapeg_absorption_rate"] / MIN_PER_H, math.log(2.0) / (p["rx_lonapeg_release_half_life"] * MIN_PER_H)


def somapacitan_pk(p, adult: bool) -> tuple[float, float, float, float]:
    """(ka 1/min, V L/kg, Vmax µg/min/kg, Km µg/L) of somapacitan: first-order absorption and
    Michaelis–Menten elimination (Juul 2019), calibrated in children; adults' absorption and
    elimination are slower by the ratio of the published terminal half-lives (children 34 h,
    adults 2–3 days), with the same concentrations per mg/kg at the peak."""
    ka = p["rx_somapacitan_ka"] / MIN_PER_H
    vmax = p["rx_somapacitan_vmax"] / MIN_PER_H
    if adult:
        slow = p["rx_somapacitan_half_life_child"] / p["rx_somapacitan_half_life_adult"]
        ka, vmax = ka * slow, vmax * slow
    return ka, p["rx_somapacitan_volume"], vmax, p["rx_somapacitan_km"]


def analogue_rates(product: str, p, adult: bool) -> tuple[float, float, float]:
    """(ka, ke, volume per kg) of a linear long-acting analogue (somatrogon); rates 1/min, volume
    L/kg. Somapacitan's PK is non-linear: :func:`somapacitan_pk`."""
    if product == "somatrogon":
        v = p["rx_somatrogon_volume"]
        ke = p["rx_somatrogon_clearance"] / v
        ka = ka_for_tmax(p["rx_somatrogon_tmax"], ke)
    else:
        raise ValueError(f"{product!r} is not a long-acting analogue with linear PK")
    return ka / MIN_PER_H, ke / MIN_PER_H, v


def slowest_rate(product: str, p, adult: bool) -> float:
    """The slowest rate constant (1/min) of a product's dose response (sets how long it acts); for
    somapacitan, elimination at low concentrations (fastest) or absorption, whichever is slower."""
    if product == "somatropin":
        return somatropin_ka(p)
    if product == "lonapegsomatropin":
        return min(lonapeg_rates(p))
    if product == "somapacitan":
        ka, v, vmax, km = somapacitan_pk(p, adult)
        return min(ka, vmax / (v * km))
    ka, ke, _ = analogue_rates(product, p, adult)
    return min(ka, ke)


def acting_minutes(product: str, p, adult: bool) -> float:
    """How long (min) one dose of ``product`` keeps acting: ``rx_absorption_tail`` of its slowest
    time constants (:func:`slowest_rate`)."""
    return p["rx_absorption_tail"] / slowest_rate(product, p, adult)


#: Products whose pharmacokinetics are non-linear (a dose's effect depends on earlier doses).
NONLINEAR = frozenset({"somapacitan"})


@dataclass(frozen=True)
class InjectionEvent:
    """One s.c. injection of ``amount_mg`` of ``product`` at ``start`` (min): a schedule event.

    ``weight_kg`` (for the analogues' distribution volume) and ``adult`` (somapacitan's half-life)
    belong to the patient, so they travel with the event; every other number comes from the
    parameter dict ``p`` at :meth:`apply` time. ``end`` is when the dose has (all but) finished
    acting (``rx_absorption_tail`` slowest time constants). Build with :func:`injection`.

    ``prior`` — ``((start min, amount mg), ...)`` of the patient's earlier injections of the same
    product still acting at ``start`` — matters only for non-linear PK (:data:`NONLINEAR`): the
    dose then adds what the whole train with it gives minus the train without it, so the events of
    a dose train sum to the concentration of the train (:func:`link_doses` fills it in).
    """

    product: str
    start: float
    end: float
    amount_mg: float
    weight_kg: float
    adult: bool = True
    prior: tuple = ()

    def channel_input(self, t, p) -> np.ndarray:
        """What this dose adds to its channel at times ``t`` (µg/min or GH-equivalent µg/L)."""
        x = np.asarray(t, dtype=float) - self.start
        amount = self.amount_mg * UG_PER_MG
        if self.product == "somatropin":
            return transit_absorption_flux(x, p["rx_somatropin_bioavailability"] * amount, somatropin_ka(p),
                                           p["rx_somatropin_absorption_stages"])
        if self.product == "lonapegsomatropin":
            k1, k2 = lonapeg_rates(p)
            return chain_flux(x, p["rx_somatropin_bioavailability"] * amount, k1, k2)
        if self.product == "somapacitan":
            ka, v, vmax, km = somapacitan_pk(p, self.adult)
            w = self.weight_kg
            tail = acting_minutes(self.product, p, self.adult)
            prior = tuple((s, a * UG_PER_MG) for s, a in self.prior)
            t_abs = np.asarray(t, dtype=float)
            conc = mm_concentration(t_abs, prior + ((self.start, amount),), v * w, ka, vmax * w, km,
                                    until=self.start + tail)
            if prior:
                conc = np.maximum(conc - mm_concentration(t_abs, prior, v * w, ka, vmax * w, km,
                                                          until=max(s for s, _ in prior) + tail), 0.0)
            return p["rx_somapacitan_potency"] * np.where(x >= 0.0, conc, 0.0)
        ka, ke, v = analogue_rates(self.product, p, self.adult)
        conc = absorption_concentration(x, amount, v * self.weight_kg, ka, ke)
        return p[f"rx_{self.product}_potency"] * conc

    def apply(self, t, channels, p) -> None:
        on = (t >= self.start) & (t <= self.end)
        if np.any(on):
            channels[PRODUCTS[self.product].channel][on] += self.channel_input(t[on], p)


def injection(product: str | Product, time_min: float, amount_mg: float, weight_kg: float, adult: bool = True,
              p: dict[str, float] | None = None, prior=()) -> InjectionEvent:
    """An :class:`InjectionEvent` of ``amount_mg`` (> 0) of ``product`` at ``time_min``; ``prior``:
    earlier injections ``((time_min, amount_mg), ...)`` of the same product for the same patient
    (used by non-linear PK only; those that have stopped acting by ``time_min`` are dropped)."""
    prod = get_product(product)
    if not (isinstance(amount_mg, (int, float)) and math.isfinite(amount_mg) and amount_mg > 0):
        raise InputError(f"injection.amount_mg = {amount_mg!r} is not allowed: expected a number > 0 mg")
    p = default_parameters() if p is None else p
    tail = acting_minutes(prod.key, p, adult)
    kept = ()
    if prod.key in NONLINEAR:
        kept = tuple(sorted((float(s), float(a)) for s, a in prior if time_min - tail <= s < time_min and a > 0))
    return InjectionEvent(prod.key, float(time_min), float(time_min) + tail, float(amount_mg), float(weight_kg),
                          bool(adult), kept)


def link_doses(events) -> list:
    """``events`` (in their order) with each non-linear-PK injection's ``prior`` set to the earlier
    injections of the same product for the same patient (weight, age group) that still act when it
    is given; other events unchanged. Call it on the whole list of one patient's events."""
    events = list(events)
    out = []
    for ev in events:
        if not (isinstance(ev, InjectionEvent) and ev.product in NONLINEAR):
            out.append(ev)
            continue
        prior = tuple(sorted((e.start, e.amount_mg) for e in events
                             if isinstance(e, InjectionEvent) and e is not ev and e.product == ev.product
                             and e.weight_kg == ev.weight_kg and e.adult == ev.adult
                             and e.start < ev.start <= e.end))
        out.append(dataclasses.replace(ev, prior=prior))
    return out


def single_dose_profile(product: str | Product, amount_mg: float, weight_kg: float = 70.0, adult: bool = True,
                        hours: float = 168.0, step_min: float = 10.0) -> tuple[np.ndarray, np.ndarray]:
    """(t in h, channel input) of one dose from the product's own PK, without the axis model:
    µg/min of somatropin entering the circulation, or GH-equivalent µg/L of an analogue."""
    ev = injection(product, 0.0, amount_mg, weight_kg, adult)
    t = np.arange(0.0, hours * MIN_PER_H + step_min / 2, step_min)
    return t / MIN_PER_H, ev.channel_input(t, default_parameters())
