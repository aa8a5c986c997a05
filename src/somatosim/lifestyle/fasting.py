r"""Fasting, energy and protein intake: GH up within a day, IGF-1 down over days.

The mechanism is driven by what the subject eats, taken from the meals of the schedule:

* **Intake.** Energy and protein eaten in the trailing 24 h, relative to the subject's
  requirement (``nutrition_energy_per_kg`` × weight, the adults' habitual intake in Smith et al.,
  JCEM 1995;80:443) and reference protein intake (``nutrition_protein_per_kg`` × weight). A meal
  whose energy or protein is not stated counts as an ordinary meal: requirement / habitual number
  of meals. Regular meals therefore keep both ratios at 1 and the mechanism neutral; skipped
  meals, a fast or a restricted diet move them.
* **GH secretion (hours).** An energy deficit withdraws hypothalamic somatostatin (the
  ``srif_factor`` channel falls as the smoothed deficit rises), so GH pulses grow within a day of
  fasting (Hartman et al., JCEM 1992;74:757: 24-h GH production ×5 after 2 days).
* **Free fatty acids (days).** A sustained deficit raises plasma free fatty acids over the first
  week (0.43 → 1.55 mmol/L from day 1 to day 5 of a fast; Ho et al., J Clin Invest 1988;81:968),
  and free fatty acids inhibit GH release at the somatotroph (lowering them with acipimox raises
  GH several-fold; Peino et al., JCEM 1996;81:909). The deficit smoothed over about 4 days
  divides somatotroph release (``release_factor``), so the rise of day 2 comes down by day 5
  (Ho 1988: integrated GH ×3.1) although IGF-1 has fallen by then; refeeding lowers free fatty
  acids within hours.
* **Hepatic GH resistance (days).** The liver's IGF-1 response to GH falls with a sustained
  energy deficit and with low protein intake (``hepatic_factor``): IGF-1 is unchanged after 2
  days of fasting (Hartman 1992) but falls by 40–65 % by day 5 (Ho 1988; Isley, Underwood &
  Clemmons, J Clin Invest 1983;71:175) and recovers over days of refeeding, more slowly when the
  refeeding diet lacks protein (Isley 1983). Protein acts as a power law of the intake ratio,
  with the exponent of Fontana et al. (Aging Cell 2008;7:681: 1.67 → 0.95 g/kg/day lowered IGF-1
  194 → 152 ng/mL).

Limitations (said in ``docs/lifestyle.md``): the GH rise of the second day is capped by the
pituitary's GH synthesis (the store's refill rate) and trimmed by the free fatty acids already
rising, so the model reaches 3.4× of the 4.8× Hartman measured; long-term calorie restriction
without malnutrition, which does not lower IGF-1 in humans (Fontana 2008), is outside the model's
time scale (days to weeks).

Constants: ``params/lifestyle.toml`` (``nutrition_*``). Times in min from midnight of day 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from somatosim._validation import InputError, check_finite
from somatosim.lifestyle._timecourse import lowpass_piecewise, lowpass_states
from somatosim.schedule import MIN_PER_DAY, Meal, Schedule

#: Trailing window over which intake is summed, min (one day).
INTAKE_WINDOW_MIN = MIN_PER_DAY


def energy_requirement_kcal(subject, p) -> float:
    """Daily energy requirement of ``subject``, kcal/day."""
    return p["nutrition_energy_per_kg"] * subject.weight


def protein_reference_g(subject, p) -> float:
    """Reference (habitual) daily protein intake of ``subject``, g/day."""
    return p["nutrition_protein_per_kg"] * subject.weight


@dataclass(frozen=True)
class Nutrition:
    """Energy and protein intake acting on somatostatin and hepatic GH sensitivity.

    Parameters
    ----------
    meals : tuple of (time_min, energy_kcal, protein_g)
        Every meal that can fall in the trailing window from ``start`` on (include the day before
        ``start``: the builder :func:`nutrition_event` adds the habitual meals of that day).
    start, until : float
        First and last time the event acts, min.
    energy_requirement_kcal, protein_reference_g : float
        The subject's daily energy requirement and reference protein intake (per day).

    At ``start`` the subject is taken to be in the fed steady state.
    """

    meals: tuple[tuple[float, float, float], ...]
    start: float
    until: float
    energy_requirement_kcal: float
    protein_reference_g: float

    def __post_init__(self):
        for name in ("start", "until", "energy_requirement_kcal", "protein_reference_g"):
            v = getattr(self, name)
            check_finite(f"nutrition.{name}", v)
        if self.energy_requirement_kcal <= 0 or self.protein_reference_g <= 0:
            raise InputError("nutrition: energy_requirement_kcal and protein_reference_g must be > 0")
        object.__setattr__(self, "meals", tuple(sorted(tuple(float(x) for x in m) for m in self.meals)))

    @property
    def end(self) -> float:
        return self.until

    def intake(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Edges (min) and the energy and protein ratios (intake / reference, trailing 24 h) on
        each piece from ``start`` on."""
        return _intake(self)

    def signals(self, t, p) -> dict[str, np.ndarray]:
        """The smoothed signals at times ``t``: ``acute``, ``hepatic`` and ``lipolysis`` energy
        deficits (0–1) and the ``protein`` intake ratio (1 = reference)."""
        key = tuple(p[k] for k in _SIGNAL_PARAMETERS)
        edges, levels, states = _signal_states(self, key)
        return {name: lowpass_piecewise(t, edges, levels[name], tau, _INITIAL[name], states[name])
                for name, tau in _taus(dict(zip(_SIGNAL_PARAMETERS, key))).items()}

    def apply(self, t, channels, p) -> None:
        """Lower ``srif_factor`` with the acute energy deficit, ``release_factor`` with the slowly
        rising lipolysis of a sustained one, and ``hepatic_factor`` with the sustained energy
        deficit and the protein ratio."""
        on = t >= self.start
        if not on.any():
            return
        s = self.signals(t[on], p)
        channels["srif_factor"][on] *= 1.0 - p["nutrition_fast_srif_cut"] * s["acute"]
        channels["release_factor"][on] /= 1.0 + p["nutrition_ffa_inhibition"] * s["lipolysis"]
        channels["hepatic_factor"][on] *= ((1.0 - p["nutrition_fast_hepatic_cut"] * s["hepatic"])
                                           * s["protein"] ** p["nutrition_protein_exponent"])


#: Parameters the smoothed nutrition signals depend on (the cache key of their edge states).
_SIGNAL_PARAMETERS = ("nutrition_srif_tau", "nutrition_hepatic_tau_on", "nutrition_hepatic_tau_off",
                      "nutrition_ffa_tau_on", "nutrition_ffa_tau_off",
                      "nutrition_protein_tau", "nutrition_protein_ratio_floor", "nutrition_protein_ratio_cap")
#: Value of each signal in the fed steady state.
_INITIAL = {"acute": 0.0, "hepatic": 0.0, "lipolysis": 0.0, "protein": 1.0}


def _taus(p) -> dict:
    """Time constant (or rise/fall pair) of each smoothed signal, min."""
    return {"acute": p["nutrition_srif_tau"],
            "hepatic": (p["nutrition_hepatic_tau_on"], p["nutrition_hepatic_tau_off"]),
            "lipolysis": (p["nutrition_ffa_tau_on"], p["nutrition_ffa_tau_off"]),
            "protein": p["nutrition_protein_tau"]}


@lru_cache(maxsize=32)
def _intake(event: Nutrition) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    times = np.array([m[0] for m in event.meals])
    kcal = np.array([m[1] for m in event.meals])
    prot = np.array([m[2] for m in event.meals])
    edges = np.unique(np.concatenate([[event.start], times, times + INTAKE_WINDOW_MIN]))
    edges = edges[edges >= event.start]
    if times.size == 0:
        return edges, np.zeros(edges.size), np.zeros(edges.size)
    # intake in (e − window, e]: cumulative sums over the sorted meal times
    order = np.argsort(times)
    times, kcal, prot = times[order], np.cumsum(np.r_[0.0, kcal[order]]), np.cumsum(np.r_[0.0, prot[order]])
    hi = np.searchsorted(times, edges, side="right")
    lo = np.searchsorted(times, edges - INTAKE_WINDOW_MIN, side="right")
    energy = (kcal[hi] - kcal[lo]) / event.energy_requirement_kcal
    protein = (prot[hi] - prot[lo]) / event.protein_reference_g
    return edges, energy, protein


@lru_cache(maxsize=32)
def _signal_states(event: Nutrition, key: tuple[float, ...]):
    """Edges, input levels and filter states at the edges of the three signals (cached: the
    engine asks for the same event on one grid chunk after another)."""
    p = dict(zip(_SIGNAL_PARAMETERS, key))
    edges, energy, protein = _intake(event)
    deficit = np.clip(1.0 - energy, 0.0, 1.0)
    levels = {"acute": deficit, "hepatic": deficit, "lipolysis": deficit,
              "protein": np.clip(protein, p["nutrition_protein_ratio_floor"], p["nutrition_protein_ratio_cap"])}
    states = {name: lowpass_states(edges, levels[name], tau, _INITIAL[name]) for name, tau in _taus(p).items()}
    return edges, levels, states


def nutrition_event(schedule: Schedule, subject, p, *, start: float = 0.0, until: float | None = None) -> Nutrition:
    """The :class:`Nutrition` event of ``schedule``'s meals for ``subject`` (parameters ``p``).

    Meals without stated energy or protein are ordinary meals (requirement / habitual number of
    meals a day). The subject's habitual meals of the day before ``start`` are added, so that the
    run starts fed, as the burn-in days leave it.
    """
    e_req = energy_requirement_kcal(subject, p)
    p_ref = protein_reference_g(subject, p)
    n = max(len(subject.meal_times_h), 1)
    meals = [m for m in schedule.meals if m.time_min > start - INTAKE_WINDOW_MIN]
    if not any(m.time_min < start for m in meals):  # the day before: habitual meals
        day0 = math.floor(start / MIN_PER_DAY)
        habit = [(day0 + d) * MIN_PER_DAY + h * 60.0 for d in (-1, 0) for h in subject.meal_times_h]
        meals += [Meal(x) for x in habit if start - INTAKE_WINDOW_MIN < x < start]
    if until is None:
        last = max([m.time_min for m in meals] + [start])
        until = last + 30 * MIN_PER_DAY
    rows = tuple(
        (m.time_min,
         e_req / n if m.energy_kcal is None else m.energy_kcal,
         p_ref / n if m.protein_g is None else m.protein_g)
        for m in meals
    )
    return Nutrition(rows, float(start), float(until), e_req, p_ref)


@dataclass(frozen=True)
class Fast:
    """A fast from ``start`` to ``stop`` (min): no meals in between (water only).

    A scheduling object, not an event: :func:`fasting_schedule` drops the meals inside it and the
    :class:`Nutrition` event of the remaining meals carries the physiology (including refeeding).
    """

    start: float
    stop: float

    def __post_init__(self):
        for name in ("start", "stop"):
            v = getattr(self, name)
            check_finite(f"fast.{name}", v, "a finite number of minutes")
        if self.stop <= self.start:
            raise InputError(f"fast.stop = {self.stop:g} is not allowed: expected a time after start = "
                             f"{self.start:g} min")

    def contains(self, time_min: float) -> bool:
        return self.start <= time_min < self.stop


def fasting_schedule(subject, days: int, fasts, p, *, base: Schedule | None = None) -> Schedule:
    """The subject's habitual days (or ``base``) with the meals inside ``fasts`` removed and the
    :class:`Nutrition` event of what is left added."""
    fasts = tuple(fasts)
    base = base or Schedule.habitual(subject, 0, days)
    meals = tuple(m for m in base.meals if not any(f.contains(m.time_min) for f in fasts))
    sched = Schedule(base.sleep, meals, base.events)
    return sched.with_events(nutrition_event(sched, subject, p, until=days * MIN_PER_DAY))
