"""``somatosim validate`` with parameter overrides, target subsets and a comparison with an earlier
run, and :func:`somatosim.validation.changes`."""

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from somatosim.cli import main
from somatosim.validation import changes

# GH kinetics runs in well under a second, so these tests use its target.
FAST = "gh_half_life"


def _validate(*args):
    return CliRunner().invoke(main, ["validate", "--no-figures", *args])


def test_variant_report_names_overrides_and_lists_the_change(tmp_path):
    base = _validate("--target", FAST, "--out", str(tmp_path / "base"))
    assert base.exit_code == 0, base.output
    shipped = pd.read_csv(tmp_path / "base" / "results.csv")
    assert list(shipped.id) == [FAST]  # only the chosen target ran

    run = _validate("--target", FAST, "--set", "gh_half_life_slow=40", "--out", str(tmp_path / "var"),
                    "--against", str(tmp_path / "base" / "results.csv"))
    assert run.exit_code == 0, run.output
    variant = pd.read_csv(tmp_path / "var" / "results.csv")
    # a slower slow phase lengthens the mono-exponential half-life
    assert variant.model[0] > shipped.model[0] * 1.2
    assert "`gh_half_life_slow` = 40" in (tmp_path / "var" / "report.md").read_text()
    assert "not the shipped one" in (tmp_path / "var" / "report.md").read_text()
    diff = pd.read_csv(tmp_path / "var" / "changes.csv")
    assert list(diff.id) == [FAST]
    assert "1 of 1 targets changed" in run.output and FAST in run.output
    # the shipped report is untouched by the variant (base still has the shipped value)
    assert "not the shipped one" not in (tmp_path / "base" / "report.md").read_text()


def test_variant_or_partial_report_needs_out(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for args in (["--set", "ghr_tau=1000"], ["--target", FAST]):
        run = _validate(*args)
        assert run.exit_code == 2
        assert "--out" in run.output
    assert not (tmp_path / "validation").exists()


@pytest.mark.parametrize("args, needle", [
    (["--target", "no_such_target"], "no_such_target"),
    (["--set", "no_such_parameter=1"], "no_such_parameter"),
    (["--set", "ghr_tau=nan"], "finite"),
    (["--set", "ghr_tau"], "NAME=VALUE"),
])
def test_bad_input_is_named(tmp_path, args, needle):
    run = _validate(*args, "--out", str(tmp_path / "out"))
    assert run.exit_code == 2
    assert needle in run.output
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_against_must_be_a_results_table(tmp_path):
    bogus = tmp_path / "other.csv"
    bogus.write_text("a,b\n1,2\n")
    run = _validate("--target", FAST, "--out", str(tmp_path / "out"), "--against", str(bogus))
    assert run.exit_code == 2
    assert "results.csv" in run.output


_rows = st.lists(
    st.tuples(st.sampled_from(["green", "yellow", "red"]), st.floats(0.01, 1e3)), min_size=1, max_size=8)


def _table(rows):
    return pd.DataFrame({"id": [f"t{i}" for i in range(len(rows))], "domain": "d",
                         "status": [s for s, _ in rows], "model": [m for _, m in rows],
                         "published": "1"})


@given(_rows, st.data())
def test_changes_lists_exactly_what_moved(rows, data):
    table = _table(rows)
    assert changes(table, table).empty
    i = data.draw(st.integers(0, len(rows) - 1))
    moved = table.copy()
    moved.loc[i, "model"] = table.model[i] * 1.5
    out = changes(table, moved)
    assert list(out.id) == [f"t{i}"]
    assert out.model_before[0] == table.model[i] and out.model_after[0] == moved.model[i]
    # a target the earlier run did not have is listed as new; one it had but this run skipped is not
    extra = pd.concat([moved, _table([("green", 1.0)]).assign(id="new")], ignore_index=True)
    assert set(changes(table, extra).id) == {f"t{i}", "new"}
    assert changes(table, moved.iloc[[j for j in range(len(rows)) if j != i]]).empty
