r"""IGF-1 in plasma: free ⇄ binary (IGFBP-1/-2/-4) ⇄ ternary (IGFBP-3/-5 + ALS) pools.

Each pool is removed from the circulation at its own rate — free IGF-1 within about 10 min,
binary complexes within about 25 min, ternary complexes over about 13 h
(Guler HP et al., Acta Endocrinol 1989;121:753) — and exchanges with free IGF-1. Ternary
binding needs vacant capacity (IGFBP-3 with ALS), which the liver makes under GH control,
so total IGF-1 (what a lab measures) is dominated by the slow ternary pool while free IGF-1
tracks production within minutes.

.. math::
    \dot F &= P - k_F F - k_{FB} F + k_{BF} B - k_{FT} F (1 - T/C) + k_{TF} T \\
    \dot B &= k_{FB} F - (k_{BF} + k_B) B \\
    \dot T &= k_{FT} F (1 - T/C) - (k_{TF} + k_T) T

Units: ng/mL and 1/min.
"""

from __future__ import annotations


def binding_rates(free, binary, ternary, production, capacity, p):
    """(dF/dt, dB/dt, dT/dt), ng/mL/min."""
    to_binary = p["igf_binary_on"] * free - p["igf_binary_off"] * binary
    to_ternary = p["igf_ternary_on"] * free * (1.0 - ternary / capacity) - p["igf_ternary_off"] * ternary
    d_free = production - p["igf_free_k"] * free - to_binary - to_ternary
    d_binary = to_binary - p["igf_binary_k"] * binary
    d_ternary = to_ternary - p["igf_ternary_k"] * ternary
    return d_free, d_binary, d_ternary


def steady_state(production, capacity, p, xp):
    """Free, binary and ternary IGF-1 (ng/mL) at steady state for constant production/capacity.

    Setting the derivatives to zero gives B = b·F with b = k_FB/(k_BF + k_B) and
    T = k_FT·F / (a + k_FT·F/C) with a = k_TF + k_T; mass balance
    P = (k_F + k_B·b)·F + k_T·T is then a quadratic in F with one positive root.
    """
    b = p["igf_binary_on"] / (p["igf_binary_off"] + p["igf_binary_k"])
    a = p["igf_ternary_off"] + p["igf_ternary_k"]
    kon = p["igf_ternary_on"]
    c1 = p["igf_free_k"] + p["igf_binary_k"] * b
    qa = c1 * kon
    qb = c1 * a * capacity - production * kon + p["igf_ternary_k"] * kon * capacity
    qc = -production * a * capacity
    free = (-qb + xp.sqrt(qb * qb - 4.0 * qa * qc)) / (2.0 * qa)
    ternary = kon * free / (a + kon * free / capacity)
    return free, b * free, ternary
