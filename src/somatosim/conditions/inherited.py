"""Inherited defects of the GH axis, each acting at one molecular step.

=================== ====================================== ===========================================
condition           step (model parameter)                 signature
=================== ====================================== ===========================================
GH1 deletion        GH synthesis (``gh_release_max``)      GH absent, IGF-1 very low
GHRH-receptor       GHRH action on somatotrophs            GH pulses < 1 % of normal amplitude, no
defect              (``ghrh_on_gh_potency``, with the      response to GHRH, IGF-1 very low
                    GHRH-dependent ghrelin action)
Laron syndrome      hepatic GH-receptor signalling         GH high, IGF-1 and IGFBP-3 very low, no
(GH-receptor        (``ghr_sensitivity``)                  IGF-1 rise on GH
defect)
bioinactive GH      biological activity of circulating     immunoreactive GH normal or high, IGF-1
                    GH (``gh_bioactivity``)                low (in patients IGF-1 rises on rhGH)
=================== ====================================== ===========================================

Sources: Phillips JA 3rd et al. Proc Natl Acad Sci USA 1981;78:6372 (GH1 deletion, IGHD type IA); Maheshwari HG et al.
(GHRH-receptor null mutation: "residual GH secretion pulsatile, amplitude < 1 % of normal",
Am J Physiol Endocrinol Metab 2002; Aguiar-Oliveira MH et al. Rev Endocr Metab Disord 2021);
Guevara-Aguirre J et al. N Engl J Med 1990;323:1367 and Savage MO et al. JCEM 1993 (Laron);
Takahashi Y et al. N Engl J Med 1996;334:432 (bioinactive GH, R77C).

Each knob is the residual function of the mutant gene product (0 = none, the classic null
phenotype; heterozygous or hypomorphic alleles leave more).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from somatosim._validation import Interval
from somatosim.conditions._base import Condition

_RESIDUAL = Interval(0, 1, "(fraction of normal function)", high_open=True)


@dataclass(frozen=True)
class GH1Deletion(Condition):
    """GH1 gene deletion or null mutation (isolated GHD type IA; milder alleles: type IB/II).

    Mechanism: ``gh_release_max × residual`` — the somatotrophs make (almost) no GH whatever
    drives them; hypothalamic drive is intact and GHRH-stimulated GH stays absent.
    """

    residual: float = 0.0

    name: ClassVar[str] = "gh1_deletion"
    label: ClassVar[str] = "GH1 deletion"
    constraints: ClassVar[dict] = {"residual": _RESIDUAL}
    descriptions: ClassVar[dict] = {"residual": "GH synthesis left, fraction of normal (0 = deletion)"}

    def modify(self, p, subject) -> None:
        p["gh_release_max"] *= self.residual


@dataclass(frozen=True)
class GHRHReceptorDefect(Condition):
    """Inactivating GHRH-receptor mutation (e.g. the Itabaianinha kindred, IGHD type IB).

    Mechanism: GHRH potency on somatotrophs falls with the receptors left. For GHRH well below
    its EC50, response ∝ (GHRH/EC50)^n, so the EC50 is raised by ``residual^(−1/n)``: every
    GHRH level (endogenous or injected) acts like ``residual`` of itself. The direct pituitary
    action of ghrelin, which needs GHRH-receptor signalling (GHRP-2 releases little GH in these
    patients: Gondo RG et al. JCEM 2001;86(7); GHRP-6 none after hypothalamo-pituitary
    disconnection: Popovic V et al. JCEM 1995;80:942), falls by the same factor.
    """

    residual: float = 0.0

    name: ClassVar[str] = "ghrh_receptor_defect"
    label: ClassVar[str] = "GHRH-receptor defect"
    constraints: ClassVar[dict] = {"residual": _RESIDUAL}
    descriptions: ClassVar[dict] = {"residual": "GHRH-receptor signalling left, fraction of normal (0 = null)"}

    def modify(self, p, subject) -> None:
        r = max(self.residual, p["ghrhr_residual_floor"])
        p["ghrh_on_gh_potency"] *= r ** (-1.0 / p["ghrh_on_gh_hill"])
        p["ghs_direct_gain"] *= r


@dataclass(frozen=True)
class LaronSyndrome(Condition):
    """GH-receptor defect (Laron syndrome, primary GH insensitivity).

    Mechanism: ``ghr_sensitivity × residual``. Hepatic IGF-1, IGFBP-3 and ALS fall to their
    GH-independent share; with free IGF-1 low, somatostatin tone falls and GH rises (model
    feedback, no extra term).
    """

    residual: float = 0.0

    name: ClassVar[str] = "laron_syndrome"
    label: ClassVar[str] = "Laron syndrome"
    constraints: ClassVar[dict] = {"residual": _RESIDUAL}
    descriptions: ClassVar[dict] = {"residual": "GH-receptor signalling left, fraction of normal (0 = null)"}

    def modify(self, p, subject) -> None:
        p["ghr_sensitivity"] *= self.residual


@dataclass(frozen=True)
class BioinactiveGH(Condition):
    """Bioinactive GH: immunoreactive but weakly active GH (Kowarski AA et al. JCEM 1978;47:461;
    GH1 R77C, Takahashi 1996).

    Mechanism: ``gh_bioactivity × bioactivity`` — hepatic receptors see less active GH, while
    immunoassays (and the model's GH observable) still count it. Limitation: the model has one
    circulating GH pool, so somatropin given to such a subject is scaled too, whereas in patients
    normal rhGH acts normally (the diagnostic clue of the syndrome).
    """

    bioactivity: float = 0.2

    name: ClassVar[str] = "bioinactive_gh"
    label: ClassVar[str] = "bioinactive GH"
    constraints: ClassVar[dict] = {"bioactivity": Interval(0, 1, "(relative to 22-kDa hGH)", low_open=True)}
    descriptions: ClassVar[dict] = {"bioactivity": "biological activity of the patient's GH relative to normal hGH"}

    def modify(self, p, subject) -> None:
        p["gh_bioactivity"] *= self.bioactivity
