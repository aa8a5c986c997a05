"""Pulse analysis of measured hormone series.

Read a series (:func:`read_series`, :func:`as_series`), state the assay error model
(:class:`ConstantCV`, :class:`CVWithFloor`, :class:`ConstantSD`), then detect pulses
with multiparameter deconvolution (:class:`Deconvolution` / :func:`deconvolve`) or
Cluster (:class:`Cluster` / :func:`cluster`), and measure regularity
(:func:`approximate_entropy`, :func:`sample_entropy`,
:func:`cross_approximate_entropy`). Estimators follow scikit-learn's contract:
``fit(series)`` returns the estimator, results end in ``_`` (``pulses_``, a tidy
table, and ``summary_``, a :class:`PulseSummary`).

:func:`simulate_pulsatile_series` makes series with known truth, and
:func:`pulse_detection_performance` scores the methods on them;
:func:`model_detection_performance` and :func:`detection_limit_study` do so on GH
series made by the somatosim model. A real LH series
ships as :func:`load_lh_diggle1990`.
"""

from somatosim.analysis.cluster import Cluster, cluster
from somatosim.analysis.datasets import load_lh_diggle1990
from somatosim.analysis.deconvolution import Deconvolution, deconvolve
from somatosim.analysis.entropy import (
    approximate_entropy,
    cross_approximate_entropy,
    regularity_statistics,
    sample_entropy,
)
from somatosim.analysis.error_model import ConstantCV, ConstantSD, CVWithFloor, ErrorModel
from somatosim.analysis.exceptions import AnalysisInputError
from somatosim.analysis.kinetics import BiExponential, MonoExponential
from somatosim.analysis.performance import (
    detection_limit_study,
    match_pulses,
    model_detection_performance,
    pulse_detection_performance,
    true_burst_times,
    truth_resolution_ceiling,
)
from somatosim.analysis.series import HormoneSeries, as_series, read_series, read_series_collection
from somatosim.analysis.summary import PulseSummary
from somatosim.analysis.synthetic import SyntheticSeries, SyntheticSpec, simulate_pulsatile_series

__all__ = [
    "AnalysisInputError",
    "BiExponential",
    "CVWithFloor",
    "Cluster",
    "ConstantCV",
    "ConstantSD",
    "Deconvolution",
    "ErrorModel",
    "HormoneSeries",
    "MonoExponential",
    "PulseSummary",
    "SyntheticSeries",
    "SyntheticSpec",
    "approximate_entropy",
    "as_series",
    "cluster",
    "cross_approximate_entropy",
    "deconvolve",
    "detection_limit_study",
    "load_lh_diggle1990",
    "match_pulses",
    "model_detection_performance",
    "pulse_detection_performance",
    "read_series",
    "read_series_collection",
    "regularity_statistics",
    "sample_entropy",
    "simulate_pulsatile_series",
    "true_burst_times",
    "truth_resolution_ceiling",
]
