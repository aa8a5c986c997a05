"""Input checking shared by the clinical-laboratory tools.

Every function raises :class:`~somatosim.clinic.errors.ClinicInputError` whose message names the
field, the offending value and what is allowed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from somatosim.clinic.errors import ClinicInputError

__all__ = ["SEXES", "SEX_ALIASES", "as_float_array", "first_bad", "normalize_sex"]

#: Canonical sex labels used by every reference table.
SEXES: tuple[str, ...] = ("male", "female")

#: Accepted spellings (case-insensitive, surrounding blanks ignored) -> canonical label.
SEX_ALIASES: dict[str, str] = {"male": "male", "m": "male", "female": "female", "f": "female"}


def first_bad(x: NDArray[Any], bad: NDArray[np.bool_]) -> Any:
    """First element of ``x`` where ``bad`` is true, as a plain Python scalar."""
    value = np.broadcast_to(x, bad.shape)[bad].flat[0]
    return value.item() if hasattr(value, "item") else value


def as_float_array(x: ArrayLike, field: str) -> NDArray[np.float64]:
    """Convert ``x`` to a float array; text or other non-numbers raise ``ClinicInputError``.

    Parameters
    ----------
    x
        A number or array-like of numbers. Booleans are rejected.
    field
        Argument name, used in the error message.

    Returns
    -------
    numpy.ndarray
        Float array; NaN and infinities raise.
    """
    if isinstance(x, (bool, np.bool_)) or np.asarray(x).dtype == bool:
        raise ClinicInputError(field, x, "a number (got a boolean)")
    try:
        out = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        flat = np.ravel(np.asarray(x, dtype=object))
        bad: Any = x
        for item in flat:
            try:
                float(item)
            except (TypeError, ValueError):
                bad = item
                break
        raise ClinicInputError(field, bad, "a number") from None
    finite = np.isfinite(out)
    if not np.all(finite):
        raise ClinicInputError(field, first_bad(out, ~finite), "a finite number")
    return out


def normalize_sex(sex: ArrayLike) -> NDArray[np.str_]:
    """Map sex labels to the canonical ``"male"``/``"female"`` (vectorised).

    Parameters
    ----------
    sex
        A string or array-like of strings: ``"male"``, ``"m"``, ``"female"`` or ``"f"``
        (case-insensitive).

    Returns
    -------
    numpy.ndarray
        Array of canonical labels, same shape as the input.
    """
    arr = np.asarray(sex, dtype=object)
    out = np.empty(arr.shape, dtype="<U6")
    allowed = "one of 'male'/'m' or 'female'/'f' (case-insensitive)"
    for idx, item in np.ndenumerate(arr):
        key = item.strip().lower() if isinstance(item, str) else None
        if key not in SEX_ALIASES:
            raise ClinicInputError("sex", item, allowed)
        out[idx] = SEX_ALIASES[key]
    return out
