"""``somatosim simulate`` (click CliRunner) and the profile figure (somatosim.plotting).

Runs are 1 subject × 1 day with the CLI's outputs, so JAX compiles the engine once for the
whole module (about 7 s); bad-input tests never reach the simulator.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from somatosim.assay import SamplingPlan, sample
from somatosim.cli import main
from somatosim.cli.simulate import FILES, OUTPUTS
from somatosim.plotting import plot_profile, sleep_periods
from somatosim.simulation import simulate
from somatosim.subject import Subject

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SAMPLE_COLUMNS = [
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
    "igf1_free_true",
]


@pytest.fixture(scope="module")
def ds():
    return simulate(Subject(age=30, sex="female"), 1, seed=4, outputs=OUTPUTS)


def invoke(*args: str):
    return CliRunner().invoke(main, ["simulate", *args])


# --- a good run -------------------------------------------------------------------------------


def test_simulate_writes_csv_png_and_run_json(tmp_path):
    out = tmp_path / "runs" / "male30"
    r = invoke(
        "--age",
        "30",
        "--sex",
        "male",
        "--days",
        "1",
        "--seed",
        "1",
        "--out",
        str(out),
        "--interval",
        "20",
        "--no-progress",
    )
    assert r.exit_code == 0, r.output
    assert "research and teaching" in r.output and "not medical advice" in r.output
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert [p.name for p in out.parent.iterdir()] == ["male30"]  # no temporary directory left

    df = pd.read_csv(out / "samples.csv")
    assert list(df.columns) == SAMPLE_COLUMNS
    assert len(df) == 72 and df["time_min"].iloc[1] == 20
    assert (df["gh_true"] > 0).all() and (df["gh_secretion_true"] >= 0).all()
    assert df["igf1_true"].between(50, 600).all()
    assert df["gh_below_detection"].dtype == bool
    assert (out / "profile.png").read_bytes()[:8] == PNG_MAGIC

    run = json.loads((out / "run.json").read_text())
    assert run["seed"] == 1 and run["somatosim_version"]
    assert "not medical advice" in run["disclaimer"]
    assert run["subject"]["age"] == 30 and run["subject"]["sex"] == "male"
    assert run["sampling"]["interval_min"] == 20 and run["gh_assay"]["cv"] == 0.05
    assert (
        run["columns"]["gh_measured"] == "ug/L"
        and run["columns"]["gh_secretion_true"] == "ug/L/min"
    )


def test_same_seed_same_csv_and_existing_dir_is_updated_in_place(tmp_path):
    args = (
        "--days",
        "1",
        "--seed",
        "7",
        "--interval",
        "30",
        "--sex",
        "FEMALE",
        "--age",
        "45",
        "--weight",
        "80",
        "--waist",
        "95",
        "--postmenopausal",
        "--meals",
        "7, 12.5,18",
        "--sleep-onset",
        "22.5",
        "--sleep-duration",
        "7",
    )
    a, b = tmp_path / "a", tmp_path / "b"
    b.mkdir()
    (b / "notes.txt").write_text("keep me")
    assert invoke(*args, "--out", str(a)).exit_code == 0
    r = invoke(*args, "--out", str(b))
    assert r.exit_code == 0, r.output
    assert (a / "samples.csv").read_text() == (b / "samples.csv").read_text()
    assert (b / "notes.txt").read_text() == "keep me"
    run = json.loads((b / "run.json").read_text())
    assert (
        run["subject"]["meal_times_h"] == [7.0, 12.5, 18.0]
        and run["subject"]["postmenopausal"] is True
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


def test_cohort_without_variability(tmp_path):
    out = tmp_path / "cohort"
    r = invoke(
        "--n-subjects",
        "2",
        "--no-variability",
        "--days",
        "1",
        "--interval",
        "60",
        "--out",
        str(out),
        "--cv",
        "0",
        "--detection-limit",
        "0",
    )
    assert r.exit_code == 0, r.output
    df = pd.read_csv(out / "samples.csv")
    assert sorted(df["subject"].unique()) == [0, 1] and len(df) == 48
    np.testing.assert_allclose(df["gh_measured"], df["gh_true"], rtol=1e-5)  # CV 0: truth
    run = json.loads((out / "run.json").read_text())
    assert run["run"]["n_subjects"] == 2 and run["run"]["variability"] is False


# --- bad input: one clear message, non-zero exit, nothing written -----------------------------


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--age", "120"], ["--age", "age = 120 is not allowed", "[3, 90] years"]),
        (["--age", "thirty"], ["--age", "'thirty' is not a number", "[3, 90]"]),
        (["--weight", "-70"], ["--weight", "weight = -70", "[10, 300] kg"]),
        (["--sex", "robot"], ["--sex", "'robot' is not one of", "male"]),
        (["--days", "0"], ["--days", "days = 0 is not allowed", "(0, 3660] days"]),
        (["--days", "-2"], ["--days", "days = -2"]),
        (["--days", "0.0001"], ["--days", "whole number"]),
        (["--interval", "0"], ["--interval", "interval = 0", "> 0 min"]),
        (["--interval", "2.5"], ["--interval", "sampling time 2.5 min", "simulation grid"]),
        (["--cv", "5"], ["--cv", "cv = 5", "[0, 1]"]),
        (["--detection-limit", "-0.1"], ["--detection-limit", ">= 0"]),
        (["--seed", "-1"], ["--seed", "seed = -1", "whole number"]),
        (["--seed", "1.5"], ["--seed", "seed = 1.5"]),
        (["--n-subjects", "0"], ["--n-subjects", "n-subjects = 0"]),
        (["--pubertal-stage", "7"], ["--pubertal-stage", "[1, 5]"]),
        (["--meals", "8,25"], ["--meals", "meal time 25", "[0, 24)"]),
        (["--sleep-duration", "0"], ["--sleep-duration", "(0, 16] h"]),
    ],
)
def test_bad_input_fails_cleanly_before_simulating(tmp_path, args, expected):
    out = tmp_path / "out"
    r = invoke(*args, "--out", str(out))
    assert r.exit_code != 0
    for text in expected:
        assert text in r.output, r.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_out_is_a_file(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    r = invoke("--out", str(f))
    assert r.exit_code != 0 and "--out" in r.output
    assert f.read_text() == "x"


def test_failure_while_writing_leaves_nothing(tmp_path, monkeypatch):
    import somatosim.cli.simulate as cli_sim

    def boom(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(cli_sim.json, "dumps", boom)
    out = tmp_path / "new" / "deeper" / "out"
    r = invoke("--days", "1", "--out", str(out))
    assert r.exit_code != 0
    assert list(tmp_path.iterdir()) == []  # not even the parent folders it had to create


def test_help_documents_every_option():
    r = CliRunner().invoke(main, ["simulate", "--help"])
    assert r.exit_code == 0
    for opt in (
        "--age",
        "--sex",
        "--height",
        "--weight",
        "--waist",
        "--visceral-fat",
        "--postmenopausal",
        "--premenopausal",
        "--pubertal-stage",
        "--sleep-onset",
        "--sleep-duration",
        "--meals",
        "--days",
        "--seed",
        "--out",
        "--interval",
        "--cv",
        "--igf1-cv",
        "--detection-limit",
        "--floor-sd",
        "--n-subjects",
        "--no-variability",
        "--progress",
        "--no-progress",
    ):
        assert opt in r.output
    from somatosim.cli.simulate import simulate_command

    assert all(p.help for p in simulate_command.params if p.name != "help")


# --- the figure ---------------------------------------------------------------------------------


def test_sleep_periods():
    t = np.arange(10.0) * 10
    flags = np.array([1, 1, 0, 0, 1, 1, 1, 0, 0, 1], bool)
    assert sleep_periods(flags, t) == [(0.0, 20.0), (40.0, 70.0), (90.0, 100.0)]
    assert sleep_periods(np.zeros(10, bool), t) == []


def test_plot_profile_panels_and_png(ds, tmp_path):
    df = sample(ds, SamplingPlan(10), seed=4)
    path = tmp_path / "p.png"
    fig = plot_profile(ds, sampled=df, path=path)
    assert path.read_bytes()[:8] == PNG_MAGIC
    ax_gh, ax_igf, ax_free = fig.axes
    assert "GH" in ax_gh.get_ylabel() and "total IGF-1" in ax_igf.get_ylabel()
    assert "free IGF-1" in ax_free.get_ylabel()
    assert "female, 30 y" in ax_gh.get_title()
    assert ax_igf.get_ylim()[0] == 0 and ax_igf.get_ylim()[1] > ds.igf1_total.max()
    assert len(ax_gh.patches) == len(sleep_periods(ds.asleep[0].values, ds.time.values)) >= 1
    labels = [t.get_text() for t in ax_igf.get_xticklabels()]
    assert "06:00" in labels and "12:00" in labels
    n_points = sum(len(line.get_xdata()) for line in ax_gh.lines if line.get_linestyle() == "None")
    assert n_points == 144


def test_plot_profile_rejects_bad_subject(ds):
    from somatosim._validation import InputError

    with pytest.raises(
        InputError, match=r"subject = 3 is not allowed: expected an index in \[0, 0\]"
    ):
        plot_profile(ds, subject=3)
