"""somatosim: an open, validated simulator of the human GH/IGF-1 axis.

For research and teaching only; not a medical device and not medical advice.
"""

__version__ = "0.1.0"

from somatosim._validation import InputError  # noqa: E402
from somatosim.clinic.errors import ClinicInputError, UnitWarning  # noqa: E402
from somatosim.clinic.igf1 import (  # noqa: E402
    igf1_assess,
    igf1_band,
    igf1_centile,
    igf1_reference_grid,
    igf1_reference_range,
    igf1_sds,
    igf1_value_at_centile,
    igf1_value_at_sds,
)
from somatosim.clinic.reference import (  # noqa: E402
    ReferenceTable,
    available_references,
    get_reference,
    register_reference,
)
from somatosim.analysis import (  # noqa: E402
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
from somatosim.assay import Assay, SamplingPlan, sample  # noqa: E402
from somatosim.cohort import virtual_cohort  # noqa: E402
from somatosim.params import load_parameters  # noqa: E402
from somatosim.schedule import Schedule, SleepPeriod  # noqa: E402
from somatosim.simulation import simulate  # noqa: E402
from somatosim.subject import Subject, subject_parameters  # noqa: E402

__all__ = [
    "AnalysisInputError",
    "Assay",
    "CVWithFloor",
    "Cluster",
    "ConstantCV",
    "ConstantSD",
    "Deconvolution",
    "HormoneSeries",
    "PulseSummary",
    "SamplingPlan",
    "approximate_entropy",
    "cluster",
    "cross_approximate_entropy",
    "deconvolve",
    "load_lh_diggle1990",
    "pulse_detection_performance",
    "read_series",
    "sample",
    "sample_entropy",
    "ClinicInputError",
    "InputError",
    "ReferenceTable",
    "Schedule",
    "SleepPeriod",
    "Subject",
    "UnitWarning",
    "available_references",
    "get_reference",
    "igf1_assess",
    "igf1_band",
    "igf1_centile",
    "igf1_reference_grid",
    "igf1_reference_range",
    "igf1_sds",
    "igf1_value_at_centile",
    "igf1_value_at_sds",
    "load_parameters",
    "register_reference",
    "simulate",
    "subject_parameters",
    "virtual_cohort",
]
