"""The fast engine (JAX RK4) agrees with the reference engine (SciPy DOP853) over 48 h."""

import numpy as np
import pytest

from somatosim.simulation import simulate
from somatosim.subject import Subject

#: Agreement criterion: |fast - reference| <= RTOL * |reference| + ATOL, with an absolute floor
#: per output so that near-zero values between pulses are not held to a relative bound:
#: GH 0.005 ug/L (a tenth of a typical nadir), secretion 0.002 ug/L/min (0.1 % of a sleep-onset
#: burst peak), IGF-1 0.5 ng/mL, free IGF-1 0.005 ng/mL. Measured at the default step (0.5 min),
#: one day, seed 5: worst GH error 0.03 % of the value, secretion 0.001 ug/L/min, IGF-1 0.001 ng/mL.
RTOL = 0.01
ATOL = {"gh": 0.005, "gh_secretion": 0.002, "igf1_total": 0.5, "igf1_free": 0.005}


@pytest.mark.parametrize("subject", [Subject(age=25, sex="male")])
def test_fast_and_reference_agree_over_48h(subject):
    kw = {"days": 2, "seed": 5, "outputs": tuple(ATOL)}
    fast = simulate(subject, engine="fast", **kw)
    ref = simulate(subject, engine="reference", **kw)
    for name, atol in ATOL.items():
        f, r = fast[name].values, ref[name].values
        excess = np.abs(f - r) - (RTOL * np.abs(r) + atol)
        assert excess.max() <= 0.0, f"{name}: worst excess {excess.max():.3g}"
