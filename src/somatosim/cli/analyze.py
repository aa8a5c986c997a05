"""``somatosim analyze``: pulse analysis of a measured hormone series.

Writes ``pulses.csv``, ``summary.json`` and ``figure.png`` into ``--out``. Nothing is
written unless the whole analysis succeeds: outputs are built in a temporary folder
next to ``--out`` and moved into place at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import click

from somatosim import __version__
from somatosim.cli import main

OUTPUT_FILES = ("pulses.csv", "summary.json", "figure.png")


@main.command("analyze")
@click.argument("series_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--method",
    type=click.Choice(["deconv", "cluster"]),
    default="deconv",
    show_default=True,
    help="Deconvolution (AutoDecon-style) or Cluster.",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (created; must be empty unless --overwrite).",
)
@click.option(
    "--cv",
    type=float,
    default=None,
    help="Assay CV as a fraction (0.05 = 5 %). The error model is required: "
    "give --cv (optionally with --floor) or --sd.",
)
@click.option(
    "--floor",
    type=float,
    default=None,
    help="Assay SD at zero concentration (series units), added in quadrature to the CV.",
)
@click.option(
    "--sd",
    "sd_value",
    type=float,
    default=None,
    help="Constant assay SD (series units), instead of --cv.",
)
@click.option("--subject", default=None, help="Subject to analyse when the file holds several.")
@click.option("--time-col", default=None, help="Name of the time column (default: guessed).")
@click.option(
    "--value-col", default=None, help="Name of the concentration column (default: guessed)."
)
@click.option(
    "--time-unit",
    type=click.Choice(["min", "h", "s"]),
    default=None,
    help="Unit of the time column (default: from its name, else min).",
)
@click.option(
    "--units", default=None, help="Concentration units (default: a 'units' column, else a.u.)."
)
@click.option(
    "--detection-limit",
    type=float,
    default=None,
    help="Assay detection limit (series units); lower values are set to it and flagged.",
)
@click.option(
    "--missing",
    type=click.Choice(["drop", "raise"]),
    default="drop",
    show_default=True,
    help="What to do with missing concentrations.",
)
@click.option(
    "--elimination",
    type=click.Choice(["mono", "bi"]),
    default="mono",
    show_default=True,
    help="Deconvolution: mono-exponential, or bi-exponential with the GH fast phase.",
)
@click.option(
    "--half-life",
    type=float,
    default=None,
    help="Deconvolution: fix the (slow) half-life, min (default: fitted).",
)
@click.option(
    "--alpha",
    type=float,
    default=None,
    help="Deconvolution: significance level of pulse insertion/triage (default 0.001).",
)
@click.option(
    "--test",
    "test_kind",
    type=click.Choice(["chi2", "F"]),
    default="chi2",
    show_default=True,
    help="Deconvolution: significance test (chi2 trusts the error model; F estimates the variance).",
)
@click.option("--n-nadir", type=int, default=None, help="Cluster: nadir cluster size (default 2).")
@click.option("--n-peak", type=int, default=None, help="Cluster: peak cluster size (default 2).")
@click.option(
    "--t-up", type=float, default=None, help="Cluster: t for a significant increase (default 2)."
)
@click.option(
    "--t-down", type=float, default=None, help="Cluster: t for a significant decrease (default 2)."
)
@click.option("--overwrite", is_flag=True, help="Replace outputs already in --out.")
def analyze(
    series_file: Path,
    method: str,
    out_dir: Path,
    cv: float | None,
    floor: float | None,
    sd_value: float | None,
    subject: str | None,
    time_col: str | None,
    value_col: str | None,
    time_unit: str | None,
    units: str | None,
    detection_limit: float | None,
    missing: str,
    elimination: str,
    half_life: float | None,
    alpha: float | None,
    test_kind: str,
    n_nadir: int | None,
    n_peak: int | None,
    t_up: float | None,
    t_down: float | None,
    overwrite: bool,
) -> None:
    """Detect pulses in SERIES_FILE (CSV/TSV: time, concentration[, subject, units]).

    Writes pulses.csv (one row per pulse), summary.json (pulse frequency,
    inter-pulse intervals, pulsatile and basal fractions, half-life, ApEn and
    SampEn, settings) and figure.png into --out.

    Research and teaching tool; not a medical device.
    """
    from somatosim.analysis import (
        AnalysisInputError,
        Cluster,
        Deconvolution,
        read_series,
        regularity_statistics,
    )
    from somatosim.analysis.error_model import error_model_from_options
    from somatosim.analysis.plotting import plot_analysis

    _check_out_dir(out_dir, overwrite)
    try:
        error_model = error_model_from_options(cv, floor, sd_value)
        series = read_series(
            series_file,
            time_col=time_col,
            value_col=value_col,
            subject=subject,
            units=units,
            time_unit=time_unit,
            detection_limit=detection_limit,
            missing=missing,
        )
        if method == "deconv":
            params: dict[str, Any] = {
                "elimination": elimination,
                "half_life_min": half_life,
                "test": test_kind,
            }
            if alpha is not None:
                params["alpha"] = alpha
            est: Any = Deconvolution(error_model, **params)
        else:
            params = {
                k: v
                for k, v in (
                    ("n_nadir", n_nadir),
                    ("n_peak", n_peak),
                    ("t_up", t_up),
                    ("t_down", t_down),
                )
                if v is not None
            }
            est = Cluster(error_model, **params)
        est.fit(series)
        summary = est.summary_.to_dict()
        summary["regularity"] = regularity_statistics(series) if series.is_regular else None
    except AnalysisInputError as exc:
        raise click.ClickException(str(exc)) from None

    record = {
        "software": {"name": "somatosim", "version": __version__},
        "input": {
            "file": str(series_file),
            "subject": series.subject,
            "n_samples": series.n_samples,
            "n_missing_dropped": series.n_missing,
            "n_below_detection": int(series.below_detection.sum()),
            "detection_limit": series.detection_limit,
            "units": series.units,
        },
        "method": method,
        "settings": {
            k: (v if isinstance(v, (int, float, str, bool, type(None))) else repr(v))
            for k, v in est.get_params().items()
        },
        "error_model": error_model.to_dict(),
        "summary": summary,
        "disclaimer": "Research and teaching tool; not a medical device and not medical advice.",
    }
    _write_outputs(out_dir, est, record, plot_analysis)
    click.echo(
        f"{series.name}: {est.summary_.n_pulses} pulses "
        f"({est.summary_.pulse_frequency_per_24h:.1f} per 24 h) by {method}; "
        f"wrote {', '.join(OUTPUT_FILES)} to {out_dir}"
    )


def _check_out_dir(out_dir: Path, overwrite: bool) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise click.ClickException(f"--out {str(out_dir)!r} exists and is not a folder.")
    if out_dir.is_dir() and not overwrite:
        clash = [f for f in OUTPUT_FILES if (out_dir / f).exists()]
        if clash:
            raise click.ClickException(
                f"--out {str(out_dir)!r} already holds {', '.join(clash)}; pass --overwrite "
                "to replace them."
            )


def _write_outputs(out_dir: Path, est: Any, record: dict, plot_analysis: Any) -> None:
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".somatosim-analyze-", dir=parent))
    try:
        est.pulses_.to_csv(tmp / "pulses.csv", index=False)
        with open(tmp / "summary.json", "w", encoding="utf-8") as fh:
            json.dump(record, fh, indent=2, allow_nan=False)
            fh.write("\n")
        plot_analysis(est).savefig(tmp / "figure.png")
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in OUTPUT_FILES:
            os.replace(tmp / name, out_dir / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
