r"""Anorexia nervosa: acquired GH resistance with GH hypersecretion, graded by BMI.

Chronic undernutrition makes the liver resistant to GH (low GH-binding protein, i.e. fewer
hepatic GH receptors, and low IGF-1 and IGFBP-3 that recover with refeeding: Golden NH et al.
J Pediatr 1994;125:655; Misra M, Klibanski A. Endocr Dev 2009;17:197) while GH secretion rises:
in women with a BMI of 14.2 kg/m² daily pulsatile GH secretion is 4-fold and basal secretion
20-fold that of normal-weight women, with more and larger bursts and an unchanged GH half-life
(Støving RK et al. JCEM 1999;84:2056). Part of the rise is the loss of IGF-1 feedback (built into
the model); the rest is hypothalamic: ghrelin is high in anorexia nervosa (Otto B et al.
Eur J Endocrinol 2001;145:669) and chronic undernutrition withdraws somatostatin, as a fast does
(:mod:`somatosim.lifestyle.fasting`).

With :math:`\Delta = \max(\text{anorexia_bmi_reference} - \text{BMI}, 0)` kg/m²:

* hepatic GH-receptor signalling ``ghr_sensitivity × exp(−anorexia_ghr_loss·Δ)``;
* ambient ghrelin ``ghs_ambient × (1 + anorexia_ghrelin_gain·Δ)``;
* somatostatin release (basal and GH-driven) ``× exp(−anorexia_srif_loss·Δ)``.

Give the subject the matching low weight (``Subject(weight_kg=…)``): body size also sets GH
distribution volume and clearance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from somatosim._validation import Interval
from somatosim.conditions._base import Condition
from somatosim.model.hypothalamus import scale_somatostatin


@dataclass(frozen=True)
class AnorexiaNervosa(Condition):
    """Anorexia nervosa at a body-mass index of ``bmi`` kg/m²."""

    bmi: float = 15.0

    name: ClassVar[str] = "anorexia_nervosa"
    label: ClassVar[str] = "anorexia nervosa"
    constraints: ClassVar[dict] = {"bmi": Interval(10, 18.5, "kg/m2")}
    descriptions: ClassVar[dict] = {"bmi": "body-mass index during the illness, kg/m2 (anorexia nervosa: < 18.5)"}

    def deficit(self, p: dict[str, float]) -> float:
        """BMI below the reference, kg/m²."""
        return max(p["anorexia_bmi_reference"] - self.bmi, 0.0)

    def modify(self, p, subject) -> None:
        d = self.deficit(p)
        p["ghr_sensitivity"] *= math.exp(-p["anorexia_ghr_loss"] * d)
        p["ghs_ambient"] *= 1.0 + p["anorexia_ghrelin_gain"] * d
        # chronic undernutrition withdraws somatostatin as a fast does (lifestyle.fasting)
        scale_somatostatin(p, math.exp(-p["anorexia_srif_loss"] * d))
