"""``somatosim validate``: run the virtual experiments and write the validation report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from somatosim.cli import main
from somatosim.cli._params import parameter_values

#: Where the shipped report lives (and the default of ``--out`` for a full run of the shipped model).
SHIPPED_REPORT = Path("validation")


@main.command("validate")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=f"Directory for report.md, results.csv and figures/ [default: {SHIPPED_REPORT}; required "
                   "with --set or --target, so that a variant or partial report never replaces the shipped one].")
@click.option("--targets", "targets_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Targets file (TOML); default: the targets shipped with somatosim.")
@click.option("--target", "only", multiple=True, metavar="ID",
              help="Evaluate only this target (repeat for several); only their virtual experiments run.")
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE",
              help="Evaluate with a model parameter set to VALUE (repeat for several); the report names them.")
@click.option("--against", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="results.csv of an earlier run: list the targets whose colour or model value changed "
                   "(also written to OUT/changes.csv).")
@click.option("--figures/--no-figures", default=True, show_default=True,
              help="Draw the report's figures (IGF-1 by age, example GH profiles).")
@click.option("--strict/--no-strict", default=False, show_default=True,
              help="Exit with status 1 when a must-pass target is red.")
def validate(out_dir: Path | None, targets_path: Path | None, only: tuple[str, ...], sets: tuple[str, ...],
             against: Path | None, figures: bool, strict: bool) -> None:
    """Compare the model with published human data, target by target.

    Writes OUT/report.md (green: inside the published range or within 10 %; yellow: within
    30 %; red: beyond), OUT/results.csv and OUT/figures/*.png. With --set the model is evaluated
    with changed parameters, e.g. to see what a constant does across the whole report:

        somatosim validate --set ghr_tau=1440 --out variant --against validation/results.csv
    """
    import pandas as pd

    from somatosim.params import parameter_overrides
    from somatosim.validation import changes, evaluate, load_targets, write_report

    if out_dir is None:
        if sets or only:
            raise click.UsageError("--set and --target write a variant or partial report: give --out DIR "
                                   f"(the shipped report is in {SHIPPED_REPORT}/)")
        out_dir = SHIPPED_REPORT
    overrides = parameter_values(sets, "--set")
    targets = load_targets(targets_path)
    if only:
        known = {t.id for t in targets}
        unknown = [i for i in only if i not in known]
        if unknown:
            raise click.BadParameter(f"{', '.join(map(repr, unknown))} is not a target id of the targets file",
                                     param_hint="'--target'")
        targets = [t for t in targets if t.id in set(only)]
    before = pd.read_csv(against) if against is not None else None
    if before is not None and not {"id", "status", "model"} <= set(before.columns):
        raise click.BadParameter(f"{str(against)!r} is not a results.csv of somatosim validate "
                                 "(expected the columns id, status, model)", param_hint="'--against'")
    with parameter_overrides(**overrides):
        table = evaluate(targets)
        path = write_report(table, out_dir, overrides=overrides, figures=figures)
    counts = table.status.value_counts()
    click.echo(
        f"{counts.get('green', 0)} green, {counts.get('yellow', 0)} yellow, {counts.get('red', 0)} red "
        f"of {len(table)} targets; report: {path}"
    )
    if before is not None:
        diff = changes(before, table)
        diff.to_csv(Path(out_dir) / "changes.csv", index=False)
        click.echo(f"{len(diff)} of {len(table)} targets changed against {against}:")
        for r in diff.itertuples():
            new = r.status_before is None or pd.isna(r.status_before)
            was = "new" if new else f"{r.status_before} {r.model_before:.4g}"
            click.echo(f"  {r.id}: {was} -> {r.status_after} {r.model_after:.4g} (published {r.published})")
    failed = table[table.must_pass & (table.status == "red")]
    for r in failed.itertuples():
        click.echo(f"must-pass target red: {r.id} (model {r.model:.4g}, published {r.published})", err=True)
    if strict and len(failed):
        sys.exit(1)
