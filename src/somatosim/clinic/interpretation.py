"""Interpretation of a GH/IGF-1 work-up: from one person's data to a structured, cited reading.

Input is a :class:`LabInput` (age, sex, body size, IGF-1, optional GH stimulation-test results,
history and other blood tests), built in Python or read from a TOML file with
:func:`load_lab_input`::

    age = 52
    sex = "male"
    height_cm = 178
    weight_kg = 101           # or: bmi = 31.9

    [igf1]
    value = 61                # ng/mL (default) or nmol/L
    unit = "ng/mL"

    [history]
    pituitary_surgery = true
    other_pituitary_deficits = 1      # ACTH, TSH, LH/FSH deficits besides GH (0-3)

    [[stimulation]]
    test = "glucagon"
    peak_gh = 0.6             # µg/L (= ng/mL); gh_unit = "mU/L" is converted (1 µg/L = 3 mU/L)

    [labs]
    alt_u_per_l = 25

:func:`interpret` returns an :class:`Interpretation`: pure data (frozen dataclasses, JSON via
:meth:`Interpretation.as_dict`) holding

* the IGF-1 SDS, centile and a four-way band (:data:`IGF1_BANDS`), from
  :func:`somatosim.clinic.igf1.igf1_assess`;
* whether GH stimulation testing is indicated and which tests suit this person
  (:class:`TestingAdvice`), following Endocrine Society 2011 and AACE 2019 for adults and
  PES 2016 / GRS 2000 for children;
* each stimulation result read against its cited cut-off, with the ITT hypoglycaemia check
  and per-test safety notes (:class:`StimulationFinding`);
* the overall pattern — GH deficiency, GH resistance (low IGF-1 with normal GH peaks), or
  neither (:class:`Pattern`);
* the causes consistent with the data and the blood tests that would separate them
  (:class:`CauseFinding`);
* the symptom/criteria checklist for adults or children and, for adults, long-term
  associations, each with its source.

Every statement carries the keys of its sources (:mod:`somatosim.clinic.knowledge`); the
interpretation lists the full citations. Numbers without a source in the research notes are
marked as somatosim assumptions.

Stimulation-test peaks may come from anywhere — a real test or a simulated one: build a
:class:`StimulationResult` (its ``origin`` says where the peak came from) and pass it in the
input, or add it with :func:`with_stimulation`.

For research and teaching only; not medical advice.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Annotated, Any

import tomllib
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from somatosim._validation import Interval
from somatosim.clinic.errors import ClinicInputError, UnitWarning
from somatosim.clinic.igf1 import IGF1_UNITS, igf1_assess
from somatosim.clinic.knowledge import STIMULATION_TESTS, Cutoff, Knowledge, load_knowledge
from somatosim.clinic.reference import DEFAULT_IGF1_REFERENCE, available_references, get_reference

__all__ = [
    "FORMAT_VERSION",
    "IGF1_BANDS",
    "INPUT_CONSTRAINTS",
    "STANDING_STATEMENT",
    "STIMULATION_TESTS",
    "CauseFinding",
    "ChecklistEntry",
    "CutoffUse",
    "Growth",
    "History",
    "IGF1Finding",
    "IGF1Measurement",
    "Interpretation",
    "LabFlag",
    "LabInput",
    "LabInputError",
    "Labs",
    "Pattern",
    "Problem",
    "SourceRef",
    "Statement",
    "StimulationFinding",
    "StimulationResult",
    "TestOption",
    "TestingAdvice",
    "interpret",
    "lab_input_from_dict",
    "load_lab_input",
    "with_stimulation",
]

#: The standing statement carried by every interpretation and report.
STANDING_STATEMENT = "For research and teaching only; not medical advice."

#: Version of the person-file format read by :func:`load_lab_input`.
FORMAT_VERSION = 1

#: IGF-1 bands: code -> (lower SDS bound, upper SDS bound, wording). Bounds: SDS < -2 is "low",
#: -2 <= SDS < 0 "low_normal", 0 <= SDS <= +2 "high_normal", SDS > +2 "high".
IGF1_BANDS: dict[str, tuple[float, float, str]] = {
    "low": (-math.inf, -2.0, "low for age and sex (below −2 SDS, under the 2.3rd centile)"),
    "low_normal": (-2.0, 0.0, "within the reference range, below the median (−2 to 0 SDS)"),
    "high_normal": (0.0, 2.0, "within the reference range, above the median (0 to +2 SDS)"),
    "high": (2.0, math.inf, "above the reference range (above +2 SDS)"),
}

#: GH mU/L per µg/L with the recombinant standard WHO IS 98/574 (1 mg = 3.0 IU).
GH_MU_PER_UG = 3.0
#: mg/dL per mmol/L of glucose (molar mass 180.16 g/mol).
GLUCOSE_MGDL_PER_MMOL = 18.016


# =============================================================================== input


#: Declared constraints of the numeric input fields (messages are generated from these).
INPUT_CONSTRAINTS: dict[str, Interval] = {
    "age": Interval(0, 120, "years"),
    "height_cm": Interval(30, 250, "cm"),
    "weight_kg": Interval(1, 400, "kg"),
    "bmi": Interval(10, 80, "kg/m²"),
    "pubertal_stage": Interval(1, 5, "(Tanner stage)"),
    "igf1.value": Interval(0, None, "(IGF-1 concentration)", low_open=True),
    "other_pituitary_deficits": Interval(0, 3, "(ACTH, TSH, LH/FSH deficits besides GH)"),
    "sds": Interval(-10, 10, "SDS"),
    "peak_gh": Interval(0, 600, "(peak GH in gh_unit)"),
    "glucose": Interval(0, 1100, "(in glucose_unit)", low_open=True),
    "format_version": Interval(FORMAT_VERSION, FORMAT_VERSION),
    "labs.alt_u_per_l": Interval(0, 10000, "U/L"),
    "labs.albumin_g_per_l": Interval(5, 80, "g/L"),
    "labs.bilirubin_umol_per_l": Interval(0, 1000, "µmol/L"),
    "labs.egfr_ml_per_min_1_73m2": Interval(0, 200, "mL/min/1.73 m²"),
    "labs.creatinine_umol_per_l": Interval(5, 3000, "µmol/L"),
    "labs.tsh_mu_per_l": Interval(0, 500, "mU/L"),
    "labs.free_t4_pmol_per_l": Interval(0, 200, "pmol/L"),
    "labs.testosterone_nmol_per_l": Interval(0, 200, "nmol/L"),
    "labs.estradiol_pmol_per_l": Interval(0, 20000, "pmol/L"),
    "labs.crp_mg_per_l": Interval(0, 1000, "mg/L"),
    "labs.fasting_glucose_mmol_per_l": Interval(0.5, 60, "mmol/L"),
    "labs.hba1c_percent": Interval(2, 20, "%"),
    "labs.total_cholesterol_mmol_per_l": Interval(0.5, 30, "mmol/L"),
    "labs.ldl_mmol_per_l": Interval(0.1, 25, "mmol/L"),
    "labs.hdl_mmol_per_l": Interval(0.1, 10, "mmol/L"),
    "labs.triglycerides_mmol_per_l": Interval(0.1, 100, "mmol/L"),
}

_SEXES = {"male": "male", "m": "male", "female": "female", "f": "female"}
_GH_UNITS = {"ug/l": "ug/L", "µg/l": "ug/L", "μg/l": "ug/L", "ng/ml": "ug/L", "mu/l": "mU/L"}
_GLUCOSE_UNITS = {"mmol/l": "mmol/L", "mg/dl": "mg/dL"}
#: Accepted test names (case-insensitive) -> canonical key; "itt" is accepted for the ITT.
_TEST_NAMES = {t: t for t in STIMULATION_TESTS} | {"itt": "insulin_tolerance"}


def _err(allowed: str) -> PydanticCustomError:
    return PydanticCustomError("somatosim", "{allowed}", {"allowed": allowed})


#: Fields that must be whole numbers.
WHOLE_NUMBER_FIELDS = frozenset({"format_version", "pubertal_stage", "other_pituitary_deficits"})


def _describe(name: str) -> str:
    desc = INPUT_CONSTRAINTS[name].describe()
    return desc.replace("a number", "a whole number", 1) if name in WHOLE_NUMBER_FIELDS else desc


def _number(name: str) -> BeforeValidator:
    """A number (never text or a boolean) accepted by ``INPUT_CONSTRAINTS[name]``."""
    c = INPUT_CONSTRAINTS[name]
    whole = name in WHOLE_NUMBER_FIELDS

    def validate(v: Any) -> Any:
        if v is None:
            return v
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            hint = " (a number, written without quotes)" if isinstance(v, str) else ""
            raise _err(f"expected {_describe(name)}{hint}")
        if not c.accepts(v) or (whole and v != int(v)):
            raise _err(f"expected {_describe(name)}")
        return int(v) if whole else float(v)

    return BeforeValidator(validate)


def _choice(options: Mapping[str, str], what: str) -> BeforeValidator:
    """Text mapped (case-insensitively) through ``options`` to its canonical value."""

    def validate(v: Any) -> Any:
        if v is None:
            return v
        key = v.strip().lower() if isinstance(v, str) else None
        if key not in options:
            shown = ", ".join(repr(o) for o in dict.fromkeys(options.values()))
            raise _err(f"expected {what}: one of {shown}")
        return options[key]

    return BeforeValidator(validate)


def _flag() -> BeforeValidator:
    def validate(v: Any) -> Any:
        if v is not None and not isinstance(v, bool):
            raise _err("expected true or false (without quotes)")
        return v

    return BeforeValidator(validate)


def _text() -> BeforeValidator:
    def validate(v: Any) -> Any:
        if not isinstance(v, str):
            raise _err("expected text in quotes")
        return v

    return BeforeValidator(validate)


_FORBID = ConfigDict(extra="forbid", frozen=True)
_Num = Annotated[float | None, _number("sds")]
_Flag = Annotated[bool | None, _flag()]


class IGF1Measurement(BaseModel):
    """``[igf1]``: a serum IGF-1 measurement."""

    model_config = _FORBID

    value: Annotated[float, _number("igf1.value")]
    unit: Annotated[str, _choice(IGF1_UNITS, "an IGF-1 unit")] = "ng/mL"
    reference: Annotated[str, _text()] = DEFAULT_IGF1_REFERENCE


class History(BaseModel):
    """``[history]``: clinical history. Every flag is ``true``, ``false`` or absent (not stated).

    ``traumatic_brain_injury`` covers traumatic brain injury and subarachnoid haemorrhage.
    ``irreversible_cause``: a known mutation, embryopathic or irreversible structural lesion
    (childhood-onset GHD is then not retested). ``pretest_probability`` overrides the
    pre-test probability somatosim derives from the history (used by the AACE 2019 glucagon
    cut-off at BMI 25-30).
    """

    model_config = _FORBID

    hypothalamic_pituitary_disease: _Flag = None
    pituitary_surgery: _Flag = None
    cranial_irradiation: _Flag = None
    traumatic_brain_injury: _Flag = None
    childhood_onset_ghd: _Flag = None
    irreversible_cause: _Flag = None
    other_pituitary_deficits: Annotated[int | None, _number("other_pituitary_deficits")] = None
    seizure_disorder: _Flag = None
    cardiovascular_disease: _Flag = None
    diabetes: _Flag = None
    oral_estrogen: _Flag = None
    liver_disease: _Flag = None
    kidney_disease: _Flag = None
    anorexia_nervosa: _Flag = None
    hypothyroidism: _Flag = None
    inflammatory_disease: _Flag = None
    glucocorticoid_therapy: _Flag = None
    pretest_probability: Annotated[
        str | None, _choice({"high": "high", "low": "low"}, "a pre-test probability")
    ] = None


class Growth(BaseModel):
    """``[growth]``: auxology of a child, as SDS (for the GRS 2000 criteria)."""

    model_config = _FORBID

    height_sds: _Num = None
    height_velocity_sds: _Num = None
    height_velocity_sds_2y: _Num = None
    target_height_sds: _Num = None
    height_sds_change_1y: _Num = None


class StimulationResult(BaseModel):
    """``[[stimulation]]``: the peak GH of one stimulation test.

    ``glucose_nadir`` (and ``glucose_baseline``, for the paediatric < 50 % criterion) check the
    adequacy of hypoglycaemia in an insulin tolerance test. ``origin`` says where the peak came
    from (e.g. ``"measured"`` or a simulation's description).
    """

    model_config = _FORBID

    test: Annotated[str, _choice(_TEST_NAMES, "a stimulation test")]
    peak_gh: Annotated[float, _number("peak_gh")]
    gh_unit: Annotated[str, _choice(_GH_UNITS, "a GH unit")] = "ug/L"
    glucose_nadir: Annotated[float | None, _number("glucose")] = None
    glucose_baseline: Annotated[float | None, _number("glucose")] = None
    glucose_unit: Annotated[str, _choice(_GLUCOSE_UNITS, "a glucose unit")] = "mmol/L"
    sex_steroid_primed: _Flag = None
    glucagon_dose: Annotated[
        str | None,
        _choice({"fixed": "fixed", "weight_based": "weight_based"}, "a glucagon dose form"),
    ] = None
    origin: Annotated[str, _text()] = "measured"

    @property
    def peak_gh_ug_per_l(self) -> float:
        """Peak GH in µg/L (mU/L ÷ 3, WHO IS 98/574)."""
        return self.peak_gh / GH_MU_PER_UG if self.gh_unit == "mU/L" else self.peak_gh

    def glucose_mmol(self, x: float | None) -> float | None:
        if x is None:
            return None
        return x / GLUCOSE_MGDL_PER_MMOL if self.glucose_unit == "mg/dL" else x


class Labs(BaseModel):
    """``[labs]``: other blood tests, units in the field names."""

    model_config = _FORBID

    alt_u_per_l: Annotated[float | None, _number("labs.alt_u_per_l")] = None
    albumin_g_per_l: Annotated[float | None, _number("labs.albumin_g_per_l")] = None
    bilirubin_umol_per_l: Annotated[float | None, _number("labs.bilirubin_umol_per_l")] = None
    egfr_ml_per_min_1_73m2: Annotated[
        float | None, _number("labs.egfr_ml_per_min_1_73m2")
    ] = None
    creatinine_umol_per_l: Annotated[float | None, _number("labs.creatinine_umol_per_l")] = None
    tsh_mu_per_l: Annotated[float | None, _number("labs.tsh_mu_per_l")] = None
    free_t4_pmol_per_l: Annotated[float | None, _number("labs.free_t4_pmol_per_l")] = None
    testosterone_nmol_per_l: Annotated[
        float | None, _number("labs.testosterone_nmol_per_l")
    ] = None
    estradiol_pmol_per_l: Annotated[float | None, _number("labs.estradiol_pmol_per_l")] = None
    crp_mg_per_l: Annotated[float | None, _number("labs.crp_mg_per_l")] = None
    fasting_glucose_mmol_per_l: Annotated[
        float | None, _number("labs.fasting_glucose_mmol_per_l")
    ] = None
    hba1c_percent: Annotated[float | None, _number("labs.hba1c_percent")] = None
    total_cholesterol_mmol_per_l: Annotated[
        float | None, _number("labs.total_cholesterol_mmol_per_l")
    ] = None
    ldl_mmol_per_l: Annotated[float | None, _number("labs.ldl_mmol_per_l")] = None
    hdl_mmol_per_l: Annotated[float | None, _number("labs.hdl_mmol_per_l")] = None
    triglycerides_mmol_per_l: Annotated[
        float | None, _number("labs.triglycerides_mmol_per_l")
    ] = None


class LabInput(BaseModel):
    """One person's data for :func:`interpret` (the top level of a person file).

    Give body size as ``height_cm`` and ``weight_kg`` or as ``bmi`` (both: they must agree
    within 1 kg/m²). ``age`` must lie inside the IGF-1 reference for ``sex``.
    """

    model_config = _FORBID

    format_version: Annotated[int, _number("format_version")] = FORMAT_VERSION
    id: Annotated[str, _text()] = ""
    age: Annotated[float, _number("age")]
    sex: Annotated[str, _choice(_SEXES, "a sex")]
    height_cm: Annotated[float | None, _number("height_cm")] = None
    weight_kg: Annotated[float | None, _number("weight_kg")] = None
    bmi: Annotated[float | None, _number("bmi")] = None
    pubertal_stage: Annotated[int | None, _number("pubertal_stage")] = None
    igf1: IGF1Measurement
    history: History = History()
    growth: Growth = Growth()
    stimulation: tuple[StimulationResult, ...] = ()
    labs: Labs = Labs()

    @model_validator(mode="after")
    def _cross_checks(self) -> LabInput:
        if (self.height_cm is None) != (self.weight_kg is None):
            given, other = (("height_cm", "weight_kg") if self.height_cm is not None
                            else ("weight_kg", "height_cm"))
            raise PydanticCustomError(
                "somatosim_field", "{allowed}",
                {"field": other, "value": None,
                 "allowed": f"needed with {given} (or give bmi instead)"})
        if self.height_cm is not None and self.weight_kg is not None:
            computed = self.weight_kg / (self.height_cm / 100.0) ** 2
            if not INPUT_CONSTRAINTS["bmi"].accepts(computed):
                raise PydanticCustomError(
                    "somatosim_field", "{allowed}",
                    {"field": "weight_kg", "value": self.weight_kg,
                     "allowed": f"expected a weight that gives a possible BMI ({_describe('bmi')}); "
                                f"{self.weight_kg:g} kg at {self.height_cm:g} cm gives BMI "
                                f"{computed:.1f}"})
            if self.bmi is not None and abs(computed - self.bmi) > 1.0:
                raise PydanticCustomError(
                    "somatosim_field", "{allowed}",
                    {"field": "bmi", "value": self.bmi,
                     "allowed": f"expected the BMI of height_cm and weight_kg ({computed:.1f} kg/m², "
                                "within 1 kg/m²), or give only one of them"})
        ref = self.igf1.reference
        if ref.strip().lower() not in available_references("IGF-1"):
            raise PydanticCustomError(
                "somatosim_field", "{allowed}",
                {"field": "igf1.reference", "value": ref,
                 "allowed": "expected one of the registered IGF-1 references: "
                            + ", ".join(available_references("IGF-1"))})
        lo, hi = get_reference(ref, analyte="IGF-1").age_range(self.sex)
        if not lo <= self.age <= hi:
            raise PydanticCustomError(
                "somatosim_field", "{allowed}",
                {"field": "age", "value": self.age,
                 "allowed": f"expected {lo:g} to {hi:g} years for sex {self.sex!r} in the "
                            f"IGF-1 reference {ref!r}"})
        return self

    @property
    def bmi_value(self) -> float | None:
        """BMI, kg/m² (from height and weight when given, else ``bmi``), or None."""
        if self.height_cm is not None and self.weight_kg is not None:
            return self.weight_kg / (self.height_cm / 100.0) ** 2
        return self.bmi


@dataclass(frozen=True)
class Problem:
    """One problem in an input: field path, value found, and what is allowed."""

    field: str
    value: Any
    reason: str

    def message(self, source: str) -> str:
        if self.value is _MISSING:
            return f"{source}: {self.field} is missing: {self.reason}"
        if self.value is None:
            return f"{source}: {self.field}: {self.reason}"
        return f"{source}: {self.field} = {_show(self.value)} is not allowed: {self.reason}"


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING = _Missing()


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        return f"{value:g}"
    if isinstance(value, dict):
        return "{table}"
    r = repr(value)
    return r if len(r) <= 60 else r[:57] + "..."


class LabInputError(ClinicInputError):
    """Invalid person data: every problem found, one per line, each naming the source (file),
    the field, the value and what is allowed. ``field``/``value``/``allowed`` are those of the
    first problem."""

    def __init__(self, source: str, problems: Sequence[Problem]):
        self.source = source
        self.problems = tuple(problems)
        first = self.problems[0]
        super().__init__(first.field, first.value, first.reason)
        lines = [p.message(source) for p in self.problems]
        self.args = (
            lines[0] if len(lines) == 1
            else f"{source}: {len(lines)} problems:\n  " + "\n  ".join(lines),
        )

    def __str__(self) -> str:
        return str(self.args[0])

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(p.field for p in self.problems)


_TABLES: dict[str, type[BaseModel]] = {
    "igf1": IGF1Measurement, "history": History, "growth": Growth,
    "stimulation": StimulationResult, "labs": Labs,
}


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problems(err: ValidationError) -> list[Problem]:
    out = []
    for e in err.errors():
        loc, kind = tuple(e["loc"]), e["type"]
        path = _path(loc)
        if kind == "somatosim":
            out.append(Problem(path, e["input"], e["ctx"]["allowed"]))
        elif kind == "somatosim_field":
            ctx = e["ctx"]
            value = _MISSING if ctx["value"] is None else ctx["value"]
            out.append(Problem(ctx["field"], value, ctx["allowed"]))
        elif kind == "extra_forbidden":
            model = _TABLES.get(str(loc[0]), LabInput) if len(loc) >= 2 else LabInput
            where = f"[{loc[0]}]" if len(loc) >= 2 else "the top level"
            keys = list(model.model_fields)
            close = difflib.get_close_matches(str(loc[-1]), keys, n=1) or [
                k for k in keys if k.startswith(f"{loc[-1]}_")][:1]
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            out.append(Problem(path, e["input"], f"unknown key{hint}: the keys allowed in "
                               f"{where} are " + ", ".join(keys)))
        elif kind == "missing":
            out.append(Problem(path, _MISSING, "this key is required"))
        elif kind in ("model_type", "model_attributes_type", "dict_type"):
            out.append(Problem(path, e["input"], f"expected a table ([{loc[-1]}] with keys)"))
        elif kind in ("tuple_type", "list_type"):
            out.append(Problem(path, e["input"],
                               "expected an array of tables ([[stimulation]] entries)"))
        else:
            out.append(Problem(path, e.get("input"), e["msg"]))
    # Unknown keys first: a misspelt key is usually also the cause of a "missing" one.
    return sorted(out, key=lambda p: not p.reason.startswith("unknown key"))


def lab_input_from_dict(data: Mapping[str, Any], *, source: str = "<input>") -> LabInput:
    """Validate a person's data given as a dict (e.g. parsed TOML).

    Raises
    ------
    LabInputError
        Naming ``source``, each field, its value and what is allowed.
    """
    if not isinstance(data, Mapping):
        raise LabInputError(source, [Problem("", None, "expected a table of keys")])
    try:
        return LabInput.model_validate(dict(data))
    except ValidationError as err:
        raise LabInputError(source, _problems(err)) from None


def load_lab_input(path: str | PathLike[str]) -> LabInput:
    """Read and validate a person file (TOML); see the module docstring for the format.

    Raises
    ------
    LabInputError
        The file cannot be read, is not TOML, or has an unknown key or a bad value; the message
        names the file, the field, the value and what is allowed.
    """
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise LabInputError(file, [Problem("file", None, f"cannot be read ({err})")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise LabInputError(file, [Problem("file", None, f"is not valid TOML ({err})")]) from None
    return lab_input_from_dict(data, source=file)


def with_stimulation(
    lab: LabInput, results: StimulationResult | Iterable[StimulationResult | Mapping[str, Any]]
) -> LabInput:
    """A copy of ``lab`` with more stimulation-test results (the hook for simulated tests).

    ``results`` may be :class:`StimulationResult` objects or dicts with its fields, e.g.
    ``{"test": "glucagon", "peak_gh": 0.8, "origin": "somatosim simulation, seed 1"}``.
    """
    if isinstance(results, (StimulationResult, Mapping)):
        results = [results]
    data = lab.model_dump()
    data["stimulation"] = list(data["stimulation"]) + [
        r.model_dump() if isinstance(r, StimulationResult) else dict(r) for r in results
    ]
    return lab_input_from_dict(data, source="with_stimulation")


# ============================================================================ results


@dataclass(frozen=True)
class Statement:
    """A sentence of the interpretation with the keys of its sources (may be empty when the
    sentence only restates the input)."""

    text: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceRef:
    """A cited source as listed in the interpretation."""

    key: str
    short: str
    citation: str
    confidence: str


@dataclass(frozen=True)
class IGF1Finding:
    """IGF-1 SDS and band. Concentrations in ``unit``; reference limits are the 2.5th and
    97.5th centiles."""

    value: float
    unit: str
    value_ng_per_ml: float
    sds: float
    centile: float
    band: str
    band_text: str
    reference_lower: float
    reference_median: float
    reference_upper: float
    reference: str
    reference_citation: str
    assay: str
    notes: tuple[Statement, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class CutoffUse:
    """A cut-off as applied: peak GH ``comparison`` ``value`` (µg/L) reads as GHD."""

    value: float
    comparison: str
    label: str
    sources: tuple[str, ...]
    basis: str = ""
    grey_zone_max: float | None = None


@dataclass(frozen=True)
class TestOption:
    """A stimulation test considered for this person.

    ``suitability``: ``"suitable"``, ``"caution"`` or ``"not_recommended"``.
    """

    test: str
    label: str
    suitability: str
    reasons: tuple[Statement, ...]
    notes: tuple[Statement, ...]
    cutoff: CutoffUse | None = None


@dataclass(frozen=True)
class TestingAdvice:
    """Whether stimulation testing is indicated.

    ``status``: ``"not_indicated"``, ``"one_test"``, ``"two_tests"``, ``"retest"``,
    ``"diagnosis_without_test"`` or ``"no_retest"``. ``tests_required``: 0, 1 or 2.
    """

    status: str
    summary: Statement
    reasons: tuple[Statement, ...]
    tests_required: int
    options: tuple[TestOption, ...]


@dataclass(frozen=True)
class StimulationFinding:
    """One stimulation result read against its cut-off.

    ``result``: ``"below_cutoff"`` (on the GHD side), ``"grey_zone"`` (ITT 3-5 µg/L),
    ``"above_cutoff"``, ``"not_interpretable"`` (ITT without adequate hypoglycaemia and a low
    peak) or ``"no_cutoff"``.
    """

    test: str
    label: str
    peak_gh: float
    origin: str
    result: str
    summary: Statement
    cutoff: CutoffUse | None
    hypoglycaemia_adequate: bool | None = None
    hypoglycaemia: Statement | None = None
    notes: tuple[Statement, ...] = ()
    other_cutoffs: tuple[CutoffUse, ...] = ()


@dataclass(frozen=True)
class Pattern:
    """The overall reading.

    ``code``: ``"gh_deficiency"``, ``"possible_gh_deficiency"``, ``"gh_resistance"``,
    ``"low_igf1_unclassified"``, ``"indeterminate"``, ``"high_igf1"`` or ``"normal"``.
    """

    code: str
    title: str
    summary: Statement
    reasons: tuple[Statement, ...] = ()


@dataclass(frozen=True)
class CauseFinding:
    """A cause of the pattern and how far the data bear on it.

    ``status``: ``"supported"`` (a finding points to it), ``"not_supported"`` (all its tests
    given and normal), ``"partly_assessed"`` (some given, none abnormal) or ``"not_assessed"``.
    """

    key: str
    name: str
    kind: str
    status: str
    evidence: tuple[str, ...]
    association: Statement
    separating_tests: tuple[str, ...]


@dataclass(frozen=True)
class ChecklistEntry:
    """A checklist item: ``status`` is ``"met"``, ``"not_met"`` or ``"not_assessed"``
    (to ask or examine)."""

    key: str
    item: str
    status: str
    evidence: Statement
    detail: str = ""


@dataclass(frozen=True)
class LabFlag:
    """An extra blood test against generic limits (somatosim assumptions)."""

    key: str
    label: str
    value: float
    unit: str
    flag: str
    limits: str


@dataclass(frozen=True)
class Interpretation:
    """The full interpretation of one person's data (pure data; see :meth:`as_dict`)."""

    id: str
    population: str
    age: float
    sex: str
    bmi: float | None
    igf1: IGF1Finding
    testing: TestingAdvice
    stimulation: tuple[StimulationFinding, ...]
    pattern: Pattern
    causes: tuple[CauseFinding, ...]
    checklist: tuple[ChecklistEntry, ...]
    associations: tuple[ChecklistEntry, ...]
    lab_flags: tuple[LabFlag, ...]
    notes: tuple[Statement, ...]
    warnings: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    input: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)
    statement: str = STANDING_STATEMENT
    somatosim_version: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly dict (nested dataclasses become dicts, tuples lists)."""
        return _jsonable(dataclasses.asdict(self))

    def source(self, key: str) -> SourceRef:
        """The cited source ``key``."""
        for s in self.sources:
            if s.key == key:
                return s
        raise KeyError(key)


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


# ============================================================================ logic


def _band(sds: float) -> str:
    if sds < -2.0:
        return "low"
    if sds < 0.0:
        return "low_normal"
    if sds <= 2.0:
        return "high_normal"
    return "high"


def _fmt(x: float) -> str:
    return f"{x:.3g}" if abs(x) < 10 else f"{x:.1f}"


def _is(flag: bool | None) -> bool:
    return flag is True


class _Context:
    """Everything derived once from the input and shared by the steps."""

    def __init__(self, lab: LabInput, know: Knowledge, paediatric_cutoff: float | None):
        self.lab = lab
        self.k = know
        self.h = lab.history
        self.age = lab.age
        self.sex = lab.sex
        self.bmi = lab.bmi_value
        self.adult = lab.age >= know.threshold("adult_age")
        self.population = "adult" if self.adult else "child"
        self.paed_cutoff = (know.paediatric_cutoff if paediatric_cutoff is None
                            else float(paediatric_cutoff))
        self.deficits = self.h.other_pituitary_deficits
        self.suspicion = [
            label for flag, label in (
                (self.h.hypothalamic_pituitary_disease, "hypothalamic-pituitary disease"),
                (self.h.pituitary_surgery, "pituitary surgery"),
                (self.h.cranial_irradiation, "cranial irradiation"),
                (self.h.traumatic_brain_injury,
                 "traumatic brain injury or subarachnoid haemorrhage"),
                (self.h.childhood_onset_ghd, "childhood-onset GHD"),
            ) if _is(flag)
        ]
        if self.deficits:
            self.suspicion.append(f"{self.deficits} other pituitary hormone deficit(s)")
        self.pretest, self.pretest_basis = self._pretest()

    def _pretest(self) -> tuple[str, str]:
        if self.h.pretest_probability is not None:
            return self.h.pretest_probability, "given in [history]"
        high = (_is(self.h.hypothalamic_pituitary_disease) or _is(self.h.pituitary_surgery)
                or _is(self.h.cranial_irradiation) or _is(self.h.childhood_onset_ghd)
                or bool(self.deficits))
        basis = ("somatosim convention: high with hypothalamic-pituitary disease, surgery, "
                 "irradiation, childhood-onset GHD or another pituitary deficit; low otherwise")
        return ("high" if high else "low"), basis

    def near_puberty_prepubertal(self) -> bool | None:
        """Prepubertal child above the PES 2016 priming age (None: stage not given)."""
        limit = self.k.threshold(f"priming_age_{self.sex}")
        if self.adult or self.age <= limit:
            return False
        if self.lab.pubertal_stage is None:
            return None
        return self.lab.pubertal_stage == 1


# ----------------------------------------------------------------------------- IGF-1


def _igf1_finding(ctx: _Context) -> IGF1Finding:
    m = ctx.lab.igf1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnitWarning)  # recorded in the result; re-issued below
        a = igf1_assess(m.value, ctx.age, ctx.sex, unit=m.unit, reference=m.reference)
    band = _band(a.sds)
    notes = [
        Statement(
            f"SDS against the reference {a.reference['name']} (assay: {a.reference['assay']}). "
            "IGF-1 values are assay-specific: compare only with a reference made with the same "
            "assay.",
            ("bidlingmaier2014", "assay_dependence") if a.reference["name"] == "bidlingmaier2014"
            else ("assay_dependence",),
        ),
        Statement("Obesity, oral oestrogen or contraceptives, malnutrition, liver disease, "
                  "hypothyroidism and puberty all shift IGF-1.", ("igf1_caveats",)),
    ]
    if ctx.k.threshold("pubertal_reference_age_min") <= ctx.age <= ctx.k.threshold(
            "pubertal_reference_age_max"):
        notes.append(Statement(
            "Between 9 and 15 years, pubertal-stage-adjusted references are better than the "
            "age-only reference used here.", ("igf1_caveats",)))
    if _is(ctx.h.childhood_onset_ghd):
        notes.append(Statement(
            "Transition (late adolescence): IGF-1 < 160 µg/L (−1.3 SDS) was proposed together "
            "with the GHRH + arginine cut-off of 19 µg/L.", ("corneli2007",)))
    if band == "high":
        notes.append(Statement("This tool interprets low GH/IGF-1 states; it does not assess "
                               "GH excess.", ("somatosim",)))
    return IGF1Finding(
        value=a.value, unit=a.unit, value_ng_per_ml=a.value_ng_per_ml, sds=a.sds,
        centile=a.centile, band=band, band_text=IGF1_BANDS[band][2],
        reference_lower=float(a.reference_range.lower),
        reference_median=float(a.reference_range.median),
        reference_upper=float(a.reference_range.upper),
        reference=a.reference["name"], reference_citation=a.reference["citation"],
        assay=a.reference["assay"], notes=tuple(notes), warnings=a.warnings,
    )


# -------------------------------------------------------------------------- cut-offs


def _cutoff_use(c: Cutoff, basis: str = "") -> CutoffUse:
    return CutoffUse(value=c.value, comparison=c.comparison, label=c.label, sources=c.sources,
                     basis=basis, grey_zone_max=c.grey_zone_max)


def _adult_cutoff(ctx: _Context, test: str) -> tuple[CutoffUse | None, tuple[CutoffUse, ...], str]:
    """(cut-off to apply, candidate cut-offs when BMI is unknown, reason when none)."""
    cands = ctx.k.cutoffs_for(test, "adult")
    if not cands:
        return None, (), "the research notes hold no adult cut-off for this test"
    cands = tuple(c for c in cands if c.pretest in ("any", ctx.pretest))
    if not any(c.bmi_dependent for c in cands):
        return _cutoff_use(cands[0]), (), ""
    if ctx.bmi is None:
        return None, tuple(_cutoff_use(c) for c in cands), "BMI is needed to choose the cut-off"
    chosen = [c for c in cands if c.applies_to_bmi(ctx.bmi)]
    if not chosen:
        return None, (), f"no cut-off of this test covers BMI {ctx.bmi:.1f} kg/m²"
    basis = f"BMI {ctx.bmi:.1f} kg/m²"
    if any(c.pretest != "any" for c in chosen):
        basis += f"; pre-test probability {ctx.pretest} ({ctx.pretest_basis})"
    return _cutoff_use(chosen[0], basis), (), ""


def _paediatric_cutoff(ctx: _Context) -> CutoffUse:
    k = ctx.k
    default = ctx.paed_cutoff == k.paediatric_cutoff
    label = (k.paediatric_label if default
             else f"chosen by the user; the classic threshold is < {k.paediatric_cutoff:g} µg/L")
    return CutoffUse(value=ctx.paed_cutoff, comparison=k.paediatric_comparison, label=label,
                     sources=k.paediatric_sources)


def _paediatric_cutoff_note(ctx: _Context) -> Statement:
    k = ctx.k
    opts = "; ".join(f"{lbl}: {v:g} µg/L" for v, lbl, _ in k.paediatric_options)
    srcs = tuple(dict.fromkeys(k.paediatric_sources + tuple(
        s for *_, src in k.paediatric_options for s in src)))
    return Statement(
        f"Peak-GH threshold used for children: < {ctx.paed_cutoff:g} µg/L. PES 2016 endorses no "
        "single number; modern assays read lower than the old RIAs the classic 10 µg/L comes "
        f"from. Country practice — {opts}.", srcs)


# ------------------------------------------------------------------- testing advice


def _notes(ctx: _Context, test: str, kinds: tuple[str, ...] = ("protocol", "safety", "caveat")
           ) -> tuple[Statement, ...]:
    return tuple(Statement(n.text, n.sources)
                 for n in ctx.k.tests[test].notes_for(ctx.population) if n.kind in kinds)


def _adult_options(ctx: _Context) -> list[TestOption]:
    h, k = ctx.h, ctx.k
    out = []
    # ITT
    reasons, suit = [], "suitable"
    elderly = k.threshold("itt_elderly_age")
    if _is(h.seizure_disorder):
        reasons.append(Statement("Contraindicated: epilepsy / seizure disorder.",
                                 ("itt_protocol",)))
    if _is(h.cardiovascular_disease):
        reasons.append(Statement("Contraindicated: ischaemic heart disease.", ("itt_protocol",)))
    if ctx.age >= elderly:
        reasons.append(Statement(
            f"Contraindicated in the elderly (somatosim flags this from {elderly:g} y; the "
            "sources give no age).", ("itt_protocol", "somatosim")))
    if reasons:
        suit = "not_recommended"
    else:
        unknown = [n for n, f in (("epilepsy", h.seizure_disorder),
                                  ("ischaemic heart disease", h.cardiovascular_disease))
                   if f is None]
        if unknown:
            suit = "caution"
            reasons.append(Statement(f"Not stated: {' or '.join(unknown)} (contraindications); "
                                     "ask before choosing the ITT.", ("itt_protocol",)))
    labs = ctx.lab.labs
    high_glucose = [
        f"{k.labs[key].label} {v:g} {k.labs[key].unit}"
        for key, v in (("hba1c_percent", labs.hba1c_percent),
                       ("fasting_glucose_mmol_per_l", labs.fasting_glucose_mmol_per_l))
        if v is not None and k.labs[key].flag(v, ctx.sex) == "high"
    ]
    if _is(h.diabetes) or high_glucose:
        what = "Diabetes" if _is(h.diabetes) else (
            ", ".join(high_glucose) + " (above the generic limit, a somatosim assumption)")
        reasons.append(Statement(f"{what}: insulin doses up to 0.3 U/kg are used in diabetes "
                                 "(0.15–0.2 U/kg in insulin resistance).",
                                 ("itt_protocol",) + (() if _is(h.diabetes) else ("somatosim",))))
    cut, _, _ = _adult_cutoff(ctx, "insulin_tolerance")
    out.append(TestOption("insulin_tolerance", k.tests["insulin_tolerance"].label, suit,
                          tuple(reasons), _notes(ctx, "insulin_tolerance"), cut))
    # GHRH + arginine
    reasons, suit = [], "suitable"
    if _is(h.cranial_irradiation):
        suit = "not_recommended"
        reasons.append(Statement("After cranial irradiation GHD may be hypothalamic, where "
                                 "GHRH + arginine can give false-normal responses.",
                                 ("oncohemakey",)))
    elif _is(h.hypothalamic_pituitary_disease):
        suit = "caution"
        reasons.append(Statement("With hypothalamic disease GHRH + arginine can give "
                                 "false-normal responses.", ("oncohemakey",)))
    if ctx.bmi is None:
        suit = "caution" if suit == "suitable" else suit
        reasons.append(Statement("BMI is needed to choose the cut-off.", ("corneli2005",)))
    cut, _, _ = _adult_cutoff(ctx, "ghrh_arginine")
    out.append(TestOption("ghrh_arginine", k.tests["ghrh_arginine"].label, suit, tuple(reasons),
                          _notes(ctx, "ghrh_arginine"), cut))
    # Glucagon
    reasons, suit = [], "suitable"
    if ctx.bmi is None:
        suit = "caution"
        reasons.append(Statement("BMI is needed to choose the cut-off.", ("aace2019",)))
    if ctx.lab.weight_kg is not None and ctx.lab.weight_kg > k.threshold(
            "glucagon_high_dose_weight"):
        reasons.append(Statement("Weight > 90 kg: glucagon 1.5 mg IM.", ("glucagon_protocol",)))
    cut, _, _ = _adult_cutoff(ctx, "glucagon")
    out.append(TestOption("glucagon", k.tests["glucagon"].label, suit, tuple(reasons),
                          _notes(ctx, "glucagon"), cut))
    # Macimorelin
    reasons, suit = [], "suitable"
    bmi_max = k.threshold("macimorelin_bmi_max")
    if ctx.bmi is None:
        suit = "caution"
        reasons.append(Statement(f"BMI not given: macimorelin is not validated above "
                                 f"{bmi_max:g} kg/m².", ("garcia2018",)))
    elif ctx.bmi > bmi_max:
        suit = "caution"
        reasons.append(Statement(f"BMI {ctx.bmi:.1f} kg/m² is above {bmi_max:g}: not "
                                 "validated (the trial enrolled BMI < 37).", ("garcia2018",)))
    cut, _, _ = _adult_cutoff(ctx, "macimorelin")
    out.append(TestOption("macimorelin", k.tests["macimorelin"].label, suit, tuple(reasons),
                          _notes(ctx, "macimorelin"), cut))
    # Not recommended in adults
    cut, _, _ = _adult_cutoff(ctx, "arginine")
    out.append(TestOption("arginine", k.tests["arginine"].label, "not_recommended",
                          (Statement("No longer recommended in adults.",
                                     ("aace2019", "endotext")),),
                          _notes(ctx, "arginine"), cut))
    out.append(TestOption("clonidine", k.tests["clonidine"].label, "not_recommended",
                          (Statement("A paediatric test; not used in adults.",
                                     ("adult_protocols",)),), (), None))
    out.append(TestOption("ghrh", k.tests["ghrh"].label, "not_recommended",
                          (Statement("The research notes hold no adult cut-off for GHRH alone.",
                                     ("somatosim",)),), _notes(ctx, "ghrh"), None))
    return out


def _child_options(ctx: _Context) -> list[TestOption]:
    h, k = ctx.h, ctx.k
    cut = _paediatric_cutoff(ctx)
    out = []
    for test in ("clonidine", "arginine", "glucagon"):
        out.append(TestOption(test, k.tests[test].label, "suitable", (), _notes(ctx, test), cut))
    reasons = [Statement("Physician supervision required; the only paediatric stimulation test "
                         "with reported fatalities.", ("itt_paediatric",))]
    if _is(h.seizure_disorder):
        reasons.append(Statement("Epilepsy is a contraindication to the ITT.", ("itt_protocol",)))
        suit = "not_recommended"
    else:
        suit = "caution"
    out.append(TestOption("insulin_tolerance", k.tests["insulin_tolerance"].label, suit,
                          tuple(reasons), _notes(ctx, "insulin_tolerance"), cut))
    reasons, suit = [], "suitable"
    if _is(h.cranial_irradiation) or _is(h.hypothalamic_pituitary_disease):
        suit = "caution"
        reasons.append(Statement("GHRH acts on the pituitary: hypothalamic (e.g. post-"
                                 "irradiation) GHD can give a false-normal response.",
                                 ("oncohemakey",)))
    out.append(TestOption("ghrh", k.tests["ghrh"].label, suit, tuple(reasons),
                          _notes(ctx, "ghrh"), cut))
    out.append(TestOption("ghrh_arginine", k.tests["ghrh_arginine"].label, "caution",
                          (Statement("Not in the paediatric protocol table of the research "
                                     "notes.", ("paediatric_protocols",)),),
                          _notes(ctx, "ghrh_arginine", ("caveat",)), cut))
    out.append(TestOption("macimorelin", k.tests["macimorelin"].label, "not_recommended",
                          (Statement("Approved for adult GHD; no paediatric cut-off in the "
                                     "research notes.", ("adult_protocols",)),), (), None))
    return out


_SUIT_ORDER = {"suitable": 0, "caution": 1, "not_recommended": 2}


def _sorted_options(options: list[TestOption]) -> tuple[TestOption, ...]:
    return tuple(sorted(options, key=lambda o: _SUIT_ORDER[o.suitability]))  # stable


def _adult_testing(ctx: _Context, igf1: IGF1Finding) -> TestingAdvice:
    h = ctx.h
    low = igf1.sds < ctx.k.threshold("igf1_low_sds")
    options = _sorted_options(_adult_options(ctx))
    if _is(h.childhood_onset_ghd) and _is(h.irreversible_cause):
        return TestingAdvice(
            "no_retest",
            Statement("Childhood-onset GHD with a known mutation, embryopathic or irreversible "
                      "structural lesion is not retested.", ("es2011",)),
            (), 0, options)
    if ctx.deficits is not None and ctx.deficits >= 3 and low:
        return TestingAdvice(
            "diagnosis_without_test",
            Statement(f"{ctx.deficits} other pituitary hormone deficits with a low IGF-1 "
                      f"(SDS {igf1.sds:+.2f}): GHD can be diagnosed without a stimulation test.",
                      ("es2011",)),
            (Statement("If ≥ 3 other pituitary hormone deficiencies and low IGF-1, GHD can be "
                       "diagnosed without a test.", ("es2011",)),),
            0, options)
    reasons = []
    if ctx.deficits is not None and ctx.deficits >= 3:
        reasons.append(Statement(
            f"{ctx.deficits} other pituitary deficits, but IGF-1 is not low (SDS "
            f"{igf1.sds:+.2f}): the rule for diagnosis without a test (≥ 3 deficits and low "
            "IGF-1) is not met.", ("es2011",)))
    if _is(h.childhood_onset_ghd):
        reasons.append(Statement(
            "Childhood-onset GHD is retested after adult height is reached, after stopping GH "
            "for ≥ 1 month.", ("es2011",)))
        return TestingAdvice(
            "retest",
            Statement("Retest: one GH stimulation test after stopping GH for ≥ 1 month.",
                      ("es2011",)),
            tuple(reasons), 1, options)
    if ctx.suspicion:
        reasons.append(Statement("Clinical suspicion: " + ", ".join(ctx.suspicion) + "."))
        if low:
            reasons.append(Statement("A low IGF-1 alone is not sufficient for the diagnosis.",
                                     ("aace2019",)))
        return TestingAdvice(
            "one_test",
            Statement("One GH stimulation test is required (≤ 2 other pituitary hormone "
                      "deficiencies, or a normal IGF-1).", ("aace2019", "es2011")),
            tuple(reasons), 1, options)
    unstated = [n for n, f in (
        ("hypothalamic_pituitary_disease", h.hypothalamic_pituitary_disease),
        ("pituitary_surgery", h.pituitary_surgery),
        ("cranial_irradiation", h.cranial_irradiation),
        ("traumatic_brain_injury", h.traumatic_brain_injury),
        ("childhood_onset_ghd", h.childhood_onset_ghd),
        ("other_pituitary_deficits", h.other_pituitary_deficits),
    ) if f is None]
    if unstated:
        reasons.append(Statement("History not stated: " + ", ".join(unstated)
                                 + ". With any of these, one test would be required."))
    if low:
        reasons.append(Statement("The IGF-1 is low without a history that suggests "
                                 "hypothalamic-pituitary disease: consider the other causes of "
                                 "a low IGF-1 below.", ("igf1_caveats",)))
    return TestingAdvice(
        "not_indicated",
        Statement("Testing is not indicated on the given history: test only with clinical "
                  "suspicion (hypothalamic-pituitary disease, surgery or irradiation, TBI) and "
                  "an intention to treat.", ("aace2019", "es2011")),
        tuple(reasons), 0, options)


def _child_auxology(ctx: _Context) -> dict[str, bool | None]:
    """GRS 2000 auxological criteria: True/False, None when the data are missing."""
    g = ctx.lab.growth
    hs, hv, hv2 = g.height_sds, g.height_velocity_sds, g.height_velocity_sds_2y
    out: dict[str, bool | None] = {}
    out["severe_short_stature"] = None if hs is None else hs < -3.0
    out["below_target"] = (None if hs is None or g.target_height_sds is None
                           else hs - g.target_height_sds < -1.5)
    a = None if hs is None or hv is None else (hs < -2.0 and hv < -1.0)
    b = (None if g.height_sds_change_1y is None
         else (g.height_sds_change_1y < -0.5 and ctx.age > 2.0))
    out["short_and_slow"] = True if (a or b) else (None if a is None and b is None else False)
    c = None if hv is None else hv < -2.0
    d = None if hv2 is None else hv2 < -1.5
    out["slow_growth"] = True if (c or d) else (None if c is None and d is None else False)
    h = ctx.h
    lesion = _is(h.hypothalamic_pituitary_disease) or (ctx.deficits or 0) >= 2
    out["lesion_or_deficits"] = (True if lesion else
                                 None if h.hypothalamic_pituitary_disease is None
                                 and ctx.deficits is None else False)
    out["neonatal"] = None
    return out


def _child_testing(ctx: _Context, igf1: IGF1Finding) -> TestingAdvice:
    h = ctx.h
    aux = _child_auxology(ctx)
    aux_met = any(aux[key] for key in ("severe_short_stature", "below_target",
                                       "short_and_slow", "slow_growth"))
    hp_defect = _is(h.hypothalamic_pituitary_disease) or _is(h.cranial_irradiation)
    deficits = (ctx.deficits or 0) >= 1
    options = _sorted_options(_child_options(ctx))
    reasons = []
    if aux_met:
        reasons.append(Statement("Auxological criteria for investigating the GH-IGF axis are "
                                 "met (see checklist).", ("grs2000",)))
    if aux_met and hp_defect and deficits:
        return TestingAdvice(
            "diagnosis_without_test",
            Statement("Auxological criteria, a hypothalamic-pituitary defect and ≥ 1 other "
                      "pituitary hormone deficiency: GHD can be diagnosed without testing.",
                      ("pes2016",)),
            tuple(reasons), 0, options)
    priming = ctx.near_puberty_prepubertal()
    if priming is not False:
        lim = ctx.k.threshold(f"priming_age_{ctx.sex}")
        who = "boys" if ctx.sex == "male" else "girls"
        cond = "" if priming else " (pubertal stage not given: applies if prepubertal)"
        reasons.append(Statement(
            f"Sex-steroid priming is suggested before testing prepubertal {who} > {lim:g} y "
            f"whose adult-height prognosis is within −2 SD{cond}.", ("pes2016",)))
    if aux_met or hp_defect or deficits or ctx.suspicion:
        if ctx.suspicion:
            reasons.append(Statement("History: " + ", ".join(ctx.suspicion) + "."))
        reasons.append(Statement("Do not rely on provocative GH tests as the sole diagnostic "
                                 "criterion; both tests may be run on the same day.",
                                 ("pes2016",)))
        reasons.append(_paediatric_cutoff_note(ctx))
        return TestingAdvice(
            "two_tests",
            Statement("Testing indicated: GHD requires failure on two different stimuli.",
                      ("pes2016",)),
            tuple(reasons), 2, options)
    missing = [key for key, v in aux.items() if v is None and key != "neonatal"]
    if missing:
        reasons.append(Statement("Not assessable from the data given: " + ", ".join(missing)
                                 + " (give [growth] height_sds, height_velocity_sds, "
                                 "target_height_sds)."))
    return TestingAdvice(
        "not_indicated",
        Statement("Testing is not indicated on the given data: no auxological criterion and no "
                  "hypothalamic-pituitary finding.", ("grs2000", "pes2016")),
        tuple(reasons), 0, options)


# --------------------------------------------------------------- stimulation results


def _hypoglycaemia(ctx: _Context, s: StimulationResult) -> tuple[bool | None, Statement]:
    k = ctx.k
    nadir = s.glucose_mmol(s.glucose_nadir)
    base = s.glucose_mmol(s.glucose_baseline)
    if nadir is None:
        return None, Statement("Glucose nadir not given: the adequacy of hypoglycaemia cannot "
                               "be checked.", ("itt_protocol",))
    if s.glucose_unit == "mg/dL":
        limit, unit, shown = k.threshold("itt_glucose_nadir_mgdl"), "mg/dL", s.glucose_nadir
        absolute = shown < limit
    else:
        limit, unit, shown = k.threshold("itt_glucose_nadir_mmol"), "mmol/L", s.glucose_nadir
        absolute = shown < limit
    frac = k.threshold("itt_glucose_fraction")
    relative = (not ctx.adult and base is not None and nadir < frac * base)
    ok = absolute or relative
    parts = [f"glucose nadir {_fmt(shown)} {unit} ({'<' if absolute else '≥'} {limit:g} {unit})"]
    if not ctx.adult and base is not None:
        parts.append(f"{100 * nadir / base:.0f}% of baseline "
                     f"({'<' if relative else '≥'} {100 * frac:.0f}%)")
    srcs = ("itt_protocol",) if ctx.adult else ("itt_paediatric",)
    text = ("Adequate hypoglycaemia: " if ok else "Hypoglycaemia NOT adequate: ") \
        + "; ".join(parts) + (". The criterion also asks for symptoms." if ok else ".")
    return ok, Statement(text, srcs)


def _read_peak(ctx: _Context, s: StimulationResult) -> StimulationFinding:
    k = ctx.k
    peak = s.peak_gh_ug_per_l
    label = k.tests[s.test].label
    notes = list(_notes(ctx, s.test, ("safety", "caveat")))
    if s.gh_unit == "mU/L":
        notes.insert(0, Statement(f"Peak given as {_fmt(s.peak_gh)} mU/L = {_fmt(peak)} µg/L "
                                  "(1 µg/L = 3 mU/L, WHO IS 98/574).", ("gh_units",)))
    other: list[CutoffUse] = []
    candidates: tuple[CutoffUse, ...] = ()
    reason = ""
    if ctx.adult:
        cut, candidates, reason = _adult_cutoff(ctx, s.test)
        other += [_cutoff_use(c) for c in k.cutoffs_for(s.test, "adult", "proposal")]
        if _is(ctx.h.childhood_onset_ghd):
            other += [_cutoff_use(c) for c in k.cutoffs_for(s.test, "adult", "transition")]
        if s.test == "glucagon" and s.glucagon_dose == "weight_based":
            notes.append(Statement("Weight-based dose (0.03 mg/kg): a cut-off of 2.0 ng/mL was "
                                   "derived for it, versus 1.0 ng/mL for the fixed dose.",
                                   ("hamrahian2016",)))
    elif s.test == "macimorelin":
        cut, reason = None, "the research notes hold no paediatric cut-off for macimorelin"
    else:
        cut = _paediatric_cutoff(ctx)
        notes.append(Statement("Obesity blunts peak GH; unlike adults, no BMI-specific cut-offs "
                               "exist for children.", ("pes2016",)))
        near = ctx.near_puberty_prepubertal()
        if near is not False and s.sex_steroid_primed is not True:
            notes.append(Statement(
                "Prepubertal near puberty and not recorded as sex-steroid primed: a low peak "
                "may be a false positive (constitutional delay).", ("pes2016",)))
    adequate, hypo = (None, None)
    if s.test == "insulin_tolerance":
        adequate, hypo = _hypoglycaemia(ctx, s)

    if cut is None and candidates:
        # BMI unknown: still decisive when the peak is beyond every candidate.
        if all(_deficient(c, peak) for c in candidates):
            cut = min(candidates, key=lambda c: c.value)
            cut = dataclasses.replace(cut, basis="BMI not given; below every BMI-dependent "
                                                 "cut-off of this test")
        elif not any(_deficient(c, peak) for c in candidates):
            cut = max(candidates, key=lambda c: c.value)
            cut = dataclasses.replace(cut, basis="BMI not given; above every BMI-dependent "
                                                 "cut-off of this test")
    if cut is None:
        text = (f"Peak GH {_fmt(peak)} µg/L: not interpreted ({reason})."
                if reason else f"Peak GH {_fmt(peak)} µg/L: no cut-off.")
        srcs = ("somatosim",) if "research notes" in reason else ()
        if candidates:
            srcs = tuple(dict.fromkeys(s_ for c in candidates for s_ in c.sources))
        return StimulationFinding(s.test, label, peak, s.origin, "no_cutoff",
                                  Statement(text, srcs), None, adequate, hypo, tuple(notes),
                                  tuple(other) + tuple(candidates))
    below = _deficient(cut, peak)
    cmp_txt = "≤" if cut.comparison == "<=" else "<"
    if below:
        result = "below_cutoff"
        text = f"Peak GH {_fmt(peak)} µg/L is {cmp_txt} {cut.value:g} µg/L: consistent with GHD"
    elif cut.grey_zone_max is not None and peak < cut.grey_zone_max:
        result = "grey_zone"
        text = (f"Peak GH {_fmt(peak)} µg/L lies between {cut.value:g} and "
                f"{cut.grey_zone_max:g} µg/L, where published cut-offs differ: indeterminate")
    else:
        result = "above_cutoff"
        text = f"Peak GH {_fmt(peak)} µg/L is above the cut-off {cut.value:g} µg/L: normal response"
    text += f" ({cut.label}{'; ' + cut.basis if cut.basis else ''})."
    if adequate is False:
        if result != "above_cutoff":
            result = "not_interpretable"
            text = (f"Peak GH {_fmt(peak)} µg/L without adequate hypoglycaemia: the stimulus may "
                    "have been insufficient, so the test cannot be read as GHD.")
        else:
            text += " The response was normal although hypoglycaemia was not adequate."
    elif adequate is None and s.test == "insulin_tolerance" and result != "above_cutoff":
        text += " Adequacy of hypoglycaemia not documented."
    if not ctx.adult and below:
        text += " Children: failure on two different stimuli is required."
    return StimulationFinding(s.test, label, peak, s.origin, result, Statement(text, cut.sources),
                              cut, adequate, hypo, tuple(notes), tuple(other))


def _deficient(c: CutoffUse, peak: float) -> bool:
    return peak < c.value if c.comparison == "<" else peak <= c.value


# ---------------------------------------------------------------------- pattern


def _pattern(ctx: _Context, igf1: IGF1Finding, testing: TestingAdvice,
             stims: Sequence[StimulationFinding]) -> Pattern:
    low = igf1.band == "low"
    below = [s for s in stims if s.result == "below_cutoff"]
    above = [s for s in stims if s.result == "above_cutoff"]
    unclear = [s for s in stims if s.result in ("grey_zone", "not_interpretable", "no_cutoff")]
    igf_txt = f"IGF-1 SDS {igf1.sds:+.2f} ({igf1.band_text})"
    reasons = [Statement(igf_txt)]
    reasons += [Statement(f"{s.label}: {s.summary.text}", s.summary.sources) for s in stims]
    if testing.status == "diagnosis_without_test":
        return Pattern("gh_deficiency", "GH-deficiency pattern",
                       Statement("The criteria for diagnosis without a stimulation test are "
                                 "met.", testing.summary.sources),
                       tuple(reasons))
    if below and above:
        return Pattern("indeterminate", "Discordant stimulation tests",
                       Statement("At least one test is below and one above its cut-off.", ()), tuple(reasons))
    if below:
        if not ctx.adult:
            distinct = {s.test for s in below}
            if len(distinct) >= 2:
                return Pattern("gh_deficiency", "GH-deficiency pattern",
                               Statement("Two different stimuli failed. Provocative tests must not be "
                                         "the sole criterion.",
                                         ("pes2016",)), tuple(reasons))
            return Pattern("possible_gh_deficiency", "Possible GH deficiency",
                           Statement("One stimulus failed; failure on two different stimuli is "
                                     "required in children.", ("pes2016",)), tuple(reasons))
        extra = "" if low else " IGF-1 is not low."
        return Pattern("gh_deficiency", "GH-deficiency pattern",
                       Statement("Peak GH below the test's cut-off."
                                 + extra, tuple(dict.fromkeys(
                                     x for s in below for x in s.summary.sources))),
                       tuple(reasons))
    if above and low:
        return Pattern("gh_resistance", "GH-resistance pattern",
                       Statement("Low IGF-1 with normal stimulated GH: look for the causes of GH "
                                 "resistance listed below (a GH-receptor defect remains when "
                                 "the acquired causes are excluded)."),
                       tuple(reasons))
    if unclear and not above:
        return Pattern("indeterminate", "Indeterminate",
                       Statement("The stimulation results could not be read against a "
                                 "cut-off.", ()), tuple(reasons))
    if low:
        return Pattern("low_igf1_unclassified", "Low IGF-1, not yet classified",
                       Statement("Low IGF-1 without stimulation results that separate GH "
                                 "deficiency from GH resistance.", ()), tuple(reasons))
    if igf1.band == "high":
        return Pattern("high_igf1", "IGF-1 above the reference range",
                       Statement("Not a GH-deficiency or GH-resistance pattern. GH excess is not "
                                 "assessed here.",
                                 ("somatosim",)), tuple(reasons))
    text = ("Normal stimulated GH and an IGF-1 within the reference range."
            if above else "IGF-1 within the reference range; no stimulation results.")
    return Pattern("normal", "No GH-deficiency or GH-resistance pattern",
                   Statement(text, ()), tuple(reasons))


# ----------------------------------------------------------------------- causes


def _lab_flags(ctx: _Context) -> tuple[LabFlag, ...]:
    out = []
    labs = ctx.lab.labs.model_dump()
    for key, value in labs.items():
        if value is None:
            continue
        lim = ctx.k.labs[key]
        low, high = lim.limits(ctx.sex)
        if key == "estradiol_pmol_per_l" and not (
                ctx.adult and ctx.sex == "female" and ctx.age < ctx.k.threshold("menopause_age")):
            flag, text = "not_interpreted", "interpreted only in premenopausal adult women"
        elif lim.adult_only and not ctx.adult:
            flag, text = "not_interpreted", "adult limit; not applied to children"
        else:
            f = lim.flag(value, ctx.sex)
            flag = f or "not_interpreted"
            bits = ([f"low < {low:g}"] if low is not None else []) + (
                [f"high > {high:g}"] if high is not None else [])
            text = ", ".join(bits) if bits else "no limit (shown for context)"
        out.append(LabFlag(key, lim.label, float(value), lim.unit, flag, text))
    return tuple(out)


def _cause_status(findings: list[tuple[str, bool | None]]) -> tuple[str, tuple[str, ...]]:
    """findings: (description, True abnormal / False normal / None not given)."""
    pos = tuple(d for d, v in findings if v is True)
    if pos:
        return "supported", pos
    given = [d for d, v in findings if v is False]
    if not given:
        return "not_assessed", ()
    if len(given) == len(findings):
        return "not_supported", tuple(f"{d}: normal / no" for d in given)
    return "partly_assessed", tuple(f"{d}: normal / no" for d in given)


def _causes(ctx: _Context, igf1: IGF1Finding, pattern: Pattern,
            stims: Sequence[StimulationFinding],
            flags: tuple[LabFlag, ...]) -> tuple[CauseFinding, ...]:
    fl = {f.key: f.flag for f in flags}
    h = ctx.h

    def lab(key: str, bad: str) -> bool | None:
        f = fl.get(key)
        return None if f in (None, "not_interpreted") else f == bad

    def hist(flag: bool | None) -> bool | None:
        return flag

    bmi_low = None
    if ctx.bmi is not None and ctx.adult:
        bmi_low = ctx.bmi < ctx.k.threshold("undernutrition_bmi")
    obese = None if ctx.bmi is None or not ctx.adult else ctx.bmi >= ctx.k.threshold(
        "obesity_bmi")
    evidence: dict[str, list[tuple[str, bool | None]]] = {
        "liver": [("known liver disease", hist(h.liver_disease)),
                  ("ALT high", lab("alt_u_per_l", "high")),
                  ("albumin low", lab("albumin_g_per_l", "low")),
                  ("bilirubin high", lab("bilirubin_umol_per_l", "high"))],
        "kidney": [("known kidney disease", hist(h.kidney_disease)),
                   ("eGFR low", lab("egfr_ml_per_min_1_73m2", "low")),
                   ("creatinine high", lab("creatinine_umol_per_l", "high"))],
        "undernutrition": [("anorexia nervosa", hist(h.anorexia_nervosa)),
                           ("BMI low (< 18.5 kg/m², somatosim assumption)", bmi_low),
                           ("albumin low (also part of the liver panel)",
                            lab("albumin_g_per_l", "low"))],
        "oral_estrogen": [("oral estrogen", hist(h.oral_estrogen))],
        "hypothyroidism": [("known hypothyroidism", hist(h.hypothyroidism)),
                           ("TSH high", lab("tsh_mu_per_l", "high")),
                           ("free T4 low", lab("free_t4_pmol_per_l", "low"))],
        "inflammation": [("inflammatory disease", hist(h.inflammatory_disease)),
                         ("CRP high", lab("crp_mg_per_l", "high"))],
        "gh_receptor": [],
        "obesity": [(("BMI ≥ 30 kg/m² (allowed for by the BMI-dependent cut-offs of GHRH + "
                     "arginine and glucagon)"), obese)],
        "glucocorticoid": [("glucocorticoid therapy", hist(h.glucocorticoid_therapy))],
        "sex_steroid": [("prepubertal near puberty and not primed",
                         None if ctx.adult else ctx.near_puberty_prepubertal())],
    }
    show_resistance = igf1.band == "low" and pattern.code not in ("gh_deficiency",)
    show_functional = any(s.result in ("below_cutoff", "grey_zone") for s in stims)
    out = []
    for key, cause in ctx.k.causes.items():
        if cause.kind == "resistance" and not show_resistance:
            continue
        if cause.kind == "functional_low_gh" and not show_functional:
            continue
        if key == "sex_steroid" and ctx.adult:
            continue
        status, ev = _cause_status(evidence[key])
        if key == "gh_receptor":
            status, ev = "not_assessed", ("not separable with the routine tests listed",)
        out.append(CauseFinding(key, cause.name, cause.kind, status, ev,
                                Statement(cause.association, cause.sources),
                                cause.separating_tests))
    order = {"supported": 0, "partly_assessed": 1, "not_assessed": 2, "not_supported": 3}
    return tuple(sorted(out, key=lambda c: order[c.status]))


# -------------------------------------------------------------------- checklists


def _checklist(ctx: _Context) -> tuple[ChecklistEntry, ...]:
    k = ctx.k
    out = []
    if ctx.adult:
        labs = ctx.lab.labs
        for item in k.adult_checklist:
            status, detail = "not_assessed", ""
            if item.key == "history":
                status = "met" if ctx.suspicion else "not_assessed"
                detail = "; ".join(ctx.suspicion)
            elif item.key == "lipids" and labs.ldl_mmol_per_l is not None:
                detail = f"LDL {labs.ldl_mmol_per_l:g} mmol/L given"
            elif item.key == "body_composition" and ctx.bmi is not None:
                detail = f"BMI {ctx.bmi:.1f} kg/m² (BMI does not measure fat and lean mass)"
            out.append(ChecklistEntry(item.key, item.item, status,
                                      Statement(item.evidence, item.sources), detail))
        return tuple(out)
    aux = _child_auxology(ctx)
    for item in k.child_checklist:
        v = aux.get(item.key)
        status = "met" if v else ("not_assessed" if v is None else "not_met")
        out.append(ChecklistEntry(item.key, item.item, status,
                                  Statement(item.evidence, item.sources)))
    return tuple(out)


def _associations(ctx: _Context) -> tuple[ChecklistEntry, ...]:
    if not ctx.adult:
        return ()
    return tuple(ChecklistEntry(a.key, a.item, "not_assessed", Statement(a.evidence, a.sources))
                 for a in ctx.k.adult_associations)


# ------------------------------------------------------------------------ sources


def _collect_sources(obj: Any, acc: dict[str, None]) -> None:
    if isinstance(obj, (Statement, CutoffUse)):
        for s in obj.sources:
            acc.setdefault(s, None)
        return
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            _collect_sources(getattr(obj, f.name), acc)
    elif isinstance(obj, (tuple, list)):
        for v in obj:
            _collect_sources(v, acc)


#: Glucose (mmol/L) above which an ITT value is implausible and probably in mg/dL (somatosim
#: heuristic: 20 mmol/L = 360 mg/dL cannot be a nadir after insulin).
_GLUCOSE_MMOL_IMPLAUSIBLE = {"glucose_nadir": 20.0, "glucose_baseline": 35.0}


def _check_unit_of_glucose(lab: LabInput) -> list[str]:
    msgs = []
    for i, s in enumerate(lab.stimulation):
        for name in ("glucose_nadir", "glucose_baseline"):
            v = getattr(s, name)
            if v is None:
                continue
            if s.glucose_unit == "mmol/L" and v > _GLUCOSE_MMOL_IMPLAUSIBLE[name]:
                msgs.append(f"stimulation[{i}].{name} = {v:g} mmol/L is implausible; it is "
                            "probably in mg/dL (set glucose_unit = \"mg/dL\").")
                warnings.warn(UnitWarning(msgs[-1], likely_unit="mg/dL"), stacklevel=3)
            elif s.glucose_unit == "mg/dL" and v < 10:
                msgs.append(f"stimulation[{i}].{name} = {v:g} mg/dL is implausible; it is "
                            "probably in mmol/L (set glucose_unit = \"mmol/L\").")
                warnings.warn(UnitWarning(msgs[-1], likely_unit="mmol/L"), stacklevel=3)
    return msgs


# ====================================================================== entry point


def interpret(
    lab: LabInput | Mapping[str, Any],
    *,
    paediatric_cutoff: float | None = None,
    provenance: Mapping[str, Any] | None = None,
) -> Interpretation:
    """Interpret one person's GH/IGF-1 data.

    Parameters
    ----------
    lab
        A :class:`LabInput`, or a dict with its fields (validated; see :func:`load_lab_input`
        for the TOML form).
    paediatric_cutoff
        Peak-GH threshold (µg/L) for children's stimulation tests. Default: the classic
        10 µg/L; country practice uses 8 (Germany, India) or 6.7 (UK). PES 2016 endorses no
        single number. Allowed: 1 to 20.
    provenance
        Free-form description of where the data came from (e.g. a virtual patient's traits and
        seed), copied into the result.

    Returns
    -------
    Interpretation

    Raises
    ------
    LabInputError
        Invalid input (naming the field, value and what is allowed).

    Warns
    -----
    UnitWarning
        An IGF-1 value that fits the other unit (ng/mL vs nmol/L) far better, or a glucose value
        that fits mg/dL vs mmol/L; the warning is also recorded in ``warnings``.
    """
    from somatosim import __version__

    if not isinstance(lab, LabInput):
        lab = lab_input_from_dict(lab)
    if paediatric_cutoff is not None and (
            isinstance(paediatric_cutoff, bool)
            or not isinstance(paediatric_cutoff, (int, float))
            or not 1.0 <= paediatric_cutoff <= 20.0):
        raise ClinicInputError("paediatric_cutoff", paediatric_cutoff, "a number from 1 to 20 µg/L")
    know = load_knowledge()
    ctx = _Context(lab, know, paediatric_cutoff)
    igf1 = _igf1_finding(ctx)
    for msg in igf1.warnings:
        likely = "nmol/L" if "probably in nmol/L" in msg else "ng/mL"
        warnings.warn(UnitWarning(msg, likely_unit=likely), stacklevel=2)
    glucose_msgs = _check_unit_of_glucose(lab)
    testing = _adult_testing(ctx, igf1) if ctx.adult else _child_testing(ctx, igf1)
    stims = tuple(_read_peak(ctx, s) for s in lab.stimulation)
    pattern = _pattern(ctx, igf1, testing, stims)
    flags = _lab_flags(ctx)
    causes = _causes(ctx, igf1, pattern, stims, flags)
    notes = [
        Statement("GH cut-offs are assay- and standard-dependent (WHO IS 98/574).",
                  ("assay_dependence",)),
        Statement("A single random or fasting GH is uninformative; only stimulated peaks are "
                  "interpreted.", ("roelfsema",)),
    ]
    if not ctx.adult and stims and testing.status != "two_tests":
        notes.append(_paediatric_cutoff_note(ctx))
    if flags:
        notes.append(Statement("Other blood tests are flagged against generic adult limits "
                               "(somatosim assumptions, not from the research notes); use the "
                               "reporting laboratory's own ranges.", ("somatosim",)))
    if any(s.origin != "measured" for s in lab.stimulation):
        notes.append(Statement("Some stimulation peaks are not measured values (see each "
                               "result's origin)."))
    body: dict[str, Any] = {
        "id": lab.id, "population": ctx.population, "age": lab.age, "sex": lab.sex,
        "bmi": ctx.bmi, "igf1": igf1, "testing": testing, "stimulation": stims,
        "pattern": pattern, "causes": causes, "checklist": _checklist(ctx),
        "associations": _associations(ctx), "lab_flags": flags, "notes": tuple(notes),
        "warnings": tuple(igf1.warnings) + tuple(glucose_msgs),
    }
    acc: dict[str, None] = {}
    for v in body.values():
        _collect_sources(v, acc)
    if "bidlingmaier2014" not in acc and igf1.reference == "bidlingmaier2014":
        acc["bidlingmaier2014"] = None
    refs = tuple(SourceRef(k_, know.sources[k_].short, know.sources[k_].citation,
                           know.sources[k_].confidence) for k_ in acc)
    return Interpretation(
        **body, sources=refs, input=lab.model_dump(mode="json"),
        provenance=dict(provenance or {}), somatosim_version=__version__,
    )
