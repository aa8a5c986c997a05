"""Figures of simulated profiles (matplotlib, object-oriented API, Agg canvas).

Figures are built with :class:`matplotlib.figure.Figure` and an Agg canvas directly, never
through ``pyplot``: no global figure registry, no backend switch, safe in scripts, servers and
threads. A returned figure displays in Jupyter and can be saved with ``fig.savefig``.
"""

from __future__ import annotations

from os import PathLike

import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MultipleLocator

from somatosim._validation import InputError

__all__ = ["plot_profile", "sleep_periods"]

MIN_PER_HOUR = 60.0
HOURS_PER_DAY = 24.0

#: Figure size (inches) and resolution of saved PNGs (dots per inch).
FIGSIZE = (11.0, 6.5)
DPI = 120

#: Spacing of major x ticks (h) by run length (h): the first row whose length bound holds.
_TICK_SPACING_H = ((30.0, 3.0), (4 * 24.0, 6.0), (15 * 24.0, 24.0), (60 * 24.0, 7 * 24.0))
#: Tick spacing (h) of still longer runs.
_LONG_TICK_SPACING_H = 30 * 24.0

#: The IGF-1 panel's y axis runs from 0 to this multiple of the largest value, so that the
#: day-to-day stability of IGF-1 shows as a flat line rather than as magnified wiggles.
IGF1_HEADROOM = 1.25

SLEEP_COLOR = "0.85"
GH_COLOR = "tab:blue"
MEASURED_COLOR = "black"
IGF1_COLOR = "tab:red"
FREE_IGF1_COLOR = "tab:orange"
DISCLAIMER = "somatosim: research and teaching only, not medical advice"


def sleep_periods(asleep: np.ndarray, times: np.ndarray) -> list[tuple[float, float]]:
    """Contiguous sleep intervals ``(start, end)`` in min from a flag on a regular time grid.

    Each recorded point stands for the interval up to the next point, so a run of flags ending
    at index ``j`` ends at ``times[j] + step``.
    """
    asleep = np.asarray(asleep, dtype=bool)
    times = np.asarray(times, dtype=float)
    if asleep.size == 0 or not asleep.any():
        return []
    step = float(times[1] - times[0]) if times.size > 1 else 1.0
    edges = np.diff(np.concatenate([[0], asleep.astype(np.int8), [0]]))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1) - 1
    return [(float(times[s]), float(times[e]) + step) for s, e in zip(starts, ends)]


def _tick_spacing_h(span_h: float) -> float:
    for bound, spacing in _TICK_SPACING_H:
        if span_h <= bound:
            return spacing
    return _LONG_TICK_SPACING_H


def _clock_label(hours: float, _pos=None, *, multi_day: bool = False) -> str:
    """``HH:MM`` (plus ``day N`` at midnight on runs longer than a day)."""
    total_min = round(hours * MIN_PER_HOUR)
    day, minute = divmod(total_min, int(HOURS_PER_DAY * MIN_PER_HOUR))
    clock = f"{minute // 60:02d}:{minute % 60:02d}"
    if multi_day and minute == 0:
        return f"day {day}\n{clock}"
    return clock


def _title(ds: xr.Dataset, subject: int) -> str:
    parts = [f"Virtual subject {subject}"]
    coords = ds.coords
    if "sex" in coords and "age" in coords:
        parts.append(f"{coords['sex'].values[subject]}, {float(coords['age'].values[subject]):g} y")
    if "weight" in coords and "height" in coords:
        w, h = float(coords["weight"].values[subject]), float(coords["height"].values[subject])
        parts.append(f"{w:.0f} kg, {h:.0f} cm, BMI {w / (h / 100.0) ** 2:.1f}")
    if "seed" in ds.attrs:
        parts.append(f"seed {ds.attrs['seed']}")
    return " | ".join(parts)


def _check(ds: xr.Dataset, subject: int) -> None:
    if not isinstance(ds, xr.Dataset) or "gh" not in ds:
        raise InputError("ds: expected a simulate() result (an xarray Dataset holding 'gh')")
    n = ds.sizes["subject"]
    if (
        isinstance(subject, bool)
        or not isinstance(subject, (int, np.integer))
        or not 0 <= subject < n
    ):
        raise InputError(f"subject = {subject!r} is not allowed: expected an index in [0, {n - 1}]")


def _plot_sampled(ax, rows: pd.DataFrame, prefix: str, label: str) -> None:
    """Measured points; censored ones as open downward triangles at the reported value."""
    if f"{prefix}_measured" not in rows:
        return
    t = rows["time_min"].to_numpy() / MIN_PER_HOUR
    y = rows[f"{prefix}_measured"].to_numpy()
    below = rows.get(f"{prefix}_below_detection", pd.Series(False, index=rows.index)).to_numpy(bool)
    ax.plot(t[~below], y[~below], "o", ms=3, color=MEASURED_COLOR, label=label, zorder=3)
    if below.any():
        ax.plot(
            t[below],
            np.nan_to_num(y[below]),
            "v",
            ms=4,
            mfc="none",
            color=MEASURED_COLOR,
            label=f"{label}, below detection limit",
            zorder=3,
        )


def plot_profile(
    ds: xr.Dataset,
    subject: int = 0,
    sampled: pd.DataFrame | None = None,
    path: str | PathLike | None = None,
    *,
    free_igf1: bool = True,
) -> Figure:
    """Two-panel profile of one subject: GH with sleep shaded (top), IGF-1 (bottom).

    Parameters
    ----------
    ds : xarray.Dataset
        Result of :func:`somatosim.simulation.simulate` holding ``gh``; ``igf1_total``,
        ``igf1_free`` and ``asleep`` are drawn when present.
    subject : int
        Index of the subject along ``ds.subject``.
    sampled : pandas.DataFrame, optional
        Result of :func:`somatosim.assay.sample`; the subject's measured GH (and IGF-1) samples
        are drawn as points.
    path : str or path-like, optional
        Save the figure there as PNG (``DPI`` dots per inch).
    free_igf1 : bool
        Draw free IGF-1 on a twin y axis of the bottom panel (when recorded).

    Returns
    -------
    matplotlib.figure.Figure
        Axes: ``fig.axes[0]`` GH [µg/L], ``fig.axes[1]`` total IGF-1 [ng/mL], and
        ``fig.axes[2]`` free IGF-1 [ng/mL] when drawn. x in hours from midnight of day 0,
        labelled as clock time.
    """
    _check(ds, subject)
    one = ds.isel(subject=subject)
    t_min = one["time"].values.astype(float)
    t_h = t_min / MIN_PER_HOUR
    span_h = float(t_h[-1] - t_h[0]) + (float(t_h[1] - t_h[0]) if t_h.size > 1 else 0.0)

    fig = Figure(figsize=FIGSIZE, layout="constrained")
    FigureCanvasAgg(fig)
    ax_gh, ax_igf = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))

    sleep = sleep_periods(one["asleep"].values, t_min) if "asleep" in one else []
    for k, (a, b) in enumerate(sleep):
        for ax in (ax_gh, ax_igf):
            ax.axvspan(
                a / MIN_PER_HOUR,
                b / MIN_PER_HOUR,
                color=SLEEP_COLOR,
                lw=0,
                zorder=0,
                label="asleep" if (k == 0 and ax is ax_gh) else None,
            )

    ax_gh.plot(t_h, one["gh"].values, color=GH_COLOR, lw=1.0, label="GH (true)")
    rows = None
    if sampled is not None:
        if not isinstance(sampled, pd.DataFrame) or "time_min" not in sampled:
            raise InputError("sampled: expected a DataFrame from somatosim.assay.sample()")
        rows = sampled[sampled["subject"] == int(ds["subject"].values[subject])]
        _plot_sampled(ax_gh, rows, "gh", "GH (measured)")
    ax_gh.set_ylabel(f"GH [{one['gh'].attrs.get('units', 'ug/L')}]")
    ax_gh.set_ylim(bottom=0)
    ax_gh.legend(loc="upper right", fontsize="small", framealpha=0.9)
    ax_gh.set_title(_title(ds, subject))

    if "igf1_total" in one:
        igf = one["igf1_total"].values
        ax_igf.plot(t_h, igf, color=IGF1_COLOR, lw=1.2, label="total IGF-1 (true)")
        if rows is not None:
            _plot_sampled(ax_igf, rows, "igf1", "total IGF-1 (measured)")
        top = np.nanmax(igf)
        if rows is not None and "igf1_measured" in rows and rows["igf1_measured"].notna().any():
            top = max(top, float(rows["igf1_measured"].max()))
        ax_igf.set_ylim(0, IGF1_HEADROOM * top if top > 0 else 1.0)
        ax_igf.set_ylabel(
            f"total IGF-1 [{one['igf1_total'].attrs.get('units', 'ng/mL')}]", color=IGF1_COLOR
        )
        handles, labels = ax_igf.get_legend_handles_labels()
        if free_igf1 and "igf1_free" in one:
            ax_free = ax_igf.twinx()
            free = one["igf1_free"].values
            ax_free.plot(
                t_h, free, color=FREE_IGF1_COLOR, lw=1.0, ls="--", label="free IGF-1 (true)"
            )
            ax_free.set_ylim(0, IGF1_HEADROOM * np.nanmax(free) if np.nanmax(free) > 0 else 1.0)
            ax_free.set_ylabel(
                f"free IGF-1 [{one['igf1_free'].attrs.get('units', 'ng/mL')}]",
                color=FREE_IGF1_COLOR,
            )
            h2, l2 = ax_free.get_legend_handles_labels()
            handles, labels = handles + h2, labels + l2
        ax_igf.legend(handles, labels, loc="lower right", fontsize="small", framealpha=0.9)
    else:
        ax_igf.text(0.5, 0.5, "IGF-1 not recorded", transform=ax_igf.transAxes, ha="center")

    multi_day = span_h > HOURS_PER_DAY
    ax_igf.xaxis.set_major_locator(MultipleLocator(_tick_spacing_h(span_h)))
    ax_igf.xaxis.set_major_formatter(
        FuncFormatter(lambda h, pos: _clock_label(h, pos, multi_day=multi_day))
    )
    ax_igf.set_xlim(t_h[0], t_h[0] + span_h)
    ax_igf.set_xlabel("clock time" + (" (day from start of run)" if multi_day else ""))
    fig.text(0.995, 0.002, DISCLAIMER, ha="right", va="bottom", fontsize="x-small", color="0.4")

    if path is not None:
        fig.savefig(path, dpi=DPI, format="png")
    return fig
