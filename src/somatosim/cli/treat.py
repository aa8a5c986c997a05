"""``somatosim treat``: GH therapy for a virtual GHD patient, or a titration course for a cohort.

Two modes, chosen by ``--titrate``:

* **treatment** (default): one patient on a fixed regimen (``--product``, ``--dose`` with its unit,
  e.g. ``"0.3 mg/day"``, ``"1.5 mg/week"``, ``"0.16 mg/kg/week"``, ``"1 IU/m2/day"``; missed
  doses and dose changes). Writes ``daily.csv`` (morning IGF-1 and SDS, daily GH; on daily somatropin
  also the published PK/PD model's IGF-1 and GH for the same injections), ``profile.png``
  (GH and IGF-1 SDS over the weeks; on daily somatropin with the published model dashed) and
  ``run.json``.
* **course** (``--titrate aace_2019`` etc.): a clinic protocol over ``--weeks`` for ``--n-patients``
  virtual GHD patients. Writes ``visits.csv``, ``summary.csv`` (final doses), ``course.png`` and
  ``run.json``.

``FILE`` (TOML, see ``examples/therapy_*.toml`` and docs/therapy.md) may give the same settings,
including several regimens (product switches); options given on the command line override it.
Every input is checked before simulating; a bad value names the field, the value and what is
allowed (exit status 2). Outputs are written all-or-nothing.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import click

from somatosim._validation import InputError, Interval
from somatosim.cli import main
from somatosim.cli._output import write_outputs

NOTICE = "somatosim: for research and teaching only - not a medical device, not medical advice."
TREAT_FILES = ("daily.csv", "profile.png", "run.json")
COURSE_FILES = ("visits.csv", "summary.csv", "course.png", "run.json")
MAX_PATIENTS = 5000
_SECTIONS = {"patient", "regimen", "run", "course"}


class TreatInputError(click.ClickException):
    """Bad input (exit status 2, like click's usage errors)."""

    exit_code = 2


def _load(file: Path | None) -> dict:
    if file is None:
        return {}
    import tomllib

    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise TreatInputError(f"{file}: not a valid TOML file: {err}") from None
    unknown = set(data) - _SECTIONS
    if unknown:
        raise TreatInputError(f"{file}: unknown section(s) {sorted(unknown)}: expected {sorted(_SECTIONS)}")
    return data


def _pick(cli_value, section: dict, key: str, default=None):
    return cli_value if cli_value is not None else section.get(key, default)


@main.command("treat")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--product", default=None, help="somatropin (daily), lonapegsomatropin, somapacitan, somatrogon "
              "(weekly), or a brand name. Default: somatropin.")
@click.option("--dose", default=None, help="Dose with its unit: '0.3 mg/day', '1.5 mg/week', '0.16 mg/kg/week', "
              "'1 IU/m2/day' (3 IU = 1 mg). Default: the guideline/label starting dose for the patient.")
@click.option("--age", type=float, default=None, help="Age, years (3-90). Default 40.")
@click.option("--sex", type=click.Choice(["male", "female"]), default=None, help="Sex. Default male.")
@click.option("--weight", type=float, default=None, help="Weight, kg (default: median BMI for age and sex).")
@click.option("--height", type=float, default=None, help="Height, cm (default: median for age and sex).")
@click.option("--oral-estrogen/--no-oral-estrogen", default=None, help="Woman on oral estrogen (hepatic GH "
              "resistance).")
@click.option("--severity", type=float, default=None, help="GHD severity: fraction of somatotrophs lost (0-1; "
              "default 0.98).")
@click.option("--onset", type=click.Choice(["adult", "childhood"]), default=None, help="Onset of the deficiency "
              "(default adult; childhood-onset patients need about twice the dose for the same IGF-1).")
@click.option("--weeks", type=float, default=None, help="Length of the run or course, weeks (default 8; courses 52).")
@click.option("--missed", default=None, help="Injections skipped, comma-separated numbers (0 = first).")
@click.option("--change", "changes", multiple=True, help="Dose change 'DAY:DOSE', e.g. '42:0.4 mg/day' "
              "(repeatable).")
@click.option("--titrate", default=None, help="Run a titration course with this protocol: aace_2019, drake_1998, "
              "somapacitan_adult, somatrogon_paediatric.")
@click.option("--n-patients", type=int, default=None, help=f"Course: number of virtual patients (1-{MAX_PATIENTS}).")
@click.option("--oral-estrogen-share", type=float, default=None, help="Course: share of women on oral estrogen.")
@click.option("--method", type=click.Choice(["periodic", "full"]), default=None,
              help="Course: integrate every day ('full') or jump between visits ('periodic', default).")
@click.option("--seed", type=int, default=None, help="Seed (default 0). Same seed, same numbers.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Output directory (created; the files it writes are replaced, others kept).")
def treat_command(file, product, dose, age, sex, weight, height, oral_estrogen, severity, onset, weeks, missed,
                  changes, titrate, n_patients, oral_estrogen_share, method, seed, out):
    """GH therapy: a virtual GHD patient on a regimen, or a titration course (--titrate).

    \b
    Examples:
      somatosim treat --age 45 --sex female --oral-estrogen --dose "0.3 mg/day" --weeks 8 --out runs/rx
      somatosim treat --product somapacitan --dose "1.5 mg/week" --weeks 6 --out runs/soma
      somatosim treat --titrate aace_2019 --n-patients 200 --weeks 52 --out runs/course
      somatosim treat plan.toml --out runs/switch   (plan file: docs/therapy.md)

    For research and teaching only; not a medical device and not medical advice.
    """
    data = _load(file)
    if out.exists() and not out.is_dir():
        raise click.BadParameter(f"out = {str(out)!r} is not allowed: expected a directory, found a file",
                                 param_hint="'--out'")
    run = data.get("run", {})
    seed = int(_pick(seed, run, "seed", 0))
    try:
        if titrate is not None or "course" in data:
            spec = _course_spec(data.get("course", {}), titrate, n_patients, age, sex, oral_estrogen_share, severity,
                                onset, weeks, method, seed)
            click.echo(NOTICE)
            _run_course(spec, out, file)
        else:
            spec = _treat_spec(data, product, dose, age, sex, weight, height, oral_estrogen, severity, onset, weeks,
                               missed, changes, seed)
            click.echo(NOTICE)
            _run_treatment(spec, out, file)
    except InputError as err:
        raise TreatInputError(str(err)) from None


def _number(name: str, value, interval: Interval):
    from somatosim._validation import as_number, check

    v = as_number(name, value)
    check(name, v, interval)
    return float(v)


def _treat_spec(data, product, dose, age, sex, weight, height, oral, severity, onset, weeks, missed, changes,
                seed) -> dict:
    from somatosim.therapy import Regimen, ghd_patient, starting_dose

    pat = data.get("patient", {})
    run = data.get("run", {})
    unknown = set(pat) - {"age", "sex", "weight_kg", "height_cm", "oral_estrogen", "severity", "onset",
                          "postmenopausal"}
    if unknown:
        raise InputError(f"patient: unknown key(s) {sorted(unknown)}: expected age, sex, weight_kg, height_cm, "
                         "oral_estrogen, severity, onset, postmenopausal")
    age_, sex_ = _pick(age, pat, "age", 40.0), _pick(sex, pat, "sex", "male")
    height_, weight_ = _pick(height, pat, "height_cm"), _pick(weight, pat, "weight_kg")
    from somatosim._validation import OneOf, check

    check("patient.sex", sex_, OneOf(("male", "female")))
    if height_ is None or weight_ is None:
        from somatosim.cohort import typical_size

        h, bmi = typical_size(_number("age", age_, Interval(3, 90, "years")), sex_)
        height_ = h if height_ is None else height_
        weight_ = bmi * (float(height_) / 100.0) ** 2 if weight_ is None else weight_
    traits = {k: v for k, v in (("weight_kg", weight_), ("height_cm", height_),
                                ("postmenopausal", pat.get("postmenopausal"))) if v is not None}
    subject = ghd_patient(age_, sex_, severity=_pick(severity, pat, "severity"),
                          onset=_pick(onset, pat, "onset", "adult"),
                          oral_estrogen=bool(_pick(oral, pat, "oral_estrogen", False)), **traits)
    weeks = _number("weeks", _pick(weeks, run, "weeks", 8.0), Interval(1, 104, "weeks"))
    if product is None and dose is None and missed is None and not changes and data.get("regimen"):
        regimens = []
        for i, r in enumerate(data["regimen"]):
            from somatosim.therapy.regimens import _from_mapping

            regimens.append(_from_mapping(r, f"regimen[{i}]"))
    else:
        base = (data.get("regimen") or [{}])[0]
        prod = _pick(product, base, "product", "somatropin")
        d = _pick(dose, base, "dose") or starting_dose(subject, prod)
        miss = base.get("missed", ())
        if missed is not None:
            try:
                miss = tuple(int(x) for x in missed.split(",") if x.strip())
            except ValueError:
                raise InputError(f"missed = {missed!r} is not allowed: expected comma-separated injection numbers "
                                 "(0 = first)") from None
        chg = list(base.get("changes", ()))
        for c in changes:
            day, sep, new = c.partition(":")
            if not sep:
                raise InputError(f"change = {c!r} is not allowed: expected 'DAY:DOSE', e.g. '42:0.4 mg/day'")
            chg.append((day.strip(), new.strip()))
        regimens = [Regimen(prod, d, missed=tuple(miss), changes=tuple(chg))]
    return {"subject": subject, "regimens": regimens, "weeks": weeks, "seed": seed}


def _run_treatment(spec, out: Path, file) -> None:
    from somatosim.therapy import daily_summary, simulate_treatment, treatment_figure
    from somatosim.therapy.regimens import check_plan, plan_events

    subject, regimens, weeks, seed = spec["subject"], spec["regimens"], spec["weeks"], spec["seed"]
    days = round(weeks * 7)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        regimens = check_plan(regimens)
        events = plan_events(subject, regimens, days)  # every dose checked before simulating
    for w in caught:
        click.echo(f"warning: {w.message}", err=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = simulate_treatment(subject, regimens, days, seed=seed, progress=days > 14)
    table = daily_summary(ds)
    reference = _reference(subject, events, days, table)
    meta = {
        "mode": "treatment", "somatosim_version": ds.attrs["somatosim_version"], "seed": seed,
        "file": str(file) if file else None,
        "patient": {"age": subject.age, "sex": subject.sex, "weight_kg": subject.weight, "height_cm": subject.height,
                    "conditions": [str(c) for c in subject.conditions]},
        "regimens": ds.attrs["regimens"], "days": days,
        "warnings": [str(w.message) for w in caught],
        "columns": {"igf1_morning": "ng/mL at 09:00", "igf1_sds_morning": "SDS (Bidlingmaier 2014)",
                    "gh_mean": "ug/L", "gh_peak": "ug/L", "gh_agonist_mean": "ug/L GH-equivalent",
                    **({"igf1_morning_reference": "ng/mL at 09:00, published PK/PD model (Papathanasiou 2021)",
                        "gh_mean_reference": "ug/L, published PK/PD model"} if reference is not None else {})},
        "disclaimer": ds.attrs["disclaimer"],
    }
    write_outputs(out, {
        "daily.csv": lambda p: table.drop(columns="subject").to_csv(p, index=False, float_format="%.5g"),
        "profile.png": lambda p: treatment_figure(ds, reference=reference).savefig(p, dpi=110),
        "run.json": lambda p: p.write_text(json.dumps(meta, indent=2), encoding="utf-8"),
    })
    last = table.iloc[-1]
    click.echo(f"{ds.attrs['regimens']}: IGF-1 {last.igf1_morning:.0f} ng/mL (SDS {last.igf1_sds_morning:+.2f}) on day "
               f"{int(last.day)}; wrote {', '.join(TREAT_FILES)} to {out}")


def _reference(subject, events, days, table):
    """The published PK/PD model's run for the same injection ``events`` (daily somatropin only:
    the published model is of somatropin; else None); its morning IGF-1 and daily mean GH are
    added to ``table``."""
    from somatosim.schedule import MIN_PER_DAY
    from somatosim.therapy.pkpd import reference_treatment
    from somatosim.therapy.products import MIN_PER_H, default_parameters

    if not events or any(e.product != "somatropin" for e in events):
        return None
    p = default_parameters()
    step = 10.0
    ref = reference_treatment([(e.start, e.amount_mg) for e in events], days, subject.weight,
                              adult=subject.age >= p["rx_adult_age"], step_min=step)
    per_day = round(MIN_PER_DAY / step)
    day = table.day.to_numpy()
    table["igf1_morning_reference"] = ref.igf1.values[day * per_day + round(p["rx_sample_clock"] * MIN_PER_H / step)]
    table["gh_mean_reference"] = ref.gh.values[:-1].reshape(days, per_day).mean(axis=1)[day]
    return ref


def _course_spec(course, titrate, n, age, sex, share, severity, onset, weeks, method, seed) -> dict:
    from somatosim.therapy.titration import PROTOCOLS

    unknown = set(course) - {"protocol", "n_patients", "age", "sex", "oral_estrogen_share", "severity", "onset",
                             "weeks", "method", "adherence"}
    if unknown:
        raise InputError(f"course: unknown key(s) {sorted(unknown)}: expected protocol, n_patients, age, sex, "
                         "oral_estrogen_share, severity, onset, weeks, method, adherence")
    protocol = _pick(titrate, course, "protocol", "aace_2019")
    if protocol not in PROTOCOLS:
        raise InputError(f"titrate = {protocol!r} is not allowed: expected one of {', '.join(PROTOCOLS)}")
    ages = course.get("age", [30.0, 60.0]) if age is None else [age, age]
    if not isinstance(ages, (list, tuple)) or len(ages) != 2:
        raise InputError(f"course.age = {ages!r} is not allowed: expected [low, high] years")
    return {
        "protocol": protocol,
        "n": int(_number("n-patients", _pick(n, course, "n_patients", 50), Interval(1, MAX_PATIENTS))),
        "age": tuple(_number("age", a, Interval(3, 90, "years")) for a in ages),
        "sex": _pick(sex, course, "sex", "both"),
        "share": _number("oral-estrogen-share", _pick(share, course, "oral_estrogen_share", 0.0), Interval(0, 1)),
        "severity": _pick(severity, course, "severity"),
        "onset": _pick(onset, course, "onset", "adult"),
        "weeks": _number("weeks", _pick(weeks, course, "weeks", 52.0), Interval(1, 520, "weeks")),
        "method": _pick(method, course, "method", "periodic"),
        "adherence": _number("adherence", course.get("adherence", 1.0), Interval(0, 1, low_open=True)),
        "seed": seed,
    }


def _run_course(spec, out: Path, file) -> None:
    from somatosim import __version__
    from somatosim.therapy import ghd_cohort, run_course
    from somatosim.therapy.titration import PROTOCOLS

    protocol = PROTOCOLS[spec["protocol"]]()
    patients = ghd_cohort(spec["n"], age=spec["age"], sex=spec["sex"], seed=spec["seed"], severity=spec["severity"],
                          onset=spec["onset"], oral_estrogen_share=spec["share"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run_course(patients, protocol, weeks=spec["weeks"], seed=spec["seed"], method=spec["method"],
                            adherence=spec["adherence"], progress=spec["n"] > 20)
    summary = result.summary()
    meta = {"mode": "course", "somatosim_version": __version__, "file": str(file) if file else None,
            **{k: v for k, v in spec.items() if k != "age"}, "age": list(spec["age"]),
            "protocol_detail": {"name": protocol.name, "product": protocol.product, "visit_weeks": protocol.visit_weeks,
                                "target_sds": list(protocol.target), "step": str(protocol.step),
                                "source": protocol.source},
            "dose_unit": result.dose_unit, "seconds": result.seconds,
            "disclaimer": "For research and teaching only; not a medical device and not medical advice."}
    write_outputs(out, {
        "visits.csv": lambda p: result.visits.to_csv(p, index=False, float_format="%.5g"),
        "summary.csv": lambda p: summary.to_csv(p, index=False, float_format="%.5g"),
        "course.png": lambda p: result.figure().savefig(p, dpi=110),
        "run.json": lambda p: p.write_text(json.dumps(meta, indent=2), encoding="utf-8"),
    })
    click.echo(f"{protocol.name}: {spec['n']} patients, {spec['weeks']:g} weeks ({result.method}, "
               f"{result.seconds:.0f} s); median final dose {summary.final_dose.median():.3g} {result.dose_unit}, "
               f"{100 * summary.in_target_at_end.mean():.0f} % in target; wrote {', '.join(COURSE_FILES)} to {out}")
