"""Sex-hormone conditions: male hypogonadism and (oral or high-dose) estrogen therapy.

* **Male hypogonadism.** Testosterone raises GH secretion in hypogonadal men largely after
  aromatisation to estradiol, at a hypothalamic site: in older men with the gonadal axis clamped,
  estradiol add-back raised basal, pulsatile and total GH secretion by 60–70 % without changing the
  response to GH secretagogues (Roelfsema F et al. JCEM 2018;103:4419). The model gives the loss of
  sex steroids the same route as the pubertal sex-steroid effect of the covariate model: a higher
  basal somatostatin tone, ``srif_basal_release × (1 + hypogonadism_srif_gain·severity)``.
* **Menopause** is a subject trait (``Subject(postmenopausal=True)``), handled by the covariate
  model; it is not a condition here.
* **Estrogen therapy.** Estrogen taken by mouth reaches the liver in high concentration (first
  pass) and blunts hepatic GH-receptor signalling: IGF-1 falls by a third and GH rises 3.5-fold
  on 20 µg/day ethinylestradiol, while transdermal estradiol leaves IGF-1 and GH unchanged
  (Weissberger AJ, Ho KKY, Lazarus L. JCEM 1991;72:374). High-dose oral estrogen acts the same
  way, more strongly. :class:`Estrogen` is the established-therapy condition with the knobs of
  the lifestyle module's estrogen mechanism and the *same* function and constants
  (:func:`somatosim.lifestyle.estrogen.hepatic_estrogen_factor`; ``estrogen_oral_ee_d50`` and
  ``estrogen_ee_equivalent_*`` in ``params/lifestyle.toml``), so a chronic condition and a
  time-limited ``EstrogenTherapy`` event share one effect size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from somatosim._validation import InputError, Interval, OneOf
from somatosim.conditions._base import Condition


@dataclass(frozen=True)
class MaleHypogonadism(Condition):
    """Testosterone deficiency in a man (primary or secondary hypogonadism, androgen deprivation)."""

    severity: float = 1.0

    name: ClassVar[str] = "male_hypogonadism"
    label: ClassVar[str] = "male hypogonadism"
    constraints: ClassVar[dict] = {"severity": Interval(0, 1, "(fraction of normal sex-steroid action lost)")}
    descriptions: ClassVar[dict] = {
        "severity": "fraction of normal testosterone (and aromatised estradiol) action lost: 1 = castrate"
    }

    def modify(self, p, subject) -> None:
        if getattr(subject, "sex", "male") != "male":
            raise InputError(
                f"male_hypogonadism: subject.sex = {subject.sex!r} is not allowed: expected 'male' "
                "(for women, sex-steroid loss is subject.postmenopausal = true)"
            )
        p["srif_basal_release"] *= 1.0 + p["hypogonadism_srif_gain"] * self.severity


#: Preparations by route (as in the lifestyle module's estrogen mechanism).
ESTROGEN_DRUGS = {
    "oral": ("ethinylestradiol", "estradiol", "estradiol_valerate", "conjugated_estrogens"),
    "transdermal": ("estradiol",),
}


@dataclass(frozen=True)
class Estrogen(Condition):
    """Established estrogen therapy or contraception (any dose; oral route: hepatic GH resistance).

    Mechanism: ``ghr_sensitivity ×`` :func:`somatosim.lifestyle.estrogen.hepatic_estrogen_factor`
    — ``1 / (1 + D/D50)`` for an oral ethinylestradiol-equivalent daily dose ``D``; 1 for the
    transdermal route.
    """

    dose_ug_per_day: float = 20.0
    route: str = "oral"
    drug: str = "ethinylestradiol"

    name: ClassVar[str] = "estrogen"
    label: ClassVar[str] = "estrogen therapy"
    constraints: ClassVar[dict] = {
        "dose_ug_per_day": Interval(0, 10000, "ug/day", low_open=True),
        "route": OneOf(tuple(ESTROGEN_DRUGS)),
        "drug": OneOf(ESTROGEN_DRUGS["oral"]),
    }
    descriptions: ClassVar[dict] = {
        "dose_ug_per_day": "daily dose, ug/day (e.g. 20 ethinylestradiol = low-dose pill; 2000 estradiol = 2 mg "
        "oral estradiol)",
        "route": "oral (first-pass hepatic GH resistance) or transdermal (no hepatic effect)",
        "drug": "preparation: ethinylestradiol, estradiol, estradiol_valerate or conjugated_estrogens "
        "(transdermal: estradiol only)",
    }

    def _check(self) -> None:
        if self.drug not in ESTROGEN_DRUGS[self.route]:
            raise InputError(f"estrogen.drug = {self.drug!r} is not allowed with route = {self.route!r}: expected "
                             + " or ".join(repr(d) for d in ESTROGEN_DRUGS[self.route]))

    def modify(self, p, subject) -> None:
        # the shared mechanism of the lifestyle module
        from somatosim.lifestyle.estrogen import hepatic_estrogen_factor

        p["ghr_sensitivity"] *= hepatic_estrogen_factor(self.route, self.drug, self.dose_ug_per_day, p)
