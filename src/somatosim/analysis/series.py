"""Measured hormone series: reading, validating and describing them.

A :class:`HormoneSeries` is one subject's concentration-time profile. It can only be
built through validation, so every analysis method may assume:

* at least :data:`MIN_SAMPLES` finite samples;
* strictly increasing, finite sample times (minutes);
* finite, non-negative concentrations, not all below the detection limit.

Missing values (NaN, empty or non-numeric cells such as "ND") are dropped (``missing="drop"``, the default, with
a count kept in :attr:`HormoneSeries.n_missing`) or rejected (``missing="raise"``).
Values below a stated detection limit are set to the limit and flagged in
:attr:`HormoneSeries.below_detection`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from somatosim.analysis.exceptions import AnalysisInputError

__all__ = [
    "MIN_SAMPLES",
    "HormoneSeries",
    "as_series",
    "read_series",
    "read_series_collection",
]

#: Fewest usable samples accepted. Cluster's smallest useful configuration (2-point
#: nadir + 2-point peak + 2-point nadir) needs 6 points; deconvolution needs more data
#: points than its 4 kinetic parameters plus 2 per burst. Ten is a floor, not a
#: recommendation: ApEn needs about 50 (Pincus, Ann N Y Acad Sci 2001;954:245).
MIN_SAMPLES = 10

#: Relative tolerance on sampling intervals for a series to count as evenly sampled.
REGULARITY_RTOL = 0.01

#: Conversion of accepted time units to minutes.
TIME_UNITS_TO_MIN: dict[str, float] = {"s": 1.0 / 60.0, "min": 1.0, "h": 60.0}

_TIME_NAMES: dict[str, str] = {
    "time": "min",
    "time_min": "min",
    "t": "min",
    "minutes": "min",
    "min": "min",
    "t_min": "min",
    "time_h": "h",
    "hours": "h",
    "t_h": "h",
    "time_s": "s",
    "seconds": "s",
}
_SUBJECT_NAMES = ("subject", "subject_id", "patient", "participant")
_UNITS_NAMES = ("units", "unit")
_IGNORED_NAMES = ("sample", "sample_id", "index", "id", "row", "", "error", "sd")


@dataclass(frozen=True, eq=False)
class HormoneSeries:
    """One subject's measured concentration-time series (validated on construction).

    Prefer :meth:`from_arrays`, :func:`read_series` or :func:`as_series`, which also
    handle missing values and detection limits.

    Parameters
    ----------
    time_min : ndarray of shape (n,)
        Sample times in minutes, strictly increasing.
    concentration : ndarray of shape (n,)
        Concentrations in ``units``, finite and >= 0.
    units : str, default="a.u."
        Concentration units, carried through to outputs.
    subject : str or None
        Subject identifier.
    detection_limit : float or None
        Assay limit of detection, in ``units``.
    below_detection : ndarray of bool, shape (n,)
        True where the measured value was below ``detection_limit`` (the stored value
        is then the limit itself).
    n_missing : int
        Number of missing samples dropped while reading.
    name : str
        Free-text label (file name, hormone).
    """

    time_min: NDArray[np.float64]
    concentration: NDArray[np.float64]
    units: str = "a.u."
    subject: str | None = None
    detection_limit: float | None = None
    below_detection: NDArray[np.bool_] = field(default=None)  # type: ignore[assignment]
    n_missing: int = 0
    name: str = ""

    def __post_init__(self) -> None:
        t = np.array(self.time_min, dtype=float, copy=True).ravel()
        c = np.array(self.concentration, dtype=float, copy=True).ravel()
        if t.shape != c.shape:
            raise AnalysisInputError(
                f"'time' and 'concentration' must have the same length. "
                f"Got {t.size} times and {c.size} concentrations."
            )
        below = (
            np.zeros(c.shape, dtype=bool)
            if self.below_detection is None
            else np.array(self.below_detection, dtype=bool, copy=True).ravel()
        )
        if below.shape != c.shape:
            raise AnalysisInputError(
                f"'below_detection' must have one flag per sample ({c.size}). Got {below.size}."
            )
        _check_times(t)
        _check_concentrations(t, c)
        if c.size < MIN_SAMPLES:
            raise AnalysisInputError(
                f"Too few samples: the series has {c.size} usable samples"
                + (f" (after dropping {self.n_missing} missing)" if self.n_missing else "")
                + f"; at least {MIN_SAMPLES} are needed."
            )
        if self.detection_limit is not None:
            lod = float(self.detection_limit)
            if not np.isfinite(lod) or lod <= 0:
                raise AnalysisInputError(
                    "The 'detection_limit' must be a float in the range (0, inf) "
                    f"{self.units}. Got {self.detection_limit!r} instead."
                )
            if below.all():
                raise AnalysisInputError(
                    f"All {c.size} concentrations are below the detection limit "
                    f"{lod:g} {self.units}; there is no signal to analyse. Allowed: a "
                    "series with at least one value at or above the detection limit."
                )
            object.__setattr__(self, "detection_limit", lod)
        if np.all(c == 0):
            raise AnalysisInputError(
                f"All {c.size} concentrations are zero; there is no signal to analyse."
            )
        for arr in (t, c, below):
            arr.flags.writeable = False
        object.__setattr__(self, "time_min", t)
        object.__setattr__(self, "concentration", c)
        object.__setattr__(self, "below_detection", below)

    # ----------------------------------------------------------------- builders
    @classmethod
    def from_arrays(
        cls,
        time: ArrayLike,
        concentration: ArrayLike,
        *,
        units: str = "a.u.",
        time_unit: str = "min",
        subject: str | None = None,
        detection_limit: float | None = None,
        missing: str = "drop",
        name: str = "",
    ) -> HormoneSeries:
        """Validate arrays into a series.

        Parameters
        ----------
        time, concentration : array-like of shape (n,)
            Sample times (in ``time_unit``) and concentrations (in ``units``).
        units : str, default="a.u."
            Concentration units.
        time_unit : {"min", "h", "s"}, default="min"
            Unit of ``time``; stored times are always minutes.
        subject : str or None
            Subject identifier.
        detection_limit : float or None
            Values below this are set to it and flagged.
        missing : {"drop", "raise"}, default="drop"
            What to do with missing (NaN) concentrations.
        name : str
            Free-text label.

        Raises
        ------
        AnalysisInputError
            With the field, the value and what is allowed.
        """
        if time_unit not in TIME_UNITS_TO_MIN:
            raise AnalysisInputError(
                f"The 'time_unit' must be one of {sorted(TIME_UNITS_TO_MIN)}. Got {time_unit!r}."
            )
        if missing not in ("drop", "raise"):
            raise AnalysisInputError(
                f"The 'missing' option must be one of ['drop', 'raise']. Got {missing!r}."
            )
        t = _to_float_array("time", time)
        c = _to_float_array("concentration", concentration)
        if t.shape != c.shape:
            raise AnalysisInputError(
                f"'time' and 'concentration' must have the same length. "
                f"Got {t.size} times and {c.size} concentrations."
            )
        bad_t = ~np.isfinite(t)
        if bad_t.any():
            i = int(np.flatnonzero(bad_t)[0])
            raise AnalysisInputError(
                f"The 'time' column must contain finite numbers. Got {t[i]} at sample {i + 1}."
            )
        nan_c = np.isnan(c)
        if nan_c.any() and missing == "raise":
            i = int(np.flatnonzero(nan_c)[0])
            raise AnalysisInputError(
                f"The 'concentration' column has {int(nan_c.sum())} missing value(s), the first "
                f"at sample {i + 1} (time {t[i]:g} {time_unit}); missing='raise' allows none. "
                "Use missing='drop' to analyse the remaining samples."
            )
        t, c = t[~nan_c], c[~nan_c]
        below = np.zeros(c.shape, dtype=bool)
        if detection_limit is not None:
            try:
                lod = float(detection_limit)
            except (TypeError, ValueError):
                lod = float("nan")
            if not np.isfinite(lod) or lod <= 0:
                raise AnalysisInputError(
                    f"The 'detection_limit' must be a float in the range (0, inf) {units}. "
                    f"Got {detection_limit!r} instead."
                )
            below = c < lod
            c = np.where(below & (c >= 0), lod, c)
        return cls(
            time_min=t * TIME_UNITS_TO_MIN[time_unit],
            concentration=c,
            units=units,
            subject=subject,
            detection_limit=detection_limit,
            below_detection=below,
            n_missing=int(nan_c.sum()),
            name=name,
        )

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        time_col: str | None = None,
        value_col: str | None = None,
        subject_col: str | None = None,
        subject: str | None = None,
        units: str | None = None,
        time_unit: str | None = None,
        detection_limit: float | None = None,
        missing: str = "drop",
        name: str = "",
    ) -> HormoneSeries:
        """Validate one subject of a tidy DataFrame into a series.

        Columns are found by name when not given: time from ``time``/``time_min``/``t``/
        ``time_h``/..., subject from ``subject``/``subject_id``/..., units from
        ``units``, and the concentration from the one remaining numeric column.
        A frame holding several subjects needs ``subject``.
        """
        series = _frame_to_collection(
            frame,
            time_col=time_col,
            value_col=value_col,
            subject_col=subject_col,
            units=units,
            time_unit=time_unit,
            detection_limit=detection_limit,
            missing=missing,
            name=name,
        )
        if subject is None:
            if len(series) > 1:
                raise AnalysisInputError(
                    f"The data hold {len(series)} subjects ({', '.join(map(str, series))}); "
                    "choose one with subject=... (CLI: --subject)."
                )
            return next(iter(series.values()))
        key = str(subject)
        if key not in series:
            raise AnalysisInputError(
                f"The 'subject' {subject!r} is not in the data. Allowed: {', '.join(series)}."
            )
        return series[key]

    # --------------------------------------------------------------- properties
    @property
    def n_samples(self) -> int:
        """Number of samples."""
        return int(self.concentration.size)

    @property
    def intervals_min(self) -> NDArray[np.float64]:
        """Intervals between consecutive samples (min)."""
        return np.diff(self.time_min)

    @property
    def sampling_interval_min(self) -> float:
        """Median sampling interval (min)."""
        return float(np.median(self.intervals_min))

    @property
    def duration_min(self) -> float:
        """Time covered by the samples, ``n * interval`` for an even series (min).

        Each sample is taken to represent one sampling interval, so an 8-h series of
        48 samples at 10 min covers 480 min.
        """
        return float(self.time_min[-1] - self.time_min[0] + self.sampling_interval_min)

    @property
    def is_regular(self) -> bool:
        """True if every interval is within :data:`REGULARITY_RTOL` of the median."""
        d = self.intervals_min
        return bool(np.all(np.abs(d - np.median(d)) <= REGULARITY_RTOL * np.median(d)))

    def require_regular(self, method: str) -> None:
        """Raise :class:`AnalysisInputError` unless the series is evenly sampled."""
        if self.is_regular:
            return
        d = self.intervals_min
        i = int(np.argmax(np.abs(d - np.median(d))))
        raise AnalysisInputError(
            f"{method} needs evenly spaced samples. The median interval is "
            f"{np.median(d):g} min, but samples {i + 1} and {i + 2} (times "
            f"{self.time_min[i]:g} and {self.time_min[i + 1]:g} min) are {d[i]:g} min apart"
            + (f"; {self.n_missing} missing value(s) were dropped" if self.n_missing else "")
            + ". Allowed: intervals within 1 % of the median. Deconvolution accepts uneven "
            "sampling."
        )

    # ------------------------------------------------------------------ helpers
    def scaled(self, factor: float) -> HormoneSeries:
        """The same series with concentrations (and detection limit) multiplied by ``factor``."""
        factor = float(factor)
        if not np.isfinite(factor) or factor <= 0:
            raise AnalysisInputError(
                f"The 'factor' must be a float in the range (0, inf). Got {factor!r}."
            )
        return HormoneSeries(
            time_min=self.time_min,
            concentration=self.concentration * factor,
            units=self.units,
            subject=self.subject,
            detection_limit=None if self.detection_limit is None else self.detection_limit * factor,
            below_detection=self.below_detection,
            n_missing=self.n_missing,
            name=self.name,
        )

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: ``time_min``, ``concentration``, ``below_detection``."""
        return pd.DataFrame(
            {
                "time_min": self.time_min,
                "concentration": self.concentration,
                "below_detection": self.below_detection,
            }
        )

    def __repr__(self) -> str:
        who = f" subject={self.subject!r}" if self.subject is not None else ""
        return (
            f"HormoneSeries({self.name!r},{who} n={self.n_samples}, "
            f"interval={self.sampling_interval_min:g} min, units={self.units!r})"
        )


# ---------------------------------------------------------------------- checks
def _to_float_array(name: str, values: ArrayLike) -> NDArray[np.float64]:
    arr = np.asarray(values)
    if arr.ndim != 1:
        arr = np.squeeze(arr)
        if arr.ndim != 1:
            raise AnalysisInputError(
                f"The {name!r} values must be one-dimensional. Got shape {np.shape(values)}."
            )
    try:
        return arr.astype(float)
    except (TypeError, ValueError):
        for i, v in enumerate(arr):
            try:
                float(v)
            except (TypeError, ValueError):
                raise AnalysisInputError(
                    f"The {name!r} column must hold numbers. Got {v!r} at sample {i + 1}."
                ) from None
        raise


def _check_times(t: NDArray[np.float64]) -> None:
    if not np.all(np.isfinite(t)):
        i = int(np.flatnonzero(~np.isfinite(t))[0])
        raise AnalysisInputError(
            f"The 'time' column must contain finite numbers. Got {t[i]} at sample {i + 1}."
        )
    d = np.diff(t)
    if np.any(d <= 0):
        i = int(np.flatnonzero(d <= 0)[0])
        raise AnalysisInputError(
            f"The 'time' column must be strictly increasing. Got {t[i + 1]:g} min at sample "
            f"{i + 2} after {t[i]:g} min at sample {i + 1}. Sort the samples and remove "
            "duplicates."
        )


def _check_concentrations(t: NDArray[np.float64], c: NDArray[np.float64]) -> None:
    if not np.all(np.isfinite(c)):
        i = int(np.flatnonzero(~np.isfinite(c))[0])
        raise AnalysisInputError(
            f"The 'concentration' column must contain finite numbers. Got {c[i]} at "
            f"sample {i + 1} (time {t[i]:g} min)."
        )
    if np.any(c < 0):
        i = int(np.flatnonzero(c < 0)[0])
        raise AnalysisInputError(
            f"The 'concentration' column must not be negative. Got {c[i]:g} at sample "
            f"{i + 1} (time {t[i]:g} min). Allowed: values >= 0; report values below the "
            "assay's detection limit with detection_limit=... instead."
        )


# ----------------------------------------------------------------------- files
def _find_column(frame: pd.DataFrame, names: tuple[str, ...] | Mapping[str, str]) -> str | None:
    lower = {str(c).strip().lower(): c for c in frame.columns}
    for n in names:
        if n in lower:
            return lower[n]
    return None


def _mostly_numeric(col: pd.Series) -> bool:
    """True if at least half the non-empty cells are numbers (others become missing)."""
    if pd.api.types.is_numeric_dtype(col):
        return True
    filled = col.dropna()
    if filled.empty:
        return False
    return bool(pd.to_numeric(filled, errors="coerce").notna().mean() >= 0.5)


def _frame_to_collection(
    frame: pd.DataFrame,
    *,
    time_col: str | None,
    value_col: str | None,
    subject_col: str | None,
    units: str | None,
    time_unit: str | None,
    detection_limit: float | None,
    missing: str,
    name: str,
) -> dict[str, HormoneSeries]:
    if not isinstance(frame, pd.DataFrame):
        raise AnalysisInputError(f"Expected a pandas DataFrame. Got {type(frame).__name__}.")
    cols = list(frame.columns)
    for label, col in (
        ("time_col", time_col),
        ("value_col", value_col),
        ("subject_col", subject_col),
    ):
        if col is not None and col not in cols:
            raise AnalysisInputError(
                f"The {label!r} {col!r} is not a column of the data. Columns: {cols}."
            )
    if time_col is None:
        time_col = _find_column(frame, _TIME_NAMES)
        if time_col is None:
            raise AnalysisInputError(
                f"No time column found. Columns: {cols}. Name it one of "
                f"{sorted(_TIME_NAMES)} or pass time_col=... (CLI: --time-col)."
            )
    if time_unit is None:
        time_unit = _TIME_NAMES.get(str(time_col).strip().lower(), "min")
    if subject_col is None:
        subject_col = _find_column(frame, _SUBJECT_NAMES)
    units_col = _find_column(frame, _UNITS_NAMES)
    if value_col is None:
        taken = {time_col, subject_col, units_col}
        candidates = [
            c
            for c in cols
            if c not in taken
            and str(c).strip().lower() not in _IGNORED_NAMES
            and not str(c).lower().startswith("unnamed")
            and _mostly_numeric(frame[c])
        ]
        if len(candidates) != 1:
            raise AnalysisInputError(
                "Could not tell which column holds the concentrations: "
                f"{'none' if not candidates else candidates} qualify among {cols}. "
                "Pass value_col=... (CLI: --value-col)."
            )
        value_col = candidates[0]
    if units is None:
        if units_col is not None:
            found = frame[units_col].dropna().astype(str).unique()
            if len(found) > 1:
                raise AnalysisInputError(
                    f"The 'units' column holds several units {list(found)}; one series must "
                    "have one unit."
                )
            units = found[0] if len(found) else "a.u."
        else:
            units = "a.u."
    groups: list[tuple[str | None, pd.DataFrame]]
    if subject_col is None:
        groups = [(None, frame)]
    else:
        groups = [(str(k), g) for k, g in frame.groupby(subject_col, sort=False)]
    out: dict[str, HormoneSeries] = {}
    for subj, g in groups:
        try:
            out[str(subj)] = HormoneSeries.from_arrays(
                g[time_col].to_numpy(),
                pd.to_numeric(g[value_col], errors="coerce").to_numpy()
                if not pd.api.types.is_numeric_dtype(g[value_col])
                else g[value_col].to_numpy(),
                units=str(units),
                time_unit=time_unit,
                subject=subj,
                detection_limit=detection_limit,
                missing=missing,
                name=name,
            )
        except AnalysisInputError as exc:
            if subj is None:
                raise
            raise AnalysisInputError(f"Subject {subj!r}: {exc}") from None
    return out


def _read_table(path: str | os.PathLike[str]) -> pd.DataFrame:
    p = Path(path)
    if not p.is_file():
        raise AnalysisInputError(f"The series file {str(p)!r} does not exist or is not a file.")
    sep = "\t" if p.suffix.lower() in (".tsv", ".tab") else None
    try:
        return pd.read_csv(p, sep=sep, comment="#", engine="python", skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise AnalysisInputError(f"Could not read {str(p)!r} as a CSV/TSV table: {exc}") from None


def read_series(
    path: str | os.PathLike[str],
    *,
    time_col: str | None = None,
    value_col: str | None = None,
    subject_col: str | None = None,
    subject: str | None = None,
    units: str | None = None,
    time_unit: str | None = None,
    detection_limit: float | None = None,
    missing: str = "drop",
) -> HormoneSeries:
    """Read one subject's series from a CSV or TSV file.

    Lines starting with ``#`` are comments. The delimiter is sniffed (``.tsv`` files
    are tab-separated). Column detection follows :meth:`HormoneSeries.from_frame`.

    Parameters
    ----------
    path : path-like
        The file.
    time_col, value_col, subject_col : str, optional
        Column names, when they cannot be guessed.
    subject : str, optional
        Which subject to read, when the file holds several.
    units : str, optional
        Concentration units (default: a ``units`` column, else ``"a.u."``).
    time_unit : {"min", "h", "s"}, optional
        Unit of the time column (default: from its name, else minutes).
    detection_limit : float, optional
        Assay limit of detection, in ``units``.
    missing : {"drop", "raise"}, default="drop"
        Policy for missing concentrations.

    Returns
    -------
    HormoneSeries
    """
    frame = _read_table(path)
    return HormoneSeries.from_frame(
        frame,
        time_col=time_col,
        value_col=value_col,
        subject_col=subject_col,
        subject=subject,
        units=units,
        time_unit=time_unit,
        detection_limit=detection_limit,
        missing=missing,
        name=Path(path).stem,
    )


def read_series_collection(path: str | os.PathLike[str], **kwargs: Any) -> dict[str, HormoneSeries]:
    """Read every subject of a CSV/TSV file; keys are subject ids (``"None"`` if no column)."""
    frame = _read_table(path)
    opts = {
        "time_col": None,
        "value_col": None,
        "subject_col": None,
        "units": None,
        "time_unit": None,
        "detection_limit": None,
        "missing": "drop",
    }
    unknown = set(kwargs) - set(opts)
    if unknown:
        raise AnalysisInputError(f"Unknown option(s) {sorted(unknown)}. Allowed: {sorted(opts)}.")
    opts.update(kwargs)
    return _frame_to_collection(frame, name=Path(path).stem, **opts)  # type: ignore[arg-type]


def as_series(data: Any, **kwargs: Any) -> HormoneSeries:
    """Coerce supported inputs to a validated :class:`HormoneSeries`.

    Accepts a :class:`HormoneSeries` (returned as is), a path to a CSV/TSV file, a
    pandas DataFrame, a ``(time, concentration)`` pair of arrays, or an array of
    shape (n, 2). Keyword arguments go to the matching reader.
    """
    if isinstance(data, HormoneSeries):
        if kwargs:
            raise AnalysisInputError(
                f"Options {sorted(kwargs)} cannot be applied to an existing HormoneSeries."
            )
        return data
    if isinstance(data, (str, os.PathLike)):
        return read_series(data, **kwargs)
    if isinstance(data, pd.DataFrame):
        return HormoneSeries.from_frame(data, **kwargs)
    if isinstance(data, tuple) and len(data) == 2:
        return HormoneSeries.from_arrays(data[0], data[1], **kwargs)
    arr = np.asarray(data) if not isinstance(data, (dict, set)) else None
    if arr is not None and arr.ndim == 2 and arr.shape[1] == 2:
        return HormoneSeries.from_arrays(arr[:, 0], arr[:, 1], **kwargs)
    raise AnalysisInputError(
        "Cannot read a hormone series from an object of type "
        f"{type(data).__name__}. Allowed: HormoneSeries, a CSV/TSV path, a pandas DataFrame, "
        "a (time, concentration) tuple, or an array of shape (n, 2)."
    )
