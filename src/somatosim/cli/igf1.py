"""``somatosim igf1-sds``: IGF-1 SDS, centile and reference range for one measurement."""

from __future__ import annotations

import json
import warnings

import click

from somatosim.cli import main
from somatosim.clinic.errors import ClinicInputError, UnitWarning
from somatosim.clinic.igf1 import DISCLAIMER, IGF1Assessment, igf1_assess
from somatosim.clinic.reference import DEFAULT_IGF1_REFERENCE, available_references

_OPTION_OF_FIELD = {
    "value": "--value",
    "age": "--age",
    "sex": "--sex",
    "unit": "--unit",
    "reference": "--reference",
}


def _fmt_centile(c: float) -> str:
    if c < 0.1:
        return "<0.1"
    if c > 99.9:
        return ">99.9"
    return f"{c:.1f}"


def _fmt_conc(x: float) -> str:
    return f"{x:.3g}" if x < 10 else f"{x:.1f}"


def _text_report(a: IGF1Assessment) -> str:
    rr = a.reference_range
    ref = a.reference
    other = (
        f"{a.value_nmol_per_l:.2f} nmol/L"
        if a.unit == "ng/mL"
        else f"{a.value_ng_per_ml:.1f} ng/mL"
    )
    lines = [
        f"IGF-1 SDS against reference '{ref['name']}', assay {ref['assay']}",
        f"  input            {a.value:g} {a.unit} (= {other}); {a.sex}, {a.age:g} y",
        f"  SDS              {a.sds:+.2f}",
        f"  centile          {_fmt_centile(a.centile)}",
        f"  reference median {_fmt_conc(rr.median)} {rr.unit}",
        (
            f"  reference range  {_fmt_conc(rr.lower)}-{_fmt_conc(rr.upper)} {rr.unit} "
            f"({rr.lower_centile:g}th-{rr.upper_centile:g}th centile)"
        ),
        f"  band             {a.band}",
        f"  source           {ref['citation']} doi:{ref['doi']}",
        DISCLAIMER,
    ]
    return "\n".join(lines)


@main.command("igf1-sds")
@click.option("--age", type=float, required=True, help="Age in years.")
@click.option(
    "--sex",
    type=click.Choice(["male", "female", "m", "f"], case_sensitive=False),
    required=True,
    help="Sex of the reference population.",
)
@click.option("--value", type=float, required=True, help="Serum IGF-1 concentration.")
@click.option(
    "--unit",
    default="ng/mL",
    show_default=True,
    help="Unit of --value: ng/mL (= ug/L) or nmol/L (1 nmol/L = 7.65 ng/mL).",
)
@click.option(
    "--reference",
    default=DEFAULT_IGF1_REFERENCE,
    show_default=True,
    help="IGF-1 reference table; must match the assay. Available: "
    + ", ".join(available_references("IGF-1")),
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def igf1_sds_command(
    age: float, sex: str, value: float, unit: str, reference: str, as_json: bool
) -> None:
    """IGF-1 SDS, centile and age/sex reference range for one measurement.

    Example: somatosim igf1-sds --age 45 --sex male --value 100

    For research and teaching only; not a medical device and not medical advice.
    """
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UnitWarning)
            result = igf1_assess(value, age, sex, unit=unit, reference=reference)
    except ClinicInputError as err:
        raise click.BadParameter(
            str(err), param_hint=_OPTION_OF_FIELD.get(err.field, err.field)
        ) from None
    for w in caught:
        if issubclass(w.category, UnitWarning):
            click.echo(f"Warning: {w.message}", err=True)
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2))
    else:
        click.echo(_text_report(result))
