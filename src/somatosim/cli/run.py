"""``somatosim run FILE``: run a scenario file (TOML, see ``docs/scenarios.md``).

Writes three files into ``--out DIR``:

* ``samples.csv`` — one row per subject and blood sample: measured and true GH and total
  IGF-1, detection-limit flags, and the true value of every other requested observable;
* ``profile.png`` — the first subject's GH (sleep shaded, samples as points) and IGF-1;
* ``scenario.json`` — the resolved scenario (every default filled in, times in minutes and as
  clock text, lifestyle events with doses in canonical units), the somatosim version, the seed,
  the source file and its text, column units and the disclaimer.

The whole file is validated before anything is simulated; a bad file gives one message per
problem naming the file, the field path, the value and what is allowed, and exit status 2.
The outputs are written into a temporary directory beside ``DIR`` and moved into place only
when all three are complete, so a failed run leaves nothing half-written.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import click

from somatosim.cli import main
from somatosim.cli._output import write_outputs
from somatosim.cli.simulate import NOTICE, PROGRESS_AUTO_DAYS

#: Files written by ``somatosim run``, in order.
FILES = ("samples.csv", "profile.png", "scenario.json")


class ScenarioFileError(click.ClickException):
    """A scenario file that cannot be run (exit status 2, like other usage errors)."""

    exit_code = 2


@main.command("run")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, dir_okay=True, writable=True, path_type=Path),
    default=None,
    help="Output directory (default: a folder named after FILE in the current directory, e.g. "
    "night_shift/ for night_shift.toml). Created if needed; existing samples.csv, profile.png "
    "and scenario.json in it are replaced, other files kept.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help=f"Show a progress bar (default: on when the scenario runs > {PROGRESS_AUTO_DAYS:g} days).",
)
def run_command(file: Path, out: Path | None, progress: bool | None) -> None:
    """Run the scenario in FILE (TOML): simulate, sample and assay the blood, write the results.

    Example: somatosim run examples/night_shift.toml --out runs/night_shift

    The scenario format (subject, sleep, meals, lifestyle events - exercise, fasts, stress and
    glucocorticoids, estrogen, inflammation - sampling, outputs) is described in
    docs/scenarios.md and the lifestyle physiology in docs/lifestyle.md; ready-made scenarios are
    in examples/ (e.g. examples/hiit_day.toml, examples/fast_48h.toml). Writes DIR/samples.csv,
    DIR/profile.png and DIR/scenario.json (the resolved scenario, seed, version, units).

    For research and teaching only; not a medical device and not medical advice.
    """
    from somatosim._validation import InputError
    from somatosim.scenario import load_scenario

    # 1. Validate everything before simulating.
    out = Path(file.stem) if out is None else out
    if out.exists() and not out.is_dir():
        raise click.BadParameter(
            f"out = {str(out)!r} is not allowed: expected a directory, found a file",
            param_hint="'--out'",
        )
    try:
        scenario = load_scenario(file)
    except InputError as err:
        raise ScenarioFileError(str(err)) from None
    source = file.read_bytes()
    click.echo(NOTICE)
    show_progress = scenario.days > PROGRESS_AUTO_DAYS if progress is None else progress

    # 2. Simulate, sample, draw (nothing is written yet).
    from somatosim import __version__
    from somatosim.plotting import DPI, plot_profile
    from somatosim.scenario import run_scenario

    try:
        ds, samples = run_scenario(scenario, progress=show_progress)
    except InputError as err:
        raise ScenarioFileError(f"{file}: {err}") from None
    fig = plot_profile(ds, subject=0, sampled=samples)
    fig.suptitle(scenario.name)

    record = {
        "somatosim_version": __version__,
        "command": "run",
        "disclaimer": ds.attrs.get("disclaimer", NOTICE),
        "seed": scenario.seed,
        "scenario": scenario.to_dict(),
        "source": {
            "file": str(file),
            "sha256": hashlib.sha256(source).hexdigest(),
            "text": source.decode("utf-8"),
        },
        "censoring": "values below the detection limit are reported as the limit and flagged in "
        "*_below_detection; *_true columns are noise-free model values",
        "columns": samples.attrs["units"],
        "profile_subject": 0,
        "files": list(FILES),
    }

    # 3. Write into a temporary directory, then move into place.
    write_outputs(
        out,
        {
            "samples.csv": lambda p: samples.to_csv(p, index=False, float_format="%.6g"),
            "profile.png": lambda p: fig.savefig(p, dpi=DPI, format="png"),
            "scenario.json": lambda p: p.write_text(json.dumps(record, indent=2, default=str) + "\n"),
        },
    )
    click.echo(
        f"wrote {out}/: samples.csv ({len(samples)} samples from {scenario.n_subjects} subject(s)), "
        "profile.png, scenario.json"
    )


__all__ = ["FILES", "ScenarioFileError", "run_command", "write_outputs"]
