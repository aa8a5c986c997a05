r"""Hypothalamus: GHRH, periventricular and arcuate somatostatin (SRIF), delayed GH feedback.

Structure after Farhy, Bowers & Veldhuis (2007), with somatostatin's inhibition of the
pituitary multiplicative (as the paper describes; the public CellML/SBML adds it, which we
take to be a transcription error) and the GH → periventricular-SRIF feedback passed through
a chain of transit compartments, so that the whole model stays an ordinary ODE system while
keeping the 0.5–1 h delay that makes the loop oscillate (models_and_targets.md §3.1.1).

On top of that structure somatosim adds the inputs the 2007 model lacks: a seeded stochastic
drive of GHRH neurones (log-normal, from an Ornstein–Uhlenbeck process), slow-wave sleep
(more GHRH, less SRIF), a weak circadian drive, ghrelin (through the GHS terms of Farhy 2007)
and free-IGF-1 feedback on somatostatin.

Units: time min; GHRH and SRIF pg/mL; GH µg/L; free IGF-1 ng/mL.
"""

from __future__ import annotations

from somatosim.model.hill import hill_up

#: Number of transit compartments carrying GH to periventricular SRIF neurones. Eight is the
#: fewest that keeps the delayed-feedback oscillation sustained (models_and_targets.md §3.1.1);
#: it is a structural choice, so it lives here and not in the parameter files.
N_DELAY = 8


def ghs_hypothalamic_opposition(ghs, p):
    """F2 of Farhy 2007: GHS (ghrelin) opposing SRIF's inhibition of GHRH neurones (unit-free)."""
    return p["ghs_hyp_gain"] * hill_up(ghs, p["ghs_hyp_potency"], p["ghs_hyp_hill"])


def ghrh_drive(noise, sws, circadian, p, xp):
    """Relative excitatory drive of GHRH neurones (1 = average waking drive).

    ``noise`` is a unit-variance Ornstein–Uhlenbeck value; the log-normal factor
    ``exp(σ·noise − σ²/2)`` has mean 1 so that noise makes pulses irregular without changing
    the average drive. Slow-wave sleep (``sws`` in 0–1) and the circadian cosine add to it.
    """
    s = p["drive_noise_sd"]
    return (
        p["ghrh_drive"]
        * xp.exp(s * noise - 0.5 * s * s)
        * (1.0 + p["sws_ghrh_gain"] * sws)
        * (1.0 + p["circadian_amplitude"] * circadian)
    )


def ghrh_rate(ghrh, srif_pev, srif_arc, drive, f2, p):
    """d[GHRH]/dt, pg/mL/min: release inhibited by both SRIF pools, first-order removal."""
    srif = (srif_pev + srif_arc) / p["srif_on_ghrh_potency"]
    inhibition = (1.0 + f2) / (1.0 + srif ** p["srif_on_ghrh_hill"] + f2)
    return p["ghrh_release_max"] * drive * inhibition - p["ghrh_elimination"] * ghrh


def igf1_srif_factor(igf1_free, p):
    """Free-IGF-1 feedback on somatostatin release, 1 at the reference free IGF-1.

    Saturating in free IGF-1 (half-maximal at ``igf1_srif_k``); below the reference the
    somatostatin tone falls, so GH rises in IGF-1 deficiency (e.g. GH-receptor defects).
    """
    k = p["igf1_srif_k"]
    ref = p["igf1_free_reference"]
    return (1.0 + k / ref) * igf1_free / (igf1_free + k)


def srif_pev_rate(srif_pev, gh_delayed, sws, basal_factor, feedback_factor, p):
    """d[periventricular SRIF]/dt, pg/mL/min.

    Driven by delayed GH (Hill up-regulation, scaled by ``feedback_factor``: the ``srif_factor``
    channel — arginine, exercise, fasting, glucocorticoids — and hypoglycaemia act on it) and a
    basal release that slow-wave sleep lowers and ``basal_factor`` scales (the same channel and
    hypoglycaemia, plus free-IGF-1 feedback and hyperglycaemia).
    """
    gh_driven = p["srif_gh_release_max"] * p["srif_gh_feedback"] * feedback_factor * hill_up(
        gh_delayed, p["gh_on_srif_potency"], p["gh_on_srif_hill"]
    )
    basal = p["srif_basal_release"] * (1.0 - p["sws_srif_cut"] * sws) * basal_factor
    return gh_driven + basal - p["srif_pev_elimination"] * srif_pev


def scale_somatostatin(p, factor) -> None:
    """Scale periventricular somatostatin release in the parameter dict ``p`` in place — basal
    tone and GH-driven release alike: the chronic, parameter form of the ``srif_factor`` channel
    (conditions such as glucocorticoid excess or chronic undernutrition)."""
    p["srif_basal_release"] *= factor
    p["srif_gh_release_max"] *= factor


def srif_arc_rate(srif_arc, ghrh, p):
    """d[arcuate SRIF]/dt, pg/mL/min: released by GHRH (intra-hypothalamic loop)."""
    release = p["srif_arc_release_max"] * hill_up(ghrh, p["ghrh_on_arc_potency"], p["ghrh_on_arc_hill"])
    return release - p["srif_arc_elimination"] * srif_arc


def delay_chain_rates(gh, chain, p, xp):
    """Rates of the transit chain carrying GH to SRIF neurones (µg/L/min each).

    ``chain`` has the compartments on its last axis. Each compartment passes its content on
    at rate N/delay, so the chain is an Erlang-distributed delay with mean ``gh_srif_delay``.
    """
    k = N_DELAY / p["gh_srif_delay"]
    upstream = xp.concatenate([gh[..., None], chain[..., :-1]], axis=-1)
    return xp.asarray(k)[..., None] * (upstream - chain)
