"""IGF-1 standard deviation scores, centiles and reference ranges.

All functions are vectorised: ``value``, ``age`` and ``sex`` may be scalars or numpy-broadcastable
arrays. Scalar input gives Python floats (or ``str`` for bands). IGF-1 reference values are
**assay-specific**: the default reference is Bidlingmaier et al. 2014 (IDS-iSYS), see
:mod:`somatosim.clinic.reference`.

For research and teaching only; not a medical device and not medical advice.

Examples
--------
>>> round(igf1_sds(100, 45, "male"), 2)
-0.95
>>> r = igf1_reference_range(40, "female")
>>> round(r.lower), round(r.median), round(r.upper)
(66, 130, 218)
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from somatosim.clinic.distributions import centile_to_sds, sds_to_centile
from somatosim.clinic.errors import ClinicInputError, UnitWarning
from somatosim.clinic.inputs import SEXES, as_float_array, first_bad, normalize_sex
from somatosim.clinic.reference import DEFAULT_IGF1_REFERENCE, ReferenceTable, get_reference
from somatosim.units import IGF1_NG_PER_ML_PER_NMOL_PER_L, igf1_ng_to_nmol, igf1_nmol_to_ng

__all__ = [
    "ANALYTE",
    "BAND_ABOVE",
    "BAND_BELOW",
    "BAND_LIMIT_SDS",
    "BAND_WITHIN",
    "DISCLAIMER",
    "IGF1_UNITS",
    "UNIT_CHECK_SDS",
    "VALIDATION_AGES_YEARS",
    "IGF1Assessment",
    "IGF1ReferenceRange",
    "convert_igf1",
    "igf1_assess",
    "igf1_band",
    "igf1_centile",
    "igf1_reference_grid",
    "igf1_reference_range",
    "igf1_sds",
    "igf1_value_at_centile",
    "igf1_value_at_sds",
]

#: Analyte key of IGF-1 tables in the reference registry.
ANALYTE = "IGF-1"

#: Accepted IGF-1 unit spellings (lower-cased) -> canonical unit. 1 ng/mL = 1 µg/L.
IGF1_UNITS: dict[str, str] = {
    "ng/ml": "ng/mL",
    "ug/l": "ng/mL",
    "µg/l": "ng/mL",  # micro sign U+00B5
    "μg/l": "ng/mL",  # Greek mu U+03BC
    "nmol/l": "nmol/L",
}

#: Conventional normal range is -2 to +2 SDS (2.3rd-97.7th centile; the 2.5-97.5 % interval is
#: +/-1.96). Clinical reference §1.2; AACE 2019 adult GH-treatment target.
BAND_LIMIT_SDS = 2.0
BAND_BELOW = "below -2 SDS"
BAND_WITHIN = "within -2 to +2 SDS"
BAND_ABOVE = "above +2 SDS"

#: |SDS| beyond which a value is implausible enough to check its unit. If the value is beyond
#: this in the stated unit but within it in the other unit (ng/mL <-> nmol/L, factor 7.65), a
#: :class:`UnitWarning` names the likely unit. Heuristic chosen for somatosim: +/-4 SDS is beyond
#: the 0.003rd/99.997th centile of the healthy reference; severe GHD or acromegaly may exceed it,
#: so it is a warning, never an error.
UNIT_CHECK_SDS = 4.0

#: Ages (years) at which the model validation harness compares IGF-1 with the reference.
VALIDATION_AGES_YEARS: tuple[float, ...] = (10.0, 15.0, 25.0, 40.0, 60.0, 80.0)

#: Central coverage of the default reference range (2.5th-97.5th centile).
DEFAULT_LOWER_CENTILE = 2.5
DEFAULT_UPPER_CENTILE = 97.5

DISCLAIMER = "For research and teaching only; not a medical device and not medical advice."


# --------------------------------------------------------------------------- helpers


def _out(a: NDArray[Any]) -> Any:
    """Python scalar for 0-d results, the array otherwise."""
    a = np.asarray(a)
    return a.item() if a.ndim == 0 else a


def _canonical_unit(unit: str) -> str:
    key = unit.strip().lower() if isinstance(unit, str) else None
    if key not in IGF1_UNITS:
        raise ClinicInputError("unit", unit, "'ng/mL' (= µg/L) or 'nmol/L'")
    return IGF1_UNITS[key]


def _other_unit(unit: str) -> str:
    return "nmol/L" if unit == "ng/mL" else "ng/mL"


def _convert_raw(x: NDArray[np.float64], src: str, dst: str) -> NDArray[np.float64]:
    """Convert between canonical units without validation (NaN passes through)."""
    if src == dst:
        return np.asarray(x, dtype=float)
    return igf1_nmol_to_ng(x) if src == "nmol/L" else igf1_ng_to_nmol(x)


def convert_igf1(x: ArrayLike, from_unit: str, to_unit: str) -> Any:
    """Convert IGF-1 concentrations between ng/mL (= µg/L) and nmol/L.

    Uses :data:`somatosim.units.IGF1_NG_PER_ML_PER_NMOL_PER_L` (7.65 ng/mL per nmol/L).
    """
    src, dst = _canonical_unit(from_unit), _canonical_unit(to_unit)
    return _out(_convert_raw(as_float_array(x, "value"), src, dst))


def _table(reference: str) -> ReferenceTable:
    return get_reference(reference, analyte=ANALYTE)


def _to_table_unit(x: NDArray[np.float64], unit: str, table: ReferenceTable) -> NDArray[Any]:
    return _convert_raw(x, unit, _canonical_unit(table.unit))


def _from_table_unit(x: NDArray[np.float64], unit: str, table: ReferenceTable) -> NDArray[Any]:
    return _convert_raw(x, _canonical_unit(table.unit), unit)


def _positive_values(value: ArrayLike, unit: str) -> NDArray[np.float64]:
    v = as_float_array(value, "value")
    nonpos = v <= 0
    if np.any(nonpos):
        raise ClinicInputError("value", first_bad(v, nonpos), f"an IGF-1 concentration > 0 {unit}")
    return v


def _check_unit(
    v: NDArray[np.float64],
    z: NDArray[np.float64],
    age: ArrayLike,
    sex: ArrayLike,
    unit: str,
    table: ReferenceTable,
) -> None:
    """Warn (UnitWarning) where ``v`` is implausible in ``unit`` but plausible in the other."""
    if not np.any(np.abs(z) > UNIT_CHECK_SDS):
        return
    other = _other_unit(unit)
    z_other = table.sds(_to_table_unit(v, other, table), age, sex)
    z, z_other, v_b, age_b, sex_b = np.broadcast_arrays(
        z, z_other, v, np.asarray(age, dtype=float), normalize_sex(sex)
    )
    suspect = (np.abs(z) > UNIT_CHECK_SDS) & (np.abs(z_other) <= UNIT_CHECK_SDS)
    if not np.any(suspect):
        return
    i = tuple(np.argwhere(suspect)[0]) if suspect.ndim else ()
    msg = (
        f"IGF-1 value={v_b[i]:g} {unit} at age={age_b[i]:g} y ({sex_b[i]}) has SDS "
        f"{z[i]:+.2f} in {unit} but {z_other[i]:+.2f} if read as {other}: the value is "
        f"probably in {other}. Check the unit (1 nmol/L = "
        f"{IGF1_NG_PER_ML_PER_NMOL_PER_L} ng/mL)."
    )
    n = int(np.count_nonzero(suspect))
    if n > 1:
        msg += f" {n} values affected; the first is shown."
    warnings.warn(UnitWarning(msg, likely_unit=other), stacklevel=3)


# --------------------------------------------------------------------------- SDS and centiles


def igf1_sds(
    value: ArrayLike,
    age: ArrayLike,
    sex: ArrayLike,
    unit: str = "ng/mL",
    reference: str = DEFAULT_IGF1_REFERENCE,
    *,
    check_unit: bool = True,
) -> Any:
    """IGF-1 standard deviation score (z-score) for age and sex.

    Parameters
    ----------
    value
        Serum IGF-1 concentration (> 0) in ``unit``.
    age
        Age in years, within the reference's age range (0-94 y for ``"bidlingmaier2014"``).
    sex
        ``"male"``/``"female"`` (or ``"m"``/``"f"``, case-insensitive).
    unit
        ``"ng/mL"`` (= µg/L) or ``"nmol/L"`` (1 nmol/L = 7.65 ng/mL, :mod:`somatosim.units`).
    reference
        Registered IGF-1 reference (see :func:`~somatosim.clinic.reference.available_references`).
        Must match the assay that produced ``value``.
    check_unit
        Issue a :class:`~somatosim.clinic.errors.UnitWarning` when a value is beyond
        +/-:data:`UNIT_CHECK_SDS` in ``unit`` but within it in the other unit.

    Returns
    -------
    float or numpy.ndarray
        SDS; LMS: ((x/M)^L - 1)/(L*S) with L, M, S interpolated linearly in age (Cole & Green
        1992; Bidlingmaier et al., JCEM 2014;99:1712).

    Raises
    ------
    ClinicInputError
        Non-numeric or non-positive value, age outside the reference, unknown sex, unit or
        reference.
    """
    u = _canonical_unit(unit)
    table = _table(reference)
    v = _positive_values(value, u)
    z = table.sds(_to_table_unit(v, u, table), age, sex)
    if check_unit:
        _check_unit(v, z, age, sex, u, table)
    return _out(z)


def igf1_centile(
    value: ArrayLike,
    age: ArrayLike,
    sex: ArrayLike,
    unit: str = "ng/mL",
    reference: str = DEFAULT_IGF1_REFERENCE,
    *,
    check_unit: bool = True,
) -> Any:
    """IGF-1 centile (percent, 0-100) for age and sex: 100*Phi(SDS).

    Parameters as in :func:`igf1_sds`.
    """
    z = igf1_sds(value, age, sex, unit, reference, check_unit=check_unit)
    return _out(sds_to_centile(z))


def igf1_value_at_sds(
    sds: ArrayLike,
    age: ArrayLike,
    sex: ArrayLike,
    unit: str = "ng/mL",
    reference: str = DEFAULT_IGF1_REFERENCE,
) -> Any:
    """IGF-1 concentration (in ``unit``) that has a given SDS at ``age`` for ``sex``.

    Inverse of :func:`igf1_sds`: x = M*(1 + L*S*z)^(1/L) under LMS. NaN where no positive value
    has that SDS (LMS: z <= -1/(L*S), about -4.7 SDS or lower for Bidlingmaier 2014).
    """
    u = _canonical_unit(unit)
    table = _table(reference)
    x = table.value_at_sds(sds, age, sex)
    return _out(_from_table_unit(x, u, table))


def igf1_value_at_centile(
    centile: ArrayLike,
    age: ArrayLike,
    sex: ArrayLike,
    unit: str = "ng/mL",
    reference: str = DEFAULT_IGF1_REFERENCE,
) -> Any:
    """IGF-1 concentration (in ``unit``) at a centile (percent, 0 < centile < 100)."""
    c = as_float_array(centile, "centile")
    bad = (c <= 0) | (c >= 100)
    if np.any(bad):
        raise ClinicInputError("centile", first_bad(c, bad), "a percentage > 0 and < 100")
    return igf1_value_at_sds(centile_to_sds(c), age, sex, unit, reference)


def igf1_band(sds: ArrayLike) -> Any:
    """Interpretation band of an IGF-1 SDS.

    Returns :data:`BAND_BELOW` (SDS < -2), :data:`BAND_WITHIN` (-2 <= SDS <= +2) or
    :data:`BAND_ABOVE` (SDS > +2); a ``str`` for scalar input, an array of ``str`` otherwise.
    """
    z = as_float_array(sds, "sds")
    band = np.where(
        z < -BAND_LIMIT_SDS, BAND_BELOW, np.where(z > BAND_LIMIT_SDS, BAND_ABOVE, BAND_WITHIN)
    )
    return str(band) if band.ndim == 0 else band


# --------------------------------------------------------------------------- reference ranges


@dataclass(frozen=True)
class IGF1ReferenceRange:
    """IGF-1 reference median and limits at given ages (see :func:`igf1_reference_range`).

    ``lower``, ``median`` and ``upper`` are in ``unit``; floats for scalar input, arrays
    otherwise.
    """

    age: Any
    sex: Any
    lower: Any
    median: Any
    upper: Any
    unit: str
    reference: str
    lower_centile: float = DEFAULT_LOWER_CENTILE
    upper_centile: float = DEFAULT_UPPER_CENTILE

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly dict (arrays become lists)."""
        return {
            k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in self.__dict__.items()
        }


def igf1_reference_range(
    age: ArrayLike,
    sex: ArrayLike,
    unit: str = "ng/mL",
    reference: str = DEFAULT_IGF1_REFERENCE,
    *,
    lower_centile: float = DEFAULT_LOWER_CENTILE,
    upper_centile: float = DEFAULT_UPPER_CENTILE,
) -> IGF1ReferenceRange:
    """IGF-1 reference median and 2.5th-97.5th centile limits for age and sex.

    Parameters
    ----------
    age
        Age(s) in years.
    sex
        ``"male"``/``"female"``; broadcast with ``age``.
    unit
        Output unit, ``"ng/mL"`` or ``"nmol/L"``.
    reference
        Registered IGF-1 reference.
    lower_centile, upper_centile
        Centiles (percent) of the limits.

    Returns
    -------
    IGF1ReferenceRange
        With ``lower``, ``median`` (50th centile = M under LMS) and ``upper``.

    Examples
    --------
    >>> r = igf1_reference_range([10, 15, 25, 40, 60, 80], "male")
    >>> [round(m) for m in r.median]
    [223, 319, 201, 143, 110, 89]
    """
    u = _canonical_unit(unit)
    lc = float(np.asarray(as_float_array(lower_centile, "lower_centile")))
    uc = float(np.asarray(as_float_array(upper_centile, "upper_centile")))
    if not 0 < lc < 50:
        raise ClinicInputError("lower_centile", lower_centile, "a percentage > 0 and < 50")
    if not 50 < uc < 100:
        raise ClinicInputError("upper_centile", upper_centile, "a percentage > 50 and < 100")
    table = _table(reference)
    a = as_float_array(age, "age")
    s = normalize_sex(sex)
    a_b, s_b = np.broadcast_arrays(a, s)
    vals = [igf1_value_at_centile(c, a_b, s_b, u, table.name) for c in (lc, 50.0, uc)]
    return IGF1ReferenceRange(
        age=_out(a_b),
        sex=_out(s_b),
        lower=vals[0],
        median=vals[1],
        upper=vals[2],
        unit=u,
        reference=table.name,
        lower_centile=lc,
        upper_centile=uc,
    )


def igf1_reference_grid(
    ages: Iterable[float] = VALIDATION_AGES_YEARS,
    sexes: Iterable[str] = SEXES,
    unit: str = "ng/mL",
    reference: str = DEFAULT_IGF1_REFERENCE,
    *,
    lower_centile: float = DEFAULT_LOWER_CENTILE,
    upper_centile: float = DEFAULT_UPPER_CENTILE,
) -> Any:
    """Reference median and limits on an age-by-sex grid, as a tidy ``pandas.DataFrame``.

    Default ages are :data:`VALIDATION_AGES_YEARS` (10, 15, 25, 40, 60, 80 y), both sexes, which
    is what the model validation harness compares against.

    Returns
    -------
    pandas.DataFrame
        Columns ``reference, sex, age_years, lower, median, upper, unit, lower_centile,
        upper_centile``; one row per (sex, age).
    """
    import pandas as pd

    ages_l = [float(a) for a in ages]
    sexes_l = [str(normalize_sex(s)) for s in sexes]
    age_g = np.tile(ages_l, len(sexes_l))
    sex_g = np.repeat(sexes_l, len(ages_l))
    r = igf1_reference_range(
        age_g, sex_g, unit, reference, lower_centile=lower_centile, upper_centile=upper_centile
    )
    return pd.DataFrame(
        {
            "reference": r.reference,
            "sex": sex_g,
            "age_years": age_g,
            "lower": np.atleast_1d(r.lower),
            "median": np.atleast_1d(r.median),
            "upper": np.atleast_1d(r.upper),
            "unit": r.unit,
            "lower_centile": r.lower_centile,
            "upper_centile": r.upper_centile,
        }
    )


# --------------------------------------------------------------------------- one-person summary


@dataclass(frozen=True)
class IGF1Assessment:
    """Everything the ``somatosim igf1-sds`` command reports for one measurement."""

    value: float
    unit: str
    value_ng_per_ml: float
    value_nmol_per_l: float
    age: float
    sex: str
    sds: float
    centile: float
    band: str
    reference_range: IGF1ReferenceRange
    reference: dict[str, Any]
    warnings: tuple[str, ...] = ()
    disclaimer: str = DISCLAIMER

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly dict."""
        d = dict(self.__dict__)
        d["reference_range"] = self.reference_range.as_dict()
        d["warnings"] = list(self.warnings)
        return d


def igf1_assess(
    value: float,
    age: float,
    sex: str,
    unit: str = "ng/mL",
    reference: str = DEFAULT_IGF1_REFERENCE,
) -> IGF1Assessment:
    """SDS, centile, band and reference range for a single IGF-1 measurement.

    Unit warnings are both issued (``warnings.warn``) and recorded in the result's
    ``warnings`` field. Parameters as in :func:`igf1_sds`, scalars only.
    """
    for name, x in (("value", value), ("age", age)):
        if np.ndim(x) != 0:
            raise ClinicInputError(name, x, "a single number (use igf1_sds for arrays)")
    u = _canonical_unit(unit)
    s = str(normalize_sex(sex))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnitWarning)
        z = igf1_sds(value, age, s, u, reference)
    msgs = tuple(str(w.message) for w in caught if issubclass(w.category, UnitWarning))
    for w in caught:  # re-issue so callers' filters apply
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    v = float(as_float_array(value, "value"))
    rr = igf1_reference_range(age, s, u, reference)
    table = _table(reference)
    return IGF1Assessment(
        value=v,
        unit=u,
        value_ng_per_ml=float(convert_igf1(v, u, "ng/mL")),
        value_nmol_per_l=float(convert_igf1(v, u, "nmol/L")),
        age=float(age),
        sex=s,
        sds=float(z),
        centile=float(sds_to_centile(z)),
        band=igf1_band(z),
        reference_range=rr,
        reference=table.describe(),
        warnings=msgs,
    )
