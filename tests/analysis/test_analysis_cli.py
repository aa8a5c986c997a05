"""``somatosim analyze`` end to end, in a temporary folder."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from somatosim.cli import main

LH = "src/somatosim/data/lh_diggle1990.csv"


@pytest.fixture()
def lh_file(tmp_path):
    from somatosim.analysis import load_lh_diggle1990

    s = load_lh_diggle1990()
    path = tmp_path / "lh.csv"
    pd.DataFrame({"time_min": s.time_min, "lh": s.concentration}).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("method", ["deconv", "cluster"])
def test_writes_pulses_summary_and_figure(tmp_path, lh_file, method):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["analyze", str(lh_file), "--method", method, "--cv", "0.1", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "6 pulses" in result.output
    pulses = pd.read_csv(out / "pulses.csv")
    assert len(pulses) == 6
    record = json.loads((out / "summary.json").read_text())
    assert record["summary"]["n_pulses"] == 6
    assert record["error_model"] == {"model": "ConstantCV", "cv": 0.1}
    assert record["summary"]["regularity"]["entropy_m"] == 1
    assert (out / "figure.png").read_bytes()[:4] == b"\x89PNG"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lh.csv", "out"]  # no temp left


def test_error_model_is_required(tmp_path, lh_file):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["analyze", str(lh_file), "--out", str(out)])
    assert result.exit_code != 0
    assert "An error model is required" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("rows", "pattern"),
    [
        (["time,conc", "0,1", "10,2"], "Too few samples"),
        (
            ["time,conc"]
            + [f"{t},{c}" for t, c in zip([0, 10, 20, 15, 40, 50, 60, 70, 80, 90], range(1, 11))],
            "'time' column must be strictly increasing. Got 15 min at sample 4",
        ),
        (
            ["time,conc"] + [f"{10 * i},{-1 if i == 2 else 1}" for i in range(12)],
            "must not be negative. Got -1 at sample 3",
        ),
    ],
)
def test_bad_input_fails_cleanly_without_output(tmp_path, rows, pattern):
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(rows) + "\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["analyze", str(path), "--cv", "0.05", "--out", str(out)])
    assert result.exit_code == 1
    assert pattern in result.output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]


def test_all_below_detection_limit(tmp_path, lh_file):
    result = CliRunner().invoke(
        main,
        [
            "analyze",
            str(lh_file),
            "--cv",
            "0.1",
            "--detection-limit",
            "5",
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 1
    assert "below the detection limit 5" in result.output


def test_existing_outputs_need_overwrite(tmp_path, lh_file):
    out = tmp_path / "out"
    args = ["analyze", str(lh_file), "--method", "cluster", "--cv", "0.1", "--out", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 0
    before = (out / "pulses.csv").read_text()
    result = CliRunner().invoke(main, args + ["--t-up", "3"])
    assert result.exit_code == 1 and "--overwrite" in result.output
    assert (out / "pulses.csv").read_text() == before
    result = CliRunner().invoke(main, args + ["--t-up", "3", "--t-down", "3", "--overwrite"])
    assert result.exit_code == 0
    assert len(pd.read_csv(out / "pulses.csv")) <= len(pd.read_csv(pd.io.common.StringIO(before)))


def test_bad_option_value_is_reported(tmp_path, lh_file):
    result = CliRunner().invoke(
        main,
        [
            "analyze",
            str(lh_file),
            "--cv",
            "0.1",
            "--method",
            "cluster",
            "--n-peak",
            "0",
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 1
    assert (
        "'n_peak' parameter of Cluster must be an int in the range [1, inf). Got 0" in result.output
    )
    assert not (tmp_path / "o").exists()


def test_help_lists_the_options():
    result = CliRunner().invoke(main, ["analyze", "--help"])
    assert result.exit_code == 0
    for opt in ("--method", "--out", "--cv", "--floor", "--sd", "--detection-limit", "--subject"):
        assert opt in result.output
    assert np.isfinite(1.0)
