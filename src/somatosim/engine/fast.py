"""The fast engine: JAX, float64, classical RK4 on a fixed grid, scanned and vectorised.

Why this design
---------------
* The model is a smooth ODE driven by inputs that are piecewise linear on the step grid
  (noise and schedule); its fastest time constant is about a minute. A fixed-step fourth-order
  Runge–Kutta scheme at 0.5 min (the default; RK4's error falls as Δt⁴: 2.6 % on GH peaks at
  1 min, 0.03 % at 0.5 min against DOP853 at rtol 1e-9) stays well inside the 1 % agreement
  test and has a cost known in advance — no step-size control, no rejected steps, no
  per-subject divergence of work, so subjects vectorise perfectly.
* ``jax.lax.scan`` keeps the time loop inside one XLA computation (no Python per step) and
  ``jit`` compiles it once per array shape; subjects are a leading array axis, so a cohort
  is the same code path as one person and runs on CPU, GPU or TPU unchanged.
* float64 throughout (``jax_enable_x64``): hormone concentrations span six orders of
  magnitude across a run and the reference comparison needs it.
"""

from __future__ import annotations

from functools import partial

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp

from somatosim.model import axis


def _rk4(y, u0, um, u1, p, dt):
    def f(yy, uu):
        return axis.vector_field(0.0, yy, uu, p, jnp)

    k1 = f(y, u0)
    k2 = f(y + 0.5 * dt * k1, um)
    k3 = f(y + 0.5 * dt * k2, um)
    k4 = f(y + dt * k3, u1)
    return y + (dt / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4)


@partial(jax.jit, static_argnames=("n_records", "record_every", "names"))
def run_chunk(y, noise, p, grid, group, xi, dt, *, n_records, record_every, names):
    """Integrate ``n_records × record_every`` steps from state ``y`` with OU value ``noise``.

    Parameters
    ----------
    y : (n_subjects, n_states) array
    noise : (n_subjects,) array, OU value at the first grid point
    p : dict of (n_subjects,) arrays
    grid : (n_steps + 1, n_groups, n_channels) deterministic inputs on the step grid
    group : (n_subjects,) int array, each subject's row of ``grid``
    xi : (n_steps, n_subjects) standard-normal innovations of the OU drive
    dt : float, step, min

    Returns
    -------
    y, noise at the end, and a dict ``name -> (n_records, n_subjects)`` of observables recorded
    at the start of every ``record_every`` steps.
    """
    a = jnp.exp(-dt / p["drive_noise_tau"])
    c = jnp.sqrt(1.0 - a * a)

    def inputs(n, i):
        return jnp.concatenate([n[:, None], grid[i][group]], axis=-1)

    def step(carry, i):
        yy, n = carry
        n1 = a * n + c * xi[i]
        u0 = inputs(n, i)
        u1 = inputs(n1, i + 1)
        return (_rk4(yy, u0, 0.5 * (u0 + u1), u1, p, dt), n1), None

    def record(carry, k):
        yy, n = carry
        i0 = k * record_every
        obs = axis.observables(yy, inputs(n, i0), p, jnp, names)
        carry, _ = jax.lax.scan(step, carry, i0 + jnp.arange(record_every))
        return carry, obs

    (y, noise), obs = jax.lax.scan(record, (y, noise), jnp.arange(n_records))
    return y, noise, obs
