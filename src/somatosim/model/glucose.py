r"""Glucose and insulin: the Bergman minimal model, coupled both ways to the GH axis.

Glucose kinetics and remote insulin action follow the minimal model of Bergman, Ider, Bowden &
Cobelli (Am J Physiol 1979;236:E667-E677) with typical normal-subject values; insulin follows
its first-order kinetics with secretion rising linearly with glucose above a threshold
(Bergman, Phillips & Cobelli, J Clin Invest 1981;68:1456-1467, without the time factor of the
IVGTT form, so that it applies to meals and to any other glucose disturbance):

.. math::
    \dot G = -(S_G + X)\,G + S_G G_b + R_a / V_G,\qquad
    \dot X = -p_2 X + p_2 S_I\,\phi_{GH}\,(I - I_b),

    \dot I = n\,(I_b - I) + \gamma\,\big([G-h]_+ - [G_b-h]_+\big) + R_I / V_I

Coupling to the axis:

* hypoglycaemia drives GHRH neurones and withdraws somatostatin (counter-regulation; the GH
  response begins near 66 mg/dL, Schwartz et al. J Clin Invest 1987;79:777-781), which is what
  makes the insulin tolerance test work (:mod:`somatosim.clinic.stimulation`);
* hyperglycaemia raises somatostatin tone and so suppresses GH (the oral glucose tolerance test);
* GH opposes insulin action: insulin sensitivity falls as the GH-receptor signal rises above its
  reference (:math:`\phi_{GH}`; Møller & Jørgensen, Endocr Rev 2009;30:152-177).

What the model gives (checked in ``validation/targets_clinic.toml`` and ``tests/clinic``):
fasting glucose 92 mg/dL and insulin 7.3 µU/mL (HOMA-IR 1.66; non-diabetic adults: median 1.54,
Matli 2021); after 75 g oral glucose a peak near 140 mg/dL at 60 min, 2-h glucose about 114
mg/dL, GH suppressed below 1 µg/L and rebounding 3–4 h later; after 0.1 U/kg IV insulin a
nadir near 39 mg/dL at 30 min. The counter-regulatory GH drive is half-maximal at 50 mg/dL
(about 10 % at the 66-mg/dL threshold of Schwartz 1987, 85 % at the 40-mg/dL adequacy limit of
the ITT), so the GH response follows the depth of the nadir. Not modelled: the rise of fasting
insulin and HOMA-IR with adiposity (no covariate links visceral fat to insulin sensitivity) and
a lag between low glucose and the hypothalamic response (the GH response starts at once).

Units: time min; glucose mg/dL; insulin µU/mL (= mU/L); remote insulin action X 1/min;
glucose appearance mg/min; insulin infusion mU/min.
"""

from __future__ import annotations

from somatosim.model.hill import hill_down, hill_up


def hypoglycaemia_signal(glucose, p):
    """Counter-regulatory signal of low glucose (0 at normal glucose, → 1 in severe hypoglycaemia)."""
    return hill_down(glucose, p["hypoglycaemia_potency"], p["hypoglycaemia_hill"])


def glucose_srif_factor(glucose, p):
    """Factor on somatostatin release from glucose above fasting, 1 at the basal glucose."""
    g = p["glucose_srif_gain"]
    here = hill_up(glucose, p["glucose_srif_potency"], p["glucose_srif_hill"])
    basal = hill_up(p["glucose_basal"], p["glucose_srif_potency"], p["glucose_srif_hill"])
    return (1.0 + g * here) / (1.0 + g * basal)


def gh_insulin_factor(signal, p, xp):
    """Factor on insulin sensitivity from GH action, 1 at the reference GH-receptor signal."""
    return xp.exp(-p["gh_insulin_antagonism"] * (signal - p["ghr_signal_reference"]))


def _relu(x):
    return 0.5 * (x + abs(x))


def glucose_rates(glucose, action, insulin, appearance, insulin_in, si_factor, p):
    """(dG/dt, dX/dt, dI/dt) of the minimal model, in mg/dL/min, 1/min², µU/mL/min."""
    d_g = (-(p["glucose_effectiveness"] + action) * glucose + p["glucose_effectiveness"] * p["glucose_basal"]
           + appearance / p["glucose_volume"])
    d_x = p["insulin_action_rate"] * (-action + p["insulin_sensitivity"] * si_factor * (insulin - p["insulin_basal"]))
    h = p["insulin_secretion_threshold"]
    secretion = p["insulin_secretion_gain"] * (_relu(glucose - h) - _relu(p["glucose_basal"] - h))
    d_i = p["insulin_clearance"] * (p["insulin_basal"] - insulin) + secretion + insulin_in / p["insulin_volume"]
    return d_g, d_x, d_i


def homa_ir(glucose_mg_dl, insulin_uU_ml):
    """HOMA-IR from fasting glucose (mg/dL) and insulin (µU/mL): G[mmol/L] × I / 22.5.

    Matthews DR et al. Diabetologia 1985;28:412-419.
    """
    return glucose_mg_dl / 18.016 * insulin_uU_ml / 22.5
