"""``somatosim stimtest``: outputs of one test and clear errors for bad input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from somatosim.cli import main


def test_stimtest_writes_table_figure_and_json(tmp_path):
    out = tmp_path / "itt"
    res = CliRunner().invoke(main, ["stimtest", "--test", "itt", "--age", "35", "--sex", "female", "--bmi", "22",
                                    "--seed", "4", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert {p.name for p in out.iterdir()} == {"samples.csv", "test.png", "result.json"}
    record = json.loads((out / "result.json").read_text())
    assert record["test"] == "insulin_tolerance" and record["cutoff"]["value_ug_l"] == 3.0
    assert record["samples"]["time_min"][:3] == [0.0, 15.0, 30.0]
    assert "not a medical device" in record["disclaimer"] and "peak GH" in res.output


@pytest.mark.parametrize(("args", "message"), [
    (["--test", "thyroid"], "--test"),
    (["--bmi", "5"], "--bmi"),
    (["--override", "nonsense=1"], "--override"),
    (["--override", "somatotroph_capacity"], "NAME=VALUE"),
    (["--insulin-dose", "2"], "--insulin-dose"),
])
def test_stimtest_rejects_bad_input_before_running(tmp_path, args, message):
    out = tmp_path / "x"
    res = CliRunner().invoke(main, ["stimtest", *args, "--out", str(out)])
    assert res.exit_code != 0 and message in res.output
    assert not out.exists()
