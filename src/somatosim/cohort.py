"""Virtual cohorts: many subjects with realistic, seeded spread of age and body size."""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from somatosim._validation import Interval, OneOf, check
from somatosim.subject import SUBJECT_CONSTRAINTS, Subject

#: Between-person spread (SD) of height, cm, and of log BMI, at fixed age and sex:
#: about 7 cm and 15 % (CDC 2000 charts; NHANES), used only to vary virtual cohorts.
HEIGHT_SD_CM = 7.0
LOG_BMI_SD = 0.15


@cache
def anthropometry() -> pd.DataFrame:
    """Median height (cm) and BMI by sex and age (``data/anthropometry.csv``)."""
    with resources.files("somatosim").joinpath("data/anthropometry.csv").open() as f:
        return pd.read_csv(f, comment="#")


def typical_size(age: float, sex: str) -> tuple[float, float]:
    """Median (height_cm, bmi) at ``age`` for ``sex``, linearly interpolated."""
    t = anthropometry()
    t = t[t.sex == sex]
    return float(np.interp(age, t.age_years, t.height_cm)), float(np.interp(age, t.age_years, t.bmi))


def virtual_cohort(
    n: int,
    *,
    sex: str = "male",
    age: tuple[float, float] = (20.0, 30.0),
    seed: int = 0,
    size_spread: bool = True,
    **traits,
) -> list[Subject]:
    """``n`` subjects of one sex with ages uniform in ``age`` and typical, seeded body sizes.

    Extra ``traits`` (e.g. ``visceral_fat_cm2=150``) are passed to every :class:`Subject`.
    Children sleep longer: under 13 y the habitual night is 21:00–07:00 unless given.
    """
    check("n", n, Interval(1, None))
    check("sex", sex, OneOf(("male", "female")))
    for a in age:
        check("age", a, SUBJECT_CONSTRAINTS["age"])
    rng = np.random.default_rng([int(seed), 7])
    ages = rng.uniform(age[0], age[1], n)
    out = []
    for a in ages:
        h, bmi = typical_size(a, sex)
        if size_spread:
            h += HEIGHT_SD_CM * (h / 176.0) * rng.standard_normal()
            bmi *= float(np.exp(LOG_BMI_SD * rng.standard_normal()))
        kw = dict(traits)
        if a < 13 and "sleep_onset_h" not in kw:
            kw.update(sleep_onset_h=21.0, sleep_duration_h=10.0)
        out.append(Subject(age=float(a), sex=sex, height_cm=float(h), weight_kg=float(bmi * (h / 100) ** 2), **kw))
    return out
