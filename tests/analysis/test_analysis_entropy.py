"""ApEn, SampEn and cross-ApEn against brute-force definitions and known orderings."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from somatosim.analysis import (
    AnalysisInputError,
    approximate_entropy,
    cross_approximate_entropy,
    load_lh_diggle1990,
    regularity_statistics,
    sample_entropy,
)


def _apen_loops(x, m, r):
    """ApEn straight from Pincus (1991), with explicit loops."""
    n = len(x)

    def phi(mm):
        total = 0.0
        for i in range(n - mm + 1):
            count = sum(
                max(abs(x[i + k] - x[j + k]) for k in range(mm)) <= r for j in range(n - mm + 1)
            )
            total += math.log(count / (n - mm + 1))
        return total / (n - mm + 1)

    return phi(m) - phi(m + 1)


def _sampen_loops(x, m, r):
    """SampEn straight from Richman & Moorman (2000), with explicit loops."""
    n = len(x)
    a = b = 0
    for i in range(n - m):
        for j in range(n - m):
            if i == j:
                continue
            if max(abs(x[i + k] - x[j + k]) for k in range(m)) <= r:
                b += 1
                if abs(x[i + m] - x[j + m]) <= r:
                    a += 1
    return -math.log(a / b)


@pytest.mark.parametrize("m", [1, 2])
def test_matches_brute_force_definitions(m):
    x = np.random.default_rng(1).normal(size=60)
    r = 0.2 * np.std(x)
    assert approximate_entropy(x, m, 0.2) == pytest.approx(_apen_loops(x, m, r), rel=1e-12)
    assert sample_entropy(x, m, 0.2) == pytest.approx(_sampen_loops(x, m, r), rel=1e-12)
    assert approximate_entropy(x, m, r, r_relative=False) == pytest.approx(_apen_loops(x, m, r))


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(60, 200))
def test_constant_below_regular_below_noise(seed, n):
    rng = np.random.default_rng(seed)
    noise = rng.normal(size=n)
    regular = np.sin(2 * np.pi * np.arange(n) / 12.0)  # a pure 12-sample rhythm
    constant = np.full(n, 3.7)
    for f in (approximate_entropy, sample_entropy):
        assert f(constant) == 0.0
        assert f(regular) < f(noise)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), a=st.floats(1e-3, 1e4), b=st.floats(-100, 100))
def test_invariant_to_affine_rescaling(seed, a, b):
    x = np.random.default_rng(seed).gamma(2.0, size=80)
    assert approximate_entropy(a * x + b) == pytest.approx(approximate_entropy(x), abs=1e-9)
    assert sample_entropy(a * x + b) == pytest.approx(sample_entropy(x), abs=1e-9)


def test_cross_apen_of_a_series_with_itself_is_its_apen():
    x = np.random.default_rng(2).normal(size=100)
    z = (x - x.mean()) / x.std()
    assert cross_approximate_entropy(x, x) == pytest.approx(approximate_entropy(z))


def test_cross_apen_lower_for_synchronous_series():
    """A rescaled copy shares u's patterns; a shuffled copy shares only its values."""
    rng = np.random.default_rng(3)
    t = np.arange(300)
    u = np.sin(2 * np.pi * t / 15) + 0.1 * rng.normal(size=t.size)
    v_sync = 2.0 * u + 0.05 * rng.normal(size=t.size) + 5
    v_async = rng.permutation(u)
    # r = 0.5 SD: at 0.2 SD some pairs of the shuffled series find no match (undefined)
    assert cross_approximate_entropy(u, v_sync, r=0.5) < cross_approximate_entropy(
        u, v_async, r=0.5
    )


def test_cross_apen_undefined_without_matches_warns():
    u = np.r_[np.zeros(30), 10.0, np.zeros(29)]
    v = np.r_[np.zeros(30), np.ones(30)]
    with pytest.warns(RuntimeWarning, match=r"undefined"):
        assert math.isnan(cross_approximate_entropy(u, v))


def test_errors_and_warnings():
    with pytest.raises(
        AnalysisInputError,
        match=r"'m' parameter of approximate_entropy must be an int >= 1\. Got 0",
    ):
        approximate_entropy(np.arange(60.0), m=0)
    with pytest.raises(AnalysisInputError, match=r"'r' parameter .* Got -1"):
        sample_entropy(np.arange(60.0), r=-1)
    with pytest.raises(AnalysisInputError, match=r"same length\. Got 60 and 59"):
        cross_approximate_entropy(np.arange(60.0), np.arange(59.0))
    with pytest.raises(AnalysisInputError, match=r"the 'v' series is constant"):
        cross_approximate_entropy(np.arange(60.0), np.ones(60))
    with pytest.raises(AnalysisInputError, match=r"finite numbers\. Got nan at index 2"):
        approximate_entropy([1.0, 2.0, np.nan, 3.0])
    with pytest.warns(UserWarning, match=r"at least 50"):
        approximate_entropy(np.random.default_rng(0).normal(size=30))


def test_lh_regularity_is_stated_with_its_parameters():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the 48-point warning is silenced in the summary
        stats = regularity_statistics(load_lh_diggle1990())
    assert stats["entropy_m"] == 1 and stats["entropy_r_fraction_of_sd"] == 0.2
    assert 0.5 < stats["apen"] < 2.0
