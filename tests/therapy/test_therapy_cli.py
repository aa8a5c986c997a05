"""``somatosim treat`` end to end, in a temporary folder."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from somatosim.cli import main

SWITCH = """
[patient]
age = 40
sex = "male"

[[regimen]]
product = "somatropin"
dose = "0.3 mg/day"
stop_day = {stop}

[[regimen]]
product = "somapacitan"
dose = "1.5 mg/week"
start_day = 5

[run]
weeks = 2
seed = 3
"""


def _invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_treatment_run_writes_files(tmp_path):
    out = tmp_path / "rx"
    r = _invoke("treat", "--age", "45", "--sex", "female", "--oral-estrogen", "--dose", "0.3 mg/day",
                "--weeks", "1", "--missed", "2", "--out", str(out))
    assert r.exit_code == 0, r.output
    assert "not a medical device" in r.output
    assert sorted(p.name for p in out.iterdir()) == ["daily.csv", "profile.png", "run.json"]
    daily = pd.read_csv(out / "daily.csv")
    assert len(daily) == 7 and daily.igf1_sds_morning.iloc[-1] > daily.igf1_sds_morning.iloc[0]
    # the published PK/PD model of somatropin, on the same injections (injection 2 missed)
    ref = daily.igf1_morning_reference
    assert ref.iloc[-1] > ref.iloc[0] and daily.gh_mean_reference.iloc[3] < daily.gh_mean_reference.iloc[1]
    meta = json.loads((out / "run.json").read_text())
    assert "somatropin 0.3 mg/day" in meta["regimens"] and "1 missed" in meta["regimens"]
    assert any("estrogen" in c for c in meta["patient"]["conditions"])


@pytest.mark.parametrize(
    "args, words",
    [
        (["--dose", "0.3 mg"], ["0.3 mg", "per day"]),
        (["--dose", "0.16 mg/kg"], ["ambiguous", "per week"]),
        (["--dose", "-1 mg/day"], ["-1"]),
        (["--product", "somapacitan", "--dose", "0.2 mg/day"], ["once weekly", "per week"]),
        (["--dose", "40 mg/day"], ["label maximum"]),
        (["--product", "insulin"], ["product", "'insulin'"]),
        (["--sex", "male", "--oral-estrogen"], ["oral_estrogen", "female"]),
        (["--change", "14"], ["DAY:DOSE"]),
        (["--titrate", "magic"], ["titrate", "magic", "aace_2019"]),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(tmp_path, args, words):
    out = tmp_path / "bad"
    r = _invoke("treat", *args, "--out", str(out))
    assert r.exit_code == 2
    for w in words:
        assert w in r.output
    assert not out.exists()


def test_overlapping_products_in_a_file(tmp_path):
    f = tmp_path / "switch.toml"
    f.write_text(SWITCH.format(stop=10))
    r = _invoke("treat", str(f), "--out", str(tmp_path / "o"))
    assert r.exit_code == 2 and "overlaps" in r.output and "regimens[0].stop_day" in r.output


def test_label_maximum_is_a_warning(tmp_path):
    r = CliRunner().invoke(main, ["treat", "--dose", "1.5 mg/day", "--weeks", "1",
                                 "--out", str(tmp_path / "w")])
    assert r.exit_code == 0
    assert "above the label maximum" in r.stderr and "IU" in r.stderr


def test_childhood_onset_patient_answers_the_same_dose_less(tmp_path):
    igf = {}
    for onset in ("adult", "childhood"):
        out = tmp_path / onset
        r = _invoke("treat", "--age", "30", "--onset", onset, "--dose", "0.4 mg/day", "--weeks", "1",
                    "--out", str(out))
        assert r.exit_code == 0, r.output
        igf[onset] = pd.read_csv(out / "daily.csv").igf1_morning.iloc[-1]
        conditions = json.loads((out / "run.json").read_text())["patient"]["conditions"]
        assert any("childhood" in c for c in conditions) == (onset == "childhood")
    assert igf["childhood"] < igf["adult"]
    f = tmp_path / "p.toml"
    f.write_text('[patient]\nage = 30\nonset = "infancy"\n')
    r = _invoke("treat", str(f), "--out", str(tmp_path / "bad"))
    assert r.exit_code == 2 and "onset = 'infancy'" in r.output and not (tmp_path / "bad").exists()


def test_weekly_product_has_no_reference_columns(tmp_path):
    # the published PK/PD model is of daily somatropin only
    out = tmp_path / "soma"
    r = _invoke("treat", "--product", "somapacitan", "--dose", "1.5 mg/week", "--weeks", "1", "--out", str(out))
    assert r.exit_code == 0, r.output
    daily = pd.read_csv(out / "daily.csv")
    assert "igf1_morning_reference" not in daily and daily.gh_agonist_mean.max() > 0


def test_course_writes_visits_and_summary(tmp_path):
    out = tmp_path / "course"
    r = _invoke("treat", "--titrate", "drake_1998", "--n-patients", "4", "--weeks", "4", "--seed", "2",
                "--out", str(out))
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["course.png", "run.json", "summary.csv", "visits.csv"]
    visits = pd.read_csv(out / "visits.csv")
    assert len(visits) == 4 * 2 and set(visits.action) <= {"baseline", "up", "down", "keep"}
    meta = json.loads((out / "run.json").read_text())
    assert meta["protocol_detail"]["name"] == "Drake 1998" and meta["dose_unit"] == "mg/day"
