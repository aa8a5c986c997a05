"""Lab reports (Markdown, HTML, figures) and the ``somatosim lab`` command."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from somatosim.cli import main
from somatosim.clinic.interpretation import STANDING_STATEMENT, interpret
from somatosim.clinic.lab_report import (
    FIGURE_IGF1,
    FIGURE_STIMULATION,
    build_figures,
    render_html,
    render_markdown,
    report_files,
)

PNG = b"\x89PNG\r\n\x1a\n"

PERSON_TOML = """\
id = "teaching case 1"
age = 56
sex = "male"
height_cm = 175
weight_kg = 72

[igf1]
value = 45
unit = "ng/mL"

[history]
liver_disease = true

[[stimulation]]
test = "glucagon"
peak_gh = 9.5

[labs]
alt_u_per_l = 85
albumin_g_per_l = 29
bilirubin_umol_per_l = 40
"""


@pytest.fixture(scope="module")
def interp():
    return interpret({
        "id": "case <b>&", "age": 52, "sex": "male", "bmi": 31.9, "igf1": {"value": 40},
        "history": {"pituitary_surgery": True, "other_pituitary_deficits": 1},
        "stimulation": [{"test": "glucagon", "peak_gh": 0.6},
                        {"test": "insulin_tolerance", "peak_gh": 4, "glucose_nadir": 1.9}],
    })


def test_markdown_report(interp):
    md = render_markdown(interp)
    assert md.startswith("# somatosim lab report: case <b>&")
    assert STANDING_STATEMENT in md
    for heading in ("## IGF-1", "## Is GH stimulation testing indicated?",
                    "## Stimulation test results", "## Pattern",
                    "## Causes to consider and the tests that separate them",
                    "## Adult checklist", "## Long-term associations", "## Sources"):
        assert heading in md
    assert f"]({FIGURE_IGF1})" in md and f"]({FIGURE_STIMULATION})" in md
    # numbered citations resolve to the numbered source list
    cited = {int(n) for group in re.findall(r"\[(\d+(?:, \d+)*)\]", md)
             for n in group.split(", ")}
    assert cited and max(cited) <= len(interp.sources)
    assert f"{len(interp.sources)}. " in md
    assert "Yuen KCJ et al. AACE/ACE 2019" in md
    assert "[M: recalled background" in md  # ES 2011 numbers are marked as unverified
    no_figs = render_markdown(interp, {})
    assert "![" not in no_figs


def test_html_report_is_self_contained_and_escaped(interp):
    page = render_html(interp)
    assert page.startswith("<!DOCTYPE html>")
    assert STANDING_STATEMENT in page
    assert page.count("data:image/png;base64,") == 2
    assert "case &lt;b&gt;&amp;" in page and "<b>&" not in page
    assert not re.search(r'src="(?!data:)', page)  # nothing loaded from outside
    assert "<link" not in page and "<script" not in page
    assert 'href="#src-1"' in page and 'id="src-1"' in page
    assert "<strong>" in page


def test_figures(interp):
    figs = build_figures(interp)
    assert set(figs) == {FIGURE_IGF1, FIGURE_STIMULATION}
    ax = figs[FIGURE_IGF1].axes[0]
    assert ax.get_xlim()[0] <= 52 <= ax.get_xlim()[1]
    no_stim = interpret({"age": 8, "sex": "female", "igf1": {"value": 90}})
    assert set(build_figures(no_stim)) == {FIGURE_IGF1}


def test_report_files(interp):
    files = report_files(interp, ["md"])
    assert set(files) == {"report.md", "interpretation.json", FIGURE_IGF1, FIGURE_STIMULATION}
    assert files[FIGURE_IGF1].startswith(PNG)
    d = json.loads(files["interpretation.json"])
    assert d["statement"] == STANDING_STATEMENT
    with pytest.raises(ValueError, match="formats"):
        report_files(interp, ["pdf"])


# ------------------------------------------------------------------------------- CLI


@pytest.fixture
def person_file(tmp_path):
    f = tmp_path / "person.toml"
    f.write_text(PERSON_TOML, encoding="utf-8")
    return f


def run(*args):
    return CliRunner().invoke(main, ["lab", *map(str, args)])


def test_cli_both_formats(tmp_path, person_file):
    out = tmp_path / "report"
    r = run("--input", person_file, "--out", out)
    assert r.exit_code == 0, r.output
    names = {p.name for p in out.iterdir()}
    assert names == {"report.md", "report.html", "interpretation.json", FIGURE_IGF1,
                     FIGURE_STIMULATION}
    for name in ("report.md", "report.html", "interpretation.json"):
        assert STANDING_STATEMENT in (out / name).read_text(encoding="utf-8")
    d = json.loads((out / "interpretation.json").read_text(encoding="utf-8"))
    assert d["pattern"]["code"] == "gh_resistance"
    assert d["causes"][0]["key"] == "liver"
    assert d["provenance"]["input file"] == str(person_file)
    assert "GH-resistance pattern" in r.stdout
    assert "not medical advice" in r.stdout


def test_cli_markdown_only_and_extra_peak(tmp_path, person_file):
    out = tmp_path / "md"
    r = run("--input", person_file, "--out", out, "--format", "md", "--peak", "macimorelin=1.0")
    assert r.exit_code == 0, r.output
    assert not (out / "report.html").exists()
    assert (out / "report.md").exists()
    d = json.loads((out / "interpretation.json").read_text(encoding="utf-8"))
    assert [s["test"] for s in d["stimulation"]] == ["glucagon", "macimorelin"]
    assert d["pattern"]["code"] == "indeterminate"


def test_cli_bad_file_names_file_field_value_and_writes_nothing(tmp_path):
    f = tmp_path / "person.toml"
    f.write_text('age = 45\nsex = "male"\nweight = 80\n[igf1]\nvalue = 0\n', encoding="utf-8")
    out = tmp_path / "nested" / "out"
    r = run("--input", f, "--out", out)
    assert r.exit_code == 2
    assert str(f) in r.output
    assert "weight = 80 is not allowed: unknown key (did you mean 'weight_kg'?)" in r.output
    assert "igf1.value = 0 is not allowed: expected a number > 0" in r.output
    assert not (tmp_path / "nested").exists()


def test_cli_unit_warning_is_printed(tmp_path):
    f = tmp_path / "person.toml"
    f.write_text('age = 45\nsex = "male"\n[igf1]\nvalue = 150\nunit = "nmol/L"\n',
                 encoding="utf-8")
    r = run("--input", f, "--out", tmp_path / "o")
    assert r.exit_code == 0, r.output
    assert "Warning:" in r.stderr and "probably in ng/mL" in r.stderr


def test_cli_rejects_mixing_input_and_virtual_options(tmp_path, person_file):
    r = run("--input", person_file, "--out", tmp_path / "o", "--age", "30")
    assert r.exit_code == 2 and "--age" in r.output


@pytest.mark.parametrize(("args", "text"), [
    (("--override", "somatotroph_capacty=0.1"), "did you mean 'somatotroph_capacity'"),
    (("--override", "somatotroph_capacity"), "KEY=VALUE"),
    (("--override", "somatotroph_capacity=-1"), "expected a number >= 0"),
    (("--peak", "glucagon=abc"), "glucagon = 'abc' is not allowed"),
    (("--age", "1"), "subject.age"),
])
def test_cli_bad_virtual_patient_options_fail_before_simulating(tmp_path, args, text):
    r = run("--out", tmp_path / "o", *args)
    assert r.exit_code == 2
    assert text in r.output
    assert not (tmp_path / "o").exists()


def test_cli_virtual_patient(tmp_path):
    # The only simulation in these tests: one subject, one day.
    out = tmp_path / "virtual"
    r = run("--out", out, "--age", "50", "--seed", "1", "--format", "html",
            "--override", "somatotroph_capacity=0.1",
            "--history", "pituitary_surgery=true", "--peak", "glucagon=0.5")
    assert r.exit_code == 0, r.output
    d = json.loads((out / "interpretation.json").read_text(encoding="utf-8"))
    assert d["provenance"]["seed"] == 1
    assert d["provenance"]["overrides"] == "somatotroph_capacity=0.1"
    assert d["igf1"]["value"] > 0 and d["age"] == 50
    assert d["input"]["history"]["pituitary_surgery"] is True
    assert d["stimulation"][0]["origin"].startswith("given on the command line")
    assert d["pattern"]["code"] == "gh_deficiency"
    assert STANDING_STATEMENT in (out / "report.html").read_text(encoding="utf-8")
