"""Declared parameter constraints and the error messages generated from them.

A small, dependency-free take on scikit-learn's ``_param_validation``: every
estimator lists ``_parameter_constraints`` next to its parameters, and one
function turns a violation into "The 'alpha' parameter of Deconvolution must be a
float in the range (0, 1). Got 2 instead."
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

from somatosim.analysis.exceptions import AnalysisInputError

__all__ = ["InstanceOf", "Interval", "Options", "validate_parameters"]


@dataclass(frozen=True)
class Interval:
    """Numbers of ``kind`` between ``left`` and ``right`` (``None`` = unbounded)."""

    kind: type
    left: float | None
    right: float | None
    closed: str = "both"  # "both", "left", "right", "neither"
    unit: str = ""

    def is_satisfied_by(self, value: Any) -> bool:
        if isinstance(value, bool):
            return False
        if self.kind in (int, Integral):
            if not isinstance(value, Integral):
                return False
        elif not isinstance(value, Real):
            return False
        value = float(value)
        if math.isnan(value):
            return False
        if self.left is not None:
            if self.closed in ("both", "left"):
                if value < self.left:
                    return False
            elif value <= self.left:
                return False
        if self.right is not None:
            if self.closed in ("both", "right"):
                if value > self.right:
                    return False
            elif value >= self.right:
                return False
        return True

    def __str__(self) -> str:
        kind = "an int" if self.kind in (int, Integral) else "a float"
        lo = "-inf" if self.left is None else f"{self.left:g}"
        hi = "inf" if self.right is None else f"{self.right:g}"
        lb = "[" if self.closed in ("both", "left") and self.left is not None else "("
        rb = "]" if self.closed in ("both", "right") and self.right is not None else ")"
        unit = f" {self.unit}" if self.unit else ""
        return f"{kind} in the range {lb}{lo}, {hi}{rb}{unit}"


@dataclass(frozen=True)
class Options:
    """One of a fixed set of values."""

    values: tuple[Any, ...]

    def is_satisfied_by(self, value: Any) -> bool:
        try:
            return value in self.values
        except TypeError:
            return False

    def __str__(self) -> str:
        return "one of {" + ", ".join(repr(v) for v in self.values) + "}"


@dataclass(frozen=True)
class InstanceOf:
    """An instance of ``cls`` (or ``None`` when ``allow_none``)."""

    cls: type
    allow_none: bool = False

    def is_satisfied_by(self, value: Any) -> bool:
        return (value is None and self.allow_none) or isinstance(value, self.cls)

    def __str__(self) -> str:
        text = f"an instance of {self.cls.__name__}"
        return text + " or None" if self.allow_none else text


Constraint = Interval | Options | InstanceOf | None


def _describe(constraints: Sequence[Constraint]) -> str:
    parts = ["None" if c is None else str(c) for c in constraints]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]


def validate_parameters(
    constraints: Mapping[str, Sequence[Constraint]], params: Mapping[str, Any], caller: str
) -> None:
    """Raise :class:`AnalysisInputError` for the first parameter that breaks its constraints.

    Parameters
    ----------
    constraints : mapping
        Parameter name to a list of allowed forms; ``None`` in the list allows ``None``.
    params : mapping
        Parameter name to the value received.
    caller : str
        Name of the estimator or function, used in the message.
    """
    for name, allowed in constraints.items():
        value = params[name]
        ok = any((value is None) if c is None else c.is_satisfied_by(value) for c in allowed)
        if not ok:
            raise AnalysisInputError(
                f"The {name!r} parameter of {caller} must be {_describe(allowed)}. "
                f"Got {value!r} instead."
            )
