"""Exceptions and warnings raised by the clinical-laboratory tools (:mod:`somatosim.clinic`).

All bad input raises :class:`ClinicInputError`, whose message names the field, the value that was
given and what is allowed. Input that is valid but probably given in the wrong unit issues a
:class:`UnitWarning`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ClinicInputError", "UnitWarning"]


class ClinicInputError(ValueError):
    """Invalid input to a clinical-laboratory function.

    Parameters
    ----------
    field
        Name of the offending argument (e.g. ``"age"``).
    value
        The value that was given (for arrays: the first offending element).
    allowed
        Plain-language description of what is allowed (e.g. ``"0 to 94 years"``).
    detail
        Optional extra context, appended to the message.
    """

    def __init__(self, field: str, value: Any, allowed: str, detail: str = "") -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        msg = f"invalid {field}={value!r}: allowed {allowed}"
        if detail:
            msg += f" ({detail})"
        super().__init__(msg)


class UnitWarning(UserWarning):
    """A value is implausible in the stated unit but plausible in another one.

    Attributes
    ----------
    likely_unit
        The unit in which the value would be plausible (e.g. ``"nmol/L"``).
    """

    def __init__(self, message: str, likely_unit: str = "") -> None:
        super().__init__(message)
        self.likely_unit = likely_unit
