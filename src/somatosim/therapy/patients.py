"""Virtual patients for therapy studies: GH deficiency and oral estrogen, as subject conditions.

Severe GH deficiency is loss of somatotrophs (:class:`somatosim.conditions.PituitaryDamage`,
default severity ``rx_ghd_severity`` = 0.98, i.e. 2 % of the somatotroph mass left — the
severity of the core ``gh_deficiency`` validation scenario); deficiency since childhood is
:class:`~somatosim.conditions.ChildhoodOnsetGHD`, which also lowers the liver's response to GH.
Oral estrogen is the conditions module's :class:`~somatosim.conditions.sex_hormones.Estrogen`
(oral route: hepatic GH resistance through ``ghr_sensitivity``, the effect size shared with the
lifestyle module and sized on Weissberger 1991) at ``rx_oral_estrogen_dose`` µg/day
ethinylestradiol unless given. All act on the subject's parameters, never on outputs.
"""

from __future__ import annotations

from somatosim._validation import InputError
from somatosim.conditions import ChildhoodOnsetGHD, PituitaryDamage
from somatosim.conditions.sex_hormones import Estrogen
from somatosim.subject import Subject
from somatosim.therapy.products import default_parameters

#: Ages of onset of GH deficiency that :func:`ghd_patient` distinguishes.
ONSETS = ("adult", "childhood")


def ghd_patient(age: float = 40.0, sex: str = "male", *, severity: float | None = None,
                onset: str = "adult", oral_estrogen: bool | float = False, conditions: tuple = (),
                **traits) -> Subject:
    """A :class:`~somatosim.Subject` with severe GH deficiency (and, optionally, oral estrogen).

    Parameters
    ----------
    age, sex, **traits
        As for :class:`~somatosim.Subject` (height_cm, weight_kg, postmenopausal, ...).
    severity : float, optional
        Fraction of somatotrophs lost (0–1; default ``rx_ghd_severity``).
    onset : {"adult", "childhood"}
        ``"childhood"``: deficiency since childhood (:class:`~somatosim.conditions.ChildhoodOnsetGHD`),
        whose liver responds to GH at ``childhood_onset_ghr_sensitivity`` of an adult-onset
        patient's, so it needs about twice the dose for the same IGF-1.
    oral_estrogen : bool or float
        ``True`` for the default oral dose, or a dose in µg/day ethinylestradiol-equivalent.
        Women only.
    conditions : tuple
        Further conditions.
    """
    p = default_parameters()
    sev = p["rx_ghd_severity"] if severity is None else severity
    if onset not in ONSETS:
        raise InputError(f"onset = {onset!r} is not allowed: expected one of {', '.join(map(repr, ONSETS))}")
    extra = [PituitaryDamage(severity=sev) if onset == "adult" else ChildhoodOnsetGHD(severity=sev)]
    if oral_estrogen is not False and oral_estrogen is not None:
        if sex != "female":
            raise InputError(f"oral_estrogen = {oral_estrogen!r} is not allowed for sex = {sex!r}: "
                             "expected a female subject")
        dose = p["rx_oral_estrogen_dose"] if oral_estrogen is True else oral_estrogen
        extra.append(Estrogen(dose_ug_per_day=dose, route="oral", drug="ethinylestradiol"))
    return Subject(age=age, sex=sex, conditions=tuple(extra) + tuple(conditions), **traits)


def on_oral_estrogen(subject: Subject) -> bool:
    """Whether a subject takes oral estrogen (an oral-route estrogen condition)."""
    return any(getattr(c, "name", "") in ("estrogen", "oral_estrogen") and getattr(c, "route", "oral") == "oral"
               for c in subject.conditions)


def ghd_cohort(n: int, *, age: tuple[float, float] = (30.0, 60.0), sex: str = "both", seed: int = 0,
               severity: float | None = None, onset: str = "adult",
               oral_estrogen_share: float = 0.0) -> list[Subject]:
    """``n`` virtual GHD patients with seeded ages and body sizes (:func:`somatosim.virtual_cohort`).

    ``sex="both"`` alternates men and women (men first); ``oral_estrogen_share`` of the women
    (premenopausal or not) take oral estrogen; ``onset`` as for :func:`ghd_patient`.
    """
    import dataclasses

    from somatosim.cohort import virtual_cohort

    if sex not in ("both", "male", "female"):
        raise InputError(f"sex = {sex!r} is not allowed: expected 'both', 'male' or 'female'")
    if not 0.0 <= oral_estrogen_share <= 1.0:
        raise InputError(f"oral_estrogen_share = {oral_estrogen_share!r} is not allowed: expected a number in [0, 1]")
    sexes = ["male", "female"] if sex == "both" else [sex]
    pools = {s: virtual_cohort(n, sex=s, age=age, seed=seed + k) for k, s in enumerate(sexes)}
    out, women = [], 0
    for i in range(n):
        s = sexes[i % len(sexes)]
        base = pools[s][i]
        oral = False
        if s == "female":
            oral = women < round(oral_estrogen_share * sum(1 for j in range(n) if sexes[j % len(sexes)] == "female"))
            women += 1
        patient = ghd_patient(base.age, s, severity=severity, onset=onset, oral_estrogen=oral)
        out.append(dataclasses.replace(base, conditions=patient.conditions))
    return out
