"""Model parameters as data.

Every physiological constant of somatosim lives in one of the TOML files of this package,
one table per parameter::

    [gh_half_life_slow]
    value  = 20.7
    unit   = "min"
    kind   = "published"          # published | derived | calibrated | assumption
    source = "Faria AC et al. J Clin Endocrinol Metab 1989;68:535-541"
    note   = "slow phase of biexponential disappearance of endogenous GH"
    target = ""                   # calibrated values: the validation target they were fitted to

:func:`load_parameters` reads them all into an immutable :class:`ParameterSet`, checking that
every entry has a value, a unit, a kind and a source (or, for assumptions, a note).
:func:`parameter_overrides` changes some values for everything that reads them, within a block
(calibration, sensitivity analysis).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

import tomllib

from somatosim._validation import check_finite

KINDS = ("published", "derived", "calibrated", "assumption")
#: Core files first; any other ``*.toml`` of this package (the parameters of lifestyle, clinic,
#: therapy and disease modules) is read after them in name order.
_CORE_FILES = (
    "hypothalamus.toml",
    "pituitary.toml",
    "kinetics.toml",
    "liver.toml",
    "igf.toml",
    "schedule.toml",
    "covariates.toml",
    "glucose.toml",
)


@dataclass(frozen=True)
class Parameter:
    """One model constant with its provenance."""

    name: str
    value: float
    unit: str
    kind: str
    source: str
    note: str = ""
    target: str = ""
    file: str = ""


class ParameterSet(Mapping[str, Parameter]):
    """Read-only mapping ``name -> Parameter``; :meth:`values` gives plain floats."""

    def __init__(self, params: Mapping[str, Parameter]):
        self._params = MappingProxyType(dict(params))

    def __getitem__(self, key: str) -> Parameter:
        try:
            return self._params[key]
        except KeyError:
            raise KeyError(f"unknown parameter {key!r}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._params)

    def __len__(self) -> int:
        return len(self._params)

    def floats(self) -> dict[str, float]:
        """``{name: value}`` for all parameters (a fresh, mutable dict)."""
        return {k: p.value for k, p in self._params.items()}

    def replace(self, **values: float) -> ParameterSet:
        """A copy with some values changed (provenance kept; the kind becomes ``"assumption"``
        with a note, so that a modified set never passes for the published one)."""
        params = dict(self._params)
        for name, value in values.items():
            old = self[name]
            params[name] = Parameter(
                name=name, value=float(value), unit=old.unit, kind="assumption", source=old.source,
                note=f"changed by the user from {old.value:g}", target=old.target, file=old.file,
            )
        return ParameterSet(params)

    def table(self):
        """All parameters as a :class:`pandas.DataFrame` (one row each)."""
        import pandas as pd

        return pd.DataFrame([p.__dict__ for p in self._params.values()]).set_index("name")


def _parse(file: str, text: str) -> dict[str, Parameter]:
    data = tomllib.loads(text)
    out: dict[str, Parameter] = {}
    for name, entry in data.items():
        where = f"{file}: [{name}]"
        if not isinstance(entry, dict):
            raise TypeError(f"{where}: expected a table with value/unit/kind/source")
        missing = [k for k in ("value", "unit", "kind") if k not in entry]
        if missing:
            raise ValueError(f"{where}: missing field(s) {missing}")
        value = float(entry["value"])
        if not math.isfinite(value):
            raise ValueError(f"{where}: value {entry['value']!r} is not finite")
        kind = entry["kind"]
        if kind not in KINDS:
            raise ValueError(f"{where}: kind {kind!r} is not one of {KINDS}")
        source = entry.get("source", "")
        note = entry.get("note", "")
        if kind in ("published", "derived") and not source:
            raise ValueError(f"{where}: a {kind} value needs a source")
        if kind == "calibrated" and not entry.get("target"):
            raise ValueError(f"{where}: a calibrated value must name its calibration target")
        if kind == "assumption" and not note:
            raise ValueError(f"{where}: an assumption needs a note that explains it")
        out[name] = Parameter(
            name=name,
            value=value,
            unit=str(entry["unit"]),
            kind=kind,
            source=source,
            note=note,
            target=entry.get("target", ""),
            file=file,
        )
    return out


#: Values set by :func:`parameter_overrides` (empty outside such a block).
_OVERRIDES: dict[str, float] = {}


def load_parameters() -> ParameterSet:
    """Load every parameter file shipped with somatosim (with the values of an enclosing
    :func:`parameter_overrides` block, if any)."""
    params: dict[str, Parameter] = {}
    pkg = resources.files(__name__)
    others = sorted(f.name for f in pkg.iterdir() if f.name.endswith(".toml") and f.name not in _CORE_FILES)
    for file in (*_CORE_FILES, *others):
        for name, p in _parse(file, (pkg / file).read_text(encoding="utf-8")).items():
            if name in params:
                raise ValueError(f"parameter {name!r} defined in both {params[name].file} and {file}")
            params[name] = p
    shipped = ParameterSet(params)
    return shipped.replace(**_OVERRIDES) if _OVERRIDES else shipped


def _clear_somatosim_caches() -> None:
    """Empty every ``functools`` cache of the loaded somatosim modules — module-level functions
    and those kept in module-level containers (e.g. a scenario registry of cached runs) — since
    their results may depend on parameter values."""
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "somatosim" or name.startswith("somatosim.")):
            continue
        for obj in list(vars(module).values()):
            inner = obj.values() if isinstance(obj, dict) else obj if isinstance(obj, list | tuple) else ()
            for candidate in (obj, *inner):
                clear = getattr(candidate, "cache_clear", None)
                if callable(clear):
                    clear()


@contextmanager
def parameter_overrides(**values: float):
    """Within the ``with`` block, :func:`load_parameters` (and so every simulation, scenario and
    validation target that uses the shipped parameters) sees these values instead of the shipped
    ones; they are marked as user changes (:meth:`ParameterSet.replace`). Blocks nest (the inner
    values win) and everything is restored on leaving, also after an error. Cached results of
    somatosim functions are emptied on entry and exit. Not thread-safe.

    >>> with parameter_overrides(ghr_tau=1440.0):
    ...     load_parameters()["ghr_tau"].value
    1440.0
    """
    shipped = load_parameters()
    for name, value in values.items():
        if name not in shipped:
            raise KeyError(f"parameter_overrides: unknown parameter {name!r}")
        check_finite(f"parameter_overrides: {name}", value)
    saved = dict(_OVERRIDES)
    _OVERRIDES.update({k: float(v) for k, v in values.items()})
    _clear_somatosim_caches()
    try:
        yield
    finally:
        _OVERRIDES.clear()
        _OVERRIDES.update(saved)
        _clear_somatosim_caches()
