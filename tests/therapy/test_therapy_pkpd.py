"""The published PK/PD reference model of daily somatropin (Papathanasiou 2021): its derived
values, the exactness of the IGF-1 solution, steady-state and dose properties, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from somatosim._validation import InputError
from somatosim.therapy import reference_daily, reference_gh, reference_igf1, reference_parameters


def _kin_endogenous(q):
    """IGF-1 production at the endogenous GH level, ng/mL/h."""
    c = q["endogenous_gh"]
    return 60.0 * (q["kin0"] + q["emax"] * c / (q["ec50"] + c))


def test_reproduces_the_papers_derived_production_rates():
    # Table 3 derives Kin at endogenous GH: 1.97 ng/mL/h for 85-kg adults, 2.22 for 25-kg children.
    assert _kin_endogenous(reference_parameters(85.0)) == pytest.approx(1.97, abs=0.01)
    assert _kin_endogenous(reference_parameters(25.0, adult=False)) == pytest.approx(2.22, abs=0.01)


def test_igf1_solution_matches_an_ode_solver():
    t = np.arange(0.0, 5 * 1440.0 + 1.0, 10.0)
    gh = reference_gh(t, [(21 * 60.0 + d * 1440.0, 0.5) for d in range(5)], 70.0)
    ours = reference_igf1(t, gh, 70.0)
    q = reference_parameters(70.0)
    u = q["kin0"] + q["emax"] * gh / (q["ec50"] + gh)  # production, linear between samples

    def rhs(s, y):
        return [np.interp(s, t, u) - q["kout"] * y[0]]

    ref = solve_ivp(rhs, (t[0], t[-1]), [ours[0]], t_eval=t, rtol=1e-10, atol=1e-10, max_step=10.0).y[0]
    assert np.max(np.abs(ours - ref)) < 1e-6 * ref.max()


def test_constant_endogenous_gh_stays_at_steady_state():
    t = np.arange(0.0, 3 * 1440.0, 15.0)
    q = reference_parameters(60.0)
    igf = reference_igf1(t, np.full(t.shape, q["endogenous_gh"]), 60.0)
    assert np.allclose(igf, igf[0], rtol=1e-12)
    assert igf[0] == pytest.approx(_kin_endogenous(q) / 60.0 / q["kout"])


@settings(max_examples=25, deadline=None)
@given(dose=st.floats(0.05, 2.0), weight=st.floats(15.0, 120.0), adult=st.booleans())
def test_periodic_steady_state_mean_is_mean_production_over_kout(dose, weight, adult):
    # dI/dt = u(t) - kout I is linear, so over a repeated day mean(I) = mean(u) / kout exactly.
    ds = reference_daily(dose, 40, weight, adult=adult)
    q = reference_parameters(weight, adult)
    last = ds.time.values >= 39 * 1440.0
    gh = ds.gh.values[last]
    u = q["kin0"] + q["emax"] * gh / (q["ec50"] + gh)
    assert ds.igf1.values[last].mean() == pytest.approx(u.mean() / q["kout"], rel=0.01)


@settings(max_examples=20, deadline=None)
@given(low=st.floats(0.05, 1.0), factor=st.floats(1.05, 3.0), weight=st.floats(20.0, 110.0))
def test_more_gh_gives_more_igf1_with_diminishing_returns(low, factor, weight):
    def steady(d):
        ds = reference_daily(d, 21, weight)
        return ds.igf1.values[ds.time.values >= 20 * 1440.0].mean()

    base = reference_daily(0.0, 2, weight).igf1.values[0]
    a, b = steady(low), steady(low * factor)
    assert base < a < b
    assert (b - base) / (a - base) < factor  # saturable Emax: less than dose-proportional


def test_time_to_steady_state_follows_the_igf1_turnover():
    ds = reference_daily(0.4, 14, 70.0, step_min=5.0)
    morning = ds.igf1.values[np.searchsorted(ds.time.values, np.arange(14) * 1440.0 + 9 * 60.0)]
    frac = (morning - morning[0]) / (morning[-1] - morning[0])
    # turnover half-life ln 2 / 0.0262 /h = 26.5 h: 90 % of the rise within ~3.7 days
    assert 3.0 < np.interp(0.9, frac, np.arange(14)) < 4.5


@pytest.mark.parametrize("call, field", [
    (lambda: reference_parameters(-70.0), "weight_kg"),
    (lambda: reference_daily(-0.3, 7, 70.0), "dose_mg_per_day"),
    (lambda: reference_daily(0.3, 7, 70.0, injection_clock_h=25.0), "injection_clock_h"),
    (lambda: reference_gh([0.0, 10.0], [(0.0, -1.0)], 70.0), "amount_mg"),
    (lambda: reference_igf1([0.0, 10.0], [1.0, -1.0], 70.0), "gh"),
])
def test_bad_input_names_the_field(call, field):
    with pytest.raises(InputError, match=field):
        call()


def test_uneven_time_grid_is_refused():
    with pytest.raises(ValueError, match="evenly spaced"):
        reference_igf1([0.0, 10.0, 25.0], [1.0, 1.0, 1.0], 70.0)


def test_treatment_figure_draws_the_reference_dashed():
    import xarray as xr

    from somatosim.therapy import reference_treatment, treatment_figure

    ref = reference_treatment([(21 * 60.0 + d * 1440.0, 0.3) for d in range(7)], 7, 80.0)
    n = ref.sizes["time"]
    ds = xr.Dataset({"gh": (("subject", "time"), ref.gh.values[None] * 0.5),
                     "gh_agonist": (("subject", "time"), np.zeros((1, n))),
                     "igf1_sds": (("subject", "time"), np.zeros((1, n)))},
                    coords={"time": ref.time.values, "age": ("subject", [40.0]), "sex": ("subject", ["male"])})
    fig = treatment_figure(ds, reference=ref)
    for ax in fig.axes:
        dashed = [ln for ln in ax.get_lines() if "published PK/PD" in ln.get_label()]
        assert len(dashed) == 1 and dashed[0].get_linestyle() == "--"
        assert np.all(np.isfinite(dashed[0].get_ydata()))
    igf_sds = next(ln for ln in fig.axes[1].get_lines() if "published" in ln.get_label()).get_ydata()
    assert igf_sds[-1] > igf_sds[0]  # IGF-1 SDS rises on treatment
