r"""An independent generator of pulsatile hormone series with known truth.

Used to validate the pulse-analysis methods. It shares no code with the analysis
model: instead of the closed-form burst response of
:mod:`somatosim.analysis.kinetics`, it integrates each exponential elimination
component exactly for a secretion rate that is piecewise linear on a fine grid
(step :attr:`SyntheticSpec.fine_step_min`):

.. math::

    C_c(t+h) = e^{-k_c h} C_c(t) + a_c \int_0^h e^{-k_c (h-s)} S(t+s)\,ds ,

started at the basal steady state :math:`C_c = a_c B / k_c` a burn-in period before
the first sample. Secretion is basal plus Gaussian bursts whose inter-burst intervals
are a minimum plus a gamma variate and whose masses are log-normal; the measured
series adds Gaussian noise with the SD of the stated error model.

Default values resemble a 24-h GH profile of a healthy adult, in µg/L: about 15
bursts per day, a slow GH half-life of 20 min (Holl et al., J Clin Endocrinol Metab
1993;77:216: 23 +/- 1 min), and the bi-exponential fast phase of
:data:`~somatosim.analysis.kinetics.GH_FAST_HALF_LIFE_MIN`. Burst-count and mass
defaults are illustrative, not fitted to data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.signal import lfilter

from somatosim.analysis.error_model import CVWithFloor, ErrorModel
from somatosim.analysis.exceptions import AnalysisInputError
from somatosim.analysis.kinetics import GH_FAST_HALF_LIFE_MIN, GH_SLOW_FRACTION
from somatosim.analysis.series import HormoneSeries

__all__ = ["SyntheticSeries", "SyntheticSpec", "simulate_pulsatile_series"]

LN2 = float(np.log(2.0))

#: Bursts are laid down over +/- this many SDs (the mass beyond is < 1e-15), and the
#: first burst is centred at least this far after the start of the burn-in.
BURST_TAIL_SDS = 8.0


@dataclass(frozen=True)
class SyntheticSpec:
    """Settings of the synthetic pulsatile-series generator.

    Attributes
    ----------
    duration_min : float
        Record length (min); samples at ``0, dt, ...`` strictly below it.
    sampling_interval_min : float
        Sampling interval (min); must be a multiple of ``fine_step_min``.
    basal_secretion_per_min : float
        Basal secretion rate (concentration units per min).
    mean_interpulse_min : float
        Mean interval between burst centres (min).
    min_interpulse_min : float
        Refractory minimum between burst centres (min).
    interpulse_shape : float
        Gamma shape of ``interval - min_interpulse_min`` (larger = more regular).
    mass_median : float
        Median burst mass (concentration units).
    mass_log_sd : float
        SD of log burst mass.
    burst_sd_min : float
        Gaussian burst SD (min).
    fast_half_life_min, slow_half_life_min : float
        Half-lives of the two elimination phases (min).
    slow_fraction : float
        Fraction of elimination amplitude in the slow phase (1 = mono-exponential
        with ``slow_half_life_min``).
    error_model : ErrorModel
        Measurement error added to the samples.
    burn_in_min : float
        Simulated time before the first sample (bursts occur there too).
    fine_step_min : float
        Integration grid step (min).
    units : str
        Concentration units written on the series.
    """

    duration_min: float = 1440.0
    sampling_interval_min: float = 10.0
    basal_secretion_per_min: float = 0.01
    mean_interpulse_min: float = 80.0
    min_interpulse_min: float = 20.0
    interpulse_shape: float = 3.0
    mass_median: float = 3.0
    mass_log_sd: float = 0.8
    burst_sd_min: float = 5.0
    fast_half_life_min: float = GH_FAST_HALF_LIFE_MIN
    slow_half_life_min: float = 20.0
    slow_fraction: float = GH_SLOW_FRACTION
    error_model: ErrorModel = field(default_factory=lambda: CVWithFloor(0.05, 0.01))
    burn_in_min: float = 180.0
    fine_step_min: float = 0.25
    units: str = "ug/L"

    def __post_init__(self) -> None:
        positive = (
            "duration_min",
            "sampling_interval_min",
            "mean_interpulse_min",
            "interpulse_shape",
            "mass_median",
            "burst_sd_min",
            "fast_half_life_min",
            "slow_half_life_min",
            "fine_step_min",
        )
        for name in positive:
            v = getattr(self, name)
            if not (np.isfinite(v) and v > 0):
                raise AnalysisInputError(
                    f"The {name!r} of SyntheticSpec must be a float in the range (0, inf). "
                    f"Got {v!r} instead."
                )
        for name in ("basal_secretion_per_min", "min_interpulse_min", "mass_log_sd", "burn_in_min"):
            v = getattr(self, name)
            if not (np.isfinite(v) and v >= 0):
                raise AnalysisInputError(
                    f"The {name!r} of SyntheticSpec must be a float in the range [0, inf). "
                    f"Got {v!r} instead."
                )
        if not 0 < self.slow_fraction <= 1:
            raise AnalysisInputError(
                "The 'slow_fraction' of SyntheticSpec must be a float in the range (0, 1]. "
                f"Got {self.slow_fraction!r} instead."
            )
        if self.min_interpulse_min >= self.mean_interpulse_min:
            raise AnalysisInputError(
                "The 'min_interpulse_min' of SyntheticSpec must be below mean_interpulse_min "
                f"({self.mean_interpulse_min:g}). Got {self.min_interpulse_min!r}."
            )
        ratio = self.sampling_interval_min / self.fine_step_min
        if abs(ratio - round(ratio)) > 1e-9:
            raise AnalysisInputError(
                "The 'sampling_interval_min' of SyntheticSpec must be a multiple of "
                f"fine_step_min ({self.fine_step_min:g}). Got {self.sampling_interval_min!r}."
            )


@dataclass(frozen=True)
class SyntheticSeries:
    """A simulated series and the truth behind it.

    Attributes
    ----------
    series : HormoneSeries
        The noisy samples.
    true_pulses : pandas.DataFrame
        Bursts centred within the record (first to last sample): ``time_min``,
        ``mass``.
    all_pulses : pandas.DataFrame
        Every simulated burst, including those of the burn-in period (negative
        times); for scoring detections at the edges of the record.
    noise_free : ndarray
        Concentration at the sample times before noise.
    spec : SyntheticSpec
        Generator settings.
    seed : int or None
        Seed used (None if a Generator was passed).
    """

    series: HormoneSeries
    true_pulses: pd.DataFrame
    all_pulses: pd.DataFrame
    noise_free: NDArray[np.float64]
    spec: SyntheticSpec
    seed: int | None

    def truth_dict(self) -> dict:
        """Spec and pulses as plain Python objects."""
        d = asdict(self.spec)
        d["error_model"] = self.spec.error_model.to_dict()
        d["true_pulses"] = self.true_pulses.to_dict(orient="list")
        return d


def _exact_exponential_filter(
    secretion: NDArray[np.float64], h: float, amp: float, rate: float, c_init: float
) -> NDArray[np.float64]:
    """Integrate dC/dt = amp*S - rate*C exactly for piecewise-linear S on step h."""
    lam = np.exp(-rate * h)
    i0 = (1.0 - lam) / rate
    i1 = h / rate - (1.0 - lam) / rate**2
    w1 = amp * i1 / h  # weight of S at the end of the step
    w0 = amp * (i0 - i1 / h)  # weight of S at the start of the step
    # C[n] = lam*C[n-1] + w1*S[n] + w0*S[n-1]; steady-state initial conditions
    zi = np.array([lam * c_init + w0 * secretion[0]])
    out, _ = lfilter([w1, w0], [1.0, -lam], secretion[1:], zi=zi)
    return np.concatenate([[c_init], out])


def simulate_pulsatile_series(
    spec: SyntheticSpec | None = None, *, seed: int | np.random.Generator
) -> SyntheticSeries:
    """Simulate one pulsatile series with known burst times and masses.

    Parameters
    ----------
    spec : SyntheticSpec, optional
        Generator settings (default: :class:`SyntheticSpec()`).
    seed : int or numpy.random.Generator
        Seed of all random draws (burst times, masses, noise). Required.

    Returns
    -------
    SyntheticSeries
    """
    spec = SyntheticSpec() if spec is None else spec
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    h = spec.fine_step_min
    start = -spec.burn_in_min
    # burst centres: renewal process with min + gamma intervals, started at a random phase
    scale = (spec.mean_interpulse_min - spec.min_interpulse_min) / spec.interpulse_shape
    centres = []
    tc = start + BURST_TAIL_SDS * spec.burst_sd_min + rng.uniform(0.0, spec.mean_interpulse_min)
    while tc < spec.duration_min:
        centres.append(tc)
        tc += spec.min_interpulse_min + rng.gamma(spec.interpulse_shape, scale)
    centres_arr = np.array(centres)
    masses = spec.mass_median * np.exp(spec.mass_log_sd * rng.standard_normal(centres_arr.size))

    n_fine = round((spec.duration_min - start) / h) + 1
    tf = start + h * np.arange(n_fine)
    secretion = np.full(n_fine, spec.basal_secretion_per_min)
    for c, m in zip(centres_arr, masses):
        half = BURST_TAIL_SDS * spec.burst_sd_min
        lo, hi = np.searchsorted(tf, [c - half, c + half])
        z = (tf[lo:hi] - c) / spec.burst_sd_min
        secretion[lo:hi] += m * np.exp(-0.5 * z * z) / (spec.burst_sd_min * np.sqrt(2 * np.pi))

    conc = np.zeros(n_fine)
    phases = [
        (1.0 - spec.slow_fraction, LN2 / spec.fast_half_life_min),
        (spec.slow_fraction, LN2 / spec.slow_half_life_min),
    ]
    for amp, rate in phases:
        if amp <= 0:
            continue
        c_init = amp * spec.basal_secretion_per_min / rate
        conc += _exact_exponential_filter(secretion, h, amp, rate, c_init)

    step = round(spec.sampling_interval_min / h)
    i0 = round(-start / h)
    idx = np.arange(i0, n_fine, step)
    idx = idx[tf[idx] < spec.duration_min - 1e-9]
    t_samp = tf[idx]
    clean = conc[idx]
    noisy = clean + spec.error_model.sd(clean) * rng.standard_normal(clean.size)
    noisy = np.maximum(noisy, 0.0)

    inside = (centres_arr >= 0.0) & (centres_arr <= t_samp[-1])
    truth = pd.DataFrame({"time_min": centres_arr[inside], "mass": masses[inside]})
    series = HormoneSeries.from_arrays(
        np.round(t_samp, 9), noisy, units=spec.units, name="synthetic"
    )
    return SyntheticSeries(
        series=series,
        true_pulses=truth.reset_index(drop=True),
        all_pulses=pd.DataFrame({"time_min": centres_arr, "mass": masses}),
        noise_free=clean,
        spec=spec,
        seed=None if isinstance(seed, np.random.Generator) else int(seed),
    )
