"""``somatosim stimtest``: run a GH stimulation test in a virtual person, read against its cut-off.

Example::

    somatosim stimtest --test itt --age 45 --sex male --bmi 27 --out itt_45m
    somatosim stimtest --test ghrh_arginine --age 40 --sex female --bmi 23 \\
        --override somatotroph_capacity=0.05 --out ghd_case
    somatosim stimtest --accuracy 200 --out accuracy     # the diagnostic-accuracy table

A test run writes into ``--out DIR``:

* ``samples.csv`` — the protocol's samples: assayed and true GH, glucose (mg/dL and mmol/L), insulin;
* ``test.png`` — GH (samples and simulated trace) with the cut-off, and glucose, against time;
* ``result.json`` — the readout (peak, cut-off with sources, reading, hypoglycaemia check, safety
  notes), the subject, doses, seed, somatosim version and the disclaimer.

``--accuracy N`` instead runs every adult test in N healthy and N GH-deficient virtual adults and
writes ``accuracy.csv`` and ``accuracy.md``. Outputs are written all or nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from somatosim._validation import InputError, Interval
from somatosim.cli import main
from somatosim.cli._output import write_outputs
from somatosim.cli._params import parameter_values
from somatosim.cli.simulate import Number
from somatosim.subject import SUBJECT_CONSTRAINTS

#: Short names accepted by --test.
TEST_ALIASES = {"itt": "insulin_tolerance", "gst": "glucagon", "ghrh_arg": "ghrh_arginine", "arg": "arginine",
                "ghrh+arginine": "ghrh_arginine"}
TESTS = ("insulin_tolerance", "ghrh_arginine", "glucagon", "macimorelin", "arginine", "clonidine", "ghrh", "ogtt")
BMI_CONSTRAINT = Interval(10, 70, "kg/m2")
SEED_CONSTRAINT = Interval(0, 2**31 - 1)
ACCURACY_CONSTRAINT = Interval(2, 5000, "subjects per group")


def _figure(result, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (a1, a2) = plt.subplots(2, 1, figsize=(7, 6), sharex=True)
    t = result.trace_time
    a1.plot(t, result.trace_gh, color="0.6", lw=1, label="simulated serum GH")
    a1.plot(result.times, result.gh, "o-", color="C0", label="assayed samples")
    if result.cutoff is not None:
        a1.axhline(result.cutoff.value, color="C3", ls="--",
                   label=f"cut-off {result.cutoff.value:g} µg/L ({result.cutoff.sources[0]})")
    a1.set_ylabel("GH (µg/L)")
    a1.set_title(f"{result.label}: {result.result.replace('_', ' ')}")
    a1.legend(fontsize=8)
    a2.plot(t, result.trace_glucose, color="0.6", lw=1)
    a2.plot(result.times, result.glucose, "o-", color="C1", label="glucose")
    if result.test == "insulin_tolerance":
        a2.axhline(40.0, color="C3", ls=":", label="adequate hypoglycaemia < 40 mg/dL")
        a2.legend(fontsize=8)
    a2.set_ylabel("glucose (mg/dL)")
    a2.set_xlabel("minutes after dosing")
    fig.text(0.01, 0.005, "somatosim - research and teaching only, not a medical device", fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


@main.command("stimtest")
@click.option("--test", "test", default="insulin_tolerance", show_default=True,
              help="Stimulation test: " + ", ".join(TESTS) + " (aliases: itt, gst, ghrh_arg, arg).")
@click.option("--age", type=Number("age", SUBJECT_CONSTRAINTS["age"]), default=45.0, show_default=True,
              help=f"Age, years. Allowed: {SUBJECT_CONSTRAINTS['age'].describe()}.")
@click.option("--sex", type=click.Choice(["male", "female"]), default="male", show_default=True)
@click.option("--height", "height_cm", type=Number("height", SUBJECT_CONSTRAINTS["height_cm"]), default=None,
              help="Height, cm (default 178 men, 165 women).")
@click.option("--bmi", type=Number("bmi", BMI_CONSTRAINT), default=24.0, show_default=True,
              help=f"Body-mass index. Allowed: {BMI_CONSTRAINT.describe()}.")
@click.option("--pretest", type=click.Choice(["high", "low"]), default="high", show_default=True,
              help="Pre-test probability of GHD (AACE 2019 glucagon cut-off at BMI 25-30).")
@click.option("--insulin-dose", type=Number("insulin-dose", Interval(0, 0.3, "U/kg", low_open=True)), default=None,
              help="ITT insulin dose, U/kg (default 0.1, 0.15 from BMI 30).")
@click.option("--override", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Impose a model parameter, e.g. somatotroph_capacity=0.05 (pituitary GHD). Repeatable.")
@click.option("--seed", type=Number("seed", SEED_CONSTRAINT, whole=True), default=0, show_default=True)
@click.option("--accuracy", type=Number("accuracy", ACCURACY_CONSTRAINT, whole=True), default=None,
              help="Instead of one test: the diagnostic-accuracy table with N healthy and N GHD adults.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Output directory.")
def stimtest(test, age, sex, height_cm, bmi, pretest, insulin_dose, overrides, seed, accuracy, out):
    """Run a GH stimulation test in a virtual person and read it against the guideline cut-off.

    For research and teaching only; not a medical device and not medical advice.
    """
    if accuracy is not None:
        _accuracy(int(accuracy), int(seed), pretest, out)
        return
    from somatosim.clinic.stimulation import run_stimulation_test
    from somatosim.subject import Subject

    key = TEST_ALIASES.get(test.lower(), test.lower())
    if key not in TESTS:
        raise click.BadParameter(f"test = {test!r} is not allowed: expected one of {', '.join(TESTS)}",
                                 param_hint="'--test'")
    ov = parameter_values(overrides, "--override")
    try:
        h = height_cm if height_cm is not None else (178.0 if sex == "male" else 165.0)
        subject = Subject(age=age, sex=sex, height_cm=h, weight_kg=bmi * (h / 100.0) ** 2)
        result = run_stimulation_test(subject, key, seed=int(seed), overrides=ov or None, pretest=pretest,
                                      insulin_dose=insulin_dose)
    except InputError as err:
        raise click.UsageError(str(err)) from None
    from somatosim import __version__

    record = {**result.to_dict(), "overrides": ov, "somatosim_version": __version__}
    write_outputs(out, {
        "samples.csv": lambda p: result.table().to_csv(p, index=False),
        "test.png": lambda p: _figure(result, p),
        "result.json": lambda p: p.write_text(json.dumps(record, indent=2, default=float), encoding="utf-8"),
    })
    click.echo(result.summary())
    for text, _ in result.notes:
        click.echo(f"  note: {text}")
    click.echo(f"wrote {out}/samples.csv, test.png, result.json")
    click.echo(result.disclaimer)


def _accuracy(n: int, seed: int, pretest: str, out: Path) -> None:
    from somatosim.clinic.accuracy import accuracy_table, diagnostic_accuracy, markdown_table

    table = accuracy_table(*diagnostic_accuracy(n_healthy=n, n_ghd=n, seed=seed, pretest=pretest))
    md = (f"# Diagnostic accuracy of GH stimulation tests ({n} healthy + {n} GH-deficient virtual adults, "
          f"seed {seed})\n\n" + markdown_table(table)
          + "\n\nFor research and teaching only; not a medical device and not medical advice.\n")
    write_outputs(out, {
        "accuracy.csv": lambda p: table.to_csv(p, index=False),
        "accuracy.md": lambda p: p.write_text(md, encoding="utf-8"),
    })
    click.echo(md)
