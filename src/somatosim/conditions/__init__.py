"""Causes of GH deficiency and GH resistance, each a mechanism with a severity knob.

A condition is given to a subject (``Subject(..., conditions=(ChronicKidneyDisease(egfr=20),))``)
and changes that subject's parameters through the physiology the model already has — somatotroph
mass, GHRH supply, GHRH-receptor potency, GH synthesis and bioactivity, hepatic GH-receptor
signalling and synthetic capacity, renal and hepatic GH clearance, IGF-binding proteins, ghrelin
and somatostatin tone — never by scaling an output. Every effect size is in
``params/conditions.toml`` with its source; ``docs/causes.md`` lists each condition with its
knobs, mechanism, published signature and validation.

=========================== ============================================================
module                      conditions
=========================== ============================================================
:mod:`.pituitary`           pituitary damage / tumour / surgery, hypothalamic damage /
                            tumour, traumatic brain injury, cranial irradiation,
                            childhood-onset GHD persisting into adulthood
:mod:`.inherited`           GH1 deletion, GHRH-receptor defect, Laron syndrome, bioinactive GH
:mod:`.liver`               cirrhosis (Child-Pugh or MELD)
:mod:`.kidney`              chronic kidney disease (eGFR, KDIGO stage or dialysis)
:mod:`.nutrition`           anorexia nervosa (BMI)
:mod:`.sex_hormones`        male hypogonadism, estrogen therapy (oral: hepatic GH resistance)
:mod:`.inflammation`        chronic inflammation (CRP), acute illness (condition and event)
=========================== ============================================================

By name (scenario files): :func:`make_condition`, :data:`CONDITIONS`, :func:`condition_schema`,
:func:`conditions_from_tables`.
"""

from somatosim.conditions._base import Condition, Flag, parameter_schema
from somatosim.conditions.inflammation import AcuteIllness, AcuteIllnessEvent, ChronicInflammation
from somatosim.conditions.inherited import (
    BioinactiveGH,
    GH1Deletion,
    GHRHReceptorDefect,
    LaronSyndrome,
)
from somatosim.conditions.kidney import ChronicKidneyDisease
from somatosim.conditions.liver import Cirrhosis
from somatosim.conditions.nutrition import AnorexiaNervosa
from somatosim.conditions.pituitary import (
    ChildhoodOnsetGHD,
    CranialIrradiation,
    HypothalamicDamage,
    HypothalamicTumour,
    PituitaryDamage,
    PituitarySurgery,
    PituitaryTumour,
    TraumaticBrainInjury,
)
from somatosim.conditions.registry import (
    CONDITIONS,
    NOT_CONDITIONS,
    condition_schema,
    conditions_from_tables,
    make_condition,
)
from somatosim.conditions.sex_hormones import Estrogen, MaleHypogonadism

__all__ = [
    "CONDITIONS",
    "NOT_CONDITIONS",
    "AcuteIllness",
    "AcuteIllnessEvent",
    "AnorexiaNervosa",
    "BioinactiveGH",
    "ChildhoodOnsetGHD",
    "ChronicInflammation",
    "ChronicKidneyDisease",
    "Cirrhosis",
    "Condition",
    "CranialIrradiation",
    "Estrogen",
    "Flag",
    "GH1Deletion",
    "GHRHReceptorDefect",
    "HypothalamicDamage",
    "HypothalamicTumour",
    "LaronSyndrome",
    "MaleHypogonadism",
    "PituitaryDamage",
    "PituitarySurgery",
    "PituitaryTumour",
    "TraumaticBrainInjury",
    "condition_schema",
    "conditions_from_tables",
    "make_condition",
    "parameter_schema",
]
