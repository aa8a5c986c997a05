"""Reading and validating measured series: every bad input gets a clear error."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from somatosim.analysis import AnalysisInputError, HormoneSeries, as_series, read_series
from somatosim.analysis.series import MIN_SAMPLES, read_series_collection

T = np.arange(12) * 10.0
C = np.array([1.0, 1.2, 3.0, 2.5, 2.0, 1.6, 1.4, 1.3, 2.8, 2.2, 1.9, 1.5])


def test_from_arrays_roundtrip():
    s = HormoneSeries.from_arrays(T, C, units="ng/mL")
    assert s.n_samples == 12
    assert s.sampling_interval_min == 10.0
    assert s.duration_min == 120.0
    assert s.is_regular
    assert s.units == "ng/mL"
    assert not s.time_min.flags.writeable


def test_hours_are_converted_to_minutes():
    s = HormoneSeries.from_arrays(T / 60.0, C, time_unit="h")
    np.testing.assert_allclose(s.time_min, T)


@pytest.mark.parametrize(
    ("time", "conc", "kw", "pattern"),
    [
        (T[:5], C[:5], {}, r"Too few samples: the series has 5 usable samples; at least 10"),
        (
            np.r_[T[:3], T[2], T[4:]],
            C,
            {},
            r"'time' column must be strictly increasing\. Got 20 min at sample 4",
        ),
        (T[::-1], C, {}, r"strictly increasing"),
        (
            T,
            np.r_[C[:3], -0.5, C[4:]],
            {},
            r"must not be negative\. Got -0\.5 at sample 4 \(time 30 min\)",
        ),
        (
            T,
            C,
            {"detection_limit": 10.0},
            r"All 12 concentrations are below the detection limit 10",
        ),
        (
            T,
            np.r_[C[:2], np.nan, C[3:]],
            {"missing": "raise"},
            r"1 missing value\(s\), the first at sample 3",
        ),
        (T, C[:11], {}, r"same length\. Got 12 times and 11 concentrations"),
        (
            T,
            C,
            {"detection_limit": -1.0},
            r"'detection_limit' must be a float in the range \(0, inf\)",
        ),
        (T, C, {"time_unit": "days"}, r"'time_unit' must be one of"),
        (T, np.zeros(12), {}, r"All 12 concentrations are zero"),
        (np.r_[T[:4], np.inf, T[5:]], C, {}, r"'time' column must contain finite numbers"),
        (T, np.r_[C[:4], np.inf, C[5:]], {}, r"'concentration' column must contain finite numbers"),
    ],
)
def test_bad_input_names_field_value_and_rule(time, conc, kw, pattern):
    with pytest.raises(AnalysisInputError, match=pattern):
        HormoneSeries.from_arrays(time, conc, **kw)


def test_error_is_a_value_error():
    with pytest.raises(ValueError):
        HormoneSeries.from_arrays(T[:3], C[:3])


def test_missing_values_are_dropped_and_counted():
    conc = np.r_[C[:2], np.nan, C[3:], np.nan]
    time = np.r_[T, 120.0]
    s = HormoneSeries.from_arrays(time, conc)
    assert s.n_samples == 11
    assert s.n_missing == 2
    assert not s.is_regular  # the gap at 20 min
    with pytest.raises(
        AnalysisInputError, match=r"Cluster needs evenly spaced samples.*2 missing value"
    ):
        s.require_regular("Cluster")


def test_too_few_after_dropping_missing_says_so():
    conc = np.r_[C[: MIN_SAMPLES - 1], [np.nan] * 3]
    with pytest.raises(AnalysisInputError, match=r"after dropping 3 missing"):
        HormoneSeries.from_arrays(T, conc)


def test_detection_limit_substitution():
    s = HormoneSeries.from_arrays(T, C, detection_limit=1.3)
    assert s.below_detection.sum() == 2  # 1.0 and 1.2; 1.3 itself is not below
    assert s.concentration.min() == 1.3


def test_read_csv_with_comments_subjects_and_units(tmp_path):
    path = tmp_path / "two.csv"
    rows = ["# a comment line", "subject,time_min,gh,units"]
    for subj in ("A", "B"):
        rows += [f"{subj},{t:g},{c * (2 if subj == 'B' else 1):g},ug/L" for t, c in zip(T, C)]
    path.write_text("\n".join(rows) + "\n")
    with pytest.raises(AnalysisInputError, match=r"2 subjects \(A, B\); choose one"):
        read_series(path)
    b = read_series(path, subject="B")
    np.testing.assert_allclose(b.concentration, 2 * C)
    assert b.units == "ug/L"
    assert b.subject == "B"
    assert set(read_series_collection(path)) == {"A", "B"}
    with pytest.raises(
        AnalysisInputError, match=r"'subject' 'C' is not in the data. Allowed: A, B"
    ):
        read_series(path, subject="C")


def test_read_tsv_and_r_style_index(tmp_path):
    tsv = tmp_path / "s.tsv"
    tsv.write_text("time\tvalue\n" + "\n".join(f"{t:g}\t{c:g}" for t, c in zip(T, C)))
    assert read_series(tsv).n_samples == 12
    rcsv = tmp_path / "r.csv"
    rcsv.write_text(
        '"",time,value\n' + "\n".join(f'"{i}",{t:g},{c:g}' for i, (t, c) in enumerate(zip(T, C)))
    )
    np.testing.assert_allclose(read_series(rcsv).concentration, C)


def test_read_errors(tmp_path):
    with pytest.raises(AnalysisInputError, match=r"does not exist"):
        read_series(tmp_path / "nope.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("when,a,b\n1,2,3\n")
    with pytest.raises(AnalysisInputError, match=r"No time column found"):
        read_series(bad)
    amb = tmp_path / "amb.csv"
    amb.write_text("time,a,b\n" + "\n".join(f"{t:g},1,2" for t in T))
    with pytest.raises(
        AnalysisInputError, match=r"Could not tell which column holds the concentrations"
    ):
        read_series(amb)
    text = tmp_path / "text.csv"
    text.write_text(
        "time,value\n" + "\n".join(f"{t:g},{'x' if i == 3 else 1}" for i, t in enumerate(T))
    )
    s = read_series(text)  # a non-numeric cell is a missing value
    assert s.n_missing == 1


def test_as_series_accepts_supported_inputs():
    frame = pd.DataFrame({"time": T, "conc": C})
    for obj in (frame, (T, C), np.column_stack([T, C])):
        np.testing.assert_allclose(as_series(obj).concentration, C)
    s = HormoneSeries.from_arrays(T, C)
    assert as_series(s) is s
    with pytest.raises(
        AnalysisInputError, match=r"Cannot read a hormone series from an object of type dict"
    ):
        as_series({"a": 1})


def test_scaled_series():
    s = HormoneSeries.from_arrays(T, C, detection_limit=1.3).scaled(1000)
    assert s.detection_limit == pytest.approx(1300)
    np.testing.assert_allclose(s.concentration.min(), 1300)
