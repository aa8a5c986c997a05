r"""Structural causes of GH deficiency: pituitary and hypothalamic damage, irradiation, trauma.

Where the damage sits decides the signature, and the model keeps the two sites apart:

* **pituitary** (adenoma, surgery, apoplexy, infiltration): fewer somatotrophs. The model's
  ``somatotroph_capacity`` scales both release and re-synthesis of GH, so the gland cannot
  respond whatever drives it — low 24-h GH, low IGF-1, and a small response to exogenous GHRH;
* **hypothalamus** (craniopharyngioma, hypothalamic tumours, irradiation, stalk injury): less
  GHRH reaches the somatotrophs (``ghrh_drive``). The somatotrophs and their GHRH receptors are
  intact and their releasable store stays full, so spontaneous GH and IGF-1 are low while an
  exogenous GHRH bolus still releases GH — the "false-normal" GHRH(+arginine) test of
  hypothalamic GH deficiency (clinical_reference.md §2.2; Keret R, ..., Laron Z. Isr J Med Sci).

Cranial irradiation damages the hypothalamus first and the pituitary later and less
(Darzy KH, Shalet SM. Pituitary 2009;12:40-50; Endotext "Hypopituitarism following cranial
radiotherapy"), progressively over years and faster at higher dose. Its time course uses the
published dose–time model of Merchant TE et al. (J Clin Oncol 2011;29:4776): stimulated peak GH
falls as :math:`\exp(-t\,k\,(D - D_0))` with :math:`t` months after radiotherapy and :math:`D`
the mean hypothalamic dose (Gy).

Severity knobs are fractions of function lost (0 = intact, 1 = complete), except irradiation
(dose in Gy and years since treatment).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from somatosim._validation import Interval, OneOf
from somatosim.conditions._base import Condition, clip01
from somatosim.model.pituitary import scale_reserve

#: Declared range of a "fraction of function lost" severity knob.
SEVERITY = Interval(0, 1, "(fraction of function lost)")
_SEVERITY_TEXT = "fraction of {} lost: 0 = intact, 1 = complete"
MONTHS_PER_YEAR = 12.0


def lose_somatotrophs(p: dict[str, float], fraction: float) -> None:
    """Remove ``fraction`` (0–1) of the somatotroph mass (release and GH synthesis)."""
    p["somatotroph_capacity"] *= 1.0 - clip01(fraction)


def lose_ghrh(p: dict[str, float], fraction: float) -> None:
    """Remove ``fraction`` (0–1) of the hypothalamic GHRH input to the somatotrophs.

    GHRH supply (``ghrh_drive``) falls, and with it the direct pituitary action of ghrelin and
    other GH secretagogues (``ghs_direct_gain``), which in man needs GHRH input: GHRP-6-induced
    GH release is abolished in hypothalamo-pituitary disconnection and the GHRH + GHRP synergy
    is lost (Popovic V et al. JCEM 1995;80:942). Without this second term the model's ghrelin
    path alone would sustain normal GH output after complete loss of GHRH. The somatotrophs'
    releasable GH shrinks with the GHRH lost (``ghrh_trophic_exponent``), so a single GHRH
    (+ arginine) test is blunted in most patients but not abolished.
    """
    keep = 1.0 - clip01(fraction)
    p["ghrh_drive"] *= keep
    p["ghs_direct_gain"] *= keep
    # GHRH is trophic: somatotrophs deprived of it hold and release less GH, which repeated GHRH
    # restores ("priming": Keret R et al., hypothalamic lesions 11.6 -> 22.8 ug/L).
    scale_reserve(p, max(keep, 1e-6) ** p["ghrh_trophic_exponent"])


# --- pituitary --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PituitaryDamage(Condition):
    """Loss of somatotrophs: any pituitary lesion (adenoma, apoplexy, infiltration, Sheehan).

    Mechanism: ``somatotroph_capacity × (1 − severity)``. Signature: low spontaneous GH and
    IGF-1 and a blunted response to exogenous GHRH (the gland, not its drive, is missing).
    The default (0.95) is severe adult GHD (IGF-1 about 0.45 of age-matched men).
    """

    severity: float = 0.95

    name: ClassVar[str] = "pituitary_damage"
    label: ClassVar[str] = "pituitary damage"
    constraints: ClassVar[dict] = {"severity": SEVERITY}
    descriptions: ClassVar[dict] = {"severity": _SEVERITY_TEXT.format("somatotroph mass")}

    def modify(self, p, subject) -> None:
        lose_somatotrophs(p, self.severity)


@dataclass(frozen=True)
class PituitaryTumour(PituitaryDamage):
    """A pituitary (macro)adenoma compressing the normal gland; GH is usually the first axis lost
    (Endotext, hypopituitarism). Same mechanism as :class:`PituitaryDamage`."""

    name: ClassVar[str] = "pituitary_tumour"
    label: ClassVar[str] = "pituitary tumour"


@dataclass(frozen=True)
class PituitarySurgery(PituitaryDamage):
    """Loss of normal pituitary tissue at (transsphenoidal) surgery. Same mechanism as
    :class:`PituitaryDamage`; ``severity`` is the share of somatotrophs removed or devascularised."""

    severity: float = 0.7

    name: ClassVar[str] = "pituitary_surgery"
    label: ClassVar[str] = "pituitary surgery"


# --- hypothalamus -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HypothalamicDamage(Condition):
    """Loss of GHRH output (hypothalamic lesion or pituitary-stalk disconnection).

    Mechanism: :func:`lose_ghrh` — GHRH supply and the GHRH-dependent pituitary action of ghrelin
    ``× (1 − severity)``; somatotrophs and their GHRH receptors intact. Signature: low spontaneous
    GH and IGF-1 but a preserved GH response to exogenous GHRH. The axis compensates partial
    GHRH loss by withdrawing somatostatin (IGF-1 and GH feedback), so a clear deficiency needs
    most of the GHRH input gone: the default (0.95) gives 24-h GH about a fifth of normal.
    """

    severity: float = 0.95

    name: ClassVar[str] = "hypothalamic_damage"
    label: ClassVar[str] = "hypothalamic damage"
    constraints: ClassVar[dict] = {"severity": SEVERITY}
    descriptions: ClassVar[dict] = {"severity": _SEVERITY_TEXT.format("GHRH output reaching the pituitary")}

    def modify(self, p, subject) -> None:
        lose_ghrh(p, self.severity)


@dataclass(frozen=True)
class HypothalamicTumour(HypothalamicDamage):
    """A suprasellar or hypothalamic tumour (e.g. craniopharyngioma). Same mechanism as
    :class:`HypothalamicDamage`."""

    name: ClassVar[str] = "hypothalamic_tumour"
    label: ClassVar[str] = "hypothalamic tumour"


# --- trauma -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TraumaticBrainInjury(Condition):
    """Post-traumatic hypopituitarism.

    Injury to the pituitary stalk and its long portal vessels cuts the GHRH supply of the
    somatotrophs and can infarct the anterior lobe (Schneider HJ et al. JAMA 2007;298:1429;
    Tanriverdi F et al. Endocr Rev 2015;36:305). ``severity`` is split between the two sites by
    ``tbi_pituitary_share`` (pituitary) and its complement (GHRH delivery).
    """

    severity: float = 0.6

    name: ClassVar[str] = "traumatic_brain_injury"
    label: ClassVar[str] = "traumatic brain injury"
    constraints: ClassVar[dict] = {"severity": SEVERITY}
    descriptions: ClassVar[dict] = {"severity": _SEVERITY_TEXT.format("GH-axis function (stalk and anterior lobe)")}

    def modify(self, p, subject) -> None:
        share = p["tbi_pituitary_share"]
        lose_somatotrophs(p, share * self.severity)
        lose_ghrh(p, (1.0 - share) * self.severity)


# --- childhood-onset GHD ----------------------------------------------------------------------


@dataclass(frozen=True)
class ChildhoodOnsetGHD(Condition):
    """Childhood-onset GH deficiency persisting into adult life.

    Persisting deficiency after retesting at adult height is mostly organic (structural
    pituitary or stalk anomalies, tumours, irradiation) or genetic (Endocrine Society 2011
    guideline; clinical_reference.md §2.1); ``origin`` picks the site of the lesion. Idiopathic
    isolated GHD that normalises on retesting is not this condition.

    Adults whose deficiency began in childhood also respond less to GH than adult-onset
    patients: they start from a lower IGF-1 and need about twice the replacement dose for the
    same IGF-1 (``childhood_onset_ghr_sensitivity``, a lower hepatic GH-receptor signal).
    """

    severity: float = 0.95
    origin: str = "pituitary"

    name: ClassVar[str] = "childhood_onset_ghd"
    label: ClassVar[str] = "childhood-onset GHD"
    constraints: ClassVar[dict] = {"severity": SEVERITY, "origin": OneOf(("pituitary", "hypothalamic"))}
    descriptions: ClassVar[dict] = {
        "severity": _SEVERITY_TEXT.format("GH-axis function at the lesion"),
        "origin": "site of the lesion: pituitary (somatotrophs) or hypothalamic (GHRH supply)",
    }

    def modify(self, p, subject) -> None:
        if self.origin == "pituitary":
            lose_somatotrophs(p, self.severity)
        else:
            lose_ghrh(p, self.severity)
        p["ghr_sensitivity"] *= p["childhood_onset_ghr_sensitivity"]


# --- irradiation ------------------------------------------------------------------------------


def irradiation_residual(dose_gy: float, months: float, p: dict[str, float]) -> float:
    """Share of the stimulated GH response left ``months`` after ``dose_gy`` to the hypothalamus.

    Merchant TE et al. J Clin Oncol 2011;29:4776: ``exp(−t·k·(D − D0))`` (≤ 1), with
    ``k = irradiation_rate`` per Gy·month and ``D0 = irradiation_threshold_dose``.
    """
    rate = p["irradiation_rate"] * max(dose_gy - p["irradiation_threshold_dose"], 0.0)
    return math.exp(-rate * months)


@dataclass(frozen=True)
class CranialIrradiation(Condition):
    """Radiation-induced GH deficiency: dose-dependent, progressive, hypothalamus first.

    The dose–time residual :math:`r` of :func:`irradiation_residual` (Merchant 2011) is applied to
    the hypothalamus as a GHRH input ``× r^a`` (:func:`lose_ghrh`) and to the somatotrophs as
    ``somatotroph_capacity × r^b`` with ``a = irradiation_hypothalamic_exponent`` and
    ``b = irradiation_pituitary_exponent`` (b < a: the pituitary is less radiosensitive and is
    involved later, so early on an exogenous-GHRH test can still look normal).
    """

    dose_gy: float = 30.0
    years_since: float = 5.0

    name: ClassVar[str] = "cranial_irradiation"
    label: ClassVar[str] = "cranial irradiation"
    constraints: ClassVar[dict] = {
        "dose_gy": Interval(0, 80, "Gy"),
        "years_since": Interval(0, 60, "years"),
    }
    descriptions: ClassVar[dict] = {
        "dose_gy": "mean radiation dose to the hypothalamus, Gy (conventional fractionation)",
        "years_since": "time since radiotherapy, years",
    }

    def residual(self, p: dict[str, float]) -> float:
        """Merchant's dose–time residual of the stimulated GH response (0–1)."""
        return irradiation_residual(self.dose_gy, self.years_since * MONTHS_PER_YEAR, p)

    def modify(self, p, subject) -> None:
        r = self.residual(p)
        lose_ghrh(p, 1.0 - r ** p["irradiation_hypothalamic_exponent"])
        lose_somatotrophs(p, 1.0 - r ** p["irradiation_pituitary_exponent"])
