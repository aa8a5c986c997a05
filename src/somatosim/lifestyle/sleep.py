"""Sleep schedules: night shift, sleep deprivation and sleep restriction.

Sleep acts on the model through the schedule's sleep periods alone (slow-wave-sleep drive of
GHRH and withdrawal of somatostatin, strongest in the first sleep cycle; see
:mod:`somatosim.schedule`); these helpers only build the timelines the studies used. What the
model then predicts — GH following sleep onset to daytime sleep in night workers with an
unchanged 24-h total (Weibel et al., Chronobiol Int 1997), a smaller nocturnal GH peak during a
night without sleep (Mullington et al., Neuroendocrinology 1996;64:233) — is compared with the
studies in ``validation/lifestyle.py``.

Times: ``days`` are whole simulated days; clock times in hours.
"""

from __future__ import annotations

from somatosim._validation import InputError, Interval, check
from somatosim.schedule import MIN_PER_DAY, Meal, Schedule, SleepPeriod

_CLOCK = Interval(0, 24, "h (clock time)", high_open=True)
_HOURS = Interval(0, 16, "h", low_open=True)


def night_shift_schedule(subject, days: int, *, sleep_onset_h: float = 8.0, sleep_h: float = 7.5,
                         meal_times_h: tuple[float, ...] = (17.0, 23.0, 4.0)) -> Schedule:
    """Days of a night worker: sleep from ``sleep_onset_h`` (clock) for ``sleep_h`` hours, meals at
    ``meal_times_h`` on every day ``0..days-1`` (the sleep of the morning of day 0 included)."""
    check("sleep_onset_h", sleep_onset_h, _CLOCK)
    check("sleep_h", sleep_h, _HOURS)
    for m in meal_times_h:
        check("meal_times_h", m, _CLOCK)
    sleep = [SleepPeriod(d * MIN_PER_DAY + sleep_onset_h * 60.0, d * MIN_PER_DAY + (sleep_onset_h + sleep_h) * 60.0)
             for d in range(-1, days) if d * MIN_PER_DAY + (sleep_onset_h + sleep_h) * 60.0 > 0]
    meals = [Meal(d * MIN_PER_DAY + h * 60.0) for d in range(days) for h in meal_times_h]
    return Schedule(tuple(sleep), tuple(meals))


def sleep_deprivation_schedule(subject, days: int, *, nights_without_sleep: tuple[int, ...] = (0,)) -> Schedule:
    """The subject's habitual schedule on days ``0..days-1`` with no sleep on the nights that begin
    on the listed days (day 0's night = the evening of day 0)."""
    for d in nights_without_sleep:
        if not isinstance(d, int) or not 0 <= d < days:
            raise InputError(f"nights_without_sleep: {d!r} is not allowed: expected whole days in [0, {days - 1}]")
    base = Schedule.habitual(subject, 0, days - 1)
    onset = subject.sleep_onset_h * 60.0
    keep = tuple(s for s in base.sleep
                 if not any(abs(s.start - (d * MIN_PER_DAY + onset)) < 1e-6 for d in nights_without_sleep))
    return Schedule(keep, base.meals, base.events)


def restricted_sleep_schedule(subject, days: int, *, bed_h: float = 1.0, wake_h: float = 5.0) -> Schedule:
    """Habitual meals with sleep restricted to ``bed_h``–``wake_h`` (clock) every night (the
    sleep-debt design of Spiegel et al., Am J Physiol 2000;279:R874: 01:00–05:00)."""
    check("bed_h", bed_h, _CLOCK)
    check("wake_h", wake_h, _CLOCK)
    length = (wake_h - bed_h) % 24.0
    if length == 0:
        raise InputError("wake_h: expected a wake time different from bed_h")
    base = Schedule.habitual(subject, 0, days - 1)
    sleep = [SleepPeriod(d * MIN_PER_DAY + bed_h * 60.0, d * MIN_PER_DAY + (bed_h + length) * 60.0)
             for d in range(-1, days) if d * MIN_PER_DAY + (bed_h + length) * 60.0 > 0]
    return Schedule(tuple(sleep), base.meals, base.events)
