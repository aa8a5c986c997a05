"""IGF-1 SDS, centiles, reference ranges and input checks (somatosim.clinic.igf1)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from clinic_tables import WORKED_EXAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from somatosim.clinic.errors import ClinicInputError, UnitWarning
from somatosim.clinic.igf1 import (
    BAND_ABOVE,
    BAND_BELOW,
    BAND_WITHIN,
    VALIDATION_AGES_YEARS,
    convert_igf1,
    igf1_assess,
    igf1_band,
    igf1_centile,
    igf1_reference_grid,
    igf1_reference_range,
    igf1_sds,
    igf1_value_at_centile,
    igf1_value_at_sds,
)
from somatosim.clinic.reference import get_reference
from somatosim.units import IGF1_NG_PER_ML_PER_NMOL_PER_L

ages = st.floats(0.0, 94.0)
sexes = st.sampled_from(["male", "female"])


# --------------------------------------------------------------------- worked examples (§1.3)


@pytest.mark.parametrize("ex", WORKED_EXAMPLES, ids=lambda e: f"{e[0]}-{e[1]}y-{e[2]}")
def test_worked_examples_section_1_3(ex):
    sex, age, value, L, M, S, sds = ex
    p = get_reference("bidlingmaier2014").parameters(age, sex)
    assert round(float(p["L"]), 4) == L
    assert round(float(p["M"]), 2) == M
    assert round(float(p["S"]), 4) == S
    assert round(igf1_sds(value, age, sex), 2) == sds


def test_worked_examples_vectorised():
    sex, age, value = (np.array([e[i] for e in WORKED_EXAMPLES]) for i in range(3))
    got = igf1_sds(value, age, sex)
    assert isinstance(got, np.ndarray) and got.shape == (5,)
    np.testing.assert_array_equal(np.round(got, 2), [e[6] for e in WORKED_EXAMPLES])


def test_scalar_in_scalar_out():
    assert isinstance(igf1_sds(100, 45, "male"), float)
    assert isinstance(igf1_centile(100, 45, "male"), float)
    assert isinstance(igf1_band(0.3), str)


def test_broadcasting_age_grid_against_one_sex():
    z = igf1_sds(150.0, np.array([[10, 20], [30, 40]]), "f")
    assert z.shape == (2, 2)
    assert z[0, 0] == pytest.approx(igf1_sds(150, 10, "female"))


# --------------------------------------------------------------------- reference ranges


def test_reference_range_matches_inverse_at_1_96():
    r = igf1_reference_range(45, "male")
    assert r.median == pytest.approx(131.722)
    assert igf1_sds(r.lower, 45, "male") == pytest.approx(-1.959964, abs=1e-6)
    assert igf1_sds(r.upper, 45, "male") == pytest.approx(1.959964, abs=1e-6)
    assert r.unit == "ng/mL" and r.reference == "bidlingmaier2014"
    assert (r.lower_centile, r.upper_centile) == (2.5, 97.5)


def test_reference_range_in_nmol_per_l():
    ng = igf1_reference_range(25, "female")
    nmol = igf1_reference_range(25, "female", unit="nmol/L")
    assert nmol.unit == "nmol/L"
    for a, b in ((ng.lower, nmol.lower), (ng.median, nmol.median), (ng.upper, nmol.upper)):
        assert b == pytest.approx(a / IGF1_NG_PER_ML_PER_NMOL_PER_L)


def test_validation_grid_for_harness():
    df = igf1_reference_grid()
    assert list(df["age_years"].unique()) == list(VALIDATION_AGES_YEARS)
    assert set(df["sex"]) == {"male", "female"} and len(df) == 12
    assert (df["lower"] < df["median"]).all() and (df["median"] < df["upper"]).all()
    row = df[(df.sex == "male") & (df.age_years == 15)].iloc[0]
    assert (round(row["lower"]), round(row["median"], 2), round(row["upper"])) == (152, 318.77, 554)
    # same numbers from the vectorised range call
    r = igf1_reference_range(list(VALIDATION_AGES_YEARS), "female")
    np.testing.assert_allclose(df[df.sex == "female"]["median"], r.median)


def test_custom_coverage_and_bad_coverage():
    r = igf1_reference_range(40, "male", lower_centile=5, upper_centile=95)
    assert igf1_centile(r.upper, 40, "male") == pytest.approx(95)
    with pytest.raises(ClinicInputError, match="lower_centile"):
        igf1_reference_range(40, "male", lower_centile=60)
    with pytest.raises(ClinicInputError, match="upper_centile"):
        igf1_reference_range(40, "male", upper_centile=100)


def test_value_at_centile_50_is_median_and_bounds():
    assert igf1_value_at_centile(50, 10, "female") == pytest.approx(206.57)
    for c in (0, 100, -1, 150):
        with pytest.raises(ClinicInputError, match="centile"):
            igf1_value_at_centile(c, 10, "female")


# --------------------------------------------------------------------- properties


@settings(max_examples=200)
@given(z=st.floats(-4.0, 4.0), age=ages, sex=sexes, unit=st.sampled_from(["ng/mL", "nmol/L"]))
def test_sds_value_sds_round_trip(z, age, sex, unit):
    x = igf1_value_at_sds(z, age, sex, unit=unit)
    assert x > 0
    assert igf1_sds(x, age, sex, unit=unit, check_unit=False) == pytest.approx(z, abs=1e-9)


@settings(max_examples=100)
@given(
    x=st.lists(
        st.floats(1.0, 2000.0).map(lambda v: round(v, 3)), min_size=2, max_size=20, unique=True
    ),
    age=ages,
    sex=sexes,
)
def test_sds_and_centile_strictly_increasing_in_value(x, age, sex):
    x = np.sort(np.array(x))
    z = igf1_sds(x, age, sex, check_unit=False)
    c = igf1_centile(x, age, sex, check_unit=False)
    assert np.all(np.diff(z) > 0)
    assert np.all(np.diff(c) >= 0) and np.all((c >= 0) & (c <= 100))


@settings(max_examples=200)
@given(x_nmol=st.floats(0.5, 150.0), age=ages, sex=sexes)
def test_unit_conversion_invariance(x_nmol, age, sex):
    x_ng = x_nmol * IGF1_NG_PER_ML_PER_NMOL_PER_L
    z_nmol = igf1_sds(x_nmol, age, sex, unit="nmol/L", check_unit=False)
    assert z_nmol == pytest.approx(igf1_sds(x_ng, age, sex, unit="ng/mL", check_unit=False))
    assert z_nmol == pytest.approx(igf1_sds(x_ng, age, sex, unit="µg/L", check_unit=False))
    assert convert_igf1(convert_igf1(x_nmol, "nmol/L", "ng/mL"), "ng/mL", "nmol/L") == (
        pytest.approx(x_nmol)
    )


@settings(max_examples=50)
@given(age=ages, sex=sexes)
def test_reference_range_ordered(age, sex):
    r = igf1_reference_range(age, sex)
    assert 0 < r.lower < r.median < r.upper


# --------------------------------------------------------------------- bands


def test_band_boundaries():
    assert igf1_band(-2.01) == BAND_BELOW
    assert igf1_band(-2.0) == BAND_WITHIN
    assert igf1_band(2.0) == BAND_WITHIN
    assert igf1_band(2.01) == BAND_ABOVE
    assert list(igf1_band([-3, 0, 3])) == [BAND_BELOW, BAND_WITHIN, BAND_ABOVE]


# --------------------------------------------------------------------- bad input


@pytest.mark.parametrize("value", [0, -5, [100, 0]])
def test_non_positive_value(value):
    with pytest.raises(ClinicInputError, match=r"value=.*> 0 ng/mL") as e:
        igf1_sds(value, 40, "male")
    assert e.value.field == "value" and isinstance(e.value, ValueError)


@pytest.mark.parametrize(
    ("kwargs", "field", "pattern"),
    [
        ({"value": "abc"}, "value", "value='abc': allowed a number"),
        ({"value": [100, "x"]}, "value", "value='x'"),
        ({"value": float("nan")}, "value", "finite"),
        ({"value": True}, "value", "boolean"),
        ({"age": "forty"}, "age", "age='forty'"),
        ({"age": 95}, "age", r"age=95\.0: allowed 0 to 94 years"),
        ({"age": -0.1}, "age", "age=-0.1"),
        ({"age": float("inf")}, "age", "finite"),
        ({"sex": "x"}, "sex", "sex='x': allowed one of 'male'"),
        ({"sex": ["male", "other"]}, "sex", "sex='other'"),
        ({"sex": None}, "sex", "sex=None"),
        ({"unit": "mg/dL"}, "unit", "unit='mg/dL': allowed 'ng/mL'"),
        ({"reference": "isojima2012"}, "reference", "reference='isojima2012'"),
    ],
)
def test_bad_input_names_field_value_and_allowed(kwargs, field, pattern):
    args = {"value": 100, "age": 40, "sex": "male", **kwargs}
    with pytest.raises(ClinicInputError, match=pattern) as e:
        igf1_sds(**args)
    assert e.value.field == field
    assert "allowed" in str(e.value)


def test_sex_aliases():
    z = igf1_sds(100, 40, ["male", "M", " f ", "Female"])
    assert z[0] == z[1] and z[2] == z[3] and z[0] != z[2]


# --------------------------------------------------------------------- unit warnings


@pytest.mark.parametrize(
    ("value", "unit", "age", "sex", "likely"),
    [
        (20, "ng/mL", 45, "male", "nmol/L"),  # 20 nmol/L = 153 ng/mL, normal adult
        (300, "nmol/L", 45, "male", "ng/mL"),
        (25, "ng/mL", 30, "female", "nmol/L"),
    ],
)
def test_unit_warning_names_likely_unit(value, unit, age, sex, likely):
    with pytest.warns(UnitWarning, match=f"probably in {likely}") as rec:
        igf1_sds(value, age, sex, unit=unit)
    assert rec[0].message.likely_unit == likely


@pytest.mark.parametrize(
    ("value", "unit", "age", "sex"),
    [
        (100, "ng/mL", 45, "male"),
        (13, "nmol/L", 45, "male"),
        (10, "ng/mL", 2, "female"),  # low but plausible in a toddler with GHD
        (1000, "ng/mL", 45, "male"),  # acromegaly: +12 SDS, and worse in nmol/L
    ],
)
def test_no_unit_warning_for_plausible_values(value, unit, age, sex):
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnitWarning)
        igf1_sds(value, age, sex, unit=unit)


def test_unit_warning_can_be_disabled_and_summarises_arrays():
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnitWarning)
        igf1_sds(20, 45, "male", check_unit=False)
    with pytest.warns(UnitWarning, match="2 values affected"):
        igf1_sds([20, 100, 22], 45, "male")


# --------------------------------------------------------------------- one-person summary


def test_assess_collects_everything():
    a = igf1_assess(100, 45, "m")
    assert round(a.sds, 2) == -0.95 and a.sex == "male" and a.band == BAND_WITHIN
    assert a.centile == pytest.approx(100 * 0.16985, abs=1e-3)
    assert a.value_nmol_per_l == pytest.approx(100 / 7.65)
    assert a.reference["name"] == "bidlingmaier2014" and a.warnings == ()
    d = a.as_dict()
    assert d["reference_range"]["median"] == pytest.approx(131.722)
    with pytest.warns(UnitWarning):
        b = igf1_assess(20, 45, "male")
    assert len(b.warnings) == 1 and "nmol/L" in b.warnings[0]
    with pytest.raises(ClinicInputError, match="single number"):
        igf1_assess([1, 2], 45, "male")
