r"""The published population PK/PD model of daily somatropin, as a reference beside the axis model.

Papathanasiou et al. (Clin Pharmacokinet 2021;60:1217) fitted GH and IGF-1 of GHD adults and
children after s.c. somatropin with an empirical model: one-compartment GH kinetics with
first-order absorption on top of a constant endogenous GH, and IGF-1 as an indirect response,

.. math::
    C(t) = C_\mathrm{endo} + \sum_i \frac{D_i}{V/F}\,\frac{k_a}{k_a - k}\,
           \left(e^{-k(t-t_i)} - e^{-k_a(t-t_i)}\right),\qquad k = \frac{CL/F}{V/F}

    \frac{dI}{dt} = K_{in,0} + E_\max\,\frac{C}{EC_{50} + C} - K_{out}\,I

with body weight scaling ``CL/F``, ``ka``, ``C_endo`` and ``E_max`` (adults and children have
their own ``E_max``). Parameters are the ``rx_pkpd_*`` entries of ``params/therapy.toml``.

It is not part of the axis model: no pulsatility, no feedback, no binding proteins. It is the
published baseline that the mechanistic model can be held against — e.g. feed the axis model's GH
(or an analogue's GH-equivalent) into :func:`reference_igf1` to ask whether a difference in
IGF-1 timing comes from the GH input or from the liver and IGF-1 kinetics.

Units: time min, GH µg/L (= ng/mL), IGF-1 ng/mL, doses mg, weight kg.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from scipy.signal import lfilter

from somatosim._validation import Interval, check
from somatosim.schedule import MIN_PER_DAY
from somatosim.subject import SUBJECT_CONSTRAINTS
from somatosim.therapy.products import (
    MIN_PER_H,
    UG_PER_MG,
    absorption_concentration,
    default_parameters,
)


def reference_parameters(weight_kg: float, adult: bool = True) -> dict[str, float]:
    """The published model's parameters for one body weight, rates per minute.

    Returns ``ka`` and ``k`` (1/min), ``volume`` (L), ``endogenous_gh`` (µg/L), ``kin0`` and
    ``emax`` (ng/mL/min), ``kout`` (1/min) and ``ec50`` (µg/L).
    """
    check("weight_kg", weight_kg, SUBJECT_CONSTRAINTS["weight_kg"])
    p = default_parameters()
    w = weight_kg / p["rx_pkpd_weight_pk"]
    clearance = p["rx_pkpd_clearance"] * w ** p["rx_pkpd_cl_weight_exponent"]
    if adult:
        emax = p["rx_pkpd_emax_adult"] * (weight_kg / p["rx_pkpd_weight_adult"]) ** p["rx_pkpd_emax_adult_weight_exponent"]
    else:
        emax = p["rx_pkpd_emax_child"] * (weight_kg / p["rx_pkpd_weight_child"]) ** p["rx_pkpd_emax_child_weight_exponent"]
    return {
        "ka": p["rx_pkpd_ka"] * w ** p["rx_pkpd_ka_weight_exponent"] / MIN_PER_H,
        "k": clearance / p["rx_pkpd_volume"] / MIN_PER_H,
        "volume": p["rx_pkpd_volume"],
        "endogenous_gh": p["rx_pkpd_endogenous_gh"] * w ** p["rx_pkpd_endogenous_weight_exponent"],
        "kin0": p["rx_pkpd_kin0"] / MIN_PER_H,
        "emax": emax / MIN_PER_H,
        "kout": p["rx_pkpd_kout"] / MIN_PER_H,
        "ec50": p["rx_pkpd_ec50"],
    }


def reference_gh(t_min, doses, weight_kg: float) -> np.ndarray:
    """GH (µg/L) of the published PK model at times ``t_min`` after s.c. ``doses``
    ``((time_min, amount_mg), ...)``: endogenous GH plus one Bateman function per dose
    (linear kinetics, so doses superpose)."""
    q = reference_parameters(weight_kg)
    t = np.asarray(t_min, dtype=float)
    gh = np.full(t.shape, q["endogenous_gh"])
    for k, (time, amount) in enumerate(doses):
        check(f"doses[{k}] amount_mg", amount, Interval(0.0, None, "mg"))
        gh += np.where(t >= time, absorption_concentration(t - time, amount * UG_PER_MG, q["volume"], q["ka"], q["k"]), 0.0)
    return gh


def reference_igf1(t_min, gh, weight_kg: float, adult: bool = True) -> np.ndarray:
    """IGF-1 (ng/mL) of the published indirect-response model driven by the GH series ``gh``
    (µg/L) on the evenly spaced times ``t_min``, starting from its steady state at the
    endogenous GH of this body weight.

    Between samples GH production is taken as linear in time, and the linear equation is solved
    exactly on each step (a first-order recursive filter), so the result does not depend on an
    ODE solver's tolerances.
    """
    t = np.asarray(t_min, dtype=float)
    x = np.asarray(gh, dtype=float)
    if t.ndim != 1 or t.size < 2 or x.shape != t.shape:
        raise ValueError(f"t_min and gh must be 1-D of the same length >= 2; got shapes {t.shape} and {x.shape}")
    h = np.diff(t)
    if not np.allclose(h, h[0], rtol=1e-9) or h[0] <= 0:
        raise ValueError("t_min must be evenly spaced and increasing")
    check("gh", float(x.min()), Interval(0.0, None, "ug/L"))
    q = reference_parameters(weight_kg, adult)
    k, h = q["kout"], float(h[0])
    u = q["kin0"] + q["emax"] * x / (q["ec50"] + x)
    c = q["endogenous_gh"]
    start = (q["kin0"] + q["emax"] * c / (q["ec50"] + c)) / k
    a = np.exp(-k * h)
    # exact integral over one step of exp(-k (h - s)) (u0 + (u1 - u0) s / h) ds
    w1 = (1.0 - a) / k
    w2 = (h / k - w1 / k) / h
    drive = u[:-1] * w1 + (u[1:] - u[:-1]) * w2
    out = np.empty_like(u)
    out[0] = start
    out[1:] = lfilter([1.0], [1.0, -a], drive, zi=[a * start])[0]
    return out


def reference_treatment(doses, days: float, weight_kg: float, *, adult: bool = True,
                        step_min: float = 10.0) -> xr.Dataset:
    """GH and IGF-1 of the published model over ``days`` days after s.c. somatropin ``doses``
    ``((time_min, amount_mg), ...)`` — any schedule, missed doses and dose changes included.

    Returns a Dataset with ``gh`` (µg/L) and ``igf1`` (ng/mL) on ``time`` (min from midnight of
    day 0), like :func:`somatosim.therapy.simulate_treatment` for one subject.
    """
    check("days", days, Interval(0.0, None, "days", low_open=True))
    check("step_min", step_min, Interval(0.0, 60.0, "min", low_open=True))
    t = np.arange(0.0, days * MIN_PER_DAY + step_min / 2, step_min)
    gh = reference_gh(t, doses, weight_kg)
    igf1 = reference_igf1(t, gh, weight_kg, adult)
    return xr.Dataset({"gh": ("time", gh), "igf1": ("time", igf1)}, coords={"time": t},
                      attrs={"model": "Papathanasiou 2021 population PK/PD (reference)",
                             "weight_kg": weight_kg, "adult": int(adult)})


def reference_daily(dose_mg_per_day: float, days: int, weight_kg: float, *, adult: bool = True,
                    injection_clock_h: float | None = None, step_min: float = 10.0) -> xr.Dataset:
    """:func:`reference_treatment` of daily s.c. somatropin ``dose_mg_per_day`` for ``days``
    days, injected at ``injection_clock_h`` (default the regimens' evening clock)."""
    check("dose_mg_per_day", dose_mg_per_day, Interval(0.0, None, "mg/day"))
    check("days", days, Interval(1, None, "days"))
    clock = default_parameters()["rx_injection_clock"] if injection_clock_h is None else injection_clock_h
    check("injection_clock_h", clock, Interval(0.0, 24.0, "h", high_open=True))
    doses = [(d * MIN_PER_DAY + clock * MIN_PER_H, dose_mg_per_day) for d in range(int(days))]
    ds = reference_treatment(doses, days, weight_kg, adult=adult, step_min=step_min)
    ds.attrs["dose_mg_per_day"] = dose_mg_per_day
    return ds
