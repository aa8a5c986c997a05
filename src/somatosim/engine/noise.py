"""The seeded stochastic drive: an Ornstein–Uhlenbeck process sampled on the step grid.

Exact AR(1) discretisation of a unit-variance OU process with correlation time τ:
``n[i+1] = a·n[i] + sqrt(1 − a²)·ξ[i]``, ``a = exp(−Δt/τ)``. Subject ``j`` of a run with seed
``s`` draws ``ξ[i]`` from ``fold_in(fold_in(PRNGKey(s), stream), j)`` at counter ``i``, so its
noise does not depend on cohort size, on chunking, or on which engine integrates it.
"""

from __future__ import annotations

from functools import partial

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402

#: Stream numbers: the main run and the burn-in days use independent noise.
MAIN_STREAM = 0
BURN_IN_STREAM = 1


def subject_keys(seed: int, n_subjects: int, stream: int):
    """One PRNG key per subject, shape ``(n_subjects, 2)``."""
    base = jax.random.fold_in(jax.random.PRNGKey(int(seed)), stream)
    return jax.vmap(lambda j: jax.random.fold_in(base, j))(jnp.arange(n_subjects))


def innovation(keys, i):
    """Standard-normal innovation ξ[i] for each subject key (shape ``(n_subjects,)``)."""
    return jax.vmap(lambda k: jax.random.normal(jax.random.fold_in(k, i), dtype=jnp.float64))(keys)


def ou_coefficient(dt, tau):
    """AR(1) coefficient ``exp(−dt/τ)`` (dt and τ in min)."""
    return jnp.exp(-dt / tau)


def ou_path(keys, n_points: int, a, n0):
    """OU values ``n[0..n_points-1]`` for each key, shape ``(n_subjects, n_points)``.

    ``n[0] = n0``; step ``i`` uses the innovation at counter ``i + 1``, exactly as the fast
    engine draws them step by step.
    """
    return _ou_path(keys, int(n_points), jnp.asarray(a, dtype=jnp.float64), jnp.asarray(n0, dtype=jnp.float64))


def stationary_start(keys):
    """A draw from the stationary (standard normal) OU distribution per key (counter 0)."""
    return innovation(keys, 0)


@partial(jax.jit, static_argnums=1)
def _ou_path(keys, n_points, a, n0):
    c = jnp.sqrt(1.0 - a * a)

    def step(n, i):
        nxt = a * n + c * innovation(keys, i + 1)
        return nxt, nxt

    _, rest = jax.lax.scan(step, n0, jnp.arange(n_points - 1))
    return jnp.concatenate([n0[:, None], rest.T], axis=1)
