r"""Liver: a GH-receptor signal that integrates GH over hours and drives IGF-1, IGFBP-3, ALS.

GH binding to hepatic GH receptors saturates (Emax, EC50 ≈ 2 µg/L; Papathanasiou et al.,
Clin Pharmacokinet 2021), and the JAK2–STAT5 signal that drives transcription of IGF-1,
IGFBP-3 and ALS integrates receptor occupancy over hours. Because occupancy saturates, a
pulse adds little beyond its first minutes while sustained inter-pulse GH keeps the signal
up, so IGF-1 follows mean and nadir GH rather than pulse mass (Barkan group, JCEM; see
models_and_targets.md §3.4).

Units: time min; GH µg/L; signal unit-free (0–1); IGF-1 production ng/mL/min (plasma);
IGFBP-3 and ALS mg/L.
"""

from __future__ import annotations

import math

import numpy as np


def receptor_occupancy(gh, p):
    """Fractional GH-receptor activation by bioactive GH (unit-free, 0–1)."""
    x = gh * p["gh_bioactivity"]
    return x / (x + p["ghr_ec50"])


def receptor_signal_rate(signal, occupancy, p):
    """d(signal)/dt, 1/min: first-order tracking of occupancy with time constant ``ghr_tau``."""
    return (p["ghr_sensitivity"] * occupancy - signal) / p["ghr_tau"]


def mean_receptor_drive(signal_records, signal_end, record_min, tau):
    """Mean receptor drive σ·o over a window, from the signal it produced.

    The signal follows ``ds/dt = (σ·o − s)/τ``, so over a window of length ``T`` sampled every
    ``record_min`` min (``signal_records`` on the first axis, starting at the window's start;
    ``signal_end`` the value at its end) the mean drive is exactly
    ``mean(s) + τ·(s_end − s_start)/T``. The steady signal of a repeated day is this mean.
    """
    s = np.asarray(signal_records)
    span = s.shape[0] * record_min
    return s.mean(axis=0) + np.asarray(tau) * (np.asarray(signal_end) - s[0]) / span


def igf1_production(signal, p):
    """Hepatic IGF-1 secretion into plasma, ng/mL/min.

    The transcriptional drive ``d = basal + (1 − basal)·signal`` (a signal-independent share plus
    the GH-driven part) sets the output ``igf1_production_max × hepatic_capacity × d / (1 + h·d)``.
    ``h = igf1_synthesis_saturation`` is the inverse of the liver's synthetic ceiling (in units of
    the drive). A healthy liver works far below it at its usual drive, and output begins to
    saturate only under pharmacological GH (the 24-h IGF-1 rise after a large test dose; the IGF-1
    plateau of acromegaly). A liver that has lost functional reserve (cirrhosis) has a much lower
    ceiling: it keeps its basal output but cannot raise it much when GH rises (Assy N et al. J
    Hepatol 2008;49:34).
    """
    b = p["igf1_production_basal_fraction"]
    drive = b + (1.0 - b) * signal
    return p["igf1_production_max"] * p["hepatic_capacity"] * drive / (1.0 + p["igf1_synthesis_saturation"] * drive)


def scaffold_steady_level(signal, basal_fraction, level_max, p):
    """Steady level (mg/L) of a GH-dependent IGF carrier protein (IGFBP-3 or ALS) at a constant
    receptor signal ``s``: ``level_max × (basal + (1 − basal)·s/(s + K))`` × hepatic capacity.

    Synthesis saturates in the signal (half-maximal at ``K = carrier_signal_k``): IGFBP-3 rises
    steeply from GH deficiency to replacement and then levels off (Møller 1993: 1.86, 3.26, 3.76,
    4.38 mg/L untreated and on 1, 2, 4 IU/m²/day).
    """
    k = p["carrier_signal_k"]
    return level_max * p["hepatic_capacity"] * (basal_fraction + (1.0 - basal_fraction) * signal / (signal + k))


def scaffold_rate(level, signal, basal_fraction, level_max, half_life, p):
    """d/dt of a GH-dependent IGF carrier protein (IGFBP-3 or ALS), mg/L/min.

    First-order turnover ``ln 2 / half_life`` towards :func:`scaffold_steady_level`, so
    ``level_max`` is the steady level at saturating signal.
    """
    k = math.log(2.0) / half_life
    return k * (scaffold_steady_level(signal, basal_fraction, level_max, p) - level)


def ternary_capacity(igfbp3, als, p):
    """IGF-1 ternary-complex binding capacity, ng/mL of IGF-1.

    IGFBP-3 sites not held by IGF-2 (``igf1_sites_per_igfbp3``, ng IGF-1 per mg IGFBP-3
    capacity) limited by ALS availability (half-saturation ``als_k``).
    """
    return p["igf1_sites_per_igfbp3"] * igfbp3 * als / (als + p["als_k"])
