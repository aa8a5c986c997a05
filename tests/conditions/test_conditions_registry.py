"""Conditions by name: construction, validation, schema, and each mechanism's parameter changes.

No simulation here: every test works on the subject parameter dict (``typical_parameters``).
"""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from somatosim import InputError, Subject
from somatosim.conditions import (
    CONDITIONS,
    AcuteIllness,
    AcuteIllnessEvent,
    AnorexiaNervosa,
    ChronicKidneyDisease,
    Cirrhosis,
    CranialIrradiation,
    Estrogen,
    HypothalamicDamage,
    MaleHypogonadism,
    PituitaryDamage,
    TraumaticBrainInjury,
    condition_schema,
    conditions_from_tables,
    make_condition,
)
from somatosim.conditions.pituitary import irradiation_residual
from somatosim.params import load_parameters
from somatosim.schedule import CHANNELS
from somatosim.subject import subject_parameters, typical_parameters

BASE = Subject(age=40, sex="male")
PARAMS = load_parameters()


def params_with(*conditions, subject=BASE):
    return typical_parameters(dataclasses.replace(subject, conditions=tuple(conditions)), PARAMS)


HEALTHY = params_with()


def clearance(p):
    """Low-GH total clearance after the micro-constants are derived, L/min."""
    arr = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in p.items()}
    from somatosim.subject import kinetic_constants

    kinetic_constants(arr)
    return float(arr["gh_clearance"][0]), float(arr["gh_renal_fraction"][0])


# --- registry ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CONDITIONS))
def test_every_condition_builds_with_defaults_or_one_knob_and_changes_parameters(name):
    cls = CONDITIONS[name]
    knob = {"cirrhosis": {"child_pugh_class": "C"}, "ckd": {"stage": "4"}}.get(name, {})
    c = make_condition(name, **knob)
    assert isinstance(c, cls) and c.name == name
    assert hash(c) == hash(make_condition(name, **knob))  # frozen, hashable, equal by value
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.name_ = 1
    p = params_with(c)
    changed = [k for k in HEALTHY if not math.isclose(p[k], HEALTHY[k], rel_tol=1e-12)]
    assert changed, f"{name} changed no parameter"
    json.dumps(c.describe())


def test_schema_declares_range_unit_and_meaning_of_every_knob():
    schema = condition_schema()
    assert set(schema) == set(CONDITIONS)
    json.dumps(schema)
    for name, entry in schema.items():
        assert entry["label"] and entry["doc"]
        for knob, spec in entry["parameters"].items():
            assert spec["description"], (name, knob)
            assert spec["kind"] in ("number", "choice", "flag")
            if spec["kind"] == "number":
                assert spec["low"] is not None and spec["high"] is not None and spec["unit"]
    assert schema["ckd"]["exactly_one_of"] == ["egfr", "stage", "dialysis"]
    assert schema["cranial_irradiation"]["parameters"]["dose_gy"]["unit"] == "Gy"


def test_unknown_name_and_knob_are_named_with_a_suggestion():
    with pytest.raises(InputError, match=r"condition.name = 'cirosis' is not allowed: .*did you mean 'cirrhosis'"):
        make_condition("cirosis")
    with pytest.raises(InputError, match=r"ckd.egfx = 20 is not allowed: unknown parameter \(did you mean 'egfr'"):
        make_condition("ckd", egfx=20)
    with pytest.raises(InputError, match="postmenopausal"):
        make_condition("menopause")


@pytest.mark.parametrize("name, knob, bad", [
    ("pituitary_damage", "severity", 1.5),
    ("ckd", "egfr", -1.0),
    ("ckd", "stage", "6"),
    ("cranial_irradiation", "dose_gy", 120.0),
    ("anorexia_nervosa", "bmi", 25.0),
    ("cirrhosis", "meld", 3.0),
    ("estrogen", "route", "nasal"),
    ("laron_syndrome", "residual", 1.0),
    ("bioinactive_gh", "bioactivity", 0.0),
    ("ckd", "dialysis", "yes"),
    ("pituitary_damage", "severity", True),
])
def test_out_of_range_knob_names_field_value_and_allowed(name, knob, bad):
    with pytest.raises(InputError) as err:
        make_condition(name, **{knob: bad})
    msg = str(err.value)
    assert f"{name}.{knob} = {bad!r}" in msg and "expected" in msg


@given(st.floats(0.0, 1.0))
def test_severity_accepts_its_declared_range(severity):
    assert make_condition("pituitary_damage", severity=severity).severity == pytest.approx(severity)


def test_exactly_one_grading_knob():
    with pytest.raises(InputError, match="exactly one of egfr, stage, dialysis"):
        ChronicKidneyDisease()
    with pytest.raises(InputError, match="exactly one"):
        ChronicKidneyDisease(egfr=20, stage="4")
    with pytest.raises(InputError, match="exactly one of child_pugh, child_pugh_class, meld"):
        Cirrhosis(child_pugh=7, meld=12)
    assert ChronicKidneyDisease(stage=4).stage == "4"  # a whole number is read as the category
    with pytest.raises(InputError, match="estrogen.drug"):
        Estrogen(route="transdermal", drug="ethinylestradiol")


def test_tables_give_conditions_and_every_problem_with_its_path():
    conditions, problems = conditions_from_tables([
        {"name": "ckd", "egfr": 20},
        {"name": "cirrhosis", "child_pugh": 30},
        {"egfr": 3},
        {"name": "nope"},
        {"name": "laron_syndrome", "residu": 0.1},
    ])
    assert conditions == (ChronicKidneyDisease(egfr=20.0),)
    fields = [f for f, _, _ in problems]
    assert fields == ["condition[1].child_pugh", "condition[2].name", "condition[3].name", "condition[4].residu"]
    assert problems[0][1] == 30 and problems[2][1] == "nope"
    assert conditions_from_tables("ckd")[1][0][0] == "condition"


# --- mechanisms: the right parameter, the right direction ------------------------------------


def test_pituitary_vs_hypothalamic_damage_act_on_different_sites():
    pit, hyp = params_with(PituitaryDamage(0.9)), params_with(HypothalamicDamage(0.9))
    assert pit["somatotroph_capacity"] == pytest.approx(0.1 * HEALTHY["somatotroph_capacity"])
    assert pit["ghrh_drive"] == HEALTHY["ghrh_drive"] and pit["ghrh_on_gh_potency"] == HEALTHY["ghrh_on_gh_potency"]
    assert hyp["somatotroph_capacity"] == HEALTHY["somatotroph_capacity"]
    assert hyp["ghrh_drive"] == pytest.approx(0.1 * HEALTHY["ghrh_drive"])
    assert hyp["ghs_direct_gain"] == pytest.approx(0.1 * HEALTHY["ghs_direct_gain"])  # GHS needs GHRH
    tbi = params_with(TraumaticBrainInjury(0.6))
    assert tbi["somatotroph_capacity"] < HEALTHY["somatotroph_capacity"] and tbi["ghrh_drive"] < HEALTHY["ghrh_drive"]


@given(st.floats(5.0, 70.0), st.floats(0.5, 20.0), st.floats(0.5, 20.0))
def test_irradiation_damage_grows_with_dose_and_time_and_hits_the_hypothalamus_first(dose, years, more):
    early = params_with(CranialIrradiation(dose, years))
    later = params_with(CranialIrradiation(dose, min(years + more, 60.0)))
    higher = params_with(CranialIrradiation(min(dose + more, 80.0), years))
    for p in (later, higher):
        assert p["ghrh_drive"] <= early["ghrh_drive"] + 1e-15
        assert p["somatotroph_capacity"] <= early["somatotroph_capacity"] + 1e-15
    hyp_loss = 1 - early["ghrh_drive"] / HEALTHY["ghrh_drive"]
    pit_loss = 1 - early["somatotroph_capacity"] / HEALTHY["somatotroph_capacity"]
    assert hyp_loss >= pit_loss


def test_irradiation_residual_is_merchant_2011():
    p = PARAMS.floats()
    # Merchant TE et al. 2011 Table 1: predicted mean peak GH 1.58 ng/mL at 36 months and 60 Gy from 14.18 at 0.
    assert irradiation_residual(60.0, 36.0, p) * math.exp(2.6518) == pytest.approx(1.58, abs=0.01)
    assert irradiation_residual(1.0, 60.0, p) == 1.0  # below the threshold dose: no loss


@given(st.floats(0.0, 140.0), st.floats(1.0, 60.0))
def test_kidney_gh_clearance_falls_with_gfr(egfr, less):
    hi = clearance(params_with(ChronicKidneyDisease(egfr=egfr)))
    lo = clearance(params_with(ChronicKidneyDisease(egfr=max(egfr - less, 0.0))))
    assert lo[0] <= hi[0] + 1e-12 and lo[1] <= hi[1] + 1e-12


def test_kidney_failure_halves_gh_clearance_with_a_small_renal_share():
    # Haffner 1994: MCR about half in chronic renal failure; renal share 25-53 % -> 4-15 %.
    healthy, _ = clearance(HEALTHY)
    cl, renal = clearance(params_with(ChronicKidneyDisease(egfr=15)))
    assert 0.4 < cl / healthy < 0.6
    assert 0.04 <= renal <= 0.15
    assert clearance(params_with(ChronicKidneyDisease(egfr=110)))[0] == pytest.approx(healthy)
    ckd = params_with(ChronicKidneyDisease(stage="4"))
    assert ckd["igf_binary_off"] < HEALTHY["igf_binary_off"] and ckd["ghr_sensitivity"] < HEALTHY["ghr_sensitivity"]
    # the association rate is left alone: the free-IGF-1 equation stays as stiff as in health
    assert ckd["igf_binary_on"] == HEALTHY["igf_binary_on"]


def test_dialysis_and_stage_map_onto_egfr():
    p = PARAMS.floats()
    assert ChronicKidneyDisease(dialysis=True).effective_egfr(p) == p["ckd_dialysis_egfr"]
    assert ChronicKidneyDisease(stage="3b").effective_egfr(p) == 37.5


@pytest.mark.parametrize("worse, better", [
    (Cirrhosis(child_pugh=12), Cirrhosis(child_pugh=6)),
    (Cirrhosis(meld=30), Cirrhosis(meld=8)),
    (Cirrhosis(child_pugh_class="C"), Cirrhosis(child_pugh_class="A")),
])
def test_cirrhosis_worse_score_means_less_liver(worse, better):
    w, b = params_with(worse), params_with(better)
    assert w["hepatic_capacity"] < b["hepatic_capacity"] < HEALTHY["hepatic_capacity"]
    assert w["ghr_sensitivity"] == b["ghr_sensitivity"] < HEALTHY["ghr_sensitivity"]
    assert w["igf1_synthesis_saturation"] == b["igf1_synthesis_saturation"] > HEALTHY["igf1_synthesis_saturation"]
    assert clearance(w)[0] < clearance(b)[0] < clearance(HEALTHY)[0]
    assert w["gh_renal_fraction"] > HEALTHY["gh_renal_fraction"]  # the kidney's share rises


@given(st.floats(6.0, 40.0), st.floats(6.0, 40.0))
def test_meld_maps_onto_the_child_pugh_scale(a, b):
    lo, hi = sorted((a, b))
    assert Cirrhosis(meld=lo).severity <= Cirrhosis(meld=hi).severity
    assert Cirrhosis(meld=6.0).severity == Cirrhosis(child_pugh=5.0).severity == 0.0
    # Sheikhian 2014: mean MELD 16.7 with mean Child-Pugh 9.4 in the same patients
    assert Cirrhosis(meld=16.67).severity == pytest.approx(Cirrhosis(child_pugh=9.37).severity, abs=0.01)


def test_anorexia_lowers_liver_response_and_raises_ghrelin_with_lower_bmi():
    women = Subject(age=24, sex="female", weight_kg=40)
    severe = params_with(AnorexiaNervosa(13.0), subject=women)
    mild = params_with(AnorexiaNervosa(18.0), subject=women)
    healthy = params_with(subject=women)
    assert severe["ghr_sensitivity"] < mild["ghr_sensitivity"] < healthy["ghr_sensitivity"]
    assert severe["ghs_ambient"] > mild["ghs_ambient"] > healthy["ghs_ambient"]


def test_estrogen_route_decides():
    oral = params_with(Estrogen(20, "oral"), subject=Subject(age=58, sex="female"))
    skin = params_with(Estrogen(100, "transdermal", "estradiol"), subject=Subject(age=58, sex="female"))
    ref = params_with(subject=Subject(age=58, sex="female"))
    assert oral["ghr_sensitivity"] < ref["ghr_sensitivity"] == skin["ghr_sensitivity"]


def test_male_hypogonadism_raises_somatostatin_and_refuses_women():
    assert params_with(MaleHypogonadism(1.0))["srif_basal_release"] > HEALTHY["srif_basal_release"]
    with pytest.raises(InputError, match="subject.sex = 'female' is not allowed"):
        params_with(MaleHypogonadism(1.0), subject=Subject(age=40, sex="female"))


def test_conditions_compose_and_random_effects_still_apply():
    both = params_with(PituitaryDamage(0.5), AcuteIllness(1.0))
    assert both["somatotroph_capacity"] == pytest.approx(0.5 * HEALTHY["somatotroph_capacity"])
    assert both["ghr_sensitivity"] < HEALTHY["ghr_sensitivity"]
    s = dataclasses.replace(BASE, conditions=(PituitaryDamage(0.5),))
    p = subject_parameters([s, s], seed=3)
    assert p["gh_release_max"][0] != p["gh_release_max"][1]


def test_acute_illness_event_cuts_hepatic_factor_only_while_it_lasts():
    ev = AcuteIllnessEvent(start=100.0, end=200.0, severity=1.0)
    t = np.arange(0.0, 300.0, 10.0)
    ch = {"hepatic_factor": np.full(t.size, CHANNELS["hepatic_factor"][0])}
    ev.apply(t, ch, PARAMS.floats())
    on = (t >= 100) & (t <= 200)
    assert np.all(ch["hepatic_factor"][~on] == 1.0)
    assert np.allclose(ch["hepatic_factor"][on], 1.0 - PARAMS["acute_illness_ghr_cut"].value)
    with pytest.raises(InputError, match="acute_illness_event.end"):
        AcuteIllnessEvent(start=5.0, end=1.0)


def test_every_condition_constant_has_provenance():
    names = [k for k, v in PARAMS.items() if v.file == "conditions.toml"]
    assert len(names) >= 15
    for k in names:
        par = PARAMS[k]
        assert par.kind in ("published", "derived", "calibrated", "assumption")
        assert par.source or par.note
        if par.kind == "calibrated":
            assert par.target
