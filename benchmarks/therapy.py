"""Benchmark: a 12-month GH titration course for 1,000 virtual GHD adults.

    python benchmarks/therapy.py                 # 1,000 patients, 52 weeks, AACE 2019 protocol
    python benchmarks/therapy.py --n 200 --baseline 2

Prints the wall time of the course with the periodic-steady-state method (the default of
``run_course``), and measures a full-resolution baseline (every day integrated at dt = 0.5 min)
on the first ``--baseline`` patients in the same process: its time, the periodic method's time
on the same patients, their ratio, and the largest difference of visit IGF-1 SDS and of final
doses between the two methods. Not a test: timings depend on the machine (and on its load).
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="patients (default 1000)")
    ap.add_argument("--weeks", type=float, default=52.0, help="course length, weeks (default 52)")
    ap.add_argument("--baseline", type=int, default=3, help="patients of the full-resolution baseline (default 3)")
    ap.add_argument("--batch", type=int, default=250, help="patients integrated together (default 250)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    import jax

    from somatosim.therapy import aace_2019, ghd_cohort, run_course

    warnings.simplefilter("ignore")
    patients = ghd_cohort(args.n, age=(25.0, 65.0), seed=args.seed, oral_estrogen_share=0.3)
    protocol = aace_2019()
    print(f"somatosim therapy benchmark on {jax.devices()[0].platform.upper()} "
          f"({jax.devices()[0].device_kind}); protocol {protocol.name}, visits every {protocol.visit_weeks:g} weeks")

    t0 = time.perf_counter()
    course = run_course(patients, protocol, weeks=args.weeks, seed=args.seed, batch_size=args.batch)
    t_course = time.perf_counter() - t0
    s = course.summary()
    print(f"\n{args.n} patients x {args.weeks:g} weeks, periodic method: {t_course:.1f} s "
          f"({t_course / args.n * 1000:.0f} ms per patient-course, JAX compilation included)")
    print(f"  median final dose {s.final_dose.median():.2f} mg/day "
          f"(men {s.final_dose[s.sex == 'male'].median():.2f}, women {s.final_dose[(s.sex == 'female') & ~s.oral_estrogen].median():.2f}, "
          f"oral estrogen {s.final_dose[s.oral_estrogen].median():.2f}); "
          f"{100 * s.in_target_at_end.mean():.0f} % in the target band at the end")

    k = max(1, min(args.baseline, args.n))
    few = patients[:k]
    run_course(few, protocol, weeks=protocol.visit_weeks, seed=args.seed, method="full")  # compile this size
    t0 = time.perf_counter()
    fast = run_course(few, protocol, weeks=args.weeks, seed=args.seed, method="periodic")
    t_fast = time.perf_counter() - t0
    t0 = time.perf_counter()
    full = run_course(few, protocol, weeks=args.weeks, seed=args.seed, method="full")
    t_full = time.perf_counter() - t0
    a = fast.visits.sort_values(["subject", "visit"])
    b = full.visits.sort_values(["subject", "visit"])
    dsds = np.abs(a.sds.values - b.sds.values)
    ddose = np.abs(fast.summary().final_dose.values - full.summary().final_dose.values)
    print(f"\nfull-resolution baseline, {k} patients x {args.weeks:g} weeks: {t_full:.1f} s; periodic on the same "
          f"patients: {t_fast:.1f} s; ratio {t_full / t_fast:.1f}x")
    print(f"  visit IGF-1 SDS, periodic - full: max |diff| {dsds.max():.3f}, mean |diff| {dsds.mean():.3f} SDS; "
          f"final doses differ by at most {ddose.max():.3f} mg/day; "
          f"decisions identical: {list(a.action) == list(b.action)}")
    days_fast = course.notes["days_simulated_per_patient"]
    days_full = full.notes["days_simulated_per_patient"]
    rate = args.n * days_fast / t_course
    print(f"  days integrated per patient: periodic {days_fast}, full {days_full} ({days_full / days_fast:.1f}x); "
          f"at the big run's throughput ({rate:.0f} patient-days/s) the full-resolution {args.n}-patient course "
          f"would take about {args.n * days_full / rate / 60:.0f} min")


if __name__ == "__main__":
    main()
