"""Validation harness: scoring rules and the must-pass targets of the model."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from somatosim.validation import Target, evaluate, load_targets, score


def _t(**kw):
    base = {"id": "x", "description": "x", "scenario": "s", "metric": "m", "value": 100.0, "unit": "u", "source": "s"}
    base.update(kw)
    return Target(**base)


def test_targets_file():
    targets = load_targets()
    assert len(targets) >= 20
    assert all(t.source for t in targets)
    assert sum(t.must_pass for t in targets) >= 5


@given(st.floats(-1e3, 1e3))
def test_score_bands(model):
    colour, _ = score(_t(), model)
    rel = abs(model - 100.0) / 100.0
    expected = "green" if rel <= 0.1 else "yellow" if rel <= 0.3 else "red"
    assert colour == expected


def test_range_is_green_inside():
    assert score(_t(low=50.0, high=200.0), 190.0)[0] == "green"
    assert score(_t(low=50.0, high=200.0), 240.0)[0] == "yellow"
    assert score(_t(kind="greater", value=1.0), 1.2)[0] == "green"
    assert score(_t(kind="less", value=1.0), 1.5)[0] == "red"
    assert score(_t(), math.nan)[0] == "red"


@pytest.fixture(scope="module")
def table():
    return evaluate()


def test_no_must_pass_target_is_red(table):
    red = table[table.must_pass & (table.status == "red")]
    assert red.empty, red[["id", "model", "published"]].to_string()


def test_report_written(table, tmp_path):
    from somatosim.validation import write_report

    path = write_report(table, tmp_path)
    text = path.read_text()
    assert "Tally" in text and "not a medical device" in text
    assert (tmp_path / "figures" / "igf1_by_age.png").exists()
    # one section per targets file, each with its own tally adding up to the whole
    sections = [line for line in text.splitlines() if line.startswith("## ") and line != "## Figures"]
    assert sections[0] == "## Core model" and len(sections) == table.domain.nunique()
    tallies = [line for line in text.splitlines() if line.endswith("% green).") and " of " in line]
    assert sum(int(line.split(" of ")[1].split()[0]) for line in tallies) == len(table)


def test_score_of_a_zero_valued_target_is_absolute():
    # a value of 0 (e.g. an SDS difference) is compared in absolute units, not divided by zero
    t = _t(value=0.0, low=-0.3, high=0.3)
    assert score(t, 0.1)[0] == "green"
    assert score(t, 0.35)[0] == "yellow"
    assert score(t, 2.0)[0] == "red"
