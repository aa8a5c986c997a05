"""Assay error models: the standard deviation of one measured concentration.

The error model is a *required* input to every pulse-analysis method. Cluster's
pulse counts on the same data range from 8 to 70 of 70 true pulses depending on the
error model alone (``syncytium2/no_peak`` docs/validation-status.md, reviewed in
``shared/research/software_anchors.md`` §1.3), so it must be chosen and reported, not
defaulted silently.

All models map a concentration ``c`` (in the series' own units) to an SD in the same
units. Models that are proportional to ``c`` (:class:`ConstantCV`) make every method
invariant to rescaling the data; models with an absolute term stay invariant only
if that term is rescaled too (see :meth:`ErrorModel.scaled`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from somatosim.analysis.exceptions import AnalysisInputError

__all__ = ["CVWithFloor", "ConstantCV", "ConstantSD", "ErrorModel"]


def _check_nonneg(owner: str, name: str, value: float, *, strict: bool) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise AnalysisInputError(
            f"The {name!r} parameter of {owner} must be a real number. Got {value!r} instead."
        ) from None
    bad = (not np.isfinite(v)) or (v <= 0 if strict else v < 0)
    if bad:
        rng = "(0, inf)" if strict else "[0, inf)"
        raise AnalysisInputError(
            f"The {name!r} parameter of {owner} must be a float in the range {rng}. "
            f"Got {value!r} instead."
        )
    return v


class ErrorModel(ABC):
    """Base class: ``sd(c)`` gives the measurement SD at concentration ``c``."""

    @abstractmethod
    def sd(self, concentration: ArrayLike) -> NDArray[np.float64]:
        """SD of one measurement at ``concentration`` (same units as the concentration)."""

    @abstractmethod
    def scaled(self, factor: float) -> ErrorModel:
        """The same model for data multiplied by ``factor`` (absolute terms are rescaled)."""

    @abstractmethod
    def describe(self) -> str:
        """One-line human description, used in reports."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable description (``{"model": name, ...params}``)."""
        out: dict[str, Any] = {"model": type(self).__name__}
        out.update(self.__dict__)
        return out


@dataclass(frozen=True)
class ConstantCV(ErrorModel):
    """SD proportional to concentration: ``sd(c) = cv * c``.

    Parameters
    ----------
    cv : float
        Coefficient of variation, a fraction (0.05 = 5 %). Must be > 0.

    Notes
    -----
    Scale-invariant. Unsafe where concentrations approach zero, because the SD then
    vanishes and such samples get infinite weight; prefer :class:`CVWithFloor` for
    series with undetectable nadirs (GH).
    """

    cv: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "cv", _check_nonneg("ConstantCV", "cv", self.cv, strict=True))

    def sd(self, concentration: ArrayLike) -> NDArray[np.float64]:
        return self.cv * np.abs(np.asarray(concentration, dtype=float))

    def scaled(self, factor: float) -> ConstantCV:
        return self

    def describe(self) -> str:
        return f"constant CV {100 * self.cv:g} %"


@dataclass(frozen=True)
class CVWithFloor(ErrorModel):
    """CV plus an absolute floor, added in quadrature.

    ``sd(c) = sqrt((cv * c)**2 + floor**2)``

    Parameters
    ----------
    cv : float
        Coefficient of variation, a fraction (> 0).
    floor : float
        SD at zero concentration, in concentration units (> 0). A common choice is
        the assay's limit of detection divided by 3 (LoD ≈ 3 SD of the blank).
    """

    cv: float
    floor: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "cv", _check_nonneg("CVWithFloor", "cv", self.cv, strict=True))
        object.__setattr__(
            self, "floor", _check_nonneg("CVWithFloor", "floor", self.floor, strict=True)
        )

    def sd(self, concentration: ArrayLike) -> NDArray[np.float64]:
        c = np.asarray(concentration, dtype=float)
        return np.hypot(self.cv * c, self.floor)

    def scaled(self, factor: float) -> CVWithFloor:
        return CVWithFloor(self.cv, self.floor * abs(float(factor)))

    def describe(self) -> str:
        return f"CV {100 * self.cv:g} % with an SD floor of {self.floor:g}"


@dataclass(frozen=True)
class ConstantSD(ErrorModel):
    """The same SD at every concentration (homoscedastic): ``sd(c) = sd_value``.

    Parameters
    ----------
    sd_value : float
        SD in concentration units (> 0).
    """

    sd_value: float

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "sd_value", _check_nonneg("ConstantSD", "sd_value", self.sd_value, strict=True)
        )

    def sd(self, concentration: ArrayLike) -> NDArray[np.float64]:
        c = np.asarray(concentration, dtype=float)
        return np.full(c.shape, self.sd_value)

    def scaled(self, factor: float) -> ConstantSD:
        return ConstantSD(self.sd_value * abs(float(factor)))

    def describe(self) -> str:
        return f"constant SD {self.sd_value:g}"


def error_model_from_options(cv: float | None, floor: float | None, sd: float | None) -> ErrorModel:
    """Build an error model from command-line style options.

    Exactly one of: ``cv`` (with optional ``floor``) or ``sd``.
    """
    if sd is not None:
        if cv is not None or floor is not None:
            raise AnalysisInputError(
                "Give either a constant SD (sd) or a CV with an optional floor (cv, floor), "
                f"not both. Got cv={cv!r}, floor={floor!r}, sd={sd!r}."
            )
        return ConstantSD(sd)
    if cv is None:
        raise AnalysisInputError(
            "An error model is required: give a CV (e.g. cv=0.05, optionally with floor) "
            "or a constant SD (sd). Got none."
        )
    if floor is None or floor == 0:
        return ConstantCV(cv)
    return CVWithFloor(cv, floor)
