"""Metrics computed from simulated series the way the literature computed them.

Series are 1-D arrays on a regular grid (``dt`` min). Windows are given in min since
midnight of day 0.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import find_peaks

#: A secretory burst is a peak of the secretion rate standing at least this multiple of the
#: subject's mean secretion rate above its surroundings (prominence). Deconvolution reports
#: bursts whose mass is distinguishable from assay noise; on noise-free secretion this
#: relative threshold plays that role.
BURST_PROMINENCE_OF_MEAN = 0.5
#: Bursts closer than this are one burst (deconvolution resolves ~20-min-apart bursts at
#: 5-min sampling; Hartman 1992 reports bursts within volleys 44 min apart).
BURST_MIN_SEPARATION_MIN = 20.0
#: Distribution volume used by deconvolution studies: 7.9 % of body weight (Hartman 1992).
DECONVOLUTION_VD_L_PER_KG = 0.079


def window(x, times, start, end):
    """Values of ``x`` (last axis = time) with ``start <= times < end``."""
    m = (times >= start) & (times < end)
    return x[..., m]


def bursts(secretion, dt=1.0):
    """Indices of secretory bursts in a secretion-rate series."""
    secretion = np.asarray(secretion, dtype=float)
    prom = BURST_PROMINENCE_OF_MEAN * secretion.mean()
    idx, _ = find_peaks(secretion, prominence=prom, distance=max(1, int(BURST_MIN_SEPARATION_MIN / dt)))
    return idx


def burst_count(secretion, dt=1.0, duration_min=1440.0):
    """Bursts per 24 h."""
    return len(bursts(secretion, dt)) * 1440.0 / duration_min


def interburst_interval(secretion, dt=1.0):
    """Mean interval between consecutive bursts, min (NaN with fewer than two bursts)."""
    idx = bursts(secretion, dt)
    return float(np.mean(np.diff(idx)) * dt) if len(idx) > 1 else float("nan")


def production_per_lv(secretion_ug_per_l_min, v1_l, weight_kg, dt=1.0):
    """24-h GH production in µg per litre of deconvolution distribution volume (µg/L_v).

    The model secretes into its central volume V1; the total mass is re-expressed per litre of
    the 7.9 %-of-body-weight volume used by Hartman 1992 so the numbers compare like with like.
    """
    mass_ug = np.sum(secretion_ug_per_l_min) * dt * v1_l
    return mass_ug / (DECONVOLUTION_VD_L_PER_KG * weight_kg)


def production_ug(secretion_ug_per_l_min, v1_l, dt=1.0):
    """Total GH secreted, µg."""
    return float(np.sum(secretion_ug_per_l_min) * dt * v1_l)


def mono_exponential_half_life(times, conc):
    """Half-life (same unit as ``times``) of a log-linear least-squares fit."""
    slope = np.polyfit(np.asarray(times, float), np.log(np.asarray(conc, float)), 1)[0]
    return float(np.log(2.0) / -slope)


def coefficient_of_variation(x):
    """SD / mean over the last axis."""
    x = np.asarray(x, dtype=float)
    return x.std(axis=-1) / x.mean(axis=-1)


def r_squared(x, y):
    """Squared Pearson correlation."""
    return float(np.corrcoef(np.asarray(x, float), np.asarray(y, float))[0, 1] ** 2)
