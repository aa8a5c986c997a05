"""Hill up- and down-regulation, the common currency of the Farhy–Veldhuis models.

Farhy LS, Bowers CY, Veldhuis JD. Am J Physiol Regul Integr Comp Physiol 2007;292:R1577-R1593.
"""


def hill_up(x, potency, n):
    r"""Stimulation :math:`(x/T)^n / (1 + (x/T)^n)`, 0 at x = 0 and 1/2 at x = T.

    ``x`` is clipped below at 0 so that tiny negative round-off never raises a power of a
    negative number. Units of ``x`` and ``potency`` must match; the result is unit-free.
    """
    r = (abs(x) * 0.5 + x * 0.5) / potency
    r = r**n
    return r / (1.0 + r)


def hill_down(x, potency, n):
    r"""Inhibition :math:`1 / (1 + (x/T)^n)`, 1 at x = 0 and 1/2 at x = T."""
    return 1.0 - hill_up(x, potency, n)
