"""Scoring of validation targets and the regenerable report (``somatosim validate``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd
import tomllib

GREEN, YELLOW, RED = "green", "yellow", "red"
#: Report section of each packaged targets file.
DOMAINS = {
    "targets.toml": "Core model",
    "targets_clinic.toml": "Stimulation tests and GHRH interactions",
    "targets_conditions.toml": "Causes of deficiency",
    "targets_lifestyle.toml": "Lifestyle, nutrition, stress and sleep",
    "targets_therapy.toml": "GH therapy",
}
#: Relative tolerances of the colour bands (validation standard of the project).
GREEN_TOL, YELLOW_TOL = 0.10, 0.30


@dataclass(frozen=True)
class Target:
    id: str
    description: str
    scenario: str
    metric: str
    value: float
    unit: str
    source: str
    must_pass: bool = False
    calibration: bool = False
    low: float | None = None
    high: float | None = None
    kind: str = "value"  # value | greater | less
    domain: str = ""  # report section (from the targets file)

    def published(self) -> str:
        if self.kind == "greater":
            return f"> {self.value:g}"
        if self.kind == "less":
            return f"< {self.value:g}"
        rng = f" [{self.low:g}–{self.high:g}]" if self.low is not None else ""
        return f"{self.value:g}{rng}"


def load_targets(path: str | Path | None = None) -> list[Target]:
    """Targets from ``path`` or from every packaged ``targets*.toml`` (core model first, then
    each domain's file: lifestyle, clinic, therapy, … in name order)."""
    if path is None:
        files = sorted((f for f in resources.files(__package__).iterdir()
                        if f.name.startswith("targets") and f.name.endswith(".toml")),
                       key=lambda f: (f.name != "targets.toml", f.name))
        texts = [(f.name, f.read_text(encoding="utf-8")) for f in files]
    else:
        texts = [(Path(path).name, Path(path).read_text(encoding="utf-8"))]
    targets = [Target(**t, domain=DOMAINS.get(name, name)) for name, text in texts
               for t in tomllib.loads(text).get("target", [])]
    ids = [t.id for t in targets]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise ValueError(f"validation targets: duplicate target ids {dup}")
    return targets


def score(target: Target, model: float) -> tuple[str, float]:
    """(colour, relative deviation from the nearest acceptable value) of a model value."""
    if model is None or not math.isfinite(model):
        return RED, math.inf
    v = target.value
    scale = abs(v) if v else 1.0  # a bound of 0 is compared in absolute terms
    if target.kind == "greater":
        dev = max(0.0, (v - model) / scale)
        return (GREEN if model > v else YELLOW if dev <= YELLOW_TOL else RED), dev
    if target.kind == "less":
        dev = max(0.0, (model - v) / scale)
        return (GREEN if model < v else YELLOW if dev <= YELLOW_TOL else RED), dev
    if target.low is not None and target.low <= model <= target.high:
        return GREEN, 0.0
    dev = abs(model - v) / scale
    if target.low is not None:
        nearest = target.low if model < target.low else target.high
        dev_range = abs(model - nearest) / (abs(nearest) or 1.0)
    else:
        dev_range = dev
    if dev <= GREEN_TOL:
        return GREEN, dev
    return (YELLOW if min(dev, dev_range) <= YELLOW_TOL else RED), min(dev, dev_range)


def evaluate(targets: list[Target] | None = None, scenarios=None) -> pd.DataFrame:
    """Run the scenarios the targets need and score every target (one row each)."""
    from somatosim.validation.scenarios import all_scenarios

    targets = targets or load_targets()
    scenarios = scenarios or all_scenarios()
    results: dict[str, dict[str, float]] = {}
    rows = []
    for t in targets:
        if t.scenario not in results:
            results[t.scenario] = scenarios[t.scenario]()
        model = results[t.scenario][t.metric]
        colour, dev = score(t, model)
        rows.append({**t.__dict__, "model": model, "status": colour, "deviation": dev,
                     "published": t.published()})
    return pd.DataFrame(rows)


def changes(before: pd.DataFrame, after: pd.DataFrame, rtol: float = 1e-3) -> pd.DataFrame:
    """Targets of ``after`` whose colour or model value differs from ``before`` (two tables of
    :func:`evaluate`, e.g. a ``results.csv`` read back): one row each, with ``status_before``,
    ``status_after``, ``model_before``, ``model_after``; a target missing from ``before`` is listed
    with empty ``*_before`` columns. Model values count as changed beyond a relative ``rtol``.
    Targets of ``before`` that ``after`` did not evaluate are ignored, so a subset run compares
    with a full one."""
    old = before.set_index("id")
    rows = []
    for r in after.itertuples():
        if r.id in old.index:
            b = old.loc[r.id]
            status_b, model_b = b["status"], float(b["model"])
            if status_b == r.status and math.isclose(model_b, r.model, rel_tol=rtol, abs_tol=1e-12):
                continue
        else:
            status_b, model_b = None, math.nan
        rows.append({"id": r.id, "domain": r.domain, "status_before": status_b, "status_after": r.status,
                     "model_before": model_b, "model_after": r.model, "published": r.published})
    columns = ["id", "domain", "status_before", "status_after", "model_before", "model_after", "published"]
    return pd.DataFrame(rows, columns=columns)


def write_report(table: pd.DataFrame, out_dir: str | Path, *, overrides: dict[str, float] | None = None,
                 figures: bool = True) -> Path:
    """Write ``report.md`` (with figures unless ``figures`` is False) and ``results.csv`` into
    ``out_dir``; returns the report path. ``overrides`` (parameter → value) are the parameter
    values the table was evaluated with, if not the shipped ones: the report names them."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    must = table[table.must_pass]
    pred = table[~table.calibration]
    lines = [
        "# somatosim validation report",
        "",
        "Regenerate with `somatosim validate` (or `make validate`). Each target compares a metric of a",
        "virtual experiment (validation/scenarios.py, cohorts of 60 simulated subjects) with published human",
        "data. **green**: inside the published range or within 10 %; **yellow**: within 30 %; **red**: beyond.",
        "Targets marked *cal.* were used to set a calibrated parameter, so they check consistency rather than",
        "predict; the others are predictions. For research and teaching only; not a medical device.",
        "",
    ]
    if overrides:
        shown = ", ".join(f"`{k}` = {v:g}" for k, v in overrides.items())
        lines += [f"**A variant of the model, not the shipped one:** evaluated with {shown}.", ""]
    lines += [
        (f"**Tally: {_tally(table.status, ' targets')}.** Must-pass targets: "
         f"{(must.status != RED).sum()} of {len(must)} not red. Predictions (targets not used in calibration): "
         f"{(pred.status == GREEN).sum()} of {len(pred)} green."),
        "",
    ]
    for domain, part in table.groupby("domain", sort=False):
        lines += [
            f"## {domain}",
            "",
            f"{_tally(part.status)}.",
            "",
            "| status | target | model | published | unit | flags | source |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in part.itertuples():
            flags = ", ".join(f for f, on in (("must-pass", r.must_pass), ("cal.", r.calibration)) if on)
            lines.append(
                f"| {r.status} | {r.description} (`{r.id}`) | {r.model:.4g} | {r.published} | {r.unit} | {flags} | {r.source} |"
            )
        lines.append("")
    figs = _figures(out) if figures else []
    if figs:
        lines += ["## Figures", ""] + [f"![{f.stem}](figures/{f.name})" for f in figs]
    path = out / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table.to_csv(out / "results.csv", index=False)
    return path


def _tally(status: pd.Series, of_what: str = "") -> str:
    """"G green, Y yellow, R red of N{of_what} (P % green)" for a column of colours."""
    c = status.value_counts()
    n = len(status)
    return (f"{c.get(GREEN, 0)} green, {c.get(YELLOW, 0)} yellow, {c.get(RED, 0)} red of {n}{of_what} "
            f"({100 * c.get(GREEN, 0) / n:.0f} % green)")


def _figures(out: Path) -> list[Path]:
    """IGF-1 by age against the reference, and example 24-h GH profiles of a young man and woman."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from somatosim.clinic.igf1 import igf1_reference_range
    from somatosim.validation import scenarios as sc

    fig_dir = out / "figures"
    fig_dir.mkdir(exist_ok=True)
    paths = []

    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    ages = np.arange(3, 91)
    for ax, sex in zip(axes, ("male", "female")):
        ref = [igf1_reference_range(float(a), sex) for a in ages]
        ax.fill_between(ages, [r.lower for r in ref], [r.upper for r in ref], alpha=0.2, label="reference 2.5–97.5 %")
        ax.plot(ages, [r.median for r in ref], "k-", lw=1, label="reference median")
        for a in sc.IGF1_AGES:
            igf = sc.summary(sex, (a - 1.0, a + 1.0))["igf1"]
            ax.plot(np.full(igf.size, a) + np.random.default_rng(0).uniform(-0.8, 0.8, igf.size), igf, ".", alpha=0.3, color="C1")
            ax.plot(a, np.median(igf), "o", color="C3", ms=7)
        ax.set_title(f"IGF-1 by age, {sex}s (Bidlingmaier 2014 reference)")
        ax.set_xlabel("age (y)")
    axes[0].set_ylabel("total IGF-1 (ng/mL)")
    axes[0].legend(fontsize=8)
    p = fig_dir / "igf1_by_age.png"
    fig.tight_layout()
    fig.savefig(p, dpi=90)
    plt.close(fig)
    paths.append(p)

    fig, axes = plt.subplots(2, 1, figsize=(11, 5), sharex=True)
    for ax, sex in zip(axes, ("male", "female")):
        _, ds, _ = sc._run(sex, (20.0, 30.0))
        t = ds.time.values / 60.0
        ax.plot(t, ds.gh.values[0], lw=1)
        ax.fill_between(t, 0, ds.gh.values[0].max(), where=ds.asleep.values[0], alpha=0.15, color="grey")
        ax.set_ylabel("GH (µg/L)")
        ax.set_title(f"virtual {sex}, {float(ds.age[0]):.0f} y (sleep shaded)")
    axes[1].set_xlabel("time (h from midnight of day 0)")
    p = fig_dir / "gh_profiles.png"
    fig.tight_layout()
    fig.savefig(p, dpi=90)
    plt.close(fig)
    paths.append(p)
    return paths
