"""The seeded stochastic drive: an Ornstein–Uhlenbeck process sampled on the step grid.

Exact AR(1) discretisation of a unit-variance OU process with correlation time τ:
``n[i+1] = a·n[i] + sqrt(1 − a²)·ξ[i]``, ``a = exp(−Δt/τ)``. The innovations ξ of subject ``j``
in chunk ``c`` of a run with seed ``s`` are ``normal(fold_in(fold_in(fold_in(PRNGKey(s), stream),
j), c), (chunk length,))``, so a subject's noise does not depend on cohort size or on which
engine integrates it, and each chunk's innovations are drawn in one vectorised call rather than
one hash per step.
"""

from __future__ import annotations

from functools import partial

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp
import numpy as np
from scipy.signal import lfilter

#: Stream numbers: the main run and the burn-in days use independent noise.
MAIN_STREAM = 0
BURN_IN_STREAM = 1
#: Counter of the stationary draw that starts a stream (chunk counters start at 0).
_START_COUNTER = 2**31 - 1


def subject_keys(seed: int, n_subjects: int, stream: int):
    """One PRNG key per subject, shape ``(n_subjects, 2)``."""
    base = jax.random.fold_in(jax.random.PRNGKey(int(seed)), stream)
    return jax.vmap(lambda j: jax.random.fold_in(base, j))(jnp.arange(n_subjects))


@jax.jit
def stationary_start(keys):
    """A draw from the stationary (standard normal) OU distribution per key."""
    return jax.vmap(lambda k: jax.random.normal(jax.random.fold_in(k, _START_COUNTER), dtype=jnp.float64))(keys)


@partial(jax.jit, static_argnums=2)
def chunk_innovations(keys, chunk, n_steps: int):
    """Standard-normal innovations of one chunk, shape ``(n_steps, n_subjects)``."""
    draw = jax.vmap(lambda k: jax.random.normal(jax.random.fold_in(k, chunk), (n_steps,), dtype=jnp.float64))
    return draw(keys).T


def ou_from_innovations(n0, xi, a):
    """OU values ``n[0..len(xi)]`` of one subject from its start value and innovations (NumPy)."""
    xi = np.asarray(xi, dtype=float)
    c = np.sqrt(1.0 - a * a)
    rest, _ = lfilter([c], [1.0, -a], xi, zi=[a * float(n0)])
    return np.concatenate([[float(n0)], rest])


def chunks(n_steps: int, size: int) -> list[tuple[int, int]]:
    """``(start, length)`` of the chunks a run of ``n_steps`` is cut into (both engines use it)."""
    return [(s, min(size, n_steps - s)) for s in range(0, n_steps, size)]
