"""Engines that integrate :func:`somatosim.model.axis.vector_field`.

* :mod:`somatosim.engine.fast` — JAX, float64, fixed-step RK4 under ``jit`` and ``lax.scan``,
  vectorised over subjects (the default; runs on CPU, GPU or TPU).
* :mod:`somatosim.engine.reference` — SciPy ``solve_ivp`` (DOP853, tight tolerances) over the
  same equations and the same noise realisation, one subject at a time, for verification.

:func:`somatosim.simulate` is the public entry point.
"""
