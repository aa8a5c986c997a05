"""The measurement layer (somatosim.assay): plans, assays, sampling, censoring, seeding.

These tests use small hand-built datasets shaped like a ``simulate`` result, so they need no
JAX compilation; the CLI tests exercise ``sample`` on a real simulation.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from somatosim._validation import InputError
from somatosim.assay import (
    DEFAULT_GH_ASSAY,
    DEFAULT_IGF1_ASSAY,
    Assay,
    SamplingPlan,
    lognormal_sigma,
    measure,
    sample,
    sampling_times,
)


def fake_dataset(gh, igf1=None, *, step=1.0, extra=True) -> xr.Dataset:
    """A dataset shaped like simulate(): dims (subject, time), time in min from 0."""
    gh = np.atleast_2d(np.asarray(gh, dtype=float))
    n, t = gh.shape
    times = np.arange(t) * step
    data = {
        "gh": (("subject", "time"), gh, {"units": "ug/L"}),
        "asleep": (("subject", "time"), np.zeros((n, t), dtype=bool)),
    }
    if igf1 is not None:
        data["igf1_total"] = (
            ("subject", "time"),
            np.broadcast_to(igf1, (n, t)).astype(float),
            {"units": "ng/mL"},
        )
    if extra:
        data["gh_secretion"] = (("subject", "time"), 0.1 * gh, {"units": "ug/L/min"})
    return xr.Dataset(data, coords={"subject": np.arange(n), "time": times})


# --- SamplingPlan and Assay validation ------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"interval_min": 0}, "plan.interval_min"),
        ({"interval_min": -5}, "plan.interval_min"),
        ({"interval_min": "ten"}, "plan.interval_min"),
        ({"start_min": -1}, "plan.start_min"),
        ({"interval_min": float("nan")}, "plan.interval_min"),
    ],
)
def test_plan_rejects_bad_values(kwargs, field):
    with pytest.raises(InputError, match=field) as e:
        SamplingPlan(**kwargs)
    assert "expected" in str(e.value)


def test_plan_end_must_follow_start():
    with pytest.raises(InputError, match="plan.end_min = 10.0 is not allowed.*later than"):
        SamplingPlan(start_min=20, end_min=10)


def test_plan_accepts_text_numbers_and_is_frozen():
    plan = SamplingPlan(interval_min="5", start_min=0, end_min=60)
    assert plan.interval_min == 5.0
    with pytest.raises(AttributeError):
        plan.interval_min = 10


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"cv": -0.1}, r"assay.cv = -0.1 is not allowed: expected a number in \[0, 1\]"),
        ({"cv": 1.5}, "assay.cv = 1.5"),
        ({"detection_limit": -1}, "assay.detection_limit = -1"),
        ({"floor_sd": -0.01}, "assay.floor_sd"),
        (
            {"censored_as": "zero"},
            "assay.censored_as = 'zero' is not allowed: expected one of 'limit', 'nan'",
        ),
        ({"name": 3}, "assay.name"),
    ],
)
def test_assay_rejects_bad_values(kwargs, message):
    with pytest.raises(InputError, match=message):
        Assay(**kwargs)


def test_default_assays():
    assert DEFAULT_GH_ASSAY.cv == 0.05 and DEFAULT_GH_ASSAY.detection_limit == 0.05
    assert DEFAULT_IGF1_ASSAY.cv == 0.08 and DEFAULT_IGF1_ASSAY.unit == "ng/mL"
    assert "CV 5 %" in DEFAULT_GH_ASSAY.describe()


# --- sampling times ---------------------------------------------------------------------------


def test_sampling_times_on_grid():
    grid = np.arange(1440.0)
    idx = sampling_times(SamplingPlan(10), grid)
    assert idx.size == 144 and grid[idx][-1] == 1430
    idx = sampling_times(SamplingPlan(20, start_min=60, end_min=120), grid)
    assert list(grid[idx]) == [60, 80, 100]


@pytest.mark.parametrize(
    "plan, message",
    [
        (
            SamplingPlan(2.5),
            "sampling time 2.5 min is not allowed: expected a time on the simulation grid",
        ),
        (SamplingPlan(10, start_min=0.5), "sampling time 0.5 min"),
        (SamplingPlan(10, end_min=2000), "within the simulated record"),
        (SamplingPlan(10, start_min=1500), "within the simulated record"),
    ],
)
def test_sampling_off_grid_or_outside_record_is_an_error(plan, message):
    with pytest.raises(InputError, match=message):
        sampling_times(plan, np.arange(1440.0))


def test_coarse_grid_rejects_finer_sampling():
    with pytest.raises(InputError, match="every 10 min"):
        sampling_times(SamplingPlan(5), np.arange(0, 1440.0, 10.0))


# --- sample() ---------------------------------------------------------------------------------


def test_sample_columns_rows_and_truth():
    rng = np.random.default_rng(0)
    gh = rng.lognormal(-1, 1, size=(2, 1440))
    df = sample(fake_dataset(gh, igf1=180.0), SamplingPlan(10), seed=3)
    assert list(df.columns) == [
        "subject",
        "time_min",
        "day",
        "clock",
        "asleep",
        "gh_true",
        "gh_measured",
        "gh_below_detection",
        "igf1_true",
        "igf1_measured",
        "igf1_below_detection",
        "gh_secretion_true",
    ]
    assert len(df) == 2 * 144
    assert df["clock"].iloc[7] == "01:10" and df["day"].max() == 0
    sub1 = df[df.subject == 1]
    np.testing.assert_array_equal(sub1["gh_true"].to_numpy(), gh[1, ::10])
    np.testing.assert_allclose(sub1["gh_secretion_true"].to_numpy(), 0.1 * gh[1, ::10])
    assert df.attrs["units"]["gh_measured"] == "ug/L" and df.attrs["units"]["igf1_true"] == "ng/mL"
    assert df.attrs["seed"] == 3 and df.attrs["assays"]["igf1"]["cv"] == 0.08


def test_sample_without_igf1_has_only_gh():
    df = sample(fake_dataset(np.ones(100), extra=False), SamplingPlan(10))
    assert "igf1_measured" not in df and "gh_measured" in df and len(df) == 10


def test_sample_rejects_bad_arguments():
    ds = fake_dataset(np.ones(100))
    with pytest.raises(InputError, match="seed = -1 is not allowed"):
        sample(ds, seed=-1)
    with pytest.raises(InputError, match="seed = 1.5"):
        sample(ds, seed=1.5)
    with pytest.raises(InputError, match="plan = 10 is not allowed: expected a SamplingPlan"):
        sample(ds, 10)
    with pytest.raises(InputError, match="holding 'gh'"):
        sample(ds.drop_vars("gh"))


def test_censoring_conventions():
    gh = np.array([[0.001, 0.01, 0.2, 3.0]])
    ds = fake_dataset(gh)
    plan = SamplingPlan(1)
    assay = Assay(cv=0.0, detection_limit=0.05)
    df = sample(ds, plan, assay, seed=0)
    assert df["gh_below_detection"].tolist() == [True, True, False, False]
    assert df["gh_measured"].tolist() == [0.05, 0.05, 0.2, 3.0]
    assert df["gh_true"].tolist() == gh[0].tolist()  # the truth is kept
    df = sample(ds, plan, Assay(cv=0.0, detection_limit=0.05, censored_as="nan"), seed=0)
    assert np.isnan(df["gh_measured"].to_numpy()[:2]).all()


def test_additive_floor_can_push_values_below_zero_which_are_censored():
    true = np.full(20_000, 0.02)
    measured, below = measure(
        true, Assay(cv=0.0, detection_limit=0.0, floor_sd=0.02), np.random.default_rng(1)
    )
    assert below.mean() == pytest.approx(0.16, abs=0.02)  # P(Z < -1)
    assert (measured >= 0).all()
    kept = measured[~below]
    assert kept.min() > 0


def test_same_seed_same_numbers_and_noise_independent_of_cohort_size():
    rng = np.random.default_rng(5)
    gh = rng.lognormal(-1, 1, size=(3, 600))
    a = sample(fake_dataset(gh, 150.0), SamplingPlan(5), seed=11)
    b = sample(fake_dataset(gh, 150.0), SamplingPlan(5), seed=11)
    assert a.equals(b)
    c = sample(fake_dataset(gh, 150.0), SamplingPlan(5), seed=12)
    assert not np.allclose(a["gh_measured"], c["gh_measured"])
    one = sample(fake_dataset(gh[:1], 150.0), SamplingPlan(5), seed=11)
    np.testing.assert_array_equal(one["gh_measured"], a[a.subject == 0]["gh_measured"])
    # GH and IGF-1 noise come from separate streams.
    z_gh = np.log(a["gh_measured"] / a["gh_true"])
    z_igf = np.log(a["igf1_measured"] / a["igf1_true"])
    assert abs(np.corrcoef(z_gh, z_igf)[0, 1]) < 0.1


# --- statistical properties (hypothesis) ------------------------------------------------------

N_STAT = 20_000
#: Relative tolerance on the sample CV: about 7 standard errors at N_STAT for CV <= 0.4.
CV_RTOL = 0.05


@settings(max_examples=20, deadline=None)
@given(cv=st.floats(0.01, 0.4), level=st.floats(0.5, 500.0), seed=st.integers(0, 2**31 - 1))
def test_measured_over_true_has_the_stated_cv(cv, level, seed):
    ds = fake_dataset(np.full(N_STAT, level), extra=False)
    df = sample(ds, SamplingPlan(1), Assay(cv=cv, detection_limit=0.0), seed=seed)
    ratio = (df["gh_measured"] / df["gh_true"]).to_numpy()
    assert ratio.std(ddof=1) == pytest.approx(cv, rel=CV_RTOL)
    assert ratio.mean() == pytest.approx(1.0, abs=6 * cv / np.sqrt(N_STAT))  # unbiased on average
    assert np.log(ratio).std(ddof=1) == pytest.approx(lognormal_sigma(cv), rel=CV_RTOL)


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    cv=st.floats(0.0, 1.0),
    floor=st.floats(0.0, 1.0),
    limit=st.floats(0.0, 2.0),
)
def test_reproducible_and_censoring_consistent(seed, cv, floor, limit):
    gh = np.random.default_rng(0).lognormal(0, 1, size=(2, 50))
    ds = fake_dataset(gh, igf1=100.0)
    assay = Assay(cv=cv, detection_limit=limit, floor_sd=floor)
    a = sample(ds, SamplingPlan(1), assay, seed=seed)
    b = sample(ds, SamplingPlan(1), assay, seed=seed)
    assert a.equals(b)
    below = a["gh_below_detection"].to_numpy()
    assert (a["gh_measured"].to_numpy()[below] == limit).all()
    assert (a["gh_measured"].to_numpy()[~below] >= limit).all()
