"""``somatosim igf1-sds`` command line (click CliRunner)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from somatosim.cli import main


@pytest.fixture
def run():
    runner = CliRunner()

    def _run(*args: str):
        return runner.invoke(main, ["igf1-sds", *args])

    return _run


def test_text_report(run):
    r = run("--age", "45", "--sex", "male", "--value", "100")
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "SDS              -0.95" in out
    assert "centile          17.0" in out
    assert "reference median 131.7 ng/mL" in out
    assert "reference range  71.7-212.0 ng/mL (2.5th-97.5th centile)" in out
    assert "within -2 to +2 SDS" in out
    assert "bidlingmaier2014" in out and "IDS-iSYS" in out and "10.1210/jc.2013-3059" in out
    assert "research and teaching" in out and "not medical advice" in out
    assert r.stderr == ""


def test_json_output_in_nmol_per_l(run):
    r = run("--age", "15", "--sex", "M", "--value", str(500 / 7.65), "--unit", "nmol/L", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert round(d["sds"], 2) == 1.56
    assert d["unit"] == "nmol/L" and d["reference_range"]["unit"] == "nmol/L"
    assert d["reference_range"]["median"] == pytest.approx(318.77 / 7.65)
    assert d["band"] == "within -2 to +2 SDS" and d["warnings"] == []
    assert "not medical advice" in d["disclaimer"]


@pytest.mark.parametrize(
    ("value", "band"),
    [("20", "below -2 SDS"), ("100", "within -2 to +2 SDS"), ("400", "above +2 SDS")],
)
def test_bands(run, value, band):
    r = run("--age", "45", "--sex", "female", "--value", value, "--json")
    assert json.loads(r.stdout)["band"] == band


def test_unit_warning_is_printed(run):
    r = run("--age", "45", "--sex", "male", "--value", "20")
    assert r.exit_code == 0
    assert "Warning:" in r.stderr and "probably in nmol/L" in r.stderr
    rj = run("--age", "45", "--sex", "male", "--value", "300", "--unit", "nmol/L", "--json")
    assert "probably in ng/mL" in rj.stderr
    assert "probably in ng/mL" in json.loads(rj.stdout)["warnings"][0]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--age", "abc", "--sex", "male", "--value", "100"], "'abc' is not a valid float"),
        (["--age", "40", "--sex", "male", "--value", "lots"], "'lots' is not a valid float"),
        (["--age", "120", "--sex", "male", "--value", "100"], "age=120.0: allowed 0 to 94 years"),
        (["--age", "40", "--sex", "x", "--value", "100"], "'x' is not one of"),
        (["--age", "40", "--sex", "male", "--value", "0"], "value=0.0: allowed an IGF-1"),
        (["--age", "40", "--sex", "male", "--value", "-3"], "value=-3.0"),
        (["--age", "nan", "--sex", "male", "--value", "100"], "finite"),
        (["--age", "40", "--sex", "male", "--value", "100", "--unit", "mg/dL"], "unit='mg/dL'"),
        (["--age", "40", "--sex", "male", "--value", "100", "--reference", "x"], "reference='x'"),
        (["--sex", "male", "--value", "100"], "Missing option '--age'"),
    ],
)
def test_bad_input_exits_non_zero_with_message(run, args, expected):
    r = run(*args)
    assert r.exit_code != 0
    assert expected in r.output
    assert "Traceback" not in r.output


def test_help_mentions_disclaimer_and_references(run):
    r = run("--help")
    assert r.exit_code == 0
    assert "not medical advice" in r.output and "bidlingmaier2014" in r.output
