"""Pulse-analysis benchmarks: one 24-h series, a batch, and deconvolution vs Cluster.

A script, not a test (``python benchmarks/analysis.py [--n-batch 1000] [--processes N]``).
It prints:

(a) seconds per 24-h series at 10-min sampling (144 samples, GH-like synthetic series
    of :func:`somatosim.analysis.simulate_pulsatile_series`, CV 5 % with a 0.01 floor)
    for deconvolution (bi-exponential, fast phase fixed) and Cluster (2x2, t = 2): the
    median over ``--n-single`` different series, each fitted once;
(b) wall time for a batch of ``--n-batch`` such series with each method, spread over
    ``--processes`` worker processes (standard-library ``multiprocessing``), and the
    resulting series per second. Simulating the series is not timed;
(c) the ratio of deconvolution to Cluster time per series.

Set ``OPENBLAS_NUM_THREADS=1`` (or the variable of your BLAS) when running several
processes: the fits use small dense matrices, and BLAS threads then only contend.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import statistics
import time
from dataclasses import replace

from somatosim import __version__
from somatosim.analysis import (
    BiExponential,
    Cluster,
    CVWithFloor,
    Deconvolution,
    SyntheticSpec,
    simulate_pulsatile_series,
)

#: Error model of the benchmark series (and given to both methods).
ERROR_MODEL = CVWithFloor(0.05, 0.01)
SPEC = replace(SyntheticSpec(), sampling_interval_min=10.0, error_model=ERROR_MODEL)


def _make(seed: int):
    return simulate_pulsatile_series(SPEC, seed=seed).series


def _deconvolve(series) -> int:
    est = Deconvolution(ERROR_MODEL, elimination=BiExponential()).fit(series)
    return len(est.pulses_)


def _cluster(series) -> int:
    return len(Cluster(ERROR_MODEL).fit(series).pulses_)


def _time_each(fn, series_list) -> list[float]:
    out = []
    for s in series_list:
        t0 = time.perf_counter()
        fn(s)
        out.append(time.perf_counter() - t0)
    return out


def _batch(fn, series_list, processes: int) -> float:
    t0 = time.perf_counter()
    if processes == 1:
        for s in series_list:
            fn(s)
    else:
        with mp.get_context("spawn").Pool(processes) as pool:
            pool.map(fn, series_list, chunksize=max(1, len(series_list) // (8 * processes)))
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-single", type=int, default=20, help="series for the per-series median")
    ap.add_argument("--n-batch", type=int, default=1000, help="series in the batch run")
    ap.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()

    print(
        f"somatosim {__version__}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, {args.processes} worker processes"
    )
    singles = [_make(10_000 + i) for i in range(args.n_single)]
    _deconvolve(singles[0])  # warm up imports and caches
    t_dec = _time_each(_deconvolve, singles)
    t_clu = _time_each(_cluster, singles)
    med_dec, med_clu = statistics.median(t_dec), statistics.median(t_clu)
    print(f"\n(a) one 24-h series, 10-min sampling (144 samples), median of {args.n_single} series")
    print(f"    deconvolution : {med_dec:8.3f} s/series  (max {max(t_dec):.3f} s)")
    print(f"    cluster       : {med_clu * 1e3:8.3f} ms/series")

    batch = [_make(i) for i in range(args.n_batch)]
    wall_dec = _batch(_deconvolve, batch, args.processes)
    wall_clu = _batch(_cluster, batch, args.processes)
    print(f"\n(b) batch of {args.n_batch} series, {args.processes} processes")
    print(f"    deconvolution : {wall_dec:8.1f} s wall, {args.n_batch / wall_dec:7.1f} series/s")
    print(f"    cluster       : {wall_clu:8.1f} s wall, {args.n_batch / wall_clu:7.1f} series/s")
    print(
        f"\n(c) deconvolution / cluster time per series (medians of (a)): {med_dec / med_clu:.0f}x"
        "\n    (the Cluster batch is dominated by starting worker processes)"
    )


if __name__ == "__main__":
    main()
