"""Shared estimator plumbing, after scikit-learn's contract.

* ``__init__`` stores its keyword arguments unchanged and does nothing else;
* ``fit(series)`` validates parameters and data, returns ``self``;
* learned results end in an underscore (``pulses_``, ``summary_``);
* ``get_params`` / ``set_params`` / ``repr`` come from the ``__init__`` signature.
"""

from __future__ import annotations

import inspect
from typing import Any, ClassVar

from somatosim.analysis._validation import validate_parameters
from somatosim.analysis.exceptions import AnalysisInputError

__all__ = ["NotFittedError", "PulseEstimator"]


class NotFittedError(AnalysisInputError, AttributeError):
    """An estimator's results were requested before ``fit`` was called."""


class PulseEstimator:
    """Base class for pulse-analysis estimators (see module docstring)."""

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {}

    @classmethod
    def _get_param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [p.name for p in sig.parameters.values() if p.name != "self"]

    def get_params(self) -> dict[str, Any]:
        """Constructor parameters as a dict."""
        return {name: getattr(self, name) for name in self._get_param_names()}

    def set_params(self, **params: Any) -> PulseEstimator:
        """Set constructor parameters; unknown names raise :class:`AnalysisInputError`."""
        valid = self._get_param_names()
        for name, value in params.items():
            if name not in valid:
                raise AnalysisInputError(
                    f"Invalid parameter {name!r} for {type(self).__name__}. Allowed: {valid}."
                )
            setattr(self, name, value)
        return self

    def _validate_params(self) -> None:
        validate_parameters(self._parameter_constraints, self.get_params(), type(self).__name__)

    def _check_is_fitted(self) -> None:
        if not hasattr(self, "pulses_"):
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with a "
                "series first."
            )

    def __repr__(self) -> str:
        sig = inspect.signature(type(self).__init__)
        parts = []
        for name, p in sig.parameters.items():
            if name == "self":
                continue
            value = getattr(self, name)
            if p.default is inspect.Parameter.empty or value is not p.default:
                parts.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"
