"""Lifestyle and physiology as mechanisms: exercise, fasting and nutrition, glucocorticoids and
stress, inflammatory episodes, estrogen route, sleep timelines, weight loss, and the evidence
table of diet claims.

Each time-limited factor is an *event* of the schedule protocol (``start``, ``end``,
``apply(t, channels, p)``; :mod:`somatosim.schedule`) acting on the model's input channels;
chronic states are subject *conditions* (:mod:`somatosim.conditions`). Every effect size is in
``params/lifestyle.toml`` with its source; ``docs/lifestyle.md`` lists each mechanism with its
evidence grade and validation.

===================== ========================================================================
module                what
===================== ========================================================================
:mod:`.exercise`      :class:`Exercise`, :func:`bout`, :func:`hiit` (intensity × lactate threshold)
:mod:`.fasting`       :class:`Nutrition` (energy and protein intake), :class:`Fast`,
                      :func:`nutrition_event`, :func:`fasting_schedule`
:mod:`.stress`        :class:`Glucocorticoid` doses, :func:`glucocorticoid_course`,
                      :class:`CortisolExcess` (chronic stress), :class:`AcuteStress`,
                      :class:`GlucocorticoidExcess` (condition)
:mod:`.inflammation`  :class:`Inflammation` (an episode graded by CRP)
:mod:`.estrogen`      :class:`EstrogenTherapy` (route, preparation, dose), :func:`estrogen_condition`
:mod:`.sleep`         night-shift, sleep-deprivation and sleep-restriction schedules
:mod:`.bodyweight`    :func:`after_weight_loss`
:mod:`.micronutrients` :func:`evidence_table` of diet and micronutrient claims, graded
===================== ========================================================================
"""

from somatosim.lifestyle.bodyweight import after_weight_loss
from somatosim.lifestyle.estrogen import EstrogenTherapy, estrogen_condition
from somatosim.lifestyle.exercise import Exercise, bout, hiit, intensity_from_vo2max
from somatosim.lifestyle.fasting import Fast, Nutrition, fasting_schedule, nutrition_event
from somatosim.lifestyle.inflammation import Inflammation
from somatosim.lifestyle.micronutrients import Evidence, evidence, evidence_frame, evidence_table
from somatosim.lifestyle.sleep import (
    night_shift_schedule,
    restricted_sleep_schedule,
    sleep_deprivation_schedule,
)
from somatosim.lifestyle.stress import (
    AcuteStress,
    CortisolExcess,
    Glucocorticoid,
    GlucocorticoidExcess,
    glucocorticoid_course,
)

__all__ = [
    "AcuteStress",
    "CortisolExcess",
    "EstrogenTherapy",
    "Evidence",
    "Exercise",
    "Fast",
    "Glucocorticoid",
    "GlucocorticoidExcess",
    "Inflammation",
    "Nutrition",
    "after_weight_loss",
    "bout",
    "estrogen_condition",
    "evidence",
    "evidence_frame",
    "evidence_table",
    "fasting_schedule",
    "glucocorticoid_course",
    "hiit",
    "intensity_from_vo2max",
    "night_shift_schedule",
    "nutrition_event",
    "restricted_sleep_schedule",
    "sleep_deprivation_schedule",
]
