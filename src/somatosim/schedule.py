"""A subject's day as a timeline of inputs: sleep (with slow-wave sleep), meals and other events.

Time is in minutes from midnight at the start of day 0 of a run (negative times belong to the
burn-in days before it). A :class:`Schedule` lists events; :func:`input_grid` turns it into the
deterministic input channels the model reads, on the integration grid:

* ``sws`` — slow-wave-sleep intensity (0–1, before the subject's age-dependent amplitude):
  it rises within minutes of sleep onset and fades over the night, so SWS is concentrated in
  the first sleep cycle (Van Cauter & Plat 1996);
* ``circadian`` — cosine of clock time around ``circadian_acrophase``;
* ``ghrelin`` — relative ghrelin level, 1 before meals, falling to a trough about an hour after
  each meal (Cummings et al. 2001).

* ``glucose_appearance`` — glucose entering the circulation from meals (mg/min), a gamma-shaped
  absorption of each meal's carbohydrate.

Every other channel of :data:`CHANNELS` (exogenous GHRH, GH secretagogues, somatropin, hepatic
GH sensitivity, …) is neutral unless an *event* of the schedule acts on it. An event is any object
with a ``start`` and ``end`` (min; ``end`` is the last time it acts) and a method
``apply(t, channels, p)`` that adds to additive channels or multiplies factor channels in
place (see :class:`Infusion`); exercise bouts, drug doses and test protocols are events defined
in the modules of their physiology. The engines need no change when a new event kind appears.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from somatosim._validation import InputError, check_finite

MIN_PER_DAY = 1440.0


@dataclass(frozen=True)
class SleepPeriod:
    """Sleep from ``start`` to ``end`` (min from midnight of day 0)."""

    start: float
    end: float

    def __post_init__(self):
        for name in ("start", "end"):
            v = getattr(self, name)
            check_finite(f"sleep.{name}", v, "a finite number of minutes")
        if self.end <= self.start:
            raise InputError(
                f"sleep period ({self.start:g}, {self.end:g}) min is not allowed: it ends before it starts "
                "(end must be later than start)"
            )


@dataclass(frozen=True)
class Meal:
    """A meal at ``time_min`` (min from midnight of day 0).

    ``carbohydrate_g`` sets the glucose it delivers (default: ``meal_carbohydrate`` of the
    parameter files); ``energy_kcal`` and ``protein_g`` are kept for the nutrition mechanisms.
    The meal's time also drives the ghrelin meal signal.
    """

    time_min: float
    energy_kcal: float | None = None
    protein_g: float | None = None
    carbohydrate_g: float | None = None

    def __post_init__(self):
        for name in ("time_min", "energy_kcal", "protein_g", "carbohydrate_g"):
            v = getattr(self, name)
            if v is None and name != "time_min":
                continue
            check_finite(f"meal.{name}", v)
            if name != "time_min" and v < 0:
                raise InputError(f"meal.{name} = {v!r} is not allowed: expected a value >= 0")


@dataclass(frozen=True)
class Infusion:
    """A constant rate added to an additive input channel from ``start`` to ``end`` (min).

    ``rate`` is in the channel's unit (see :data:`CHANNELS`), e.g. µg/min of GH into
    ``gh_infusion``. The simplest event; richer ones (doses with absorption, exercise) follow
    the same ``apply`` protocol.
    """

    channel: str
    start: float
    end: float
    rate: float

    def __post_init__(self):
        if self.channel not in CHANNELS or CHANNELS[self.channel][0] != 0.0:
            allowed = ", ".join(k for k, v in CHANNELS.items() if v[0] == 0.0)
            raise InputError(f"infusion.channel = {self.channel!r} is not allowed: expected one of {allowed}")
        for name in ("start", "end", "rate"):
            v = getattr(self, name)
            check_finite(f"infusion.{name}", v)
        if self.end <= self.start:
            raise InputError(f"infusion.end = {self.end!r} is not allowed: expected a time after start = {self.start!r}")
        if self.rate < 0:
            raise InputError(f"infusion.rate = {self.rate!r} is not allowed: expected a rate >= 0")

    def apply(self, t, channels, p) -> None:
        on = (t >= self.start) & (t < self.end)
        channels[self.channel][on] += self.rate


@dataclass(frozen=True)
class Schedule:
    """Sleep periods, meals and other events (min from midnight of day 0).

    Sleep periods are sorted and must not overlap; meals may be given as times (min) or
    :class:`Meal` objects; ``events`` hold anything with the event protocol (module docstring).
    """

    sleep: tuple[SleepPeriod, ...] = ()
    meals: tuple[Meal | float, ...] = ()
    events: tuple = ()

    def __post_init__(self):
        sleep = tuple(sorted(self.sleep, key=lambda s: s.start))
        for a, b in itertools.pairwise(sleep):
            if b.start < a.end:
                raise InputError(
                    f"sleep periods ({a.start:g}, {a.end:g}) and ({b.start:g}, {b.end:g}) min overlap: "
                    "sleep periods must not overlap"
                )
        meals = tuple(m if isinstance(m, Meal) else Meal(m) for m in self.meals)
        for e in self.events:
            if not callable(getattr(e, "apply", None)) or not hasattr(e, "start") or not hasattr(e, "end"):
                raise InputError(f"schedule.events: {e!r} is not an event (needs start, end and apply(t, channels, p))")
        object.__setattr__(self, "sleep", sleep)
        object.__setattr__(self, "meals", tuple(sorted(meals, key=lambda m: m.time_min)))
        object.__setattr__(self, "events", tuple(self.events))

    @property
    def meal_times(self) -> tuple[float, ...]:
        """Meal times, min."""
        return tuple(m.time_min for m in self.meals)

    def with_events(self, *events) -> Schedule:
        """A copy of this schedule with ``events`` added."""
        return Schedule(self.sleep, self.meals, self.events + tuple(events))

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
        meals = [Meal(d * MIN_PER_DAY + m * 60.0) for d in range(first_day, last_day + 1) for m in subject.meal_times_h]
        return cls(tuple(sleep), tuple(meals))

    def asleep(self, t: np.ndarray) -> np.ndarray:
        """Boolean array: asleep at each time ``t`` (min)."""
        t = np.asarray(t, dtype=float)
        out = np.zeros(t.shape, dtype=bool)
        for s in self.sleep:
            out |= (t >= s.start) & (t < s.end)
        return out


#: Deterministic input channels built by :func:`input_grid`, in order: name → (neutral value,
#: unit, meaning). Channels whose neutral value is 0 are additive, those at 1 are factors.
CHANNELS: dict[str, tuple[float, str, str]] = {
    "sws": (0.0, "1", "slow-wave-sleep intensity (0-1)"),
    "circadian": (0.0, "1", "cosine of clock time around the circadian acrophase"),
    "night_wake": (0.0, "1", "circadian night window while awake (0-1): sleep-independent nocturnal GH drive, masked by sleep"),
    "ghrelin": (1.0, "1", "endogenous ghrelin relative to the pre-meal level"),
    "ghrh_drive_factor": (1.0, "1", "factor on the excitatory drive of GHRH neurones (exercise, alpha-2 agonists)"),
    "srif_factor": (1.0, "1", "factor on periventricular somatostatin release, basal tone and GH autofeedback alike (arginine, exercise, fasting < 1; glucocorticoids > 1)"),
    "srif_feedback_factor": (1.0, "1", "further factor on the GH-recruited (autofeedback) share of periventricular somatostatin release only (exercise)"),
    "ghrh_exogenous": (0.0, "pg/mL", "exogenous GHRH reaching the somatotrophs, portal-equivalent concentration"),
    "ghs_exogenous": (0.0, "1", "exogenous GH secretagogue (e.g. macimorelin) in units of the pre-meal ghrelin level"),
    "gh_infusion": (0.0, "ug/min", "exogenous somatropin entering the central GH compartment"),
    "gh_agonist": (0.0, "ug/L", "long-acting GH-receptor agonist in plasma, GH-equivalent concentration"),
    "release_factor": (1.0, "1", "factor on somatotroph GH release (free fatty acids of a sustained fast)"),
    "hepatic_factor": (1.0, "1", "factor on hepatic GH-receptor signalling (fasting, inflammation, oral estrogen)"),
    "glucose_appearance": (0.0, "mg/min", "glucose entering the circulation (meals, glucagon)"),
    "insulin_infusion": (0.0, "mU/min", "exogenous insulin entering plasma"),
}
GRID_CHANNELS = tuple(CHANNELS)


def sws_profile(elapsed, latency, decay):
    """Slow-wave-sleep intensity (0–1) ``elapsed`` minutes after sleep onset (0 before onset).

    ``(1 − e^{−x/latency}) e^{−x/decay}``, scaled to peak at 1.
    """
    x = np.maximum(np.asarray(elapsed, dtype=float), 0.0)
    x_peak = latency * math.log1p(decay / latency)
    peak = (1.0 - math.exp(-x_peak / latency)) * math.exp(-x_peak / decay)
    return (1.0 - np.exp(-x / latency)) * np.exp(-x / decay) / peak


def night_window(clock_h, acrophase_h, sharpness):
    """Circadian night window (0–1) at clock time ``clock_h`` (h): ``max(0, cos(2π(h − φ)/24))^n``,
    1 at the acrophase ``φ``; with ``n`` = 8 it is above one half for about 3 h.
    """
    c = np.cos(2.0 * math.pi * (np.asarray(clock_h, dtype=float) - acrophase_h) / 24.0)
    return np.maximum(c, 0.0) ** sharpness


def meal_kernel(elapsed, nadir_time):
    """Ghrelin suppression shape after a meal: ``(x/T) e^{1 − x/T}`` (peak 1 at ``T``), 0 before."""
    x = np.maximum(np.asarray(elapsed, dtype=float), 0.0) / nadir_time
    return x * np.exp(1.0 - x)


def input_grid(schedule: Schedule, times: Sequence[float] | np.ndarray, p: dict[str, float]) -> np.ndarray:
    """Deterministic input channels (:data:`GRID_CHANNELS`) at ``times`` (min).

    Returns an array of shape ``(len(times), len(GRID_CHANNELS))``. ``times`` must be sorted.
    """
    t = np.asarray(times, dtype=float)
    ch = {name: np.full(t.size, neutral) for name, (neutral, _, _) in CHANNELS.items()}
    # Slow-wave sleep inside each sleep period.
    asleep = np.zeros(t.size, dtype=bool)
    for s in schedule.sleep:
        lo, hi = np.searchsorted(t, [s.start, s.end])
        ch["sws"][lo:hi] = sws_profile(t[lo:hi] - s.start, p["sws_latency"], p["sws_decay"])
        asleep[lo:hi] = True
    # Circadian cosine of clock time, and the circadian night window where it finds the subject awake.
    clock_h = (t / 60.0) % 24.0
    ch["circadian"] = np.cos(2.0 * math.pi * (clock_h - p["circadian_acrophase"]) / 24.0)
    ch["night_wake"] = np.where(asleep, 0.0, night_window(clock_h, p["night_wake_acrophase"], p["night_wake_sharpness"]))
    # Meals: ghrelin falls for a few hours; carbohydrate appears as glucose (kernels negligible
    # beyond 12 of their time constants).
    suppression = np.zeros(t.size)
    t_ghr, t_abs = p["ghrelin_meal_nadir_time"], p["meal_absorption_peak_time"]
    for m in schedule.meals:
        lo, hi = np.searchsorted(t, [m.time_min, m.time_min + 12.0 * max(t_ghr, t_abs)])
        x = t[lo:hi] - m.time_min
        suppression[lo:hi] += meal_kernel(x, t_ghr)
        carbs = p["meal_carbohydrate"] if m.carbohydrate_g is None else m.carbohydrate_g
        # kernel integrates to e·T, so the meal delivers bioavailability × carbohydrate in total.
        ch["glucose_appearance"][lo:hi] += (
            1000.0 * carbs * p["meal_glucose_bioavailability"] * meal_kernel(x, t_abs) / (math.e * t_abs)
        )
    ch["ghrelin"] = 1.0 - p["ghrelin_meal_depth"] * np.minimum(suppression, 1.0)
    # Everything else comes from events.
    if t.size:
        for e in schedule.events:
            if e.end >= t[0] and e.start <= t[-1]:
                e.apply(t, ch, p)
    return np.stack([ch[name] for name in GRID_CHANNELS], axis=-1)
