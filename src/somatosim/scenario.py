"""Scenario files: one TOML file describes a whole virtual experiment.

A scenario names a subject, the events of the run (sleep periods, meals), the blood-sampling
design and assays, and the outputs to record, the way a Pulse Physiology Engine scenario
does. The format is documented field by field in ``docs/scenarios.md``; in short::

    name = "healthy young man"
    seed = 1
    days = 2

    [subject]                     # the Subject fields (age and sex required)
    age = 25
    sex = "male"

    [[sleep]]                     # clock form: day, start and duration_h (or end) ...
    day = 0
    start = "23:00"
    duration_h = 8
    # ... or minute form: start_min = 1380, end_min = 1860

    [[meal]]
    day = 0
    time = "08:00"
    energy_kcal = 600             # with protein_g: drives the nutrition mechanism
    protein_g = 25

    [sampling]
    interval_min = 10
    start = "08:00"               # day 0 unless start_day is given
    end = "08:00"                 # the first 08:00 after the start: a 24-h study

    [outputs]
    observables = ["gh_secretion", "igf1_free"]

Rules
-----
* Times are minutes from midnight at the start of day 0 (the first simulated day), as in
  :mod:`somatosim.schedule`. Clock times are ``"HH:MM"`` strings (or TOML local times such as
  ``23:00:00``) on a given ``day``.
* Unknown keys are errors (the file is validated by pydantic models with ``extra="forbid"``),
  so a typo never passes silently.
* Every event must lie inside the simulated window ``[0, days·1440)`` min. A sleep period may
  start on the evening before day 0 (``day = -1``: a night already in progress at midnight)
  and may run past the end of the window (it is cut there); a meal must lie inside the window.
* Sleep periods must not overlap.
* With no ``[[sleep]]`` entries the subject's habitual sleep (``sleep_onset_h``,
  ``sleep_duration_h``) is used on every day, and with no ``[[meal]]`` entries the habitual
  meals (``meal_times_h``); ``sleep = []`` and ``meal = []`` mean *no* sleep and *no* meals.
* Whatever the events, the two burn-in days before day 0 follow the subject's habitual
  schedule.
* A meal acts through the ghrelin meal signal (its time), the glucose its ``carbohydrate_g``
  delivers (default: the ``meal_carbohydrate`` parameter) and, with ``energy_kcal`` and
  ``protein_g``, the nutrition mechanism of :mod:`somatosim.lifestyle.fasting` (an unstated value is
  an ordinary meal, so ordinary days are neutral).

Lifestyle events
----------------
``[[exercise]]`` (a bout or intervals, intensity × lactate threshold), ``[[fast]]``,
``[[stress]]`` (glucocorticoid doses, acute stress, chronic cortisol excess), ``[[estrogen]]``
(route, preparation, daily dose) and ``[[inflammation]]`` (an episode graded by CRP) become the
events of :mod:`somatosim.lifestyle` (section "lifestyle events" below; fields in
``docs/scenarios.md``). Doses and concentrations are written with their unit, as text
(``dose = "4 mg"``); a number without a unit, or a unit the field does not take, is an error.
Meals always drive the nutrition mechanism (a meal without stated energy or protein is an
ordinary meal); a fast removes the habitual meals inside it, and a meal written inside a fast is
an error. ``established = true`` on ``[[estrogen]]`` or a chronic ``[[stress]]`` means therapy or
excess present since long before the run: it becomes a condition of the subject (steady state
from the first minute) instead of an event.

Errors
------
All problems found in a file are reported together in one :class:`ScenarioError` (a
:class:`somatosim.InputError`); each line names the file, the field path (``sleep[1].start``),
the value and what is allowed. Problems of structure and of single values are reported first;
cross-field checks (the window, overlaps, the sampling grid) run once the structure is sound.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import itertools
import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import tomllib
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

from somatosim._validation import InputError, Interval
from somatosim.assay import ASSAY_CONSTRAINTS, MAX_SEED, Assay, SamplingPlan
from somatosim.model.axis import OBSERVABLES
from somatosim.schedule import MIN_PER_DAY, Meal, Schedule, SleepPeriod
from somatosim.subject import (
    SUBJECT_CONSTRAINTS,
    Subject,
    is_postmenopausal,
    tanner_stage,
    visceral_fat,
)

if TYPE_CHECKING:  # imported when running: loading a scenario stays quick
    import pandas as pd
    import xarray as xr

__all__ = [
    "EVENT_KINDS",
    "FORMAT_VERSION",
    "QUANTITY_UNITS",
    "Meal",
    "Problem",
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "run_scenario",
    "scenario_from_dict",
]

#: Version of the scenario format that this module reads (the optional ``format_version`` key).
FORMAT_VERSION = 1

#: Lifestyle event tables of the file and the mechanism of :mod:`somatosim.lifestyle` each drives.
EVENT_KINDS = {
    "exercise": "somatostatin withdrawal above an intensity onset near the lactate threshold (lifestyle.exercise)",
    "fast": "no meals: energy and protein deficit (lifestyle.fasting)",
    "stress": "glucocorticoid doses, acute stress, chronic cortisol excess (lifestyle.stress)",
    "estrogen": "estrogen therapy by route, preparation and dose (lifestyle.estrogen)",
    "inflammation": "an inflammatory episode graded by CRP (lifestyle.inflammation)",
}

#: Integration step of scenario runs, min (the engine's default).
SIMULATION_DT_MIN = 0.5

#: Observables always recorded: the two assayed analytes.
ASSAYED = ("gh", "igf1_total")

MIN_PER_HOUR = 60.0
_TOL = 1e-9

#: Declared constraints of the scenario's own fields (subject fields use SUBJECT_CONSTRAINTS,
#: assay fields ASSAY_CONSTRAINTS); the error messages are generated from these.
SCENARIO_CONSTRAINTS = {
    "format_version": Interval(FORMAT_VERSION, FORMAT_VERSION),
    "seed": Interval(0, MAX_SEED),
    "days": Interval(0, 3660, "days", low_open=True),
    "n_subjects": Interval(1, 1000),
    "sleep.day": Interval(-1, None),
    "sleep.duration_h": Interval(0, 24, "h", low_open=True),
    "minutes": Interval(None, None, "min"),
    "meal.day": Interval(0, None),
    "meal.time_min": Interval(0, None, "min"),
    "meal.energy_kcal": Interval(0, 5000, "kcal"),
    "meal.protein_g": Interval(0, 300, "g"),
    "meal.carbohydrate_g": Interval(0, 500, "g"),
    "sampling.interval_min": Interval(0, 1440, "min", low_open=True),
    "sampling.day": Interval(0, None),
    "sampling.time_min": Interval(0, None, "min"),
    "record_interval_min": Interval(1, 60, "min"),
}



# --- errors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One problem in a scenario file.

    Attributes
    ----------
    field : str
        Path of the field, e.g. ``"sleep[1].start"`` (``""`` for the file as a whole).
    value : object
        The value found (``None`` when there is no single value to show).
    reason : str
        What is wrong and what is allowed, e.g. ``"expected a clock time ..."``.
    """

    field: str
    value: Any
    reason: str

    def message(self, file: str) -> str:
        if not self.field:
            return f"{file}: {self.reason}"
        if self.value is _MISSING:
            return f"{file}: {self.field} is missing: {self.reason}"
        if self.value is None:  # TOML has no null: nothing to show
            return f"{file}: {self.field} {self.reason}"
        return f"{file}: {self.field} = {_show(self.value)} is not allowed: {self.reason}"


class ScenarioError(InputError):
    """A scenario file that cannot be run: every :class:`Problem` found, one per line."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = tuple(problems)
        lines = [p.message(file) for p in self.problems]
        head = lines[0] if len(lines) == 1 else f"{file}: {len(lines)} problems:\n  " + "\n  ".join(lines)
        super().__init__(head)

    @property
    def fields(self) -> tuple[str, ...]:
        """Field paths of the problems, in order."""
        return tuple(p.field for p in self.problems)


class _Missing:
    def __repr__(self):
        return "<missing>"


_MISSING = _Missing()


def _show(value) -> str:
    """A value as the user wrote it in TOML (strings quoted, booleans lower case)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, float) and value == int(value) and math.isfinite(value):
        return f"{value:g}"
    if isinstance(value, dict):
        return "{table}"
    r = repr(value)
    return r if len(r) <= 60 else r[:57] + "..."


def _err(allowed: str) -> PydanticCustomError:
    return PydanticCustomError("somatosim", "{allowed}", {"allowed": allowed})


# --- field validators (every leaf is validated here, so messages are uniform) ----------------


def _number(constraint: Interval, *, whole: bool = False) -> BeforeValidator:
    """A TOML number (never text or a boolean) accepted by ``constraint``."""
    allowed = constraint.describe()
    if whole:
        allowed = allowed.replace("a number", "a whole number", 1)
        if allowed == "a finite number":
            allowed = "a whole number"

    def validate(v):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            hint = " (a TOML number, written without quotes)" if isinstance(v, str) else ""
            raise _err(f"expected {allowed}{hint}")
        if not constraint.accepts(v) or (whole and v != int(v)):
            raise _err(f"expected {allowed}")
        return int(v) if whole else float(v)

    return BeforeValidator(validate)


def _choice(options: tuple[str, ...]) -> BeforeValidator:
    allowed = "one of " + ", ".join(_show(o) for o in options)

    def validate(v):
        if not isinstance(v, str) or v not in options:
            raise _err(f"expected {allowed}")
        return v

    return BeforeValidator(validate)


def _text(*, nonempty: bool = False) -> BeforeValidator:
    def validate(v):
        if not isinstance(v, str) or (nonempty and not v.strip()):
            raise _err("expected text in quotes" + (" (not empty)" if nonempty else ""))
        return v

    return BeforeValidator(validate)


def _flag() -> BeforeValidator:
    def validate(v):
        if not isinstance(v, bool):
            raise _err("expected true or false (without quotes)")
        return v

    return BeforeValidator(validate)


_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_CLOCK_ALLOWED = 'expected a clock time "HH:MM" from "00:00" to "23:59" (24-hour clock), e.g. "23:00"'


def _clock() -> BeforeValidator:
    """A clock time, ``"HH:MM"`` or a TOML local time, as minutes after midnight."""

    def validate(v):
        if isinstance(v, datetime.time) and v.tzinfo is None:
            return v.hour * MIN_PER_HOUR + v.minute + v.second / 60.0 + v.microsecond / 6e7
        if isinstance(v, str):
            m = _CLOCK.fullmatch(v.strip())
            if m and int(m[1]) < 24 and int(m[2]) < 60:
                return int(m[1]) * MIN_PER_HOUR + int(m[2])
        raise _err(_CLOCK_ALLOWED)

    return BeforeValidator(validate)


def _c(name: str) -> Interval:
    return SCENARIO_CONSTRAINTS[name]


_FORBID = ConfigDict(extra="forbid", frozen=True)


# --- the file's structure ---------------------------------------------------------------------


class SubjectTable(BaseModel):
    """``[subject]``: the :class:`somatosim.Subject` fields (constraints from SUBJECT_CONSTRAINTS)."""

    model_config = _FORBID

    age: Annotated[float, _number(SUBJECT_CONSTRAINTS["age"])]
    sex: Annotated[str, _choice(SUBJECT_CONSTRAINTS["sex"].options)]
    height_cm: Annotated[float | None, _number(SUBJECT_CONSTRAINTS["height_cm"])] = None
    weight_kg: Annotated[float | None, _number(SUBJECT_CONSTRAINTS["weight_kg"])] = None
    visceral_fat_cm2: Annotated[float | None, _number(SUBJECT_CONSTRAINTS["visceral_fat_cm2"])] = None
    waist_cm: Annotated[float | None, _number(SUBJECT_CONSTRAINTS["waist_cm"])] = None
    postmenopausal: Annotated[bool | None, _flag()] = None
    pubertal_stage: Annotated[int | None, _number(SUBJECT_CONSTRAINTS["pubertal_stage"], whole=True)] = None
    sleep_onset_h: Annotated[float, _number(SUBJECT_CONSTRAINTS["sleep_onset_h"])] = 23.0
    sleep_duration_h: Annotated[float, _number(SUBJECT_CONSTRAINTS["sleep_duration_h"])] = 8.0
    meal_times_h: tuple[Annotated[float, _number(SUBJECT_CONSTRAINTS["meal_times_h"])], ...] = (8.0, 13.0, 19.0)


class SleepEntry(BaseModel):
    """``[[sleep]]``: clock form (``day``, ``start``, ``duration_h`` or ``end``) or minute form."""

    model_config = _FORBID

    day: Annotated[int | None, _number(_c("sleep.day"), whole=True)] = None
    start: Annotated[float | None, _clock()] = None
    end: Annotated[float | None, _clock()] = None
    duration_h: Annotated[float | None, _number(_c("sleep.duration_h"))] = None
    start_min: Annotated[float | None, _number(_c("minutes"))] = None
    end_min: Annotated[float | None, _number(_c("minutes"))] = None


class MealEntry(BaseModel):
    """``[[meal]]``: ``day`` and clock ``time``, or ``time_min``; carbohydrate, energy and protein."""

    model_config = _FORBID

    day: Annotated[int | None, _number(_c("meal.day"), whole=True)] = None
    time: Annotated[float | None, _clock()] = None
    time_min: Annotated[float | None, _number(_c("meal.time_min"))] = None
    energy_kcal: Annotated[float | None, _number(_c("meal.energy_kcal"))] = None
    protein_g: Annotated[float | None, _number(_c("meal.protein_g"))] = None
    carbohydrate_g: Annotated[float | None, _number(_c("meal.carbohydrate_g"))] = None


class SamplingTable(BaseModel):
    """``[sampling]``: blood-sampling design and the GH and IGF-1 assays."""

    model_config = _FORBID

    interval_min: Annotated[float, _number(_c("sampling.interval_min"))] = 10.0
    start: Annotated[float | None, _clock()] = None
    start_day: Annotated[int | None, _number(_c("sampling.day"), whole=True)] = None
    start_min: Annotated[float | None, _number(_c("sampling.time_min"))] = None
    end: Annotated[float | None, _clock()] = None
    end_day: Annotated[int | None, _number(_c("sampling.day"), whole=True)] = None
    end_min: Annotated[float | None, _number(_c("sampling.time_min"))] = None
    gh_cv: Annotated[float, _number(ASSAY_CONSTRAINTS["cv"])] = 0.05
    igf1_cv: Annotated[float, _number(ASSAY_CONSTRAINTS["cv"])] = 0.08
    gh_detection_limit: Annotated[float, _number(Interval(0, None, "ug/L"))] = 0.05
    igf1_detection_limit: Annotated[float, _number(Interval(0, None, "ng/mL"))] = 10.0
    gh_floor_sd: Annotated[float, _number(Interval(0, None, "ug/L"))] = 0.0


class OutputsTable(BaseModel):
    """``[outputs]``: extra observables to record, and the recording interval."""

    model_config = _FORBID

    observables: tuple[Annotated[str, _choice(tuple(OBSERVABLES))], ...] = ("gh_secretion", "igf1_free")
    record_interval_min: Annotated[float, _number(_c("record_interval_min"), whole=True)] = 1.0


# --- lifestyle events: tables ---------------------------------------------------------------------
# The tables of [[exercise]], [[fast]], [[stress]], [[estrogen]] and [[inflammation]]; they are
# resolved into somatosim.lifestyle events by _lifestyle() below. Kept apart from the core tables
# so that the file format's lifestyle part reads in one place.

#: Units accepted by each kind of quantity: the canonical unit and ``unit text -> factor`` to it.
#: Unit text is compared without spaces; "u", "µ" and "mc" all mean micro.
QUANTITY_UNITS: dict[str, tuple[str, dict[str, float]]] = {
    "dose": ("mg", {"mg": 1.0, "g": 1000.0, "ug": 1e-3, "µg": 1e-3, "mcg": 1e-3}),
    "daily_dose": ("ug/day", {"ug/day": 1.0, "µg/day": 1.0, "mcg/day": 1.0, "mg/day": 1000.0,
                              "ug/d": 1.0, "µg/d": 1.0, "mcg/d": 1.0, "mg/d": 1000.0}),
    "cortisol_excess": ("mg/day", {"mg/day": 1.0, "mg/d": 1.0}),
    "crp": ("mg/L", {"mg/L": 1.0, "mg/l": 1.0, "mg/dL": 10.0, "mg/dl": 10.0}),
}
_QUANTITY = re.compile(r"([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*)")


def _quantity(kind: str, constraint: Interval, example: str) -> BeforeValidator:
    """A quantity written as text with its unit (``"4 mg"``), converted to the canonical unit."""
    canonical, units = QUANTITY_UNITS[kind]
    listed = ", ".join(dict.fromkeys(units))

    def validate(v):
        if isinstance(v, (bool, int, float)):
            raise _err(f'expected a quantity with its unit, as text: e.g. "{example}" (a number alone has no '
                       f"unit; units: {listed})")
        m = _QUANTITY.fullmatch(v.strip()) if isinstance(v, str) else None
        if m is None:
            raise _err(f'expected a number followed by its unit, e.g. "{example}" (units: {listed})')
        unit = m[2].replace(" ", "")
        if not unit:
            raise _err(f'expected a unit after the number, e.g. "{example}" (units: {listed})')
        if unit not in units:
            raise _err(f"the unit {unit!r} is not allowed here: expected one of {listed}")
        value = float(m[1]) * units[unit]
        if not constraint.accepts(value):
            raise _err(f"expected {constraint.describe()} (the value converted to {canonical})")
        return value

    return BeforeValidator(validate)


def _life_c() -> dict[str, Any]:
    from somatosim.lifestyle.estrogen import DRUGS as ESTROGEN_DRUGS
    from somatosim.lifestyle.estrogen import ESTROGEN_CONSTRAINTS
    from somatosim.lifestyle.exercise import EXERCISE_CONSTRAINTS
    from somatosim.lifestyle.inflammation import INFLAMMATION_CONSTRAINTS
    from somatosim.lifestyle.stress import DRUGS as GC_DRUGS
    from somatosim.lifestyle.stress import STRESS_CONSTRAINTS

    return {
        **{f"exercise.{k}": v for k, v in EXERCISE_CONSTRAINTS.items()},
        "exercise.intervals": EXERCISE_CONSTRAINTS["repeats"],
        "stress.dose": STRESS_CONSTRAINTS["dose_mg"],
        "stress.cortisol_excess": STRESS_CONSTRAINTS["cortisol_excess_mg_per_day"],
        "stress.every_h": Interval(0, 720, "h", low_open=True),
        "stress.count": Interval(1, 1000),
        "gc_drugs": GC_DRUGS,
        "estrogen.dose": ESTROGEN_CONSTRAINTS["dose_ug_per_day"],
        "estrogen_drugs": tuple(dict.fromkeys(d for ds in ESTROGEN_DRUGS.values() for d in ds)),
        "estrogen.routes": ESTROGEN_CONSTRAINTS["route"].options,
        "inflammation.crp": INFLAMMATION_CONSTRAINTS["crp_mg_l"],
        "event.day": Interval(0, None),
        "event.time_min": Interval(0, None, "min"),
        "event.duration_h": Interval(0, 24 * 3660, "h", low_open=True),
    }


_L = _life_c()


class _Window(BaseModel):
    """Start (``day`` + clock ``start``, or ``start_min``) and end (``duration_h``, clock ``end`` with
    optional ``end_day``, or ``end_min``) shared by the lifestyle tables."""

    model_config = _FORBID

    day: Annotated[int | None, _number(_L["event.day"], whole=True)] = None
    start: Annotated[float | None, _clock()] = None
    start_min: Annotated[float | None, _number(_L["event.time_min"])] = None
    duration_h: Annotated[float | None, _number(_L["event.duration_h"])] = None
    end: Annotated[float | None, _clock()] = None
    end_day: Annotated[int | None, _number(_L["event.day"], whole=True)] = None
    end_min: Annotated[float | None, _number(_L["event.time_min"])] = None


class ExerciseEntry(BaseModel):
    """``[[exercise]]``: a bout (``duration_min``) or intervals (``intervals``, ``work_min``,
    ``rest_min``); intensity × lactate threshold or as % VO2max."""

    model_config = _FORBID

    day: Annotated[int | None, _number(_L["event.day"], whole=True)] = None
    start: Annotated[float | None, _clock()] = None
    start_min: Annotated[float | None, _number(_L["event.time_min"])] = None
    duration_min: Annotated[float | None, _number(_L["exercise.duration_min"])] = None
    intensity: Annotated[float | None, _number(_L["exercise.intensity"])] = None
    percent_vo2max: Annotated[float | None, _number(_L["exercise.percent_vo2max"])] = None
    intervals: Annotated[int | None, _number(_L["exercise.intervals"], whole=True)] = None
    work_min: Annotated[float | None, _number(_L["exercise.work_min"])] = None
    rest_min: Annotated[float | None, _number(_L["exercise.rest_min"])] = None
    rest_intensity: Annotated[float, _number(_L["exercise.intensity"])] = 0.0
    trained: Annotated[bool, _flag()] = False


class FastEntry(_Window):
    """``[[fast]]``: no meals from the start to the end (water only)."""


class StressEntry(_Window):
    """``[[stress]]``: ``kind`` = "glucocorticoid" (a dose, optionally repeated), "acute" (a
    psychological stressor) or "chronic" (cortisol excess over a period, or ``established``)."""

    kind: Annotated[str, _choice(("glucocorticoid", "acute", "chronic"))]
    drug: Annotated[str | None, _choice(_L["gc_drugs"])] = None
    dose: Annotated[float | None, _quantity("dose", _L["stress.dose"], "4 mg")] = None
    every_h: Annotated[float | None, _number(_L["stress.every_h"])] = None
    count: Annotated[int | None, _number(_L["stress.count"], whole=True)] = None
    cortisol_excess: Annotated[float | None, _quantity("cortisol_excess", _L["stress.cortisol_excess"],
                                                       "40 mg/day")] = None
    established: Annotated[bool, _flag()] = False


class EstrogenEntry(_Window):
    """``[[estrogen]]``: ``route``, ``drug`` and daily ``dose``, for a period or ``established``."""

    route: Annotated[str, _choice(_L["estrogen.routes"])]
    drug: Annotated[str, _choice(_L["estrogen_drugs"])] = "estradiol"
    dose: Annotated[float, _quantity("daily_dose", _L["estrogen.dose"], "20 ug/day")]
    established: Annotated[bool, _flag()] = False


class InflammationEntry(_Window):
    """``[[inflammation]]``: an inflammatory episode with C-reactive protein ``crp``."""

    crp: Annotated[float, _quantity("crp", _L["inflammation.crp"], "50 mg/L")]


class ScenarioFile(BaseModel):
    """The top level of a scenario file (see ``docs/scenarios.md``)."""

    model_config = _FORBID

    format_version: Annotated[int, _number(_c("format_version"), whole=True)] = FORMAT_VERSION
    name: Annotated[str, _text(nonempty=True)]
    description: Annotated[str, _text()] = ""
    seed: Annotated[int, _number(_c("seed"), whole=True)] = 0
    days: Annotated[float, _number(_c("days"))] = 1.0
    n_subjects: Annotated[int, _number(_c("n_subjects"), whole=True)] = 1
    variability: Annotated[bool, _flag()] = True
    subject: SubjectTable
    sleep: list[SleepEntry] | None = None
    meal: list[MealEntry] | None = None
    sampling: SamplingTable = SamplingTable()
    outputs: OutputsTable = OutputsTable()
    exercise: list[ExerciseEntry] = []
    fast: list[FastEntry] = []
    stress: list[StressEntry] = []
    estrogen: list[EstrogenEntry] = []
    inflammation: list[InflammationEntry] = []
    condition: list[dict] = []


#: The model of each table, by the table's key (for "allowed keys" in messages).
_TABLES: dict[str, type[BaseModel]] = {
    "subject": SubjectTable,
    "sleep": SleepEntry,
    "meal": MealEntry,
    "sampling": SamplingTable,
    "outputs": OutputsTable,
    "exercise": ExerciseEntry,
    "fast": FastEntry,
    "stress": StressEntry,
    "estrogen": EstrogenEntry,
    "inflammation": InflammationEntry,
}
_ARRAYS = ("sleep", "meal", "condition", *EVENT_KINDS)


# --- the resolved scenario -------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """A validated, resolved scenario: everything :func:`run_scenario` needs.

    Times are in minutes from midnight of day 0. ``sleep_from`` and ``meals_from`` say whether
    the events came from the file (``"scenario"``) or from the subject's habits (``"habitual"``).
    """

    name: str
    description: str
    seed: int
    days: float
    subject: Subject
    schedule: Schedule
    meals: tuple[Meal, ...]
    plan: SamplingPlan
    gh_assay: Assay
    igf1_assay: Assay
    observables: tuple[str, ...] = ASSAYED
    record_interval_min: float = 1.0
    n_subjects: int = 1
    variability: bool = True
    sleep_from: str = "scenario"
    meals_from: str = "scenario"
    source: str | None = None
    format_version: int = FORMAT_VERSION
    lifestyle: tuple[dict, ...] = ()

    def to_dict(self) -> dict:
        """The resolved scenario as plain JSON-ready data (times in min and as clock text)."""
        s = self.subject
        return {
            "format_version": self.format_version,
            "name": self.name,
            "description": self.description,
            "source": self.source,
            "seed": self.seed,
            "days": self.days,
            "n_subjects": self.n_subjects,
            "variability": self.variability,
            "subject": asdict(s),
            "subject_derived": {
                "height_cm": s.height,
                "weight_kg": s.weight,
                "bmi": round(s.bmi, 2),
                "visceral_fat_cm2": round(visceral_fat(s), 1),
                "postmenopausal": is_postmenopausal(s),
                "tanner_stage": tanner_stage(s),
            },
            "sleep": {
                "from": self.sleep_from,
                "periods": [
                    {"start_min": p.start, "end_min": p.end, "start": _when(p.start), "end": _when(p.end)}
                    for p in self.schedule.sleep
                ],
            },
            "meals": {
                "from": self.meals_from,
                "items": [{"time_min": m.time_min, "time": _when(m.time_min), "energy_kcal": m.energy_kcal,
                           "protein_g": m.protein_g, "carbohydrate_g": m.carbohydrate_g} for m in self.meals],
                "note": "a meal acts through the ghrelin meal signal (its time), the glucose its carbohydrate "
                "delivers (default meal_carbohydrate when not given) and the nutrition mechanism (energy_kcal "
                "and protein_g; an unstated value is an ordinary meal's share of the daily requirement)",
            },
            "lifestyle": [dict(e) for e in self.lifestyle],
            "conditions": [c.describe() if hasattr(c, "describe") else repr(c) for c in s.conditions],
            "burn_in": "2 days of the subject's habitual sleep and meals before day 0 (lifestyle events do not act "
            "in the burn-in; established therapy or excess, a condition, does)",
            "sampling": asdict(self.plan),
            "gh_assay": asdict(self.gh_assay),
            "igf1_assay": asdict(self.igf1_assay),
            "outputs": {"observables": list(self.observables), "record_interval_min": self.record_interval_min},
            "engine": {"name": "fast", "dt_min": SIMULATION_DT_MIN},
        }


def _when(t: float) -> str:
    """``"day D HH:MM"`` for a time in min from midnight of day 0."""
    day, minute = divmod(round(t), int(MIN_PER_DAY))
    return f"day {day} {minute // 60:02d}:{minute % 60:02d}"


# --- loading ----------------------------------------------------------------------------------


def load_scenario(path: str | PathLike) -> Scenario:
    """Read, validate and resolve a scenario file (TOML).

    Parameters
    ----------
    path : str or path-like
        The ``.toml`` file.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        The file cannot be read, is not TOML, or breaks the format; the message names the file,
        each field path, its value and what is allowed.
    """
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(file, [Problem("", None, f"cannot read the scenario file ({err})")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(file, [Problem("", None, f"not valid TOML: {err}")]) from None
    return scenario_from_dict(data, source=file)


def scenario_from_dict(data: Mapping[str, Any], *, source: str = "<scenario>") -> Scenario:
    """Validate and resolve a scenario given as parsed TOML (a dict); see :func:`load_scenario`.

    ``source`` names the scenario in error messages (a file name, or ``"<scenario>"``).
    """
    if not isinstance(data, Mapping):
        raise ScenarioError(source, [Problem("", None, "expected a table of scenario keys")])
    try:
        raw = ScenarioFile.model_validate(dict(data))
    except ValidationError as err:
        # Report bad [[condition]] tables together with the file's other problems.
        problems: list[Problem] = []
        tables = data.get("condition")
        if isinstance(tables, list) and all(isinstance(t, Mapping) for t in tables):
            _conditions([dict(t) for t in tables], problems)
        raise ScenarioError(source, problems + _pydantic_problems(err)) from None
    return _resolve(raw, source)


def _version() -> str:
    from somatosim import __version__

    return __version__


def _path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _table_of(loc: tuple) -> tuple[str, type[BaseModel]]:
    """Name (as written in TOML) and model of the table that holds the key at ``loc``."""
    if len(loc) >= 2 and loc[0] in _TABLES:
        name = f"[[{loc[0]}]]" if loc[0] in _ARRAYS else f"[{loc[0]}]"
        return name, _TABLES[loc[0]]
    return "the top level", ScenarioFile


def _pydantic_problems(err: ValidationError) -> list[Problem]:
    problems = []
    for e in err.errors():
        loc, kind = tuple(e["loc"]), e["type"]
        path = _path(loc)
        if kind == "somatosim":
            problems.append(Problem(path, e["input"], e["ctx"]["allowed"]))
        elif kind == "extra_forbidden":
            where, model = _table_of(loc)
            keys = list(model.model_fields)
            close = difflib.get_close_matches(str(loc[-1]), keys, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(Problem(path, e["input"], f"unknown key{hint}: the keys allowed in {where} are "
                                    + ", ".join(keys)))
        elif kind == "missing":
            what = "an array of tables" if loc[-1] in _ARRAYS else (
                f"a [{loc[-1]}] table" if loc[-1] in _TABLES else "a value")
            problems.append(Problem(path, _MISSING, f"this key is required ({what})"))
        elif kind in ("model_type", "model_attributes_type", "dict_type"):
            name = loc[-1] if isinstance(loc[-1], str) else loc[0]
            form = f"[[{name}]]" if name in _ARRAYS else f"[{name}]"
            problems.append(Problem(path, e["input"], f"expected a table ({form} with keys below it)"))
        elif kind in ("list_type", "tuple_type"):
            form = f"an array of tables ([[{loc[-1]}]] entries)" if loc[-1] in _ARRAYS else "an array [...]"
            problems.append(Problem(path, e["input"], f"expected {form}"))
        else:  # any other structural error: pydantic's own words
            problems.append(Problem(path, e.get("input"), e["msg"]))
    return problems


# --- resolving: cross-field checks and conversion --------------------------------------------


def _conditions(tables: list[dict], problems: list[Problem]) -> tuple:
    """Conditions of the ``[[condition]]`` tables (``name`` plus the condition's knobs; see
    :func:`somatosim.conditions.condition_schema`); problems go into ``problems``."""
    if not tables:
        return ()
    from somatosim.conditions import conditions_from_tables

    conditions, found = conditions_from_tables(tables)
    for field, value, message in found:
        _, sep, reason = message.partition(" is not allowed: ")
        problems.append(Problem(field, value, reason) if sep else Problem(field, None, message))
    return conditions


def _resolve(raw: ScenarioFile, source: str) -> Scenario:
    problems: list[Problem] = []
    window = raw.days * MIN_PER_DAY
    rec = raw.outputs.record_interval_min
    steps = window / rec
    if abs(steps - round(steps)) > 1e-6:
        problems.append(Problem("days", raw.days, f"expected a run length that is a whole number of "
                                f"record intervals (outputs.record_interval_min = {rec:g} min)"))
    window_text = f"the simulated window [0, {window:g}) min (day 0 00:00 to {_when(window)})"

    subject = _subject(raw.subject, problems)
    sleep = _sleep(raw.sleep, window, window_text, problems)
    meals = _meals(raw.meal, window, window_text, problems)
    plan = _plan(raw.sampling, window, window_text, rec, problems)
    life = _lifestyle(raw, window, window_text, problems)
    conditions = _conditions(raw.condition, problems)
    if life is not None and meals is not None:
        _meals_in_fasts(raw.meal, meals, life.fasts, problems)
    if problems:
        raise ScenarioError(source, problems)

    last_day = math.ceil(raw.days)
    habitual = Schedule.habitual(subject, 0, last_day)
    if meals is None:  # habitual meals, less those inside a fast
        meal_items = tuple(m for m in habitual.meals
                           if m.time_min < window and not any(f.contains(m.time_min) for f in life.fasts))
    else:
        meal_items = tuple(sorted(meals, key=lambda m: m.time_min))
    if sleep is None:
        periods = tuple(p for p in habitual.sleep if p.end > 0 and p.start < window)
    else:
        periods = tuple(SleepPeriod(a, b) for a, b in sleep)
    if life.conditions or conditions:
        subject = dataclasses.replace(subject, conditions=subject.conditions + conditions + life.conditions)
    schedule = Schedule(sleep=periods, meals=meal_items)
    schedule = schedule.with_events(*life.events, _nutrition(schedule, subject, window))

    observables = tuple(dict.fromkeys(ASSAYED + raw.outputs.observables))
    s = raw.sampling
    return Scenario(
        name=raw.name,
        description=raw.description.strip(),
        seed=raw.seed,
        days=raw.days,
        subject=subject,
        schedule=schedule,
        meals=meal_items,
        plan=plan,
        gh_assay=Assay(cv=s.gh_cv, detection_limit=s.gh_detection_limit, floor_sd=s.gh_floor_sd,
                       name="GH immunoassay", unit="ug/L"),
        igf1_assay=Assay(cv=s.igf1_cv, detection_limit=s.igf1_detection_limit,
                         name="total IGF-1 immunoassay", unit="ng/mL"),
        observables=observables,
        record_interval_min=rec,
        n_subjects=raw.n_subjects,
        variability=raw.variability,
        sleep_from="habitual" if sleep is None else "scenario",
        meals_from="habitual" if meals is None else "scenario",
        source=source,
        format_version=raw.format_version,
        lifestyle=life.records,
    )


def _subject(t: SubjectTable, problems: list[Problem]) -> Subject | None:
    if t.sex == "male" and t.postmenopausal is not None:
        problems.append(Problem("subject.postmenopausal", t.postmenopausal,
                                'expected no postmenopausal key when sex = "male" (menopausal status '
                                "applies to women only)"))
        return None
    try:
        return Subject(**t.model_dump())
    except InputError as err:  # a Subject check not mirrored above (its message names the field)
        problems.append(Problem("", None, str(err)))
        return None


def _sleep(entries, window, window_text, problems) -> list[tuple[float, float]] | None:
    """Sleep periods (start, end) in min, or None for the habitual schedule."""
    if entries is None:
        return None
    periods: list[tuple[int, float, float]] = []
    for i, e in enumerate(entries):
        at = f"sleep[{i}]"
        clock = [k for k in ("day", "start", "end", "duration_h") if getattr(e, k) is not None]
        minutes = [k for k in ("start_min", "end_min") if getattr(e, k) is not None]
        if clock and minutes:
            problems.append(Problem(f"{at}.{minutes[0]}", getattr(e, minutes[0]),
                                    "expected either the clock form (day, start, and duration_h or end) "
                                    f"or the minute form (start_min, end_min) in one entry, not both "
                                    f"({at} also has {clock[0]})"))
            continue
        if minutes:
            if e.start_min is None or e.end_min is None:
                missing = "start_min" if e.start_min is None else "end_min"
                problems.append(Problem(f"{at}.{missing}", _MISSING,
                                        "the minute form needs both start_min and end_min"))
                continue
            a, b = e.start_min, e.end_min
            if b <= a:
                problems.append(Problem(f"{at}.end_min", b, f"expected a time later than start_min = {a:g} min"))
                continue
            if b - a > 24 * MIN_PER_HOUR:
                problems.append(Problem(f"{at}.end_min", b, f"expected a sleep period of at most 24 h "
                                        f"(start_min = {a:g} min)"))
                continue
        else:
            if e.start is None:
                problems.append(Problem(f"{at}.start", _MISSING, 'a sleep period needs a start time, e.g. '
                                        'start = "23:00" (with day and duration_h or end), or start_min and '
                                        "end_min"))
                continue
            if (e.end is None) == (e.duration_h is None):
                problems.append(Problem(f"{at}.duration_h", e.duration_h if e.duration_h is not None else _MISSING,
                                        "give exactly one of duration_h (h) and end (clock time)"))
                continue
            day = 0 if e.day is None else e.day
            a = day * MIN_PER_DAY + e.start
            if e.duration_h is not None:
                b = a + e.duration_h * MIN_PER_HOUR
            else:  # the first time at that clock after the start
                b = day * MIN_PER_DAY + e.end
                if b <= a:
                    b += MIN_PER_DAY
        if minutes:
            name, shown = f"{at}.start_min", a
        elif e.day:
            name, shown = f"{at}.day", e.day
        else:
            name, shown = f"{at}.start", _clock_text(e.start)
        if a >= window:
            problems.append(Problem(name, shown, f"the sleep period starts at {_when(a)}, outside "
                                    f"{window_text}; expected a start inside the window or on the "
                                    "evening before day 0 (day = -1)"))
            continue
        if b <= 0:
            problems.append(Problem(name, shown, f"the sleep period ({_when(a)} to {_when(b)}) ends before "
                                    f"the simulated window starts; expected a period that overlaps "
                                    f"{window_text}"))
            continue
        periods.append((a, b, i, name, shown))
    # Overlap: the Schedule's own check, re-worded with the entries' field paths.
    try:
        Schedule(sleep=tuple(SleepPeriod(a, b) for a, b, *_ in periods))
    except InputError:
        for (a0, b0, i, *_), (a1, b1, _j, name, shown) in itertools.pairwise(sorted(periods)):
            if a1 < b0:
                problems.append(Problem(name, shown, f"the sleep period {_when(a1)} to {_when(b1)} "
                                        f"overlaps sleep[{i}] ({_when(a0)} to {_when(b0)}); expected "
                                        "sleep periods that do not overlap"))
    return [(a, b) for a, b, *_ in periods]


def _meals(entries, window, window_text, problems) -> list[Meal] | None:
    if entries is None:
        return None
    meals = []
    for i, e in enumerate(entries):
        at = f"meal[{i}]"
        if e.time_min is not None:
            if e.time is not None or e.day is not None:
                other = "time" if e.time is not None else "day"
                problems.append(Problem(f"{at}.time_min", e.time_min, f"expected either day and time or "
                                        f"time_min, not both ({at} also has {other})"))
                continue
            t, name, shown = e.time_min, f"{at}.time_min", e.time_min
        elif e.time is not None:
            t = (e.day or 0) * MIN_PER_DAY + e.time
            name, shown = (f"{at}.day", e.day) if e.day else (f"{at}.time", _clock_text(e.time))
        else:
            problems.append(Problem(f"{at}.time", _MISSING, 'a meal needs a time, e.g. time = "08:00" '
                                    "(with day), or time_min"))
            continue
        if t >= window:
            problems.append(Problem(name, shown, f"the meal at {_when(t)} is outside {window_text}"))
            continue
        meals.append(Meal(t, e.energy_kcal, e.protein_g, e.carbohydrate_g))
    return meals


def _time_of(table: SamplingTable, which: str, start: float | None, problems) -> tuple[float | None, str, Any]:
    """A sampling start or end (min), the field that gave it and its value (None if absent)."""
    clock, day, minutes = (getattr(table, which), getattr(table, f"{which}_day"), getattr(table, f"{which}_min"))
    if minutes is not None:
        if clock is not None or day is not None:
            other = which if clock is not None else f"{which}_day"
            problems.append(Problem(f"sampling.{which}_min", minutes, f"expected either {which} (with "
                                    f"{which}_day) or {which}_min, not both (sampling also has {other})"))
            return None, "", None
        return minutes, f"sampling.{which}_min", minutes
    if clock is None:
        if day is not None:
            problems.append(Problem(f"sampling.{which}", _MISSING, f"{which}_day needs a clock time "
                                    f'{which} = "HH:MM"'))
        return None, "", None
    if day is None:
        t = clock
        if which == "end" and start is not None:  # the first time at that clock after the start
            t = math.floor(start / MIN_PER_DAY) * MIN_PER_DAY + clock
            if t <= start:
                t += MIN_PER_DAY
    else:
        t = day * MIN_PER_DAY + clock
    return t, f"sampling.{which}", _clock_text(clock)


def _plan(table: SamplingTable, window, window_text, rec, problems) -> SamplingPlan | None:
    n0 = len(problems)
    start, s_field, s_value = _time_of(table, "start", None, problems)
    start = 0.0 if start is None else start
    end, e_field, e_value = _time_of(table, "end", start, problems)
    if len(problems) > n0:
        return None
    iv = table.interval_min
    if abs(iv / rec - round(iv / rec)) > _TOL:
        problems.append(Problem("sampling.interval_min", iv, f"expected a multiple of "
                                f"outputs.record_interval_min = {rec:g} min (samples fall on recorded times)"))
    if s_field and abs(start / rec - round(start / rec)) > _TOL:
        problems.append(Problem(s_field, s_value, f"expected a start on the recorded grid (a multiple of "
                                f"outputs.record_interval_min = {rec:g} min)"))
    if start >= window:
        problems.append(Problem(s_field, s_value, f"sampling starts at {_when(start)}, outside {window_text}"))
    elif end is not None:
        if end > window + 1e-6:
            problems.append(Problem(e_field, e_value, f"sampling ends at {_when(end)}, after the end of "
                                    f"{window_text}"))
        elif end <= start:
            problems.append(Problem(e_field, e_value, f"expected an end later than the start ({_when(start)})"))
    if len(problems) > n0:
        return None
    return SamplingPlan(interval_min=iv, start_min=start, end_min=end)


def _clock_text(minutes: float) -> str:
    m = round(minutes)
    return f"{m // 60:02d}:{m % 60:02d}"


# --- lifestyle events: resolving ------------------------------------------------------------------


@dataclass(frozen=True)
class _Life:
    """The resolved lifestyle part of a scenario."""

    events: tuple = ()
    fasts: tuple = ()
    conditions: tuple = ()
    records: tuple[dict, ...] = ()


def _event_start(e, at, what, window, window_text, problems) -> float | None:
    """Start (min) of a lifestyle entry from ``day`` + ``start`` or ``start_min``."""
    if e.start_min is not None:
        if e.start is not None or e.day is not None:
            other = "start" if e.start is not None else "day"
            problems.append(Problem(f"{at}.start_min", e.start_min, f"expected either day and start or "
                                    f"start_min, not both ({at} also has {other})"))
            return None
        t, field, shown = e.start_min, f"{at}.start_min", e.start_min
    elif e.start is not None:
        t = (e.day or 0) * MIN_PER_DAY + e.start
        field, shown = (f"{at}.day", e.day) if e.day else (f"{at}.start", _clock_text(e.start))
    else:
        problems.append(Problem(f"{at}.start", _MISSING, f'{what} needs a start, e.g. start = "10:00" '
                                "(with day), or start_min"))
        return None
    if t >= window:
        problems.append(Problem(field, shown, f"the {what} starts at {_when(t)}, outside {window_text}"))
        return None
    return t


def _event_end(e, at, what, start, problems) -> float | None:
    """End (min) of a lifestyle entry from ``duration_h``, ``end`` (+ ``end_day``) or ``end_min``."""
    forms = [k for k in ("duration_h", "end", "end_min") if getattr(e, k) is not None]
    if e.end_day is not None and e.end is None:
        problems.append(Problem(f"{at}.end", _MISSING, 'end_day needs a clock time end = "HH:MM"'))
        return None
    if len(forms) != 1:
        shown = getattr(e, forms[1]) if len(forms) > 1 else _MISSING
        problems.append(Problem(f"{at}.{forms[1] if len(forms) > 1 else 'duration_h'}", shown,
                                f"give exactly one of duration_h (h), end (clock, with optional end_day) and "
                                f"end_min for the {what}"))
        return None
    if e.duration_h is not None:
        return start + e.duration_h * MIN_PER_HOUR
    if e.end_min is not None:
        if e.end_min <= start:
            problems.append(Problem(f"{at}.end_min", e.end_min, f"expected a time after the start ({_when(start)})"))
            return None
        return e.end_min
    if e.end_day is not None:
        t = e.end_day * MIN_PER_DAY + e.end
        if t <= start:
            problems.append(Problem(f"{at}.end_day", e.end_day, f"the {what} would end at {_when(t)}, before "
                                    f"it starts ({_when(start)})"))
            return None
        return t
    t = math.floor(start / MIN_PER_DAY) * MIN_PER_DAY + e.end  # the first such clock time after the start
    return t + MIN_PER_DAY if t <= start else t


def _unused(e, at, names, reason, problems) -> bool:
    """Record a problem for each of ``names`` that ``e`` sets; True if there was none."""
    ok = True
    for name in names:
        v = getattr(e, name)
        if v is not None and v is not False:
            problems.append(Problem(f"{at}.{name}", v, f"this key is not used {reason}"))
            ok = False
    return ok


_WINDOW_KEYS = ("day", "start", "start_min", "duration_h", "end", "end_day", "end_min")


def _lifestyle(raw, window, window_text, problems) -> _Life:
    from somatosim import lifestyle as life
    from somatosim.lifestyle._params import default

    events, fasts, conditions, records = [], [], [], []
    n0 = len(problems)

    # exercise -------------------------------------------------------------------------------
    bouts = []
    for i, e in enumerate(raw.exercise):
        at = f"exercise[{i}]"
        start = _event_start(e, at, "exercise", window, window_text, problems)
        if (e.intensity is None) == (e.percent_vo2max is None):
            shown = e.percent_vo2max if e.intensity is not None else _MISSING
            problems.append(Problem(f"{at}.percent_vo2max" if e.intensity is not None else f"{at}.intensity", shown,
                                    "give exactly one of intensity (x lactate threshold) and percent_vo2max"))
            continue
        intensity = e.intensity
        if intensity is None:
            intensity = e.percent_vo2max / default("exercise_lt_percent_vo2max")
            if not _L["exercise.intensity"].accepts(intensity):
                problems.append(Problem(f"{at}.percent_vo2max", e.percent_vo2max, "expected an intensity of at most "
                                        f"3 x lactate threshold (lactate threshold at "
                                        f"{default('exercise_lt_percent_vo2max'):g} % VO2max)"))
                continue
        if e.intervals is None:
            ok = _unused(e, at, ("work_min", "rest_min"), "without intervals (a steady bout takes duration_min)",
                         problems)
            if e.duration_min is None:
                problems.append(Problem(f"{at}.duration_min", _MISSING, "a bout needs duration_min (or give "
                                        "intervals, work_min and rest_min for interval training)"))
                continue
            if start is None or not ok:
                continue
            event = life.bout(start, e.duration_min, intensity, trained=e.trained)
        else:
            ok = _unused(e, at, ("duration_min",), "with intervals (the length is intervals x (work_min + rest_min))",
                         problems)
            if e.work_min is None:
                problems.append(Problem(f"{at}.work_min", _MISSING, "interval training needs work_min"))
                continue
            if start is None or not ok:
                continue
            event = life.hiit(start, work_min=e.work_min, rest_min=e.rest_min or 0.0, repeats=e.intervals,
                              work_intensity=intensity, rest_intensity=e.rest_intensity, trained=e.trained)
        if event.exercise_end > window:
            problems.append(Problem(f"{at}.duration_min" if e.intervals is None else f"{at}.intervals",
                                    e.duration_min if e.intervals is None else e.intervals,
                                    f"the exercise ends at {_when(event.exercise_end)}, after the end of "
                                    f"{window_text}"))
            continue
        for j, (a, b) in bouts:
            if start < b and a < event.exercise_end:
                problems.append(Problem(f"{at}.start" if e.start_min is None else f"{at}.start_min",
                                        _clock_text(e.start) if e.start_min is None else e.start_min,
                                        f"the exercise {_when(start)} to {_when(event.exercise_end)} overlaps "
                                        f"exercise[{j}] ({_when(a)} to {_when(b)}); expected exercise that does "
                                        "not overlap"))
                break
        else:
            bouts.append((i, (start, event.exercise_end)))
            events.append(event)
            records.append({"kind": "exercise", "start_min": start, "start": _when(start),
                            "end_min": event.exercise_end, "end": _when(event.exercise_end),
                            "segments": [list(s) for s in event.segments], "intensity_x_lt": intensity,
                            "trained": e.trained})

    # fasts ----------------------------------------------------------------------------------
    for i, e in enumerate(raw.fast):
        at = f"fast[{i}]"
        start = _event_start(e, at, "fast", window, window_text, problems)
        if start is None:
            continue
        end = _event_end(e, at, "fast", start, problems)
        if end is None:
            continue
        clash = next((j for j, f in enumerate(fasts) if start < f.stop and f.start < end), None)
        if clash is not None:
            problems.append(Problem(f"{at}.start", _clock_text(e.start) if e.start is not None else start,
                                    f"the fast {_when(start)} to {_when(end)} overlaps fast[{clash}]; expected fasts "
                                    "that do not overlap (join them into one)"))
            continue
        fasts.append(life.Fast(start, end))
        records.append({"kind": "fast", "start_min": start, "start": _when(start), "end_min": end, "end": _when(end)})

    # stress ---------------------------------------------------------------------------------
    for i, e in enumerate(raw.stress):
        at = f"stress[{i}]"
        if e.kind == "glucocorticoid":
            ok = _unused(e, at, ("cortisol_excess", "duration_h", "end", "end_day", "end_min"),
                         'with kind = "glucocorticoid" (a dose is given at its start)', problems)
            ok &= _unused(e, at, ("established",), 'with kind = "glucocorticoid" (use kind = "chronic" with '
                          "cortisol_excess for established excess)", problems)
            for name, example in (("drug", '"prednisolone"'), ("dose", '"5 mg"')):
                if getattr(e, name) is None:
                    problems.append(Problem(f"{at}.{name}", _MISSING, f"a glucocorticoid dose needs {name}, e.g. "
                                            f"{name} = {example}"))
                    ok = False
            if (e.every_h is None) != (e.count is None):
                missing = "count" if e.count is None else "every_h"
                problems.append(Problem(f"{at}.{missing}", _MISSING, "repeated doses need both every_h and count"))
                ok = False
            start = _event_start(e, at, "glucocorticoid dose", window, window_text, problems)
            if start is None or not ok:
                continue
            course = life.glucocorticoid_course(start, e.dose, e.drug, every_h=e.every_h or 24.0, count=e.count or 1)
            if course[-1].time >= window:
                problems.append(Problem(f"{at}.count", e.count, f"the last dose falls at {_when(course[-1].time)}, "
                                        f"outside {window_text}"))
                continue
            events.extend(course)
            records.append({"kind": "glucocorticoid", "drug": e.drug, "dose_mg": e.dose,
                            "times_min": [d.time for d in course], "times": [_when(d.time) for d in course]})
        elif e.kind == "acute":
            ok = _unused(e, at, ("drug", "dose", "every_h", "count", "cortisol_excess", "duration_h", "end",
                                 "end_day", "end_min", "established"), 'with kind = "acute"', problems)
            start = _event_start(e, at, "acute stressor", window, window_text, problems)
            if start is None or not ok:
                continue
            events.append(life.AcuteStress(start))
            records.append({"kind": "acute stress", "start_min": start, "start": _when(start)})
        else:  # chronic
            ok = _unused(e, at, ("drug", "dose", "every_h", "count"), 'with kind = "chronic" (give cortisol_excess)',
                         problems)
            if e.cortisol_excess is None:
                problems.append(Problem(f"{at}.cortisol_excess", _MISSING, 'chronic stress needs cortisol_excess, '
                                        'e.g. cortisol_excess = "40 mg/day"'))
                continue
            if e.established:
                if _unused(e, at, _WINDOW_KEYS, "with established = true (present since before the run)",
                           problems) and ok:
                    conditions.append(life.GlucocorticoidExcess(e.cortisol_excess))
                    records.append({"kind": "glucocorticoid excess (condition)",
                                    "cortisol_excess_mg_per_day": e.cortisol_excess})
                continue
            start = _event_start(e, at, "chronic stress", window, window_text, problems)
            end = None if start is None else _event_end(e, at, "chronic stress", start, problems)
            if end is None or not ok:
                continue
            events.append(life.CortisolExcess(start, end, e.cortisol_excess))
            records.append({"kind": "cortisol excess", "start_min": start, "start": _when(start), "end_min": end,
                            "end": _when(end), "cortisol_excess_mg_per_day": e.cortisol_excess})

    # estrogen -------------------------------------------------------------------------------
    for i, e in enumerate(raw.estrogen):
        at = f"estrogen[{i}]"
        from somatosim.lifestyle.estrogen import DRUGS as ESTROGEN_DRUGS

        if e.drug not in ESTROGEN_DRUGS[e.route]:
            allowed = ", ".join(_show(d) for d in ESTROGEN_DRUGS[e.route])
            problems.append(Problem(f"{at}.drug", e.drug, f"expected one of {allowed} with route = {_show(e.route)}"))
            continue
        record = {"route": e.route, "drug": e.drug, "dose_ug_per_day": e.dose}
        if e.established:
            if _unused(e, at, _WINDOW_KEYS, "with established = true (therapy since before the run)", problems):
                conditions.append(life.estrogen_condition(e.route, e.drug, e.dose))
                records.append({"kind": "estrogen therapy (condition)", **record})
            continue
        start = _event_start(e, at, "estrogen therapy", window, window_text, problems)
        end = None if start is None else _event_end(e, at, "estrogen therapy", start, problems)
        if end is None:
            continue
        events.append(life.EstrogenTherapy(start, end, e.route, e.drug, e.dose))
        records.append({"kind": "estrogen therapy", "start_min": start, "start": _when(start), "end_min": end,
                        "end": _when(end), **record})

    # inflammation ---------------------------------------------------------------------------
    for i, e in enumerate(raw.inflammation):
        at = f"inflammation[{i}]"
        start = _event_start(e, at, "inflammation", window, window_text, problems)
        end = None if start is None else _event_end(e, at, "inflammation", start, problems)
        if end is None:
            continue
        events.append(life.Inflammation(start, end, e.crp))
        records.append({"kind": "inflammation", "start_min": start, "start": _when(start), "end_min": end,
                        "end": _when(end), "crp_mg_l": e.crp})

    if len(problems) > n0:
        return _Life()
    return _Life(tuple(events), tuple(fasts), tuple(conditions), tuple(records))


def _meals_in_fasts(entries, meals, fasts, problems) -> None:
    """A meal written inside a fast contradicts it: one problem per such meal."""
    for i, (e, m) in enumerate(zip(entries, meals)):
        for j, f in enumerate(fasts):
            if f.contains(m.time_min):
                field, shown = ((f"meal[{i}].time_min", e.time_min) if e.time_min is not None
                                else (f"meal[{i}].time", _clock_text(e.time)))
                problems.append(Problem(field, shown, f"the meal at {_when(m.time_min)} falls inside fast[{j}] "
                                        f"({_when(f.start)} to {_when(f.stop)}); expected no meals during a fast"))


def _nutrition(schedule: Schedule, subject: Subject, window: float):
    """The nutrition event of the scenario's meals (neutral for ordinary meals)."""
    from somatosim.lifestyle.fasting import nutrition_event
    from somatosim.params import load_parameters

    return nutrition_event(schedule, subject, load_parameters().floats(), until=window)


# --- running ----------------------------------------------------------------------------------


def run_scenario(scenario: Scenario, *, progress: bool = False) -> tuple[xr.Dataset, pd.DataFrame]:
    """Simulate a scenario, then sample and assay the blood.

    Parameters
    ----------
    scenario : Scenario
        From :func:`load_scenario` or :func:`scenario_from_dict`.
    progress : bool
        Show a progress bar (one tick per simulated day).

    Returns
    -------
    dataset : xarray.Dataset
        The :func:`somatosim.simulate` result (``attrs["scenario"]`` holds the name).
    samples : pandas.DataFrame
        The :func:`somatosim.assay.sample` result: measured and true GH and total IGF-1 at each
        sampling time, plus the true value of every other requested observable.
    """
    from somatosim.assay import sample
    from somatosim.simulation import simulate

    if not isinstance(scenario, Scenario):
        raise InputError(f"scenario = {scenario!r} is not allowed: expected a Scenario (see load_scenario)")
    ds = simulate(
        [scenario.subject] * scenario.n_subjects,
        scenario.days,
        seed=scenario.seed,
        schedule=scenario.schedule,
        dt=SIMULATION_DT_MIN,
        record_interval=scenario.record_interval_min,
        variability=scenario.variability,
        outputs=scenario.observables,
        progress=progress,
    )
    ds.attrs["scenario"] = scenario.name
    samples = sample(ds, scenario.plan, scenario.gh_assay, scenario.igf1_assay, seed=scenario.seed)
    return ds, samples
