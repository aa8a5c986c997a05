"""``somatosim validate``: run the virtual experiments and write the validation report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from somatosim.cli import main


@main.command("validate")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("validation"),
              show_default=True, help="Directory for report.md, results.csv and figures/.")
@click.option("--targets", "targets_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Targets file (TOML); default: the targets shipped with somatosim.")
@click.option("--strict/--no-strict", default=False, show_default=True,
              help="Exit with status 1 when a must-pass target is red.")
def validate(out_dir: Path, targets_path: Path | None, strict: bool) -> None:
    """Compare the model with published human data, target by target.

    Writes OUT/report.md (green: inside the published range or within 10 %; yellow: within
    30 %; red: beyond), OUT/results.csv and OUT/figures/*.png.
    """
    from somatosim.validation import evaluate, load_targets, write_report

    table = evaluate(load_targets(targets_path))
    path = write_report(table, out_dir)
    counts = table.status.value_counts()
    click.echo(
        f"{counts.get('green', 0)} green, {counts.get('yellow', 0)} yellow, {counts.get('red', 0)} red "
        f"of {len(table)} targets; report: {path}"
    )
    failed = table[table.must_pass & (table.status == "red")]
    for r in failed.itertuples():
        click.echo(f"must-pass target red: {r.id} (model {r.model:.4g}, published {r.published})", err=True)
    if strict and len(failed):
        sys.exit(1)
