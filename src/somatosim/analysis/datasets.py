"""Real hormone series shipped with somatosim."""

from __future__ import annotations

from importlib import resources

import pandas as pd

from somatosim.analysis.series import HormoneSeries

__all__ = ["LH_DIGGLE1990_CITATION", "load_lh_diggle1990"]

LH_DIGGLE1990_CITATION = (
    "Diggle PJ. Time Series: A Biostatistical Introduction. Oxford University Press, 1990 "
    "(Table A.1, series 3); the `lh` data set of R's datasets package."
)


def load_lh_diggle1990() -> HormoneSeries:
    """Luteinizing hormone of one woman, 48 samples every 10 min (8 h).

    The series distributed as R's ``lh`` data set (Diggle 1990, Table A.1,
    series 3). Units are as published (relative LH level, ``"a.u."``); no assay
    precision is published with it, so any error model is an assumption.

    Returns
    -------
    HormoneSeries
        Times 0-470 min, concentrations 1.4-3.5.
    """
    ref = resources.files("somatosim").joinpath("data", "lh_diggle1990.csv")
    with resources.as_file(ref) as path:
        frame = pd.read_csv(path, comment="#")
    return HormoneSeries.from_arrays(
        frame["time_min"].to_numpy(),
        frame["lh"].to_numpy(),
        units="a.u.",
        name="LH, Diggle 1990",
    )
