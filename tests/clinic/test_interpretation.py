"""Interpretation engine: worked interpretations, guideline logic and bad input."""

from __future__ import annotations

import json
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from somatosim.clinic.errors import ClinicInputError, UnitWarning
from somatosim.clinic.igf1 import igf1_sds, igf1_value_at_sds
from somatosim.clinic.interpretation import (
    IGF1_BANDS,
    STANDING_STATEMENT,
    LabInput,
    LabInputError,
    StimulationResult,
    interpret,
    lab_input_from_dict,
    load_lab_input,
    with_stimulation,
)
from somatosim.clinic.knowledge import STIMULATION_TESTS, load_knowledge


def person(age=45.0, sex="male", sds=None, value=None, **extra):
    """A person dict; IGF-1 given directly or at an SDS for age and sex."""
    if value is None:
        value = float(igf1_value_at_sds(-1.0 if sds is None else sds, age, sex))
    return {"age": age, "sex": sex, "igf1": {"value": value}, **extra}


def stim(test, peak, **kw):
    return {"test": test, "peak_gh": peak, **kw}


def finding(interp, test):
    return next(s for s in interp.stimulation if s.test == test)


def option(interp, test):
    return next(o for o in interp.testing.options if o.test == test)


# ------------------------------------------------------------------ worked interpretations


def test_three_other_deficits_and_low_igf1_diagnose_ghd_without_testing():
    i = interpret(person(sds=-3.0, history={"hypothalamic_pituitary_disease": True,
                                            "other_pituitary_deficits": 3}))
    assert i.igf1.sds == pytest.approx(-3.0, abs=1e-6)
    assert i.igf1.band == "low"
    assert i.testing.status == "diagnosis_without_test"
    assert i.testing.tests_required == 0
    assert "es2011" in i.testing.summary.sources
    assert i.pattern.code == "gh_deficiency"


def test_three_deficits_with_normal_igf1_still_need_one_test():
    i = interpret(person(sds=-0.5, history={"other_pituitary_deficits": 3}))
    assert i.testing.status == "one_test"
    assert any("not met" in r.text for r in i.testing.reasons)


def test_one_test_when_two_or_fewer_deficits():
    i = interpret(person(sds=-2.5, history={"pituitary_surgery": True,
                                            "other_pituitary_deficits": 2}))
    assert i.testing.status == "one_test" and i.testing.tests_required == 1
    assert any("low IGF-1 alone is not sufficient" in r.text for r in i.testing.reasons)
    assert i.pattern.code == "low_igf1_unclassified"


def test_no_suspicion_means_no_testing_and_lists_unstated_history():
    i = interpret(person(sds=-1.0))
    assert i.testing.status == "not_indicated"
    assert any("History not stated" in r.text for r in i.testing.reasons)
    assert i.pattern.code == "normal"
    assert i.causes == ()


@pytest.mark.parametrize(("peak", "result"), [(2.0, "above_cutoff"), (0.8, "below_cutoff")])
def test_glucagon_in_obesity_uses_the_aace_cutoff_of_1(peak, result):
    # BMI 32: AACE 2019 cut-off 1 µg/L (BMI > 30); a peak of 2.0 is therefore normal.
    i = interpret(person(bmi=32.0, history={"pituitary_surgery": True},
                         stimulation=[stim("glucagon", peak)]))
    f = finding(i, "glucagon")
    assert f.cutoff.value == 1.0 and "aace2019" in f.cutoff.sources
    assert f.result == result
    assert i.pattern.code == ("gh_deficiency" if result == "below_cutoff" else "normal")


@pytest.mark.parametrize(("bmi", "cutoff"), [(22.0, 3.0), (24.99, 3.0), (30.0, 3.0), (30.01, 1.0)])
def test_glucagon_cutoff_by_bmi_with_high_pretest_probability(bmi, cutoff):
    i = interpret(person(bmi=bmi, history={"pituitary_surgery": True},
                         stimulation=[stim("glucagon", 2.0)]))
    assert finding(i, "glucagon").cutoff.value == cutoff


def test_glucagon_bmi_25_to_30_depends_on_pretest_probability():
    high = interpret(person(bmi=27.0, history={"cranial_irradiation": True},
                            stimulation=[stim("glucagon", 2.0)]))
    low = interpret(person(bmi=27.0, history={"traumatic_brain_injury": True},
                           stimulation=[stim("glucagon", 2.0)]))
    assert finding(high, "glucagon").cutoff.value == 3.0
    assert finding(high, "glucagon").result == "below_cutoff"
    assert finding(low, "glucagon").cutoff.value == 1.0
    assert finding(low, "glucagon").result == "above_cutoff"
    forced = interpret(person(bmi=27.0, history={"cranial_irradiation": True,
                                                 "pretest_probability": "low"},
                              stimulation=[stim("glucagon", 2.0)]))
    assert finding(forced, "glucagon").cutoff.value == 1.0


def test_cirrhosis_like_labs_with_low_igf1_and_high_gh_peak_give_resistance_with_liver():
    i = interpret(person(
        age=56, sds=-2.6, bmi=23.0,
        history={"liver_disease": True, "inflammatory_disease": False},
        stimulation=[stim("insulin_tolerance", 14.0, glucose_nadir=1.8)],
        labs={"alt_u_per_l": 85, "albumin_g_per_l": 29, "bilirubin_umol_per_l": 40,
              "egfr_ml_per_min_1_73m2": 95, "tsh_mu_per_l": 2.0, "crp_mg_per_l": 3},
    ))
    f = finding(i, "insulin_tolerance")
    assert f.result == "above_cutoff" and f.hypoglycaemia_adequate is True
    assert i.pattern.code == "gh_resistance"
    causes = {c.key: c for c in i.causes}
    assert i.causes[0].key == "liver" and causes["liver"].status == "supported"
    assert "ALT high" in causes["liver"].evidence
    assert "assy1998" in causes["liver"].association.sources
    assert causes["kidney"].status == "partly_assessed"  # eGFR normal, creatinine not given
    assert causes["inflammation"].status == "not_supported"
    assert causes["hypothyroidism"].status == "partly_assessed"
    assert causes["gh_receptor"].status == "not_assessed"
    assert all(c.separating_tests for c in i.causes)
    assert {"liver", "kidney", "undernutrition", "oral_estrogen", "hypothyroidism",
            "inflammation", "gh_receptor"} == set(causes)


def test_oral_estrogen_named_for_low_igf1_with_normal_peak():
    i = interpret(person(age=35, sex="female", sds=-2.3, bmi=22,
                         history={"oral_estrogen": True},
                         stimulation=[stim("macimorelin", 9.0)]))
    assert i.pattern.code == "gh_resistance"
    assert i.causes[0].key == "oral_estrogen"
    assert "weissberger1991" in i.causes[0].association.sources


def test_ghrh_arginine_bmi_cutoffs_and_irradiation_caveat():
    i = interpret(person(height_cm=180, weight_kg=70, history={"cranial_irradiation": True},
                         stimulation=[stim("ghrh_arginine", 10.5)]))
    assert option(i, "ghrh_arginine").suitability == "not_recommended"
    f = finding(i, "ghrh_arginine")
    assert f.cutoff.value == 11.0 and f.cutoff.comparison == "<="
    assert f.result == "below_cutoff"
    assert any("false-normal" in n.text.lower() for n in f.notes)
    obese = interpret(person(bmi=31, stimulation=[stim("ghrh_arginine", 4.0)]))
    assert finding(obese, "ghrh_arginine").cutoff.value == 4.0
    assert finding(obese, "ghrh_arginine").result == "below_cutoff"  # GHD if peak <= 4


def test_itt_hypoglycaemia_check():
    base = {"history": {"pituitary_surgery": True}}
    bad = interpret(person(**base, stimulation=[stim("insulin_tolerance", 1.5,
                                                     glucose_nadir=2.8)]))
    f = finding(bad, "insulin_tolerance")
    assert f.hypoglycaemia_adequate is False and f.result == "not_interpretable"
    assert bad.pattern.code == "indeterminate"
    mg = interpret(person(**base, stimulation=[stim("insulin_tolerance", 1.5, glucose_nadir=35,
                                                    glucose_unit="mg/dL")]))
    f = finding(mg, "insulin_tolerance")
    assert f.hypoglycaemia_adequate is True and f.result == "below_cutoff"
    unknown = interpret(person(**base, stimulation=[stim("insulin_tolerance", 1.5)]))
    f = finding(unknown, "insulin_tolerance")
    assert f.hypoglycaemia_adequate is None and "not documented" in f.summary.text
    normal = interpret(person(**base, stimulation=[stim("insulin_tolerance", 9.0,
                                                        glucose_nadir=3.0)]))
    assert finding(normal, "insulin_tolerance").result == "above_cutoff"


def test_itt_grey_zone_between_3_and_5():
    i = interpret(person(stimulation=[stim("insulin_tolerance", 4.0, glucose_nadir=1.9)]))
    f = finding(i, "insulin_tolerance")
    assert f.result == "grey_zone"
    assert {"grs2007", "es2011"} <= set(f.cutoff.sources)


@pytest.mark.parametrize("history", [{"seizure_disorder": True},
                                     {"cardiovascular_disease": True}])
def test_itt_contraindications(history):
    i = interpret(person(history={"pituitary_surgery": True, **history}))
    assert option(i, "insulin_tolerance").suitability == "not_recommended"


def test_itt_in_the_elderly_and_unstated_contraindications():
    old = interpret(person(age=70, history={"seizure_disorder": False,
                                            "cardiovascular_disease": False}))
    assert option(old, "insulin_tolerance").suitability == "not_recommended"
    assert "somatosim" in option(old, "insulin_tolerance").reasons[0].sources
    young = interpret(person(age=40))
    assert option(young, "insulin_tolerance").suitability == "caution"
    ok = interpret(person(age=40, history={"seizure_disorder": False,
                                           "cardiovascular_disease": False}))
    assert option(ok, "insulin_tolerance").suitability == "suitable"


def test_itt_insulin_dose_note_with_diabetes_or_high_hba1c():
    i = interpret(person(labs={"hba1c_percent": 7.4}))
    assert any("0.3 U/kg" in r.text and "HbA1c 7.4" in r.text
               for r in option(i, "insulin_tolerance").reasons)
    plain = interpret(person(labs={"hba1c_percent": 5.2}))
    assert not any("0.3 U/kg" in r.text for r in option(plain, "insulin_tolerance").reasons)


def test_macimorelin_label_cutoff_and_bmi_limit():
    i = interpret(person(bmi=38, stimulation=[stim("macimorelin", 2.5)]))
    assert option(i, "macimorelin").suitability == "caution"
    f = finding(i, "macimorelin")
    assert f.cutoff.value == 2.8 and "garcia2018" in f.cutoff.sources
    assert f.result == "below_cutoff"
    assert any(c.value == 5.1 for c in f.other_cutoffs)


def test_arginine_and_clonidine_not_recommended_in_adults():
    i = interpret(person(history={"pituitary_surgery": True},
                         stimulation=[stim("clonidine", 1.0)]))
    assert option(i, "arginine").suitability == "not_recommended"
    assert option(i, "clonidine").suitability == "not_recommended"
    assert finding(i, "clonidine").result == "no_cutoff"
    assert i.pattern.code == "indeterminate"


def test_bmi_unknown_is_still_decisive_beyond_all_bmi_cutoffs():
    low = interpret(person(stimulation=[stim("glucagon", 0.5)]))
    assert finding(low, "glucagon").result == "below_cutoff"
    high = interpret(person(stimulation=[stim("glucagon", 6.0)]))
    assert finding(high, "glucagon").result == "above_cutoff"
    mid = interpret(person(stimulation=[stim("glucagon", 2.0)]))
    assert finding(mid, "glucagon").result == "no_cutoff"
    assert "BMI" in finding(mid, "glucagon").summary.text


def test_gh_in_mu_per_l_is_converted():
    i = interpret(person(bmi=22, stimulation=[stim("glucagon", 6.0, gh_unit="mU/L")]))
    f = finding(i, "glucagon")
    assert f.peak_gh == pytest.approx(2.0)
    assert f.result == "below_cutoff"


def test_childhood_onset_retest_and_irreversible_cause():
    retest = interpret(person(age=19, history={"childhood_onset_ghd": True},
                              stimulation=[stim("ghrh_arginine", 15.0)], bmi=22))
    assert retest.testing.status == "retest"
    f = finding(retest, "ghrh_arginine")
    assert any(c.value == 19.0 for c in f.other_cutoffs)  # transition cut-off shown
    assert any("160" in n.text for n in retest.igf1.notes)
    none = interpret(person(age=19, history={"childhood_onset_ghd": True,
                                             "irreversible_cause": True}))
    assert none.testing.status == "no_retest"


# --------------------------------------------------------------------------- children


def child(age=8.0, sex="male", sds=-2.4, **extra):
    return person(age=age, sex=sex, sds=sds, **extra)


def test_child_two_different_failed_stimuli_give_ghd_pattern():
    i = interpret(child(growth={"height_sds": -3.2},
                        stimulation=[stim("clonidine", 4.0), stim("arginine", 5.5)]))
    assert i.population == "child"
    assert i.testing.status == "two_tests" and i.testing.tests_required == 2
    assert all(f.cutoff.value == 10.0 for f in i.stimulation)
    assert i.pattern.code == "gh_deficiency"
    met = {c.key for c in i.checklist if c.status == "met"}
    assert "severe_short_stature" in met


def test_child_one_failed_stimulus_is_only_possible_ghd():
    i = interpret(child(growth={"height_sds": -2.5, "height_velocity_sds": -1.5},
                        stimulation=[stim("clonidine", 4.0)]))
    assert i.pattern.code == "possible_gh_deficiency"
    i2 = interpret(child(stimulation=[stim("clonidine", 4.0), stim("clonidine", 5.0)]))
    assert i2.pattern.code == "possible_gh_deficiency"  # the same stimulus twice


def test_child_diagnosis_without_testing():
    i = interpret(child(growth={"height_sds": -3.5},
                        history={"hypothalamic_pituitary_disease": True,
                                 "other_pituitary_deficits": 1}))
    assert i.testing.status == "diagnosis_without_test"
    assert "pes2016" in i.testing.summary.sources


def test_child_paediatric_cutoff_is_a_parameter():
    data = child(stimulation=[stim("glucagon", 7.0), stim("arginine", 7.5)])
    assert interpret(data).pattern.code == "gh_deficiency"
    uk = interpret(data, paediatric_cutoff=6.7)
    assert uk.pattern.code == "normal" or uk.pattern.code == "gh_resistance"
    assert all(f.result == "above_cutoff" for f in uk.stimulation)
    with pytest.raises(ClinicInputError, match="paediatric_cutoff"):
        interpret(data, paediatric_cutoff=50)


def test_child_priming_note_and_no_macimorelin_cutoff():
    i = interpret(child(age=12.5, pubertal_stage=1, growth={"height_sds": -2.6,
                                                            "height_velocity_sds": -1.2},
                        stimulation=[stim("clonidine", 6.0), stim("macimorelin", 2.0)]))
    assert any("priming" in r.text for r in i.testing.reasons)
    assert any("constitutional delay" in n.text for n in finding(i, "clonidine").notes)
    assert finding(i, "macimorelin").result == "no_cutoff"
    primed = interpret(child(age=12.5, pubertal_stage=1,
                             stimulation=[stim("clonidine", 6.0, sex_steroid_primed=True)]))
    assert not any("constitutional" in n.text for n in finding(primed, "clonidine").notes)


def test_child_without_auxology_is_not_indicated_and_says_what_is_missing():
    i = interpret(child(sds=-0.5))
    assert i.testing.status == "not_indicated"
    assert any("height_sds" in r.text for r in i.testing.reasons)
    assert i.associations == ()


# ---------------------------------------------------------------- sources and structure


def test_every_statement_is_sourced_from_the_knowledge_file_and_json_round_trips():
    i = interpret(person(bmi=31, history={"pituitary_surgery": True, "oral_estrogen": True},
                         stimulation=[stim("glucagon", 0.5), stim("ghrh_arginine", 20)],
                         labs={"crp_mg_per_l": 20, "ldl_mmol_per_l": 4.0}))
    know = load_knowledge()
    keys = {s.key for s in i.sources}
    assert keys <= set(know.sources)
    d = json.loads(json.dumps(i.as_dict()))
    assert d["statement"] == STANDING_STATEMENT == "For research and teaching only; not medical advice."
    assert d["pattern"]["code"] == "indeterminate"  # discordant tests
    text = json.dumps(d)
    for key in ("aace2019", "corneli2005", "bidlingmaier2014"):
        assert key in keys
    assert "Maison" in text  # adult associations carry their sources
    assert {c["key"] for c in d["checklist"]} >= {"quality_of_life", "lipids", "bone"}


def test_knowledge_file_covers_every_test_and_marks_assumptions():
    know = load_knowledge()
    assert set(know.tests) == set(STIMULATION_TESTS)
    assert know.sources["somatosim"].confidence == "A"
    assert know.thresholds["itt_elderly_age"].kind == "assumption"
    for c in know.cutoffs:
        assert all(s in know.sources for s in c.sources)


def test_with_stimulation_hook_accepts_peaks_from_anywhere():
    lab = lab_input_from_dict(person(bmi=22, history={"pituitary_surgery": True}))
    sim = StimulationResult(test="glucagon", peak_gh=0.9, origin="simulated (seed 3)")
    i = interpret(with_stimulation(lab, [sim, {"test": "macimorelin", "peak_gh": 1.0}]))
    assert [f.origin for f in i.stimulation] == ["simulated (seed 3)", "measured"]
    assert any("not measured" in n.text for n in i.notes)
    assert i.pattern.code == "gh_deficiency"


@given(
    age=st.floats(0.0, 94.0),
    sex=st.sampled_from(["male", "female"]),
    sds=st.floats(-4.0, 4.0),
    bmi=st.one_of(st.none(), st.floats(10.0, 80.0)),
    peaks=st.lists(st.tuples(st.sampled_from(STIMULATION_TESTS), st.floats(0.0, 60.0)),
                   max_size=3),
)
def test_any_valid_person_gets_a_consistent_interpretation(age, sex, sds, bmi, peaks):
    value = float(igf1_value_at_sds(sds, age, sex))
    data = person(age=age, sex=sex, value=value,
                  stimulation=[stim(t, p) for t, p in peaks])
    if bmi is not None:
        data["bmi"] = bmi
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnitWarning)
        i = interpret(data)
    lo, hi, _ = IGF1_BANDS[i.igf1.band]
    assert lo <= i.igf1.sds <= hi
    assert i.pattern.code in {"gh_deficiency", "possible_gh_deficiency", "gh_resistance",
                              "low_igf1_unclassified", "indeterminate", "high_igf1", "normal"}
    assert len(i.stimulation) == len(peaks)
    assert i.statement == STANDING_STATEMENT
    json.dumps(i.as_dict())


@given(bmi=st.floats(10.0, 80.0), peak=st.floats(0.0, 10.0), high=st.booleans())
def test_glucagon_reading_matches_aace_2019(bmi, peak, high):
    hist = {"pituitary_surgery": True} if high else {"traumatic_brain_injury": True}
    i = interpret(person(bmi=bmi, history=hist, stimulation=[stim("glucagon", peak)]))
    expected = 3.0 if bmi < 25 or (bmi <= 30 and high) else 1.0
    f = i.stimulation[0]
    assert f.cutoff.value == expected
    assert (f.result == "below_cutoff") == (peak < expected)


# ------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("value", [0, -5.0])
def test_igf1_not_positive_is_an_error(value):
    with pytest.raises(LabInputError, match=r"igf1\.value = .* is not allowed.*> 0") as e:
        interpret(person(value=value))
    assert e.value.field == "igf1.value"
    assert isinstance(e.value, ClinicInputError) and isinstance(e.value, ValueError)


def test_nmol_value_given_as_150_warns_likely_ng_per_ml():
    with pytest.warns(UnitWarning, match="probably in ng/mL") as rec:
        i = interpret({"age": 45, "sex": "male", "igf1": {"value": 150, "unit": "nmol/L"}})
    assert rec[0].message.likely_unit == "ng/mL"
    assert any("probably in ng/mL" in w for w in i.warnings)


def test_ng_value_given_as_15_warns_likely_nmol_per_l():
    with pytest.warns(UnitWarning, match="probably in nmol/L"):
        interpret({"age": 45, "sex": "male", "igf1": {"value": 15}})
    assert igf1_sds(15, 45, "male", check_unit=False) < -4


def test_glucose_in_the_wrong_unit_warns():
    with pytest.warns(UnitWarning, match="probably in mg/dL"):
        interpret(person(stimulation=[stim("insulin_tolerance", 8, glucose_nadir=38)]))


@pytest.mark.parametrize(("data", "field", "allowed"), [
    ({"age": 120}, "age", "0 to 94 years"),
    ({"age": 95}, "age", "0 to 94 years"),
    ({"bmi": 8}, "bmi", "[10, 80]"),
    ({"bmi": 85}, "bmi", "[10, 80]"),
    ({"height_cm": 150, "weight_kg": 250}, "weight_kg", "possible BMI"),
    ({"height_cm": 170, "weight_kg": 70, "bmi": 30}, "bmi", "within 1 kg/m²"),
    ({"height_cm": 170}, "weight_kg", "needed with height_cm"),
    ({"sex": "x"}, "sex", "'male', 'female'"),
    ({"history": {"other_pituitary_deficits": 4}}, "history.other_pituitary_deficits",
     "whole number in [0, 3]"),
    ({"history": {"pituitary_surgery": "yes"}}, "history.pituitary_surgery", "true or false"),
    ({"stimulation": [{"test": "ITTx", "peak_gh": 3}]}, "stimulation[0].test",
     "insulin_tolerance"),
    ({"stimulation": [{"test": "glucagon", "peak_gh": -1}]}, "stimulation[0].peak_gh",
     "[0, 600]"),
    ({"pubertal_stage": 2.5}, "pubertal_stage", "whole number"),
])
def test_bad_values_name_field_value_and_allowed(data, field, allowed):
    base = person()
    base.update(data)
    with pytest.raises(LabInputError) as e:
        interpret(base)
    msg = str(e.value)
    assert field in e.value.fields
    assert allowed in msg
    assert "not allowed" in msg or "missing" in msg or "needed" in msg


def test_unknown_keys_in_a_file_name_file_field_and_value(tmp_path):
    f = tmp_path / "person.toml"
    f.write_text('age = 45\nsex = "male"\n[igf1]\nvaleu = 80\n[labs]\nalt = 30\n',
                 encoding="utf-8")
    with pytest.raises(LabInputError) as e:
        load_lab_input(f)
    msg = str(e.value)
    assert str(f) in msg
    assert "igf1.valeu = 80 is not allowed: unknown key (did you mean 'value'?)" in msg
    assert "labs.alt = 30 is not allowed: unknown key (did you mean 'alt_u_per_l'?)" in msg
    assert e.value.fields[0] == "igf1.valeu"  # unknown keys first
    assert "igf1.value is missing" in msg


def test_unreadable_and_invalid_toml(tmp_path):
    with pytest.raises(LabInputError, match="cannot be read"):
        load_lab_input(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("age = = 3\n", encoding="utf-8")
    with pytest.raises(LabInputError, match="not valid TOML"):
        load_lab_input(bad)


def test_valid_file_loads(tmp_path):
    f = tmp_path / "p.toml"
    f.write_text(
        'age = 52\nsex = "M"\nheight_cm = 178\nweight_kg = 101\n'
        '[igf1]\nvalue = 7.8\nunit = "nmol/L"\n'
        '[history]\npituitary_surgery = true\nother_pituitary_deficits = 1\n'
        '[[stimulation]]\ntest = "itt"\npeak_gh = 1.2\nglucose_nadir = 1.9\n',
        encoding="utf-8")
    lab = load_lab_input(f)
    assert isinstance(lab, LabInput) and lab.sex == "male"
    assert lab.stimulation[0].test == "insulin_tolerance"
    assert lab.bmi_value == pytest.approx(101 / 1.78**2)
    i = interpret(lab)
    assert i.igf1.unit == "nmol/L" and i.pattern.code == "gh_deficiency"
