"""Pure time-course shapes shared by the lifestyle events (NumPy; times in min).

Every lifestyle event turns its own timeline into an input-channel factor on whatever grid of
times the engine asks for (the engine builds inputs one chunk at a time). The shapes here are
closed-form, so an event gives the same value at a given time whichever chunk asks for it.
"""

from __future__ import annotations

import math

import numpy as np


def erlang2_step(t, onset, tau):
    """Response of two first-order stages in series (each with time constant ``tau``, min) to a
    unit step at ``onset``: ``1 − e^{−s}(1 + s)``, ``s = (t − onset)/tau`` (0 before onset).

    Two stages give a sigmoid rise with a lag of about ``tau`` and a mean delay of ``2·tau``.
    """
    s = np.maximum(np.asarray(t, dtype=float) - onset, 0.0) / tau
    return 1.0 - np.exp(-s) * (1.0 + s)


def erlang2_pulse(t, start, end, tau):
    """Two-stage response to a unit pulse from ``start`` to ``end`` (min): step up minus step down."""
    return erlang2_step(t, start, tau) - erlang2_step(t, end, tau)


def first_order_step(t, onset, tau):
    """One first-order stage (time constant ``tau``, min) following a unit step at ``onset``."""
    s = np.maximum(np.asarray(t, dtype=float) - onset, 0.0) / tau
    return -np.expm1(-s)


def first_order_pulse(t, start, end, tau):
    """One first-order stage following a unit pulse from ``start`` to ``end`` (min)."""
    return first_order_step(t, start, tau) - first_order_step(t, end, tau)


def bolus_exposure(t, dose_time, half_life):
    """Amount left (fraction of the dose) of a bolus given at ``dose_time`` that is eliminated
    first-order with ``half_life`` (min); 0 before the dose."""
    x = np.asarray(t, dtype=float) - dose_time
    return np.where(x >= 0.0, np.exp(-math.log(2.0) * np.maximum(x, 0.0) / half_life), 0.0)


def gamma_bump(t, dose_time, peak_time):
    """Transient response peaking at 1, ``peak_time`` min after ``dose_time``:
    ``(x/T) e^{1 − x/T}`` (0 before the dose)."""
    x = np.maximum(np.asarray(t, dtype=float) - dose_time, 0.0) / peak_time
    return x * np.exp(1.0 - x)


def lowpass_states(edges, levels, tau, initial=0.0) -> np.ndarray:
    """Filter state at each edge for :func:`lowpass_piecewise` (the only sequential part; cache it
    when the same input is evaluated on many grids)."""
    edges = np.asarray(edges, dtype=float)
    levels = np.asarray(levels, dtype=float)
    rise, fall = (tau, tau) if np.isscalar(tau) else tau
    state = np.empty(edges.size)
    y = float(initial)
    for i in range(edges.size):
        state[i] = y
        if i + 1 < edges.size:
            target = levels[i]
            k = rise if target > y else fall
            y = target + (y - target) * math.exp(-(edges[i + 1] - edges[i]) / k)
    return state


def lowpass_piecewise(t, edges, levels, tau, initial=0.0, states=None):
    """First-order low-pass (time constant ``tau``, min) of a piecewise-constant input, exactly.

    The input equals ``levels[i]`` on ``[edges[i], edges[i+1])`` and ``levels[-1]`` after
    ``edges[-1]``; before ``edges[0]`` the output is ``initial`` (the filter at rest there).
    ``tau`` may be a pair ``(rise, fall)``: the output then approaches a higher input with the
    first and a lower one with the second time constant (both exact, because on each piece the
    direction of approach cannot change). ``states`` (from :func:`lowpass_states`) skips the
    sequential pass. Returns the filtered value at every time of ``t`` (any order).
    """
    t = np.asarray(t, dtype=float)
    edges = np.asarray(edges, dtype=float)
    levels = np.asarray(levels, dtype=float)
    rise, fall = (tau, tau) if np.isscalar(tau) else tau
    state = lowpass_states(edges, levels, tau, initial) if states is None else states
    out = np.full(t.shape, float(initial))
    idx = np.searchsorted(edges, t, side="right") - 1
    inside = idx >= 0
    j = idx[inside]
    y0, target = state[j], levels[j]
    k = np.where(target > y0, rise, fall)
    out[inside] = target + (y0 - target) * np.exp(-(t[inside] - edges[j]) / k)
    return out
