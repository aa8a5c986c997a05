"""Unit conversions: the one place where somatosim changes units.

Canonical units inside the model (DESIGN.md): time in minutes, GH in µg/L (= ng/mL),
IGF-1, IGFBP-3 and ALS in ng/mL, GHRH and somatostatin in pg/mL.

Sources
-------
* IGF-1: 1 nmol/L = 7.65 ng/mL (molar mass 7649 g/mol; Bidlingmaier et al., JCEM 2014).
* GH: 1 mg = 3 IU (WHO International Standard 98/574; older standards 2.6–2.7 IU/mg).
* IGFBP-3: core protein 28.7 kDa; glycosylated serum forms 40–45 kDa. Immunoassays are calibrated
  by mass, so somatosim keeps IGFBP-3 in ng/mL and uses the core mass only for molar ratios.
"""

from __future__ import annotations

import numpy as np

#: ng/mL of IGF-1 per nmol/L (molar mass of IGF-1, 7649 g/mol).
IGF1_NG_PER_ML_PER_NMOL_PER_L = 7.65
#: International units of somatropin per mg (WHO IS 98/574).
GH_IU_PER_MG = 3.0
#: Molar mass of the IGFBP-3 core protein, g/mol.
IGFBP3_G_PER_MOL = 28_700.0
#: Molar mass of IGF-1, g/mol.
IGF1_G_PER_MOL = 7_649.0

MINUTES_PER_HOUR = 60.0
MINUTES_PER_DAY = 1440.0


def igf1_nmol_to_ng(x_nmol_per_l):
    """IGF-1 concentration from nmol/L to ng/mL."""
    return np.asarray(x_nmol_per_l, dtype=float) * IGF1_NG_PER_ML_PER_NMOL_PER_L


def igf1_ng_to_nmol(x_ng_per_ml):
    """IGF-1 concentration from ng/mL to nmol/L."""
    return np.asarray(x_ng_per_ml, dtype=float) / IGF1_NG_PER_ML_PER_NMOL_PER_L


def gh_mg_to_iu(x_mg):
    """Somatropin dose from mg to IU (3 IU/mg, WHO IS 98/574)."""
    return np.asarray(x_mg, dtype=float) * GH_IU_PER_MG


def gh_iu_to_mg(x_iu):
    """Somatropin dose from IU to mg (3 IU/mg, WHO IS 98/574)."""
    return np.asarray(x_iu, dtype=float) / GH_IU_PER_MG


def per_hour_to_per_minute(k_per_h):
    """A first-order rate constant from 1/h to 1/min."""
    return np.asarray(k_per_h, dtype=float) / MINUTES_PER_HOUR


def half_life_to_rate(t_half_min):
    """First-order rate constant (1/min) for a half-life in minutes."""
    return np.log(2.0) / np.asarray(t_half_min, dtype=float)


def rate_to_half_life(k_per_min):
    """Half-life in minutes of a first-order rate constant in 1/min."""
    return np.log(2.0) / np.asarray(k_per_min, dtype=float)
