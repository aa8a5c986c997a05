r"""Pituitary somatotrophs: a releasable GH pool gated by GHRH, ghrelin (GHS) and SRIF.

Release follows Farhy et al. (2007): GHRH and GHS stimulate additively, periventricular SRIF
inhibits multiplicatively and GHS opposes that inhibition (F1). Following MacGregor & Leng
(J Neuroendocrinol 2005;17:788-803) release draws on a releasable store that refills at a
finite rate, which terminates bursts and makes somatotrophs briefly refractory. Somatotroph
capacity (1 = intact) scales release and is what pituitary damage lowers. Free IGF-1 inhibits
release directly.

Units: time min; GH µg/L (per litre of central distribution volume); store as a fraction.
"""

from __future__ import annotations

from somatosim.model.hill import hill_up


def ghs_pituitary_opposition(ghs, p):
    """F1 of Farhy 2007: GHS opposing SRIF's inhibition of somatotrophs (unit-free)."""
    return p["ghs_pit_gain"] * hill_up(ghs, p["ghs_pit_potency"], p["ghs_pit_hill"])


def release_stimulus(ghrh, srif_pev, ghs, f1, p):
    """Unit-free stimulus of GH release: (GHRH + GHS terms) × SRIF gate."""
    drive = hill_up(ghrh, p["ghrh_on_gh_potency"], p["ghrh_on_gh_hill"]) + p["ghs_direct_gain"] * hill_up(
        ghs, p["ghs_direct_potency"], p["ghs_direct_hill"]
    )
    gate = (1.0 + f1) / (1.0 + (srif_pev / p["srif_on_gh_potency"]) ** p["srif_on_gh_hill"] + f1)
    return drive * gate


def igf1_pituitary_factor(igf1_free, p):
    """Direct inhibition of GH release by free IGF-1, 1 at the reference free IGF-1."""
    k = p["igf1_pit_k"]
    ref = p["igf1_free_reference"]
    return (1.0 + ref / k) / (1.0 + igf1_free / k)


def activation_rate(activation, stimulus, p):
    """d(activation)/dt, 1/min: exocytosis follows the stimulus with a first-order lag.

    The second-messenger cascade between GHRH/SRIF receptors and GH exocytosis (cAMP, Ca2+)
    outlasts the receptor signal by minutes, so secretory bursts last longer than the GHRH
    pulses that start them, and a GHRH bolus (plasma t½ ≈ 7 min) releases GH for half an hour.
    """
    return (stimulus - activation) / p["somatotroph_activation_tau"]


def release_per_capacity(activation, store, inhibition, p):
    """GH released per unit of somatotroph capacity, µg/L/min: it empties the store, and times
    ``somatotroph_capacity`` it is the secretion into the central distribution volume.
    ``inhibition`` (1 = none) is the product of the factors acting on the somatotroph itself
    (free IGF-1, :func:`igf1_pituitary_factor`; free fatty acids in a sustained fast)."""
    return p["gh_release_max"] * activation * store * inhibition


def scale_reserve(p, factor) -> None:
    """Scale the somatotrophs' releasable GH reserve in the parameter dict ``p`` in place — the
    store and the maximal release it supports alike (estrogen, visceral fat, GHRH's trophic action)."""
    p["store_size"] *= factor
    p["gh_release_max"] *= factor


def store_rate(store, release, p):
    """d(store)/dt, 1/min: refilling towards full, emptied by release (``release_per_capacity``).

    Refill is GH synthesis by the somatotroph mass, so it scales with capacity and the store
    is expressed per unit capacity: a damaged pituitary both releases and re-synthesises less,
    which caps the GH it can sustain however hard the hypothalamus drives it. (Per unit
    capacity, so a gland with no somatotrophs left is a store that never empties, not 0/0.)
    """
    return p["store_refill"] * (1.0 - store) - release / p["store_size"]
