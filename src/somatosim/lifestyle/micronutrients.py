"""Micronutrients and "inflammatory foods": an evidence table, and effects only where supported.

Popular advice about GH and IGF-1 (zinc, magnesium, vitamin C, selenium, vitamin D, thiamine;
cutting sugar, gluten or dairy) is modelled only as far as published human evidence supports it
(DESIGN.md, "Evidence, not marketing"). :func:`evidence_table` lists every claim with its
evidence grade, source and what the model does with it; the effect sizes live in
``params/lifestyle.toml`` (``diet_*_igf1_effect``) and are all zero: where the evidence shows an
effect, it acts through a mechanism the model already has (an oral glucose load suppresses GH
through the glucose → somatostatin coupling; protein restriction lowers IGF-1 through the
nutrition mechanism of :mod:`somatosim.lifestyle.fasting`), and where it does not, nothing is
added.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import tomllib

GRADES = ("A", "B", "C", "D", "insufficient")


@dataclass(frozen=True)
class Evidence:
    """One claim about diet and the GH/IGF-1 axis, graded."""

    name: str
    category: str
    claim: str
    grade: str
    evidence: str
    source: str
    modelled: str
    parameter: str
    effect: float

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@cache
def evidence_table() -> tuple[Evidence, ...]:
    """Every graded claim (``lifestyle/evidence.toml``) with its modelled effect size."""
    from somatosim.params import load_parameters

    params = load_parameters()
    text = resources.files(__package__).joinpath("evidence.toml").read_text(encoding="utf-8")
    rows = []
    for f in tomllib.loads(text)["factor"]:
        if f["grade"] not in GRADES:
            raise ValueError(f"evidence.toml: {f['name']}: grade {f['grade']!r} is not one of {GRADES}")
        rows.append(Evidence(effect=params[f["parameter"]].value, **f))
    return tuple(rows)


def evidence(name: str) -> Evidence:
    """The evidence entry of ``name`` (e.g. ``"zinc"``)."""
    for e in evidence_table():
        if e.name == name:
            return e
    raise KeyError(f"no evidence entry {name!r}; known: {', '.join(e.name for e in evidence_table())}")


def evidence_frame():
    """The table as a :class:`pandas.DataFrame`."""
    import pandas as pd

    return pd.DataFrame([e.as_dict() for e in evidence_table()]).set_index("name")
