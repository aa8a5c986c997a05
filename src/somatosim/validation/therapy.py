"""Validation scenarios of GH therapy: products, regimens and titration (issue 5);
their targets are in ``targets_therapy.toml``.
"""

from __future__ import annotations

#: Scenario name -> function returning a dict of metrics.
SCENARIOS: dict = {}
