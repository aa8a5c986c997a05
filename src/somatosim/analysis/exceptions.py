"""The one error type raised for bad input to :mod:`somatosim.analysis`."""

from __future__ import annotations

__all__ = ["AnalysisInputError"]


class AnalysisInputError(ValueError):
    """Bad input to a pulse-analysis function or estimator.

    Raised for malformed series (too few samples, times not increasing, negative or
    all-below-detection concentrations, ...) and for out-of-range method parameters.
    The message always names the field, the value received and what is allowed.

    It subclasses :class:`ValueError`, so ``except ValueError`` keeps working.

    Examples
    --------
    >>> from somatosim.analysis import HormoneSeries, ConstantCV
    >>> HormoneSeries.from_arrays([0, 10, 5], [1.0, 2.0, 3.0])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    somatosim.analysis.exceptions.AnalysisInputError: ...
    """
