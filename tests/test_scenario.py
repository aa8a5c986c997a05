"""Scenario files (somatosim.scenario) and ``somatosim run``.

Every simulation here is 1 subject × 1 day with the same outputs and recording interval, so
JAX compiles the engine once for the whole module; bad-input tests never reach the simulator.
"""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

import numpy as np
import pytest
import tomllib
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from somatosim import InputError
from somatosim.cli import main
from somatosim.cli.run import FILES
from somatosim.scenario import (
    EVENT_KINDS,
    Scenario,
    ScenarioError,
    load_scenario,
    run_scenario,
    scenario_from_dict,
)
from somatosim.subject import subject_parameters

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.toml"))
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

MINIMAL = """
name = "minimal"
days = 1
[subject]
age = 30
sex = "male"
"""


def write(tmp_path: Path, text: str, name: str = "scenario.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def problems_of(tmp_path: Path, text: str) -> ScenarioError:
    path = write(tmp_path, text, "bad.toml")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value


def check_concentrations(ds, samples) -> None:
    for name in ("gh", "igf1_total", "igf1_free", "gh_secretion"):
        values = ds[name].values
        assert np.isfinite(values).all(), name
        assert (values >= 0).all(), name
    for col in ("gh_true", "igf1_true", "gh_measured", "igf1_measured"):
        assert np.isfinite(samples[col]).all() and (samples[col] >= 0).all(), col
    assert len(samples) > 0


def one_day(data: dict) -> dict:
    """A parsed example cut to its first day (events after day 0 and the sampling window dropped)."""
    data = dict(data, days=1)

    def sleep_day0(e):
        start = e.get("start_min", e.get("day", 0) * 1440)
        return start < 1440

    if data.get("sleep") is not None:
        data["sleep"] = [e for e in data["sleep"] if sleep_day0(e)]
    if data.get("meal") is not None:
        data["meal"] = [e for e in data["meal"] if e.get("day", 0) == 0 and e.get("time_min", 0) < 1440]
    sampling = {k: v for k, v in data.get("sampling", {}).items() if not k.startswith(("start", "end"))}
    data["sampling"] = sampling
    for kind in EVENT_KINDS:  # lifestyle events starting after day 0 (or repeated past it) are dropped
        entries = [e for e in data.get(kind, []) if e.get("day", 0) == 0 and e.get("start_min", 0) < 1440
                   and "count" not in e]
        data[kind] = entries
    return data


# --- the examples -----------------------------------------------------------------------------


def test_the_promised_examples_exist():
    names = {p.stem for p in EXAMPLES}
    assert names >= {
        "healthy_young_man",
        "healthy_young_woman",
        "older_man_70",
        "abdominal_obesity",
        "night_shift",
        "sleep_deprivation",
        "adolescent_boy_14",
        "postmenopausal_woman",
        "hiit_day",
        "fast_48h",
        "glucocorticoid_dose",
        "chronic_stress",
        "oral_estrogen",
        "transdermal_estrogen",
        "infection",
        "after_weight_loss",
    }
    assert len(names) >= 12


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_is_valid_as_written_and_has_a_header(path):
    scenario = load_scenario(path)
    assert isinstance(scenario, Scenario) and scenario.name
    assert path.read_text().startswith("#"), "each example opens with a comment header"
    assert "What to look at" in path.read_text()
    json.dumps(scenario.to_dict())  # the resolved scenario is JSON-ready


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_runs_one_day(path):
    data = one_day(tomllib.loads(path.read_text()))
    scenario = scenario_from_dict(data, source=str(path))
    ds, samples = run_scenario(scenario)
    check_concentrations(ds, samples)
    assert ds.sizes["time"] == 1440 and ds.attrs["scenario"] == scenario.name


def test_examples_specific_content():
    man = load_scenario(EXAMPLES_DIR / "healthy_young_man.toml")
    assert man.sleep_from == man.meals_from == "scenario"
    assert man.meals[0].energy_kcal == 750 and man.meals[0].protein_g == 20
    assert (man.plan.start_min, man.plan.end_min) == (480.0, 1920.0)  # 08:00 to 08:00 next day
    obese = load_scenario(EXAMPLES_DIR / "abdominal_obesity.toml")
    assert obese.subject.visceral_fat_cm2 == 200
    shift = load_scenario(EXAMPLES_DIR / "night_shift.toml")
    assert [(p.start, p.end) for p in shift.schedule.sleep] == [(480.0, 900.0)]
    deprived = load_scenario(EXAMPLES_DIR / "sleep_deprivation.toml")
    starts = [p.start for p in deprived.schedule.sleep]
    assert not any(1440 <= s < 2880 for s in starts), "no sleep starts on day 1"


# --- resolving a valid file -------------------------------------------------------------------


def test_minimal_file_uses_defaults_and_habitual_schedule(tmp_path):
    s = load_scenario(write(tmp_path, MINIMAL))
    assert (s.seed, s.days, s.n_subjects, s.variability) == (0, 1.0, 1, True)
    assert s.sleep_from == s.meals_from == "habitual"
    # habitual 23:00 for 8 h: the night in progress at midnight and the one starting at 23:00
    assert [(p.start, p.end) for p in s.schedule.sleep] == [(-60.0, 420.0), (1380.0, 1860.0)]
    assert s.schedule.meal_times == (480.0, 780.0, 1140.0)
    assert s.plan.interval_min == 10 and s.plan.start_min == 0 and s.plan.end_min is None
    assert (s.gh_assay.cv, s.gh_assay.detection_limit, s.igf1_assay.cv) == (0.05, 0.05, 0.08)
    assert s.observables == ("gh", "igf1_total", "gh_secretion", "igf1_free")


def test_clock_and_minute_forms_and_empty_lists(tmp_path):
    text = "meal = []\n" + MINIMAL.replace("days = 1", "days = 2") + """
[[sleep]]
day = -1
start = "22:30"
end = "06:30"            # wraps past midnight
[[sleep]]
start_min = 1380
end_min = 1860
[[sleep]]
day = 1
start = 23:15:00         # a TOML local time is accepted too
duration_h = 7.5
[sampling]
start = "08:00"
start_day = 1
end = "08:00"
end_day = 1
end_min = 2000
"""
    err = problems_of(tmp_path, text)  # end and end_min together
    assert err.fields == ("sampling.end_min",)
    s = load_scenario(write(tmp_path, text.replace("end_min = 2000\n", "").replace(
        'end = "08:00"\nend_day = 1', 'end = "20:00"')))
    assert [(p.start, p.end) for p in s.schedule.sleep] == [(-90, 390), (1380, 1860), (2835, 3285)]
    assert s.schedule.meals == () and s.meals_from == "scenario"
    assert (s.plan.start_min, s.plan.end_min) == (1920.0, 2640.0)


def test_no_sleep_at_all(tmp_path):
    s = load_scenario(write(tmp_path, "sleep = []  # before any table\n" + MINIMAL))
    assert s.schedule.sleep == () and s.sleep_from == "scenario"


def test_sleep_may_touch_and_run_past_the_window(tmp_path):
    text = MINIMAL + """
[[sleep]]
start_min = 0
end_min = 300
[[sleep]]
start_min = 300
end_min = 600
[[sleep]]
start = "23:00"
duration_h = 9
"""
    s = load_scenario(write(tmp_path, text))
    assert len(s.schedule.sleep) == 3


# --- bad files: each gives the documented error -----------------------------------------------

BAD = {
    "unknown top-level key": (
        "meals = 3\n" + MINIMAL, "meals", ["unknown key", "did you mean 'meal'", "allowed"]),
    "unknown key in a table": (
        MINIMAL + "height = 180\n", "subject.height", ["unknown key", "height_cm"]),
    "unknown key in an array entry": (
        MINIMAL + '[[sleep]]\nstart = "23:00"\nduration_h = 8\nlength = 8\n', "sleep[0].length",
        ["unknown key", "[[sleep]]", "duration_h"]),
    "overlapping sleep": (
        MINIMAL + '[[sleep]]\nstart = "01:00"\nduration_h = 5\n'
        '[[sleep]]\nstart = "05:00"\nduration_h = 3\n', "sleep[1].start",
        ['"05:00"', "overlaps sleep[0]", "day 0 01:00 to day 0 06:00", "do not overlap"]),
    "sleep after the window": (
        MINIMAL + '[[sleep]]\nday = 1\nstart = "23:00"\nduration_h = 8\n', "sleep[0].day",
        ["= 1 ", "outside the simulated window [0, 1440) min"]),
    "sleep before the window": (
        MINIMAL + "[[sleep]]\nstart_min = -600\nend_min = -100\n", "sleep[0].start_min",
        ["= -600", "ends before the simulated window starts"]),
    "meal after the window": (
        MINIMAL + '[[meal]]\nday = 2\ntime = "08:00"\n', "meal[0].day",
        ["= 2 ", "day 2 08:00", "outside the simulated window"]),
    "sampling after the window": (
        MINIMAL + "[sampling]\nend_min = 2000\n", "sampling.end_min",
        ["= 2000", "after the end of the simulated window"]),
    "text where a number belongs": (
        MINIMAL.replace("age = 30", 'age = "thirty"'), "subject.age",
        ['"thirty"', "a number in [3, 90] years", "without quotes"]),
    "quoted number": (
        MINIMAL.replace("days = 1", 'days = "1"'), "days", ['"1"', "a number in (0, 3660] days"]),
    "boolean where a number belongs": (
        MINIMAL + "weight_kg = true\n", "subject.weight_kg", ["true", "a number in [10, 300] kg"]),
    "number out of range": (
        MINIMAL.replace("age = 30", "age = 120"), "subject.age", ["= 120", "[3, 90] years"]),
    "not a whole number": (
        MINIMAL.replace("days = 1", "days = 1\nseed = 1.5"), "seed", ["= 1.5", "a whole number"]),
    "bad clock hour": (
        MINIMAL + '[[sleep]]\nstart = "25:00"\nduration_h = 8\n', "sleep[0].start",
        ['"25:00"', 'a clock time "HH:MM" from "00:00" to "23:59"']),
    "bad clock text": (
        MINIMAL + '[[meal]]\ntime = "8pm"\n', "meal[0].time", ['"8pm"', '"HH:MM"']),
    "bad clock minutes": (
        MINIMAL + '[sampling]\nstart = "12:60"\n', "sampling.start", ['"12:60"', '"HH:MM"']),
    "clock given as a number": (
        MINIMAL + "[[meal]]\ntime = 8\n", "meal[0].time", ["= 8 ", '"HH:MM"']),
    "wrong choice": (
        MINIMAL.replace('"male"', '"Male"'), "subject.sex", ['"Male"', 'one of "male", "female"']),
    "unknown observable": (
        MINIMAL + '[outputs]\nobservables = ["gh", "cortisol"]\n', "outputs.observables[1]",
        ['"cortisol"', '"igf1_free"']),
    "missing name": (MINIMAL.replace('name = "minimal"', ""), "name", ["is missing", "required"]),
    "missing subject": (
        'name = "x"\n', "subject", ["is missing", "[subject] table"]),
    "table where an array of tables belongs": (
        MINIMAL + '[sleep]\nstart = "23:00"\n', "sleep", ["[[sleep]]"]),
    "both sleep forms": (
        MINIMAL + '[[sleep]]\nstart = "23:00"\nduration_h = 8\nend_min = 100\n', "sleep[0].end_min",
        ["either the clock form", "not both"]),
    "duration and end": (
        MINIMAL + '[[sleep]]\nstart = "23:00"\nduration_h = 8\nend = "07:00"\n',
        "sleep[0].duration_h", ["exactly one of duration_h", "end"]),
    "menopause for a man": (
        MINIMAL + "postmenopausal = true\n", "subject.postmenopausal", ["women only"]),
    "sampling off the record grid": (
        MINIMAL + "[sampling]\ninterval_min = 7.5\n", "sampling.interval_min",
        ["= 7.5", "multiple of outputs.record_interval_min = 1 min"]),
    "run length off the record grid": (
        MINIMAL + "[outputs]\nrecord_interval_min = 7\n", "days",
        ["whole number of record intervals"]),
    "format version": (
        "format_version = 2\n" + MINIMAL, "format_version", ["= 2", "[1, 1]"]),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_file_gives_the_documented_error(tmp_path, case):
    text, field, fragments = BAD[case]
    err = problems_of(tmp_path, text)
    assert isinstance(err, InputError)
    assert field in err.fields
    line = next(line for line in str(err).splitlines() if f"bad.toml: {field} " in line)
    for fragment in fragments:
        assert fragment in line, (fragment, line)


# --- lifestyle events -------------------------------------------------------------------------

EX = '[[exercise]]\nstart = "10:00"\nduration_min = 30\nintensity = 1.2\n'

LIFESTYLE_BAD = {
    "unknown key in exercise": (
        MINIMAL + EX + "speed = 3\n", "exercise[0].speed", ["unknown key", "[[exercise]]", "intensity"]),
    "intensity out of range": (
        MINIMAL + EX.replace("1.2", "3.5"), "exercise[0].intensity", ["= 3.5", "[0, 3] x lactate threshold"]),
    "vo2max out of range": (
        MINIMAL + EX.replace("intensity = 1.2", "percent_vo2max = 250"), "exercise[0].percent_vo2max",
        ["= 250", "% VO2max"]),
    "intensity and vo2max": (
        MINIMAL + EX + "percent_vo2max = 70\n", "exercise[0].percent_vo2max", ["exactly one of intensity"]),
    "exercise without duration": (
        MINIMAL + '[[exercise]]\nstart = "10:00"\nintensity = 1\n', "exercise[0].duration_min",
        ["is missing", "duration_min"]),
    "exercise past the window": (
        MINIMAL + EX.replace('"10:00"', '"23:50"'), "exercise[0].duration_min",
        ["ends at day 1 00:20", "after the end of the simulated window"]),
    "exercise after the window": (
        MINIMAL + EX.replace('start = "10:00"', 'day = 1\nstart = "10:00"'), "exercise[0].day",
        ["= 1 ", "outside the simulated window [0, 1440) min"]),
    "overlapping exercise": (
        MINIMAL + EX + EX.replace('"10:00"', '"10:15"'), "exercise[1].start",
        ['"10:15"', "overlaps exercise[0]", "does not overlap"]),
    "interval key on a bout": (
        MINIMAL + EX + "work_min = 1\n", "exercise[0].work_min", ["not used without intervals"]),
    "dose with no unit": (
        MINIMAL + '[[stress]]\nkind = "glucocorticoid"\ndrug = "prednisolone"\ndose = 5\nstart = "08:00"\n',
        "stress[0].dose", ["= 5 ", "with its unit", '"4 mg"']),
    "dose with a unit-less text": (
        MINIMAL + '[[stress]]\nkind = "glucocorticoid"\ndrug = "prednisolone"\ndose = "5"\nstart = "08:00"\n',
        "stress[0].dose", ['"5"', "expected a unit after the number"]),
    "dose with a wrong unit": (
        MINIMAL + '[[stress]]\nkind = "glucocorticoid"\ndrug = "prednisolone"\ndose = "5 kg"\nstart = "08:00"\n',
        "stress[0].dose", ['"5 kg"', "unit 'kg' is not allowed", "mg"]),
    "dose too large": (
        MINIMAL + '[[stress]]\nkind = "glucocorticoid"\ndrug = "prednisolone"\ndose = "2 g"\nstart = "08:00"\n',
        "stress[0].dose", ['"2 g"', "(0, 1000] mg", "converted to mg"]),
    "unknown drug": (
        MINIMAL + '[[stress]]\nkind = "glucocorticoid"\ndrug = "cortisone"\ndose = "5 mg"\nstart = "08:00"\n',
        "stress[0].drug", ['"cortisone"', '"prednisolone"']),
    "glucocorticoid without a dose": (
        MINIMAL + '[[stress]]\nkind = "glucocorticoid"\ndrug = "prednisolone"\nstart = "08:00"\n',
        "stress[0].dose", ["is missing", "needs dose"]),
    "dose course past the window": (
        MINIMAL + '[[stress]]\nkind = "glucocorticoid"\ndrug = "prednisolone"\ndose = "5 mg"\nstart = "08:00"\n'
        "every_h = 12\ncount = 3\n", "stress[0].count", ["= 3", "last dose falls at day 1 08:00"]),
    "chronic stress with a wrong unit": (
        MINIMAL + '[[stress]]\nkind = "chronic"\ncortisol_excess = "40 mg"\nestablished = true\n',
        "stress[0].cortisol_excess", ['"40 mg"', "unit 'mg' is not allowed", "mg/day"]),
    "established with a start": (
        MINIMAL + '[[stress]]\nkind = "chronic"\ncortisol_excess = "40 mg/day"\nestablished = true\n'
        'start = "08:00"\n', "stress[0].start", ["not used with established = true"]),
    "estrogen without a unit": (
        MINIMAL + '[[estrogen]]\nroute = "oral"\ndose = 2\nestablished = true\n', "estrogen[0].dose",
        ["= 2 ", "with its unit", "ug/day"]),
    "estrogen with a wrong unit": (
        MINIMAL + '[[estrogen]]\nroute = "oral"\ndose = "2 mg"\nestablished = true\n', "estrogen[0].dose",
        ['"2 mg"', "unit 'mg' is not allowed", "mg/day"]),
    "estrogen route and drug": (
        MINIMAL + '[[estrogen]]\nroute = "transdermal"\ndrug = "ethinylestradiol"\ndose = "50 ug/day"\n'
        "established = true\n", "estrogen[0].drug", ['"ethinylestradiol"', 'route = "transdermal"']),
    "estrogen period without an end": (
        MINIMAL + '[[estrogen]]\nroute = "oral"\ndose = "2 mg/day"\nstart = "08:00"\n', "estrogen[0].duration_h",
        ["is missing", "exactly one of duration_h"]),
    "crp with a wrong unit": (
        MINIMAL + '[[inflammation]]\ncrp = "50 mg"\nstart = "00:00"\nduration_h = 24\n', "inflammation[0].crp",
        ['"50 mg"', "mg/L"]),
    "fast outside the window": (
        MINIMAL + '[[fast]]\nday = 2\nstart = "08:00"\nduration_h = 4\n', "fast[0].day",
        ["= 2 ", "outside the simulated window"]),
    "fast ending before it starts": (
        MINIMAL + '[[fast]]\nstart = "08:00"\nend_min = 100\n', "fast[0].end_min",
        ["= 100", "expected a time after the start (day 0 08:00)"]),
    "overlapping fasts": (
        MINIMAL + '[[fast]]\nstart = "08:00"\nduration_h = 4\n[[fast]]\nstart = "10:00"\nduration_h = 4\n',
        "fast[1].start", ["overlaps fast[0]"]),
    "meal inside a fast": (
        MINIMAL + '[[fast]]\nstart = "06:00"\nduration_h = 4\n[[meal]]\ntime = "08:00"\n', "meal[0].time",
        ['"08:00"', "falls inside fast[0]", "no meals during a fast"]),
    "unknown stress kind": (
        MINIMAL + '[[stress]]\nkind = "panic"\nstart = "08:00"\n', "stress[0].kind",
        ['"panic"', '"glucocorticoid", "acute", "chronic"']),
}


@pytest.mark.parametrize("case", list(LIFESTYLE_BAD), ids=list(LIFESTYLE_BAD))
def test_bad_lifestyle_event_gives_a_clear_error(tmp_path, case):
    text, field, fragments = LIFESTYLE_BAD[case]
    err = problems_of(tmp_path, text)
    assert isinstance(err, InputError)
    assert field in err.fields, err.fields
    line = next(line for line in str(err).splitlines() if f"bad.toml: {field} " in line)
    for fragment in fragments:
        assert fragment in line, (fragment, line)


def test_lifestyle_events_resolve(tmp_path):
    text = "days = 3\n" + MINIMAL.replace("days = 1\n", "") + EX + """
[[exercise]]
start = "18:00"
intervals = 4
work_min = 2
rest_min = 1
percent_vo2max = 120
[[fast]]
day = 1
start = "20:00"
duration_h = 24
[[stress]]
kind = "glucocorticoid"
drug = "dexamethasone"
dose = "500 ug"
start = "08:00"
every_h = 24
count = 2
[[stress]]
kind = "acute"
start = "09:00"
[[stress]]
kind = "chronic"
cortisol_excess = "20 mg/d"
start_min = 0
end_min = 600
[[estrogen]]
route = "oral"
drug = "estradiol"
dose = "2 mg/day"
established = true
[[inflammation]]
crp = "3 mg/dL"
day = 1
start = "00:00"
end = "06:00"
end_day = 2
"""
    from somatosim.lifestyle import (
        AcuteStress,
        CortisolExcess,
        Exercise,
        Glucocorticoid,
        Inflammation,
        Nutrition,
    )

    s = load_scenario(write(tmp_path, text))
    kinds = [type(e) for e in s.schedule.events]
    assert kinds.count(Exercise) == 2 and kinds.count(Glucocorticoid) == 2 and kinds.count(Nutrition) == 1
    assert AcuteStress in kinds and CortisolExcess in kinds and Inflammation in kinds
    hiit = [e for e in s.schedule.events if isinstance(e, Exercise)][1]
    assert hiit.segments[0] == (1080.0, 1082.0, 2.0) and len(hiit.segments) == 4  # 120 % / 60 % = 2 x LT
    dex = [e for e in s.schedule.events if isinstance(e, Glucocorticoid)]
    assert [d.time for d in dex] == [480.0, 1920.0] and dex[0].dose_mg == 0.5
    infl = next(e for e in s.schedule.events if isinstance(e, Inflammation))
    assert (infl.start, infl.stop, infl.crp_mg_l) == (1440.0, 2880.0 + 360.0, 30.0)
    assert not any(2640 <= m.time_min < 4080 for m in s.schedule.meals), "habitual meals in the fast dropped"
    assert len(s.subject.conditions) == 1 and s.subject.conditions[0].dose_ug_per_day == 2000.0
    rec = s.to_dict()
    assert [r["kind"] for r in rec["lifestyle"]][:3] == ["exercise", "exercise", "fast"]
    json.dumps(rec)


def test_all_problems_are_reported_together(tmp_path):
    text = MINIMAL.replace("age = 30", 'age = "x"') + 'colour = "red"\n[[exercise]]\nday = 0\nspeed = 3\n'
    err = problems_of(tmp_path, text)
    assert set(err.fields) == {"exercise[0].speed", "subject.age", "subject.colour"}
    assert "3 problems" in str(err)


def test_extreme_but_allowed_body_loads(tmp_path):
    # Each field is in range; 300 cm2 of visceral fat in a 15-kg child is extreme, and the
    # covariate model keeps its GH kinetics inside the valid two-compartment region.
    text = MINIMAL.replace("age = 30", "age = 3\nheight_cm = 100\nweight_kg = 15\nvisceral_fat_cm2 = 300")
    path = tmp_path / "ok.toml"
    path.write_text(text)
    scenario = load_scenario(path)
    p = subject_parameters(scenario.subject, variability=False)
    assert np.isfinite(p["gh_k12"]).all()


def test_not_toml_and_unreadable(tmp_path):
    err = problems_of(tmp_path, "name = \n[subject")
    assert "not valid TOML" in str(err) and "bad.toml" in str(err)
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(tmp_path / "missing.toml")


# --- property: any valid random scenario runs -------------------------------------------------


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return repr(v)


def to_toml(data: dict) -> str:
    """A small TOML writer for scalars, arrays, tables and arrays of tables."""
    lines = [f"{k} = {toml_value(v)}" for k, v in data.items()
             if not isinstance(v, dict) and not (isinstance(v, list) and v and isinstance(v[0], dict))]
    for k, v in data.items():
        if isinstance(v, dict):
            lines += [f"[{k}]"] + [f"{kk} = {toml_value(vv)}" for kk, vv in v.items()]
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            for entry in v:
                lines += [f"[[{k}]]"] + [f"{kk} = {toml_value(vv)}" for kk, vv in entry.items()]
    return "\n".join(lines) + "\n"


def clock(minutes: int) -> str:
    m = minutes % 1440
    return f"{m // 60:02d}:{m % 60:02d}"


@st.composite
def subjects(draw):
    sex = draw(st.sampled_from(["male", "female"]))
    s = {
        "age": draw(st.floats(3, 90)),
        "sex": sex,
        "height_cm": (height := draw(st.floats(80, 230))),
        # A coherent body: BMI 15-45 kg/m2 within the weight range (see test_incoherent_body).
        "weight_kg": (weight := min(300.0, max(10.0, draw(st.floats(15, 45)) * (height / 100) ** 2))),
        "sleep_onset_h": draw(st.floats(0, 23.9)),
        "sleep_duration_h": draw(st.floats(0.5, 16)),
        "meal_times_h": draw(st.lists(st.floats(0, 23.9), max_size=4)),
    }
    if draw(st.booleans()):
        s["visceral_fat_cm2"] = draw(st.floats(0, min(600.0, 3.0 * weight)))
    if draw(st.booleans()):
        s["pubertal_stage"] = draw(st.integers(1, 5))
    if sex == "female" and draw(st.booleans()):
        s["postmenopausal"] = draw(st.booleans())
    return s


@st.composite
def scenarios(draw):
    data = {"name": "random", "seed": draw(st.integers(0, 2**31 - 1)), "days": 1,
            "subject": draw(subjects())}
    if draw(st.booleans()):  # explicit sleep: sorted distinct edges, paired, in or around day 0
        edges = sorted(draw(st.sets(st.integers(-600, 2000), min_size=0, max_size=6)))
        periods = [(a, b) for a, b in zip(edges[::2], edges[1::2]) if a < 1440 and b > 0 and b - a <= 1440]
        data["sleep"] = [
            {"day": a // 1440, "start": clock(a), "duration_h": (b - a) / 60}
            if draw(st.booleans()) else {"start_min": a, "end_min": b}
            for a, b in periods
        ]
    if draw(st.booleans()):
        times = sorted(draw(st.sets(st.integers(0, 1439), max_size=5)))
        data["meal"] = [
            {"time": clock(t), "energy_kcal": draw(st.floats(0, 5000))} if draw(st.booleans())
            else {"time_min": t, "protein_g": draw(st.floats(0, 300))}
            for t in times
        ]
    data["sampling"] = {"interval_min": draw(st.sampled_from([5, 10, 15, 20, 30, 60])),
                        "start_min": draw(st.integers(0, 1380))}
    data.update(draw(lifestyle(explicit_meals="meal" in data)))
    return data


@st.composite
def lifestyle(draw, explicit_meals: bool):
    """Valid lifestyle events inside a one-day window (a fast only when meals are habitual)."""
    out = {}
    if draw(st.booleans()):
        start = draw(st.integers(0, 1300))
        if draw(st.booleans()):
            out["exercise"] = [{"start_min": start, "duration_min": draw(st.floats(1, 1439 - start)),
                                "intensity": draw(st.floats(0, 3))}]
        else:
            out["exercise"] = [{"start_min": start, "intervals": draw(st.integers(1, 10)), "work_min": 1,
                                "rest_min": 2, "percent_vo2max": draw(st.floats(0, 150)),
                                "rest_intensity": draw(st.floats(0, 1)), "trained": draw(st.booleans())}]
    if not explicit_meals and draw(st.booleans()):
        out["fast"] = [{"start_min": draw(st.integers(0, 1439)), "duration_h": draw(st.floats(0.5, 72))}]
    stress = []
    if draw(st.booleans()):
        stress.append({"kind": "glucocorticoid", "drug": draw(st.sampled_from(["hydrocortisone", "dexamethasone"])),
                       "dose": f"{draw(st.floats(0.1, 1000)):.3f} mg", "start_min": draw(st.integers(0, 1439))})
    if draw(st.booleans()):
        stress.append({"kind": "chronic", "cortisol_excess": f"{draw(st.floats(1, 500)):.1f} mg/day",
                       "established": True})
    if stress:
        out["stress"] = stress
    if draw(st.booleans()):
        route = draw(st.sampled_from(["oral", "transdermal"]))
        entry = {"route": route, "dose": f"{draw(st.floats(1, 10000)):.1f} ug/day"}
        if draw(st.booleans()):
            entry["established"] = True
        else:
            entry.update(start_min=draw(st.integers(0, 1439)), duration_h=draw(st.floats(1, 100)))
        out["estrogen"] = [entry]
    if draw(st.booleans()):
        out["inflammation"] = [{"crp": f"{draw(st.floats(0.1, 500)):.2f} mg/L", "start_min": draw(st.integers(0, 1439)),
                                "duration_h": draw(st.floats(1, 100))}]
    return out


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenarios())
def test_any_valid_scenario_runs_to_finite_non_negative_concentrations(data):
    text = to_toml(data)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "random.toml"
        path.write_text(text)
        scenario = load_scenario(path)
    ds, samples = run_scenario(scenario)
    check_concentrations(ds, samples)
    n_expected = math.ceil((1440 - scenario.plan.start_min) / scenario.plan.interval_min)
    assert len(samples) == n_expected


# --- the command line -------------------------------------------------------------------------


def test_cli_run_writes_samples_profile_and_scenario_json(tmp_path):
    src = write(tmp_path, MINIMAL + '[[meal]]\ntime = "08:00"\nenergy_kcal = 600\n'
                "[sampling]\ninterval_min = 20\n")
    out = tmp_path / "runs" / "one"
    r = CliRunner().invoke(main, ["run", str(src), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "not a medical device" in r.output
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert (out / "profile.png").read_bytes().startswith(PNG_MAGIC)
    rec = json.loads((out / "scenario.json").read_text())
    assert rec["somatosim_version"] and rec["seed"] == 0 and "not a medical device" in rec["disclaimer"]
    assert rec["scenario"]["meals"]["items"][0] == {
        "time_min": 480.0, "time": "day 0 08:00", "energy_kcal": 600.0, "protein_g": None, "carbohydrate_g": None}
    assert rec["source"]["text"] == src.read_text()
    csv = (out / "samples.csv").read_text().splitlines()
    assert len(csv) == 1 + 72 and csv[0].startswith("subject,time_min,day,clock,asleep,gh_true")
    # Rerunning into the directory replaces the outputs and keeps other files.
    (out / "notes.txt").write_text("mine")
    r = CliRunner().invoke(main, ["run", str(src), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert (out / "notes.txt").read_text() == "mine"


def test_cli_run_bad_file_exits_2_and_writes_nothing(tmp_path):
    src = write(tmp_path, MINIMAL + '[[sleep]]\nstart = "24:00"\nduration_h = 8\n', "bad.toml")
    out = tmp_path / "new" / "out"
    r = CliRunner().invoke(main, ["run", str(src), "--out", str(out)])
    assert r.exit_code == 2
    assert "bad.toml: sleep[0].start = \"24:00\" is not allowed" in r.output
    assert not (tmp_path / "new").exists()


def test_cli_run_missing_file_and_out_is_a_file(tmp_path):
    r = CliRunner().invoke(main, ["run", str(tmp_path / "nope.toml")])
    assert r.exit_code == 2 and "does not exist" in r.output
    src = write(tmp_path, MINIMAL)
    (tmp_path / "taken").write_text("x")
    r = CliRunner().invoke(main, ["run", str(src), "--out", str(tmp_path / "taken")])
    assert r.exit_code == 2 and "is a file" in r.output


# --- conditions --------------------------------------------------------------------------------


def test_condition_tables_give_the_subject_conditions(tmp_path):
    from somatosim.conditions import ChronicKidneyDisease, PituitaryDamage

    path = tmp_path / "ckd.toml"
    path.write_text('name = "c"\n[subject]\nage = 60\nsex = "male"\n'
                    '[[condition]]\nname = "ckd"\negfr = 20\n[[condition]]\nname = "pituitary_damage"\nseverity = 0.5\n')
    s = load_scenario(path)
    kinds = [type(c) for c in s.subject.conditions]
    assert kinds == [ChronicKidneyDisease, PituitaryDamage]
    assert [c["name"] for c in s.to_dict()["conditions"]] == ["ckd", "pituitary_damage"]


@pytest.mark.parametrize(("table", "field"), [
    ('name = "ckd"\negfr = -5', "condition[0].egfr"),
    ('name = "not_a_condition"', "condition[0].name"),
    ("egfr = 20", "condition[0].name"),
])
def test_bad_condition_tables_are_named(tmp_path, table, field):
    path = tmp_path / "bad.toml"
    path.write_text(f'name = "c"\n[subject]\nage = 60\nsex = "male"\n[[condition]]\n{table}\n')
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert field in str(err.value) and str(path) in str(err.value)
