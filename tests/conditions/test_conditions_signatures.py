"""Each cause reproduces its published signature (direction and rough size) in a virtual cohort.

The cohorts are the arms of ``somatosim.validation.conditions`` (60 subjects, the core
validation's seed and outputs, so the engine compiled for the core validation is reused and the
arms are cached for the validation targets in the same session). Ratios are medians of a
condition arm over its control arm; arms of a comparison share subjects and noise.
"""

from __future__ import annotations

import pytest

from somatosim.validation import conditions as vc


def r(name, control, metric):
    return vc.ratio(name, control, metric)


def test_pituitary_ghd_low_gh_low_igf1_no_ghrh_response():
    assert r("pituitary", "control", "mean_gh") < 0.4
    assert r("pituitary", "control", "igf1") < 0.6
    assert r("pituitary", "control", "test_peak") < 0.2


def test_hypothalamic_ghd_low_gh_but_ghrh_still_works():
    assert r("hypothalamic", "control", "mean_gh") < 0.4
    assert r("hypothalamic", "control", "igf1") < 0.6
    assert r("hypothalamic", "control", "test_peak") > 0.5  # somatotrophs and their receptors intact


def test_inherited_defects():
    # GH1 deletion: no GH at all; IGF-1 at its GH-independent floor.
    assert vc.median("gh1", "mean_gh") < 1e-3
    assert r("gh1", "control", "igf1") < 0.4
    # GHRH-receptor null: GH pulses < 1 % of normal, no response to GHRH.
    assert r("ghrh_receptor", "control", "mean_gh") < 0.01
    assert r("ghrh_receptor", "control", "test_peak") < 0.2
    # Bioinactive GH: immunoreactive GH up, IGF-1 down.
    assert r("bioinactive", "control", "mean_gh") > 1.3
    assert r("bioinactive", "control", "igf1") < 0.8


def test_laron_gh_resistance_pattern():
    assert r("laron", "control", "mean_gh") >= 2.0
    assert r("laron", "control", "igf1") < 0.41  # Guevara-Aguirre 1990: adults <= 66 vs 98-238 ug/L
    assert r("laron", "control", "igfbp3") < 0.8


def test_cirrhosis_gh_resistance_grows_with_child_pugh():
    assert r("cirrhosis_cp10", "control_older", "igf1") < 0.5
    assert r("cirrhosis_cp10", "control_older", "mean_gh") > 1.3
    assert r("cirrhosis_cp10", "cirrhosis_cp6", "igf1") < 0.9
    assert r("cirrhosis_cp10", "control_older", "clearance") < 1.0


def test_cirrhosis_blunts_the_igf1_generation_test():
    # Assy 2008: IGF-1 +133 % 24 h after GH 0.06 mg/kg in controls, +49 % at MELD < 10 and +13 %
    # at MELD 19-24, although basal IGF-1 was only 0.79 x the controls'.
    gen = vc.igf1_generation()
    assert gen["control_increment"] > 0.8
    assert gen["meld_low_vs_control"] < 0.6
    assert gen["meld_high_vs_control"] < gen["meld_low_vs_control"]


def test_ckd_half_clearance_normal_total_low_free_igf1():
    assert 0.4 < r("ckd_stage4", "control_older", "clearance") < 0.6
    assert 0.8 < r("ckd_stage4", "control_older", "igf1") < 1.2
    assert r("ckd_stage4", "control_older", "igf1_free") < 0.8
    assert r("ckd_dialysis", "control_older", "mean_gh") > 1.5
    assert r("ckd_dialysis", "control_older", "igf1_free") < r("ckd_stage4", "control_older", "igf1_free")


def test_anorexia_low_igf1_with_raised_basal_gh():
    assert r("anorexia", "control_women", "igf1") < 0.8
    assert r("anorexia", "control_women", "nadir_gh") > 1.5


def test_acute_illness_gh_resistance():
    assert r("acute_illness", "control_older", "igf1") < 0.6
    assert r("acute_illness", "control_older", "mean_gh") > 1.3


def test_male_hypogonadism_lowers_gh_secretion():
    assert 1.3 < r("control_old_men", "hypogonadism", "production_ug") < 2.2


def test_irradiation_is_dose_time_progressive_and_hypothalamic_first():
    three = r("irradiation_30gy_3y_arginine", "control_arginine", "test_peak")
    ten = r("irradiation_30gy_10y_arginine", "control_arginine", "test_peak")
    assert ten < three < 0.7
    assert r("irradiation_30gy_3y_ghrh", "control", "test_peak") > 0.5


@pytest.mark.parametrize("name", ["conditions_ghd_signatures", "conditions_kidney"])
def test_scenarios_return_finite_metrics(name):
    import math

    out = vc.SCENARIOS[name]()
    assert out and all(math.isfinite(v) for v in out.values())


def test_causes_validation_does_not_regress():
    # The current tally (validation/report.md, "Causes of deficiency"): 24 of 28 green; the red and
    # yellow ones are documented in docs/causes.md. Losing a green target fails.
    from somatosim.validation import evaluate, load_targets

    table = evaluate([t for t in load_targets() if t.scenario in vc.SCENARIOS])
    assert not (table.must_pass & (table.status == "red")).any()
    assert (table.status == "green").mean() >= 0.85, table[["id", "model", "published", "status"]].to_string()
