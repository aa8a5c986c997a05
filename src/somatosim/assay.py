"""The measurement layer: blood-sampling schedules, assay error and detection limits.

A simulation returns the *true* serum concentrations on its integration grid. Studies do not
see those: they draw blood every 5–20 min and run each sample through an immunoassay with a
finite precision and a detection limit. Pulse counts and nadirs depend strongly on both (see
:mod:`somatosim.analysis.error_model`), so every metric that is compared with the literature
should be computed from *sampled, assayed* series, and the truth kept alongside for checks.

Objects
-------
:class:`SamplingPlan`
    Regular blood sampling: every ``interval_min`` minutes from ``start_min`` up to (not
    including) ``end_min``.
:class:`Assay`
    One immunoassay: log-normal multiplicative error with coefficient of variation ``cv``, an
    optional additive Gaussian floor, and a detection limit.
:func:`sample`
    Apply a plan and the GH and IGF-1 assays to a :func:`somatosim.simulation.simulate` result
    and return a tidy :class:`pandas.DataFrame` with measured and true values side by side.

Conventions
-----------
*Sampling times must lie on the simulation's recorded time grid* (within
``GRID_TOLERANCE_MIN``); a time between grid points is an :class:`InputError`, never silently
interpolated. Interpolating a pulsatile signal between grid points would invent values the
model never produced; record the simulation more finely instead (``record_interval``).

*Error model.* For a true concentration ``c`` the measured value is ::

    m = c · exp(σ·Z₁ − σ²/2) + floor_sd · Z₂,     σ = sqrt(ln(1 + cv²)),   Z₁, Z₂ ~ N(0, 1)

The log-normal factor has mean 1 and standard deviation exactly ``cv``, so ``m / c`` has the
stated CV when the floor is zero and the measurement is unbiased on average.

*Censoring.* A measured value below ``detection_limit`` (including any negative value from
the additive floor) is *censored*: its ``*_below_detection`` flag is True and its reported
value is the detection limit itself (``censored_as="limit"``, the default, as a lab report
says "< 0.05 µg/L") or NaN (``censored_as="nan"``). The true value is always kept.

*Reproducibility.* The noise of subject ``i`` for analyte ``a`` comes from the NumPy stream
``default_rng([seed, a, i])``: same seed, same numbers, and a subject's measurement noise does
not depend on the size of the cohort it is in or on which other analytes are measured.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np

from somatosim._validation import InputError, Interval, OneOf, as_number, check

if TYPE_CHECKING:  # pandas and xarray are imported when sampling: `somatosim --help` stays quick
    import pandas as pd
    import xarray as xr

__all__ = [
    "DEFAULT_GH_ASSAY",
    "DEFAULT_IGF1_ASSAY",
    "Assay",
    "SamplingPlan",
    "lognormal_sigma",
    "measure",
    "sample",
    "sampling_times",
]

#: Two times closer than this (min) are the same grid point (absorbs float round-off).
GRID_TOLERANCE_MIN = 1e-6

#: Largest seed accepted (matches :func:`somatosim.simulation.simulate`).
MAX_SEED = 2**31 - 1

#: Analyte index of each noise stream (part of the seed sequence, never change these).
NOISE_STREAM = {"gh": 1, "igf1": 2}

#: Minutes per day and per hour, for the clock columns.
MIN_PER_DAY = 1440.0
MIN_PER_HOUR = 60.0

PLAN_CONSTRAINTS = {
    "interval_min": Interval(0, None, "min", low_open=True),
    "start_min": Interval(0, None, "min"),
    "end_min": Interval(0, None, "min", low_open=True),
}

ASSAY_CONSTRAINTS = {
    # A CV above 100 % is not an assay; 0 gives noise-free (but still censored) values.
    "cv": Interval(0, 1, "(fraction, e.g. 0.05 for 5 %)"),
    "detection_limit": Interval(0, None, "(assay units)"),
    "floor_sd": Interval(0, None, "(assay units)"),
    "censored_as": OneOf(("limit", "nan")),
}


@dataclass(frozen=True)
class SamplingPlan:
    """Regular blood sampling.

    Parameters
    ----------
    interval_min : float
        Minutes between samples (> 0; 5, 10 and 20 min are the classic pulse-study designs).
    start_min : float
        Time of the first sample, min from midnight of day 0 (>= 0).
    end_min : float, optional
        Sampling stops *before* this time, min from midnight of day 0. Default: the end of the
        simulated record.
    """

    interval_min: float = 10.0
    start_min: float = 0.0
    end_min: float | None = None

    def __post_init__(self):
        for name in ("interval_min", "start_min", "end_min"):
            value = getattr(self, name)
            if value is None:
                continue
            value = as_number(f"plan.{name}", value)
            check(f"plan.{name}", value, PLAN_CONSTRAINTS[name])
            object.__setattr__(self, name, float(value))
        if self.end_min is not None and self.end_min <= self.start_min:
            raise InputError(
                f"plan.end_min = {self.end_min!r} is not allowed: expected a time later than "
                f"plan.start_min = {self.start_min!r} min"
            )


@dataclass(frozen=True)
class Assay:
    """An immunoassay's precision and detection limit.

    Parameters
    ----------
    cv : float
        Coefficient of variation of the multiplicative (log-normal) error, a fraction in [0, 1].
    detection_limit : float
        Lowest reportable concentration, in the analyte's units (µg/L for GH, ng/mL for IGF-1);
        >= 0. Lower measured values are censored (see the module notes).
    floor_sd : float
        SD of an additive Gaussian error, same units (>= 0; dominates near the detection limit).
    name : str
        Label used in reports and in ``run.json``.
    unit : str
        Unit of the analyte (documentation only; no conversion is made).
    censored_as : {"limit", "nan"}
        Value reported for a censored measurement: the detection limit, or NaN.
    """

    cv: float = 0.05
    detection_limit: float = 0.05
    floor_sd: float = 0.0
    name: str = "GH immunoassay"
    unit: str = "ug/L"
    censored_as: str = "limit"

    def __post_init__(self):
        for name in ("cv", "detection_limit", "floor_sd"):
            value = as_number(f"assay.{name}", getattr(self, name))
            check(f"assay.{name}", value, ASSAY_CONSTRAINTS[name])
            object.__setattr__(self, name, float(value))
        check("assay.censored_as", self.censored_as, ASSAY_CONSTRAINTS["censored_as"])
        for name in ("name", "unit"):
            if not isinstance(getattr(self, name), str):
                raise InputError(
                    f"assay.{name} = {getattr(self, name)!r} is not allowed: expected text"
                )

    def describe(self) -> str:
        """One line for reports, e.g. ``GH immunoassay: CV 5 %, LoD 0.05 ug/L``."""
        floor = f", floor SD {self.floor_sd:g} {self.unit}" if self.floor_sd else ""
        return f"{self.name}: CV {100 * self.cv:g} %{floor}, detection limit {self.detection_limit:g} {self.unit}"


#: Default GH assay. Assumption (not a verified source): a CV of 5 % and a detection limit of
#: 0.05 µg/L are typical of the automated chemiluminescence GH assays used in current studies;
#: older IRMA-era pulse studies had detection limits nearer 0.2 µg/L.
DEFAULT_GH_ASSAY = Assay(
    cv=0.05, detection_limit=0.05, floor_sd=0.0, name="GH immunoassay", unit="ug/L"
)

#: Default total IGF-1 assay. Assumption (not a verified source): inter-assay CVs of automated
#: IGF-1 immunoassays are about 5–10 % (8 % used) and their lower limits of quantitation are of
#: the order of 10 ng/mL.
DEFAULT_IGF1_ASSAY = Assay(
    cv=0.08, detection_limit=10.0, floor_sd=0.0, name="total IGF-1 immunoassay", unit="ng/mL"
)


def sampling_times(plan: SamplingPlan, grid: np.ndarray) -> np.ndarray:
    """Sampling times of ``plan`` on a recorded time grid, checked.

    Parameters
    ----------
    plan : SamplingPlan
    grid : (n,) array
        Recorded times of a simulation, min, increasing and evenly spaced.

    Returns
    -------
    (k,) int array
        Indices into ``grid`` of the sampling times.

    Raises
    ------
    InputError
        If a sampling time falls between grid points, if the plan reaches outside the record,
        or if it yields no sample.
    """
    grid = np.asarray(grid, dtype=float)
    step = float(grid[1] - grid[0]) if grid.size > 1 else 1.0
    record_end = float(grid[-1]) + step  # the record covers [grid[0], grid[-1] + step)
    end = record_end if plan.end_min is None else plan.end_min
    if (
        plan.start_min < grid[0] - GRID_TOLERANCE_MIN
        or plan.start_min >= record_end
        or end > record_end + GRID_TOLERANCE_MIN
    ):
        raise InputError(
            f"sampling plan [{plan.start_min:g}, {end:g}) min is not allowed: expected times within "
            f"the simulated record [{grid[0]:g}, {record_end:g}) min"
        )
    n = math.ceil((end - plan.start_min) / plan.interval_min - GRID_TOLERANCE_MIN)
    times = plan.start_min + plan.interval_min * np.arange(max(n, 0))
    if times.size == 0:
        raise InputError(f"sampling plan {plan} gives no sample inside the simulated record")
    idx = np.clip(np.searchsorted(grid, times - GRID_TOLERANCE_MIN), 0, grid.size - 1)
    off = np.abs(grid[idx] - times) > GRID_TOLERANCE_MIN
    if off.any():
        t = float(times[off][0])
        raise InputError(
            f"sampling time {t:g} min is not allowed: expected a time on the simulation grid "
            f"(every {step:g} min from {grid[0]:g} min); use an interval and start that are "
            f"multiples of {step:g} min, or record the simulation more finely"
        )
    return idx


def lognormal_sigma(cv: float) -> float:
    """SD of ``log(m / c)`` for a log-normal error with coefficient of variation ``cv``."""
    return math.sqrt(math.log1p(cv * cv))


def measure(
    true: np.ndarray, assay: Assay, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Assay true concentrations: multiplicative log-normal error, additive floor, censoring.

    Parameters
    ----------
    true : array
        True concentrations, in the assay's units.
    assay : Assay
    rng : numpy.random.Generator
        Source of the noise; two standard normals are drawn per value (always, so that the
        numbers for a given seed do not depend on whether the floor is zero).

    Returns
    -------
    measured : array
        Reported values (censored ones set to the detection limit or NaN, see ``censored_as``).
    below : bool array
        True where the measurement was below the detection limit.
    """
    true = np.asarray(true, dtype=float)
    sigma = lognormal_sigma(assay.cv)
    z_mult = rng.standard_normal(true.shape)
    z_add = rng.standard_normal(true.shape)
    measured = true * np.exp(sigma * z_mult - 0.5 * sigma * sigma) + assay.floor_sd * z_add
    below = measured < assay.detection_limit
    fill = assay.detection_limit if assay.censored_as == "limit" else np.nan
    return np.where(below, fill, measured), below


def _check_seed(seed) -> int:
    check("seed", seed, Interval(0, MAX_SEED))
    if int(seed) != seed:
        raise InputError(f"seed = {seed!r} is not allowed: expected a whole number")
    return int(seed)


def _measure_cohort(values: np.ndarray, assay: Assay, seed: int, stream: int):
    """Measure a (subject, sample) array with one independent stream per subject."""
    out = np.empty_like(values, dtype=float)
    below = np.empty(values.shape, dtype=bool)
    for i in range(values.shape[0]):
        out[i], below[i] = measure(values[i], assay, np.random.default_rng([seed, stream, i]))
    return out, below


def _clock(times: np.ndarray) -> list[str]:
    """``HH:MM`` clock time of each time (min from midnight of day 0)."""
    minute_of_day = np.round(np.mod(times, MIN_PER_DAY)).astype(int) % int(MIN_PER_DAY)
    return [f"{m // 60:02d}:{m % 60:02d}" for m in minute_of_day]


def sample(
    ds: xr.Dataset,
    plan: SamplingPlan | None = None,
    gh_assay: Assay = DEFAULT_GH_ASSAY,
    igf1_assay: Assay = DEFAULT_IGF1_ASSAY,
    *,
    seed: int = 0,
) -> pd.DataFrame:
    """Sample a simulation and assay GH and total IGF-1, keeping the truth alongside.

    Parameters
    ----------
    ds : xarray.Dataset
        Result of :func:`somatosim.simulation.simulate`; must hold ``gh``. ``igf1_total`` is
        assayed when present.
    plan : SamplingPlan, optional
        Default ``SamplingPlan()`` (every 10 min over the whole record).
    gh_assay, igf1_assay : Assay
        Assays of GH (µg/L) and total IGF-1 (ng/mL).
    seed : int
        Seed of the assay noise (0 … 2³¹−1). Same seed, same numbers.

    Returns
    -------
    pandas.DataFrame
        One row per subject and sample, ordered by subject then time, with columns

        ``subject``, ``time_min`` (min from midnight of day 0), ``day`` (0-based),
        ``clock`` (``HH:MM``), ``asleep`` (when ``ds`` has it),
        ``gh_true``, ``gh_measured`` [µg/L], ``gh_below_detection``,
        ``igf1_true``, ``igf1_measured`` [ng/mL], ``igf1_below_detection`` (total IGF-1),
        and ``<name>_true`` for every other recorded observable (e.g. ``gh_secretion_true``
        [µg/L/min]). ``df.attrs["units"]`` maps columns to units and ``df.attrs["assays"]``
        holds the assays used.

    Raises
    ------
    InputError
        Bad seed, a dataset without ``gh``, or sampling times off the simulation grid.
    """
    import pandas as pd
    import xarray as xr

    plan = SamplingPlan() if plan is None else plan
    for name, value, kind in (
        ("plan", plan, SamplingPlan),
        ("gh_assay", gh_assay, Assay),
        ("igf1_assay", igf1_assay, Assay),
    ):
        if not isinstance(value, kind):
            raise InputError(f"{name} = {value!r} is not allowed: expected a {kind.__name__}")
    seed = _check_seed(seed)
    if not isinstance(ds, xr.Dataset) or "gh" not in ds:
        raise InputError("ds: expected a simulate() result (an xarray Dataset holding 'gh')")

    idx = sampling_times(plan, ds["time"].values)
    sub = ds.isel(time=idx)
    times = sub["time"].values.astype(float)
    n_subj = sub.sizes["subject"]
    units: dict[str, str] = {"time_min": "min"}

    cols: dict[str, np.ndarray] = {
        "subject": np.repeat(sub["subject"].values, times.size),
        "time_min": np.tile(times, n_subj),
        "day": np.tile(np.floor(times / MIN_PER_DAY).astype(int), n_subj),
        "clock": np.tile(np.array(_clock(times), dtype=object), n_subj),
    }
    if "asleep" in sub:
        cols["asleep"] = sub["asleep"].transpose("subject", "time").values.ravel()

    assayed = {"gh": ("gh", gh_assay), "igf1_total": ("igf1", igf1_assay)}
    for var, (prefix, assay) in assayed.items():
        if var not in sub:
            continue
        true = sub[var].transpose("subject", "time").values.astype(float)
        measured, below = _measure_cohort(true, assay, seed, NOISE_STREAM[prefix])
        cols[f"{prefix}_true"] = true.ravel()
        cols[f"{prefix}_measured"] = measured.ravel()
        cols[f"{prefix}_below_detection"] = below.ravel()
        unit = sub[var].attrs.get("units", assay.unit)
        units[f"{prefix}_true"] = units[f"{prefix}_measured"] = unit

    for var, da in sub.data_vars.items():
        if var in assayed or var == "asleep" or da.dims != ("subject", "time"):
            continue
        cols[f"{var}_true"] = da.values.astype(float).ravel()
        units[f"{var}_true"] = da.attrs.get("units", "")

    df = pd.DataFrame(cols)
    df.attrs["units"] = units
    df.attrs["assays"] = {"gh": asdict(gh_assay), "igf1": asdict(igf1_assay)}
    df.attrs["plan"] = asdict(plan)
    df.attrs["seed"] = seed
    return df
