"""Parameter overrides and the generic calibration against validation targets."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from somatosim import load_parameters, parameter_overrides
from somatosim._validation import InputError
from somatosim.validation.calibrate import AGEING, PRESETS, calibrate, objective
from somatosim.validation.report import load_targets


def test_overrides_apply_inside_and_are_restored():
    shipped = load_parameters()["ghr_tau"].value
    with parameter_overrides(ghr_tau=1234.0):
        p = load_parameters()["ghr_tau"]
        assert p.value == 1234.0
        assert p.kind == "assumption"  # marked as a user change
        with parameter_overrides(ghr_tau=99.0, ghr_ec50=3.0):
            assert load_parameters()["ghr_tau"].value == 99.0
        assert load_parameters()["ghr_tau"].value == 1234.0
        assert load_parameters()["ghr_ec50"].value != 3.0
    assert load_parameters()["ghr_tau"].value == shipped


def test_overrides_restored_after_an_error():
    shipped = load_parameters()["ghr_tau"].value
    with pytest.raises(RuntimeError), parameter_overrides(ghr_tau=1.0):
        raise RuntimeError("boom")
    assert load_parameters()["ghr_tau"].value == shipped


def test_overrides_reach_cached_defaults():
    from somatosim.therapy.products import default_parameters

    before = default_parameters()["rx_somatropin_ka"]
    with parameter_overrides(rx_somatropin_ka=before * 2):
        assert default_parameters()["rx_somatropin_ka"] == before * 2
    assert default_parameters()["rx_somatropin_ka"] == before


@pytest.mark.parametrize("bad", [{"no_such_parameter": 1.0}, {"ghr_tau": math.nan}, {"ghr_tau": "fast"}])
def test_overrides_reject_bad_input(bad):
    with pytest.raises((KeyError, ValueError)) as err, parameter_overrides(**bad):
        pass
    assert next(iter(bad)) in str(err.value)


def test_calibrate_recovers_a_published_ratio():
    # Shah 1999's 0.5 -> 7.5 ug/L half-life ratio fixes the Michaelis constant of extra-renal
    # clearance: from a start far off, the fit brings the model onto the target.
    fit = calibrate(["gh_extrarenal_km"], ["gh_saturable_clearance"], start={"gh_extrarenal_km": 12.0},
                    max_evaluations=20)
    start_objective = fit.history[0][1]
    assert fit.objective < start_objective / 100
    assert fit.models["gh_saturable_clearance"] == pytest.approx(1.67, rel=0.02)
    assert fit.evaluations <= 20
    assert load_parameters()["gh_extrarenal_km"].value == 4.0  # nothing written


@pytest.mark.parametrize(
    ("parameters", "targets", "kwargs", "word"),
    [
        (["nope"], ["gh_half_life"], {}, "nope"),
        (["gh_extrarenal_km"], ["no_such_target"], {}, "no_such_target"),
        ([], ["gh_half_life"], {}, "parameters"),
        (["gh_extrarenal_km"], [], {}, "targets"),
        (["gh_extrarenal_km"], {"gh_half_life": -1.0}, {}, "weight"),
        (["gh_extrarenal_km"], ["gh_half_life"], {"start": {"gh_extrarenal_km": 0.0}}, "gh_extrarenal_km"),
        (["gh_extrarenal_km"], ["gh_half_life"], {"max_evaluations": 0}, "max_evaluations"),
        (["gh_extrarenal_km"], ["gh_half_life"], {"start": {"ghr_tau": 10.0}}, "ghr_tau"),
    ],
)
def test_calibrate_bad_input(parameters, targets, kwargs, word):
    with pytest.raises(InputError, match=word):
        calibrate(parameters, targets, **kwargs)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_shipped_joint_fits_name_real_parameters_and_targets(name):
    ids = {t.id for t in load_targets()}
    shipped = load_parameters()
    fit = PRESETS[name]
    assert set(fit.targets) <= ids
    assert all(p in shipped for p in fit.parameters)
    assert AGEING is PRESETS["ageing"]


def test_cli_offers_every_preset():
    from somatosim.cli import main

    option = next(p for p in main.commands["calibrate"].params if p.name == "preset")
    assert sorted(option.type.choices) == sorted(PRESETS)


@given(st.dictionaries(st.sampled_from("abcd"), st.floats(1e-3, 1e3), min_size=1),
       st.floats(1e-2, 1e2))
def test_objective_is_a_symmetric_log_distance(published, ratio):
    weights = dict.fromkeys(published, 1.0)
    assert objective(published, published, weights) == 0.0
    up = objective({k: v * ratio for k, v in published.items()}, published, weights)
    down = objective({k: v / ratio for k, v in published.items()}, published, weights)
    assert up >= 0.0
    assert up == pytest.approx(down, rel=1e-9, abs=1e-12)
    assert up == pytest.approx(len(published) * math.log(ratio) ** 2, rel=1e-9, abs=1e-12)
    assert objective({k: 0.0 for k in published}, published, weights) == math.inf


def test_cli_calibrate_prints_the_fit():
    from click.testing import CliRunner

    from somatosim.cli import main

    res = CliRunner().invoke(main, ["calibrate", "--param", "gh_extrarenal_km", "--target", "gh_saturable_clearance=2",
                                    "--start", "gh_extrarenal_km=12", "--max-evaluations", "12", "--quiet"])
    assert res.exit_code == 0, res.output
    value = float(res.output.split("gh_extrarenal_km = ")[1].split()[0])
    assert 4.0 < value < 7.0  # the ratio 1.67 sits between the shipped 4 and the start 12


@pytest.mark.parametrize("args", [["--param", "nope", "--target", "gh_half_life"],
                                  ["--param", "gh_extrarenal_km", "--target", "gh_half_life=heavy"],
                                  ["--param", "gh_extrarenal_km", "--start", "x"],
                                  ["--target", "gh_half_life"]])
def test_cli_calibrate_bad_input_is_a_usage_error(args):
    from click.testing import CliRunner

    from somatosim.cli import main

    res = CliRunner().invoke(main, ["calibrate", *args])
    assert res.exit_code == 2
    assert "Error" in res.output


def test_overrides_empty_caches_kept_in_registries(monkeypatch):
    # Scenario registries hold cached runs in module-level dicts (validation.lifestyle.SCENARIOS);
    # those must be emptied too, or a calibration would read the run of the shipped values.
    import sys
    import types
    from functools import cache

    calls = []

    @cache
    def run():
        calls.append(load_parameters()["ghr_tau"].value)
        return calls[-1]

    fake = types.ModuleType("somatosim._fake_registry")
    fake.SCENARIOS = {"run": run}
    monkeypatch.setitem(sys.modules, fake.__name__, fake)
    shipped = run()
    with parameter_overrides(ghr_tau=shipped / 2):
        assert fake.SCENARIOS["run"]() == shipped / 2
    assert fake.SCENARIOS["run"]() == shipped
    assert len(calls) == 3
