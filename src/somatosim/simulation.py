"""``simulate``: one person or ten thousand, through the same code path.

A run starts on the subject's own typical day: burn-in days of the habitual schedule (with an
independent noise stream) bring the fast states onto their daily cycle, and after each burn-in
day the slow states (IGFBP-3, ALS, the IGF-1 pools) are set to the steady state of that day's
mean GH-receptor signal. Time 0 of the returned data is midnight.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

from somatosim._validation import InputError, Interval, OneOf, as_number, check
from somatosim.model import axis, liver
from somatosim.params import ParameterSet, load_parameters
from somatosim.schedule import MIN_PER_DAY, Schedule, input_grid
from somatosim.subject import Subject, subject_parameters

SIMULATE_CONSTRAINTS = {
    "days": Interval(0, 3660, "days", low_open=True),
    "dt": Interval(0.05, 2.0, "min"),
    "record_interval": Interval(0.05, 1440.0, "min"),
    "burn_in_days": Interval(1, 30, "days"),
    "seed": Interval(0, 2**31 - 1),
    "engine": OneOf(("fast", "reference")),
}

#: Observables returned by default.
DEFAULT_OUTPUTS = ("gh", "gh_secretion", "igf1_total", "igf1_free", "igf1_binary", "igf1_ternary",
                   "igfbp3", "als")

# Fast states at the start of the first burn-in day; the burn-in erases them.
_FAST_START = {"ghrh": 100.0, "srif_pev": 50.0, "srif_arc": 20.0, "gh_store": 1.0, "somatotroph_activation": 0.0, "gh": 0.5,
               "gh_peripheral": 0.5, "ghr_signal": 0.2}


def initial_state(p: dict[str, np.ndarray], n: int) -> np.ndarray:
    """State (``(n, len(STATES))``) at the start of the burn-in: fast states at nominal values,
    glucose and insulin at basal, slow states at the steady state of that start."""
    y = np.zeros((n, len(axis.STATES)))
    for name, v in _FAST_START.items():
        y[:, axis.IX[name]] = v
    y[:, axis.IX["glucose"]] = p["glucose_basal"]
    y[:, axis.IX["insulin"]] = p["insulin_basal"]
    for i, name in enumerate(axis.STATES):
        if name.startswith("gh_delay_"):
            y[:, i] = _FAST_START["gh"]
    return reset_slow_states(y, y[:, axis.IX["ghr_signal"]], p)


def reset_slow_states(y, signal, p):
    """``y`` with IGFBP-3, ALS and the IGF-1 pools set to the steady state of a constant
    GH-receptor ``signal`` (one value per subject)."""
    y = np.array(y)
    for name, v in axis.slow_steady_state(np.asarray(signal), p, np).items():
        y[:, axis.IX[name]] = v
    return y


def settle_slow_states(y, signal_records, record_min, p):
    """End state ``y`` of a burn-in day with the hepatic signal (time constant about a day) and the
    slow states moved to the steady state of that day's mean receptor drive.

    ``signal_records``: the day's ``ghr_signal`` every ``record_min`` min from its start.
    """
    y = np.array(y)
    drive = liver.mean_receptor_drive(signal_records, y[:, axis.IX["ghr_signal"]], record_min, p["ghr_tau"])
    y[:, axis.IX["ghr_signal"]] = drive
    return reset_slow_states(y, drive, p)


def _groups(subjects: Sequence[Subject]):
    """Distinct habitual days (sleep and meals) and each subject's index among them."""
    keys, index = [], []
    for s in subjects:
        k = (s.sleep_onset_h, s.sleep_duration_h, s.meal_times_h)
        if k not in keys:
            keys.append(k)
        index.append(keys.index(k))
    reps = [next(s for s in subjects if (s.sleep_onset_h, s.sleep_duration_h, s.meal_times_h) == k) for k in keys]
    return reps, np.array(index)


def simulate(
    subjects: Subject | Sequence[Subject],
    days: float = 1.0,
    *,
    seed: int = 0,
    schedule: Schedule | Sequence[Schedule] | None = None,
    dt: float = 0.5,
    record_interval: float = 1.0,
    burn_in_days: int = 2,
    variability: bool = True,
    overrides: dict[str, float] | None = None,
    outputs: Sequence[str] = DEFAULT_OUTPUTS,
    engine: str = "fast",
    progress: bool = False,
    parameters: ParameterSet | None = None,
) -> xr.Dataset:
    """Simulate the GH/IGF-1 axis of one or more virtual subjects.

    Parameters
    ----------
    subjects : Subject or sequence of Subject
    days : float
        Length of the run, days (> 0).
    seed : int
        Seeds both the between-person random effects and each subject's stochastic GHRH drive.
        Same seed, same numbers.
    schedule : Schedule or sequence of Schedule, optional
        Events of the run (times in min from midnight of day 0): one schedule for every subject,
        or one per subject. Default: each subject's habitual sleep and meals.
    dt : float
        Integration step, min (default 0.5; must divide ``record_interval``).
    record_interval : float
        Minutes between recorded outputs (default 1).
    burn_in_days : int
        Habitual days simulated before time 0 (not returned).
    variability : bool
        Draw between-person random effects (False: the typical person of each trait set).
    overrides : dict, optional
        Parameter values imposed on every subject after the covariate model.
    outputs : sequence of str
        Observables to return (see :data:`somatosim.model.axis.OBSERVABLES`).
    engine : {"fast", "reference"}
        JAX fixed-step RK4 (default) or SciPy DOP853 (slow, for verification).
    progress : bool
        Show a progress bar (one tick per simulated day).

    Returns
    -------
    xarray.Dataset
        Variables with dims ``(subject, time)``; ``time`` in min from midnight of day 0; ``asleep``
        flag; subject traits as coordinates; units in each variable's ``attrs``.
    """
    from somatosim.engine import fast, noise, reference  # JAX is imported only when simulating

    subjects = [subjects] if isinstance(subjects, Subject) else list(subjects)
    if not subjects or not all(isinstance(s, Subject) for s in subjects):
        raise InputError("subjects: expected a Subject or a non-empty sequence of Subject")
    days = as_number("days", days)
    check("days", days, SIMULATE_CONSTRAINTS["days"])
    check("dt", as_number("dt", dt), SIMULATE_CONSTRAINTS["dt"])
    check("record_interval", as_number("record_interval", record_interval), SIMULATE_CONSTRAINTS["record_interval"])
    for name, value in (("burn_in_days", burn_in_days), ("seed", seed)):
        check(name, value, SIMULATE_CONSTRAINTS[name])
        if int(value) != value:
            raise InputError(f"{name} = {value!r} is not allowed: expected a whole number")
    check("engine", engine, SIMULATE_CONSTRAINTS["engine"])
    outputs = tuple(outputs)
    for o in outputs:
        check("outputs", o, OneOf(tuple(axis.OBSERVABLES)))
    steps_per_day = _whole("dt", dt, MIN_PER_DAY / dt, "a step that divides one day (1440 min)")
    record_every = _whole("record_interval", record_interval, record_interval / dt,
                          f"a multiple of the step dt = {dt:g} min")
    n_steps = _whole("days", days, days * steps_per_day / record_every,
                     f"a run length that is a whole number of record intervals ({record_interval:g} min)") * record_every

    base = parameters or load_parameters()
    n = len(subjects)
    p_np = subject_parameters(subjects, seed=seed, variability=variability, base=base, overrides=overrides)
    sched_p = base.floats()
    reps, group = _groups(subjects)

    import jax.numpy as jnp

    p = {k: jnp.asarray(v) for k, v in p_np.items()}
    group_j = jnp.asarray(group)

    # Burn-in on the habitual day, independent noise stream, one chunk per day.
    keys_b = noise.subject_keys(seed, n, noise.BURN_IN_STREAM)
    t_day = np.arange(steps_per_day + 1) * dt
    y = initial_state(p_np, n)
    nz = noise.stationary_start(keys_b)
    for d in range(burn_in_days, 0, -1):
        grid = np.stack([input_grid(Schedule.habitual(r, -d, -d), -d * MIN_PER_DAY + t_day, sched_p) for r in reps],
                        axis=1)
        xi = noise.chunk_innovations(keys_b, burn_in_days - d, steps_per_day)
        y, nz, obs = fast.run_chunk(jnp.asarray(y), nz, p, jnp.asarray(grid), group_j, xi, dt,
                                    n_records=steps_per_day, record_every=1, names=("ghr_signal",))
        y = settle_slow_states(np.asarray(y), np.asarray(obs["ghr_signal"]), dt, p_np)

    # Main run, in chunks of (about) one day.
    last_day = int(np.ceil(days))
    if isinstance(schedule, Schedule):
        scheds, group = [schedule], np.zeros(n, dtype=int)
    elif schedule is not None:
        scheds = list(schedule)
        if len(scheds) != n or not all(isinstance(s, Schedule) for s in scheds):
            raise InputError(f"schedule: expected a Schedule or a sequence of {n} Schedules (one per subject), "
                             f"got {len(scheds)} items")
        group = np.arange(n)
    else:
        scheds = [Schedule.habitual(r, 0, last_day) for r in reps]
    group_j = jnp.asarray(group)
    t_all = np.arange(n_steps + 1) * dt

    def chunk_grid(start, size):
        return np.stack([input_grid(s, t_all[start:start + size + 1], sched_p) for s in scheds], axis=1)

    keys = noise.subject_keys(seed, n, noise.MAIN_STREAM)
    times = t_all[:-1:record_every]
    plan = noise.chunks(n_steps, max(record_every, steps_per_day - steps_per_day % record_every))

    if engine == "fast":
        out = {k: np.empty((len(times), n)) for k in outputs}
        bar = _progress(days, progress)
        y_j = jnp.asarray(y)
        for c, (start, size) in enumerate(plan):
            y_j, nz, obs = fast.run_chunk(
                y_j, nz, p, jnp.asarray(chunk_grid(start, size)), group_j,
                noise.chunk_innovations(keys, c, size), dt,
                n_records=size // record_every, record_every=record_every, names=outputs,
            )
            r0 = start // record_every
            for k in outputs:
                out[k][r0:r0 + size // record_every] = np.asarray(obs[k])
            bar.update(size * dt / MIN_PER_DAY)
        bar.close()
        data = {k: v.T for k, v in out.items()}
    else:
        xi = np.concatenate([np.asarray(noise.chunk_innovations(keys, c, size)) for c, (_, size) in enumerate(plan)])
        a = np.exp(-dt / p_np["drive_noise_tau"])
        nz = np.asarray(nz)
        grid_all = chunk_grid(0, n_steps)
        data = {k: np.empty((n, len(times))) for k in outputs}
        for j in range(n):
            path = noise.ou_from_innovations(nz[j], xi[:, j], a[j])
            inputs = np.concatenate([path[:, None], grid_all[:, group[j]]], axis=1)
            pj = {k: float(v[j]) for k, v in p_np.items()}
            obs, _ = reference.run_subject(y[j], inputs, 0.0, dt, pj, times, names=outputs)
            for k in outputs:
                data[k][j] = obs[k]

    asleep = np.stack([s.asleep(times) for s in scheds])[group]
    return _dataset(data, times, asleep, subjects, seed, engine, dt)


def _whole(field, value, ratio, allowed) -> int:
    """``ratio`` as an int, or an InputError naming ``field`` when it is not a whole number."""
    if abs(ratio - round(ratio)) > 1e-9 or round(ratio) < 1:
        raise InputError(f"{field} = {value!r} is not allowed: expected {allowed}")
    return int(round(ratio))  # noqa: RUF046 (ratio may be a NumPy scalar)


def _progress(days, enabled):
    from tqdm.auto import tqdm

    return tqdm(total=float(days), disable=not enabled, unit="day", desc="simulating",
                bar_format="{l_bar}{bar}| {n:.1f}/{total:.1f} days [{elapsed}<{remaining}]") if enabled else _NoBar()


class _NoBar:
    def update(self, _):
        pass

    def close(self):
        pass


_LONG_NAMES = {
    "gh": "serum GH (central compartment)",
    "gh_secretion": "pituitary GH secretion rate (per litre of central distribution volume)",
    "igf1_total": "total serum IGF-1",
    "igf1_free": "free IGF-1",
    "igf1_binary": "IGF-1 in binary complexes",
    "igf1_ternary": "IGF-1 in ternary complexes",
    "igfbp3": "IGFBP-3",
    "als": "acid-labile subunit",
    "ghrh": "portal GHRH",
    "srif_pev": "periventricular somatostatin",
    "gh_store": "releasable GH store of the somatotrophs (1 = full)",
    "ghr_signal": "hepatic GH-receptor signal",
    "glucose": "plasma glucose",
    "insulin": "plasma insulin",
    "gh_agonist": "long-acting GH-receptor agonist (GH-equivalent)",
}


def _dataset(data, times, asleep, subjects, seed, engine, dt) -> xr.Dataset:
    from somatosim import __version__

    coords = {
        "subject": np.arange(len(subjects)),
        "time": ("time", times, {"units": "min", "long_name": "time since midnight of day 0"}),
        "age": ("subject", [s.age for s in subjects], {"units": "year"}),
        "sex": ("subject", [s.sex for s in subjects]),
        "weight": ("subject", [s.weight for s in subjects], {"units": "kg"}),
        "height": ("subject", [s.height for s in subjects], {"units": "cm"}),
    }
    variables = {
        k: (("subject", "time"), v, {"units": axis.OBSERVABLES[k], "long_name": _LONG_NAMES[k]})
        for k, v in data.items()
    }
    variables["asleep"] = (("subject", "time"), asleep, {"long_name": "asleep (habitual or scheduled)"})
    return xr.Dataset(
        variables,
        coords=coords,
        attrs={
            "title": "somatosim simulation of the GH/IGF-1 axis",
            "somatosim_version": __version__,
            "seed": int(seed),
            "engine": engine,
            "dt_min": float(dt),
            "disclaimer": "For research and teaching only; not a medical device and not medical advice.",
        },
    )
