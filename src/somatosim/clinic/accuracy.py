"""Diagnostic accuracy of GH stimulation tests on virtual cohorts.

Healthy adults and adults with GH deficiency (GHD) of mixed causes take the same tests; each
peak is read against the test's guideline cut-off (:mod:`somatosim.clinic.cutoffs`), and
sensitivity (GHD read as deficient) and specificity (healthy read as sufficient) are set beside
the published values. Because every person keeps the same random effects across tests (same
cohort index, same seed), the tests are compared in the same people, as in a cross-over study.

Causes of GHD are local condition objects (the condition protocol of
:mod:`somatosim.subject`):

* :class:`PituitaryGHD` — loss of somatotrophs (``somatotroph_capacity``);
* :class:`HypothalamicGHD` — loss of GHRH release (``ghrh_release_max``): the pituitary is
  intact, so GHRH-based tests can be falsely normal, a known pitfall (e.g. after cranial
  irradiation);
* :class:`MixedGHD` — both.

Severities are drawn (seeded) from the ranges in ``params/stimulation.toml`` (``stim_ghd_*``).
ITTs without adequate hypoglycaemia and a low peak are not interpretable and are left out of
that test's sensitivity and specificity (their number is reported), as trials do.

Run ``python -m somatosim.clinic.accuracy`` (or ``somatosim stimtest --accuracy``) for the full
table (≥ 200 + 200 subjects). For research and teaching only; not medical advice.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from somatosim._validation import InputError, Interval, check
from somatosim.clinic.stimulation import StimulationTestResult, run_stimulation_tests
from somatosim.cohort import virtual_cohort
from somatosim.conditions.pituitary import lose_ghrh, lose_somatotrophs
from somatosim.params import load_parameters
from somatosim.subject import Subject

__all__ = [
    "ADULT_TESTS",
    "PUBLISHED_ACCURACY",
    "HypothalamicGHD",
    "MixedGHD",
    "PituitaryGHD",
    "PublishedAccuracy",
    "accuracy_table",
    "diagnostic_accuracy",
    "ghd_cohort",
    "healthy_cohort",
]

#: Adult tests with a guideline cut-off (GHRH alone and clonidine have none in adults).
ADULT_TESTS: tuple[str, ...] = ("insulin_tolerance", "ghrh_arginine", "glucagon", "macimorelin", "arginine")


@dataclass(frozen=True)
class PituitaryGHD:
    """Loss of somatotrophs: ``capacity`` (0–1) of the somatotroph mass remains."""

    capacity: float
    name: str = "pituitary GHD"

    def __post_init__(self):
        check("PituitaryGHD.capacity", self.capacity, Interval(0, 1, low_open=True))

    def modify(self, p, subject) -> None:
        lose_somatotrophs(p, 1.0 - self.capacity)


@dataclass(frozen=True)
class HypothalamicGHD:
    """Loss of hypothalamic GHRH: ``ghrh_fraction`` (0–1) of the GHRH input remains
    (:func:`somatosim.conditions.pituitary.lose_ghrh`)."""

    ghrh_fraction: float
    name: str = "hypothalamic GHD"

    def __post_init__(self):
        check("HypothalamicGHD.ghrh_fraction", self.ghrh_fraction, Interval(0, 1, low_open=True))

    def modify(self, p, subject) -> None:
        lose_ghrh(p, 1.0 - self.ghrh_fraction)


@dataclass(frozen=True)
class MixedGHD:
    """Pituitary and hypothalamic damage together."""

    capacity: float
    ghrh_fraction: float
    name: str = "mixed GHD"

    def __post_init__(self):
        check("MixedGHD.capacity", self.capacity, Interval(0, 1, low_open=True))
        check("MixedGHD.ghrh_fraction", self.ghrh_fraction, Interval(0, 1, low_open=True))

    def modify(self, p, subject) -> None:
        lose_somatotrophs(p, 1.0 - self.capacity)
        lose_ghrh(p, 1.0 - self.ghrh_fraction)


@dataclass(frozen=True)
class PublishedAccuracy:
    """A published sensitivity/specificity of a test at a stated cut-off (µg/L)."""

    test: str
    cutoff: str
    sensitivity: float
    specificity: float
    source: str


#: Published accuracy (clinical_reference.md §2.3 and the sources named).
PUBLISHED_ACCURACY: dict[str, tuple[PublishedAccuracy, ...]] = {
    "insulin_tolerance": (
        PublishedAccuracy("insulin_tolerance", "various (3-5.1)", 0.95, 0.89,
                          "Hazem A et al. Eur J Endocrinol 2012;166:13 (meta-analysis, pooled)"),
        PublishedAccuracy("insulin_tolerance", "5.1", 0.96, 0.92, "Biller 2002 [M]"),
    ),
    "ghrh_arginine": (
        PublishedAccuracy("ghrh_arginine", "various", 0.73, 0.81,
                          "Hazem A et al. Eur J Endocrinol 2012;166:13 (meta-analysis, pooled)"),
        PublishedAccuracy("ghrh_arginine", "9.6", 0.884, 0.95, "Popovic V et al. Clin Endocrinol 2003"),
        PublishedAccuracy("ghrh_arginine", "8.0 lean / 2.8 obese", 0.95, 1.0,
                          "Gasco V et al. J Endocrinol Invest 2023 (lean; obese 84 %/92 %)"),
    ),
    "glucagon": (
        PublishedAccuracy("glucagon", "1.0 (fixed dose)", 0.92, 1.0, "Hamrahian AH et al. Pituitary 2016;19:332"),
    ),
    "macimorelin": (
        PublishedAccuracy("macimorelin", "2.8 (vs ITT 5.1)", 0.87, 0.96, "Garcia JM et al. JCEM 2018;103:3083"),
    ),
    "arginine": (
        PublishedAccuracy("arginine", "0.4", 0.87, 0.91, "Biller 2002 [M]"),
    ),
}


def healthy_cohort(n: int, *, seed: int = 0, age: tuple[float, float] = (20.0, 65.0)) -> list[Subject]:
    """``n`` healthy adults, half men and half women, ages uniform in ``age``, typical seeded sizes."""
    check("n", n, Interval(2, None))
    men = virtual_cohort(n // 2 + n % 2, sex="male", age=age, seed=seed)
    women = virtual_cohort(n // 2, sex="female", age=age, seed=seed + 1)
    return men + women


def ghd_cohort(n: int, *, seed: int = 0, age: tuple[float, float] = (20.0, 65.0)) -> list[Subject]:
    """``n`` adults with GHD of mixed causes (pituitary, hypothalamic, mixed; shares and severity
    ranges from ``stim_ghd_*``), half men and half women, seeded."""
    p = load_parameters().floats()
    base = healthy_cohort(n, seed=seed + 101, age=age)
    rng = np.random.default_rng([int(seed), 31])
    share_pit, share_hyp = p["stim_ghd_share_pituitary"], p["stim_ghd_share_hypothalamic"]

    def log_uniform(lo, hi):
        return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))

    out = []
    for s in base:
        u = rng.uniform()
        cap = log_uniform(p["stim_ghd_capacity_low"], p["stim_ghd_capacity_high"])
        ghrh = log_uniform(p["stim_ghd_ghrh_low"], p["stim_ghd_ghrh_high"])
        if u < share_pit:
            cond = PituitaryGHD(cap)
        elif u < share_pit + share_hyp:
            cond = HypothalamicGHD(ghrh)
        else:
            cond = MixedGHD(cap, ghrh)
        out.append(dataclasses.replace(s, conditions=tuple(s.conditions) + (cond,)))
    return out


def cause_of(subject: Subject) -> str:
    """``"healthy"`` or the name of the subject's GHD condition."""
    for c in subject.conditions:
        if isinstance(c, (PituitaryGHD, HypothalamicGHD, MixedGHD)):
            return c.name
    return "healthy"


def diagnostic_accuracy(
    tests: Sequence[str] = ADULT_TESTS,
    *,
    n_healthy: int = 200,
    n_ghd: int = 200,
    seed: int = 0,
    pretest: str = "high",
    healthy: Sequence[Subject] | None = None,
    ghd: Sequence[Subject] | None = None,
) -> tuple[dict[str, list[StimulationTestResult]], list[str]]:
    """Run ``tests`` in a healthy and a GHD cohort (one batched simulation per test).

    Returns ``(results, causes)``: for each test the results of every subject (healthy first),
    and each subject's cause (``"healthy"``, ``"pituitary GHD"``, …). Build the table with
    :func:`accuracy_table`.
    """
    for t in tests:
        if t not in ADULT_TESTS:
            raise InputError(f"tests: {t!r} is not allowed: expected adult tests with a cut-off, one of {ADULT_TESTS}")
    healthy = list(healthy) if healthy is not None else healthy_cohort(n_healthy, seed=seed)
    ghd = list(ghd) if ghd is not None else ghd_cohort(n_ghd, seed=seed)
    cohort = healthy + ghd
    causes = [cause_of(s) for s in cohort]
    results = {t: run_stimulation_tests(cohort, t, seed=seed, pretest=pretest) for t in tests}
    return results, causes


def _auc(neg: np.ndarray, pos: np.ndarray) -> float:
    """Area under the ROC curve for 'low peak = GHD' (Mann–Whitney; ties count half)."""
    if not len(neg) or not len(pos):
        return float("nan")
    less = (pos[:, None] < neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(less / (len(pos) * len(neg)))


def _youden(neg: np.ndarray, pos: np.ndarray) -> tuple[float, float, float]:
    """(cut-off, sensitivity, specificity) maximising sensitivity + specificity for 'peak < cut'."""
    best = (float("nan"), float("nan"), float("nan"))
    score = -1.0
    for c in np.unique(np.concatenate([neg, pos])):
        cut = float(c) * (1 + 1e-9)
        se, sp = float(np.mean(pos < cut)), float(np.mean(neg >= cut))
        if se + sp > score:
            score, best = se + sp, (cut, se, sp)
    return best


def accuracy_table(results: dict[str, list[StimulationTestResult]], causes: Sequence[str]):
    """Sensitivity and specificity of each test at its guideline cut-off, beside published values.

    Columns: test, n_healthy, n_ghd, n_not_interpretable, sensitivity, specificity, auc,
    healthy_median_peak, ghd_median_peak, hypothalamic_sensitivity (GHD of hypothalamic cause
    read as deficient), youden_cutoff with its sensitivity and specificity (the cut-off that
    separates these virtual cohorts best), and the published sensitivity/specificity/source.
    """
    import pandas as pd

    causes = np.asarray(causes)
    is_ghd = causes != "healthy"
    rows = []
    for test, rs in results.items():
        res = np.array([r.result for r in rs])
        peak = np.array([r.peak_gh for r in rs])
        ok = res != "not_interpretable"
        deficient = res == "deficient"
        pos, neg = ok & is_ghd, ok & ~is_ghd
        hyp = ok & (causes == "hypothalamic GHD")
        cut, se_y, sp_y = _youden(peak[neg], peak[pos])
        published = PUBLISHED_ACCURACY.get(test, ())
        first = published[0] if published else None
        rows.append({
            "test": test,
            "n_healthy": int(neg.sum()), "n_ghd": int(pos.sum()), "n_not_interpretable": int((~ok).sum()),
            "sensitivity": float(deficient[pos].mean()) if pos.any() else float("nan"),
            "specificity": float((~deficient[neg]).mean()) if neg.any() else float("nan"),
            "auc": _auc(peak[neg], peak[pos]),
            "healthy_median_peak": float(np.median(peak[neg])) if neg.any() else float("nan"),
            "ghd_median_peak": float(np.median(peak[pos])) if pos.any() else float("nan"),
            "hypothalamic_sensitivity": float(deficient[hyp].mean()) if hyp.any() else float("nan"),
            "youden_cutoff": cut, "youden_sensitivity": se_y, "youden_specificity": sp_y,
            "published_cutoff": first.cutoff if first else "",
            "published_sensitivity": first.sensitivity if first else float("nan"),
            "published_specificity": first.specificity if first else float("nan"),
            "published_source": first.source if first else "",
        })
    return pd.DataFrame(rows)


def markdown_table(table) -> str:
    """The accuracy table as Markdown (for docs/stimulation.md)."""
    lines = [
        ("| test | n healthy / GHD (not interpretable) | sensitivity | specificity | AUC | median peak healthy / GHD (µg/L) "
        "| hypothalamic GHD read deficient | best model cut-off (sens/spec) | published sens/spec (cut-off; source) |"),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in table.itertuples():
        lines.append(
            f"| {r.test} | {r.n_healthy} / {r.n_ghd} ({r.n_not_interpretable}) | {r.sensitivity:.0%} | "
            f"{r.specificity:.0%} | {r.auc:.2f} | {r.healthy_median_peak:.2f} / {r.ghd_median_peak:.2f} | "
            f"{r.hypothalamic_sensitivity:.0%} | {r.youden_cutoff:.2f} ({r.youden_sensitivity:.0%}/"
            f"{r.youden_specificity:.0%}) | {r.published_sensitivity:.0%}/{r.published_specificity:.0%} "
            f"({r.published_cutoff}; {r.published_source}) |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:  # pragma: no cover - a script
    """``python -m somatosim.clinic.accuracy [N_HEALTHY N_GHD SEED]``: print the Markdown table."""
    import sys
    import time

    args = list(sys.argv[1:] if argv is None else argv)
    n_h, n_g, seed = (int(args[0]) if args else 200), (int(args[1]) if len(args) > 1 else 200), \
        (int(args[2]) if len(args) > 2 else 0)
    t0 = time.time()
    table = accuracy_table(*diagnostic_accuracy(n_healthy=n_h, n_ghd=n_g, seed=seed))
    print(markdown_table(table))
    print(f"\n{n_h} healthy + {n_g} GHD adults, seed {seed}, {time.time() - t0:.0f} s.")


if __name__ == "__main__":  # pragma: no cover
    main()
