"""Validation scenarios of lifestyle, nutrition, stress and the causes of GH deficiency (issue 3);
their targets are in ``targets_lifestyle.toml``.
"""

from __future__ import annotations

#: Scenario name -> function returning a dict of metrics.
SCENARIOS: dict = {}
