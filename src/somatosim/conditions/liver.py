r"""Chronic liver disease (cirrhosis): the GH-resistant liver.

The liver makes circulating IGF-1, IGFBP-3 and ALS and clears a large part of GH. In cirrhosis
all three fall with the loss of functioning hepatocytes, the hepatic GH receptor and its
signalling are reduced (low GH-binding protein), and GH disappears more slowly; with IGF-1
feedback withdrawn, GH secretion rises. Published signature: high GH with low IGF-1 and IGFBP-3,
worse with worse liver function (Cuneo RC et al. Clin Endocrinol 1995;43:265; Assy N et al. Dig
Dis Sci 1998;43:1317 and J Hepatol 2008;49:34; Gianotti L et al. J Endocrinol Invest 1998;21:115).

Severity: Child-Pugh score (5–15; class A = 5–6, B = 7–9, C = 10–15; Pugh RNH et al. Br J Surg
1973;60:646) or MELD score (6–40; Kamath PS et al. Hepatology 2001;33:464). A MELD score is first
put on the Child-Pugh scale (``MELD_CHILD_PUGH_SLOPE``), and the Child-Pugh score is mapped
linearly onto a severity :math:`s \in [0, 1]`. Then

* hepatic synthetic capacity (IGF-1, IGFBP-3, ALS): ``hepatic_capacity × (1 − cirrhosis_capacity_loss·s)``;
* hepatic GH-receptor signalling: ``ghr_sensitivity × (1 − cirrhosis_ghr_loss_baseline)``, a loss
  present in any established cirrhosis (portosystemic shunting deprives hepatocytes of the portal
  insulin that maintains GH-receptor expression);
* synthetic reserve: ``igf1_synthesis_saturation + cirrhosis_synthesis_saturation`` — the surviving
  liver holds near-basal IGF-1 output but cannot raise it much when GH rises, so a GH injection
  raises IGF-1 far less than in health although basal IGF-1 is only moderately low (Assy 2008:
  increments correlate with albumin, not with portal hypertension or malnutrition);
* extra-renal (mostly hepatic) GH clearance: ``× (1 − cirrhosis_clearance_loss·s)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from somatosim._validation import Interval, OneOf
from somatosim.conditions._base import Condition, clip01, exactly_one

#: Score ranges (Pugh 1973; MELD as capped in UNOS allocation, Kamath 2001).
CHILD_PUGH_RANGE = (5.0, 15.0)
MELD_RANGE = (6.0, 40.0)
#: A representative Child-Pugh score of each class (middle of the class).
CHILD_PUGH_CLASS_SCORE = {"A": 5.5, "B": 8.0, "C": 12.5}
#: Child-Pugh points per MELD point, for expressing a MELD score on the Child-Pugh scale:
#: both scores start at their minimum (MELD 6 = Child-Pugh 5), and a cohort with mean MELD 16.7
#: had mean Child-Pugh 9.4 (Sheikhian M et al. Galen Med J 2014, 34 patients with variceal
#: bleeding), i.e. (9.37 − 5)/(16.67 − 6) = 0.41. It places Child-Pugh class C cohorts (mean
#: MELD 19.5; Vo TMD et al. J Med Pharm Hue 2019;9(3)) at Child-Pugh 10.5.
MELD_CHILD_PUGH_SLOPE = 0.41


def scale_extrarenal_clearance(p: dict[str, float], factor: float) -> None:
    """Multiply the extra-renal part of GH clearance by ``factor``, keeping the renal part.

    Updates ``gh_clearance`` (L/min) and ``gh_renal_fraction`` consistently, so that the GH
    micro-constants derived afterwards see the new split.
    """
    cl, f = p["gh_clearance"], p["gh_renal_fraction"]
    renal, extrarenal = cl * f, cl * (1.0 - f) * factor
    p["gh_clearance"] = renal + extrarenal
    p["gh_renal_fraction"] = renal / (renal + extrarenal)


def severity_from_scores(child_pugh: float | None, meld: float | None, child_pugh_class: str | None) -> float:
    """Severity 0–1 from whichever liver score is given: linear over the Child-Pugh range, a MELD
    score first put on that scale (``MELD_CHILD_PUGH_SLOPE``; MELD 30.4 and above is the worst)."""
    if child_pugh_class is not None:
        child_pugh = CHILD_PUGH_CLASS_SCORE[child_pugh_class]
    lo, hi = CHILD_PUGH_RANGE
    if child_pugh is None:
        child_pugh = lo + MELD_CHILD_PUGH_SLOPE * (meld - MELD_RANGE[0])
    return clip01((child_pugh - lo) / (hi - lo))


@dataclass(frozen=True)
class Cirrhosis(Condition):
    """Liver cirrhosis graded by Child-Pugh score, Child-Pugh class or MELD (give exactly one)."""

    child_pugh: float | None = None
    child_pugh_class: str | None = None
    meld: float | None = None

    name: ClassVar[str] = "cirrhosis"
    label: ClassVar[str] = "cirrhosis"
    constraints: ClassVar[dict] = {
        "child_pugh": Interval(*CHILD_PUGH_RANGE, "points (Child-Pugh score)"),
        "child_pugh_class": OneOf(tuple(CHILD_PUGH_CLASS_SCORE)),
        "meld": Interval(*MELD_RANGE, "points (MELD score)"),
    }
    descriptions: ClassVar[dict] = {
        "child_pugh": "Child-Pugh score, 5-15 points",
        "child_pugh_class": "Child-Pugh class A, B or C (scores 5.5, 8 and 12.5 are used)",
        "meld": "MELD score, 6-40 points",
    }

    def _check(self) -> None:
        exactly_one(self, ("child_pugh", "child_pugh_class", "meld"))

    @property
    def severity(self) -> float:
        """Severity on 0–1 from the given score."""
        return severity_from_scores(self.child_pugh, self.meld, self.child_pugh_class)

    def modify(self, p, subject) -> None:
        s = self.severity
        p["hepatic_capacity"] *= 1.0 - p["cirrhosis_capacity_loss"] * s
        p["ghr_sensitivity"] *= 1.0 - p["cirrhosis_ghr_loss_baseline"]
        scale_extrarenal_clearance(p, 1.0 - p["cirrhosis_clearance_loss"] * s)
        p["igf1_synthesis_saturation"] += p["cirrhosis_synthesis_saturation"]
