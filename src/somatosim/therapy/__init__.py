"""GH therapy: products, regimens, titration courses and weekly-product sampling days.

Injected GH enters the axis model as schedule events (:mod:`.products`): daily somatropin and
lonapegsomatropin put unmodified GH into the central GH compartment (``gh_infusion``), where the
model's own clearance, liver and feedback act on it; somapacitan and somatrogon circulate as
analogues and act as a GH-equivalent concentration (``gh_agonist``). The published population
PK/PD model of daily somatropin (Papathanasiou 2021) runs beside it as a reference (:mod:`.pkpd`).

Quick start::

    from somatosim.therapy import Regimen, ghd_patient, simulate_treatment, run_course, ghd_cohort

    patient = ghd_patient(45, "female", oral_estrogen=True)
    ds = simulate_treatment(patient, Regimen("somatropin", "0.3 mg/day"), days=28, seed=1)
    course = run_course(ghd_cohort(100, seed=1), "aace_2019", weeks=52, seed=1)
    course.summary(); course.figure()

For research and teaching only; not a medical device and not medical advice.
"""

from somatosim.therapy.course import CohortRun
from somatosim.therapy.doses import Dose, DoseWarning, check_dose, label_maximum
from somatosim.therapy.figures import course_figure, sampling_day_figure, treatment_figure
from somatosim.therapy.patients import ghd_cohort, ghd_patient, on_oral_estrogen
from somatosim.therapy.pkpd import (
    reference_daily,
    reference_gh,
    reference_igf1,
    reference_parameters,
    reference_treatment,
)
from somatosim.therapy.products import (
    PRODUCTS,
    InjectionEvent,
    Product,
    get_product,
    injection,
    single_dose_profile,
)
from somatosim.therapy.regimens import (
    Regimen,
    aace_starting_dose,
    paediatric_dose,
    plan_events,
    starting_dose,
)
from somatosim.therapy.sampling_day import (
    LONAPEG_TABLE,
    average_igf1,
    average_igf1_sds,
    model_sampling_day_table,
    sampling_day_correction,
    weekly_profiles,
)
from somatosim.therapy.titration import (
    PROTOCOLS,
    CourseResult,
    TitrationProtocol,
    aace_2019,
    drake_1998,
    run_course,
    somapacitan_adult,
    somatrogon_paediatric,
)
from somatosim.therapy.treatment import daily_summary, simulate_arms, simulate_treatment

__all__ = [
    "LONAPEG_TABLE",
    "PRODUCTS",
    "PROTOCOLS",
    "CohortRun",
    "CourseResult",
    "Dose",
    "DoseWarning",
    "InjectionEvent",
    "Product",
    "Regimen",
    "TitrationProtocol",
    "aace_2019",
    "aace_starting_dose",
    "average_igf1",
    "average_igf1_sds",
    "check_dose",
    "course_figure",
    "daily_summary",
    "drake_1998",
    "get_product",
    "ghd_cohort",
    "ghd_patient",
    "injection",
    "label_maximum",
    "model_sampling_day_table",
    "on_oral_estrogen",
    "paediatric_dose",
    "plan_events",
    "reference_daily",
    "reference_gh",
    "reference_igf1",
    "reference_parameters",
    "reference_treatment",
    "run_course",
    "sampling_day_correction",
    "sampling_day_figure",
    "simulate_arms",
    "simulate_treatment",
    "single_dose_profile",
    "somapacitan_adult",
    "somatrogon_paediatric",
    "starting_dose",
    "treatment_figure",
    "weekly_profiles",
]
