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
gh             µg/L     serum GH, central compartment
gh_peripheral  µg/L     peripheral GH (amount per litre of central volume)
ghr_signal     –        hepatic GH-receptor signal (0–1)
igf1_free      ng/mL    free IGF-1
igf1_binary    ng/mL    IGF-1 in binary complexes (IGFBP-1/-2/-4)
igf1_ternary   ng/mL    IGF-1 in ternary complexes (IGFBP-3/-5 + ALS)
igfbp3         mg/L     IGFBP-3
als            mg/L     acid-labile subunit
============== ======== =====================================================

Inputs (last axis of ``u``), in :data:`INPUTS` order: ``drive_noise`` (unit-variance
Ornstein–Uhlenbeck value), ``sws`` (slow-wave-sleep propensity, 0–1, scaled inside by the
subject's age-dependent ``sws_amplitude``), ``circadian``
(cosine of clock time, −1–1) and ``ghrelin`` (relative to the fasting level).
"""

from __future__ import annotations

from somatosim.model import hypothalamus as hyp
from somatosim.model import igf, kinetics, liver, pituitary

STATES: tuple[str, ...] = (
    "ghrh",
    "srif_pev",
    "srif_arc",
    *(f"gh_delay_{i + 1}" for i in range(hyp.N_DELAY)),
    "gh_store",
    "gh",
    "gh_peripheral",
    "ghr_signal",
    "igf1_free",
    "igf1_binary",
    "igf1_ternary",
    "igfbp3",
    "als",
)
INPUTS: tuple[str, ...] = ("drive_noise", "sws", "circadian", "ghrelin")

IX = {name: i for i, name in enumerate(STATES)}
UX = {name: i for i, name in enumerate(INPUTS)}
_CHAIN = slice(IX["gh_delay_1"], IX["gh_delay_1"] + hyp.N_DELAY)


def _fluxes(y, u, p, xp):
    """Everything the vector field and the observables share, as a dict of arrays."""
    s = {name: y[..., i] for name, i in IX.items() if not name.startswith("gh_delay_")}
    chain = y[..., _CHAIN]
    ghs = p["ghs_ambient"] * u[..., UX["ghrelin"]]
    sws = u[..., UX["sws"]] * p["sws_amplitude"]
    free = s["igf1_free"]

    f1 = pituitary.ghs_pituitary_opposition(ghs, p)
    f2 = hyp.ghs_hypothalamic_opposition(ghs, p)
    stimulus = pituitary.release_stimulus(s["ghrh"], s["srif_pev"], ghs, f1, p)
    secretion = pituitary.secretion_rate(
        stimulus, s["gh_store"], pituitary.igf1_pituitary_factor(free, p), p
    )
    drive = hyp.ghrh_drive(u[..., UX["drive_noise"]], sws, u[..., UX["circadian"]], p, xp)
    capacity = liver.ternary_capacity(s["igfbp3"], s["als"], p)
    return {
        **s,
        "chain": chain,
        "sws": sws,
        "f2": f2,
        "drive": drive,
        "secretion": secretion,
        "igf1_production": liver.igf1_production(s["ghr_signal"], p),
        "ternary_capacity": capacity,
        "srif_igf_factor": hyp.igf1_srif_factor(free, p),
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
    d_pev = hyp.srif_pev_rate(f["srif_pev"], f["chain"][..., -1], f["sws"], f["srif_igf_factor"], p)
    d_arc = hyp.srif_arc_rate(f["srif_arc"], f["ghrh"], p)
    d_chain = hyp.delay_chain_rates(f["gh"], f["chain"], p, xp)
    d_store = pituitary.store_rate(f["gh_store"], f["secretion"], p)
    d_gh, d_ghp = kinetics.gh_rates(f["gh"], f["gh_peripheral"], f["secretion"], p)
    occupancy = liver.receptor_occupancy(f["gh"], p)
    d_signal = liver.receptor_signal_rate(f["ghr_signal"], occupancy, p)
    d_free, d_binary, d_ternary = igf.binding_rates(
        f["igf1_free"], f["igf1_binary"], f["igf1_ternary"], f["igf1_production"], f["ternary_capacity"], p
    )
    d_bp3 = liver.scaffold_rate(
        f["igfbp3"], f["ghr_signal"], p["igfbp3_basal_fraction"], p["igfbp3_max"], p["igfbp3_half_life"], p
    )
    d_als = liver.scaffold_rate(f["als"], f["ghr_signal"], p["als_basal_fraction"], p["als_max"], p["als_half_life"], p)
    head = xp.stack([d_ghrh, d_pev, d_arc], axis=-1)
    tail = xp.stack([d_store, d_gh, d_ghp, d_signal, d_free, d_binary, d_ternary, d_bp3, d_als], axis=-1)
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
    "ghr_signal": "1",
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
