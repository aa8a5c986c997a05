r"""The whole axis: state and input layouts and the one vector field every engine integrates.

State (last axis of ``y``), in :data:`STATES` order:

============== ======== =====================================================
name           unit     meaning
============== ======== =====================================================
ghrh           pg/mL    portal GHRH
srif_pev       pg/mL    periventricular somatostatin (acts on the pituitary)
srif_arc       pg/mL    arcuate somatostatin (acts on GHRH neurones)
gh_delay_1..N  µg/L     transit chain carrying GH to periventricular SRIF
gh_store       –        releasable GH store in somatotrophs (1 = full)
somatotroph_   –        activation of GH exocytosis, lagging the GHRH/GHS/SRIF stimulus
activation
gh             µg/L     serum GH, central compartment
gh_peripheral  µg/L     peripheral GH (amount per litre of central volume)
ghr_signal     –        hepatic GH-receptor signal (0–1)
igf1_free      ng/mL    free IGF-1
igf1_binary    ng/mL    IGF-1 in binary complexes (IGFBP-1/-2/-4)
igf1_ternary   ng/mL    IGF-1 in ternary complexes (IGFBP-3/-5 + ALS)
igfbp3         mg/L     IGFBP-3
als            mg/L     acid-labile subunit
glucose        mg/dL    plasma glucose (Bergman minimal model)
insulin_action 1/min    remote insulin action X
insulin        µU/mL    plasma insulin
============== ======== =====================================================

Inputs (last axis of ``u``), in :data:`INPUTS` order: ``drive_noise`` (unit-variance
Ornstein–Uhlenbeck value) and the schedule channels of :data:`somatosim.schedule.CHANNELS`
(slow-wave sleep, circadian cosine, ghrelin, glucose appearance, and the channels events act on:
GHRH-drive and somatostatin factors, exogenous GHRH, GH secretagogue, somatropin and long-acting
GH agonists, somatotroph-release and hepatic GH-sensitivity factors, insulin).
"""

from __future__ import annotations

from somatosim.model import glucose as glc
from somatosim.model import hypothalamus as hyp
from somatosim.model import igf, kinetics, liver, pituitary
from somatosim.schedule import CHANNELS, GRID_CHANNELS

STATES: tuple[str, ...] = (
    "ghrh",
    "srif_pev",
    "srif_arc",
    *(f"gh_delay_{i + 1}" for i in range(hyp.N_DELAY)),
    "gh_store",
    "somatotroph_activation",
    "gh",
    "gh_peripheral",
    "ghr_signal",
    "igf1_free",
    "igf1_binary",
    "igf1_ternary",
    "igfbp3",
    "als",
    "glucose",
    "insulin_action",
    "insulin",
)
INPUTS: tuple[str, ...] = ("drive_noise", *GRID_CHANNELS)

IX = {name: i for i, name in enumerate(STATES)}
UX = {name: i for i, name in enumerate(INPUTS)}


def input_vector(drive_noise=0.0, **channels):
    """One input vector ``u`` (NumPy) with every schedule channel neutral unless given.

    E.g. ``input_vector(sws=0.8, gh_infusion=2.0)``; unknown channel names raise ``KeyError``.
    """
    import numpy as np

    u = np.array([drive_noise] + [CHANNELS[c][0] for c in GRID_CHANNELS], dtype=float)
    for name, value in channels.items():
        if name not in UX or name == "drive_noise":
            raise KeyError(f"unknown input channel {name!r}; expected one of {GRID_CHANNELS}")
        u[UX[name]] = value
    return u


_CHAIN = slice(IX["gh_delay_1"], IX["gh_delay_1"] + hyp.N_DELAY)


def _fluxes(y, u, p, xp):
    """Everything the vector field and the observables share, as a dict of arrays."""
    s = {name: y[..., i] for name, i in IX.items() if not name.startswith("gh_delay_")}
    chain = y[..., _CHAIN]
    ghs = p["ghs_ambient"] * (u[..., UX["ghrelin"]] + u[..., UX["ghs_exogenous"]])
    # Sleep drive of the hypothalamus: slow-wave sleep, or, awake at night, part of it (circadian).
    sws = (u[..., UX["sws"]] + p["night_wake_drive"] * u[..., UX["night_wake"]]) * p["sws_amplitude"]
    free = s["igf1_free"]
    hypo = glc.hypoglycaemia_signal(s["glucose"], p)

    f1 = pituitary.ghs_pituitary_opposition(ghs, p)
    f2 = hyp.ghs_hypothalamic_opposition(ghs, p)
    stimulus = pituitary.release_stimulus(s["ghrh"] + u[..., UX["ghrh_exogenous"]], s["srif_pev"], ghs, f1, p)
    release = pituitary.release_per_capacity(
        s["somatotroph_activation"], s["gh_store"],
        pituitary.igf1_pituitary_factor(free, p) * u[..., UX["release_factor"]], p
    )
    secretion = p["somatotroph_capacity"] * release
    drive = (hyp.ghrh_drive(u[..., UX["drive_noise"]], sws, u[..., UX["circadian"]], p, xp)
             * u[..., UX["ghrh_drive_factor"]] * (1.0 + p["hypoglycaemia_ghrh_gain"] * hypo))
    # Hypoglycaemia withdraws somatostatin as a whole (basal tone and GH autofeedback).
    hypo_srif = 1.0 - p["hypoglycaemia_srif_cut"] * hypo
    srif_factor = (hyp.igf1_srif_factor(free, p) * u[..., UX["srif_factor"]]
                   * hypo_srif * glc.glucose_srif_factor(s["glucose"], p))
    capacity = liver.ternary_capacity(s["igfbp3"], s["als"], p)
    return {
        **s,
        "chain": chain,
        "sws": sws,
        "f2": f2,
        "drive": drive,
        "secretion": secretion,
        "release_per_capacity": release,
        "stimulus": stimulus,
        "gh_receptor_active": s["gh"] + u[..., UX["gh_agonist"]],
        "igf1_production": liver.igf1_production(s["ghr_signal"], p),
        "ternary_capacity": capacity,
        "srif_basal_factor": srif_factor,
        "srif_feedback_factor": u[..., UX["srif_factor"]] * u[..., UX["srif_feedback_factor"]] * hypo_srif,
        "gh_agonist": u[..., UX["gh_agonist"]],
    }


def vector_field(t, y, u, p, xp):
    """dy/dt of the axis (units per minute), for any leading subject axes.

    Parameters
    ----------
    t : float
        Time, min (unused: all time dependence enters through ``u``; kept for solvers).
    y : array (..., len(STATES))
    u : array (..., len(INPUTS))
    p : mapping of parameter name → array broadcastable to the leading axes of ``y``
    xp : module
        ``numpy`` or ``jax.numpy``.
    """
    f = _fluxes(y, u, p, xp)
    d_ghrh = hyp.ghrh_rate(f["ghrh"], f["srif_pev"], f["srif_arc"], f["drive"], f["f2"], p)
    d_pev = hyp.srif_pev_rate(f["srif_pev"], f["chain"][..., -1], f["sws"], f["srif_basal_factor"],
                              f["srif_feedback_factor"], p)
    d_arc = hyp.srif_arc_rate(f["srif_arc"], f["ghrh"], p)
    d_chain = hyp.delay_chain_rates(f["gh_receptor_active"], f["chain"], p, xp)
    d_store = pituitary.store_rate(f["gh_store"], f["release_per_capacity"], p)
    d_activation = pituitary.activation_rate(f["somatotroph_activation"], f["stimulus"], p)
    d_gh, d_ghp = kinetics.gh_rates(f["gh"], f["gh_peripheral"], f["secretion"] + u[..., UX["gh_infusion"]] / p["gh_v1"], p)
    occupancy = liver.receptor_occupancy(f["gh_receptor_active"], p)
    d_signal = liver.receptor_signal_rate(f["ghr_signal"], occupancy * u[..., UX["hepatic_factor"]], p)
    d_free, d_binary, d_ternary = igf.binding_rates(
        f["igf1_free"], f["igf1_binary"], f["igf1_ternary"], f["igf1_production"], f["ternary_capacity"], p
    )
    d_bp3 = liver.scaffold_rate(
        f["igfbp3"], f["ghr_signal"], p["igfbp3_basal_fraction"], p["igfbp3_max"], p["igfbp3_half_life"], p
    )
    d_als = liver.scaffold_rate(f["als"], f["ghr_signal"], p["als_basal_fraction"], p["als_max"], p["als_half_life"], p)
    d_glu, d_act, d_ins = glc.glucose_rates(
        f["glucose"], f["insulin_action"], f["insulin"], u[..., UX["glucose_appearance"]], u[..., UX["insulin_infusion"]],
        glc.gh_insulin_factor(f["ghr_signal"], p, xp), p,
    )
    head = xp.stack([d_ghrh, d_pev, d_arc], axis=-1)
    tail = xp.stack([d_store, d_activation, d_gh, d_ghp, d_signal, d_free, d_binary, d_ternary, d_bp3, d_als, d_glu, d_act, d_ins],
                    axis=-1)
    return xp.concatenate([head, d_chain, tail], axis=-1)


#: Observables recorded by the engines, with units.
OBSERVABLES: dict[str, str] = {
    "gh": "ug/L",
    "gh_secretion": "ug/L/min",
    "igf1_total": "ng/mL",
    "igf1_free": "ng/mL",
    "igf1_binary": "ng/mL",
    "igf1_ternary": "ng/mL",
    "igfbp3": "mg/L",
    "als": "mg/L",
    "ghrh": "pg/mL",
    "srif_pev": "pg/mL",
    "gh_store": "1",
    "ghr_signal": "1",
    "glucose": "mg/dL",
    "insulin": "uU/mL",
    "gh_agonist": "ug/L",
}


def observables(y, u, p, xp, names=tuple(OBSERVABLES)):
    """Selected observables (dict of arrays over the leading axes) of a state."""
    f = _fluxes(y, u, p, xp)
    f["gh_secretion"] = f["secretion"]
    f["igf1_total"] = f["igf1_free"] + f["igf1_binary"] + f["igf1_ternary"]
    return {n: f[n] for n in names}


def slow_steady_state(signal, p, xp):
    """IGFBP-3, ALS and the three IGF-1 pools at steady state for a constant receptor signal.

    Used to start a run on the subject's own typical day: the fast states are brought there by
    a burn-in day, the slow ones (turnover of hours to days) analytically.
    Returns a dict of arrays keyed by state name.
    """
    bp3 = liver.scaffold_steady_level(signal, p["igfbp3_basal_fraction"], p["igfbp3_max"], p)
    als = liver.scaffold_steady_level(signal, p["als_basal_fraction"], p["als_max"], p)
    capacity = liver.ternary_capacity(bp3, als, p)
    free, binary, ternary = igf.steady_state(liver.igf1_production(signal, p), capacity, p, xp)
    return {"igfbp3": bp3, "als": als, "igf1_free": free, "igf1_binary": binary, "igf1_ternary": ternary}
