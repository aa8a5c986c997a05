"""Default parameter values for lifestyle events that need one outside ``apply`` (e.g. to say
how long after its last dose an event still acts); ``apply`` itself always uses the ``p`` it is
given."""

from __future__ import annotations

from functools import cache


@cache
def default(name: str) -> float:
    """Value of parameter ``name`` in the shipped parameter files."""
    from somatosim.params import load_parameters

    return load_parameters()[name].value
