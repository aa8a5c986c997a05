"""Lab reports of an :class:`~somatosim.clinic.interpretation.Interpretation`: Markdown and
self-contained HTML, with figures.

The report is first laid out as a list of blocks (headings, paragraphs, tables, lists,
figures); :func:`render_markdown` and :func:`render_html` write the same blocks in their own
syntax, so the two formats never drift apart. Every sentence carries numbered citations that
point into the report's source list.

Figures (matplotlib, object-oriented API on an Agg canvas, never ``pyplot``):

* ``igf1_reference.png`` — the person's IGF-1 on the reference centile band for their sex, by
  age (curves from :func:`somatosim.clinic.igf1.igf1_value_at_centile`);
* ``stimulation_peaks.png`` — each stimulation-test peak against its cut-off (only when the
  interpretation holds stimulation results).

The HTML embeds the figures as base64 PNG, so it is one file. :func:`report_files` gives the
bytes of every output file, for an all-or-nothing writer.

For research and teaching only; not medical advice.
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from somatosim.clinic.igf1 import igf1_value_at_centile
from somatosim.clinic.interpretation import (
    STANDING_STATEMENT,
    Interpretation,
    Statement,
)
from somatosim.clinic.knowledge import CONFIDENCE

__all__ = [
    "FIGURE_IGF1",
    "FIGURE_STIMULATION",
    "REPORT_FORMATS",
    "build_figures",
    "figure_png",
    "render_html",
    "render_markdown",
    "report_files",
]

#: File names of the figures.
FIGURE_IGF1 = "igf1_reference.png"
FIGURE_STIMULATION = "stimulation_peaks.png"

#: Report formats and their file names.
REPORT_FORMATS: dict[str, str] = {"md": "report.md", "html": "report.html"}

#: Saved figure resolution (dots per inch) and size (inches).
DPI = 120
FIGSIZE = (8.0, 4.8)

DEVICE_NOTE = "somatosim is not a medical device."

_SUITABILITY = {"suitable": "suitable", "caution": "use with caution",
                "not_recommended": "not recommended"}
_RESULT = {"below_cutoff": "below cut-off (GHD range)", "grey_zone": "indeterminate (3–5 µg/L)",
           "above_cutoff": "above cut-off (normal)", "not_interpretable": "not interpretable",
           "no_cutoff": "no cut-off"}
_RESULT_COLOR = {"below_cutoff": "tab:red", "grey_zone": "tab:orange",
                 "above_cutoff": "tab:green", "not_interpretable": "0.55", "no_cutoff": "0.55"}
_CAUSE_STATUS = {"supported": "supported by the data", "partly_assessed": "partly assessed",
                 "not_assessed": "not assessed", "not_supported": "not supported"}
_CHECK_STATUS = {"met": "met", "not_met": "not met", "not_assessed": "to ask / examine"}
_TESTING = {"not_indicated": "Not indicated", "one_test": "One stimulation test",
            "two_tests": "Two different stimulation tests", "retest": "Retest",
            "diagnosis_without_test": "Diagnosis without a stimulation test",
            "no_retest": "No retest"}


# ====================================================================== figures


def _new_figure() -> Figure:
    fig = Figure(figsize=FIGSIZE)
    FigureCanvasAgg(fig)
    return fig


def _footer(fig: Figure) -> None:
    fig.text(0.99, 0.01, "somatosim: " + STANDING_STATEMENT, ha="right", va="bottom",
             fontsize=7, color="0.4")


def igf1_figure(interp: Interpretation) -> Figure:
    """The person's IGF-1 on the 2.5th–97.5th centile band of the reference, by age."""
    f = interp.igf1
    child = interp.population == "child"
    lo_age, hi_age = (0.0, 20.0) if child else (18.0, 94.0)
    lo_age = min(lo_age, interp.age)
    hi_age = max(hi_age, interp.age)
    ages = np.linspace(lo_age, hi_age, 200)
    cents = (2.5, 50.0, 97.5)
    curves = {c: np.asarray(igf1_value_at_centile(c, ages, interp.sex, f.unit, f.reference))
              for c in cents}
    fig = _new_figure()
    ax = fig.add_subplot(1, 1, 1)
    ax.fill_between(ages, curves[2.5], curves[97.5], color="tab:blue", alpha=0.15,
                    label="2.5th–97.5th centile")
    ax.plot(ages, curves[50.0], color="tab:blue", lw=1.5, label="median")
    ax.plot(ages, curves[2.5], color="tab:blue", lw=0.8)
    ax.plot(ages, curves[97.5], color="tab:blue", lw=0.8)
    ax.plot([interp.age], [f.value], marker="o", ms=8, color="tab:red", ls="none",
            label=f"this person: {f.value:.3g} {f.unit} (SDS {f.sds:+.2f})")
    ax.set_xlim(lo_age, hi_age)
    ax.set_ylim(0, max(float(np.nanmax(curves[97.5])), f.value) * 1.1)
    ax.set_xlabel("age (years)")
    ax.set_ylabel(f"total IGF-1 ({f.unit})")
    ax.set_title(f"IGF-1 against {f.reference} ({interp.sex})", fontsize=10)
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    ax.grid(alpha=0.3)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    _footer(fig)
    return fig


def stimulation_figure(interp: Interpretation) -> Figure | None:
    """Each stimulation-test peak GH as a bar, with its cut-off as a black tick."""
    stims = interp.stimulation
    if not stims:
        return None
    fig = _new_figure()
    ax = fig.add_subplot(1, 1, 1)
    x = np.arange(len(stims))
    peaks = [s.peak_gh for s in stims]
    ax.bar(x, peaks, width=0.6, color=[_RESULT_COLOR[s.result] for s in stims])
    cut_label = "cut-off"
    for i, s in enumerate(stims):
        if s.cutoff is not None:
            ax.hlines(s.cutoff.value, i - 0.4, i + 0.4, color="black", lw=2, label=cut_label)
            cut_label = None
            if s.cutoff.grey_zone_max is not None:
                ax.hlines(s.cutoff.grey_zone_max, i - 0.4, i + 0.4, color="black", lw=1,
                          ls="--", label="upper end of the 3–5 µg/L range")
        ax.text(i, s.peak_gh, f"{s.peak_gh:.3g}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, [s.label.split(" (")[0] for s in stims], fontsize=8)
    top = max(peaks + [s.cutoff.value for s in stims if s.cutoff is not None]
              + [s.cutoff.grey_zone_max for s in stims
                 if s.cutoff is not None and s.cutoff.grey_zone_max is not None] + [1.0])
    ax.set_ylim(0, top * 1.25)
    ax.set_ylabel("peak GH (µg/L)")
    ax.set_title("GH stimulation tests: peak against cut-off", fontsize=10)
    for result in dict.fromkeys(s.result for s in stims):
        ax.bar([0], [0], width=0, color=_RESULT_COLOR[result], label=_RESULT[result])
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    _footer(fig)
    return fig


def build_figures(interp: Interpretation) -> dict[str, Figure]:
    """The report's figures by file name (the stimulation figure only with results)."""
    figs = {FIGURE_IGF1: igf1_figure(interp)}
    stim = stimulation_figure(interp)
    if stim is not None:
        figs[FIGURE_STIMULATION] = stim
    return figs


def figure_png(fig: Figure) -> bytes:
    """PNG bytes of a figure."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


# ======================================================================= layout


@dataclass(frozen=True)
class _Heading:
    level: int
    text: str


@dataclass(frozen=True)
class _Para:
    parts: tuple[Statement | str, ...]
    quote: bool = False


@dataclass(frozen=True)
class _List:
    items: tuple[tuple[Statement | str, ...], ...]


@dataclass(frozen=True)
class _Table:
    header: tuple[str, ...]
    rows: tuple[tuple[tuple[Statement | str, ...], ...], ...]


@dataclass(frozen=True)
class _Fig:
    name: str
    caption: str


@dataclass(frozen=True)
class _Sources:
    pass


def _cell(*parts: Statement | str | None) -> tuple[Statement | str, ...]:
    return tuple(p for p in parts if p not in (None, ""))


def _layout(interp: Interpretation, figure_names: Iterable[str]) -> list[object]:
    figs = set(figure_names)
    f = interp.igf1
    b: list[object] = [
        _Heading(1, "somatosim lab report" + (f": {interp.id}" if interp.id else "")),
        _Para((STANDING_STATEMENT + " " + DEVICE_NOTE,), quote=True),
    ]
    bmi = "not given" if interp.bmi is None else f"{interp.bmi:.1f} kg/m²"
    b.append(_Table(("", ""), (
        (("age",), (f"{interp.age:g} years",)),
        (("sex",), (interp.sex,)),
        (("BMI",), (bmi,)),
        (("rules applied",), ("adult (≥ 18 y)" if interp.population == "adult"
                              else "paediatric (< 18 y)",)),
    )))
    if interp.provenance:
        b.append(_Para(("Data source: " + "; ".join(f"{k} = {v}" for k, v in
                                                     interp.provenance.items()),)))
    if interp.warnings:
        b.append(_Heading(2, "Warnings"))
        b.append(_List(tuple((w,) for w in interp.warnings)))

    # IGF-1
    b.append(_Heading(2, "IGF-1"))
    other = (f"{f.value_ng_per_ml:.1f} ng/mL" if f.unit != "ng/mL"
             else f"{f.value_ng_per_ml * 0.1307:.2f} nmol/L")
    b.append(_Table(("", ""), (
        (("value",), (f"{f.value:.3g} {f.unit} (= {other})",)),
        (("SDS",), (f"{f.sds:+.2f}",)),
        (("centile",), (_centile(f.centile),)),
        (("band",), (f.band_text,)),
        (("reference median",), (f"{f.reference_median:.3g} {f.unit}",)),
        (("reference range (2.5th–97.5th centile)",),
         (f"{f.reference_lower:.3g}–{f.reference_upper:.3g} {f.unit}",)),
        (("reference",), (Statement(f"{f.reference}: {f.assay}", ("bidlingmaier2014",))
                          if f.reference == "bidlingmaier2014" else f"{f.reference}: {f.assay}",)),
    )))
    if FIGURE_IGF1 in figs:
        b.append(_Fig(FIGURE_IGF1, "IGF-1 of this person on the reference centile band for "
                                   f"{interp.sex}s, by age."))
    b.append(_List(tuple((n,) for n in f.notes)))

    # Testing
    t = interp.testing
    b.append(_Heading(2, "Is GH stimulation testing indicated?"))
    b.append(_Para((f"**{_TESTING[t.status]}.** ", t.summary)))
    if t.reasons:
        b.append(_List(tuple((r,) for r in t.reasons)))
    if t.tests_required:
        b.append(_Heading(3, "Tests for this person"))
        rows = []
        for o in t.options:
            cut = "—" if o.cutoff is None else Statement(
                f"{'≤' if o.cutoff.comparison == '<=' else '<'} {o.cutoff.value:g} µg/L"
                + (f" ({o.cutoff.basis})" if o.cutoff.basis and interp.population == "adult"
                   else ""), o.cutoff.sources)
            rows.append(((o.label,), (_SUITABILITY[o.suitability],), (cut,),
                         o.reasons or ("—",)))
        b.append(_Table(("test", "suitability", "GHD if peak", "why"), tuple(rows)))
        b.append(_Heading(3, "Protocol and safety notes"))
        for o in t.options:
            if o.suitability == "not_recommended" or not o.notes:
                continue
            b.append(_Para((f"**{o.label}**",)))
            b.append(_List(tuple((n,) for n in o.notes)))

    # Stimulation results
    b.append(_Heading(2, "Stimulation test results"))
    if not interp.stimulation:
        b.append(_Para(("No stimulation results were given.",)))
    else:
        rows = []
        for s in interp.stimulation:
            cut = "—" if s.cutoff is None else (
                f"{'≤' if s.cutoff.comparison == '<=' else '<'} {s.cutoff.value:g}")
            rows.append(((s.label,), (f"{s.peak_gh:.3g}",), (cut,), (_RESULT[s.result],),
                         (s.origin,)))
        b.append(_Table(("test", "peak GH (µg/L)", "GHD if peak (µg/L)", "reading", "origin"),
                        tuple(rows)))
        if FIGURE_STIMULATION in figs:
            b.append(_Fig(FIGURE_STIMULATION, "Peak GH of each test (bar) and the cut-off "
                                              "applied (black tick)."))
        for s in interp.stimulation:
            b.append(_Heading(3, s.label))
            items: list[tuple[Statement | str, ...]] = [(s.summary,)]
            if s.hypoglycaemia is not None:
                items.append((s.hypoglycaemia,))
            items += [(n,) for n in s.notes]
            items += [(Statement(f"Other cut-off: {c.label}", c.sources),)
                      for c in s.other_cutoffs]
            b.append(_List(tuple(items)))

    # Pattern
    p = interp.pattern
    b.append(_Heading(2, "Pattern"))
    b.append(_Para((f"**{p.title}.** ", p.summary)))
    b.append(_List(tuple((r,) for r in p.reasons)))

    # Causes
    b.append(_Heading(2, "Causes to consider and the tests that separate them"))
    if not interp.causes:
        b.append(_Para((("None listed: the pattern does not call for a differential of a low "
                        "IGF-1 or of a low stimulated GH."),)))
    else:
        rows = tuple(((c.name,), (_CAUSE_STATUS[c.status],),
                      ("; ".join(c.evidence) or "—",), ("; ".join(c.separating_tests),))
                     for c in interp.causes)
        b.append(_Table(("cause", "status", "findings", "separating tests"), rows))
        b.append(_List(tuple((f"{c.name}: ", c.association) for c in interp.causes)))
    if interp.lab_flags:
        b.append(_Heading(3, "Other blood tests"))
        rows = tuple(((lf.label,), (f"{lf.value:g} {lf.unit}",), (lf.flag.replace("_", " "),),
                      (Statement(lf.limits, ("somatosim",)),)) for lf in interp.lab_flags)
        b.append(_Table(("test", "value", "flag", "generic limits"), rows))

    # Checklists
    if interp.population == "adult":
        b.append(_Heading(2, "Adult checklist: features reported in adult GHD"))
    else:
        b.append(_Heading(2, "Child checklist: criteria for investigating the GH-IGF axis"))
    rows = tuple(((c.item,), (_CHECK_STATUS[c.status] + (f" ({c.detail})" if c.detail else ""),),
                  (c.evidence,)) for c in interp.checklist)
    b.append(_Table(("item", "status", "evidence"), rows))
    if interp.population == "adult":
        b.append(_Heading(2, "Long-term associations (meta-analyses of GH therapy in adult GHD)"))
        b.append(_List(tuple((f"{a.item}: ", a.evidence) for a in interp.associations)))
        b.append(_Para((("The research notes hold no source on mortality or cardiovascular "
                        "events in adult GHD; none are claimed here."),)))
    else:
        b.append(_Para((("The research notes hold no source on long-term risks of childhood "
                        "GHD beyond growth; none are claimed here."),)))

    b.append(_Heading(2, "Notes"))
    b.append(_List(tuple((n,) for n in interp.notes)))
    b.append(_Heading(2, "Sources"))
    b.append(_Sources())
    b.append(_Para((STANDING_STATEMENT + " " + DEVICE_NOTE
                    + f" Generated by somatosim {interp.somatosim_version}.",), quote=True))
    return b


def _centile(c: float) -> str:
    if c < 0.1:
        return "< 0.1"
    if c > 99.9:
        return "> 99.9"
    return f"{c:.1f}"


# ==================================================================== serialisers


class _Writer:
    def __init__(self, interp: Interpretation):
        self.interp = interp
        self.number = {s.key: i + 1 for i, s in enumerate(interp.sources)}

    def cites(self, sources: Sequence[str]) -> list[int]:
        return sorted({self.number[s] for s in sources if s in self.number})


class _Markdown(_Writer):
    def inline(self, parts: Sequence[Statement | str], table: bool = False) -> str:
        out = []
        for p in parts:
            if isinstance(p, Statement):
                nums = self.cites(p.sources)
                out.append(p.text + (f" [{', '.join(map(str, nums))}]" if nums else ""))
            else:
                out.append(p)
        text = "".join(out)
        return text.replace("|", "\\|").replace("\n", " ") if table else text

    def render(self, blocks: Sequence[object], figure_paths: Mapping[str, str]) -> str:
        lines: list[str] = []
        for blk in blocks:
            if isinstance(blk, _Heading):
                lines += ["#" * blk.level + " " + blk.text, ""]
            elif isinstance(blk, _Para):
                text = self.inline(blk.parts)
                lines += [("> " + text) if blk.quote else text, ""]
            elif isinstance(blk, _List):
                lines += ["- " + self.inline(i) for i in blk.items] + [""]
            elif isinstance(blk, _Table):
                lines.append("| " + " | ".join(blk.header) + " |")
                lines.append("|" + "---|" * len(blk.header))
                for row in blk.rows:
                    lines.append("| " + " | ".join(self.inline(c, table=True) for c in row) + " |")
                lines.append("")
            elif isinstance(blk, _Fig):
                lines += [f"![{blk.caption}]({figure_paths.get(blk.name, blk.name)})", "",
                          f"*{blk.caption}*", ""]
            elif isinstance(blk, _Sources):
                for s in self.interp.sources:
                    lines.append(f"{self.number[s.key]}. {s.citation} "
                                 f"[{s.confidence}: {CONFIDENCE[s.confidence]}]")
                lines.append("")
        return "\n".join(lines).rstrip() + "\n"


class _Html(_Writer):
    def inline(self, parts: Sequence[Statement | str]) -> str:
        out = []
        for p in parts:
            if isinstance(p, Statement):
                nums = self.cites(p.sources)
                out.append(_bold(html.escape(p.text)))
                if nums:
                    links = ", ".join(f'<a href="#src-{n}">{n}</a>' for n in nums)
                    out.append(f'<sup class="cite">[{links}]</sup>')
            else:
                out.append(_bold(html.escape(p)))
        return "".join(out)

    def render(self, blocks: Sequence[object], figures_png: Mapping[str, bytes]) -> str:
        body: list[str] = []
        for blk in blocks:
            if isinstance(blk, _Heading):
                body.append(f"<h{blk.level}>{html.escape(blk.text)}</h{blk.level}>")
            elif isinstance(blk, _Para):
                inner = self.inline(blk.parts)
                body.append(f'<p class="statement">{inner}</p>' if blk.quote
                            else f"<p>{inner}</p>")
            elif isinstance(blk, _List):
                body.append("<ul>" + "".join(f"<li>{self.inline(i)}</li>" for i in blk.items)
                            + "</ul>")
            elif isinstance(blk, _Table):
                head = "".join(f"<th>{html.escape(h)}</th>" for h in blk.header)
                rows = "".join("<tr>" + "".join(f"<td>{self.inline(c)}</td>" for c in row)
                               + "</tr>" for row in blk.rows)
                thead = f"<thead><tr>{head}</tr></thead>" if any(blk.header) else ""
                body.append(f"<table>{thead}<tbody>{rows}</tbody></table>")
            elif isinstance(blk, _Fig):
                png = figures_png.get(blk.name)
                if png is not None:
                    data = base64.b64encode(png).decode("ascii")
                    body.append(f'<figure><img alt="{html.escape(blk.caption)}" '
                                f'src="data:image/png;base64,{data}">'
                                f"<figcaption>{html.escape(blk.caption)}</figcaption></figure>")
            elif isinstance(blk, _Sources):
                items = "".join(
                    f'<li id="src-{self.number[s.key]}">{html.escape(s.citation)} '
                    f'<span class="conf">[{s.confidence}: '
                    f"{html.escape(CONFIDENCE[s.confidence])}]</span></li>"
                    for s in self.interp.sources)
                body.append(f"<ol>{items}</ol>")
        title = html.escape("somatosim lab report" + (f": {self.interp.id}"
                                                       if self.interp.id else ""))
        return (
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{title}</title><style>{_CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n"
        )


def _bold(escaped: str) -> str:
    """Turn Markdown ``**x**`` (already HTML-escaped text) into ``<strong>x</strong>``."""
    parts = escaped.split("**")
    if len(parts) < 3 or len(parts) % 2 == 0:
        return escaped
    return "".join(p if i % 2 == 0 else f"<strong>{p}</strong>" for i, p in enumerate(parts))


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:60rem;
margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:1px solid #ccc;margin-top:2rem}
h3{font-size:1.05rem}table{border-collapse:collapse;margin:.5rem 0 1rem}
td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#f3f3f3}.statement{background:#fff4d6;border-left:4px solid #e0a800;
padding:.5rem .8rem}sup.cite{font-size:.7em}sup.cite a{text-decoration:none}
figure{margin:1rem 0}figure img{max-width:100%}figcaption{font-size:.9em;color:#555}
.conf{color:#666;font-size:.85em}
""".strip()


# ======================================================================= public


def render_markdown(
    interp: Interpretation, figure_paths: Mapping[str, str] | None = None
) -> str:
    """The report as Markdown.

    ``figure_paths`` maps figure names (:data:`FIGURE_IGF1`, :data:`FIGURE_STIMULATION`) to the
    paths the Markdown links to (default: the names themselves, i.e. files beside the report).
    Pass an empty mapping to leave the figures out.
    """
    if figure_paths is None:
        names = [FIGURE_IGF1] + ([FIGURE_STIMULATION] if interp.stimulation else [])
        figure_paths = {n: n for n in names}
    blocks = _layout(interp, figure_paths.keys())
    return _Markdown(interp).render(blocks, figure_paths)


def render_html(interp: Interpretation, figures_png: Mapping[str, bytes] | None = None) -> str:
    """The report as one self-contained HTML page (figures embedded as base64 PNG).

    ``figures_png``: PNG bytes by figure name; default: drawn with :func:`build_figures`.
    """
    if figures_png is None:
        figures_png = {name: figure_png(fig) for name, fig in build_figures(interp).items()}
    blocks = _layout(interp, figures_png.keys())
    return _Html(interp).render(blocks, figures_png)


def report_files(
    interp: Interpretation, formats: Iterable[str] = ("md", "html")
) -> dict[str, bytes]:
    """Every output file of a report, as bytes by file name.

    Always ``interpretation.json`` and the figure PNGs; ``report.md`` and/or ``report.html``
    for ``formats`` (``"md"``, ``"html"``).
    """
    formats = tuple(formats)
    unknown = [f for f in formats if f not in REPORT_FORMATS]
    if unknown or not formats:
        from somatosim.clinic.errors import ClinicInputError

        raise ClinicInputError("formats", formats, "one or more of " + ", ".join(REPORT_FORMATS))
    pngs = {name: figure_png(fig) for name, fig in build_figures(interp).items()}
    files: dict[str, bytes] = {
        "interpretation.json": (json.dumps(interp.as_dict(), indent=2, ensure_ascii=False)
                                + "\n").encode("utf-8"),
        **pngs,
    }
    if "md" in formats:
        files[REPORT_FORMATS["md"]] = render_markdown(
            interp, {n: n for n in pngs}).encode("utf-8")
    if "html" in formats:
        files[REPORT_FORMATS["html"]] = render_html(interp, pngs).encode("utf-8")
    return files
