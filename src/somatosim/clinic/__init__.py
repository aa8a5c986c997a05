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
}

__all__ = [
    "STANDING_STATEMENT",
    "STIMULATION_TESTS",
    "Interpretation",
    "LabInput",
    "LabInputError",
    "StimulationResult",
    "build_figures",
    "interpret",
    "lab_input_from_dict",
    "load_knowledge",
    "load_lab_input",
    "render_html",
    "render_markdown",
    "report_files",
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
