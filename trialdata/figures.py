"""The chart primitives every view draws with: one template, margins, wrapping by the room a text has, lane labels,
hover text, the status grid and its counted bars, slide restyling. No streamlit here.

Colours are Okabe-Ito (safe for the common colour-vision deficiencies) and never the only cue:
symbols and visible text labels carry the same meaning. Backgrounds are white so a figure reads
the same in Streamlit's light and dark themes, on a projector and in a screenshot.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Mapping
from typing import TypeVar

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from trialdata.provenance import plain
from trialdata.vocab import (
    BLACK,
    GREY,
    OKABE_ITO,
    ORANGE,
    SKY,
    STATUS_LOOKS,
    YELLOW,
    Look,
    label,
)

FONT = 17
# two lines: in one, the title is wider than the plot when long lane labels leave it little room
X_WEEKS = "weeks since the first administration<br>(a month = 30.4375 days)"
# the dotted line at week 0 (the first administration) on the dosing and follow-up views
START_LINE = dict(type="line", x0=0, x1=0, xref="x", y0=0, y1=1, yref="y domain", line=dict(color=GREY, dash="dot"))

pio.templates["msc"] = go.layout.Template(layout=go.Layout(
    font=dict(family="Source Sans Pro, Arial, sans-serif", size=FONT, color="#1f1f1f"),
    title=dict(font=dict(size=FONT + 5), x=0.012, xanchor="left", y=0.985, yanchor="top", yref="container"),
    paper_bgcolor="white", plot_bgcolor="white", colorway=OKABE_ITO,
    xaxis=dict(showgrid=True, gridcolor="#e6e6e6", zeroline=False, linecolor="#444", ticks="outside",
               automargin=False, title=dict(standoff=12)),
    yaxis=dict(showgrid=False, zeroline=False, linecolor="#444", ticks="outside", automargin=False),
    legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, font=dict(size=FONT - 1)),
    hoverlabel=dict(font=dict(size=FONT - 2), bgcolor="white", align="left"),
    margin=dict(l=20, r=30, t=90, b=60),
))


def one_pass(traces: list[dict], title: str, height: int, **layout) -> go.Figure:
    """The one house style (template, title, a height that fits the rows) applied to plain traces and layout
    in one validated pass: add_* and update_* validate the figure again at every call, which costs several
    times as much and grows with the number of trials."""
    # a key of one entry is still the key: plotly hides a legend of one trace, and what its colour means with it
    if "showlegend" not in layout and any(t.get("name") and t.get("showlegend") is not False for t in traces):
        layout["showlegend"] = True
    return go.Figure(data=traces, layout=dict(template="msc", title=title, height=height, **layout))


NARROW = set(" .,:;·()-–/'|")


def text_px(text: str, size: float) -> float:
    """A slightly generous width of a label in Source Sans Pro / Arial: capitals and digits ~0.6 em,
    lower case ~0.5 em, spaces and punctuation ~0.3 em."""
    return size * sum(0.3 if c in NARROW else 0.62 if c.isupper() or c.isdigit() else 0.5 for c in text)


def margins(y_labels=(), x_labels=(), *, y_title: bool | str = False, x_title: bool | str = False,
            x_angle: int = 0, tick_size: int = FONT, top: int = 90) -> dict:
    """Margins that fit the tick labels and axis titles, worked out here from the labels. Plotly's automargin
    would do it by drawing every chart twice (measured in Chromium: 1.5-1.8x the draw time), so it is only
    switched on for slide images (`slide_style`), where the type is larger."""
    def longest(labels) -> float:  # a label of several lines is as wide as its longest line
        return max((text_px(line, tick_size) for v in labels for line in str(v).split("<br>")), default=0)

    def title(text: bool | str) -> float:  # room for an axis title of one line, or of as many as it has
        return FONT * 1.3 * (str(text).count("<br>") + 1) + 12 if text else 0

    x_ticks = longest(x_labels) * math.sin(math.radians(abs(x_angle))) + tick_size if x_angle else tick_size * 1.4
    return dict(l=round(28 + longest(y_labels) + title(y_title)), r=30, t=top, b=round(28 + x_ticks + title(x_title)))


# the narrowest a chart is drawn: the app on a 1024 px screen with its sidebar open
FIGURE_PX = 564
SLIDE_PX, SLIDE_FONT = 1600, 22  # a slide's image, and the type it draws in (`slide_style`)
# the narrowest a slide's chart is drawn, in the slide's type: presentation mode on a 1024 px screen (784 px, its
# type at 0.75); the deck draws it 1100 px wide, an image download 1600
SLIDE_CHART_PX = 1040
# the lane labels' share of the narrowest figure: a registry id (IRCT's 22 characters) keeps one line, and the plot
# keeps the rest (one line of 70 characters left a 1024 px page no plot at all)
LANE_PX = round(FIGURE_PX * 0.42)
NOTES_PX = round(FIGURE_PX * 0.3)  # notes written right of the plot: the plot between them and the lanes keeps room
HOVER_PX = FIGURE_PX - 40  # a hover box inside the narrowest figure, beside the mark it points at


def wrapped(text: str, px: float, size: float) -> list[str]:
    """`text` on lines at most `px` wide in type of `size` px (measured by `text_px`), filled greedily: words kept
    whole unless a word alone is wider than the room, which then breaks between characters where the room ends."""
    lines, line = [], ""
    for word in text.split():
        joined = f"{line} {word}" if line else word
        if text_px(joined, size) <= px:
            line = joined
            continue
        if line:
            lines.append(line)
        while len(word) > 1 and text_px(word, size) > px:  # no line could hold it
            cut = next(i for i in range(len(word), 0, -1) if text_px(word[:i], size) <= px or i == 1)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    return [*lines, line] if line else lines


def wrap(text: str, px: float, size: float) -> str:
    """`text` wrapped to `px` (`wrapped`), its lines joined as plotly breaks a line."""
    return "<br>".join(wrapped(text, px, size))


def plot_px(margin: Mapping, figure_px: float = FIGURE_PX) -> float:
    """The plot's width in a figure `figure_px` wide (the narrowest unless told) with these margins."""
    return figure_px - margin["l"] - margin["r"]


def room_beside(x: float, x_range: tuple[float, float], plot: float, *, leftwards: bool = False) -> float:
    """Pixels from `x` (in axis units) to the plot's right edge, or to its left edge `leftwards`, in a plot `plot`
    pixels wide."""
    lo, hi = x_range
    return plot * ((x - lo) if leftwards else (hi - x)) / (hi - lo)


def lane_label(text: str, size: float = FONT, px: float = LANE_PX) -> str:
    """A long lane label on lines that fit `px` (the lane labels' share unless a chart works out its own): the left
    margin fits the longest line, so on a narrow screen the plot keeps its room."""
    return wrap(text, px, size)


def cohort_lane(lane: str) -> str:
    """A lane "trial · cohort" as drawn: the trial on one line, the cohort on the next (on one line the labels took
    350 px and left a 1024 px screen's chart a sliver)."""
    return "<br>".join(lane_label(part) for part in lane.split(" · "))


def note_text(*parts: str | None, px: float, size: float) -> str:
    """Escaped text written on a chart, each part on lines of its own that fit `px` in type of `size`: data never
    becomes markup, and a quote's registry markup is not shown."""
    return "<br>".join(html.escape(line) for part in parts if part for line in wrapped(plain(str(part)), px, size))


def hover_text(*parts: str | None) -> str:
    """Escaped, wrapped hover text (`note_text` in the hover's type, on lines a hover box holds)."""
    return note_text(*parts, px=HOVER_PX, size=FONT - 2)


def rows_height(n: int, per_row: int = 60, base: int = 220) -> int:
    return base + per_row * max(n, 1)


def ordered(values: list[str]) -> list[str]:
    """Categories in a stable order with the unknowns last."""
    unknown = [v for v in values if v.startswith(("not reported", "not applicable", "unclear"))]
    return sorted(v for v in values if v not in unknown) + sorted(unknown)


# the narrowest plot area a chart is drawn in (the app at 1280 px with its sidebar open): labels placed apart
# at this width stay apart at every wider one
PLOT_PX = 560


def marker_labels(lanes: list, xs: list[float], texts: list[str], px_per_unit: float,
                  size: int) -> tuple[list[str], list[str]]:
    """Labels for markers on horizontal lanes that never print over each other: each goes above its marker,
    or below when the label above would touch the previous one, and is left off (the hover and the table
    still give it) when both places are taken. Returns the texts and their text positions."""
    last_end: dict[tuple, float] = {}  # (lane, "top"/"bottom") -> right edge (px) of the last label there
    out_text, out_pos = [], []
    for i in sorted(range(len(xs)), key=lambda i: (str(lanes[i]), xs[i])):
        half = text_px(texts[i], size) / 2 + 3
        centre = xs[i] * px_per_unit
        slot = next((s for s in ("top", "bottom") if centre - half >= last_end.get((lanes[i], s), -math.inf)), None)
        out_text.append((i, texts[i] if slot else ""))
        out_pos.append((i, f"{slot or 'top'} center"))
        if slot:
            last_end[(lanes[i], slot)] = centre + half
    return [t for _, t in sorted(out_text)], [p for _, p in sorted(out_pos)]


LIGHT = {YELLOW, ORANGE, SKY}  # bar colours that need dark text on them


def status_grid(grid: pl.DataFrame, column: str, looks: Mapping, y: str,
                hover: Callable[[pl.DataFrame, Look], list[str]], *, size: int, ring: int,
                glyphs: bool = False) -> list[dict]:
    """The traces of a grid of trials (across) by `y` (down): one trace per code of `column`, in the order of its
    `looks`, its shape and colour in the legend; with `glyphs` the code's symbol is written in each marker too, so
    colour is never the only cue. The scorecard and the design features draw with it."""
    by_code = grid.partition_by(column, as_dict=True)
    traces = []
    for code, look in looks.items():
        rows = by_code.get((code.value,))
        if rows is None:
            continue
        trace = dict(type="scatter", name=f"{look.symbol} {look.label}" if glyphs else look.label,
                     x=rows["trial_id"].to_list(), y=rows[y].to_list(), mode="markers+text" if glyphs else "markers",
                     marker=dict(symbol=look.marker, size=size, color=look.colour, line=dict(color=look.colour,
                                                                                              width=ring)))
        if glyphs:
            ink = BLACK if look.colour in LIGHT or look.marker.endswith("open") else "white"
            trace |= dict(text=[look.symbol] * rows.height, textposition="middle center",
                          textfont=dict(size=FONT - 2, color=ink))
        traces.append(trace | dict(hovertext=hover(rows, look), hoverinfo="text"))
    return traces


def untitled(fig: go.Figure | None) -> go.Figure | None:
    """A copy without its title, for the app's page: the caption above the chart says the title, and a title does
    not wrap (on a 1024 px screen it was cut). Images, slides and the handout keep or place the title themselves."""
    if fig is None:
        return None
    out = go.Figure(fig)
    out.layout.title = None
    return out


def text_alternative(fig: go.Figure, rows: int, where: str = "in the table below it", counted: bool = False) -> str:
    """What a chart shows, in words, for people who cannot see it: its title, its axes, what its marks
    stand for (the legend), and that the table right under it holds every value it draws."""
    def title(axis) -> str:
        return re.sub(r"<br>", " ", axis.title.text or "") if axis and axis.title else ""

    axes = [t for t in (title(fig.layout.xaxis), title(fig.layout.yaxis)) if t]
    marks = [t.name for t in fig.data if t.name and t.showlegend is not False]
    parts = [f"Chart: {fig.layout.title.text}."]
    if axes:
        parts.append(f"Axes: {' and '.join(axes)}.")
    if marks:
        parts.append(f"Marks: {'; '.join(marks)}.")
    parts.append(f"Every count it draws is made from the {rows} rows {where}, each with its source." if counted
                 else f"Every value it draws is {where} ({rows} rows), with its source.")
    return " ".join(parts)


def slide_style(fig: go.Figure) -> go.Figure:
    """A copy sized for a 16:9 slide with type large enough to read from the back of a room."""
    out = go.Figure(fig)
    out.update_layout(width=SLIDE_PX, height=900, font=dict(size=SLIDE_FONT), title=dict(font=dict(size=30)),
                      legend=dict(font=dict(size=20)), hoverlabel=dict(font=dict(size=18)))
    out.update_xaxes(automargin=True)  # larger type than the margins were worked out for; one image, so
    out.update_yaxes(automargin=True)  # drawing twice does not matter here
    for annotation in out.layout.annotations:
        annotation.font.size = 19
    for axes in (out.for_each_xaxis, out.for_each_yaxis):  # a chart's own smaller tick type (a grid's labels)
        axes(lambda axis: axis.update(tickfont=dict(size=19)) if axis.tickfont.size else None)  # grows too
    squeeze = min(1.0, 900 / (fig.layout.height or 900))  # a taller figure is squeezed onto the slide: its
    for trace in out.data:                                  # markers shrink with it, so neighbouring rows stay apart
        if getattr(trace, "textfont", None) is not None:
            trace.textfont.size = 19
        size = getattr(getattr(trace, "marker", None), "size", None)  # a bar's marker has no size
        if squeeze < 1 and isinstance(size, int | float):
            trace.marker.size = round(size * squeeze, 1)
    return out


def scaled_type(fig: go.Figure, factor: float) -> go.Figure:
    """A copy with every size of type the figure sets (its hover's aside) and its markers' sizes multiplied by
    `factor`: a slide's chart drawn narrower than the deck draws it (presentation mode) keeps the deck's
    proportions of text to chart, so its text still fits. Margins, shifts and line widths stay as they are."""
    out = go.Figure(fig)
    if out.layout.uniformtext.minsize:  # else a label the deck shows would be hidden here
        out.layout.uniformtext.minsize = round(out.layout.uniformtext.minsize * factor, 1)

    def scale(font) -> None:
        if font.size:
            font.size = round(font.size * factor, 1)

    for font in (out.layout.font, out.layout.title.font, out.layout.legend.font):
        scale(font)
    for annotation in out.layout.annotations:
        scale(annotation.font)

    def scale_axis(axis) -> None:
        scale(axis.tickfont)
        scale(axis.title.font)

    for axes in (out.for_each_xaxis, out.for_each_yaxis):
        axes(scale_axis)
    for trace in out.data:
        if getattr(trace, "textfont", None) is not None:
            scale(trace.textfont)
        size = getattr(getattr(trace, "marker", None), "size", None)  # a bar's marker has no size
        if isinstance(size, int | float):
            trace.marker.size = round(size * factor, 1)
    return out


def rewrapped(note, px: float) -> str:
    """An annotation's text wrapped again to `px` in its own type: a slide is wider than the narrow screen its
    lines were cut for, and its type larger, so short lines would stack up taller than the room they have."""
    return note_text(html.unescape(note.text.replace("<br>", " ")), px=px, size=note.font.size or FONT)


def slide_plot_px(fig: go.Figure) -> float:
    """The plot's width where a slide's chart is narrowest, less the figure's margins, the left one grown with the
    slide's larger type (on a slide plotly fits the margins to the labels)."""
    return SLIDE_CHART_PX - (fig.layout.margin.l or 0) * SLIDE_FONT / FONT - (fig.layout.margin.r or 0)


def right_notes_px(notes: list[dict]) -> int:
    """A right margin that holds the notes written right of the plot (at least the room a P value takes)."""
    lines = [line for n in notes if n.get("xanchor") == "left" and n["x"] > 0
             for line in html.unescape(n["text"]).split("<br>")]
    return round(max([160, *[text_px(line, FONT - 3) + 24 for line in lines]]))


PATTERNS = ["/", "\\", "x", ".", "+", "-", "|", ""]  # bar fills, so a bar's kind is told without its colour (the
# last, a plain fill, is a kind of its own among the hatched ones)


def status_bars(counts: pl.DataFrame, lanes: Mapping[str, str], title: str, x_title: str) -> go.Figure:
    """A status grid too tall for a slide, counted: one bar per trial (`lanes`: trial -> its label) stacking how many
    items (`counts`: trial_id, status, items) have each status, in the grid's symbols, colours and patterns."""
    trials = sorted(lanes, reverse=True)  # the first at the top
    traces = []
    for (status, look), pattern in zip(STATUS_LOOKS.items(), PATTERNS[:len(STATUS_LOOKS)], strict=True):
        rows = counts.filter(pl.col("status") == status.value)
        if rows.is_empty():
            continue
        ink = BLACK if look.colour in LIGHT else "white"
        traces.append(dict(
            type="bar", orientation="h", name=f"{look.symbol} {look.label}", y=[lanes[t] for t in rows["trial_id"]],
            x=rows["items"].to_list(), text=[f"{look.symbol} {n}" for n in rows["items"]], textposition="inside",
            insidetextanchor="middle", textfont=dict(color=ink), textangle=0,  # too narrow a bar: hidden, not turned
            marker=dict(color=look.colour, pattern=dict(shape=pattern, fillmode="overlay", fgcolor=ink, fgopacity=0.4,
                                                        size=10, solidity=0.18)),
            hovertext=[f"{t}: {n} items {look.label}" for t, n in rows.select("trial_id", "items").iter_rows()],
            hoverinfo="text"))
    return one_pass(traces, title, rows_height(len(trials)),
                    barmode="stack", margin=margins(lanes.values(), x_title=True), legend=dict(traceorder="normal"),
                    uniformtext=dict(mode="hide", minsize=14),  # a count too wide for its bar is left to the hover
                    xaxis=dict(title=x_title),
                    yaxis=dict(type="category", categoryorder="array", categoryarray=[lanes[t] for t in trials]))


Code = TypeVar("Code", bound=str)  # a vocabulary's codes (a StrEnum's members)


def kind_bars(counts: pl.DataFrame, kind: str, colours: Mapping[Code, str], title: str, x_title: str,
              dtick: int | None = None, patterns: list[str] = PATTERNS) -> go.Figure:
    """Counts per trial, stacked by kind (`counts`: trial_id, `kind`, n), one colour and fill pattern per kind in
    `colours`' order (so a kind is told without its colour), with the counts written on the bars."""
    trials = sorted(counts["trial_id"].unique(), reverse=True)  # the first at the top
    by_kind = counts.partition_by(kind, as_dict=True)
    traces = []
    for (code, colour), pattern in zip(colours.items(), patterns[:len(colours)], strict=True):
        rows = by_kind.get((code,))
        if rows is None:
            continue
        ink = BLACK if colour in LIGHT else "white"
        ids, n = rows["trial_id"].to_list(), rows["n"].to_list()
        traces.append(dict(type="bar", name=label(code), y=ids, x=n, orientation="h", text=n,
                           marker=dict(color=colour, pattern=dict(shape=pattern, fillmode="overlay", fgcolor=ink,
                                                                  fgopacity=0.4, size=10, solidity=0.18)),
                           textposition="inside", insidetextanchor="middle", textfont=dict(color=ink),
                           hovertext=[f"{t}: {k} {label(code)}" for t, k in zip(ids, n, strict=True)],
                           hoverinfo="text"))
    return one_pass(traces, title, rows_height(len(trials)), barmode="stack", margin=margins(trials, x_title=True),
                    xaxis=dict(title=x_title, **({"dtick": dtick} if dtick else {})),
                    yaxis=dict(categoryorder="array", categoryarray=trials, type="category"))
