"""Clinical knowledge used by the interpretation engine, loaded from a data file.

Everything the interpretation of a GH/IGF-1 work-up relies on — sources, GH stimulation-test
cut-offs, thresholds, per-test protocol and safety notes, causes of a low IGF-1, and the
symptom/association checklists — lives in ``somatosim/clinic/data/interpretation.toml``, each
entry with the keys of its sources. This module reads that file into typed, immutable objects
(:func:`load_knowledge`) and checks it: every source key must exist, every cut-off must name a
known test, every threshold must have a value.

Sources and confidence tags are copied from the somatosim research notes
(``research/clinical_reference.md``, ``research/models_and_targets.md``):

* ``V`` — read in a source during research;
* ``D`` — derived from a verified table;
* ``M`` — recalled background, not re-checked against a primary source;
* ``A`` — somatosim assumption or convention (no source in the research notes).

For research and teaching only; not medical advice.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import tomllib

__all__ = [
    "CONFIDENCE",
    "KNOWLEDGE_FILE",
    "STIMULATION_TESTS",
    "Cause",
    "ChecklistItem",
    "Cutoff",
    "Knowledge",
    "KnowledgeError",
    "LabLimit",
    "Source",
    "TestInfo",
    "TestNote",
    "Threshold",
    "load_knowledge",
]

#: The data file, inside the package ``somatosim.clinic`` (folder ``data/``).
KNOWLEDGE_FILE = "interpretation.toml"

#: GH stimulation tests known to the interpretation (keys used in input files and results).
STIMULATION_TESTS: tuple[str, ...] = (
    "insulin_tolerance",
    "ghrh_arginine",
    "glucagon",
    "macimorelin",
    "arginine",
    "clonidine",
    "ghrh",
)

#: Confidence tags of sources, and what each means.
CONFIDENCE: dict[str, str] = {
    "V": "read in a source during research",
    "D": "derived from a verified table",
    "M": "recalled background, not re-checked against a primary source",
    "A": "somatosim assumption or convention, no source in the research notes",
}

_POPULATIONS = ("adult", "child", "any")
_ROLES = ("diagnostic", "transition", "proposal")
_PRETEST = ("any", "high", "low")
_COMPARISONS = ("<", "<=")


class KnowledgeError(ValueError):
    """The knowledge data file is malformed (a packaging or editing error, not user input)."""


@dataclass(frozen=True)
class Source:
    """A citable source: ``short`` label for the text, full ``citation`` for the reference list."""

    key: str
    short: str
    citation: str
    confidence: str
    note: str = ""


@dataclass(frozen=True)
class Cutoff:
    """A peak-GH cut-off (µg/L) of one stimulation test in one population and BMI band.

    GHD is read when ``peak <comparison> value``. ``grey_zone_max`` (ITT): peaks from ``value``
    up to below it are in the range where published cut-offs disagree.
    """

    test: str
    population: str
    value: float
    comparison: str
    label: str
    sources: tuple[str, ...]
    role: str = "diagnostic"
    bmi_min: float | None = None
    bmi_max: float | None = None
    bmi_min_inclusive: bool = True
    bmi_max_inclusive: bool = False
    pretest: str = "any"
    grey_zone_max: float | None = None

    @property
    def bmi_dependent(self) -> bool:
        return self.bmi_min is not None or self.bmi_max is not None

    def applies_to_bmi(self, bmi: float) -> bool:
        """Whether ``bmi`` (kg/m²) lies in this cut-off's BMI band."""
        lo, hi = self.bmi_min, self.bmi_max
        if lo is not None and (bmi < lo or (not self.bmi_min_inclusive and bmi == lo)):
            return False
        return not (hi is not None and (bmi > hi or (not self.bmi_max_inclusive and bmi == hi)))

    def deficient(self, peak: float) -> bool:
        """Whether a peak GH (µg/L) is on the GHD side of this cut-off."""
        return peak < self.value if self.comparison == "<" else peak <= self.value


@dataclass(frozen=True)
class Threshold:
    """A decision threshold, published or a somatosim assumption (``kind``)."""

    name: str
    value: float
    unit: str
    kind: str
    sources: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class LabLimit:
    """Generic limits used to flag a laboratory value (all are somatosim assumptions)."""

    key: str
    label: str
    unit: str
    low: float | None = None
    high: float | None = None
    low_male: float | None = None
    high_male: float | None = None
    low_female: float | None = None
    high_female: float | None = None
    adult_only: bool = False

    def limits(self, sex: str) -> tuple[float | None, float | None]:
        """(low, high) limits for ``sex`` ("male"/"female"); ``None`` where there is none."""
        low = self.low_male if sex == "male" else self.low_female
        high = self.high_male if sex == "male" else self.high_female
        return (self.low if low is None else low, self.high if high is None else high)

    def flag(self, value: float, sex: str) -> str | None:
        """``"low"``, ``"high"`` or ``"normal"``; ``None`` when no limit applies to ``sex``."""
        low, high = self.limits(sex)
        if low is None and high is None:
            return None
        if low is not None and value < low:
            return "low"
        if high is not None and value > high:
            return "high"
        return "normal"


@dataclass(frozen=True)
class TestNote:
    """A protocol, safety or caveat note of a stimulation test."""

    kind: str
    population: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class TestInfo:
    """A stimulation test: display label and notes."""

    key: str
    label: str
    notes: tuple[TestNote, ...]

    def notes_for(self, population: str) -> tuple[TestNote, ...]:
        return tuple(n for n in self.notes if n.population in (population, "any"))


@dataclass(frozen=True)
class Cause:
    """A cause of a low IGF-1 (``kind="resistance"``) or of low stimulated GH without pituitary
    disease (``kind="functional_low_gh"``)."""

    key: str
    name: str
    kind: str
    association: str
    sources: tuple[str, ...]
    separating_tests: tuple[str, ...]


@dataclass(frozen=True)
class ChecklistItem:
    """A checklist item (symptom, sign, criterion or association) with its sources."""

    key: str
    item: str
    evidence: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Knowledge:
    """Everything in the knowledge file, checked and immutable."""

    sources: Mapping[str, Source]
    cutoffs: tuple[Cutoff, ...]
    paediatric_cutoff: float
    paediatric_comparison: str
    paediatric_label: str
    paediatric_sources: tuple[str, ...]
    paediatric_options: tuple[tuple[float, str, tuple[str, ...]], ...]
    thresholds: Mapping[str, Threshold]
    labs: Mapping[str, LabLimit]
    tests: Mapping[str, TestInfo]
    causes: Mapping[str, Cause]
    adult_checklist: tuple[ChecklistItem, ...]
    child_checklist: tuple[ChecklistItem, ...]
    adult_associations: tuple[ChecklistItem, ...]

    def threshold(self, name: str) -> float:
        """Value of threshold ``name``."""
        return self.thresholds[name].value

    def cutoffs_for(
        self, test: str, population: str = "adult", role: str = "diagnostic"
    ) -> tuple[Cutoff, ...]:
        """Cut-offs of ``test`` for ``population`` with ``role``."""
        return tuple(
            c for c in self.cutoffs
            if c.test == test and c.population == population and c.role == role
        )


# --------------------------------------------------------------------------- loading


def _req(d: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in d:
        raise KnowledgeError(f"{KNOWLEDGE_FILE}: {where}: missing key {key!r}")
    return d[key]


def _num(x: Any, where: str) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
        raise KnowledgeError(f"{KNOWLEDGE_FILE}: {where}: expected a finite number, got {x!r}")
    return float(x)


def _opt_num(d: Mapping[str, Any], key: str, where: str) -> float | None:
    return None if key not in d else _num(d[key], f"{where}.{key}")


def _choice(x: Any, options: tuple[str, ...], where: str) -> str:
    if x not in options:
        raise KnowledgeError(f"{KNOWLEDGE_FILE}: {where}: {x!r} is not one of {options}")
    return str(x)


def _parse(data: Mapping[str, Any]) -> Knowledge:
    sources = {
        k: Source(
            key=k,
            short=_req(v, "short", f"source.{k}"),
            citation=_req(v, "citation", f"source.{k}"),
            confidence=_choice(
                _req(v, "confidence", f"source.{k}"), tuple(CONFIDENCE), f"source.{k}"
            ),
            note=v.get("note", ""),
        )
        for k, v in _req(data, "source", "top level").items()
    }
    used: list[tuple[str, tuple[str, ...]]] = []

    def srcs(d: Mapping[str, Any], where: str) -> tuple[str, ...]:
        s = tuple(_req(d, "sources", where))
        if not s:
            raise KnowledgeError(f"{KNOWLEDGE_FILE}: {where}: needs at least one source")
        used.append((where, s))
        return s

    cutoffs = []
    for i, c in enumerate(_req(data, "cutoff", "top level")):
        w = f"cutoff[{i}]"
        cutoffs.append(Cutoff(
            test=_choice(_req(c, "test", w), STIMULATION_TESTS, w),
            population=_choice(_req(c, "population", w), _POPULATIONS, w),
            value=_num(_req(c, "value", w), w),
            comparison=_choice(_req(c, "comparison", w), _COMPARISONS, w),
            label=_req(c, "label", w),
            sources=srcs(c, w),
            role=_choice(c.get("role", "diagnostic"), _ROLES, w),
            bmi_min=_opt_num(c, "bmi_min", w),
            bmi_max=_opt_num(c, "bmi_max", w),
            bmi_min_inclusive=bool(c.get("bmi_min_inclusive", True)),
            bmi_max_inclusive=bool(c.get("bmi_max_inclusive", False)),
            pretest=_choice(c.get("pretest", "any"), _PRETEST, w),
            grey_zone_max=_opt_num(c, "grey_zone_max", w),
        ))
    paed = _req(data, "paediatric", "top level")
    options = tuple(
        (_num(_req(o, "value", "paediatric.option"), "paediatric.option"),
         str(_req(o, "label", "paediatric.option")),
         srcs(o, "paediatric.option"))
        for o in paed.get("option", [])
    )
    thresholds = {
        k: Threshold(
            name=k,
            value=_num(_req(v, "value", f"threshold.{k}"), f"threshold.{k}"),
            unit=_req(v, "unit", f"threshold.{k}"),
            kind=_choice(_req(v, "kind", f"threshold.{k}"), ("published", "assumption"),
                         f"threshold.{k}"),
            sources=srcs(v, f"threshold.{k}"),
            note=v.get("note", ""),
        )
        for k, v in _req(data, "threshold", "top level").items()
    }
    labs = {
        k: LabLimit(
            key=k,
            label=_req(v, "label", f"lab.{k}"),
            unit=_req(v, "unit", f"lab.{k}"),
            adult_only=bool(v.get("adult_only", False)),
            **{f: _opt_num(v, f, f"lab.{k}") for f in
               ("low", "high", "low_male", "high_male", "low_female", "high_female")},
        )
        for k, v in _req(data, "lab", "top level").items()
    }
    tests = {}
    for k, v in _req(data, "test", "top level").items():
        _choice(k, STIMULATION_TESTS, "test")
        notes = tuple(
            TestNote(
                kind=_choice(_req(n, "kind", f"test.{k}.note"), ("protocol", "safety", "caveat"),
                             f"test.{k}.note"),
                population=_choice(_req(n, "population", f"test.{k}.note"), _POPULATIONS,
                                   f"test.{k}.note"),
                text=_req(n, "text", f"test.{k}.note"),
                sources=srcs(n, f"test.{k}.note"),
            )
            for n in v.get("note", [])
        )
        tests[k] = TestInfo(key=k, label=_req(v, "label", f"test.{k}"), notes=notes)
    missing_tests = set(STIMULATION_TESTS) - set(tests)
    if missing_tests:
        raise KnowledgeError(f"{KNOWLEDGE_FILE}: no [test.*] entry for {sorted(missing_tests)}")
    causes = {
        k: Cause(
            key=k,
            name=_req(v, "name", f"cause.{k}"),
            kind=_choice(_req(v, "kind", f"cause.{k}"), ("resistance", "functional_low_gh"),
                         f"cause.{k}"),
            association=_req(v, "association", f"cause.{k}"),
            sources=srcs(v, f"cause.{k}"),
            separating_tests=tuple(_req(v, "separating_tests", f"cause.{k}")),
        )
        for k, v in _req(data, "cause", "top level").items()
    }

    def items(rows: list[Mapping[str, Any]], where: str) -> tuple[ChecklistItem, ...]:
        return tuple(
            ChecklistItem(
                key=r.get("key", f"{where}[{i}]"),
                item=_req(r, "item", f"{where}[{i}]"),
                evidence=r.get("evidence", ""),
                sources=srcs(r, f"{where}[{i}]"),
            )
            for i, r in enumerate(rows)
        )

    checklist = _req(data, "checklist", "top level")
    know = Knowledge(
        sources=MappingProxyType(sources),
        cutoffs=tuple(cutoffs),
        paediatric_cutoff=_num(_req(paed, "default_cutoff", "paediatric"), "paediatric"),
        paediatric_comparison=_choice(_req(paed, "comparison", "paediatric"), _COMPARISONS,
                                      "paediatric"),
        paediatric_label=_req(paed, "label", "paediatric"),
        paediatric_sources=srcs(paed, "paediatric"),
        paediatric_options=options,
        thresholds=MappingProxyType(thresholds),
        labs=MappingProxyType(labs),
        tests=MappingProxyType(tests),
        causes=MappingProxyType(causes),
        adult_checklist=items(checklist.get("adult", []), "checklist.adult"),
        child_checklist=items(checklist.get("child", []), "checklist.child"),
        adult_associations=items(
            _req(data, "association", "top level").get("adult", []), "association.adult"
        ),
    )
    for where, keys in used:
        unknown = [s for s in keys if s not in sources]
        if unknown:
            raise KnowledgeError(f"{KNOWLEDGE_FILE}: {where}: unknown source(s) {unknown}")
    return know


@lru_cache(maxsize=1)
def load_knowledge() -> Knowledge:
    """The packaged knowledge file, parsed and checked (cached; the result is immutable)."""
    text = (
        resources.files("somatosim.clinic").joinpath("data").joinpath(KNOWLEDGE_FILE)
        .read_text(encoding="utf-8")
    )
    return _parse(tomllib.loads(text))
