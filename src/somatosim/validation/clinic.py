"""Validation scenarios of the clinical lab: glucose-insulin and GH stimulation tests (issue 4);
their targets are in ``targets_clinic.toml``.
"""

from __future__ import annotations

#: Scenario name -> function returning a dict of metrics.
SCENARIOS: dict = {}
