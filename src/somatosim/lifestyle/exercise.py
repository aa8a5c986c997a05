r"""Exercise: GH release scaled by intensity above an onset near the lactate threshold.

A bout is described by its start, duration and **intensity relative to the lactate threshold**
(LT; 1 = at LT, the usual way exercise-endocrinology studies set the dose). Interval training
(HIIT) is a sequence of such segments. The physiology, in the model's terms:

* **What acts.** Three routes, all proposed for the exercise GH response (reviewed by Wideman
  et al., Sports Med 2002;32:987): (1) exercise withdraws hypothalamic somatostatin, basal tone
  and GH-recruited release alike, by at most a fraction :math:`w` (reached as soon as the bout is
  above the onset intensity); (2) adrenergic input raises the GHRH-neurone drive in proportion
  to the exercise drive, :math:`1 + h\,x(t)` (α-blockade blunts the response; the α2-agonist
  clonidine releases GHRH); (3) while the bout lasts, GH does not recruit the somatostatin that
  ends a spontaneous burst (its GH-driven release is divided by :math:`1 + k\,x(t)`, :math:`k`
  large). Route 3 is the model's reading of two findings: integrated GH keeps rising with bout
  length (×2.3 from 30 to 60 min, Wideman/Weltman group, J Appl Physiol 2006) and repeated bouts
  are augmented rather than refractory (Kanaley et al., J Appl Physiol 1997;83:1756).
* **Dose.** The drive of a segment is its intensity above an onset,
  :math:`L = \max(0, I - I_0)`. Pritzlaff et al. (J Appl Physiol 1999;87:498) found integrated GH
  rising *linearly* with intensity from 0.25× to 1.75× LT; the regression of their increments over
  control meets zero at about 0.3× LT, which is :math:`I_0`. The graded part of the response is
  the GHRH drive; the steep somatostatin → GH relation makes it somewhat supralinear
  (1.75 vs 0.75× LT: about 2.9 against the published 2.3).
* **Drift.** At a constant work rate the drive keeps rising through a session,
  :math:`\times (1 + d\,t_s)` with :math:`t_s` the hours since the session began (segments less
  than ``SESSION_GAP_MIN`` apart, such as HIIT intervals, are one session): catecholamines and core
  temperature climb throughout prolonged exercise (Galbo et al., J Appl Physiol 1975;38:70), and
  integrated GH grows more than in proportion to bout length (×2.3 from 30 to 60 min, ×3.9 to
  120 min in men; Wideman/Weltman group, J Appl Physiol 2006).
* **Time course and the 10-min rule.** The drive reaches the hypothalamus through two
  first-order stages (time constant :math:`\tau`, an Erlang lag standing for the build-up of
  lactate, catecholamines and afferent signals), so a bout must last about 10 min before GH
  rises (Felsing, Brasel & Cooper, JCEM 1992;75:157) and the peak falls near the end of a
  30-min bout (Kanaley et al., J Appl Physiol 1997;83:1756).
* **Afterwards.** Nothing is added for the post-exercise fall of GH: when the bout ends, the
  GH → somatostatin feedback returns in full on the GH the bout released, which is what makes GH
  fall below baseline for a few hours (Wideman 2002).
* **Training.** After endurance training the GH response to the same absolute load is smaller
  (238 → 130 µg/L·min; Weltman et al., Med Sci Sports Exerc 1997;29:669); a trained subject's
  bout is scaled by that ratio.

Every constant is in ``params/lifestyle.toml`` (``exercise_*``). Times in min from midnight of
day 0.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from somatosim._validation import InputError, Interval, check
from somatosim.lifestyle._params import default
from somatosim.lifestyle._timecourse import erlang2_pulse

#: Declared limits of exercise inputs. Intensity is a multiple of the lactate-threshold work rate:
#: peak aerobic power lies near 1.6-2× LT and sprint intervals reach about 3× (supramaximal).
EXERCISE_CONSTRAINTS = {
    "duration_min": Interval(0, 600, "min", low_open=True),
    "intensity": Interval(0, 3, "x lactate threshold"),
    "percent_vo2max": Interval(0, 150, "% VO2max"),
    "repeats": Interval(1, 100),
    "work_min": Interval(0, 60, "min", low_open=True),
    "rest_min": Interval(0, 60, "min"),
}
#: Segments separated by at most this rest (min) belong to one session, whose elapsed time the
#: drive's drift counts (the rests of interval training are minutes; separate bouts hours apart).
SESSION_GAP_MIN = 30.0
#: The Erlang response is below 0.1 % of its peak this many time constants after a segment.
_TAIL_TAUS = 12.0


def _finite(field: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"{field} = {value!r} is not allowed: expected a finite number of minutes")
    return float(value)


def intensity_from_vo2max(percent_vo2max: float, lt_percent_vo2max: float) -> float:
    """Intensity (× lactate threshold) of work at ``percent_vo2max`` % of VO2max for a person whose
    lactate threshold lies at ``lt_percent_vo2max`` % of VO2max."""
    check("exercise.percent_vo2max", percent_vo2max, EXERCISE_CONSTRAINTS["percent_vo2max"])
    return percent_vo2max / lt_percent_vo2max


@dataclass(frozen=True)
class Exercise:
    """Exercise as segments ``(start_min, end_min, intensity)``, intensity × lactate threshold.

    Build it with :func:`bout` (one steady bout) or :func:`hiit` (intervals). ``trained`` marks a
    subject after endurance training (smaller response to the same load, Weltman 1997).
    Implements the schedule's event protocol (``start``, ``end``, ``apply``).
    """

    segments: tuple[tuple[float, float, float], ...]
    trained: bool = False

    def __post_init__(self):
        segs = tuple(tuple(float(x) for x in s) for s in self.segments)
        if not segs:
            raise InputError("exercise.segments = () is not allowed: expected at least one segment")
        for i, (a, b, intensity) in enumerate(segs):
            _finite(f"exercise.segments[{i}].start", a)
            _finite(f"exercise.segments[{i}].end", b)
            check(f"exercise.segments[{i}].intensity", intensity, EXERCISE_CONSTRAINTS["intensity"])
            if b <= a:
                raise InputError(f"exercise.segments[{i}].end = {b:g} is not allowed: expected a time after "
                                 f"its start = {a:g} min")
        ordered = sorted(segs)
        for (a0, b0, _), (a1, _, _) in itertools.pairwise(ordered):
            if a1 < b0:
                raise InputError(f"exercise segment starting at {a1:g} min is not allowed: it overlaps the "
                                 f"segment {a0:g}-{b0:g} min (segments must not overlap)")
        object.__setattr__(self, "segments", tuple(ordered))
        if not isinstance(self.trained, bool):
            raise InputError(f"exercise.trained = {self.trained!r} is not allowed: expected True or False")

    @property
    def start(self) -> float:
        """Start of the first segment, min."""
        return self.segments[0][0]

    @property
    def exercise_end(self) -> float:
        """End of the last segment, min."""
        return max(b for _, b, _ in self.segments)

    @property
    def end(self) -> float:
        """Last time the event acts, min (the hypothalamic drive outlasts the exercise a little)."""
        return self.exercise_end + _TAIL_TAUS * default("exercise_drive_tau")

    def _session_starts(self) -> list[float]:
        """Start of the continuous session each segment belongs to (segments closer than
        ``SESSION_GAP_MIN`` are one session, e.g. the intervals of a HIIT set)."""
        starts, session, last_end = [], 0.0, -math.inf
        for a, b, _ in self.segments:
            if a - last_end > SESSION_GAP_MIN:
                session = a
            starts.append(session)
            last_end = b
        return starts

    def drive(self, t, p) -> np.ndarray:
        """Hypothalamic exercise drive ``x(t)`` (× LT above onset, lagged), unit-free."""
        t = np.asarray(t, dtype=float)
        x = np.zeros(t.shape)
        onset, tau = p["exercise_intensity_onset"], p["exercise_drive_tau"]
        drift = p["exercise_drive_drift"] / 60.0
        for (a, b, intensity), session in zip(self.segments, self._session_starts(), strict=True):
            load = max(0.0, intensity - onset)
            if load > 0.0:
                elapsed = np.clip(t - session, 0.0, b - session)
                x += load * (1.0 + drift * elapsed) * erlang2_pulse(t, a, b, tau)
        if self.trained:
            x *= p["exercise_training_factor"]
        return x

    def apply(self, t, channels, p) -> None:
        """Withdraw somatostatin (``srif_factor`` × ``1 − w·x/(x + x½)``), suspend its GH-recruited
        release (``srif_feedback_factor`` ÷ ``1 + k·x``) and raise the GHRH drive
        (``ghrh_drive_factor`` × ``1 + h·x``), with ``x(t)`` the exercise drive."""
        x = self.drive(t, p)
        channels["srif_factor"] *= 1.0 - p["exercise_srif_withdrawal"] * x / (x + p["exercise_srif_half"])
        channels["srif_feedback_factor"] /= 1.0 + p["exercise_feedback_withdrawal"] * x
        channels["ghrh_drive_factor"] *= 1.0 + p["exercise_ghrh_gain"] * x


def bout(start: float, duration_min: float, intensity: float, *, trained: bool = False) -> Exercise:
    """One steady bout from ``start`` (min) lasting ``duration_min`` at ``intensity`` × LT."""
    start = _finite("exercise.start", start)
    check("exercise.duration_min", duration_min, EXERCISE_CONSTRAINTS["duration_min"])
    check("exercise.intensity", intensity, EXERCISE_CONSTRAINTS["intensity"])
    return Exercise(((start, start + float(duration_min), float(intensity)),), trained=trained)


def hiit(start: float, *, work_min: float, rest_min: float, repeats: int, work_intensity: float,
         rest_intensity: float = 0.0, trained: bool = False) -> Exercise:
    """High-intensity intervals: ``repeats`` × (``work_min`` at ``work_intensity`` then ``rest_min`` at
    ``rest_intensity``), both × LT, from ``start`` (min). The last rest is not included."""
    start = _finite("exercise.start", start)
    for name, v in (("work_min", work_min), ("rest_min", rest_min), ("repeats", repeats)):
        check(f"exercise.{name}", v, EXERCISE_CONSTRAINTS[name])
    if int(repeats) != repeats:
        raise InputError(f"exercise.repeats = {repeats!r} is not allowed: expected a whole number")
    check("exercise.work_intensity", work_intensity, EXERCISE_CONSTRAINTS["intensity"])
    check("exercise.rest_intensity", rest_intensity, EXERCISE_CONSTRAINTS["intensity"])
    segs = []
    t = start
    for i in range(int(repeats)):
        segs.append((t, t + work_min, float(work_intensity)))
        t += work_min
        if rest_min > 0 and i < repeats - 1:
            if rest_intensity > 0:
                segs.append((t, t + rest_min, float(rest_intensity)))
            t += rest_min
    return Exercise(tuple(segs), trained=trained)
