r"""Chronic kidney disease: slower GH clearance, IGFBP excess, GH resistance.

Three published changes, each scaled by the lost share of glomerular filtration
:math:`1 - g` with :math:`g = \min(\text{eGFR}/\text{ckd_gfr_reference}, 1)`:

* **GH clearance.** The kidney filters and degrades GH: the renal share of GH clearance is
  25–53 % in health and 4–15 % in chronic renal failure, and total metabolic clearance is about
  halved, with a 25–50 % longer half-life (Haffner D et al. J Clin Invest 1994;93:1163). The renal
  part scales with :math:`g`; the extra-renal part falls by ``ckd_extrarenal_clearance_loss``
  (uraemic inhibition of extra-renal uptake, derived from the same study).
* **IGF-binding proteins.** IGFBP-1 and -2 accumulate (+546 % and +270 % in non-diabetic CRF),
  so more IGF-1 is held in binary complexes: total IGF-1 stays normal while free IGF-1 is about
  halved (Frystyk J et al. Kidney Int 1999;56:2076; Tönshoff B et al. on uraemic children). With
  more unoccupied IGFBP-1/-2 in plasma, IGF-1 leaving a binary complex is re-bound at once, so
  the net dissociation of binary complexes (``igf_binary_off``) falls by
  ``1 + ckd_igfbp_binding_gain·(1 − g)``, and the binary complexes, retained with their
  accumulating binding proteins, leave plasma more slowly (``igf_binary_k ×
  (1 − ckd_binary_clearance_loss·(1 − g))``). (Raising the association rate instead would make
  the free-IGF-1 equation stiff enough to destabilise the fixed-step engine.)
* **GH resistance.** Uraemia impairs hepatic GH-receptor signalling (JAK2–STAT5; Schaefer F et
  al. J Clin Invest 2001; Rabkin R et al. Pediatr Nephrol 2005):
  ``ghr_sensitivity × (1 − ckd_ghr_loss·(1 − g))``.

Severity: eGFR (mL/min/1.73 m²), or the KDIGO GFR category (``stage``), or ``dialysis = true``
(end-stage kidney disease on dialysis; residual function ``ckd_dialysis_egfr``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from somatosim._validation import InputError, Interval, OneOf
from somatosim.conditions._base import Condition, Flag, clip01
from somatosim.conditions.liver import scale_extrarenal_clearance

#: Representative eGFR (mL/min/1.73 m²) of each KDIGO 2012 GFR category: the middle of the
#: category's range (G1 >= 90, G2 60-89, G3a 45-59, G3b 30-44, G4 15-29, G5 < 15); stage 3
#: without a letter is the middle of G3 (30-59).
STAGE_EGFR = {"1": 100.0, "2": 75.0, "3": 45.0, "3a": 52.5, "3b": 37.5, "4": 22.5, "5": 10.0}


def scale_renal_clearance(p: dict[str, float], factor: float) -> None:
    """Multiply the renal part of GH clearance by ``factor``, keeping the extra-renal part."""
    cl, f = p["gh_clearance"], p["gh_renal_fraction"]
    renal, extrarenal = cl * f * factor, cl * (1.0 - f)
    p["gh_clearance"] = renal + extrarenal
    p["gh_renal_fraction"] = renal / (renal + extrarenal)


@dataclass(frozen=True)
class ChronicKidneyDisease(Condition):
    """Chronic kidney disease graded by eGFR, KDIGO stage, or dialysis (give exactly one)."""

    egfr: float | None = None
    stage: str | None = None
    dialysis: bool | None = None

    name: ClassVar[str] = "ckd"
    label: ClassVar[str] = "chronic kidney disease"
    constraints: ClassVar[dict] = {
        "egfr": Interval(0, 150, "mL/min/1.73 m2"),
        "stage": OneOf(tuple(STAGE_EGFR)),
        "dialysis": Flag(),
    }
    descriptions: ClassVar[dict] = {
        "egfr": "estimated glomerular filtration rate, mL/min/1.73 m2",
        "stage": "KDIGO GFR category 1, 2, 3 (3a, 3b), 4 or 5 (its middle eGFR is used)",
        "dialysis": "true: end-stage kidney disease on dialysis",
    }

    def _check(self) -> None:
        given = [n for n in ("egfr", "stage") if getattr(self, n) is not None] + (["dialysis"] if self.dialysis else [])
        if len(given) != 1:
            shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in given) or "none"
            raise InputError(f"ckd: give exactly one of egfr, stage, dialysis = true (got {shown})")

    def effective_egfr(self, p: dict[str, float]) -> float:
        """The eGFR the mechanisms use, mL/min/1.73 m²."""
        if self.dialysis:
            return p["ckd_dialysis_egfr"]
        if self.stage is not None:
            return STAGE_EGFR[self.stage]
        return self.egfr

    def modify(self, p, subject) -> None:
        g = clip01(self.effective_egfr(p) / p["ckd_gfr_reference"])
        lost = 1.0 - g
        scale_renal_clearance(p, g)
        scale_extrarenal_clearance(p, 1.0 - p["ckd_extrarenal_clearance_loss"] * lost)
        p["igf_binary_off"] /= 1.0 + p["ckd_igfbp_binding_gain"] * lost
        p["igf_binary_k"] *= 1.0 - p["ckd_binary_clearance_loss"] * lost
        p["ghr_sensitivity"] *= 1.0 - p["ckd_ghr_loss"] * lost
