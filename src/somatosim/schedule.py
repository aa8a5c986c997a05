"""A subject's day as a timeline of inputs: sleep (with slow-wave sleep) and meals.

Time is in minutes from midnight at the start of day 0 of a run (negative times belong to the
burn-in days before it). A :class:`Schedule` lists events; :func:`input_grid` turns it into the
deterministic input channels the model reads, on the integration grid:

* ``sws`` — slow-wave-sleep intensity (0–1, before the subject's age-dependent amplitude):
  it rises within minutes of sleep onset and fades over the night, so SWS is concentrated in
  the first sleep cycle (Van Cauter & Plat 1996);
* ``circadian`` — cosine of clock time around ``circadian_acrophase``;
* ``ghrelin`` — relative ghrelin level, 1 before meals, falling to a trough about an hour after
  each meal (Cummings et al. 2001).

New event kinds (exercise, fasting, stress, drug doses) extend :class:`Schedule` and add
channels here; the engines need no change beyond the channel list in :mod:`somatosim.model.axis`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from somatosim._validation import InputError

MIN_PER_DAY = 1440.0


@dataclass(frozen=True)
class SleepPeriod:
    """Sleep from ``start`` to ``end`` (min from midnight of day 0)."""

    start: float
    end: float

    def __post_init__(self):
        for name in ("start", "end"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise InputError(f"sleep.{name} = {v!r} is not allowed: expected a finite number of minutes")
        if self.end <= self.start:
            raise InputError(
                f"sleep period ({self.start:g}, {self.end:g}) min is not allowed: it ends before it starts "
                "(end must be later than start)"
            )


@dataclass(frozen=True)
class Schedule:
    """Sleep periods and meal times (min from midnight of day 0), sorted and non-overlapping."""

    sleep: tuple[SleepPeriod, ...] = ()
    meals: tuple[float, ...] = ()

    def __post_init__(self):
        sleep = tuple(sorted(self.sleep, key=lambda s: s.start))
        for a, b in zip(sleep, sleep[1:]):
            if b.start < a.end:
                raise InputError(
                    f"sleep periods ({a.start:g}, {a.end:g}) and ({b.start:g}, {b.end:g}) min overlap: "
                    "sleep periods must not overlap"
                )
        object.__setattr__(self, "sleep", sleep)
        object.__setattr__(self, "meals", tuple(sorted(float(m) for m in self.meals)))

    @classmethod
    def habitual(cls, subject, first_day: int, last_day: int) -> Schedule:
        """The subject's habitual sleep and meals repeated on days ``first_day..last_day``.

        The night that begins on ``first_day - 1`` is included, so that a run starting at
        midnight finds the subject asleep if their habit says so.
        """
        onset, dur = subject.sleep_onset_h * 60.0, subject.sleep_duration_h * 60.0
        sleep = [
            SleepPeriod(d * MIN_PER_DAY + onset, d * MIN_PER_DAY + onset + dur)
            for d in range(first_day - 1, last_day + 1)
        ]
        meals = [d * MIN_PER_DAY + m * 60.0 for d in range(first_day, last_day + 1) for m in subject.meal_times_h]
        return cls(tuple(sleep), tuple(meals))

    def asleep(self, t: np.ndarray) -> np.ndarray:
        """Boolean array: asleep at each time ``t`` (min)."""
        t = np.asarray(t, dtype=float)
        out = np.zeros(t.shape, dtype=bool)
        for s in self.sleep:
            out |= (t >= s.start) & (t < s.end)
        return out


#: Deterministic input channels built by :func:`input_grid`, in order.
GRID_CHANNELS = ("sws", "circadian", "ghrelin")


def sws_profile(elapsed, latency, decay):
    """Slow-wave-sleep intensity (0–1) ``elapsed`` minutes after sleep onset (0 before onset).

    ``(1 − e^{−x/latency}) e^{−x/decay}``, scaled to peak at 1.
    """
    x = np.maximum(np.asarray(elapsed, dtype=float), 0.0)
    x_peak = latency * math.log1p(decay / latency)
    peak = (1.0 - math.exp(-x_peak / latency)) * math.exp(-x_peak / decay)
    return (1.0 - np.exp(-x / latency)) * np.exp(-x / decay) / peak


def meal_kernel(elapsed, nadir_time):
    """Ghrelin suppression shape after a meal: ``(x/T) e^{1 − x/T}`` (peak 1 at ``T``), 0 before."""
    x = np.maximum(np.asarray(elapsed, dtype=float), 0.0) / nadir_time
    return x * np.exp(1.0 - x)


def input_grid(schedule: Schedule, times: Sequence[float] | np.ndarray, p: dict[str, float]) -> np.ndarray:
    """Deterministic input channels (``GRID_CHANNELS``) at ``times`` (min), shape ``(len(times), 3)``."""
    t = np.asarray(times, dtype=float)
    out = np.zeros((t.size, len(GRID_CHANNELS)))
    # Slow-wave sleep inside each sleep period.
    for s in schedule.sleep:
        lo, hi = np.searchsorted(t, [s.start, s.end])
        out[lo:hi, 0] = sws_profile(t[lo:hi] - s.start, p["sws_latency"], p["sws_decay"])
    # Circadian cosine of clock time.
    clock_h = (t / 60.0) % 24.0
    out[:, 1] = np.cos(2.0 * math.pi * (clock_h - p["circadian_acrophase"]) / 24.0)
    # Ghrelin: each meal suppresses it for a few hours (kernel negligible beyond 12 nadir times).
    suppression = np.zeros(t.size)
    horizon = 12.0 * p["ghrelin_meal_nadir_time"]
    for m in schedule.meals:
        lo, hi = np.searchsorted(t, [m, m + horizon])
        suppression[lo:hi] += meal_kernel(t[lo:hi] - m, p["ghrelin_meal_nadir_time"])
    out[:, 2] = 1.0 - p["ghrelin_meal_depth"] * np.minimum(suppression, 1.0)
    return out
