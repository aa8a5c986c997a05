"""The GH/IGF-1 axis as pure vector-field functions, one module per organ.

Every function here is written once and works on NumPy and JAX arrays alike: states and
inputs carry any leading (subject) axes and the last axis indexes the variables. The
engines in :mod:`somatosim.engine` only integrate :func:`somatosim.model.axis.vector_field`.
"""

from somatosim.model.axis import INPUTS, STATES, vector_field

__all__ = ["INPUTS", "STATES", "vector_field"]
