"""``somatosim simulate``: simulate a virtual person (or cohort), sample and assay the blood.

Writes three files into ``--out DIR``:

* ``samples.csv`` — one row per subject and blood sample: measured and true GH and total
  IGF-1, censoring flags, and the true GH secretion rate and free IGF-1 at the sample times;
* ``profile.png`` — the first subject's GH (sleep shaded, samples as points) and IGF-1;
* ``run.json`` — every input, the seed, the somatosim version, column units, the disclaimer.

Every input is validated before anything is simulated, against the constraints declared in
:mod:`somatosim.subject`, :mod:`somatosim.simulation` and :mod:`somatosim.assay`; a bad value
gives one message naming the option, the value and what is allowed, and a non-zero exit. The
outputs are written into a temporary directory beside ``DIR`` and moved into place only when
all three are complete, so a failed run leaves nothing half-written.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click
import numpy as np

from somatosim._validation import InputError, Interval
from somatosim.assay import (
    ASSAY_CONSTRAINTS,
    DEFAULT_IGF1_ASSAY,
    MAX_SEED,
    PLAN_CONSTRAINTS,
    Assay,
    SamplingPlan,
    sample,
    sampling_times,
)
from somatosim.cli import main
from somatosim.cli._output import write_outputs
from somatosim.subject import SUBJECT_CONSTRAINTS, Subject

NOTICE = "somatosim: for research and teaching only - not a medical device, not medical advice."

#: Observables recorded for the outputs (the CSV's true columns and the figure).
OUTPUTS = ("gh", "gh_secretion", "igf1_total", "igf1_free")

#: Resolution at which CLI runs record the model, min (sampling times must be multiples).
RECORD_MIN = 1.0
#: Integration step of CLI runs, min (the engine's default).
SIMULATION_DT_MIN = 0.5
MIN_PER_DAY = 1440.0

#: Runs longer than this many days show a progress bar unless --no-progress is given.
PROGRESS_AUTO_DAYS = 7.0

#: Above this many recorded values per observable (subjects × minutes), record only at the
#: sampling times rather than every minute: 5e6 float64 values = 40 MB per observable.
FULL_RESOLUTION_MAX_VALUES = 5_000_000

#: Largest cohort accepted by the CLI (the CSV grows with it; use the Python API beyond).
MAX_SUBJECTS = 10_000

#: The simulator's own limit on the run length (somatosim.simulation.SIMULATE_CONSTRAINTS).
DAYS_CONSTRAINT = Interval(0, 3660, "days", low_open=True)

FILES = ("samples.csv", "profile.png", "run.json")


class Number(click.ParamType):
    """A number checked against a declared constraint at parse time (before any work).

    The error names the option (click adds it), the value as typed, and what is allowed.
    """

    name = "number"

    def __init__(self, field: str, constraint: Interval, *, whole: bool = False):
        self.field = field
        self.constraint = constraint
        self.whole = whole
        self.name = "integer" if whole else "number"

    def _allowed(self) -> str:
        desc = self.constraint.describe()
        return desc.replace("a number", "a whole number", 1) if self.whole else desc

    def convert(self, value, param, ctx):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            x = value
        else:
            try:
                x = float(str(value).strip())
            except ValueError:
                self.fail(
                    f"{self.field} = {value!r} is not a number: expected {self._allowed()}",
                    param,
                    ctx,
                )
        if not self.constraint.accepts(x) or (self.whole and x != int(x)):
            self.fail(
                f"{self.field} = {value} is not allowed: expected {self._allowed()}", param, ctx
            )
        return int(x) if self.whole else float(x)


class MealTimes(click.ParamType):
    """Comma-separated clock hours, e.g. ``8,13,19`` (an empty string means no meals)."""

    name = "hours"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        constraint = SUBJECT_CONSTRAINTS["meal_times_h"]
        parts = [p.strip() for p in str(value).split(",") if p.strip()]
        meals = []
        for p in parts:
            try:
                m = float(p)
            except ValueError:
                self.fail(
                    f"meal time {p!r} is not a number: expected {constraint.describe()}", param, ctx
                )
            if not constraint.accepts(m):
                self.fail(
                    f"meal time {p} is not allowed: expected {constraint.describe()}", param, ctx
                )
            meals.append(m)
        return tuple(meals)


def _subject_option(flag: str, field: str, help_: str, *, whole: bool = False, **kw):
    """A click option for a Subject field, checked against its declared constraint."""
    constraint = SUBJECT_CONSTRAINTS[field]
    return click.option(
        flag,
        field,
        type=Number(flag.lstrip("-"), constraint, whole=whole),
        help=f"{help_} Allowed: {constraint.describe()}.",
        **kw,
    )


def _option_for(field: str) -> str:
    """The CLI option of a Subject / plan / assay field named in an InputError."""
    names = {
        "subject.age": "--age",
        "subject.sex": "--sex",
        "subject.height_cm": "--height",
        "subject.weight_kg": "--weight",
        "subject.waist_cm": "--waist",
        "subject.visceral_fat_cm2": "--visceral-fat",
        "subject.pubertal_stage": "--pubertal-stage",
        "subject.sleep_onset_h": "--sleep-onset",
        "subject.sleep_duration_h": "--sleep-duration",
        "subject.meal_times_h": "--meals",
        "subject.postmenopausal": "--postmenopausal",
        "plan.interval_min": "--interval",
        "assay.cv": "--cv",
        "assay.detection_limit": "--detection-limit",
        "assay.floor_sd": "--floor-sd",
        "days": "--days",
        "seed": "--seed",
    }
    return names.get(field, field)


def _usage_error(err: InputError) -> click.BadParameter:
    field = str(err).split(" ", 1)[0]
    return click.BadParameter(str(err), param_hint=f"'{_option_for(field)}'")


def _check_days(days: float) -> None:
    minutes = days * MIN_PER_DAY / RECORD_MIN
    if abs(minutes - round(minutes)) > 1e-9:
        raise click.BadParameter(
            f"days = {days:g} is not allowed: expected a whole number of {RECORD_MIN:g}-min steps "
            f"(days × {MIN_PER_DAY:g} must be a whole number)",
            param_hint="'--days'",
        )


def _record_every(n_subjects: int, days: float, interval: float) -> int:
    """Record every minute, or at the sampling interval on very large runs (see the constant)."""
    n_steps = round(days * MIN_PER_DAY / RECORD_MIN)
    steps = interval / RECORD_MIN
    if (
        n_subjects * n_steps > FULL_RESOLUTION_MAX_VALUES
        and steps == int(steps)
        and n_steps % int(steps) == 0
    ):
        return int(steps)
    return 1


@main.command("simulate")
@click.option(
    "--age",
    "age",
    type=Number("age", SUBJECT_CONSTRAINTS["age"]),
    default=30.0,
    show_default=True,
    help=f"Age, years. Allowed: {SUBJECT_CONSTRAINTS['age'].describe()}.",
)
@click.option(
    "--sex",
    type=click.Choice(["male", "female"], case_sensitive=False),
    default="male",
    show_default=True,
    help="Sex.",
)
@_subject_option("--height", "height_cm", "Height, cm (default 178 cm men, 165 cm women).")
@_subject_option("--weight", "weight_kg", "Weight, kg (default: BMI 23 at the subject's height).")
@_subject_option("--waist", "waist_cm", "Waist circumference, cm (used to estimate visceral fat).")
@_subject_option(
    "--visceral-fat",
    "visceral_fat_cm2",
    "Visceral fat area at L4-L5 (CT/MRI), cm2 (default: estimated from waist, else BMI).",
)
@click.option(
    "--postmenopausal/--premenopausal",
    "postmenopausal",
    default=None,
    help="Menopausal status of a woman (default: postmenopausal from age 51).",
)
@_subject_option(
    "--pubertal-stage", "pubertal_stage", "Tanner stage (default: from age and sex).", whole=True
)
@_subject_option(
    "--sleep-onset",
    "sleep_onset_h",
    "Habitual clock time of sleep onset, h.",
    default=23.0,
    show_default=True,
)
@_subject_option(
    "--sleep-duration",
    "sleep_duration_h",
    "Habitual sleep duration, h.",
    default=8.0,
    show_default=True,
)
@click.option(
    "--meals",
    "meal_times_h",
    type=MealTimes(),
    default="8,13,19",
    show_default=True,
    help="Habitual meal clock times, h, comma-separated ('' for none). "
    f"Allowed: each {SUBJECT_CONSTRAINTS['meal_times_h'].describe()}.",
)
@click.option(
    "--days",
    type=Number("days", DAYS_CONSTRAINT),
    default=1.0,
    show_default=True,
    help=f"Length of the run, days (whole minutes). Allowed: {DAYS_CONSTRAINT.describe()}.",
)
@click.option(
    "--seed",
    type=Number("seed", Interval(0, MAX_SEED), whole=True),
    default=0,
    show_default=True,
    help="Seed of the between-person variability, the stochastic drive and the assay noise; "
    f"same seed, same numbers. Allowed: 0 to {MAX_SEED}.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, dir_okay=True, writable=True, path_type=Path),
    required=True,
    help="Output directory (created; existing samples.csv, profile.png and run.json in it are "
    "replaced, other files kept).",
)
@click.option(
    "--interval",
    type=Number("interval", PLAN_CONSTRAINTS["interval_min"]),
    default=10.0,
    show_default=True,
    help="Blood-sampling interval, min; a multiple of the 1-min simulation step "
    "(5, 10 and 20 are the classic designs). Sampling starts at midnight of day 0.",
)
@click.option(
    "--cv",
    type=Number("cv", ASSAY_CONSTRAINTS["cv"]),
    default=0.05,
    show_default=True,
    help="GH assay coefficient of variation (log-normal). "
    f"Allowed: {ASSAY_CONSTRAINTS['cv'].describe()}.",
)
@click.option(
    "--igf1-cv",
    type=Number("igf1-cv", ASSAY_CONSTRAINTS["cv"]),
    default=0.08,
    show_default=True,
    help="Total IGF-1 assay coefficient of variation. "
    f"Allowed: {ASSAY_CONSTRAINTS['cv'].describe()}.",
)
@click.option(
    "--detection-limit",
    type=Number("detection-limit", Interval(0, None, "ug/L")),
    default=0.05,
    show_default=True,
    help="GH assay detection limit, ug/L; lower measurements are reported as the limit and "
    "flagged in gh_below_detection. Allowed: a number >= 0.",
)
@click.option(
    "--floor-sd",
    type=Number("floor-sd", Interval(0, None, "ug/L")),
    default=0.0,
    show_default=True,
    help="SD of an additive GH assay error, ug/L. Allowed: a number >= 0.",
)
@click.option(
    "--n-subjects",
    type=Number("n-subjects", Interval(1, MAX_SUBJECTS), whole=True),
    default=1,
    show_default=True,
    help="Cohort size: subjects with the same traits but their own random effects and "
    f"stochastic drive (the figure shows subject 0). Allowed: 1 to {MAX_SUBJECTS}.",
)
@click.option(
    "--no-variability",
    is_flag=True,
    help="No between-person random effects: every subject is the typical person of these "
    "traits (each still has its own stochastic GHRH drive).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help=f"Show a progress bar (default: on when --days > {PROGRESS_AUTO_DAYS:g}).",
)
@click.pass_context
def simulate_command(
    ctx: click.Context,
    age,
    sex,
    height_cm,
    weight_kg,
    waist_cm,
    visceral_fat_cm2,
    postmenopausal,
    pubertal_stage,
    sleep_onset_h,
    sleep_duration_h,
    meal_times_h,
    days,
    seed,
    out: Path,
    interval,
    cv,
    igf1_cv,
    detection_limit,
    floor_sd,
    n_subjects,
    no_variability,
    progress,
) -> None:
    """Simulate a virtual person's GH/IGF-1 axis, sample and assay the blood, write the results.

    Example: somatosim simulate --age 30 --sex male --days 2 --seed 1 --out demo/male30

    Writes DIR/samples.csv (measured and true GH [ug/L] and total IGF-1 [ng/mL] at each
    sampling time, with detection-limit flags, plus the true GH secretion rate [ug/L/min] and
    free IGF-1 [ng/mL]), DIR/profile.png and DIR/run.json (inputs, seed, version, units).

    For research and teaching only; not a medical device and not medical advice.
    """
    # 1. Validate everything before simulating.
    if out.exists() and not out.is_dir():
        raise click.BadParameter(
            f"out = {str(out)!r} is not allowed: expected a directory, found a file",
            param_hint="'--out'",
        )
    _check_days(days)
    try:
        subject = Subject(
            age=age,
            sex=sex.lower(),
            height_cm=height_cm,
            weight_kg=weight_kg,
            visceral_fat_cm2=visceral_fat_cm2,
            waist_cm=waist_cm,
            postmenopausal=postmenopausal,
            pubertal_stage=pubertal_stage,
            sleep_onset_h=sleep_onset_h,
            sleep_duration_h=sleep_duration_h,
            meal_times_h=meal_times_h,
        )
        plan = SamplingPlan(interval_min=interval, start_min=0.0)
        gh_assay = Assay(
            cv=cv,
            detection_limit=detection_limit,
            floor_sd=floor_sd,
            name="GH immunoassay",
            unit="ug/L",
        )
        igf1_assay = Assay(
            cv=igf1_cv,
            detection_limit=DEFAULT_IGF1_ASSAY.detection_limit,
            name="total IGF-1 immunoassay",
            unit="ng/mL",
        )
        record_every = _record_every(n_subjects, days, interval)
    except InputError as err:
        raise _usage_error(err) from None
    n_rec = round(days * MIN_PER_DAY / RECORD_MIN) // record_every
    try:
        sampling_times(plan, np.arange(n_rec) * RECORD_MIN * record_every)
    except InputError as err:
        raise click.BadParameter(str(err), param_hint="'--interval'") from None
    click.echo(NOTICE)
    show_progress = days > PROGRESS_AUTO_DAYS if progress is None else progress

    # 2. Simulate, sample, draw (nothing is written yet).
    from somatosim import __version__
    from somatosim.plotting import DPI, plot_profile
    from somatosim.simulation import simulate

    try:
        ds = simulate(
            [subject] * n_subjects,
            days,
            seed=seed,
            variability=not no_variability,
            dt=SIMULATION_DT_MIN,
            record_interval=record_every * RECORD_MIN,
            outputs=OUTPUTS,
            progress=show_progress,
        )
        samples = sample(ds, plan, gh_assay, igf1_assay, seed=seed)
    except InputError as err:
        raise _usage_error(err) from None
    fig = plot_profile(ds, subject=0, sampled=samples)

    run = {
        "somatosim_version": __version__,
        "command": "simulate",
        "disclaimer": ds.attrs.get("disclaimer", NOTICE),
        "seed": seed,
        "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in ctx.params.items()},
        "subject": asdict(subject),
        "subject_derived": {
            "height_cm": subject.height,
            "weight_kg": subject.weight,
            "bmi": round(subject.bmi, 2),
        },
        "run": {
            "days": days,
            "n_subjects": n_subjects,
            "variability": not no_variability,
            "dt_min": SIMULATION_DT_MIN,
            "record_every_min": record_every * RECORD_MIN,
            "engine": ds.attrs.get("engine", "fast"),
            "profile_subject": 0,
        },
        "sampling": asdict(plan),
        "gh_assay": asdict(gh_assay),
        "igf1_assay": asdict(igf1_assay),
        "censoring": "values below the detection limit are reported as the limit and flagged in "
        "*_below_detection; *_true columns are noise-free model values",
        "columns": samples.attrs["units"],
        "files": list(FILES),
    }

    # 3. Write into a temporary directory, then move into place.
    write_outputs(out, {
        "samples.csv": lambda path: samples.to_csv(path, index=False, float_format="%.6g"),
        "profile.png": lambda path: fig.savefig(path, dpi=DPI, format="png"),
        "run.json": lambda path: path.write_text(json.dumps(run, indent=2, default=str) + "\n"),
    })
    click.echo(
        f"wrote {out}/: samples.csv ({len(samples)} samples from {n_subjects} subject(s)), "
        "profile.png, run.json"
    )


__all__ = ["MealTimes", "Number", "simulate_command"]
