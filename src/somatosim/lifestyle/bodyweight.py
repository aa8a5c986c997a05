"""Abdominal (visceral) fat and weight loss.

Visceral fat is a subject trait (``Subject.visceral_fat_cm2``; estimated from waist or BMI when
not given). The covariate model (:mod:`somatosim.subject`) lowers the GHRH drive and raises GH
clearance with visceral fat above a lean reference (Clasey et al., JCEM 2001;86:3845; Miller et
al., JCEM 2005;90:768; Langendonk et al., 1999). Weight loss is therefore the same person with
less weight and less visceral fat: the GH deficit of obesity reverses, as observed after massive
diet-induced weight loss (Rasmussen et al., JCEM 1995;80:1407) and after gastric bypass (Edén
Engström et al., Eur J Endocrinol 2006).
"""

from __future__ import annotations

import dataclasses

from somatosim._validation import InputError
from somatosim.subject import SUBJECT_CONSTRAINTS, Subject, visceral_fat


def after_weight_loss(subject: Subject, weight_loss_kg: float) -> Subject:
    """``subject`` after losing ``weight_loss_kg`` kg.

    Visceral fat follows the covariate model's estimate from body size: when the subject's visceral
    fat (or waist) was given, it is scaled by the ratio of the estimates after and before the loss;
    otherwise it is re-estimated from the new BMI.
    """
    if isinstance(weight_loss_kg, bool) or not isinstance(weight_loss_kg, (int, float)) or not 0 <= weight_loss_kg:
        raise InputError(f"weight_loss_kg = {weight_loss_kg!r} is not allowed: expected a number >= 0 kg")
    new_weight = subject.weight - weight_loss_kg
    if not SUBJECT_CONSTRAINTS["weight_kg"].accepts(new_weight):
        raise InputError(f"weight_loss_kg = {weight_loss_kg!r} is not allowed: the weight after the loss "
                         f"({new_weight:g} kg) must be {SUBJECT_CONSTRAINTS['weight_kg'].describe()}")
    bare = dataclasses.replace(subject, visceral_fat_cm2=None, waist_cm=None)
    lighter = dataclasses.replace(bare, weight_kg=new_weight)
    if subject.visceral_fat_cm2 is None and subject.waist_cm is None:
        return lighter
    before, after = visceral_fat(bare), visceral_fat(lighter)
    scale = after / before if before > 0 else 0.0
    return dataclasses.replace(lighter, visceral_fat_cm2=visceral_fat(subject) * scale)
