"""Product pharmacokinetics as events, and the sampling-day correction (no axis simulation)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.integrate import trapezoid

from somatosim import InputError
from somatosim.schedule import CHANNELS, Schedule, input_grid
from somatosim.therapy import (
    LONAPEG_TABLE,
    average_igf1,
    average_igf1_sds,
    injection,
    sampling_day_correction,
    single_dose_profile,
)
from somatosim.therapy.products import (
    absorption_concentration,
    bateman_tmax,
    chain_flux,
    default_parameters,
    get_product,
    ka_for_tmax,
    transit_absorption_flux,
    transit_peak_flux,
)

P = default_parameters()
T = np.linspace(0.0, 400.0 * 60, 48001)  # min


def test_somatropin_absorption_mass_and_peak():
    ka, n = P["rx_somatropin_ka"] / 60.0, P["rx_somatropin_absorption_stages"]
    f = transit_absorption_flux(T, 1000.0, ka, n)
    assert trapezoid(f, T) == pytest.approx(1000.0, rel=1e-4)
    assert T[np.argmax(f)] / 60.0 == pytest.approx((n - 1) / P["rx_somatropin_ka"], rel=1e-3)
    assert f.max() == pytest.approx(transit_peak_flux(1000.0, ka, n), rel=1e-4)
    assert transit_absorption_flux(-5.0, 1000.0, ka, n) == 0.0


@given(st.floats(0.001, 0.05), st.floats(0.001, 0.05))
def test_chain_flux_conserves_mass_and_is_symmetric(k1, k2):
    f = chain_flux(T, 1.0, k1, k2)
    assert np.allclose(f, chain_flux(T, 1.0, k2, k1))
    tail = np.exp(-min(k1, k2) * T[-1]) * (1 + max(k1, k2) / abs(k1 - k2 + 1e-12))
    assert trapezoid(f, T) == pytest.approx(1.0, abs=2e-3 + tail)


@given(st.floats(0.01, 1.0), st.floats(0.001, 0.05))
def test_tmax_inverse(ka_extra, ke):
    ka = ke * (1.0 + ka_extra * 20)
    assert ka_for_tmax(bateman_tmax(ka, ke), ke) == pytest.approx(ka, rel=1e-6)


def test_analogue_concentration_auc():
    ka, ke = 0.01, 0.001
    c = absorption_concentration(np.linspace(0, 2e4, 400001), 500.0, 2.0, ka, ke)
    assert trapezoid(c, np.linspace(0, 2e4, 400001)) == pytest.approx(500.0 / (2.0 * ke), rel=2e-3)


def test_injection_events_act_on_their_channels():
    t = np.arange(0.0, 3 * 1440.0 + 1, 0.5)
    for product, channel in (("somatropin", "gh_infusion"), ("lonapegsomatropin", "gh_infusion"),
                             ("somapacitan", "gh_agonist"), ("somatrogon", "gh_agonist")):
        ev = injection(product, 600.0, 1.0, 70.0)
        grid = input_grid(Schedule(events=(ev,)), t, P)
        col = {name: grid[:, j] for j, name in enumerate(CHANNELS)}
        assert col[channel].max() > 0 and np.all(col[channel][t < 600.0] == 0)
        other = "gh_agonist" if channel == "gh_infusion" else "gh_infusion"
        assert np.all(col[other] == 0)
        assert ev.end > ev.start + 24 * 60
    # the somatropin that enters in 3 days is F x dose
    ev = injection("somatropin", 0.0, 1.0, 70.0)
    grid = input_grid(Schedule(events=(ev,)), t, P)
    assert trapezoid(grid[:, list(CHANNELS).index("gh_infusion")], t) == pytest.approx(
        1000.0 * P["rx_somatropin_bioavailability"], rel=1e-3)


def test_single_dose_profiles_and_products():
    h, flux = single_dose_profile("somatropin", 1.0)
    assert 3.5 < h[np.argmax(flux)] < 5.0
    h, conc = single_dose_profile("somatrogon", 0.66 * 25, weight_kg=25, adult=False)
    assert h[np.argmax(conc)] == pytest.approx(P["rx_somatrogon_tmax"], abs=0.2)
    assert get_product("NGENLA").key == "somatrogon"
    with pytest.raises(InputError, match="product"):
        get_product("insulin")
    with pytest.raises(InputError, match="amount_mg"):
        injection("somatropin", 0.0, -1.0, 70.0)


def test_published_sampling_day_correction():
    for day, diff, ratio in LONAPEG_TABLE:
        assert sampling_day_correction("lonapegsomatropin", day) == pytest.approx(diff)
        assert average_igf1(100.0 * ratio, day) == pytest.approx(100.0)
    # measured +1.0 on day 2 after the dose: weekly average +0.33
    assert average_igf1_sds(1.0, "Skytrofa", 2.0) == pytest.approx(0.33)
    assert sampling_day_correction("somapacitan", 4.0, source="published") == 0.0
    with pytest.raises(InputError, match="only the mean day"):
        sampling_day_correction("somapacitan", 2.0, source="published")
    with pytest.raises(InputError, match="day"):
        sampling_day_correction("lonapegsomatropin", 8.0)
    with pytest.raises(InputError, match="once-weekly"):
        sampling_day_correction("somatropin", 2.0)
    with pytest.raises(InputError, match="source"):
        sampling_day_correction("lonapegsomatropin", 2.0, source="guess")
