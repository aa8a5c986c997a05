r"""GH kinetics: two compartments, linear renal plus saturable extra-renal clearance.

Concentrations are µg/L of the central distribution volume :math:`V_1`; the peripheral
compartment is expressed in the same units (amount / :math:`V_1`).

.. math::
    \dot C_1 = S(t) - (k_r + k_e(C_1))\,C_1 - k_{12} C_1 + k_{21} C_2,\qquad
    \dot C_2 = k_{12} C_1 - k_{21} C_2,\qquad
    k_e(C) = k_{e0}\,\frac{K_m}{K_m + C}

The micro-constants come from published disposition data (:func:`micro_constants`):
biexponential disappearance of endogenous GH with half-lives 3.5 and 20.7 min
(Faria et al., JCEM 1989;68:535), metabolic clearance 319–340 L/m²/day and distribution
volume 60–78 mL/kg (Shah et al., JCEM 1999).
"""

from __future__ import annotations

import numpy as np

from somatosim.units import half_life_to_rate


def micro_constants(t_half_fast, t_half_slow, clearance_l_per_min, v1_l):
    """Two-compartment micro-constants from two half-lives, clearance and central volume.

    Parameters
    ----------
    t_half_fast, t_half_slow : float
        Half-lives of the fast and slow disposition phases, min.
    clearance_l_per_min : float
        Total (low-concentration) clearance, L/min.
    v1_l : float
        Central distribution volume, L.

    Returns
    -------
    dict with ``k10``, ``k12``, ``k21`` (1/min) and ``fast_fraction`` (unit-free share of a
    bolus disappearing with the fast phase).
    """
    alpha = half_life_to_rate(t_half_fast)
    beta = half_life_to_rate(t_half_slow)
    k10 = np.asarray(clearance_l_per_min, dtype=float) / np.asarray(v1_l, dtype=float)
    # For C(t) ∝ a·exp(-αt) + (1-a)·exp(-βt): 1/k10 = a/α + (1-a)/β.
    a = (1.0 / beta - 1.0 / k10) / (1.0 / beta - 1.0 / alpha)
    if np.any((a <= 0) | (a >= 1)):
        raise ValueError(
            "GH disposition: clearance/V1 must lie between the slow and fast phase rates; "
            f"got k10={k10!r}/min for phases {alpha!r} and {beta!r}/min"
        )
    k21 = a * beta + (1.0 - a) * alpha
    k10_check = alpha * beta / k21
    k12 = alpha + beta - k21 - k10_check
    return {"k10": k10_check, "k12": k12, "k21": k21, "fast_fraction": a}


def extrarenal_rate(gh, p):
    """Saturable (Michaelis–Menten) extra-renal elimination rate constant, 1/min."""
    km = p["gh_extrarenal_km"]
    return p["gh_extrarenal_k0"] * km / (km + gh)


def gh_rates(gh, gh_peripheral, secretion, p):
    """(dC1/dt, dC2/dt) in µg/L/min for central and peripheral GH; ``secretion`` in µg/L/min."""
    elimination = (p["gh_renal_k"] + extrarenal_rate(gh, p)) * gh
    d1 = secretion - elimination - p["gh_k12"] * gh + p["gh_k21"] * gh_peripheral
    d2 = p["gh_k12"] * gh - p["gh_k21"] * gh_peripheral
    return d1, d2
