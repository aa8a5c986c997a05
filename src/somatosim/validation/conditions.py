"""Validation scenarios of the causes of GH deficiency and GH resistance (conditions: pituitary and
hypothalamic damage, inherited defects, liver and kidney disease, anorexia, …; issue 3);
their targets are in ``targets_conditions.toml``.
"""

from __future__ import annotations

#: Scenario name -> function returning a dict of metrics.
SCENARIOS: dict = {}
