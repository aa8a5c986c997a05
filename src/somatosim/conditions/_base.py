"""The shared shape of every condition: declared knobs, validation, description.

A condition is a frozen dataclass. Its severity knobs are its fields; each subclass declares,
once, the constraint of every knob (:attr:`Condition.constraints`, an
:class:`~somatosim._validation.Interval`, :class:`~somatosim._validation.OneOf` or
:class:`Flag`) and a one-line meaning with unit (:attr:`Condition.descriptions`). Validation
and error messages are generated from these declarations, and :func:`parameter_schema` exports
them as plain data, so a scenario-file loader can validate ``[[condition]]`` tables with the same
rules (see :mod:`somatosim.conditions.registry`).

The protocol the subject model relies on is only ``name`` and ``modify(p, subject)``
(:mod:`somatosim.subject`): ``modify`` changes the subject's parameter dict (floats) in place after
the covariate model and before the GH micro-constants are derived. Effect sizes are read from
``p`` (they live in ``params/conditions.toml``), never written in the code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from somatosim._validation import InputError, Interval, OneOf, as_number, check


@dataclass(frozen=True)
class Flag:
    """``True`` or ``False`` (a real boolean, not text or a number)."""

    def describe(self) -> str:
        return "true or false"

    def accepts(self, value) -> bool:
        return isinstance(value, bool)


#: Anything with ``describe()`` and ``accepts(value)``.
Constraint = Interval | OneOf | Flag


def clip01(x: float) -> float:
    """``x`` limited to [0, 1]."""
    return min(max(float(x), 0.0), 1.0)


@dataclass(frozen=True)
class Condition:
    """Base class of the causes of GH deficiency and GH resistance.

    Subclasses set :attr:`name` (the registry key used in scenario files), :attr:`label` (for
    tables and figures), :attr:`constraints` and :attr:`descriptions` (one entry per field) and
    implement :meth:`modify`. Optional knobs default to ``None``; ``__post_init__`` validates
    every given knob and turns numbers into floats.
    """

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    constraints: ClassVar[dict[str, Constraint]] = {}
    descriptions: ClassVar[dict[str, str]] = {}

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            constraint = self.constraints[f.name]
            where = f"{self.name}.{f.name}"
            if isinstance(constraint, Interval):
                value = as_number(where, value)
                if isinstance(value, bool):
                    raise InputError(f"{where} = {value!r} is not allowed: expected {constraint.describe()}")
                check(where, value, constraint)
                object.__setattr__(self, f.name, float(value))
            elif isinstance(constraint, OneOf):
                check(where, str(value) if isinstance(value, int) and not isinstance(value, bool) else value,
                      constraint)
                if isinstance(value, int) and not isinstance(value, bool):
                    object.__setattr__(self, f.name, str(value))
            else:
                check(where, value, constraint)
        self._check()

    def _check(self) -> None:
        """Cross-field checks of a subclass (e.g. "exactly one of")."""

    def modify(self, p: dict[str, float], subject) -> None:  # pragma: no cover - abstract
        """Change the subject's parameter dict ``p`` in place."""
        raise NotImplementedError

    def params(self) -> dict[str, Any]:
        """The knobs as given (``None`` for optional ones left out)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def describe(self) -> dict[str, Any]:
        """``{"name": …, "label": …, **knobs}``: JSON-ready."""
        return {"name": self.name, "label": self.label,
                **{k: v for k, v in self.params().items() if v is not None}}

    def __str__(self) -> str:
        knobs = ", ".join(f"{k}={_fmt(v)}" for k, v in self.params().items() if v is not None)
        return f"{self.name}({knobs})"


def _fmt(v) -> str:
    if isinstance(v, float) and math.isfinite(v) and v == int(v):
        return f"{v:g}"
    return repr(v) if isinstance(v, str) else str(v)


def exactly_one(condition: Condition, names: tuple[str, ...]) -> None:
    """Raise :class:`InputError` unless exactly one of the knobs ``names`` is given."""
    given = [n for n in names if getattr(condition, n) is not None]
    if len(given) != 1:
        shown = ", ".join(f"{n}={getattr(condition, n)!r}" for n in given) or "none"
        raise InputError(
            f"{condition.name}: give exactly one of {', '.join(names)} (got {shown})"
        )


def parameter_schema(cls: type[Condition]) -> dict[str, dict[str, Any]]:
    """Machine-readable description of a condition's knobs.

    ``{field: {"allowed": text, "kind": "number"|"choice"|"flag", "low", "high", "unit",
    "options", "default", "required", "description"}}``.
    """
    out: dict[str, dict[str, Any]] = {}
    for f in fields(cls):
        c = cls.constraints[f.name]
        entry: dict[str, Any] = {"allowed": c.describe(), "description": cls.descriptions.get(f.name, "")}
        if isinstance(c, Interval):
            entry.update(kind="number", low=c.low, high=c.high, unit=c.unit,
                         low_open=c.low_open, high_open=c.high_open)
        elif isinstance(c, OneOf):
            entry.update(kind="choice", options=list(c.options))
        else:
            entry.update(kind="flag")
        default = f.default
        from dataclasses import MISSING

        entry["required"] = default is MISSING and f.default_factory is MISSING
        entry["default"] = None if default is MISSING else default
        out[f.name] = entry
    return out
