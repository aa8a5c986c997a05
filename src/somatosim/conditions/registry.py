"""Conditions by name, for scenario files and the command line.

:data:`CONDITIONS` maps the name used in files (``[[condition]] name = "ckd"``) to its class;
:func:`make_condition` builds one from plain keyword values with every check and a message that
names the field, the value and what is allowed; :func:`condition_schema` exports the declared
knobs (range, unit, default, meaning) as plain data for documentation and validators;
:func:`conditions_from_tables` turns the ``[[condition]]`` tables of a parsed TOML file into
conditions, collecting every problem with its field path.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from somatosim._validation import InputError
from somatosim.conditions._base import Condition, parameter_schema
from somatosim.conditions.inflammation import AcuteIllness, ChronicInflammation
from somatosim.conditions.inherited import (
    BioinactiveGH,
    GH1Deletion,
    GHRHReceptorDefect,
    LaronSyndrome,
)
from somatosim.conditions.kidney import ChronicKidneyDisease
from somatosim.conditions.liver import Cirrhosis
from somatosim.conditions.nutrition import AnorexiaNervosa
from somatosim.conditions.pituitary import (
    ChildhoodOnsetGHD,
    CranialIrradiation,
    HypothalamicDamage,
    HypothalamicTumour,
    PituitaryDamage,
    PituitarySurgery,
    PituitaryTumour,
    TraumaticBrainInjury,
)
from somatosim.conditions.sex_hormones import Estrogen, MaleHypogonadism

_CLASSES: tuple[type[Condition], ...] = (
    PituitaryDamage,
    PituitaryTumour,
    PituitarySurgery,
    HypothalamicDamage,
    HypothalamicTumour,
    TraumaticBrainInjury,
    CranialIrradiation,
    ChildhoodOnsetGHD,
    GH1Deletion,
    GHRHReceptorDefect,
    LaronSyndrome,
    BioinactiveGH,
    Cirrhosis,
    ChronicKidneyDisease,
    AnorexiaNervosa,
    MaleHypogonadism,
    Estrogen,
    ChronicInflammation,
    AcuteIllness,
)

#: Condition name -> class.
CONDITIONS: dict[str, type[Condition]] = {c.name: c for c in _CLASSES}

#: Names that are not conditions, with where the effect lives instead.
NOT_CONDITIONS: dict[str, str] = {
    "menopause": "menopause is a subject trait: set subject.postmenopausal = true (the covariate model "
    "applies it)",
}

#: The key that names the condition in a table.
NAME_KEY = "name"


def _unknown_name(name) -> InputError:
    if isinstance(name, str) and name in NOT_CONDITIONS:
        return InputError(f"condition.name = {name!r} is not allowed: {NOT_CONDITIONS[name]}")
    close = difflib.get_close_matches(str(name), list(CONDITIONS), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return InputError(f"condition.name = {name!r} is not allowed: expected one of {', '.join(CONDITIONS)}{hint}")


def make_condition(name: str, **params: Any) -> Condition:
    """Build the condition called ``name`` from keyword knobs, with validation.

    Examples
    --------
    >>> make_condition("ckd", egfr=20)
    ChronicKidneyDisease(egfr=20.0, stage=None, dialysis=None)

    Raises
    ------
    InputError
        Unknown name, unknown knob, or a knob outside its declared range (the message names the
        field, the value and what is allowed).
    """
    if not isinstance(name, str) or name not in CONDITIONS:
        raise _unknown_name(name)
    cls = CONDITIONS[name]
    allowed = list(cls.constraints)
    for key, value in params.items():
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise InputError(f"{name}.{key} = {value!r} is not allowed: unknown parameter{hint}; the "
                             f"parameters of {name} are " + (", ".join(allowed) or "none"))
    return cls(**params)


def condition_schema(name: str | None = None) -> dict[str, Any]:
    """Declared knobs of one condition (``name``) or of all, as JSON-ready data.

    ``{name: {"label", "doc", "parameters": {field: {"allowed", "kind", "low", "high", "unit",
    "options", "default", "required", "description"}}}}``; exclusive knobs (give exactly one)
    are listed under ``"exactly_one_of"``.
    """
    names = list(CONDITIONS) if name is None else [name]
    out = {}
    for n in names:
        if n not in CONDITIONS:
            raise _unknown_name(n)
        cls = CONDITIONS[n]
        entry = {
            "label": cls.label,
            "doc": (cls.__doc__ or "").strip().split("\n\n")[0].replace("\n", " "),
            "parameters": parameter_schema(cls),
        }
        exclusive = _EXCLUSIVE.get(n)
        if exclusive:
            entry["exactly_one_of"] = list(exclusive)
        out[n] = entry
    return out


_EXCLUSIVE = {"cirrhosis": ("child_pugh", "child_pugh_class", "meld"), "ckd": ("egfr", "stage", "dialysis")}


def conditions_from_tables(
    tables: Sequence[Mapping[str, Any]], *, path: str = "condition"
) -> tuple[tuple[Condition, ...], list[tuple[str, Any, str]]]:
    """Conditions from parsed ``[[condition]]`` tables, and every problem found.

    Returns ``(conditions, problems)``; each problem is ``(field_path, value, message)`` with a
    path such as ``"condition[1].egfr"``. Conditions are built only from tables without problems.
    """
    conditions: list[Condition] = []
    problems: list[tuple[str, Any, str]] = []
    if not isinstance(tables, Sequence) or isinstance(tables, (str, bytes)):
        return (), [(path, tables, "expected an array of tables ([[condition]] entries)")]
    for i, table in enumerate(tables):
        at = f"{path}[{i}]"
        if not isinstance(table, Mapping):
            problems.append((at, table, "expected a table ([[condition]] with keys below it)"))
            continue
        params = dict(table)
        if NAME_KEY not in params:
            problems.append((f"{at}.{NAME_KEY}", None, "this key is required: the condition's name, one of "
                             + ", ".join(CONDITIONS)))
            continue
        name = params.pop(NAME_KEY)
        try:
            conditions.append(make_condition(name, **params))
        except InputError as err:
            field = at + _field_of(str(err), name, params)
            value = params.get(field.rsplit(".", 1)[-1], name if field.endswith(NAME_KEY) else None)
            problems.append((field, value, str(err)))
    return tuple(conditions), problems


def _field_of(message: str, name, params: Mapping[str, Any]) -> str:
    """The sub-path (``.name`` or ``.knob``) an error message is about."""
    if message.startswith("condition.name"):
        return f".{NAME_KEY}"
    for key in params:
        if message.startswith(f"{name}.{key} "):
            return f".{key}"
    return ""


__all__ = [
    "CONDITIONS",
    "NOT_CONDITIONS",
    "condition_schema",
    "conditions_from_tables",
    "make_condition",
]
