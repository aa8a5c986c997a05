"""``somatosim.compare`` and ``somatosim compare``.

Simulations are 1 subject per group × 1 day with the outputs of ``somatosim simulate``, so the
engine compiled for the CLI tests is reused; bad-input tests never reach the simulator.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from click.testing import CliRunner

from somatosim import InputError, Subject
from somatosim.cli import main
from somatosim.compare import (
    FILES,
    compare,
    compare_scenarios,
    subject_metrics,
)
from somatosim.conditions import ChronicKidneyDisease, LaronSyndrome
from somatosim.scenario import ScenarioError, load_scenario

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
BASE_TOML = """
name = "healthy man"
seed = 5
days = 1
[subject]
age = 45
sex = "male"
"""
CKD_TOML = BASE_TOML.replace('name = "healthy man"', 'name = "CKD 4"') + """
[[condition]]
name = "ckd"
stage = "4"
"""


@pytest.fixture(scope="module")
def result():
    man = Subject(age=45, sex="male")
    return compare({"healthy": man, "Laron": Subject(age=45, sex="male", conditions=(LaronSyndrome(),))},
                   days=1, seed=2)


def test_table_has_the_metrics_of_each_group(result):
    t = result.table
    assert list(t.index) == ["healthy", "Laron"]
    for col in ("gh_mean", "gh_nadir", "bursts_per_24h", "gh_production", "igf1_total_day0", "igf1_free_day0"):
        assert col in t and f"{col}_sd" in t
        assert np.isfinite(t[col]).all()
    assert (t.n_subjects == 1).all()
    assert t.loc["Laron", "gh_mean"] > 2 * t.loc["healthy", "gh_mean"]
    assert t.loc["Laron", "igf1_total_day0"] < 0.5 * t.loc["healthy", "igf1_total_day0"]
    assert 100 < t.loc["healthy", "gh_production"] < 1000  # ug/24 h of a 45-y man
    rel = result.relative()
    assert rel.loc["healthy"].eq(1.0).all() and rel.loc["Laron", "gh_mean"] > 2


def test_same_seed_gives_common_random_numbers():
    man = Subject(age=45, sex="male")
    c = compare({"a": man, "b": man}, days=1, seed=2)
    assert c.table.loc["a", "gh_mean"] == c.table.loc["b", "gh_mean"]


def test_metrics_match_a_hand_computation(result):
    ds = result.datasets["healthy"]
    df = subject_metrics(ds, np.array([5.0]), 1, (0,))
    assert df.gh_mean[0] == pytest.approx(float(ds.gh.values[0, :1440].mean()))
    assert df.gh_production[0] == pytest.approx(float(ds.gh_secretion.values[0, :1440].sum()) * 5.0)
    assert df.igf1_free_day0[0] == pytest.approx(float(ds.igf1_free.values[0, :1440].mean()))


def test_record_is_json_and_write_is_complete(result, tmp_path):
    rec = result.record()
    text = json.dumps(rec)
    assert "not a medical device" in text and rec["base_group"] == "healthy"
    assert rec["groups"]["Laron"]["conditions"][0]["name"] == "laron_syndrome"
    assert rec["units"]["gh_production"] == "ug/24 h"
    out = result.write(tmp_path / "cmp")
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert (out / "comparison.png").read_bytes()[:8] == PNG_MAGIC
    csv = (out / "comparison.csv").read_text().splitlines()
    assert csv[0].startswith("group,n_subjects,gh_mean,gh_mean_sd") and len(csv) == 3
    fig = result.figure()
    assert len(fig.axes) == 3


@pytest.mark.parametrize("kwargs, field", [
    ({"days": 0}, "days"),
    ({"days": 1.5}, "days"),
    ({"seed": -1}, "seed"),
    ({"igf1_days": [3]}, "igf1_days"),
    ({"igf1_days": []}, "igf1_days"),
])
def test_bad_arguments_are_named(kwargs, field):
    with pytest.raises(InputError, match=field):
        compare({"a": Subject()}, **kwargs)


def test_bad_groups_are_refused():
    with pytest.raises(InputError, match="groups"):
        compare({})
    with pytest.raises(InputError, match="groups"):
        compare({"a": ["not a subject"]})


def test_scenario_files_with_conditions(tmp_path):
    base, ckd = tmp_path / "base.toml", tmp_path / "ckd.toml"
    base.write_text(BASE_TOML)
    ckd.write_text(CKD_TOML)
    s = load_scenario(ckd)
    assert s.subject.conditions == (ChronicKidneyDisease(stage="4"),)
    c = compare_scenarios([base, ckd])
    assert list(c.table.index) == ["healthy man", "CKD 4"]
    assert c.table.loc["CKD 4", "igf1_free_day0"] < c.table.loc["healthy man", "igf1_free_day0"]
    assert c.seeds == {"healthy man": 5, "CKD 4": 5}
    r = CliRunner().invoke(main, ["compare", str(base), str(ckd), "--out", str(tmp_path / "out"),
                                  "--label", "base", "--label", "ckd"])
    assert r.exit_code == 0, r.output
    assert "not a medical device" in r.output
    rec = json.loads((tmp_path / "out" / "comparison.json").read_text())
    assert [row["group"] for row in rec["table"]] == ["base", "ckd"]
    assert math.isclose(rec["relative_to_base"][0]["gh_mean"], 1.0)


def test_bad_condition_tables_are_reported_with_the_rest_of_the_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(BASE_TOML.replace("age = 45", "age = 400") + """
[[condition]]
name = "ckd"
egfr = 500
[[condition]]
name = "cirosis"
""")
    with pytest.raises(ScenarioError) as err:
        load_scenario(bad)
    assert err.value.fields == ("condition[0].egfr", "condition[1].name", "subject.age")
    msg = str(err.value)
    assert "condition[0].egfr = 500 is not allowed: expected a number in [0, 150]" in msg
    assert "did you mean 'cirrhosis'" in msg
    r = CliRunner().invoke(main, ["compare", str(bad), "--out", str(tmp_path / "never")])
    assert r.exit_code == 2 and "condition[0].egfr" in r.output
    assert not (tmp_path / "never").exists()


def test_cli_label_count_must_match(tmp_path):
    base = tmp_path / "base.toml"
    base.write_text(BASE_TOML)
    r = CliRunner().invoke(main, ["compare", str(base), "--label", "a", "--label", "b"])
    assert r.exit_code == 2 and "label" in r.output
