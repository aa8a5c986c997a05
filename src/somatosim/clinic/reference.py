"""Age- and sex-specific laboratory reference tables and their registry.

A :class:`ReferenceTable` holds the parameters of a reference distribution at age nodes, for each
sex, together with its provenance (citation, assay, unit). Parameters are interpolated linearly in
age between nodes, separately for each parameter, as the R package ``childsds`` (``sds()``, using
``stats::approx(rule = 1)``) does; ages outside the nodes are an error rather than extrapolated.

Two distribution models are supported (:data:`MODELS`): ``"LMS"`` (Cole & Green 1992; gamlss
BCCG) with parameters L, M, S, and ``"BCPE"`` (Rigby & Stasinopoulos 2004) with mu, sigma, nu,
tau. New references are added with :func:`register_reference`; the packaged ones are
listed by :func:`available_references`.

Packaged references
-------------------
``"bidlingmaier2014"``
    IGF-1, IDS-iSYS assay (calibrated to WHO IS 02/254), LMS, 0-94 y, ng/mL.
    Bidlingmaier M, Friedrich N, Emeny RT, et al. Reference intervals for insulin-like growth
    factor-1 (IGF-I) from birth to senescence: results from a multicenter study using a new
    automated chemiluminescence IGF-I immunoassay conforming to recent international
    recommendations. J Clin Endocrinol Metab 2014;99:1712-21. doi:10.1210/jc.2013-3059.
    Parameters as distributed in R package childsds (``international_lab.ref``, item ``igf1``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from somatosim.clinic.distributions import bcpe_sds, bcpe_value, lms_sds, lms_value
from somatosim.clinic.errors import ClinicInputError
from somatosim.clinic.inputs import SEXES, as_float_array, first_bad, normalize_sex

__all__ = [
    "DEFAULT_IGF1_REFERENCE",
    "MODELS",
    "DistributionModel",
    "ReferenceTable",
    "available_references",
    "get_reference",
    "packaged_data_text",
    "read_reference_csv",
    "register_reference",
    "unregister_reference",
]


@dataclass(frozen=True)
class DistributionModel:
    """A parametric reference distribution: parameter names, SDS and inverse functions.

    ``sds(x, *params)`` and ``value(z, *params)`` take the parameters in the order of
    ``parameters`` and broadcast over numpy arrays.
    """

    name: str
    parameters: tuple[str, ...]
    sds: Callable[..., NDArray[np.float64]]
    value: Callable[..., NDArray[np.float64]]


#: Supported distribution models, keyed by name.
MODELS: dict[str, DistributionModel] = {
    "LMS": DistributionModel("LMS", ("L", "M", "S"), lms_sds, lms_value),
    "BCPE": DistributionModel("BCPE", ("mu", "sigma", "nu", "tau"), bcpe_sds, bcpe_value),
}


def _frozen(a: ArrayLike) -> NDArray[np.float64]:
    out = np.array(a, dtype=float)
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class ReferenceTable:
    """Reference distribution parameters at age nodes, by sex, with provenance.

    Parameters
    ----------
    name
        Registry key, e.g. ``"bidlingmaier2014"``.
    analyte
        Measured quantity, e.g. ``"IGF-1"``.
    assay
        Assay (reference values are assay-specific), e.g. ``"IDS-iSYS"``.
    unit
        Unit of the measurement and of the location parameter (M or mu), e.g. ``"ng/mL"``.
    model
        Key of :data:`MODELS` (``"LMS"`` or ``"BCPE"``).
    ages
        ``{sex: age nodes in years}``, strictly increasing.
    params
        ``{sex: {parameter name: values at the nodes}}``.
    citation, doi
        Source of the table.
    population, notes
        Free-text description.
    """

    name: str
    analyte: str
    assay: str
    unit: str
    model: str
    ages: Mapping[str, NDArray[np.float64]]
    params: Mapping[str, Mapping[str, NDArray[np.float64]]]
    citation: str
    doi: str = ""
    population: str = ""
    notes: str = ""
    _dist: DistributionModel = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.model not in MODELS:
            raise ValueError(f"unknown model {self.model!r}; known: {sorted(MODELS)}")
        dist = MODELS[self.model]
        object.__setattr__(self, "_dist", dist)
        ages = {s: _frozen(a) for s, a in self.ages.items()}
        params = {s: {p: _frozen(v) for p, v in pv.items()} for s, pv in self.params.items()}
        if set(ages) != set(params) or not set(ages) <= set(SEXES):
            raise ValueError(f"{self.name}: sexes must be a subset of {SEXES} in ages and params")
        for s, a in ages.items():
            if a.ndim != 1 or a.size < 2 or np.any(np.diff(a) <= 0):
                raise ValueError(f"{self.name}/{s}: age nodes must be strictly increasing")
            if set(params[s]) != set(dist.parameters):
                raise ValueError(f"{self.name}/{s}: {self.model} needs {dist.parameters}")
            for p, v in params[s].items():
                if v.shape != a.shape or not np.all(np.isfinite(v)):
                    raise ValueError(f"{self.name}/{s}/{p}: need {a.size} finite values")
        object.__setattr__(self, "ages", ages)
        object.__setattr__(self, "params", params)

    @property
    def sexes(self) -> tuple[str, ...]:
        """Sexes covered by the table."""
        return tuple(s for s in SEXES if s in self.ages)

    def age_range(self, sex: str) -> tuple[float, float]:
        """Youngest and oldest age node (years) for ``sex``."""
        s = str(normalize_sex(sex))
        self._check_sex(np.asarray(s))
        a = self.ages[s]
        return float(a[0]), float(a[-1])

    def _check_sex(self, sex: NDArray[np.str_]) -> None:
        missing = ~np.isin(sex, self.sexes)
        if np.any(missing):
            raise ClinicInputError(
                "sex", first_bad(sex, missing), f"{self.sexes} for reference {self.name!r}"
            )

    def parameters(self, age: ArrayLike, sex: ArrayLike) -> dict[str, NDArray[np.float64]]:
        """Distribution parameters interpolated linearly in age (vectorised).

        Parameters
        ----------
        age
            Age in years; must lie within the table's age nodes for that sex.
        sex
            ``"male"``/``"female"`` (or ``"m"``/``"f"``), scalar or array broadcastable with age.

        Returns
        -------
        dict
            ``{parameter name: array}``, broadcast shape of ``age`` and ``sex``.
        """
        age_a = as_float_array(age, "age")
        sex_a = normalize_sex(sex)
        self._check_sex(sex_a)
        age_b, sex_b = np.broadcast_arrays(age_a, sex_a)
        out = {p: np.full(age_b.shape, np.nan) for p in self._dist.parameters}
        for s in self.sexes:
            mask = sex_b == s
            if not np.any(mask):
                continue
            nodes = self.ages[s]
            a = age_b[mask]
            outside = (a < nodes[0]) | (a > nodes[-1])
            if np.any(outside):
                raise ClinicInputError(
                    "age",
                    first_bad(a, outside),
                    f"{nodes[0]:g} to {nodes[-1]:g} years for sex={s!r} in reference {self.name!r}",
                )
            for p in self._dist.parameters:
                out[p][mask] = np.interp(a, nodes, self.params[s][p])
        return out

    def _args(self, age: ArrayLike, sex: ArrayLike) -> list[NDArray[np.float64]]:
        par = self.parameters(age, sex)
        return [par[p] for p in self._dist.parameters]

    def sds(self, value: ArrayLike, age: ArrayLike, sex: ArrayLike) -> NDArray[np.float64]:
        """SDS of ``value`` (in :attr:`unit`, > 0) at ``age`` (years) for ``sex``.

        No range checks on ``value`` beyond positivity; see the analyte-specific wrappers (e.g.
        :func:`somatosim.clinic.igf1.igf1_sds`) for unit handling and plausibility warnings.
        """
        v = as_float_array(value, "value")
        nonpos = v <= 0
        if np.any(nonpos):
            raise ClinicInputError("value", first_bad(v, nonpos), f"> 0 {self.unit}")
        return self._dist.sds(v, *self._args(age, sex))

    def value_at_sds(self, z: ArrayLike, age: ArrayLike, sex: ArrayLike) -> NDArray[np.float64]:
        """Measurement (in :attr:`unit`) at standard deviation score ``z``."""
        zz = as_float_array(z, "sds")
        return self._dist.value(zz, *self._args(age, sex))

    def describe(self) -> dict[str, Any]:
        """Provenance and coverage as a JSON-serialisable dict."""
        return {
            "name": self.name,
            "analyte": self.analyte,
            "assay": self.assay,
            "unit": self.unit,
            "model": self.model,
            "age_range_years": {s: list(self.age_range(s)) for s in self.sexes},
            "citation": self.citation,
            "doi": self.doi,
            "population": self.population,
        }


# --------------------------------------------------------------------------- CSV loading


def packaged_data_text(filename: str) -> str:
    """Text of a file in the package's ``somatosim/data/`` folder (via importlib.resources)."""
    return (
        resources.files("somatosim").joinpath("data").joinpath(filename).read_text(encoding="utf-8")
    )


def read_reference_csv(
    text: str,
    param_columns: Mapping[str, str],
    *,
    sex_column: str = "sex",
    age_column: str = "age_years",
) -> tuple[dict[str, NDArray[np.float64]], dict[str, dict[str, NDArray[np.float64]]]]:
    """Parse a long-format reference CSV (lines starting with ``#`` are comments).

    Parameters
    ----------
    text
        CSV text with one row per (sex, age node).
    param_columns
        ``{model parameter name: CSV column}``, e.g. ``{"M": "M_ng_per_ml"}``.
    sex_column, age_column
        Names of the sex and age (years) columns.

    Returns
    -------
    (ages, params)
        Arguments for :class:`ReferenceTable`, rows sorted by age within each sex.
    """
    lines = [ln for ln in io.StringIO(text) if ln.strip() and not ln.lstrip().startswith("#")]
    rows = list(csv.DictReader(lines))
    ages: dict[str, NDArray[np.float64]] = {}
    params: dict[str, dict[str, NDArray[np.float64]]] = {}
    sexes = normalize_sex([r[sex_column] for r in rows])
    for s in SEXES:
        sel = [r for r, rs in zip(rows, sexes) if rs == s]
        if not sel:
            continue
        a = np.array([float(r[age_column]) for r in sel])
        order = np.argsort(a, kind="stable")
        ages[s] = a[order]
        params[s] = {
            p: np.array([float(r[col]) for r in sel])[order] for p, col in param_columns.items()
        }
    return ages, params


def _load_bidlingmaier2014() -> ReferenceTable:
    ages, params = read_reference_csv(
        packaged_data_text("igf1_lms_bidlingmaier2014.csv"),
        {"L": "L", "M": "M_ng_per_ml", "S": "S"},
    )
    return ReferenceTable(
        name="bidlingmaier2014",
        analyte="IGF-1",
        assay="IDS-iSYS (automated chemiluminescence; calibrated to WHO IS 02/254)",
        unit="ng/mL",
        model="LMS",
        ages=ages,
        params=params,
        citation=(
            "Bidlingmaier M, Friedrich N, Emeny RT, et al. Reference intervals for insulin-like "
            "growth factor-1 (IGF-I) from birth to senescence: results from a multicenter study "
            "using a new automated chemiluminescence IGF-I immunoassay conforming to recent "
            "international recommendations. J Clin Endocrinol Metab 2014;99(5):1712-1721."
        ),
        doi="10.1210/jc.2013-3059",
        population=(
            "15,014 subjects (6,697 male, 8,317 female), 0-94 y, 12 cohorts in the US, "
            "Canada and Europe"
        ),
        notes=(
            "LMS (gamlss BCCG) parameters as distributed in the R package childsds "
            "(international_lab.ref, item igf1). Nodes yearly 0-20 y, then 23, 28, ..., 88, 94."
        ),
    )


# --------------------------------------------------------------------------- registry

#: Reference used by the IGF-1 functions when none is named.
DEFAULT_IGF1_REFERENCE = "bidlingmaier2014"

_LOADERS: dict[str, tuple[str, Callable[[], ReferenceTable]]] = {}
_CACHE: dict[str, ReferenceTable] = {}


def _key(name: str) -> str:
    return str(name).strip().lower()


def register_reference(
    name: str,
    table: ReferenceTable | Callable[[], ReferenceTable],
    *,
    analyte: str | None = None,
    overwrite: bool = False,
) -> None:
    """Add a reference table to the registry.

    Parameters
    ----------
    name
        Registry key (case-insensitive).
    table
        A :class:`ReferenceTable`, or a zero-argument function returning one (loaded lazily,
        once). With a function, ``analyte`` must be given.
    analyte
        Analyte the table is for (e.g. ``"IGF-1"``); taken from ``table`` when it is a table.
    overwrite
        Replace an existing entry of the same name instead of raising ``ValueError``.
    """
    key = _key(name)
    if key in _LOADERS and not overwrite:
        raise ValueError(f"reference {key!r} is already registered")
    if isinstance(table, ReferenceTable):
        tbl = table
        _LOADERS[key] = (table.analyte, lambda: tbl)
    else:
        if analyte is None:
            raise ValueError("analyte is required when registering a loader function")
        _LOADERS[key] = (analyte, table)
    _CACHE.pop(key, None)


def unregister_reference(name: str) -> None:
    """Remove a reference from the registry (no error if absent)."""
    key = _key(name)
    _LOADERS.pop(key, None)
    _CACHE.pop(key, None)


def available_references(analyte: str | None = None) -> tuple[str, ...]:
    """Names of registered references, optionally only those for ``analyte`` (e.g. "IGF-1")."""
    return tuple(sorted(k for k, (a, _) in _LOADERS.items() if analyte is None or a == analyte))


def get_reference(name: str, analyte: str | None = None) -> ReferenceTable:
    """The registered reference table ``name`` (case-insensitive).

    Raises
    ------
    ClinicInputError
        If no such reference is registered (for ``analyte``, when given).
    """
    key = _key(name)
    if key not in _LOADERS or (analyte is not None and _LOADERS[key][0] != analyte):
        what = f"{analyte} references" if analyte else "references"
        raise ClinicInputError(
            "reference",
            name,
            f"one of the registered {what}: {', '.join(available_references(analyte)) or 'none'}",
        )
    if key not in _CACHE:
        _CACHE[key] = _LOADERS[key][1]()
    return _CACHE[key]


register_reference("bidlingmaier2014", _load_bidlingmaier2014, analyte="IGF-1")
