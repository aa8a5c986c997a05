"""Clinical-laboratory tools: IGF-1 SDS and references, interpretation of a GH/IGF-1 work-up,
and lab reports.

The interpretation and report names below are loaded on first use, so ``import
somatosim.clinic`` stays light (no pydantic or matplotlib until needed).

For research and teaching only; not medical advice.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: Public names -> the module that defines them.
_LAZY = {
    **dict.fromkeys(
        ("LabInput", "LabInputError", "StimulationResult", "Interpretation", "interpret",
         "load_lab_input", "lab_input_from_dict", "with_stimulation", "STANDING_STATEMENT",
         "STIMULATION_TESTS"),
        "somatosim.clinic.interpretation",
    ),
    **dict.fromkeys(("render_markdown", "render_html", "report_files", "build_figures"),
                    "somatosim.clinic.lab_report"),
    "load_knowledge": "somatosim.clinic.knowledge",
    **dict.fromkeys(("run_stimulation_test", "run_stimulation_tests", "StimulationTestResult", "PROTOCOLS"),
                    "somatosim.clinic.stimulation"),
    **dict.fromkeys(("select_cutoff", "CUTOFFS"), "somatosim.clinic.cutoffs"),
    **dict.fromkeys(("diagnostic_accuracy", "accuracy_table", "healthy_cohort", "ghd_cohort"),
                    "somatosim.clinic.accuracy"),
}

__all__ = [
    "CUTOFFS",
    "PROTOCOLS",
    "STANDING_STATEMENT",
    "STIMULATION_TESTS",
    "Interpretation",
    "LabInput",
    "LabInputError",
    "StimulationResult",
    "StimulationTestResult",
    "accuracy_table",
    "build_figures",
    "diagnostic_accuracy",
    "ghd_cohort",
    "healthy_cohort",
    "interpret",
    "lab_input_from_dict",
    "load_knowledge",
    "load_lab_input",
    "render_html",
    "render_markdown",
    "report_files",
    "run_stimulation_test",
    "run_stimulation_tests",
    "select_cutoff",
    "with_stimulation",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'somatosim.clinic' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
