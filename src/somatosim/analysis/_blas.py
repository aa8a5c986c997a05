"""Best-effort control of the BLAS thread count (internal).

Deconvolution solves many small least-squares problems (a few hundred rows). On such
sizes a multithreaded OpenBLAS is slower than one thread, and on a busy machine much
slower (an SVD of 224 x 80 took 72 ms instead of 2 ms with other jobs on two cores).
:func:`single_threaded_blas` sets the OpenBLAS libraries loaded by NumPy/SciPy to one
thread for the duration of a block and restores the previous count. Without
``threadpoolctl`` (not a dependency) it looks the libraries up by file name; if none is
found it does nothing.
"""

from __future__ import annotations

import ctypes
import glob
import os
from collections.abc import Iterator
from contextlib import contextmanager

_SETTERS = (
    ("scipy_openblas_set_num_threads64_", "scipy_openblas_get_num_threads64_"),
    ("scipy_openblas_set_num_threads", "scipy_openblas_get_num_threads"),
    ("openblas_set_num_threads64_", "openblas_get_num_threads64_"),
    ("openblas_set_num_threads", "openblas_get_num_threads"),
)

_cache: list[tuple[object, object]] | None = None


def _openblas_handles() -> list[tuple[object, object]]:
    global _cache
    if _cache is not None:
        return _cache
    handles = []
    try:
        import numpy
        import scipy

        dirs = [
            os.path.join(os.path.dirname(os.path.dirname(m.__file__)), f"{m.__name__}.libs")
            for m in (numpy, scipy)
        ]
        for path in sorted({p for d in dirs for p in glob.glob(os.path.join(d, "*openblas*"))}):
            try:
                lib = ctypes.CDLL(path)
            except OSError:
                continue
            for set_name, get_name in _SETTERS:
                if hasattr(lib, set_name) and hasattr(lib, get_name):
                    handles.append((getattr(lib, set_name), getattr(lib, get_name)))
                    break
    except (ImportError, OSError, AttributeError, TypeError):  # pragma: no cover
        handles = []
    _cache = handles
    return handles


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Run the block with one OpenBLAS thread (no-op when OpenBLAS is not found)."""
    saved = []
    for set_threads, get_threads in _openblas_handles():
        try:
            saved.append((set_threads, int(get_threads())))
            set_threads(1)
        except (OSError, AttributeError, TypeError, ValueError):  # pragma: no cover
            continue
    try:
        yield
    finally:
        for set_threads, n in saved:
            set_threads(n)
