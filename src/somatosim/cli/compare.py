"""``somatosim compare BASE.toml VARIANT.toml …``: run scenario files and compare them.

Writes three files into ``--out DIR`` (all or nothing, like ``somatosim run``):

* ``comparison.csv`` — one row per scenario: mean and SD across its subjects of the 24-h mean
  and nadir GH (µg/L), GH secretory bursts per 24 h, daily GH production (µg) and total and
  free IGF-1 (ng/mL) averaged over each ``--igf1-day``;
* ``comparison.png`` — GH profiles overlaid and IGF-1 bars;
* ``comparison.json`` — the table, each metric relative to the first (base) scenario, units,
  seeds, the scenarios' sources and conditions, the somatosim version and the disclaimer.

Scenario files are the format of ``docs/scenarios.md``; they may also hold ``[[condition]]``
tables (``name = "ckd"`` plus its knobs; ``docs/causes.md``). Every file is validated before
anything is simulated; problems are listed per file with the field, value and what is allowed.
"""

from __future__ import annotations

from pathlib import Path

import click

from somatosim.cli import main
from somatosim.cli.simulate import NOTICE


class CompareFileError(click.ClickException):
    """A scenario file that cannot be compared (exit status 2, like other usage errors)."""

    exit_code = 2


@main.command("compare")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, dir_okay=True, writable=True, path_type=Path),
              default=Path("comparison"), show_default=True,
              help="Output directory; created if needed (comparison.csv/.png/.json in it are replaced).")
@click.option("--igf1-day", "igf1_days", type=int, multiple=True,
              help="Day (0 = first simulated day) whose mean IGF-1 is reported; repeat for several "
              "(default: first and last whole day).")
@click.option("--label", "labels", multiple=True,
              help="Name of each scenario in the table, in FILES order (default: the scenarios' names).")
def compare_command(files: tuple[Path, ...], out: Path, igf1_days: tuple[int, ...], labels: tuple[str, ...]) -> None:
    """Compare scenario FILES (TOML): the first is the base, the others variants.

    Example: somatosim compare examples/healthy_young_man.toml ckd.toml --out runs/ckd

    For research and teaching only; not a medical device and not medical advice.
    """
    from somatosim._validation import InputError
    from somatosim.compare import compare_scenarios
    from somatosim.scenario import load_scenario

    if out.exists() and not out.is_dir():
        raise click.BadParameter(f"out = {str(out)!r} is not allowed: expected a directory, found a file",
                                 param_hint="'--out'")
    if labels and len(labels) != len(files):
        raise click.BadParameter(f"{len(labels)} label(s) for {len(files)} file(s): expected one --label per file "
                                 "or none", param_hint="'--label'")
    errors, scenarios = [], []
    for f in files:  # validate every file before simulating anything
        try:
            scenarios.append(load_scenario(f))
        except InputError as err:
            errors.append(str(err))
    if errors:
        raise CompareFileError("\n".join(errors))
    click.echo(NOTICE)
    try:
        result = compare_scenarios(scenarios, labels=list(labels) or None, igf1_days=list(igf1_days) or None)
        result.write(out)
    except InputError as err:
        raise CompareFileError(str(err)) from None
    click.echo(f"wrote {out}/: comparison.csv ({len(result.table)} scenarios), comparison.png, comparison.json")
    cols = ["gh_mean", "gh_nadir", "bursts_per_24h", "gh_production",
            *[c for c in result.table.columns if c.startswith("igf1_") and not c.endswith("_sd")]]
    click.echo(result.table[cols].to_string(float_format=lambda v: f"{v:.3g}"))


__all__ = ["CompareFileError", "compare_command"]
