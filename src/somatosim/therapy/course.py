r"""A resumable cohort run: the engine stepped window by window, with the state kept in between.

:func:`somatosim.simulate` runs a fixed schedule from a fresh burn-in. A titration course cannot:
the dose after each visit depends on the IGF-1 the model produced before it. :class:`CohortRun`
keeps the state of a cohort between calls, so that a course can simulate a window, read the
visit, change the doses and go on — and it can *skip* time.

Skipping time: the periodic-steady-state jump
---------------------------------------------
A titration visit reads IGF-1 weeks after the last dose change. Total IGF-1 follows a dose change
with the slow turnover of the hepatic GH-receptor signal (``ghr_tau`` 36 h), IGFBP-3, ALS and the
ternary complex (≈ 13–40 h), so within one to two weeks it settles on a periodic steady state
(one period = one dosing interval; Drake 1998: "the full effects of a change in dose are evident
within 2 weeks"). Everything between the dose change and that steady state is invisible to the
clinic. :meth:`CohortRun.jump` goes there directly:

1. simulate one dosing period (``warm-up``) on the new regimen from the previous state; the fast
   states (GH, hypothalamus) reach their new cycle within hours;
2. the hepatic signal obeys :math:`\tau \dot s = \sigma\,o(t) - s`, so over the window
   :math:`\overline{\sigma o} = \bar s + \tau\,(s_T - s_0)/T` *exactly*: this is the mean
   receptor drive of the new regimen, although :math:`s` itself has not yet settled. Set
   :math:`s` to it and the slow states (IGFBP-3, ALS, free/binary/ternary IGF-1) to their steady
   state at that signal (:func:`somatosim.model.axis.slow_steady_state`, the same step the burn-in
   of :func:`~somatosim.simulate` uses);
3. simulate ``settle`` more days to the visit, so that the within-period pattern (the weekly
   IGF-1 wave of long-acting products) is re-established around that mean.

The error of the jump is measured against full-resolution runs in ``tests/therapy`` and
``docs/therapy.md``.

Noise: day ``d`` of subject ``j`` always uses innovation chunk ``d`` of the subject's main stream
(as :func:`~somatosim.simulate` does), so a full-resolution :class:`CohortRun` reproduces
:func:`~somatosim.simulate` for the same seed, and a run that skips days draws the same noise on
the days it simulates.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

import numpy as np

from somatosim.model import axis, liver
from somatosim.params import ParameterSet, load_parameters
from somatosim.schedule import GRID_CHANNELS, MIN_PER_DAY, Schedule, input_grid
from somatosim.subject import Subject, subject_parameters

#: Observables a course records (one tuple everywhere, so JAX compiles the engine once per size).
OUTPUTS = ("gh", "gh_secretion", "igf1_total", "igfbp3", "ghr_signal", "gh_agonist")
#: Minutes between recorded outputs in therapy runs.
RECORD_MIN = 10.0
_CHANNEL_INDEX = {name: j for j, name in enumerate(GRID_CHANNELS)}


class EventIndex:
    """A subject's events sorted by start, for fast lookup of those acting in a time window."""

    def __init__(self, events: Sequence = ()):
        self.events = sorted(events, key=lambda e: e.start)
        self.starts = [e.start for e in self.events]
        self.longest = max((e.end - e.start for e in self.events), default=0.0)

    def overlapping(self, t0: float, t1: float) -> list:
        lo = bisect_left(self.starts, t0 - self.longest)
        hi = bisect_right(self.starts, t1)
        return [e for e in self.events[lo:hi] if e.end >= t0]


class CohortRun:
    """A cohort on the fast engine whose state persists between :meth:`run` calls.

    Parameters
    ----------
    subjects : sequence of Subject
    seed : int
        As for :func:`~somatosim.simulate` (random effects and noise).
    indices : sequence of int, optional
        Positions of these subjects in a larger cohort (random effects and noise streams follow the
        position, so a cohort split into batches gets the same numbers as run whole).
    params : dict of arrays, optional
        Per-subject parameters of these subjects (default: drawn here).
    """

    def __init__(self, subjects: Sequence[Subject], *, seed: int = 0, dt: float = 0.5, burn_in_days: int = 2,
                 variability: bool = True, overrides: dict | None = None, parameters: ParameterSet | None = None,
                 indices: Sequence[int] | None = None, params: dict | None = None):
        import jax.numpy as jnp

        from somatosim.engine import fast, noise

        self._fast, self._noise, self._jnp = fast, noise, jnp
        self.subjects = list(subjects)
        n = len(self.subjects)
        self.indices = np.arange(n) if indices is None else np.asarray(indices, dtype=int)
        self.seed, self.dt = int(seed), float(dt)
        self.steps = round(MIN_PER_DAY / dt)
        self.record_every = round(RECORD_MIN / dt)
        base = parameters or load_parameters()
        self.sched_p = base.floats()
        if params is None:
            params = subject_parameters(self.subjects, seed=seed, variability=variability, base=base,
                                        overrides=overrides)
        self.p_np = params
        self.p = {k: jnp.asarray(v) for k, v in params.items()}
        keys = []
        for s in self.subjects:
            k = (s.sleep_onset_h, s.sleep_duration_h, s.meal_times_h)
            keys.append(k)
        self._habits = list(dict.fromkeys(keys))
        self.habit = np.array([self._habits.index(k) for k in keys])
        self._reps = [next(s for s, k in zip(self.subjects, keys) if k == h) for h in self._habits]
        self.keys = self._subject_keys(noise.MAIN_STREAM)
        self._burn_in(burn_in_days)
        #: Days integrated so far (burn-in included): the cost of the run.
        self.days_simulated = burn_in_days

    # -- setup ------------------------------------------------------------------------------
    def _subject_keys(self, stream):
        import jax

        base = jax.random.fold_in(jax.random.PRNGKey(self.seed), stream)
        return jax.vmap(lambda j: jax.random.fold_in(base, j))(self._jnp.asarray(self.indices))

    def _burn_in(self, days: int) -> None:
        """Habitual days before day 0, exactly as :func:`somatosim.simulate` does them."""
        # the start state of simulate() itself, so that the two stay identical as the model grows
        from somatosim.simulation import initial_state, settle_slow_states

        jnp, noise, fast = self._jnp, self._noise, self._fast
        y = initial_state(self.p_np, len(self.subjects))
        keys_b = self._subject_keys(noise.BURN_IN_STREAM)
        nz = noise.stationary_start(keys_b)
        t_day = np.arange(self.steps + 1) * self.dt
        group = jnp.asarray(self.habit)
        for d in range(days, 0, -1):
            grid = np.stack([input_grid(Schedule.habitual(r, -d, -d), -d * MIN_PER_DAY + t_day, self.sched_p)
                             for r in self._reps], axis=1)
            xi = noise.chunk_innovations(keys_b, days - d, self.steps)
            yj, nz, obs = fast.run_chunk(jnp.asarray(y), nz, self.p, jnp.asarray(grid), group, xi, self.dt,
                                         n_records=self.steps, record_every=1, names=("ghr_signal",))
            y = settle_slow_states(np.asarray(yj), np.asarray(obs["ghr_signal"]), self.dt, self.p_np)
        self.y, self.nz = y, nz

    def _reset_slow(self, y, signal):
        from somatosim.simulation import reset_slow_states

        return reset_slow_states(y, signal, self.p_np)

    # -- running ----------------------------------------------------------------------------
    def _grid(self, day: int, events: Sequence[EventIndex]) -> np.ndarray:
        t = day * MIN_PER_DAY + np.arange(self.steps + 1) * self.dt
        base = np.stack([input_grid(Schedule.habitual(r, max(day - 1, 0), day), t, self.sched_p)
                         for r in self._reps])
        grid = np.empty((t.size, len(self.subjects), len(GRID_CHANNELS)))
        grid[:] = np.moveaxis(base[self.habit], 0, 1)
        for i, index in enumerate(events):
            acting = index.overlapping(t[0], t[-1])
            if acting:
                ch = {name: grid[:, i, j] for name, j in _CHANNEL_INDEX.items()}
                for e in acting:
                    e.apply(t, ch, self.sched_p)
        return grid

    def run(self, first_day: int, n_days: int, events: Sequence[EventIndex], names: tuple = OUTPUTS) -> dict:
        """Simulate days ``first_day … first_day + n_days − 1`` from the current state.

        ``events[i]`` holds subject ``i``'s events (absolute times). Returns ``{name: array
        (n_days·records per day, n_subjects)}`` recorded every :data:`RECORD_MIN` min from
        midnight of ``first_day``, plus ``"time"`` (min).
        """
        jnp, noise, fast = self._jnp, self._noise, self._fast
        if len(events) != len(self.subjects):
            raise ValueError("events: one EventIndex per subject expected")
        per_day = self.steps // self.record_every
        out = {k: np.empty((n_days * per_day, len(self.subjects))) for k in names}
        group = jnp.asarray(np.arange(len(self.subjects)))
        y = jnp.asarray(self.y)
        for k in range(n_days):
            day = first_day + k
            xi = noise.chunk_innovations(self.keys, day, self.steps)
            y, self.nz, obs = fast.run_chunk(y, self.nz, self.p, jnp.asarray(self._grid(day, events)), group, xi,
                                             self.dt, n_records=per_day, record_every=self.record_every, names=names)
            for name in names:
                out[name][k * per_day:(k + 1) * per_day] = np.asarray(obs[name])
        self.y = np.asarray(y)
        self.days_simulated += n_days
        out["time"] = first_day * MIN_PER_DAY + np.arange(n_days * per_day) * RECORD_MIN
        return out

    def drive(self, signal_records: np.ndarray) -> np.ndarray:
        """Mean receptor drive σ·o over a window whose ``ghr_signal`` records (every
        :data:`RECORD_MIN` min) end now: ``mean(s) + τ·(s_now − s_first)/T`` (module docstring)."""
        return liver.mean_receptor_drive(signal_records, self.y[:, axis.IX["ghr_signal"]], RECORD_MIN,
                                         self.p_np["ghr_tau"])

    def mark_reference(self, signal_records: np.ndarray) -> None:
        """Remember the current state as a point of a periodic orbit whose last period's
        ``ghr_signal`` records are given (the reference of the next :meth:`jump`)."""
        self.reference = (np.array(self.y), self.drive(signal_records))

    def jump(self, signal_records: np.ndarray) -> None:
        """Move the hepatic signal and the slow states to the periodic steady state of the regimen
        simulated in the window whose ``ghr_signal`` records (window ending now) are given.

        Without a reference: set the signal to the mean drive ``d`` and the slow states to their
        steady state at ``d``. With a reference orbit (state ``y_r`` at the same clock phase, mean
        drive ``d_r``, from :meth:`mark_reference`): shift the reference by the change of the
        steady state, ``y_r + SS(d) − SS(d_r)`` — this keeps the offset between a periodic orbit
        and the steady state of its mean signal (non-linear binding), which an absolute reset
        would lose.
        """
        target = self.drive(signal_records)
        ref = getattr(self, "reference", None)
        if ref is None:
            y = np.array(self.y)
            y[:, axis.IX["ghr_signal"]] = target
            self.y = self._reset_slow(y, target)
            return
        y_ref, d_ref = ref
        new = axis.slow_steady_state(np.asarray(target), self.p_np, np)
        old = axis.slow_steady_state(np.asarray(d_ref), self.p_np, np)
        y = np.array(self.y)
        i = axis.IX["ghr_signal"]
        y[:, i] = np.maximum(y_ref[:, i] + target - d_ref, 0.0)
        for name in new:
            j = axis.IX[name]
            y[:, j] = np.maximum(y_ref[:, j] + new[name] - old[name], 1e-9)
        self.y = y


def records_per_day() -> int:
    """Recorded values per simulated day."""
    return round(MIN_PER_DAY / RECORD_MIN)

