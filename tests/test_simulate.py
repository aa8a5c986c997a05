"""The public simulate(): reproducibility, cohort = individuals, bad input."""

import numpy as np
import pytest

from somatosim._validation import InputError
from somatosim.schedule import Schedule, SleepPeriod
from somatosim.simulation import simulate
from somatosim.subject import Subject

MAN, WOMAN = Subject(age=30, sex="male"), Subject(age=30, sex="female")


@pytest.fixture(scope="module")
def cohort():
    return simulate([MAN, WOMAN, Subject(age=60, sex="male")], days=1, seed=11)


def test_outputs_are_finite_non_negative_with_units(cohort):
    for name in ("gh", "gh_secretion", "igf1_total", "igf1_free"):
        v = cohort[name].values
        assert np.all(np.isfinite(v)) and v.min() >= 0.0
        assert cohort[name].attrs["units"]
    assert cohort.sizes == {"subject": 3, "time": 1440}
    assert "not a medical device" in cohort.attrs["disclaimer"]


def test_same_seed_same_numbers(cohort):
    again = simulate([MAN, WOMAN, Subject(age=60, sex="male")], days=1, seed=11)
    np.testing.assert_array_equal(cohort.gh.values, again.gh.values)


def test_subject_does_not_depend_on_cohort(cohort):
    # Subject 0 of a 3-cohort equals the same subject (index 0) run alone with the same seed.
    alone = simulate(MAN, days=1, seed=11)
    np.testing.assert_allclose(alone.gh.values[0], cohort.gh.values[0], rtol=1e-10, atol=1e-12)


def test_other_seed_other_pulses():
    a = simulate(MAN, days=1, seed=1).gh.values
    b = simulate(MAN, days=1, seed=2).gh.values
    assert np.abs(a - b).max() > 0.1


def test_pulsatile_gh_and_stable_igf1(cohort):
    gh = cohort.gh.values[0]
    igf = cohort.igf1_total.values[0]
    assert gh.max() / np.percentile(gh, 10) > 10  # pulses over a low nadir
    assert igf.std() / igf.mean() < 0.05  # IGF-1 flat through the day


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"age": 120}, "subject.age"),
        ({"age": 2}, "subject.age"),
        ({"weight_kg": -70}, "subject.weight_kg"),
        ({"sex": "other"}, "subject.sex"),
        ({"age": "thirty"}, "subject.age"),
        ({"sleep_duration_h": 0}, "subject.sleep_duration_h"),
    ],
)
def test_bad_subject_names_field_and_value(kwargs, field):
    with pytest.raises(InputError, match=field) as e:
        Subject(**kwargs)
    assert "expected" in str(e.value)


@pytest.mark.parametrize("days", [0, -1, "two"])
def test_bad_days(days):
    with pytest.raises(InputError, match="days"):
        simulate(MAN, days=days)


def test_sleep_period_ending_before_it_starts():
    with pytest.raises(InputError, match="ends before it starts"):
        SleepPeriod(600.0, 100.0)


def test_overlapping_sleep_periods():
    with pytest.raises(InputError, match="overlap"):
        Schedule(sleep=(SleepPeriod(0, 100), SleepPeriod(50, 200)))


def test_unknown_output():
    with pytest.raises(InputError, match="outputs"):
        simulate(MAN, days=1, outputs=("cortisol",))
