"""Figures of GH therapy (matplotlib object API on an Agg canvas, no pyplot state).

* :func:`treatment_figure` — serum GH (and the GH-equivalent analogue) and IGF-1 SDS over weeks;
* :func:`course_figure` — a titration course: path to target and final dose distribution;
* :func:`sampling_day_figure` — within-week IGF-1 SDS deviation: published table vs model.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from somatosim.schedule import MIN_PER_DAY

DISCLAIMER = "For research and teaching only; not a medical device and not medical advice."
NORMAL_BAND = (-2.0, 2.0)


def _figure(size):
    fig = Figure(figsize=size)
    FigureCanvasAgg(fig)
    return fig


def _footer(fig):
    fig.text(0.5, 0.005, DISCLAIMER, ha="center", va="bottom", fontsize=7, color="0.4")


def treatment_figure(ds, subject: int = 0, target: tuple[float, float] | None = None,
                     reference=None) -> Figure:
    """GH and IGF-1 SDS of one subject of :func:`~somatosim.therapy.simulate_treatment`.

    ``reference``: optionally the published PK/PD model's run for the same injections
    (:func:`~somatosim.therapy.pkpd.reference_treatment`), drawn dashed for comparison.
    """
    t = ds.time.values / MIN_PER_DAY / 7.0
    fig = _figure((11.0, 6.5))
    ax1, ax2 = fig.subplots(2, 1, sharex=True)
    ax1.plot(t, ds.gh.values[subject], lw=0.6, color="tab:blue", label="serum GH (endogenous + somatropin)")
    agonist = ds.gh_agonist.values[subject]
    if np.any(agonist > 0):
        ax1.plot(t, agonist, lw=1.0, color="tab:purple", label="long-acting analogue, GH-equivalent")
    ref_label = "published PK/PD model (Papathanasiou 2021), same injections"
    if reference is not None:
        tr = reference.time.values / MIN_PER_DAY / 7.0
        ax1.plot(tr, reference.gh.values, lw=0.8, ls="--", color="0.3", label=ref_label)
    ax1.set_ylabel("µg/L")
    ax1.legend(fontsize=8, loc="upper right")
    ax1.set_title(f"{ds.attrs.get('regimens', '')}", fontsize=9)
    ax2.axhspan(*NORMAL_BAND, color="0.9", label="normal range (−2 to +2 SDS)")
    if target is not None:
        ax2.axhspan(*target, color="tab:green", alpha=0.25, label="titration target")
    ax2.plot(t, ds.igf1_sds.values[subject], color="tab:red", lw=1.2, label="IGF-1 SDS")
    if reference is not None:
        from somatosim.therapy.treatment import sds_of

        person = SimpleNamespace(age=float(ds.age.values[subject]), sex=str(ds.sex.values[subject]))
        sds = sds_of(reference.igf1.values[None, :], [person])[0]
        ax2.plot(tr, sds, lw=1.0, ls="--", color="0.3", label=ref_label)
    ax2.set_ylabel("IGF-1 SDS (age, sex)")
    ax2.set_xlabel("weeks")
    ax2.legend(fontsize=8, loc="lower right")
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    _footer(fig)
    return fig


def course_figure(result) -> Figure:
    """Left: IGF-1 SDS (weekly-mean estimate) at visits — median, IQR, some patients — with the
    target band. Right: final dose distribution (by sex and oral estrogen)."""
    v = result.visits
    summary = result.summary()
    fig = _figure((12.0, 5.0))
    ax1, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.6, 1.0]})
    low, high = result.protocol.target
    ax1.axhspan(*NORMAL_BAND, color="0.93", label="normal range")
    ax1.axhspan(low, high, color="tab:green", alpha=0.25, label="target")
    for i in list(v.subject.unique())[:12]:
        g = v[v.subject == i]
        ax1.plot(g.week, g.estimate, color="0.6", lw=0.6, alpha=0.7)
    q = v.groupby("week").estimate.quantile([0.25, 0.5, 0.75]).unstack()
    ax1.fill_between(q.index, q[0.25], q[0.75], color="tab:red", alpha=0.2, label="interquartile range")
    ax1.plot(q.index, q[0.5], color="tab:red", lw=2, marker="o", label="median")
    ax1.set_xlabel("weeks")
    ax1.set_ylabel("IGF-1 SDS at visit")
    ax1.set_title(f"{result.protocol.name}: {len(result.subjects)} patients, {result.method} method", fontsize=10)
    ax1.legend(fontsize=8, loc="lower right")
    groups = {"men": summary.sex == "male",
              "women": (summary.sex == "female") & ~summary.oral_estrogen,
              "women, oral estrogen": (summary.sex == "female") & summary.oral_estrogen}
    data = [(k, summary.final_dose[m].values) for k, m in groups.items() if m.any()]
    bins = np.linspace(0, max(summary.final_dose.max(), 1e-3) * 1.05, 16)
    ax2.hist([d for _, d in data], bins=bins, stacked=True, label=[f"{k} (median {np.median(d):.2f})" for k, d in data])
    ax2.set_xlabel(f"final dose ({result.dose_unit})")
    ax2.set_ylabel("patients")
    ax2.legend(fontsize=8)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    _footer(fig)
    return fig


def sampling_day_figure(product: str, model_table, published=None) -> Figure:
    """Within-week IGF-1 SDS minus weekly average: model (mean ± SD) and published values."""
    fig = _figure((7.0, 4.5))
    ax = fig.subplots()
    ax.axhline(0, color="0.5", lw=0.8)
    d, m, sd = model_table.day.values, model_table["mean"].values, model_table["sd"].values
    ax.fill_between(d, m - sd, m + sd, color="tab:blue", alpha=0.2)
    ax.plot(d, m, "o-", color="tab:blue", label="model (mean ± SD)")
    if published is not None:
        ax.plot(published[0], published[1], "s--", color="tab:red", label="published")
    ax.set_xlabel("days since the weekly dose")
    ax.set_ylabel("IGF-1 SDS − weekly average")
    ax.set_title(f"{product}: sampling-day correction", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    _footer(fig)
    return fig
