"""The reference engine: SciPy ``solve_ivp`` (DOP853, tight tolerances), one subject at a time.

It integrates the same :func:`~somatosim.model.axis.vector_field` with NumPy, reading the same
inputs — the schedule grid and the subject's own Ornstein–Uhlenbeck realisation — linearly
interpolated between grid points, exactly the input function the fast engine's RK4 stages see.
It exists to check the fast engine (``tests/test_engine_agreement.py``) and as a slow but
step-size-controlled fallback; it is about two orders of magnitude slower.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp

from somatosim.model import axis


def run_subject(y0, inputs, t0, dt, p, t_eval, *, rtol=1e-9, atol=1e-12, names=tuple(axis.OBSERVABLES)):
    """Integrate one subject.

    Parameters
    ----------
    y0 : (n_states,) initial state at ``t0``
    inputs : (n_points, n_inputs) input values on the grid ``t0 + k·dt``
    t0, dt : float, min
    p : dict of floats (one subject's parameters)
    t_eval : times (min) at which to report observables, within the grid

    Returns
    -------
    dict ``name -> (len(t_eval),)`` of observables and the final state.
    """
    inputs = np.asarray(inputs, dtype=float)
    last = inputs.shape[0] - 1
    t_end = t0 + last * dt

    def u_at(t):
        x = (np.asarray(t, dtype=float) - t0) / dt
        k = np.clip(np.floor(x).astype(int), 0, last - 1)
        w = (x - k)[..., None]
        return (1.0 - w) * inputs[k] + w * inputs[k + 1]

    def rhs(t, y):
        return axis.vector_field(t, y, u_at(t), p, np)

    sol = solve_ivp(rhs, (t0, t_end), np.asarray(y0, dtype=float), method="DOP853",
                    rtol=rtol, atol=atol, t_eval=np.asarray(t_eval, dtype=float), max_step=dt)
    if not sol.success:
        raise RuntimeError(f"reference solver failed: {sol.message}")
    y = sol.y.T
    obs = axis.observables(y, u_at(sol.t), p, np, names)
    return {k: np.asarray(v) for k, v in obs.items()}, sol.y[:, -1]
