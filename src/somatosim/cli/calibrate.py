"""``somatosim calibrate``: fit parameters to validation targets (nothing is written to the
parameter files; the command prints the values to put there)."""

from __future__ import annotations

import click

from somatosim.cli import main
from somatosim.cli._params import parameter_values


def _weights(items: tuple[str, ...]) -> dict[str, float]:
    """``ID[=WEIGHT]`` items of ``--target`` as ``{target id: weight}`` (weight 1 when not given)."""
    out: dict[str, float] = {}
    for item in items:
        tid, sep, value = item.partition("=")
        try:
            out[tid] = float(value) if sep else 1.0
        except ValueError:
            raise click.BadParameter(f"{item!r}: {value!r} is not a number", param_hint="'--target'") from None
    return out


@main.command("calibrate")
@click.option("--param", "params", multiple=True, metavar="NAME",
              help="Parameter to fit (repeat for several); must be positive. Required without --preset.")
@click.option("--target", "targets", multiple=True, metavar="ID[=WEIGHT]",
              help="Validation target of the objective, optionally weighted (repeat for several).")
@click.option("--preset", type=click.Choice(["ageing", "exercise", "fasting"]), default=None,
              help="A shipped joint fit (its parameters and weighted targets); --param/--target add to it.")
@click.option("--start", "starts", multiple=True, metavar="NAME=VALUE", help="Starting value (default: shipped).")
@click.option("--max-evaluations", type=int, default=30, show_default=True,
              help="Objective evaluations; each re-runs the targets' scenarios.")
@click.option("--verbose/--quiet", default=True, show_default=True, help="Print every evaluation.")
def calibrate_command(params, targets, preset, starts, max_evaluations, verbose) -> None:
    """Fit parameters jointly to validation targets.

    Nelder-Mead on log parameters; the objective is the weighted sum of squared log ratios of
    model to published value. Example:

        somatosim calibrate --param gh_extrarenal_km --target gh_saturable_clearance
    """
    from somatosim._validation import InputError
    from somatosim.validation.calibrate import PRESETS, calibrate

    names = list(params)
    weights = _weights(targets)
    if preset is not None:
        names = list(dict.fromkeys([*PRESETS[preset].parameters, *names]))
        weights = {**PRESETS[preset].targets, **weights}
    try:
        fit = calibrate(names, weights, start=parameter_values(starts, "--start"),
                        max_evaluations=max_evaluations, verbose=verbose)
    except InputError as err:
        raise click.UsageError(str(err)) from None
    click.echo(f"best objective {fit.objective:.4g} after {fit.evaluations} evaluations")
    for name, value in fit.values.items():
        click.echo(f"{name} = {value:.6g}")
    for tid, model in fit.models.items():
        click.echo(f"  {tid}: model {model:.4g}")
