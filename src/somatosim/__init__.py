"""somatosim: an open, validated simulator of the human GH/IGF-1 axis.

For research and teaching only; not a medical device and not medical advice.
"""

__version__ = "0.1.0"

from somatosim._validation import InputError
from somatosim.analysis import (
    AnalysisInputError,
    Cluster,
    ConstantCV,
    ConstantSD,
    CVWithFloor,
    Deconvolution,
    HormoneSeries,
    PulseSummary,
    approximate_entropy,
    cluster,
    cross_approximate_entropy,
    deconvolve,
    load_lh_diggle1990,
    pulse_detection_performance,
    read_series,
    sample_entropy,
)
from somatosim.assay import Assay, SamplingPlan, sample
from somatosim.clinic.errors import ClinicInputError, UnitWarning
from somatosim.clinic.igf1 import (
    igf1_assess,
    igf1_band,
    igf1_centile,
    igf1_reference_grid,
    igf1_reference_range,
    igf1_sds,
    igf1_value_at_centile,
    igf1_value_at_sds,
)
from somatosim.clinic.reference import (
    ReferenceTable,
    available_references,
    get_reference,
    register_reference,
)
from somatosim.cohort import virtual_cohort
from somatosim.compare import Comparison, compare, compare_scenarios
from somatosim.conditions import CONDITIONS, condition_schema, make_condition
from somatosim.params import load_parameters, parameter_overrides
from somatosim.schedule import Schedule, SleepPeriod
from somatosim.simulation import simulate
from somatosim.subject import Subject, subject_parameters

#: Names loaded on first use (their modules pull in plotting), -> defining module.
_LAZY = {
    **dict.fromkeys(("Exercise", "Fast", "bout", "hiit", "Glucocorticoid", "EstrogenTherapy", "Inflammation"),
                    "somatosim.lifestyle"),
    **dict.fromkeys(("Regimen", "simulate_treatment", "run_course", "ghd_patient", "sampling_day_correction"),
                    "somatosim.therapy"),
    "run_stimulation_test": "somatosim.clinic.stimulation",
    "interpret": "somatosim.clinic.interpretation",
}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'somatosim' has no attribute {name!r}")


__all__ = [
    "CONDITIONS",
    "AnalysisInputError",
    "Assay",
    "CVWithFloor",
    "ClinicInputError",
    "Cluster",
    "Comparison",
    "ConstantCV",
    "ConstantSD",
    "Deconvolution",
    "HormoneSeries",
    "InputError",
    "PulseSummary",
    "ReferenceTable",
    "SamplingPlan",
    "Schedule",
    "SleepPeriod",
    "Subject",
    "UnitWarning",
    "approximate_entropy",
    "available_references",
    "cluster",
    "compare",
    "compare_scenarios",
    "condition_schema",
    "cross_approximate_entropy",
    "deconvolve",
    "get_reference",
    "igf1_assess",
    "igf1_band",
    "igf1_centile",
    "igf1_reference_grid",
    "igf1_reference_range",
    "igf1_sds",
    "igf1_value_at_centile",
    "igf1_value_at_sds",
    "load_lh_diggle1990",
    "load_parameters",
    "make_condition",
    "parameter_overrides",
    "pulse_detection_performance",
    "read_series",
    "register_reference",
    "sample",
    "sample_entropy",
    "simulate",
    "subject_parameters",
    "virtual_cohort",
]
__all__ += list(_LAZY)
