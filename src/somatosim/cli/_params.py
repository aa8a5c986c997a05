"""Command-line parsing shared by the commands that take model parameter values."""

from __future__ import annotations

import math

import click


def parameter_values(items: tuple[str, ...], option: str) -> dict[str, float]:
    """``NAME=VALUE`` items of option ``option`` as ``{parameter: float}``; a missing ``=``, a name
    that is not a model parameter or a value that is not a finite number is a
    :class:`click.BadParameter` naming the option."""
    from somatosim.params import load_parameters

    known = load_parameters()
    hint = f"'{option}'"
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep:
            raise click.BadParameter(f"{item!r} is not allowed: expected NAME=VALUE", param_hint=hint)
        if name not in known:
            raise click.BadParameter(f"{name!r} is not a model parameter (see somatosim.params)", param_hint=hint)
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise click.BadParameter(f"{item!r} is not allowed: VALUE must be a finite number", param_hint=hint)
        out[name] = number
    return out
