"""Figures of a pulse analysis (matplotlib, no pyplot state: safe in scripts and servers)."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from somatosim.analysis.cluster import Cluster
from somatosim.analysis.deconvolution import Deconvolution

__all__ = ["plot_analysis"]

#: Figure size (inches) and resolution of saved figures.
FIGSIZE_IN = (9.0, 6.0)
DPI = 120


def plot_analysis(estimator: Deconvolution | Cluster, *, title: str | None = None) -> Figure:
    """Plot a fitted estimator: data and fit (top), secretion or pulse spans (bottom).

    Parameters
    ----------
    estimator : Deconvolution or Cluster
        A fitted estimator.
    title : str, optional
        Figure title (default: series name and method).

    Returns
    -------
    matplotlib.figure.Figure
        Save it with ``fig.savefig(path)``.
    """
    estimator._check_is_fitted()
    series = estimator.series_
    t_h = series.time_min / 60.0
    y = series.concentration
    fig = Figure(figsize=FIGSIZE_IN, dpi=DPI)
    ax1, ax2 = fig.subplots(2, 1, sharex=True)
    ax1.plot(t_h, y, "o", ms=3.5, color="0.2", label="measured")
    if series.below_detection.any():
        ax1.plot(
            t_h[series.below_detection],
            y[series.below_detection],
            "v",
            ms=5,
            color="tab:orange",
            label="below detection limit",
        )
    pulses = estimator.pulses_
    if isinstance(estimator, Deconvolution):
        grid = np.arange(series.time_min[0], series.time_min[-1] + 1e-9, 1.0)
        ax1.plot(grid / 60.0, estimator.predict(grid), "-", color="tab:blue", lw=1.5, label="fit")
        rate = estimator.secretion_rate(grid)
        ax2.plot(grid / 60.0, rate, "-", color="tab:red", lw=1.2)
        ax2.set_ylabel(f"secretion ({series.units}/min)")
        for tm in pulses["time_min"]:
            ax2.axvline(tm / 60.0, color="tab:red", alpha=0.25, lw=0.8)
        ax2.plot(
            pulses["time_min"] / 60.0,
            pulses["amplitude_per_min"],
            "v",
            color="tab:red",
            ms=5,
            label="burst centres",
        )
        method = "deconvolution"
    else:
        ax2.plot(t_h, y, "-", color="0.5", lw=1.0)
        for s, e in zip(pulses["start_min"], pulses["end_min"]):
            for ax in (ax1, ax2):
                ax.axvspan(s / 60.0, e / 60.0, color="tab:green", alpha=0.2, lw=0)
        ax2.plot(
            pulses["time_min"] / 60.0,
            pulses["peak_concentration"],
            "^",
            color="tab:green",
            ms=6,
            label="pulse maxima",
        )
        ax2.set_ylabel(f"concentration ({series.units})")
        method = "Cluster"
    ax1.set_ylabel(f"concentration ({series.units})")
    ax1.legend(loc="upper right", fontsize=8, frameon=False)
    if len(pulses):
        ax2.legend(loc="upper right", fontsize=8, frameon=False)
    ax2.set_xlabel("time (h)")
    summary: Any = estimator.summary_
    fig.suptitle(
        title
        or f"{series.name or 'series'}: {method}, {summary.n_pulses} pulses "
        f"({summary.pulse_frequency_per_24h:.1f}/24 h); error model: {summary.error_model}",
        fontsize=10,
    )
    fig.tight_layout()
    return fig
