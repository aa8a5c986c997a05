"""Dose units, label limits, regimens and guideline starting doses (no simulation)."""

import math
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from somatosim import InputError, Subject
from somatosim.therapy import (
    Dose,
    DoseWarning,
    Regimen,
    aace_starting_dose,
    check_dose,
    ghd_patient,
    label_maximum,
    paediatric_dose,
    plan_events,
    starting_dose,
)
from somatosim.therapy.products import default_parameters
from somatosim.therapy.regimens import check_plan

P = default_parameters()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0.3 mg/day", Dose(0.3, "mg", "", "day")),
        ("1.5 mg/wk", Dose(1.5, "mg", "", "week")),
        ("0.16 mg/kg/week", Dose(0.16, "mg", "kg", "week")),
        ("1 IU/m2/day", Dose(1.0, "IU", "m2", "day")),
        ("300 µg/day", Dose(300.0, "ug", "", "day")),
        ("2 mg per dose", Dose(2.0, "mg", "", "dose")),
    ],
)
def test_parse(text, expected):
    assert Dose.parse(text) == expected


def test_conversions():
    # 3 IU = 1 mg (WHO IS 98/574); per m2 and per kg use the patient's size
    assert Dose.parse("3 IU/day").amount_mg(70, 1.8, P) == pytest.approx(1.0)
    assert Dose.parse("1 IU/m2/day").amount_mg(70, 1.8, P) == pytest.approx(0.6)
    assert Dose.parse("300 ug/day").amount_mg(70, 1.8, P) == pytest.approx(0.3)
    # a weekly paediatric dose of a daily product is split into 7 injections
    assert Dose.parse("0.21 mg/kg/week").per_injection_mg("somatropin", 20, 0.8) == pytest.approx(0.6)


@given(st.floats(0.001, 50), st.sampled_from(["mg", "ug", "IU"]), st.sampled_from(["", "kg", "m2"]),
       st.sampled_from(["day", "week", "dose"]))
def test_parse_round_trip(value, unit, basis, period):
    d = Dose(value, unit, basis, period)
    assert Dose.parse(str(d)).amount_mg(70, 1.8, P) == pytest.approx(d.amount_mg(70, 1.8, P), rel=1e-5)


@pytest.mark.parametrize(
    "text, words",
    [
        ("0.16 mg/kg", ["ambiguous", "per week"]),
        ("-0.3 mg/day", ["-0.3"]),
        ("0 mg/day", ["> 0"]),
        ("0.3 mg", ["per day"]),
        ("0.3 mL/day", ["'ml'", "mg, ug or IU"]),
        ("0.3 mg/month", ["/month"]),
        ("nan mg/day", ["finite"]),
        ("lots", ["number and a unit"]),
    ],
)
def test_parse_errors_name_field_and_value(text, words):
    with pytest.raises(InputError) as e:
        Dose.parse(text, "regimen.dose")
    msg = str(e.value)
    assert "regimen.dose" in msg or "dose.value" in msg
    for w in words:
        assert w in msg


def test_weekly_product_refuses_daily_dose_and_iu():
    with pytest.raises(InputError, match="once weekly.*per week"):
        Dose.parse("0.2 mg/day").per_injection_mg("somapacitan", 70, 1.8)
    with pytest.raises(InputError, match="IU are defined for somatropin only"):
        Dose.parse("4 IU/week").per_injection_mg("somapacitan", 70, 1.8)


def test_label_maximum_warns_and_absurd_dose_is_refused():
    # adult somatropin maximum 0.016 mg/kg/day: 1.12 mg for 70 kg
    top, text = label_maximum("somatropin", 70, adult=True)
    assert top == pytest.approx(1.12) and "0.016 mg/kg/day" in text
    with pytest.warns(DoseWarning, match="above the label maximum.*IU"):
        check_dose(Dose.parse("1.5 mg/day"), "somatropin", 70, 1.8, adult=True)
    with pytest.raises(InputError, match="times the label maximum.*micrograms"):
        check_dose(Dose.parse("300 mg/day"), "somatropin", 70, 1.8, adult=True)
    # a weekly paediatric figure written per day: the hint says so
    with pytest.warns(DoseWarning, match="per week"):
        check_dose(Dose.parse("0.24 mg/kg/day"), "somatropin", 25, 0.9, adult=False)
    with pytest.warns(DoseWarning, match="below"):
        check_dose(Dose.parse("1 ug/day"), "somatropin", 70, 1.8, adult=True)
    with pytest.warns(DoseWarning, match="children only"):
        check_dose(Dose.parse("10 mg/week"), "somatrogon", 70, 1.8, adult=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_dose(Dose.parse("0.3 mg/day"), "somatropin", 70, 1.8, adult=True) == pytest.approx(0.3)


def test_regimen_injections_missed_and_changes():
    r = Regimen("somatropin", "0.3 mg/day", missed=(1,), changes=((3, "0.4 mg/day"),))
    times = r.injection_times(5)
    assert [t for t, _ in times] == [21 * 60 + d * 1440 for d in (0, 2, 3, 4)]
    assert [str(d) for _, d in times] == ["0.3 mg/day", "0.3 mg/day", "0.4 mg/day", "0.4 mg/day"]
    w = Regimen("Sogroya", "1.5 mg/week", start_day=3, clock_h=9)
    assert w.product == "somapacitan"
    assert [t / 1440 for t, _ in w.injection_times(20)] == pytest.approx([3.375, 10.375, 17.375])


@pytest.mark.parametrize(
    "kw, field",
    [
        ({"product": "insulin"}, "regimen.product"),
        ({"start_day": -1}, "regimen.start_day"),
        ({"clock_h": 25}, "regimen.clock_h"),
        ({"missed": (-1,)}, "regimen.missed"),
        ({"stop_day": 0}, "regimen.stop_day"),
        ({"changes": ((2,),)}, "regimen.changes[0]"),
    ],
)
def test_regimen_errors(kw, field):
    with pytest.raises(InputError, match=field.replace("[", r"\[").replace("]", r"\]")):
        Regimen(**kw)


def test_overlapping_products_are_refused_and_switches_allowed():
    daily = Regimen("somatropin", "0.3 mg/day", stop_day=14)
    with pytest.raises(InputError, match=r"regimens\[1\] \(somapacitan from day 10\) overlaps regimens\[0\]"):
        check_plan([daily, Regimen("somapacitan", "1.5 mg/week", start_day=10)])
    plan = check_plan([daily, Regimen("somapacitan", "1.5 mg/week", start_day=14)])
    events = plan_events(ghd_patient(40), plan, 28)
    assert [e.product for e in events].count("somatropin") == 14
    assert [e.product for e in events].count("somapacitan") == 2


def test_guideline_starting_doses():
    assert aace_starting_dose(25).value == pytest.approx(0.45)
    assert aace_starting_dose(45).value == pytest.approx(0.25)
    assert aace_starting_dose(70).value == pytest.approx(0.15)
    assert aace_starting_dose(45, diabetes=True).value == pytest.approx(0.15)
    assert aace_starting_dose(45, oral_estrogen=True).value == pytest.approx(0.30)
    assert str(starting_dose(ghd_patient(45, "female", oral_estrogen=True))) == "0.3 mg/day"
    assert str(starting_dose(ghd_patient(45), "somapacitan")) == "1.5 mg/week"
    assert str(starting_dose(ghd_patient(70), "somapacitan")) == "1 mg/week"
    assert str(paediatric_dose("somatrogon")) == "0.66 mg/kg/week"
    assert str(starting_dose(Subject(age=8, height_cm=125, weight_kg=25), "lonapegsomatropin")) == "0.24 mg/kg/week"
    with pytest.raises(InputError, match="age"):
        aace_starting_dose(12)


def test_ghd_patient_conditions():
    p = ghd_patient(40, "female", oral_estrogen=True)
    assert {c.name for c in p.conditions} == {"pituitary_damage", "estrogen"}
    with pytest.raises(InputError, match="oral_estrogen.*female"):
        ghd_patient(40, "male", oral_estrogen=True)
    assert not math.isnan(P["rx_ghd_severity"])


@given(st.floats(0.5, 1.0), st.sampled_from(["male", "female"]))
def test_childhood_onset_lowers_only_the_livers_response(severity, sex):
    """Same somatotroph loss either way; childhood onset also scales the hepatic GH-receptor signal."""
    from somatosim.subject import typical_parameters

    adult = typical_parameters(ghd_patient(30, sex, severity=severity))
    child = typical_parameters(ghd_patient(30, sex, severity=severity, onset="childhood"))
    assert child["somatotroph_capacity"] == pytest.approx(adult["somatotroph_capacity"], rel=1e-12)
    assert child["ghr_sensitivity"] == pytest.approx(
        adult["ghr_sensitivity"] * adult["childhood_onset_ghr_sensitivity"], rel=1e-12)
    assert child["ghr_sensitivity"] < adult["ghr_sensitivity"]


def test_ghd_patient_onset_is_checked():
    assert {c.name for c in ghd_patient(30, onset="childhood").conditions} == {"childhood_onset_ghd"}
    with pytest.raises(InputError, match="onset = 'infancy'.*'adult', 'childhood'"):
        ghd_patient(30, onset="infancy")
