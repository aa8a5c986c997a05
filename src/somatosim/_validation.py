"""Declared input constraints and the error messages generated from them.

Public objects declare their constraints once (scikit-learn's ``_parameter_constraints``
idea); :func:`check` turns a violation into one :class:`InputError` that names the field,
the value received and what is allowed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real


class InputError(ValueError):
    """Bad input to somatosim: the message names the field, the value and what is allowed."""


@dataclass(frozen=True)
class Interval:
    """A real number in ``[low, high]`` (bounds optional, closed unless stated)."""

    low: float | None = None
    high: float | None = None
    unit: str = ""
    low_open: bool = False
    high_open: bool = False

    def describe(self) -> str:
        u = f" {self.unit}" if self.unit else ""
        if self.low is not None and self.high is not None:
            lb = "(" if self.low_open else "["
            hb = ")" if self.high_open else "]"
            return f"a number in {lb}{self.low:g}, {self.high:g}{hb}{u}"
        if self.low is not None:
            return f"a number {'>' if self.low_open else '>='} {self.low:g}{u}"
        if self.high is not None:
            return f"a number {'<' if self.high_open else '<='} {self.high:g}{u}"
        return "a finite number"

    def accepts(self, value) -> bool:
        if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
            return False
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            return False
        return self.high is None or not (value > self.high or (self.high_open and value == self.high))


@dataclass(frozen=True)
class OneOf:
    """One of a fixed set of strings."""

    options: tuple[str, ...]

    def describe(self) -> str:
        return "one of " + ", ".join(repr(o) for o in self.options)

    def accepts(self, value) -> bool:
        return isinstance(value, str) and value in self.options


def check(field: str, value, constraint) -> None:
    """Raise :class:`InputError` unless ``constraint`` accepts ``value``."""
    if not constraint.accepts(value):
        raise InputError(f"{field} = {value!r} is not allowed: expected {constraint.describe()}")


def check_finite(field: str, value, expected: str = "a finite number") -> float:
    """``value`` as a float, or an :class:`InputError` naming ``field`` when it is not a finite
    real number (``bool`` and text are refused); ``expected`` words what is allowed."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"{field} = {value!r} is not allowed: expected {expected}")
    return float(value)


def as_number(field: str, value):
    """Convert text such as ``"30"`` to a float, or raise an :class:`InputError` naming ``field``."""
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise InputError(f"{field} = {value!r} is not allowed: expected a number") from None
    return value
