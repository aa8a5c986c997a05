"""Compare virtual people or scenarios: a table and a figure of the GH/IGF-1 axis side by side.

Two ways in:

* :func:`compare` — groups of :class:`~somatosim.Subject` (with or without conditions), e.g.
  ``compare({"healthy": [Subject(age=60)], "CKD stage 4": [Subject(age=60, conditions=(
  make_condition("ckd", stage="4"),))]}, days=2, seed=1)``. Every group is simulated with the
  same seed, so subject *i* of each group has the same random effects and GHRH-drive noise
  (common random numbers): differences between equal-sized groups of the same people are the
  groups' own, not sampling noise.
* :func:`compare_scenarios` — scenario files (or :class:`~somatosim.scenario.Scenario` objects),
  each run with its own seed as ``somatosim run`` would run it. Scenario files may hold
  ``[[condition]]`` tables (``docs/scenarios.md``).

Both return a :class:`Comparison`: ``table`` (one row per group: mean and SD across subjects of
the 24-h mean GH and 5th-percentile nadir GH, secretory bursts per 24 h, daily GH production,
and total and free IGF-1 averaged over each chosen day), ``subjects`` (the same per subject),
``figure()`` (GH profiles overlaid, IGF-1 bars) and ``write(DIR)`` (CSV, PNG, JSON, all or
nothing).

GH metrics are computed on every whole simulated day and averaged over the days; a burst is a
peak of the true secretion rate as in the validation (:func:`somatosim.validation.metrics.bursts`);
production is µg secreted per 24 h (secretion rate × central distribution volume). Days are
numbered from 0 (day 0 = the first simulated day, after the habitual burn-in days).
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from somatosim._validation import InputError, Interval, as_number, check
from somatosim.schedule import MIN_PER_DAY
from somatosim.subject import Subject

if TYPE_CHECKING:  # pragma: no cover
    import xarray as xr
    from matplotlib.figure import Figure

    from somatosim.scenario import Scenario

__all__ = [
    "COMPARE_CONSTRAINTS",
    "METRICS",
    "Comparison",
    "compare",
    "compare_scenarios",
]

#: Declared constraints of :func:`compare`'s arguments.
COMPARE_CONSTRAINTS = {
    "days": Interval(1, 366, "days"),
    "seed": Interval(0, 2**31 - 1),
    "igf1_day": Interval(0, None, "(day index, 0 = first simulated day)"),
    "groups": Interval(1, 50, "groups"),
}

#: Observables every comparison records.
OUTPUTS = ("gh", "gh_secretion", "igf1_total", "igf1_free")

#: GH metrics of the table: column -> (unit, meaning).
METRICS: dict[str, tuple[str, str]] = {
    "gh_mean": ("ug/L", "24-h mean GH"),
    "gh_nadir": ("ug/L", "nadir GH (5th percentile of the 24-h series)"),
    "bursts_per_24h": ("1/24 h", "GH secretory bursts per 24 h (peaks of the true secretion rate)"),
    "gh_production": ("ug/24 h", "GH secreted per 24 h"),
}
#: Percentile of a day's GH series reported as its nadir.
NADIR_PERCENTILE = 5.0
_IGF_COLUMNS = {"igf1_total": "total IGF-1", "igf1_free": "free IGF-1"}


@dataclass
class Comparison:
    """The result of :func:`compare` or :func:`compare_scenarios`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per group (index ``group``): ``n_subjects`` and, for every metric, its mean over
        subjects and ``<metric>_sd``. Metrics: ``gh_mean``, ``gh_nadir`` (µg/L), ``bursts_per_24h``,
        ``gh_production`` (µg/24 h), ``igf1_total_day<d>`` and ``igf1_free_day<d>`` (ng/mL).
    subjects : pandas.DataFrame
        The metrics of every subject (columns ``group``, ``subject`` and the metrics).
    datasets : dict
        Group name -> the :func:`somatosim.simulate` dataset.
    groups : dict
        Group name -> description (subjects' traits, conditions, scenario source).
    days, igf1_days, seeds
        Run length (days), the days whose IGF-1 is reported, and each group's seed.
    """

    table: pd.DataFrame
    subjects: pd.DataFrame
    datasets: dict[str, Any]
    groups: dict[str, dict]
    days: int
    igf1_days: tuple[int, ...]
    seeds: dict[str, int] = field(default_factory=dict)

    @property
    def units(self) -> dict[str, str]:
        """Unit of every metric column."""
        out = {k: u for k, (u, _) in METRICS.items()}
        for d in self.igf1_days:
            for k in _IGF_COLUMNS:
                out[f"{k}_day{d}"] = "ng/mL"
        return out

    def relative(self) -> pd.DataFrame:
        """Each group's metric means divided by those of the first group (the base)."""
        cols = list(self.units)
        base = self.table.iloc[0][cols].astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.table[cols].astype(float).div(base.replace(0.0, np.nan))

    def record(self) -> dict:
        """Everything about the comparison as JSON-ready data (inputs, table, units, notice)."""
        from somatosim import __version__

        rel = self.relative()
        return {
            "somatosim_version": __version__,
            "disclaimer": "For research and teaching only; not a medical device and not medical advice.",
            "days": self.days,
            "igf1_days": list(self.igf1_days),
            "seeds": self.seeds,
            "base_group": str(self.table.index[0]),
            "groups": self.groups,
            "units": self.units,
            "metrics": {k: m for k, (_, m) in METRICS.items()}
            | {f"{k}_day{d}": f"{v} averaged over day {d}" for d in self.igf1_days for k, v in _IGF_COLUMNS.items()},
            "table": _json_ready(self.table.reset_index().to_dict(orient="records")),
            "relative_to_base": _json_ready(rel.reset_index().to_dict(orient="records")),
            "method": "GH metrics on every whole simulated day, averaged over days; mean and SD across subjects; "
            "groups of compare() share the seed (common random numbers)",
        }

    def figure(self) -> Figure:
        """GH of each group's first subject overlaid (top) and IGF-1 bars by group and day (bottom)."""
        return comparison_figure(self)

    def write(self, out: str | PathLike) -> Path:
        """Write ``comparison.csv``, ``comparison.png`` and ``comparison.json`` into ``out`` (all or
        nothing); returns the directory."""
        from somatosim.cli._output import write_outputs
        from somatosim.plotting import DPI

        out = Path(out)
        if out.exists() and not out.is_dir():
            raise InputError(f"out = {str(out)!r} is not allowed: expected a directory, found a file")
        fig = self.figure()
        record = self.record()
        write_outputs(out, {
            "comparison.csv": lambda p: self.table.to_csv(p, float_format="%.6g"),
            "comparison.png": lambda p: fig.savefig(p, dpi=DPI, format="png"),
            "comparison.json": lambda p: p.write_text(json.dumps(record, indent=2, default=str) + "\n"),
        })
        return out


#: Files written by :meth:`Comparison.write`.
FILES = ("comparison.csv", "comparison.png", "comparison.json")


def _json_ready(rows):
    def fix(v):
        if isinstance(v, (np.floating, float)):
            v = float(v)
            return v if math.isfinite(v) else None
        if isinstance(v, np.integer):
            return int(v)
        return v

    return [{k: fix(v) for k, v in r.items()} for r in rows]


# --- metrics ----------------------------------------------------------------------------------


def subject_metrics(ds: xr.Dataset, v1_l: np.ndarray, days: int, igf1_days: Sequence[int]) -> pd.DataFrame:
    """Per-subject metrics (one row per subject) of a dataset holding :data:`OUTPUTS`."""
    from somatosim.validation import metrics as m

    t = ds.time.values.astype(float)
    dt = float(t[1] - t[0]) if t.size > 1 else 1.0
    gh, sec = ds.gh.values, ds.gh_secretion.values
    rows = []
    for i in range(gh.shape[0]):
        per_day = []
        for d in range(days):
            a, b = d * MIN_PER_DAY, (d + 1) * MIN_PER_DAY
            g = m.window(gh[i], t, a, b)
            s = m.window(sec[i], t, a, b)
            per_day.append((
                g.mean(),
                np.percentile(g, NADIR_PERCENTILE),
                m.burst_count(s, dt=dt, duration_min=s.size * dt),
                m.production_ug(s, float(v1_l[i]), dt=dt) * MIN_PER_DAY / (s.size * dt),
            ))
        row = dict(zip(METRICS, np.mean(per_day, axis=0)))
        for d in igf1_days:
            a, b = d * MIN_PER_DAY, (d + 1) * MIN_PER_DAY
            for k in _IGF_COLUMNS:
                row[f"{k}_day{d}"] = float(m.window(ds[k].values[i], t, a, b).mean())
        rows.append(row)
    return pd.DataFrame(rows)


def _table(per_subject: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, long = [], []
    for name, df in per_subject.items():
        row = {"group": name, "n_subjects": len(df)}
        for col in df.columns:
            row[col] = float(df[col].mean())
            row[f"{col}_sd"] = float(df[col].std(ddof=1)) if len(df) > 1 else float("nan")
        rows.append(row)
        long.append(df.assign(group=name, subject=np.arange(len(df))))
    table = pd.DataFrame(rows).set_index("group")
    subjects = pd.concat(long, ignore_index=True)
    subjects = subjects[["group", "subject", *[c for c in subjects.columns if c not in ("group", "subject")]]]
    return table, subjects


def _check_igf1_days(igf1_days, days: int) -> tuple[int, ...]:
    if igf1_days is None:
        return tuple(sorted({0, days - 1}))
    if isinstance(igf1_days, (int, float)) and not isinstance(igf1_days, bool):
        igf1_days = (igf1_days,)
    out = []
    for d in igf1_days:
        d = as_number("igf1_days", d)
        check("igf1_days", d, COMPARE_CONSTRAINTS["igf1_day"])
        if d != int(d) or d > days - 1:
            raise InputError(f"igf1_days = {d!r} is not allowed: expected a whole day index from 0 to {days - 1} "
                             f"(the run has {days} day(s))")
        out.append(int(d))
    if not out:
        raise InputError("igf1_days = () is not allowed: expected at least one day index")
    return tuple(sorted(set(out)))


def _check_whole(name: str, value, constraint: Interval) -> int:
    value = as_number(name, value)
    check(name, value, constraint)
    if int(value) != value:
        raise InputError(f"{name} = {value!r} is not allowed: expected a whole number")
    return int(value)


def _describe_subjects(subjects: Sequence[Subject]) -> dict:
    s0 = subjects[0]
    ages = [s.age for s in subjects]
    return {
        "n_subjects": len(subjects),
        "sex": sorted({s.sex for s in subjects}),
        "age_range": [min(ages), max(ages)],
        "conditions": [c.describe() if hasattr(c, "describe") else {"name": getattr(c, "name", repr(c))}
                       for c in s0.conditions],
        "conditions_same_for_all": all(s.conditions == s0.conditions for s in subjects),
    }


# --- entry points -----------------------------------------------------------------------------


def compare(
    groups: Mapping[str, Subject | Sequence[Subject]],
    *,
    days: int = 2,
    seed: int = 0,
    igf1_days: int | Sequence[int] | None = None,
    variability: bool = True,
    schedule=None,
    parameters=None,
) -> Comparison:
    """Simulate groups of subjects with the same seed and compare them.

    Parameters
    ----------
    groups : mapping of str -> Subject or sequence of Subject
        Group name (table row, legend) -> its subjects. The first group is the base of
        :meth:`Comparison.relative`.
    days : int
        Whole days simulated after the burn-in (1–366).
    seed : int
        Seed of every group's random effects and GHRH-drive noise (common random numbers).
    igf1_days : int or sequence of int, optional
        Days (0 = first) whose mean total and free IGF-1 are reported; default first and last.
    variability : bool
        Between-person random effects (False: each subject's typical parameters).
    schedule : Schedule, optional
        One schedule for every subject of every group (default: habitual days).
    parameters : ParameterSet, optional
        Model parameters (default: the packaged ones).
    """
    from somatosim.simulation import simulate
    from somatosim.subject import subject_parameters

    if not isinstance(groups, Mapping) or not groups:
        raise InputError("groups: expected a non-empty mapping of group name -> Subject or list of Subject")
    check("groups", len(groups), COMPARE_CONSTRAINTS["groups"])
    days = _check_whole("days", days, COMPARE_CONSTRAINTS["days"])
    seed = _check_whole("seed", seed, COMPARE_CONSTRAINTS["seed"])
    igf1_days = _check_igf1_days(igf1_days, days)
    cohorts: dict[str, list[Subject]] = {}
    for name, members in groups.items():
        if not isinstance(name, str) or not name.strip():
            raise InputError(f"groups: group name {name!r} is not allowed: expected non-empty text")
        members = [members] if isinstance(members, Subject) else list(members)
        if not members or not all(isinstance(s, Subject) for s in members):
            raise InputError(f"groups[{name!r}]: expected a Subject or a non-empty sequence of Subject")
        cohorts[name] = members
    per_subject, datasets, described = {}, {}, {}
    for name, members in cohorts.items():
        ds = simulate(members, days, seed=seed, outputs=OUTPUTS, variability=variability, schedule=schedule,
                      parameters=parameters)
        v1 = subject_parameters(members, seed=seed, variability=variability, base=parameters)["gh_v1"]
        per_subject[name] = subject_metrics(ds, v1, days, igf1_days)
        datasets[name] = ds
        described[name] = _describe_subjects(members)
    table, subjects = _table(per_subject)
    return Comparison(table, subjects, datasets, described, days, igf1_days, {k: seed for k in cohorts})


def compare_scenarios(
    scenarios: Sequence[Scenario | str | PathLike],
    *,
    labels: Sequence[str] | None = None,
    igf1_days: int | Sequence[int] | None = None,
) -> Comparison:
    """Run scenarios (files or :class:`~somatosim.scenario.Scenario` objects) and compare them.

    Each scenario runs as ``somatosim run`` runs it (its own subject, cohort size, seed, events);
    GH metrics use its whole simulated days. ``labels`` name the groups (default: each scenario's
    ``name``, made unique). Files may hold ``[[condition]]`` tables.
    """
    from somatosim.scenario import Scenario, load_scenario, run_scenario
    from somatosim.subject import subject_parameters

    scenarios = list(scenarios)
    if not scenarios:
        raise InputError("scenarios: expected at least one scenario file")
    check("scenarios", len(scenarios), COMPARE_CONSTRAINTS["groups"])
    loaded: list[Scenario] = []
    for s in scenarios:
        if isinstance(s, Scenario):
            loaded.append(s)
        elif isinstance(s, (str, PathLike)):
            loaded.append(load_scenario(s))
        else:
            raise InputError(f"scenarios: {s!r} is not allowed: expected a scenario file path or a Scenario")
    if labels is None:
        labels = _unique([s.name for s in loaded])
    else:
        labels = [str(x) for x in labels]
        if len(labels) != len(loaded) or len(set(labels)) != len(labels):
            raise InputError(f"labels = {labels!r} is not allowed: expected {len(loaded)} distinct names, one per "
                             "scenario")
    days_each = [math.floor(s.days + 1e-9) for s in loaded]
    for s, d in zip(loaded, days_each):
        if d < 1:
            raise InputError(f"{s.source or s.name}: days = {s.days:g} is not allowed for a comparison: expected at "
                             "least one whole day")
    days = min(days_each)
    igf1_days = _check_igf1_days(igf1_days, days)
    per_subject, datasets, described, seeds = {}, {}, {}, {}
    for label, s in zip(labels, loaded):
        observables = tuple(dict.fromkeys(s.observables + OUTPUTS))
        s = dataclasses.replace(s, observables=observables)
        ds, _samples = run_scenario(s)
        members = [s.subject] * s.n_subjects
        v1 = subject_parameters(members, seed=s.seed, variability=s.variability)["gh_v1"]
        per_subject[label] = subject_metrics(ds, v1, days, igf1_days)
        datasets[label] = ds
        seeds[label] = s.seed
        described[label] = {"scenario": s.name, "source": s.source, "days": s.days, "seed": s.seed,
                            **_describe_subjects(members)}
    table, subjects = _table(per_subject)
    return Comparison(table, subjects, datasets, described, days, igf1_days, seeds)


def _unique(names: list[str]) -> list[str]:
    out, seen = [], {}
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if names.count(n) == 1 else f"{n} ({seen[n]})")
    return out


# --- scenario files with [[condition]] ----------------------------------------------------------


# --- figure -----------------------------------------------------------------------------------


def comparison_figure(c: Comparison) -> Figure:
    """GH profiles (first subject of each group) overlaid, and IGF-1 bars (mean ± SD by group/day)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from somatosim.plotting import DISCLAIMER

    names = list(c.table.index)
    colors = [f"C{i % 10}" for i in range(len(names))]
    fig = Figure(figsize=(11.0, 7.5), layout="constrained")
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(2, 2, height_ratios=(3, 2))
    ax_gh = fig.add_subplot(grid[0, :])
    ax_tot = fig.add_subplot(grid[1, 0])
    ax_free = fig.add_subplot(grid[1, 1])
    for name, color in zip(names, colors):
        ds = c.datasets[name]
        t_h = ds.time.values.astype(float) / 60.0
        keep = t_h < c.days * 24.0
        ax_gh.plot(t_h[keep], ds.gh.values[0][keep], lw=1.0, color=color, label=name)
    ax_gh.set_xlabel("time (h from midnight of day 0)")
    ax_gh.set_ylabel("GH [ug/L]")
    ax_gh.set_ylim(bottom=0)
    ax_gh.set_xlim(0, c.days * 24.0)
    ax_gh.set_title("GH, first subject of each group")
    ax_gh.legend(fontsize="small", loc="upper right", framealpha=0.9)
    width = 0.8 / max(len(c.igf1_days), 1)
    x = np.arange(len(names))
    for ax, key, title in ((ax_tot, "igf1_total", "total IGF-1"), (ax_free, "igf1_free", "free IGF-1")):
        for j, d in enumerate(c.igf1_days):
            col = f"{key}_day{d}"
            ax.bar(x + (j - (len(c.igf1_days) - 1) / 2) * width, c.table[col].values, width,
                   yerr=np.nan_to_num(c.table[f"{col}_sd"].values), capsize=3, color=colors,
                   alpha=1.0 - 0.35 * j / max(len(c.igf1_days) - 1, 1), edgecolor="black", lw=0.5,
                   label=f"day {d}")
        ax.set_xticks(x, names, rotation=20 if len(names) > 3 else 0, ha="right" if len(names) > 3 else "center",
                      fontsize="small")
        ax.set_ylabel(f"{title} [ng/mL]")
        ax.set_title(f"{title}, mean over the day (± SD across subjects)")
        if len(c.igf1_days) > 1:
            ax.legend(fontsize="small")
    fig.suptitle(DISCLAIMER, x=0.995, ha="right", fontsize="x-small", color="0.4")
    return fig
