"""Engine benchmarks: a year of one subject, cohort throughput, and the fast/reference ratio.

A script, not a test (``python benchmarks/engine.py [--quick]``). It prints one table:

(a) one subject × ``--year-days`` days at one-minute resolution (default ``dt=0.5``, ``record_interval=1`` min,
    ``outputs=("gh",)``), wall time after compilation. The compile run is one day of the same
    subject: the engine integrates in one-day chunks, so it compiles exactly the shapes the
    long run uses;
(b) subject-days per second for cohorts of ``--cohorts`` subjects × ``--cohort-days`` days
    (``outputs=("gh",)``, ``record_interval=10`` min), each timed on a second run after a compile run
    of the same size (a different seed, so nothing is cached but the compiled code);
(c) the SciPy reference path (``engine="reference"``, DOP853) on ``--ref-subjects`` subjects ×
    ``--ref-days`` days against the fast engine on the same subjects.

What the times include: every ``simulate`` call first integrates ``--burn-in`` habitual days
with the fast engine (also for ``engine="reference"``) and builds per-subject parameters in
Python. Rows report *returned* subject-days per second (what a user gets) and *integrated*
subject-days per second (burn-in included: the arithmetic the engine did). For (c) the
shared overhead is removed by subtracting the fast run's wall time on the same subjects and
days from the reference run's, giving the reference engine's own time per subject-day; the
ratio divides that by the fast engine's per-subject-day time of the long run (a), where
overhead is negligible.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from dataclasses import dataclass

from somatosim import __version__
from somatosim.simulation import simulate
from somatosim.subject import Subject

#: Recording interval of the cohort runs (min), to keep memory small.
COHORT_RECORD_INTERVAL = 10.0
#: Burn-in days of every benchmark run (the minimum ``simulate`` accepts, to reduce overhead).
BURN_IN_DAYS = 1
OUTPUTS = ("gh",)
DT_MIN = 0.5


@dataclass
class Row:
    case: str
    subjects: int
    days: float
    seconds: float
    burn_in: int

    @property
    def returned_rate(self) -> float:
        """Returned subject-days per second of wall time."""
        return self.subjects * self.days / self.seconds

    @property
    def integrated_rate(self) -> float:
        """Integrated subject-days (burn-in included) per second of wall time."""
        return self.subjects * (self.days + self.burn_in) / self.seconds


def timed(subjects: list[Subject], days: float, *, seed: int, **kw) -> float:
    """Wall time (s) of one ``simulate`` call (its results are NumPy arrays, so it has finished)."""
    t0 = time.perf_counter()
    simulate(subjects, days, seed=seed, dt=DT_MIN, outputs=OUTPUTS, burn_in_days=BURN_IN_DAYS, **kw)
    return time.perf_counter() - t0


def cohort(n: int) -> list[Subject]:
    """``n`` adults of the same traits (between-person variability comes from the seed)."""
    return [Subject(age=30.0, sex="male")] * n


def bench_year(days: float) -> tuple[Row, float]:
    one = cohort(1)
    compile_s = timed(one, 1, seed=1, record_interval=1.0)
    return Row(
        f"(a) 1 subject, {days:g} d, 1-min records",
        1,
        days,
        timed(one, days, seed=2, record_interval=1.0),
        BURN_IN_DAYS,
    ), compile_s


def bench_cohort(n: int, days: float) -> tuple[Row, float]:
    subs = cohort(n)
    compile_s = timed(subs, days, seed=1, record_interval=COHORT_RECORD_INTERVAL)
    return Row(
        f"(b) cohort, records every {COHORT_RECORD_INTERVAL:g} min",
        n,
        days,
        timed(subs, days, seed=2, record_interval=COHORT_RECORD_INTERVAL),
        BURN_IN_DAYS,
    ), compile_s


def bench_reference(n: int, days: float) -> tuple[Row, Row]:
    subs = cohort(n)
    timed(subs, days, seed=1, record_interval=1.0)  # compile the fast path for this size
    fast = Row(
        "(c) fast engine, same subjects",
        n,
        days,
        timed(subs, days, seed=3, record_interval=1.0),
        BURN_IN_DAYS,
    )
    ref = Row(
        "(c) reference engine (SciPy DOP853)",
        n,
        days,
        timed(subs, days, seed=3, record_interval=1.0, engine="reference"),
        BURN_IN_DAYS,
    )
    return fast, ref


def environment() -> str:
    import jax

    devices = ", ".join(sorted({f"{d.platform}:{d.device_kind}" for d in jax.devices()}))
    return (
        f"somatosim {__version__} | jax {jax.__version__} [{devices}] | python "
        f"{platform.python_version()} | {os.cpu_count()} CPU cores | {platform.machine()}"
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 30-day year, cohort of 100, reference on 1 subject x 0.05 d",
    )
    ap.add_argument(
        "--year-days", type=float, default=365.0, help="days of the single-subject run (a)"
    )
    ap.add_argument(
        "--cohorts", type=str, default="1000,10000", help="comma-separated cohort sizes (b)"
    )
    ap.add_argument("--cohort-days", type=float, default=1.0, help="days of each cohort run (b)")
    ap.add_argument(
        "--ref-subjects", type=int, default=1, help="subjects of the reference comparison (c)"
    )
    ap.add_argument(
        "--ref-days",
        type=float,
        default=0.25,
        help="days of the reference comparison (c); the SciPy path needs about 80 s "
        "per subject-day on one CPU core",
    )
    ap.add_argument("--skip-reference", action="store_true", help="skip (c)")
    args = ap.parse_args(argv)
    if args.quick:
        args.year_days, args.cohorts, args.cohort_days = 30.0, "100", 1.0
        args.ref_subjects, args.ref_days = 1, 0.05
    args.cohort_sizes = [int(c) for c in args.cohorts.split(",") if c.strip()]
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    print(environment())
    print(f"dt = {DT_MIN:g} min, burn-in = {BURN_IN_DAYS} d per call, outputs = {OUTPUTS}\n")

    rows: list[Row] = []
    notes: list[str] = []
    year, c_s = bench_year(args.year_days)
    rows.append(year)
    notes.append(
        f"(a) compile run (1 day): {c_s:.1f} s; a year would take "
        f"{365.0 * year.seconds / year.days:.1f} s at this rate"
    )
    for n in args.cohort_sizes:
        row, c_s = bench_cohort(n, args.cohort_days)
        rows.append(row)
        notes.append(f"(b) n = {n}: first (compiling) run {c_s:.1f} s")
    if not args.skip_reference:
        fast, ref = bench_reference(args.ref_subjects, args.ref_days)
        rows += [fast, ref]
        sd = ref.subjects * ref.days
        ref_per_sd = max(ref.seconds - fast.seconds, 0.0) / sd
        fast_per_sd = year.seconds / year.days
        notes.append(
            f"(c) reference engine alone: {ref_per_sd:.2f} s per subject-day (overhead removed); "
            f"fast engine (a): {1e3 * fast_per_sd:.1f} ms per subject-day; "
            f"ratio reference/fast = {ref_per_sd / fast_per_sd:,.0f}x; "
            f"same-size wall-time ratio = {ref.seconds / fast.seconds:,.0f}x"
        )

    head = f"{'case':<42} {'subjects':>8} {'days':>7} {'wall s':>9} {'ret. subj-d/s':>14} {'integr. subj-d/s':>17}"
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r.case:<42} {r.subjects:>8d} {r.days:>7g} {r.seconds:>9.2f} "
            f"{r.returned_rate:>14.3g} {r.integrated_rate:>17.3g}"
        )
    print()
    for n in notes:
        print(n)


if __name__ == "__main__":
    main()
