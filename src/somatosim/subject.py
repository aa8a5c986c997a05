"""Virtual subjects: traits, and the one covariate model that maps them onto parameters.

A :class:`Subject` holds what a clinician would write down (age, sex, height, weight, waist or
visceral fat, menopausal status, pubertal stage, habitual sleep and meal times). The covariate
model (:func:`subject_parameters`) turns a list of subjects into per-subject parameter arrays:

* **age** — GH burst mass (not frequency) falls from early adulthood to midlife, then more
  slowly (Van Cauter, Leproult & Plat 2000), slow-wave sleep falls from 18.9 % to 3.4 % of sleep over the
  same years, and hepatic GH sensitivity matures through childhood;
* **puberty** — sex steroids lower somatostatin tone around the pubertal peak, amplifying GH
  secretion about threefold (Martha 1992);
* **sex** — with ovarian estrogen (from puberty to menopause) GHRH is more potent (Farhy 2007),
  GH autofeedback on somatostatin is weaker (Veldhuis 2005), the somatotrophs' releasable GH
  store is larger (the GHRH response falls after ovariectomy and returns with estrogen) and
  hepatic GH signalling is restrained (Leung 2004);
* **adiposity** — visceral fat lowers GHRH drive (Clasey 2001; Miller 2005), blunts the
  somatotrophs' response (stimulated peaks fall with BMI: Bonert 2004; Corneli 2005), raises
  GH clearance (Langendonk 1999) and makes the liver more sensitive to GH (IGF-1 near normal);
* **body size** — GH clearance scales with body-surface area and volume with weight (Shah 1999);
* **between-person variability** — log-normal random effects, seeded per subject.

Every constant is in ``params/covariates.toml`` with its source.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from somatosim._validation import InputError, Interval, OneOf, as_number, check
from somatosim.model.kinetics import micro_constants
from somatosim.model.pituitary import scale_reserve
from somatosim.params import ParameterSet, load_parameters
from somatosim.units import half_life_to_rate

#: Declared constraints of every Subject field (messages are generated from these).
SUBJECT_CONSTRAINTS = {
    "age": Interval(3, 90, "years"),
    "sex": OneOf(("male", "female")),
    "height_cm": Interval(80, 230, "cm"),
    "weight_kg": Interval(10, 300, "kg"),
    "visceral_fat_cm2": Interval(0, 600, "cm2"),
    "waist_cm": Interval(40, 200, "cm"),
    "pubertal_stage": Interval(1, 5, "(Tanner stage)"),
    "sleep_onset_h": Interval(0, 24, "h (clock time)", high_open=True),
    "sleep_duration_h": Interval(0, 16, "h", low_open=True),
    "meal_times_h": Interval(0, 24, "h (clock time)", high_open=True),
}


@dataclass(frozen=True)
class Subject:
    """A virtual person.

    Parameters
    ----------
    age : float
        Years, 3–90.
    sex : {"male", "female"}
    height_cm, weight_kg : float
        Body size (default: typical adult of that sex; typical child heights are not inferred,
        so give them for children).
    visceral_fat_cm2 : float, optional
        Visceral adipose tissue area at L4–L5 (CT/MRI), cm². Estimated from ``waist_cm`` or,
        failing that, from BMI when not given.
    waist_cm : float, optional
        Waist circumference, cm.
    postmenopausal : bool, optional
        For women; default: age ≥ ``menopause_age`` (51 y).
    pubertal_stage : int, optional
        Tanner stage 1–5; default derived from age and sex.
    sleep_onset_h, sleep_duration_h : float
        Habitual sleep: clock time of sleep onset (h) and duration (h).
    meal_times_h : tuple of float
        Habitual clock times of meals (h).
    conditions : tuple
        Chronic conditions (causes of GH deficiency or resistance, diseases, drugs): objects
        with a ``name`` and a method ``modify(p, subject)`` that changes the subject's parameter
        dict in place after the covariate model (see :mod:`somatosim.conditions`).
    """

    age: float = 30.0
    sex: str = "male"
    height_cm: float | None = None
    weight_kg: float | None = None
    visceral_fat_cm2: float | None = None
    waist_cm: float | None = None
    postmenopausal: bool | None = None
    pubertal_stage: int | None = None
    sleep_onset_h: float = 23.0
    sleep_duration_h: float = 8.0
    meal_times_h: tuple[float, ...] = field(default=(8.0, 13.0, 19.0))
    conditions: tuple = ()

    def __post_init__(self):
        for name in ("age", "height_cm", "weight_kg", "visceral_fat_cm2", "waist_cm",
                     "pubertal_stage", "sleep_onset_h", "sleep_duration_h"):
            value = getattr(self, name)
            if value is None:
                continue
            value = as_number(f"subject.{name}", value)
            check(f"subject.{name}", value, SUBJECT_CONSTRAINTS[name])
            object.__setattr__(self, name, float(value))
        if self.pubertal_stage is not None and self.pubertal_stage != int(self.pubertal_stage):
            check("subject.pubertal_stage", self.pubertal_stage, OneOf(("1", "2", "3", "4", "5")))
        check("subject.sex", self.sex, SUBJECT_CONSTRAINTS["sex"])
        meals = tuple(float(as_number("subject.meal_times_h", m)) for m in self.meal_times_h)
        for m in meals:
            check("subject.meal_times_h", m, SUBJECT_CONSTRAINTS["meal_times_h"])
        object.__setattr__(self, "meal_times_h", meals)
        conditions = tuple(self.conditions)
        for c in conditions:
            if not callable(getattr(c, "modify", None)):
                raise InputError(f"subject.conditions: {c!r} is not a condition (needs modify(p, subject))")
        object.__setattr__(self, "conditions", conditions)
        if self.postmenopausal is not None and not isinstance(self.postmenopausal, bool):
            check("subject.postmenopausal", self.postmenopausal, OneOf(("True", "False")))

    # Defaults that depend on other traits -------------------------------------------------
    @property
    def height(self) -> float:
        """Height, cm (default 178 cm men, 165 cm women)."""
        if self.height_cm is not None:
            return self.height_cm
        return 178.0 if self.sex == "male" else 165.0

    @property
    def weight(self) -> float:
        """Weight, kg (default: BMI 23 at the subject's height)."""
        if self.weight_kg is not None:
            return self.weight_kg
        return 23.0 * (self.height / 100.0) ** 2

    @property
    def bmi(self) -> float:
        """Body-mass index, kg/m²."""
        return self.weight / (self.height / 100.0) ** 2

    @property
    def bsa(self) -> float:
        """Body-surface area, m² (Mosteller RD. N Engl J Med 1987;317:1098)."""
        return math.sqrt(self.height * self.weight / 3600.0)


def visceral_fat(subject: Subject, p: ParameterSet | None = None) -> float:
    """Visceral fat area (cm²): as given, else from waist, else from BMI (see covariates.toml)."""
    if subject.visceral_fat_cm2 is not None:
        return subject.visceral_fat_cm2
    p = p or load_parameters()
    sex = subject.sex
    waist = subject.waist_cm
    if waist is None:
        waist = p[f"waist_at_bmi22_{sex}"].value + p["waist_per_bmi"].value * (subject.bmi - 22.0)
    slope = p[f"vat_per_waist_{sex}"].value
    return max(0.0, slope * (waist - p[f"vat_waist_intercept_{sex}"].value))


def is_postmenopausal(subject: Subject, p: ParameterSet | None = None) -> bool:
    """Menopausal status (given, or from age for women; always False for men)."""
    if subject.sex == "male":
        return False
    if subject.postmenopausal is not None:
        return subject.postmenopausal
    p = p or load_parameters()
    return subject.age >= p["menopause_age"].value


def pubertal_age(subject: Subject, p: ParameterSet | None = None) -> float:
    """Age (y) on the sex's pubertal timeline: the real age, or the one matching a given stage.

    A given Tanner stage places the subject at ``peak_age + 1.2·(stage − 4)`` years, 1.2 y
    being the typical duration of a Tanner stage (assumption stated here as a unit-free
    mapping, not a model parameter).
    """
    if subject.pubertal_stage is None:
        return subject.age
    p = p or load_parameters()
    peak = p[f"puberty_peak_age_{subject.sex}"].value
    return peak + 1.2 * (subject.pubertal_stage - 4.0)


def tanner_stage(subject: Subject, p: ParameterSet | None = None) -> int:
    """Tanner stage derived from age and sex (1 before, 5 after puberty) unless given."""
    if subject.pubertal_stage is not None:
        return int(subject.pubertal_stage)
    p = p or load_parameters()
    peak = p[f"puberty_peak_age_{subject.sex}"].value
    return int(np.clip(np.round(4.0 + (subject.age - peak) / 1.2), 1, 5))


def _age_factor(age: float, p: dict[str, float]) -> float:
    """Burst-mass factor of age: ``child_burst_mass`` up to 18 y, falling linearly to 1 at
    ``age_reference``, then the adult decline (steep to ``age_midlife``, slow after)."""
    ref, mid = p["age_reference"], p["age_midlife"]
    if age < ref:
        w = min(max((ref - age) / (ref - 18.0), 0.0), 1.0)  # 18 y: end of linear growth
        return 1.0 + (p["child_burst_mass"] - 1.0) * w
    early = min(max(age - ref, 0.0), mid - ref)
    late = max(age - mid, 0.0)
    return math.exp(-p["age_decline_early"] * early - p["age_decline_late"] * late)


def _sws_amplitude(age: float, p: dict[str, float]) -> float:
    """Slow-wave-sleep amount relative to 16–25 y, log-linear from 21 y to 43 y (Van Cauter 2000)."""
    young, mid = p["sws_fraction_young"], p["sws_fraction_midlife"]
    x = min(max((age - 21.0) / (43.0 - 21.0), 0.0), 1.0)  # 21 and 43 y: centres of 16-25 and 36-50 y
    return (mid / young) ** x


def typical_parameters(subject: Subject, base: ParameterSet | None = None) -> dict[str, float]:
    """Parameters of a subject without between-person variability (floats)."""
    base = base or load_parameters()
    p = base.floats()
    age = subject.age
    pub_age = pubertal_age(subject, base)

    # Ovarian estrogen (0-1): absent before puberty, rising over the `puberty_width` years
    # before the pubertal peak, present until menopause.
    postmenopausal = is_postmenopausal(subject, base)
    estrogen = 0.0
    if subject.sex == "female" and not postmenopausal:
        onset = p["puberty_peak_age_female"] - p["puberty_width"]
        estrogen = min(max((pub_age - onset) / p["puberty_width"], 0.0), 1.0)

    # Puberty.
    peak = p[f"puberty_peak_age_{subject.sex}"]
    puberty = 1.0 + p["puberty_gain"] * math.exp(-0.5 * ((pub_age - peak) / p["puberty_width"]) ** 2)
    # Sex steroids of puberty amplify GH secretion by lowering somatostatin tone.
    p["srif_basal_release"] /= puberty
    # Adult ageing lowers GH burst mass but not burst frequency (Iranmanesh 1991; Veldhuis 1995):
    # somatotroph output and the GH level at which GH recruits somatostatin fall together, which
    # scales the GH pulses down while leaving the timing of the feedback oscillator intact.
    ageing = _age_factor(age, p)
    if age >= p["age_reference"]:
        p["ghrh_drive"] *= ageing ** p["age_ghrh_exponent"]
        p["srif_basal_release"] /= ageing ** p["age_srif_exponent"]
        p["gh_on_srif_potency"] *= ageing
    else:
        for name in ("gh_release_max", "store_size", "gh_on_srif_potency"):
            p[name] *= ageing

    # Slow-wave sleep amount.
    p["sws_amplitude"] = _sws_amplitude(age, p)

    # Hepatic GH sensitivity matures through childhood; estrogen restrains it.
    x = (age / p["child_ghr_maturation"]) ** p["child_ghr_hill"]
    maturity = p["child_ghr_sensitivity"] + (1.0 - p["child_ghr_sensitivity"]) * x / (1.0 + x)
    if postmenopausal:
        female_liver = p["postmenopausal_ghr_sensitivity"]
    else:
        female_liver = 1.0 + (p["female_ghr_sensitivity"] - 1.0) * estrogen
    p["ghr_sensitivity"] *= maturity * female_liver

    # Estrogen in girls and premenopausal women: more potent GHRH, weaker GH autofeedback.
    p["ghrh_on_gh_potency"] *= 1.0 + (p["female_ghrh_potency"] - 1.0) * estrogen
    p["srif_gh_feedback"] *= 1.0 + (p["female_srif_feedback"] - 1.0) * estrogen
    scale_reserve(p, 1.0 + (p["female_store_size"] - 1.0) * estrogen)

    # Adiposity: visceral fat lowers GHRH drive and raises GH clearance.
    excess = (visceral_fat(subject, base) - p["vat_reference"]) / 100.0
    p["ghrh_drive"] *= math.exp(-p["vat_gh_decline"] * max(excess, 0.0))
    # ... and blunts the somatotrophs themselves (free fatty acids, insulin), which is why GHRH +
    # arginine peaks fall with BMI although arginine lifts somatostatin and GHRH is given.
    scale_reserve(p, math.exp(-p["vat_pituitary_decline"] * max(excess, 0.0)))
    clearance_factor = 1.0 + p["vat_clearance_gain"] * max(excess, 0.0)
    # The liver of visceral obesity is more sensitive to GH (portal insulin up-regulates hepatic GH
    # receptors), so IGF-1 stays near normal although GH secretion is low.
    p["ghr_sensitivity"] *= 1.0 + p["vat_ghr_gain"] * max(excess, 0.0)

    # GH kinetics for this body size.
    v1 = p["gh_v1_per_kg"] * subject.weight
    cl = p["gh_mcr"] * subject.bsa / 1440.0 * clearance_factor  # L/min, at gh_mcr_concentration
    p["gh_v1"] = v1
    p["gh_clearance"] = cl
    # Turnover of the hepatic GH-receptor signal scales with body size like other turnover rates
    # (rate ∝ weight^-exponent): a child's liver follows a change of GH exposure sooner.
    p["ghr_tau"] *= (subject.weight / p["allometric_reference_weight"]) ** p["ghr_tau_weight_exponent"]
    # Glucose and insulin distribution volumes.
    p["glucose_volume"] = p["glucose_volume_per_kg"] * subject.weight
    p["insulin_volume"] = p["insulin_volume_per_kg"] * subject.weight
    p["body_weight"] = subject.weight
    for condition in subject.conditions:
        condition.modify(p, subject)
    return p


#: The two-compartment fit exists only when clearance/V1 lies strictly between the slow and fast
#: disposition rates; extreme combinations of body size and visceral fat (e.g. a 10-kg child with
#: 150 cm² of visceral fat) are held this far (relative) inside that interval.
_K10_MARGIN = 0.02


def kinetic_constants(p: dict[str, np.ndarray]) -> None:
    """Add GH micro-constants (``gh_k12``, ``gh_k21``, ``gh_renal_k``, ``gh_extrarenal_k0``) to ``p``."""
    alpha = half_life_to_rate(p["gh_half_life_fast"])
    beta = half_life_to_rate(p["gh_half_life_slow"])
    k10 = np.clip(p["gh_clearance"] / p["gh_v1"], beta * (1 + _K10_MARGIN), alpha * (1 - _K10_MARGIN))
    p["gh_clearance"] = k10 * p["gh_v1"]
    mc = micro_constants(p["gh_half_life_fast"], p["gh_half_life_slow"], p["gh_clearance"], p["gh_v1"])
    k10 = mc["k10"]  # total elimination rate constant at the concentration the MCR was measured at
    km, c_ref = p["gh_extrarenal_km"], p["gh_mcr_concentration"]
    p["gh_k12"] = mc["k12"]
    p["gh_k21"] = mc["k21"]
    p["gh_renal_k"] = p["gh_renal_fraction"] * k10
    p["gh_extrarenal_k0"] = (1.0 - p["gh_renal_fraction"]) * k10 * (km + c_ref) / km


#: Parameters that carry log-normal between-person variability, and the CV parameter of each.
RANDOM_EFFECTS = {
    "gh_release_max": "re_cv_release",
    "hepatic_capacity": "re_cv_hepatic",
    "gh_clearance": "re_cv_clearance",
    "ghrh_drive": "re_cv_drive",
}


def subject_parameters(
    subjects: Sequence[Subject] | Subject,
    *,
    seed: int | None = 0,
    variability: bool = True,
    base: ParameterSet | None = None,
    overrides: dict[str, float] | None = None,
) -> dict[str, np.ndarray]:
    """Per-subject parameter arrays (shape ``(n_subjects,)``) for the engines.

    Parameters
    ----------
    subjects : Subject or sequence of Subject
    seed : int
        Seed of the random effects; subject ``i`` uses the stream ``(seed, i)``, so a subject's
        parameters do not depend on the size of the cohort it is in.
    variability : bool
        Draw log-normal random effects (False gives the typical subject of each trait set).
    overrides : dict, optional
        Parameter values to impose on every subject after the covariate model (e.g.
        ``{"somatotroph_capacity": 0.2}``).
    """
    if isinstance(subjects, Subject):
        subjects = [subjects]
    if len(subjects) == 0:
        raise ValueError("subjects: need at least one Subject")
    base = base or load_parameters()
    rows = [typical_parameters(s, base) for s in subjects]
    p = {k: np.array([r[k] for r in rows], dtype=float) for k in rows[0]}
    if variability:
        if seed is None:
            raise ValueError("seed: a seed is required when variability=True")
        for i in range(len(subjects)):
            rng = np.random.default_rng([int(seed), i])
            for name, cv_name in RANDOM_EFFECTS.items():
                sd = math.sqrt(math.log1p(p[cv_name][i] ** 2))
                p[name][i] *= math.exp(sd * rng.standard_normal() - 0.5 * sd * sd)
    for k, v in (overrides or {}).items():
        if k not in p:
            raise KeyError(f"overrides: unknown parameter {k!r}")
        p[k] = np.broadcast_to(np.asarray(v, dtype=float), p[k].shape).copy()
    kinetic_constants(p)
    return p
