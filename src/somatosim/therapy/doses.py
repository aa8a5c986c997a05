"""Doses: units, conversions and the checks that catch unit mix-ups.

A dose is written the way prescriptions write it — ``"0.3 mg/day"``, ``"1.5 mg/week"``,
``"0.16 mg/kg/week"``, ``"1 IU/m2/day"``, ``"300 ug/day"`` — and parsed into a :class:`Dose`.
Amount units: ``mg``, ``ug`` (also ``µg``, ``mcg``) and ``IU`` (somatropin content only:
3 IU = 1 mg, WHO IS 98/574, ``rx_iu_per_mg``). Optional basis: ``/kg`` (body weight) or ``/m2``
(body-surface area). Period: ``/day``, ``/week`` or ``/dose`` (one injection).

Rules (each breach raises :class:`~somatosim.InputError` naming the field and the value):

* the number must be finite and > 0; the unit must be one of the above;
* a weight- or surface-based dose must say its period (``mg/kg`` alone is ambiguous: children's
  doses are written per week, EU labels per day);
* a once-weekly product cannot be dosed per day; IU are defined for somatropin only;
* a dose more than ``rx_absurd_dose_factor`` (10) times the label maximum is refused (the
  message suggests the likely unit mix-up).

A dose above the label maximum, or below a hundredth of it, gives a :class:`DoseWarning`
(``warnings.warn``) and is simulated.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass

from somatosim._validation import InputError, OneOf, check
from somatosim.therapy.products import Product, default_parameters, get_product

AMOUNT_UNITS = {"mg": "mg", "ug": "ug", "µg": "ug", "μg": "ug", "mcg": "ug", "iu": "IU", "u": "IU"}
BASES = {"kg": "kg", "m2": "m2", "m²": "m2", "m^2": "m2"}
PERIODS = {"day": "day", "d": "day", "daily": "day", "week": "week", "wk": "week", "w": "week",
           "weekly": "week", "dose": "dose", "injection": "dose"}
DAYS_PER_WEEK = 7.0
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|nan|inf"
EXAMPLES = "e.g. '0.3 mg/day', '1.5 mg/week', '0.16 mg/kg/week', '1 IU/m2/day'"


class DoseWarning(UserWarning):
    """A dose outside the labelled range (simulated, but probably not what was meant)."""


@dataclass(frozen=True)
class Dose:
    """A prescribed dose: ``value`` ``unit`` [per ``basis``] per ``period``.

    Parameters
    ----------
    value : float
        > 0.
    unit : {"mg", "ug", "IU"}
    basis : {"", "kg", "m2"}
        Per kg body weight, per m² body-surface area, or absolute ("").
    period : {"day", "week", "dose"}
    """

    value: float
    unit: str = "mg"
    basis: str = ""
    period: str = "day"

    def __post_init__(self):
        v = self.value
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
            raise InputError(f"dose.value = {v!r} is not allowed: expected a finite number > 0 ({EXAMPLES})")
        check("dose.unit", self.unit, OneOf(("mg", "ug", "IU")))
        check("dose.basis", self.basis, OneOf(("", "kg", "m2")))
        check("dose.period", self.period, OneOf(("day", "week", "dose")))
        object.__setattr__(self, "value", float(v))

    @classmethod
    def parse(cls, text: str | Dose | float, field: str = "dose") -> Dose:
        """A :class:`Dose` from text such as ``"0.16 mg/kg/week"`` (a Dose passes through)."""
        if isinstance(text, Dose):
            return text
        if not isinstance(text, str):
            raise InputError(f"{field} = {text!r} is not allowed: expected a dose with its unit ({EXAMPLES})")
        s = text.strip().lower().replace(" per ", "/").replace("once ", "/")
        m = re.fullmatch(rf"\s*({_NUMBER})\s*([a-zµμ]+)\s*((?:/\s*[a-z0-9²^µμ]+\s*)*)", s)
        if m is None:
            raise InputError(f"{field} = {text!r} is not allowed: expected a number and a unit ({EXAMPLES})")
        value = float(m.group(1))
        unit = AMOUNT_UNITS.get(m.group(2))
        if unit is None:
            raise InputError(f"{field} = {text!r}: unit {m.group(2)!r} is not allowed: expected mg, ug or IU "
                             f"({EXAMPLES})")
        parts = [q.strip() for q in m.group(3).split("/") if q.strip()]
        basis, period = "", None
        for q in parts:
            if q in BASES and not basis and period is None:
                basis = BASES[q]
            elif q in PERIODS and period is None:
                period = PERIODS[q]
            else:
                raise InputError(f"{field} = {text!r}: '/{q}' is not allowed: expected optional /kg or /m2 "
                                 f"followed by /day, /week or /dose ({EXAMPLES})")
        if period is None:
            if basis:
                raise InputError(
                    f"{field} = {text!r} is ambiguous: a {unit}/{basis} dose must say per day or per week "
                    f"(children's doses are usually per week, e.g. '{value:g} {unit}/{basis}/week')")
            raise InputError(f"{field} = {text!r} is ambiguous: say per day, per week or per dose "
                             f"(e.g. '{value:g} {unit}/day')")
        if not math.isfinite(value) or value <= 0:
            raise InputError(f"{field} = {text!r} is not allowed: the dose must be a finite number > 0")
        return cls(value, unit, basis, period)

    def __str__(self) -> str:
        basis = f"/{self.basis}" if self.basis else ""
        return f"{self.value:g} {self.unit}{basis}/{self.period}"

    def amount_mg(self, weight_kg: float, bsa_m2: float, p: dict[str, float]) -> float:
        """The dose per ``period`` in mg of drug for a patient of this size."""
        mg = self.value / {"mg": 1.0, "ug": 1000.0, "IU": p["rx_iu_per_mg"]}[self.unit]
        return mg * {"": 1.0, "kg": weight_kg, "m2": bsa_m2}[self.basis]

    def per_injection_mg(self, product: Product | str, weight_kg: float, bsa_m2: float,
                         p: dict[str, float] | None = None, field: str = "dose") -> float:
        """mg per injection of ``product`` (daily doses per day, weekly per week)."""
        prod = get_product(product)
        p = default_parameters() if p is None else p
        if self.unit == "IU" and prod.mechanism == "analogue":
            raise InputError(f"{field} = '{self}' is not allowed for {prod.key}: IU are defined for somatropin "
                             f"only; give {prod.key} in mg (e.g. '1.5 mg/week')")
        amount = self.amount_mg(weight_kg, bsa_m2, p)
        if self.period == "dose":
            return amount
        if prod.weekly:
            if self.period == "day":
                raise InputError(
                    f"{field} = '{self}' is not allowed for {prod.key}: it is injected once weekly, so give the "
                    f"dose per week (e.g. '{7 * self.value:g} {self.unit}{'/' + self.basis if self.basis else ''}"
                    "/week' if the daily figure was meant)")
            return amount
        return amount if self.period == "day" else amount / DAYS_PER_WEEK


def label_maximum(product: Product | str, weight_kg: float, adult: bool,
                  p: dict[str, float] | None = None) -> tuple[float, str]:
    """(label maximum in mg per injection, its text) for a patient, from ``therapy.toml``."""
    prod = get_product(product)
    p = default_parameters() if p is None else p
    if prod.key == "somatropin":
        if adult:
            return p["rx_somatropin_adult_max"] * weight_kg, f"{p['rx_somatropin_adult_max']:g} mg/kg/day"
        return p["rx_somatropin_child_max"] * weight_kg / DAYS_PER_WEEK, f"{p['rx_somatropin_child_max']:g} mg/kg/week"
    if prod.key == "somapacitan" and adult:
        return p["rx_somapacitan_adult_max"], f"{p['rx_somapacitan_adult_max']:g} mg/week"
    name = {"lonapegsomatropin": "rx_lonapeg_child_max", "somapacitan": "rx_somapacitan_child_max",
            "somatrogon": "rx_somatrogon_child_max"}[prod.key]
    return p[name] * weight_kg, f"{p[name]:g} mg/kg/week"


def check_dose(dose: Dose, product: Product | str, weight_kg: float, bsa_m2: float, adult: bool,
               p: dict[str, float] | None = None, field: str = "dose") -> float:
    """Checked mg per injection: error when absurd, :class:`DoseWarning` outside the label range."""
    prod = get_product(product)
    p = default_parameters() if p is None else p
    mg = dose.per_injection_mg(prod, weight_kg, bsa_m2, p, field)
    top, text = label_maximum(prod, weight_kg, adult, p)
    factor = p["rx_absurd_dose_factor"]
    hint = _unit_hint(dose, prod, mg, top, p)
    if mg > factor * top:
        raise InputError(
            f"{field} = '{dose}' is not allowed for {prod.key}: it is {mg / top:.3g} times the label maximum "
            f"({text}, {top:.3g} mg per injection for this patient); doses above {factor:g} times the maximum "
            f"are refused{hint}")
    if adult and not prod.adult_use:
        warnings.warn(f"{field}: {prod.key} is labelled for children only; adult use is outside the label",
                      DoseWarning, stacklevel=3)
    if mg > top * (1 + 1e-9):
        warnings.warn(f"{field} = '{dose}' ({mg:.3g} mg per injection) is above the label maximum of {prod.key} "
                      f"({text}, {top:.3g} mg for this patient){hint}", DoseWarning, stacklevel=3)
    elif mg < top / factor**2:
        warnings.warn(f"{field} = '{dose}' ({mg:.3g} mg per injection) is below 1/{factor**2:g} of the label "
                      f"maximum of {prod.key}; check the unit (mg, not ug?)", DoseWarning, stacklevel=3)
    return mg


def _unit_hint(dose: Dose, prod: Product, mg: float, top: float, p) -> str:
    """The likely unit mix-up behind a dose above the label maximum ("" if none fits)."""
    if mg <= top:
        return ""
    if dose.basis == "kg" and dose.period == "day" and not prod.weekly and mg / DAYS_PER_WEEK <= top:
        return f"; children's doses are usually per week: did you mean '{dose.value:g} {dose.unit}/kg/week'?"
    if dose.unit == "mg" and prod.mechanism != "analogue" and mg / p["rx_iu_per_mg"] <= top:
        return (f"; if the figure was in IU, it is {dose.value / p['rx_iu_per_mg']:.3g} mg "
                f"(write '{dose.value:g} IU/{dose.period}')")
    if dose.unit == "mg" and mg / 1000.0 <= top:
        return f"; if the figure was in micrograms, write '{dose.value:g} ug/{dose.period}'"
    return ""
