"""Guideline cut-offs of GH stimulation tests, with their sources.

A peak GH (µg/L, WHO IS 98/574-calibrated assays) *below* a test's cut-off reads as GH
deficiency (GHD). Which cut-off applies depends on the test, on whether the person is a child
or an adult, on body-mass index (GHRH + arginine, glucagon) and, for glucagon at BMI 25–30
kg/m², on the pre-test probability of GHD (AACE 2019). Every cut-off carries the keys of its
sources (:data:`SOURCES`), which copy the somatosim research notes
(``research/clinical_reference.md`` §2.2–2.4) and their confidence tags (``V`` read in a source,
``M`` recalled, not re-checked).

The test keys are those of :data:`somatosim.clinic.knowledge.STIMULATION_TESTS`, so a simulated
peak can be handed to the interpretation engine unchanged.

GH cut-offs are assay dependent; these are the published numbers, not a laboratory's own. For
research and teaching only; not medical advice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from somatosim._validation import InputError, OneOf, check
from somatosim.clinic.knowledge import STIMULATION_TESTS

__all__ = [
    "CUTOFFS",
    "PAEDIATRIC_AGE",
    "SOURCES",
    "TESTS",
    "Cutoff",
    "Source",
    "classify",
    "cutoffs_for",
    "population_of",
    "select_cutoff",
]

#: Stimulation tests: the interpretation engine's keys, so results pass between the two.
TESTS: tuple[str, ...] = STIMULATION_TESTS

#: Age (y) below which the paediatric cut-off applies. Convention (assumption): the adult
#: cut-offs were set in adults; transition-age patients (late adolescence) have their own
#: proposals (Corneli 2007), which are listed but not applied by default.
PAEDIATRIC_AGE = 18.0


@dataclass(frozen=True)
class Source:
    """A citable source and the confidence of the research notes in it."""

    key: str
    citation: str
    confidence: str


SOURCES: dict[str, Source] = {s.key: s for s in (
    Source("es2011", "Molitch ME et al. Evaluation and treatment of adult GH deficiency: an Endocrine "
           "Society clinical practice guideline. J Clin Endocrinol Metab 2011;96:1587-1609", "M"),
    Source("aace2019", "Yuen KCJ et al. AACE/ACE guidelines for management of GH deficiency in adults and "
           "patients transitioning from pediatric to adult care. Endocr Pract 2019;25:1191-1232", "V"),
    Source("grs2007", "Ho KKY; GH Research Society. Consensus guidelines for the diagnosis and treatment of "
           "adults with GH deficiency II. Eur J Endocrinol 2007;157:695-700", "V"),
    Source("biller2002", "Biller BMK et al. Sensitivity and specificity of six tests for the diagnosis of "
           "adult GH deficiency. J Clin Endocrinol Metab 2002;87:2067-2079 (ITT cut-point 5.1 µg/L)", "M"),
    Source("corneli2005", "Corneli G et al. The cut-off limits of the GH response to GHRH plus arginine test "
           "related to body mass index. Eur J Endocrinol 2005;153:257-264 (as cited in Gasco 2023)", "V"),
    Source("corneli2007", "Corneli G et al. Cut-off limits of the GH response to GHRH plus arginine test and "
           "IGF-I levels ... in late adolescents and young adults. Eur J Endocrinol 2007;157:701-708", "V"),
    Source("gasco2023", "Gasco V et al. GHRH + arginine test and body mass index: do we need to review "
           "diagnostic criteria for GH deficiency? J Endocrinol Invest 2023;46:2009-2017", "V"),
    Source("hamrahian2016", "Hamrahian AH et al. Revised GH and cortisol cut-points for the glucagon "
           "stimulation test ... Pituitary 2016;19:332-341", "V"),
    Source("garcia2018", "Garcia JM et al. Macimorelin as a diagnostic test for adult GH deficiency. "
           "J Clin Endocrinol Metab 2018;103:3083-3093", "V"),
    Source("endotext", "Yuen KCJ. Growth hormone stimulation tests in assessing adult GH deficiency. "
           "Endotext (updated 2023), NBK395585", "V"),
    Source("pes2016", "Grimberg A et al. Guidelines for GH and IGF-I treatment in children and adolescents. "
           "Horm Res Paediatr 2016;86:361-397", "V"),
    Source("paediatric_cutoffs", "ESPE 2014 abstract; Pediatr Endocrinol Rev 2008 ('cut-off 7-10 µg/L usually "
           "used'), as cited in the somatosim clinical reference §2.4", "V"),
    Source("yuen2011", "Yuen KCJ et al. Glucagon stimulation testing in assessing for adult GH deficiency: "
           "current status and future perspectives. ISRN Endocrinol 2011:608056 (protocol table)", "V"),
    Source("itt_protocol", "Insulin tolerance test rows of the somatosim clinical reference §2.2/§2.4 (Brazil "
           "guideline table; eMedicine; PMC10305501 table)", "V"),
    Source("adult_protocols", "Adult GH stimulation-test protocol table of the somatosim clinical reference §2.2",
           "V"),
    Source("paediatric_protocols", "Paediatric GH stimulation-test protocol table of the somatosim clinical "
           "reference §2.4", "V"),
    Source("oncohemakey", "oncohemakey (online textbook page): false-normal GHRH-based tests in hypothalamic "
           "GHD, as cited in the somatosim clinical reference §2.2", "V"),
    Source("macrilen_label", "Macrilen (macimorelin) US prescribing information: limitation of use at "
           "BMI > 40 kg/m², QT prolongation, CYP3A4 inducers", "V"),
    Source("kawalec2024", "Kawalec J et al. Determination of glucose cut-off points for optimal performance of "
           "glucagon stimulation test. Front Endocrinol 2024;15:1448467", "V"),
    Source("katznelson2014", "Katznelson L et al. Acromegaly: an Endocrine Society clinical practice guideline. "
           "J Clin Endocrinol Metab 2014;99:3933-3951 (GH nadir < 1 µg/L after oral glucose)", "M"),
    Source("clonidine_normal", "Horm Res 2003 (normal prepubertal children, IFMA: clonidine peak 12.87 ± 5.8 "
           "µg/L, 5th centile 3.3 µg/L), as cited in the somatosim clinical reference §2.4", "V"),
)}


@dataclass(frozen=True)
class Cutoff:
    """Peak GH (µg/L) below which (``comparison`` ``"<"``) or at or below which (``"<="``) a
    test reads as GH deficient, for one population and BMI band.

    ``bmi_min``/``bmi_max`` (kg/m²) bound the band (``None``: open); ``pretest`` restricts the
    cut-off to a pre-test probability (``"any"``, ``"high"``, ``"low"``); ``role`` is
    ``"diagnostic"`` for the guideline value applied by default, ``"alternative"`` for
    published alternatives listed beside it.
    """

    test: str
    population: str
    value: float
    comparison: str
    label: str
    sources: tuple[str, ...]
    bmi_min: float | None = None
    bmi_max: float | None = None
    bmi_max_inclusive: bool = False
    bmi_min_inclusive: bool = True
    pretest: str = "any"
    role: str = "diagnostic"

    def applies(self, bmi: float | None, pretest: str) -> bool:
        """Whether this cut-off's BMI band and pre-test probability fit ``bmi`` and ``pretest``."""
        if self.pretest != "any" and self.pretest != pretest:
            return False
        if self.bmi_min is None and self.bmi_max is None:
            return True
        if bmi is None:
            return False
        if self.bmi_min is not None and (bmi < self.bmi_min or (bmi == self.bmi_min and not self.bmi_min_inclusive)):
            return False
        return not (self.bmi_max is not None
                    and (bmi > self.bmi_max or (bmi == self.bmi_max and not self.bmi_max_inclusive)))

    def deficient(self, peak: float) -> bool:
        """True when ``peak`` (µg/L) is on the GH-deficient side of the cut-off."""
        return peak < self.value if self.comparison == "<" else peak <= self.value

    def describe(self) -> str:
        return f"GHD if peak GH {self.comparison} {self.value:g} µg/L ({self.label})"


_A, _C = "adult", "child"

#: Every cut-off known to the simulator (diagnostic ones first within a test).
CUTOFFS: tuple[Cutoff, ...] = (
    # Insulin tolerance test: severe GHD < 3 µg/L (GRS 2007; ES 2011 3-5 µg/L).
    Cutoff("insulin_tolerance", _A, 3.0, "<", "severe GHD < 3 µg/L (GRS 2007; ES 2011: 3-5 µg/L)",
           ("grs2007", "es2011")),
    Cutoff("insulin_tolerance", _A, 5.1, "<", "Biller 2002 cut-point 5.1 µg/L (the comparator of the "
           "macimorelin trial)", ("biller2002", "garcia2018"), role="alternative"),
    # GHRH + arginine: BMI-dependent (Corneli 2005, adopted by ES 2011).
    Cutoff("ghrh_arginine", _A, 11.0, "<=", "BMI < 25 kg/m²: 11 µg/L", ("corneli2005", "es2011"), bmi_max=25.0),
    Cutoff("ghrh_arginine", _A, 8.0, "<=", "BMI 25-30 kg/m²: 8 µg/L", ("corneli2005", "es2011"),
           bmi_min=25.0, bmi_max=30.0),
    Cutoff("ghrh_arginine", _A, 4.0, "<=", "BMI >= 30 kg/m²: 4 µg/L", ("corneli2005", "es2011"), bmi_min=30.0),
    Cutoff("ghrh_arginine", _A, 8.0, "<", "Gasco 2023 lean: 8.0 µg/L", ("gasco2023",), bmi_max=25.0,
           role="alternative"),
    Cutoff("ghrh_arginine", _A, 7.0, "<", "Gasco 2023 overweight: 7.0 µg/L", ("gasco2023",), bmi_min=25.0,
           bmi_max=30.0, role="alternative"),
    Cutoff("ghrh_arginine", _A, 2.8, "<", "Gasco 2023 obese: 2.8 µg/L", ("gasco2023",), bmi_min=30.0,
           role="alternative"),
    Cutoff("ghrh_arginine", _A, 19.0, "<", "transition (late adolescence, lean): 19 µg/L", ("corneli2007",),
           bmi_max=25.0, role="alternative"),
    # Glucagon: AACE 2019, BMI and pre-test probability.
    Cutoff("glucagon", _A, 3.0, "<", "BMI < 25 kg/m²: 3 µg/L", ("aace2019",), bmi_max=25.0),
    Cutoff("glucagon", _A, 3.0, "<", "BMI 25-30 kg/m², high pre-test probability: 3 µg/L", ("aace2019",),
           bmi_min=25.0, bmi_max=30.0, bmi_max_inclusive=True, pretest="high"),
    Cutoff("glucagon", _A, 1.0, "<", "BMI 25-30 kg/m², low pre-test probability: 1 µg/L", ("aace2019",),
           bmi_min=25.0, bmi_max=30.0, bmi_max_inclusive=True, pretest="low"),
    Cutoff("glucagon", _A, 1.0, "<", "BMI > 30 kg/m²: 1 µg/L", ("aace2019",), bmi_min=30.0,
           bmi_min_inclusive=False),
    Cutoff("glucagon", _A, 1.0, "<", "Hamrahian 2016 fixed dose: 1.0 µg/L", ("hamrahian2016",), role="alternative"),
    # Macimorelin: label cut-off 2.8 ng/mL.
    Cutoff("macimorelin", _A, 2.8, "<", "label: 2.8 ng/mL (87 % sensitivity, 96 % specificity vs ITT 5.1)",
           ("garcia2018",)),
    Cutoff("macimorelin", _A, 5.1, "<", "post hoc 5.1 ng/mL (92 % sensitivity, 96 % specificity)",
           ("garcia2018",), role="alternative"),
    # Arginine alone: not recommended; very low cut-off.
    Cutoff("arginine", _A, 0.4, "<", "0.4 µg/L (arginine alone is no longer recommended in adults)",
           ("endotext", "aace2019")),
    # Children: the classic < 10 µg/L for every test (PES 2016 endorses no single number).
    *(Cutoff(t, _C, 10.0, "<", "classic paediatric threshold < 10 µg/L (7-10 µg/L usually used; "
             "failure on two different tests is required)", ("paediatric_cutoffs", "pes2016"))
      for t in TESTS if t != "macimorelin"),
    Cutoff("clonidine", _C, 3.3, "<", "5th centile of normal prepubertal children (IFMA): 3.3 µg/L",
           ("clonidine_normal",), role="alternative"),
)

_PRETEST = ("high", "low")


def population_of(age: float) -> str:
    """``"child"`` below :data:`PAEDIATRIC_AGE` years, else ``"adult"``."""
    return "child" if age < PAEDIATRIC_AGE else "adult"


def cutoffs_for(test: str, population: str, role: str | None = "diagnostic") -> tuple[Cutoff, ...]:
    """Cut-offs of ``test`` for ``population`` (``"adult"``/``"child"``) with ``role`` (None: all)."""
    check("test", test, OneOf(TESTS))
    check("population", population, OneOf(("adult", "child")))
    return tuple(c for c in CUTOFFS
                 if c.test == test and c.population == population and (role is None or c.role == role))


def select_cutoff(test: str, *, age: float, bmi: float | None = None, pretest: str = "high") -> Cutoff | None:
    """The diagnostic cut-off that applies, or ``None`` when the guidelines give none.

    Parameters
    ----------
    test : str
        One of :data:`TESTS`.
    age : float
        Years (decides adult or paediatric cut-offs).
    bmi : float, optional
        kg/m²; needed for the BMI-dependent adult cut-offs (GHRH + arginine, glucagon).
    pretest : {"high", "low"}
        Pre-test probability of GHD (AACE 2019 glucagon cut-off at BMI 25–30 kg/m²).
    """
    check("pretest", pretest, OneOf(_PRETEST))
    if isinstance(age, bool) or not isinstance(age, (int, float)) or not math.isfinite(age) or age < 0:
        raise InputError(f"age = {age!r} is not allowed: expected a number of years >= 0")
    matches = [c for c in cutoffs_for(test, population_of(age)) if c.applies(bmi, pretest)]
    if not matches and bmi is None and any(c.bmi_min is not None or c.bmi_max is not None
                                           for c in cutoffs_for(test, population_of(age))):
        raise InputError(f"bmi = None is not allowed for test {test!r}: its cut-off depends on BMI (kg/m²)")
    return matches[0] if matches else None


def classify(peak: float, cutoff: Cutoff | None) -> str:
    """``"deficient"``, ``"sufficient"`` or ``"no_cutoff"`` for a peak GH (µg/L)."""
    if cutoff is None:
        return "no_cutoff"
    return "deficient" if cutoff.deficient(peak) else "sufficient"
