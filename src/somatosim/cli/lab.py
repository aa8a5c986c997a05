"""``somatosim lab``: interpret a person's GH/IGF-1 data and write a lab report.

Two sources of data:

* ``--input person.toml`` — a person file (format: :mod:`somatosim.clinic.interpretation`);
* no ``--input`` — a **virtual patient**: one subject is simulated with
  :func:`somatosim.simulate` for one day (``--age``, ``--sex``, ``--height``, ``--weight``,
  ``--seed``, and ``--override KEY=VALUE`` for model parameters, e.g.
  ``somatotroph_capacity=0.1`` for a damaged pituitary); the IGF-1 reported is the mean of
  total IGF-1 over that day (a model value, without assay error).

``--peak TEST=VALUE`` adds a stimulation-test peak (µg/L) from anywhere, e.g. a simulated test;
``--history KEY=VALUE`` sets a ``[history]`` field of the virtual patient.

Writes into ``--out DIR``, all or nothing: ``report.md`` and/or ``report.html`` (``--format``),
``interpretation.json`` and the figures (``igf1_reference.png``, and
``stimulation_peaks.png`` when there are stimulation results).

For research and teaching only; not medical advice.
"""

from __future__ import annotations

import difflib
import math
import warnings
from pathlib import Path
from typing import Any

import click

from somatosim.cli import main
from somatosim.cli._output import write_outputs
from somatosim.clinic.knowledge import STIMULATION_TESTS

__all__ = ["lab_command"]

NOTICE = "somatosim: for research and teaching only; not medical advice."

#: Simulated days of a virtual patient (the IGF-1 is the mean over the first day).
VIRTUAL_DAYS = 1.0

#: Options that only make sense for a virtual patient (not with --input): parameter -> flag.
_VIRTUAL_OPTIONS = {"age": "--age", "sex": "--sex", "height_cm": "--height",
                    "weight_kg": "--weight", "seed": "--seed", "overrides": "--override",
                    "history": "--history"}


def _pairs(values: tuple[str, ...], option: str, what: str) -> list[tuple[str, str]]:
    out = []
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise click.BadParameter(
                f"{item!r} is not allowed: expected {what} written as KEY=VALUE",
                param_hint=f"'{option}'",
            )
        out.append((key.strip(), value.strip()))
    return out


def _float(text: str, option: str, key: str, allowed: str) -> float:
    try:
        x = float(text)
    except ValueError:
        x = math.nan
    if not math.isfinite(x):
        raise click.BadParameter(f"{key} = {text!r} is not allowed: expected {allowed}",
                                 param_hint=f"'{option}'")
    return x


def _history_value(text: str) -> Any:
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def _peaks(values: tuple[str, ...]) -> list[dict[str, Any]]:
    out = []
    for test, value in _pairs(values, "--peak", "a stimulation test and its peak GH in ug/L"):
        out.append({
            "test": test,
            "peak_gh": _float(value, "--peak", test, "a peak GH in ug/L (a number >= 0)"),
            "origin": "given on the command line (--peak)",
        })
    return out


def _virtual_patient(age, sex, height_cm, weight_kg, seed, overrides, history, peaks):
    """Simulate one subject for one day; return (person data, provenance)."""
    from somatosim._validation import InputError
    from somatosim.subject import Subject, subject_parameters

    try:
        subject = Subject(age=age, sex=sex.lower(), height_cm=height_cm, weight_kg=weight_kg)
    except InputError as err:
        field = str(err).split(" ", 1)[0].removeprefix("subject.")
        hint = {"age": "--age", "sex": "--sex", "height_cm": "--height",
                "weight_kg": "--weight"}.get(field, field)
        raise click.BadParameter(str(err), param_hint=f"'{hint}'") from None
    params = dict(_pairs(overrides, "--override", "a model parameter and its value"))
    known = subject_parameters(subject, variability=False)
    over: dict[str, float] = {}
    for key, text in params.items():
        if key not in known:
            close = difflib.get_close_matches(key, list(known), n=3)
            hint = f" (did you mean {', '.join(map(repr, close))}?)" if close else ""
            raise click.BadParameter(
                f"{key} = {text} is not allowed: unknown model parameter{hint}; see "
                "somatosim.load_parameters() for the names",
                param_hint="'--override'",
            )
        over[key] = _float(text, "--override", key, "a finite number >= 0")
        if over[key] < 0:
            raise click.BadParameter(f"{key} = {text} is not allowed: expected a number >= 0",
                                     param_hint="'--override'")
    hist = {k: _history_value(v) for k, v in
            _pairs(history, "--history", "a [history] field and its value")}

    from somatosim.simulation import simulate

    try:
        ds = simulate(subject, VIRTUAL_DAYS, seed=seed, overrides=over or None,
                      outputs=("igf1_total",))
    except InputError as err:
        raise click.BadParameter(str(err)) from None
    igf1 = float(ds["igf1_total"].isel(subject=0).mean())
    data = {
        "id": f"virtual patient (seed {seed})",
        "age": subject.age,
        "sex": subject.sex,
        "height_cm": subject.height,
        "weight_kg": subject.weight,
        "igf1": {"value": round(igf1, 2), "unit": "ng/mL"},
        "history": hist,
        "stimulation": peaks,
    }
    provenance = {
        "virtual patient": "simulated with somatosim.simulate",
        "seed": seed,
        "simulated days": VIRTUAL_DAYS,
        "overrides": ", ".join(f"{k}={v:g}" for k, v in over.items()) or "none",
        "IGF-1": "mean of total IGF-1 over day 1 (model value, no assay error)",
    }
    return data, provenance


@main.command("lab")
@click.option(
    "--input", "input_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Person file (TOML). Without it, a virtual patient is simulated.",
)
@click.option(
    "--out", "out", required=True,
    type=click.Path(file_okay=False, dir_okay=True, writable=True, path_type=Path),
    help="Output directory (created; the report files in it are replaced, other files kept).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["md", "html", "both"], case_sensitive=False),
    default="both", show_default=True, help="Report format(s).",
)
@click.option(
    "--paediatric-cutoff", type=click.FloatRange(1.0, 20.0), default=None,
    help="Peak-GH threshold for children's tests, ug/L (default 10; 8 Germany/India, "
    "6.7 UK). Allowed: 1 to 20.",
)
@click.option(
    "--peak", "peaks", multiple=True, metavar="TEST=UG_PER_L",
    help="Add a stimulation-test peak GH (ug/L), e.g. glucagon=2.0 (repeatable). Tests: "
    + ", ".join(STIMULATION_TESTS) + ".",
)
@click.option("--age", type=float, default=45.0, show_default=True,
              help="Virtual patient: age, years (3 to 90).")
@click.option("--sex", type=click.Choice(["male", "female"], case_sensitive=False),
              default="male", show_default=True, help="Virtual patient: sex.")
@click.option("--height", "height_cm", type=float, default=None,
              help="Virtual patient: height, cm (default 178 men, 165 women).")
@click.option("--weight", "weight_kg", type=float, default=None,
              help="Virtual patient: weight, kg (default BMI 23).")
@click.option("--seed", type=click.IntRange(0, 2**31 - 1), default=0, show_default=True,
              help="Virtual patient: seed of the simulation.")
@click.option("--override", "overrides", multiple=True, metavar="PARAM=VALUE",
              help="Virtual patient: set a model parameter, e.g. somatotroph_capacity=0.1 "
              "(repeatable).")
@click.option("--history", "history", multiple=True, metavar="KEY=VALUE",
              help="Virtual patient: a [history] field, e.g. other_pituitary_deficits=3 "
              "(repeatable).")
@click.pass_context
def lab_command(ctx: click.Context, input_path, out: Path, fmt: str, paediatric_cutoff, peaks,
                age, sex, height_cm, weight_kg, seed, overrides, history) -> None:
    """Interpret GH/IGF-1 data (IGF-1 SDS, stimulation tests, pattern, causes) and write a report.

    Examples:

      somatosim lab --input person.toml --out report/

      somatosim lab --age 50 --override somatotroph_capacity=0.1 --out virtual/

    For research and teaching only; not medical advice.
    """
    from somatosim.clinic.errors import ClinicInputError, UnitWarning
    from somatosim.clinic.interpretation import (
        LabInputError,
        interpret,
        lab_input_from_dict,
        load_lab_input,
    )

    if out.exists() and not out.is_dir():
        raise click.BadParameter(
            f"out = {str(out)!r} is not allowed: expected a directory, found a file",
            param_hint="'--out'",
        )
    extra_peaks = _peaks(peaks)
    if input_path is not None:
        given = [flag for name, flag in _VIRTUAL_OPTIONS.items()
                 if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT]
        if given:
            raise click.UsageError(
                "--input cannot be combined with the virtual-patient options "
                f"({', '.join(given)}); put these data in the person file")
    click.echo(NOTICE)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnitWarning)
        try:
            if input_path is not None:
                lab = load_lab_input(input_path)
                provenance = {"input file": str(input_path)}
                if extra_peaks:
                    data = lab.model_dump()
                    data["stimulation"] = list(data["stimulation"]) + extra_peaks
                    lab = lab_input_from_dict(data, source=f"{input_path} + --peak")
            else:
                data, provenance = _virtual_patient(age, sex, height_cm, weight_kg, seed,
                                                    overrides, history, extra_peaks)
                lab = lab_input_from_dict(data, source="virtual patient (--history/--peak)")
            interp = interpret(lab, paediatric_cutoff=paediatric_cutoff, provenance=provenance)
        except LabInputError as err:
            raise click.BadParameter(str(err), param_hint="'--input'" if input_path else None
                                     ) from None
        except ClinicInputError as err:
            raise click.BadParameter(str(err)) from None
    for w in caught:
        if issubclass(w.category, UnitWarning):
            click.echo(f"Warning: {w.message}", err=True)

    from somatosim.clinic.lab_report import report_files

    formats = ("md", "html") if fmt.lower() == "both" else (fmt.lower(),)
    files = report_files(interp, formats)
    write_outputs(out, {name: (lambda path, b=blob: path.write_bytes(b))
                        for name, blob in files.items()})
    click.echo(f"{interp.pattern.title}. {interp.pattern.summary.text}")
    click.echo(f"IGF-1 {interp.igf1.value:.3g} {interp.igf1.unit}, SDS {interp.igf1.sds:+.2f} "
               f"({interp.igf1.band_text})")
    click.echo(f"wrote {out}/: " + ", ".join(files))
