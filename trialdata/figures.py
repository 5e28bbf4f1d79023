"""Tidy frame -> plotly Figure. One template; no streamlit here.

Colours are Okabe-Ito (safe for the common colour-vision deficiencies) and never the only cue:
symbols and visible text labels carry the same meaning. Backgrounds are white so a figure reads
the same in Streamlit's light and dark themes, on a projector and in a screenshot.
"""

from __future__ import annotations

import html
import math
import re
import textwrap

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from trialdata.provenance import plain
from trialdata.tables import KABAT_2020
from trialdata.transforms import DOMAIN_ORDER
from trialdata.vocab import (
    BLACK,
    BLUE,
    FEATURE_LOOKS,
    FINDING_COLOURS,
    GREEN,
    GREY,
    OKABE_ITO,
    ORANGE,
    SKY,
    SPREAD_KINDS,
    STATUS_LOOKS,
    VERDICT_LOOKS,
    VERMILLION,
    YELLOW,
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


def _text_px(text: str, size: int) -> float:
    """A slightly generous width of a label in Source Sans Pro / Arial: capitals and digits ~0.6 em,
    lower case ~0.5 em, spaces and punctuation ~0.3 em."""
    return size * sum(0.3 if c in NARROW else 0.62 if c.isupper() or c.isdigit() else 0.5 for c in text)


def margins(y_labels=(), x_labels=(), *, y_title: bool | str = False, x_title: bool | str = False,
            x_angle: int = 0, tick_size: int = FONT, top: int = 90) -> dict:
    """Margins that fit the tick labels and axis titles, worked out here from the labels. Plotly's automargin
    would do it by drawing every chart twice (measured in Chromium: 1.5-1.8x the draw time), so it is only
    switched on for slide images (`slide_style`), where the type is larger."""
    def longest(labels) -> float:  # a label of several lines is as wide as its longest line
        return max((_text_px(line, tick_size) for v in labels for line in str(v).split("<br>")), default=0)

    def title(text: bool | str) -> float:  # room for an axis title of one line, or of as many as it has
        return FONT * 1.3 * (str(text).count("<br>") + 1) + 12 if text else 0

    x_ticks = longest(x_labels) * math.sin(math.radians(abs(x_angle))) + tick_size if x_angle else tick_size * 1.4
    return dict(l=round(28 + longest(y_labels) + title(y_title)), r=30, t=top, b=round(28 + x_ticks + title(x_title)))


def lane_label(text: str, width: int = 36) -> str:
    """A long lane label on lines of at most `width` characters: the left margin fits the longest line, so on a
    narrow screen the plot keeps its room (one line of 70 characters left a 1024 px page no plot at all)."""
    return "<br>".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


def cohort_lane(lane: str) -> str:
    """A lane "trial · cohort" as drawn: the trial on one line, the cohort on the next (on one line the labels took
    350 px and left a 1024 px screen's chart a sliver)."""
    return "<br>".join(lane_label(part, 28) for part in lane.split(" · "))


def hover_text(*parts: str | None, width: int = 70) -> str:
    """Escaped, wrapped hover text: data never becomes markup, and a quote's registry markup is not shown."""
    lines = []
    for part in parts:
        if part:
            lines += textwrap.wrap(html.escape(plain(str(part))), width) or [""]
    return "<br>".join(lines)


def _rows_height(n: int, per_row: int = 60, base: int = 220) -> int:
    return base + per_row * max(n, 1)


# --- sample sizes -----------------------------------------------------------------------------------


# the sample-size chart's vertical layout, in y units (PX_PER_UNIT pixels each): every claim drawn as a marker
# gets its own line under its trial's bar, so two labels never share a line and cannot print over each other
# (an uploaded 65-participant trial squeezed NCT06574581's "10 (crick)" and "16 (meddatax)" into one)
CLAIM_STEP, BAR_WIDTH, TRIAL_GAP, PX_PER_UNIT = 0.3, 0.36, 0.4, 90


def sample_size_layout(points: pl.DataFrame) -> tuple[dict[str, float], dict[str, float], list[float], float]:
    """Where each trial's bar, tick and marker claims go: (bar y per trial, tick y per trial, a y per row of
    `points` (None for rows not drawn as markers), the height of the whole stack in y units). Trials run
    top to bottom by id; a trial's marker claims sit on lines of their own under its bar."""
    trials = sorted(points["trial_id"].unique(), reverse=True)  # the bottom one first
    markers = points.with_row_index("row").filter(pl.col("plotted_as") == "marker").sort(
        "trial_id", "measure", "participants", "source", descending=[False, True, False, False], nulls_last=True)
    rows_of = {t: group["row"].to_list() for (t,), group in markers.partition_by("trial_id", as_dict=True).items()}
    bar_y, tick_y, row_y, y = {}, {}, [None] * points.height, 0.0
    for tid in trials:
        rows = rows_of.get(tid, [])
        for k, row in enumerate(rows):  # the first claim right under the bar
            row_y[row] = y + CLAIM_STEP * (len(rows) - 1 - k) + CLAIM_STEP / 2
        bottom = y + CLAIM_STEP * len(rows)
        bar_y[tid] = bottom + BAR_WIDTH / 2 + 0.04
        tick_y[tid] = bar_y[tid]  # the trial's name beside its bar, its other claims under it
        y = bar_y[tid] + BAR_WIDTH / 2 + TRIAL_GAP
    return bar_y, tick_y, row_y, y - TRIAL_GAP


def sample_size_figure(points: pl.DataFrame) -> go.Figure:
    """Per trial: the target as a bar, and below it every other claim (other sources, actual) as a marker on
    a line of its own, labelled with its number and source.

    A target that is not reported gets no bar, only a visible "not reported" label; which row goes
    where is in the `plotted_as` column of the table under the chart.
    """
    bar_y, tick_y, row_y, span = sample_size_layout(points)
    top = points["participants"].max() or 1
    x_max = top * 1.15
    placed = points.with_columns(pl.Series("y", row_y, dtype=pl.Float64))

    def hovers(rows: pl.DataFrame) -> list[str]:
        return [hover_text(f"{t}: {lab}", r, n) for t, lab, r, n in
                rows.select("trial_id", "label", "receipt", "note").iter_rows()]

    bars = placed.filter(pl.col("plotted_as") == "bar")
    traces = [dict(
        type="bar", name="target (headline claim)", y=[bar_y[t] for t in bars["trial_id"]],
        x=bars["participants"].to_list(), orientation="h", width=BAR_WIDTH, marker=dict(color=BLUE),
        text=bars["participants"].to_list(), textposition="inside", insidetextanchor="start",
        textfont=dict(color="white", size=FONT), hovertext=hovers(bars), hoverinfo="text")]
    for name, measure, symbol, colour in [("target, another claim", "target", "diamond", ORANGE),
                                          ("actual enrollment", "actual", "square", GREEN)]:
        rows = placed.filter((pl.col("plotted_as") == "marker") & (pl.col("measure") == measure))
        if rows.is_empty():
            continue
        traces.append(dict(
            type="scatter", name=name, y=rows["y"].to_list(), x=rows["participants"].to_list(), cliponaxis=False,
            mode="markers+text", marker=dict(symbol=symbol, size=15, color=colour, line=dict(color="white", width=1.5)),
            text=[f"{p} ({src})" for p, src in rows.select("participants", "source").iter_rows()],
            # beside the marker, towards the middle of the plot, so a label near the right end stays inside it
            textposition=["middle left" if p > x_max * 0.6 else "middle right" for p in rows["participants"]],
            textfont=dict(size=FONT - 3), hovertext=hovers(rows), hoverinfo="text"))
    unreported = placed.filter((pl.col("plotted_as") == "label: not reported") & (pl.col("measure") == "target"))
    notes = [dict(y=bar_y[tid], x=0, xanchor="left", showarrow=False, font=dict(color=GREY),
                  text=f"<i>target not reported{f' ({html.escape(src)})' if src else ''}</i>")
             for tid, src in unreported.select("trial_id", "source").iter_rows()]
    height = round(220 + PX_PER_UNIT * (span + 0.6))
    return one_pass(traces, "Planned participants per trial, with every source's claim", height,
                    annotations=notes, margin=margins(list(tick_y), x_title=True),
                    xaxis=dict(title="participants", range=[0, x_max], rangemode="tozero"),
                    yaxis=dict(tickvals=list(tick_y.values()), ticktext=list(tick_y), range=[-0.3, span + 0.3],
                               ticks="", ticklabelstandoff=8))


# --- products and cell sources -----------------------------------------------------------------------


def _ordered(values: list[str]) -> list[str]:
    """Categories in a stable order with the unknowns last."""
    unknown = [v for v in values if v.startswith(("not reported", "not applicable", "unclear"))]
    return sorted(v for v in values if v not in unknown) + sorted(unknown)


PRODUCT_ROW_PX = 34  # one line per trial in the products chart, tall enough for a label of its own


def products_figure(points: pl.DataFrame) -> go.Figure:
    """Product type x tissue of origin; one labelled marker per trial, symbol and colour by donor type.

    Each trial has a line of its own within its product's band, so its label (written beside the marker)
    never meets another trial's, however narrow the tissue columns get."""
    sources = _ordered(points["cell_source"].unique().to_list())
    products = _ordered(points["product_type"].unique().to_list())
    last = len(sources) - 1
    placed = points.with_columns(
        pl.col("cell_source").replace_strict({s: i for i, s in enumerate(sources)}).alias("x"),
        pl.col("product_type").replace_strict({p: i for i, p in enumerate(products)}).alias("band"),
    ).sort("band", "x", "trial_id", descending=[False, True, True]).with_columns(
        pl.int_range(pl.len()).over("band").alias("k"))
    # bands stacked bottom to top, one unit per trial line and one unit between bands
    sizes = placed.group_by("band").len().sort("band")["len"].to_list()
    starts = [sum(sizes[:b]) + b for b in range(len(sizes))]
    placed = placed.with_columns((pl.col("band").replace_strict(dict(enumerate(starts))) + pl.col("k")).alias("y"))
    ticks = [start + (size - 1) / 2 for start, size in zip(starts, sizes, strict=True)]
    symbols = ["circle", "square", "diamond", "triangle-up", "x"]
    traces = []
    for i, donor in enumerate(_ordered(placed["donor_type"].unique().to_list())):
        rows = placed.filter(pl.col("donor_type") == donor)
        traces.append(dict(
            type="scatter", name=f"donor: {donor}", x=rows["x"].to_list(), y=rows["y"].to_list(), mode="markers+text",
            marker=dict(size=18, symbol=symbols[i % len(symbols)], color=OKABE_ITO[i % 8],
                        line=dict(color="white", width=1.5)), cliponaxis=False,
            text=rows["trial_id"].to_list(), textfont=dict(size=FONT - 3),
            # beside the marker, towards the middle: the right half's labels go left so they stay in the plot
            textposition=["middle left" if x > last / 2 else "middle right" for x in rows["x"]],
            hovertext=[hover_text(t, f"product: {p} — {pr}", f"cell source: {s} — {sr}", f"donor: {d} — {dr}")
                       for t, p, s, d, pr, sr, dr in rows.select(
                           "trial_id", "product_type", "cell_source", "donor_type", "product_receipt",
                           "source_receipt", "donor_receipt").iter_rows()],
            hoverinfo="text"))
    lines = sum(sizes) + len(sizes) - 1
    return one_pass(
        traces, "Products, cell sources and donors (unknowns shown as such)", 300 + PRODUCT_ROW_PX * (lines + 1),
        margin=margins(products, y_title=True, x_title=True),
        xaxis=dict(title="tissue the MSCs come from", tickvals=list(range(len(sources))), ticktext=sources,
                   range=[-0.5, len(sources) - 0.5]),
        yaxis=dict(title="product", tickvals=ticks, ticktext=products, range=[-0.8, lines - 0.2], ticks="",
                   ticklabelstandoff=8))


# --- dosing schedules --------------------------------------------------------------------------------


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
        half = _text_px(texts[i], size) / 2 + 3
        centre = xs[i] * px_per_unit
        slot = next((s for s in ("top", "bottom") if centre - half >= last_end.get((lanes[i], s), -math.inf)), None)
        out_text.append((i, texts[i] if slot else ""))
        out_pos.append((i, f"{slot or 'top'} center"))
        if slot:
            last_end[(lanes[i], slot)] = centre + half
    return [t for _, t in sorted(out_text)], [p for _, p in sorted(out_pos)]


def dosing_figure(lanes: pl.DataFrame, x_range: tuple[float, float]) -> go.Figure:
    """Swimlanes: one lane per trial (or cohort), a marker per administration at its week.

    Dose, unit and route are written beside each lane; administrations whose time is not reported
    are counted there instead of being drawn at a guessed week.
    """
    order = lanes["lane"].unique(maintain_order=True).to_list()
    shown = {lane: cohort_lane(lane) for lane in order}
    placed = lanes.filter(pl.col("week").is_not_null())
    by_trial = placed.partition_by("trial_id", as_dict=True, maintain_order=True)  # one pass, not a filter per trial
    traces = []
    for i, tid in enumerate(lanes["trial_id"].unique(maintain_order=True)):
        rows = by_trial.get((tid,), placed.clear())
        labels = marker_labels(rows["lane"].to_list(), rows["week"].to_list(), [f"#{n}" for n in rows["number"]],
                               PLOT_PX / max(x_range[1] - x_range[0], 1e-9), FONT - 2)
        traces.append(dict(
            type="scatter", name=tid, x=rows["week"].to_list(), y=[shown[lane] for lane in rows["lane"]],
            mode="markers+text",
            showlegend=False,
            marker=dict(size=18, symbol="circle", color=OKABE_ITO[i % 8], line=dict(color="white", width=1.5)),
            text=labels[0], textposition=labels[1], textfont=dict(size=FONT - 2),
            hovertext=[hover_text(f"{lane} — administration {n}, week {w:.1f} ({tt})", f"dose: {d or 'not reported'}",
                                  f"route: {r or 'not reported'}", f"time: {tr}", f"dose: {dr}")
                       for lane, n, w, tt, d, r, tr, dr in rows.select(
                           "lane", "number", "week", "time_text", "dose", "route", "time_receipt",
                           "dose_receipt").iter_rows()],
            hoverinfo="text"))
    per_lane = lanes.group_by("lane", maintain_order=True).agg(
        pl.col("dose").first(), pl.col("route_label").first(), pl.col("week").null_count().alias("unknown"),
        pl.col("week").max().alias("last_week"))
    notes = []
    for lane, dose, route, unknown, last_week in per_lane.iter_rows():
        note = f"{(dose or 'dose not reported').replace(' (per administration)', ' per administration')} · {route}"
        if unknown:
            note += f" · +{unknown} more, time not reported"
        # wrapped: on one line a label ran past the chart's right edge on a 1024 px screen
        notes.append(dict(x=last_week or 0, y=shown[lane], text=hover_text(note, width=40), showarrow=False,
                          xanchor="left", xshift=22, font=dict(size=FONT - 3, color="#1f1f1f"),
                          bgcolor="rgba(255,255,255,0.85)"))
    return one_pass(traces, "When each trial doses (markers: administrations; labels: dose, unit, route)",
                    _rows_height(len(order), 70), annotations=notes, shapes=[START_LINE],
                    margin=margins(list(shown.values()), x_title=X_WEEKS),
                    xaxis=dict(title=X_WEEKS, range=list(x_range)),
                    # half a lane above the top lane and below the bottom one: room for the markers' numbers
                    yaxis=dict(categoryorder="array", categoryarray=list(shown.values())[::-1], type="category",
                               range=[-0.5, len(order) - 0.5]))


# --- outcomes ----------------------------------------------------------------------------------------


def outcomes_figure(cells: pl.DataFrame) -> go.Figure:
    """Trials x outcome domains: filled squares for primary, open diamonds for secondary, with counts."""
    trials = sorted(cells["trial_id"].unique(), reverse=True)
    x_of = {d: i for i, d in enumerate(DOMAIN_ORDER)}
    domains = [label(d) for d in DOMAIN_ORDER]
    kinds = [("primary", "square", BLUE, -0.17), ("secondary", "diamond-open", ORANGE, 0.17)]
    traces = []
    for kind, symbol, colour, shift in kinds:
        rows = cells.filter(pl.col("kind") == kind)
        traces.append(dict(
            type="scatter", name=f"{kind} outcome", x=[x_of[d] + shift for d in rows["domain"]],
            y=rows["trial_id"].to_list(), mode="markers+text",
            marker=dict(symbol=symbol, size=24, color=colour, line=dict(width=3, color=colour)),
            text=rows["outcomes"].to_list(),
            textfont=dict(color="white" if kind == "primary" else colour, size=FONT - 3),
            textposition="middle center" if kind == "primary" else "middle right",
            hovertext=[hover_text(f"{t} — {label(d)} ({kind}, {n})", f"measures: {m}", f"methods: {me}",
                                  f"time frames: {tf}", f"source: {r}")
                       for t, d, n, m, me, tf, r in rows.select(
                           "trial_id", "domain", "outcomes", "measures", "methods", "time_frames",
                           "receipts").iter_rows()],
            hoverinfo="text"))
    return one_pass(
        traces, "What each trial measures (primary vs secondary outcomes)", _rows_height(len(trials), 70, 300),
        margin=margins(trials, domains, x_title=True, x_angle=30),
        xaxis=dict(tickvals=list(range(len(DOMAIN_ORDER))), ticktext=domains,
                   tickangle=-30, range=[-0.6, len(DOMAIN_ORDER) - 0.4], title="outcome domain"),
        yaxis=dict(categoryorder="array", categoryarray=trials, type="category"))


# --- follow-up windows -------------------------------------------------------------------------------


def follow_up_figure(points: pl.DataFrame, x_range: tuple[float, float]) -> go.Figure:
    """Assessment times and the follow-up window per trial on the dosing view's week axis."""
    trials = sorted(points["trial_id"].unique(), reverse=True)
    ends = points.filter((pl.col("what") == "end of follow-up") & pl.col("weeks").is_not_null())
    traces = [dict(
        type="bar", name="follow-up window", orientation="h", y=ends["trial_id"].to_list(),
        x=[hi if hi is not None else lo for lo, hi in ends.select("weeks", "weeks_max").iter_rows()],
        base=0, marker=dict(color=SKY, opacity=0.35), width=0.5,
        hovertext=[hover_text(f"{t} — end of follow-up: {txt}", f"anchor: {a}", f"placement: {p}", f"source: {r}")
                   for t, txt, a, p, r in ends.select("trial_id", "text", "anchor", "placement",
                                                      "receipt").iter_rows()],
        hoverinfo="text")]
    visits = points.filter((pl.col("what") == "assessment") & pl.col("weeks").is_not_null())
    # shape, not only colour, tells an exact time from a range (which also has its whiskers) and a lower bound
    for placement, symbol in [("exact", "circle"), ("range", "diamond"), ("at least", "triangle-right")]:
        rows = visits.filter(pl.col("placement") == placement)
        if rows.is_empty():
            continue
        mid = [(lo + hi) / 2 if hi is not None else lo for lo, hi in rows.select("weeks", "weeks_max").iter_rows()]
        half = [(hi - lo) / 2 if hi is not None else 0 for lo, hi in rows.select("weeks", "weeks_max").iter_rows()]
        traces.append(dict(
            type="scatter", name=f"assessment ({placement})", x=mid, y=rows["trial_id"].to_list(), mode="markers",
            marker=dict(symbol=symbol, size=15, color=BLUE if placement == "exact" else VERMILLION,
                        line=dict(color="white", width=1.5)),
            error_x=dict(type="data", array=half, visible=placement == "range", color=VERMILLION, thickness=3),
            hovertext=[hover_text(f"{t} — {txt}", f"measures: {m}", f"anchor: {a}", f"source: {r}")
                       for t, txt, m, a, r in rows.select("trial_id", "text", "measures", "anchor",
                                                          "receipt").iter_rows()],
            hoverinfo="text"))
    notes = []
    for row in points.filter(pl.col("what") == "end of follow-up").iter_rows(named=True):
        if row["weeks"] is None:
            text = f"end of follow-up cannot be placed: {row['text']}"
            x = 0
        else:
            x = row["weeks_max"] if row["weeks_max"] is not None else row["weeks"]
            anchor = row["anchor"] if row["anchor_stated"] is not False else f"{row['anchor']}, assumed"
            # the record's words stay as they are; only the week since the first dose is a lower bound
            bound = (f"; at least week {row['weeks']:.0f} after the first dose" if row["placement"] == "at least"
                     else "")
            text = f"end: {row['text']} (from {anchor}){bound}"
        # under the lane's markers, whatever its number of lines (centred, two lines reached up into them); an end
        # in the right half written leftwards from it, any other from the lane's start (written rightwards from the
        # end, it ran off a 1024 px screen's chart)
        late = x > x_range[1] * 0.5
        notes.append(dict(x=x if late else 0, y=row["trial_id"], yshift=-12, yanchor="top", showarrow=False,
                          text=hover_text(text, width=44), xanchor="right" if late else "left",
                          align="right" if late else "left", font=dict(size=FONT - 3, color="#1f1f1f")))
    unplaced = points.filter((pl.col("what") == "assessment") & pl.col("weeks").is_null())
    for tid, texts in unplaced.group_by("trial_id", maintain_order=True).agg(pl.col("text").unique()).iter_rows():
        notes.append(dict(x=0, y=tid, yshift=12, yanchor="bottom", xanchor="left", align="left", showarrow=False,
                          font=dict(size=FONT - 3, color=GREY),
                          # wrapped, as the end above: on one line both ran off a 1024 px screen's chart
                          text=hover_text(f"assessments {', '.join(sorted(texts))}: time points not listed",
                                          width=44)))
    return one_pass(traces, "When each trial measures, and how long it follows participants",
                    # a lane holds two lines above its markers and two below
                    _rows_height(len(trials), 115), annotations=notes, shapes=[START_LINE],
                    margin=margins(trials, x_title=X_WEEKS),
                    xaxis=dict(title=X_WEEKS, range=list(x_range)),
                    yaxis=dict(categoryorder="array", categoryarray=trials, type="category"))


# --- data quality ------------------------------------------------------------------------------------

LIGHT = {YELLOW, ORANGE, SKY}  # bar colours that need dark text on them
# a fill pattern per kind of finding, so the kind is not told by colour alone (the legend shows both)
FINDING_PATTERNS = ["/", "\\", "x", ".", "+", "-", "|"]


def findings_figure(counts: pl.DataFrame) -> go.Figure:
    """Findings per trial, stacked by kind, with the counts written on the bars."""
    trials = sorted(counts["trial_id"].unique(), reverse=True)
    by_kind = counts.partition_by("kind", as_dict=True)
    traces = []
    for (kind, colour), pattern in zip(FINDING_COLOURS.items(), FINDING_PATTERNS, strict=True):
        rows = by_kind.get((kind,))
        if rows is None:
            continue
        ids, n = rows["trial_id"].to_list(), rows["findings"].to_list()
        traces.append(dict(type="bar", name=label(kind), y=ids, x=n, orientation="h", text=n,
                           marker=dict(color=colour, pattern=dict(
                               shape=pattern, fillmode="overlay", fgcolor=BLACK if colour in LIGHT else "white",
                               fgopacity=0.4, size=10, solidity=0.18)),
                           textposition="inside", insidetextanchor="middle",
                           textfont=dict(color=BLACK if colour in LIGHT else "white"),
                           hovertext=[f"{t}: {k} {label(kind)}" for t, k in zip(ids, n, strict=True)],
                           hoverinfo="text"))
    return one_pass(traces, "Data-quality findings per trial, by kind", _rows_height(len(trials)), barmode="stack",
                    margin=margins(trials, x_title=True),
                    xaxis=dict(title="findings", dtick=1),
                    yaxis=dict(categoryorder="array", categoryarray=trials, type="category"))


def scorecard_figure(card: pl.DataFrame) -> go.Figure:
    """Trials x the 24 WHO TRDS items; the marker's shape and colour, and the legend, say where each is reported."""
    items = card.select("item_no", "item_label").unique().sort("item_no")["item_label"].to_list()
    by_status = card.partition_by("status", as_dict=True)
    traces = []
    # shape and colour both carry the status, and neither needs a text label on each cell (a label per cell
    # cost the browser ~0.6 s for 25 trials x 24 items)
    for status, look in STATUS_LOOKS.items():
        rows = by_status.get((status.value,))
        if rows is None:
            continue
        ids, labels = rows["trial_id"].to_list(), rows["item_label"].to_list()
        traces.append(dict(
            type="scatter", name=look.label, x=ids, y=labels, mode="markers",
            marker=dict(symbol=look.marker, size=24, color=look.colour, line=dict(color=look.colour, width=4)),
            hovertext=[hover_text(f"{t} — {i}", look.label, e)
                       for t, i, e in zip(ids, labels, rows["evidence"].to_list(), strict=True)],
            hoverinfo="text",
        ))
    return one_pass(
        traces, "Reporting completeness: WHO Trial Registration Data Set (24 items)", 300 + 34 * len(items),
        yaxis=dict(categoryorder="array", categoryarray=items[::-1], type="category", tickfont=dict(size=FONT - 3)),
        xaxis=dict(type="category", tickfont=dict(size=FONT - 3), categoryorder="category ascending", tickangle=-20),
        margin=margins(items, card["trial_id"].unique().to_list(), x_angle=20, tick_size=FONT - 3, top=150))


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
    out.update_layout(width=1600, height=900, font=dict(size=22), title=dict(font=dict(size=30)),
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
    for axes in (out.for_each_xaxis, out.for_each_yaxis):
        axes(lambda axis: (scale(axis.tickfont), scale(axis.title.font)))
    for trace in out.data:
        if getattr(trace, "textfont", None) is not None:
            scale(trace.textfont)
        size = getattr(getattr(trace, "marker", None), "size", None)  # a bar's marker has no size
        if isinstance(size, int | float):
            trace.marker.size = round(size * factor, 1)
    return out


def dose_context_for_slides(fig: go.Figure) -> go.Figure:
    """The dose chart for a slide: its markers, band and panel names, without the label beside each lane and the
    footnote, which at slide size ran off the image (the legend says which doses are derived; the table, the
    handout and the speaker notes keep the words)."""
    out = slide_style(fig)
    out.layout.annotations = [a for a in out.layout.annotations if str(a.yref).endswith("domain")]
    bottom = "xaxis2" if "xaxis2" in out.layout else "xaxis"
    if bottom == "xaxis2":  # the panels share one axis: its numbers once, at the bottom, leave room for the
        out.update_layout(xaxis=dict(showticklabels=False))  # lower panel's name
    # the key at the very top, the top panel's name below it: wrapped on a narrow slide, the key printed over it
    key = dict(orientation="h", x=0, xanchor="left", y=0.99, yanchor="top", yref="container")
    return out.update_layout(margin=dict(t=140, b=120), legend=key)


def _rewrapped(note, width: int) -> str:
    """An annotation's text wrapped again at `width` characters: a slide is wider than the narrow screen its
    lines were cut for, and its type larger, so short lines would stack up taller than the room they have."""
    return hover_text(html.unescape(note.text.replace("<br>", " ")), width=width)


def results_status_for_slides(fig: go.Figure) -> go.Figure:
    """The overdue chart for a slide, its footnote on longer lines (at slide type it ran off the image)."""
    out = slide_style(fig)
    for note in out.layout.annotations:
        if note.name == "footnote":  # lower too: the slide's larger axis title takes more room above it
            note.update(text=_rewrapped(note, 80), yshift=-115)
    return out


def follow_up_for_slides(fig: go.Figure) -> go.Figure:
    """The follow-up chart for a slide, each lane's notes on one line (two lines above a lane and two below ran
    into the next lane at slide type)."""
    out = slide_style(fig)
    for note in out.layout.annotations:
        note.text = _rewrapped(note, 80)
    return out


# --- product characterisation -------------------------------------------------------------

PRODUCT_PANELS = {"cells": "Cell products: ISCT 2006 criteria (first 4), then MSC product items",
                  "exosomes": "EV / exosome products: MISEV2018 items and the dose unit"}
# a trial's column in the characterisation grid: wide enough for its marks and for its slanted id to stay clear
# of the next one's, so the grid is as wide as its trials need (a 1024 px screen's chart fits it), not the screen
COLUMN_PX, MIN_GRID_PX = 64, 440


def characterisation_summary_figure(grid: pl.DataFrame) -> go.Figure:
    """For a slide, where the grid's rows cannot be read: per trial, how many of its product's items are reported
    where (the statuses' symbols, colours and patterns as in the grid; the counts written on the bars)."""
    counts = grid.group_by("trial_id", "product_type", "status").len("items")
    totals = dict(counts.group_by("trial_id").agg(pl.col("items").sum()).iter_rows())
    products = dict(counts.select("trial_id", "product_type").unique().iter_rows())
    trials = sorted(totals, reverse=True)  # the first at the top
    lanes = {t: f"{t}<br>({products[t]}, {totals[t]} items)" for t in trials}  # two lines: the plot keeps its width
    traces = []
    for (status, look), pattern in zip(STATUS_LOOKS.items(), FINDING_PATTERNS[:len(STATUS_LOOKS)], strict=True):
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
    return one_pass(traces, "Characterisation items per trial, by where each is reported", _rows_height(len(trials)),
                    barmode="stack", margin=margins(lanes.values(), x_title=True), legend=dict(traceorder="normal"),
                    uniformtext=dict(mode="hide", minsize=14),  # a count too wide for its bar is left to the hover
                    xaxis=dict(title="items of the standard that fits<br>the trial's product"),
                    yaxis=dict(type="category", categoryorder="array", categoryarray=[lanes[t] for t in trials]))


def characterisation_figure(grid: pl.DataFrame) -> go.Figure:
    """Trials x characterisation items, one panel per kind of product (EV items never stand as missing for a cell
    trial, nor cell items for an EV trial); shape and colour both carry where each item is reported. The figure
    is as wide as its columns need; the published reporting rates it is read against are written under it
    (`transforms.yardstick_for`), not in it, where a narrow screen cut them off."""
    panels = [(p, grid.filter(pl.col("product_type") == p)) for p in PRODUCT_PANELS if p in set(grid["product_type"])]
    row_px, gap_px, top_px = 28, 210, 110  # 28: the grid and its heading fit a printed page
    n_rows = sum(rows["item_no"].n_unique() for _, rows in panels)
    plot_px = row_px * n_rows + gap_px * (len(panels) - 1)
    trial_ids = grid["trial_id"].unique().to_list()
    # the key under the last panel's slanted ids: a narrow figure wraps it to one state a line
    margin = margins(grid["item_label"].unique().to_list(), trial_ids, x_angle=25, tick_size=FONT - 3, top=top_px)
    margin["b"] += len(STATUS_LOOKS) * 34 + 10  # a legend row is as tall as its 18 px marker and some
    width = max(margin["l"] + COLUMN_PX * max(rows["trial_id"].n_unique() for _, rows in panels) + margin["r"],
                MIN_GRID_PX)
    title_chars = int((width - 16) / ((FONT - 2) * 0.62))  # a panel's title, from the figure's left edge
    traces, layout, notes, shapes = [], {}, [], []
    y_top = 1.0
    for k, (product, rows) in enumerate(panels, 1):
        items = rows.unique("item_no").sort("item_no")
        labels, trials = items["item_label"].to_list(), sorted(rows["trial_id"].unique())
        height = row_px * len(labels) / plot_px
        domain = [max(y_top - height, 0.0), y_top]
        y_top = domain[0] - gap_px / plot_px
        suffix = "" if k == 1 else str(k)
        layout[f"xaxis{suffix}"] = dict(domain=[0, 1], type="category", categoryorder="array",
                                        categoryarray=trials, anchor=f"y{suffix}", tickangle=-25,
                                        tickfont=dict(size=FONT - 3), range=[-0.6, len(trials) - 0.4], showgrid=False)
        layout[f"yaxis{suffix}"] = dict(domain=domain, type="category", categoryorder="array",
                                        categoryarray=labels[::-1], anchor=f"x{suffix}", tickfont=dict(size=FONT - 3),
                                        range=[-0.6, len(labels) - 0.4])
        notes.append(dict(text=f"<b>{hover_text(PRODUCT_PANELS[product], width=title_chars)}</b>", x=0,
                          xref="paper", xanchor="left", xshift=8 - margin["l"], name="panel title", y=domain[1],
                          yref="paper", yanchor="bottom", yshift=6, showarrow=False, align="left",
                          font=dict(size=FONT - 2)))
        standards_in = items["standard"].to_list()  # a dotted line where one standard's items end
        for i in range(1, len(standards_in)):
            if standards_in[i] != standards_in[i - 1]:
                shapes.append(dict(type="line", xref=f"x{suffix} domain", x0=0, x1=1, yref=f"y{suffix}",
                                   y0=len(labels) - i - 0.5, y1=len(labels) - i - 0.5,
                                   line=dict(color=GREY, dash="dot", width=1)))
        by_status = rows.partition_by("status", as_dict=True)
        for status, look in STATUS_LOOKS.items():
            cells = by_status.get((status.value,), rows.clear())
            if cells.is_empty() and k > 1:
                continue
            traces.append(dict(
                type="scatter", name=f"{look.symbol} {look.label}", legendgroup=status.value,
                showlegend=k == 1, xaxis=f"x{suffix}", yaxis=f"y{suffix}", mode="markers",
                # a status no cell has still gets its legend entry (an empty trace has none), so the key names
                # every state
                x=cells["trial_id"].to_list() or [None], y=cells["item_label"].to_list() or [None],
                marker=dict(symbol=look.marker, size=18, color=look.colour, line=dict(color=look.colour, width=3)),
                hovertext=[hover_text(f"{t} — {i} ({s})", f"{look.label}: {v or 'no value'}", r, n and f"note: {n}",
                                      y and f"published: {y}")
                           for t, i, s, v, r, n, y in cells.select("trial_id", "item_label", "standard", "value",
                                                                   "receipt", "note", "yardstick").iter_rows()],
                hoverinfo="text"))
    return one_pass(
        traces, "Is the product characterised? Items of the standard that fits each product",
        top_px + plot_px + margin["b"], annotations=notes, shapes=shapes, hovermode="closest", width=width,
        # the key at the foot of the figure, as robvis draws it: clear of the panel titles at any height
        legend=dict(xref="container", x=0.01, yref="container", y=0.005, yanchor="bottom"),
        margin=margin, **layout)


# --- appraisal: dose in context, results, results status, design features -----------------------

DOSE_PANELS = [("intravenous_cells", "Intravenous cell doses (shaded: Kabat 2020)"),
               ("other_cells", "Other or mixed routes (no reference range)")]


def _dose_lane(trial_id: str, cohort: str, participants: str | None, single: bool) -> str:
    """A lane's label as drawn: the trial, and its cohort on a second line (as the dosing chart's lanes)."""
    return cohort_lane(_dose_lane_words(trial_id, cohort, participants, single))


def _dose_lane_words(trial_id: str, cohort: str, participants: str | None, single: bool) -> str:
    return trial_id if single else f"{trial_id} · {cohort}" + (f" ({participants})" if participants else "")


def dose_context_figure(doses: pl.DataFrame) -> go.Figure | None:
    """Per-patient cell dose per administration, one lane per trial (or cohort): intravenous cell arms against the
    Kabat 2020 band in the top panel, other routes below with no band. EV doses and doses not reported are never
    drawn (a note lists them); derived numbers say so on the chart, with their arithmetic in the hover. None when
    no dose can be drawn: an empty axis with a band would look like a finding."""
    band = KABAT_2020
    doses = doses.with_columns(pl.col("cohort").n_unique().over("trial_id", "intervention").alias("_cohorts"),
                               pl.coalesce("per_patient_million_max", "per_patient_million_min"))
    drawn = doses.filter(pl.col("per_patient_million_min").is_not_null() & (pl.col("panel") != "vesicles"))
    if drawn.is_empty():
        return None
    panels = [(code, name) for code, name in DOSE_PANELS if (drawn["panel"] == code).any()]
    weights = drawn["reference_weight_kg"].drop_nulls().unique().to_list()
    weight = f"{weights[0]:g} kg" if weights else "the reference weight"
    top = max([band.high, *drawn["per_patient_million_max"].to_list()]) * 1.12
    gap, heights = 0.12, [int((drawn["panel"] == code).sum()) for code, _ in panels]
    share = (1 - gap * (len(panels) - 1)) / sum(heights)
    traces, notes, shapes, layout, lanes_all = [], [], [], {}, []
    upper = 1.0
    for i, (code, name) in enumerate(panels):
        suffix = "" if i == 0 else str(i + 1)
        lower = upper - share * heights[i]
        rows = drawn.filter(pl.col("panel") == code)
        lanes = [_dose_lane(t, c, p, n == 1) for t, c, p, n in
                 rows.select("trial_id", "cohort", "cohort_participants", "_cohorts").iter_rows()]
        lanes_all += lanes
        layout[f"yaxis{suffix}"] = dict(domain=[lower, upper], anchor=f"x{suffix}", type="category",
                                        categoryorder="array", categoryarray=lanes[::-1],
                                        range=[-0.6, len(lanes) - 0.4])
        notes.append(dict(x=0, y=1, xref=f"x{suffix}", yref=f"y{suffix} domain", xanchor="left", yanchor="bottom",
                          yshift=20 if code == "intravenous_cells" else 0, text=f"<b>{name}</b>", showarrow=False,
                          font=dict(size=FONT - 3, color="#1f1f1f")))
        layout[f"xaxis{suffix}"] = dict(anchor=f"y{suffix}", range=[0, top], showticklabels=True,
                                        **({} if i == 0 else {"matches": "x"}),
                                        title=dict(text="million cells per patient<br>per administration"
                                                   if i == len(panels) - 1 else ""))
        if code == "intravenous_cells":
            for lo, hi, opacity in [(band.low, band.high, 0.18), (band.inner_low, band.inner_high, 0.3)]:
                shapes.append(dict(type="rect", xref=f"x{suffix}", yref=f"y{suffix} domain", x0=lo, x1=hi, y0=0,
                                   y1=1, fillcolor=SKY, opacity=opacity, line=dict(width=0), layer="below"))
            notes.append(dict(x=band.high, y=1, xref=f"x{suffix}", yref=f"y{suffix} domain", yanchor="bottom",
                              xanchor="right", showarrow=False, font=dict(size=FONT - 4, color=BLUE),
                              text=f"Kabat 2020: {band.low:g}-{band.high:g} million (darker: "
                                   f"{band.inner_low:g}-{band.inner_high:g})"))
        for derived, symbol, colour, label_text in [
                (True, "diamond-open", BLUE, f"per patient, derived from cells/kg × {weight}"),
                (False, "circle", BLACK, "per patient, as stated in cells")]:
            part = rows.filter(pl.col("reference_weight_kg").is_not_null() == derived)
            if part.is_empty():
                continue
            said = [_dose_lane_words(t, c, p, n == 1) for t, c, p, n in
                    part.select("trial_id", "cohort", "cohort_participants", "_cohorts").iter_rows()]
            lo, hi = part["per_patient_million_min"].to_list(), part["per_patient_million_max"].to_list()
            traces.append(dict(
                type="scatter", name=label_text, x=[(a + b) / 2 for a, b in zip(lo, hi, strict=True)],
                y=[cohort_lane(words) for words in said],
                xaxis=f"x{suffix}", yaxis=f"y{suffix}", mode="markers",
                marker=dict(symbol=symbol, size=16, color=colour, line=dict(color=colour, width=3)),
                error_x=dict(type="data", symmetric=False, array=[(b - a) / 2 for a, b in zip(lo, hi, strict=True)],
                             arrayminus=[(b - a) / 2 for a, b in zip(lo, hi, strict=True)], color=colour, width=0,
                             thickness=4),
                legendgroup=label_text, showlegend=not any(t["name"] == label_text for t in traces),
                hovertext=[hover_text(f"{words}: {pp}", f"total: {tt or '-'}", d, v, f"dose: {r}", ref)
                           for words, pp, tt, d, v, r, ref in zip(said, *part.select(
                               "per_patient", "total", "derivation", "versus_band", "receipt",
                               "reference").get_columns(), strict=True)],
                hoverinfo="text"))
        for tid, c, p, n, pp, x in rows.select("trial_id", "cohort", "cohort_participants", "_cohorts",
                                               "per_patient", "per_patient_million_max").iter_rows():
            # a derivation on a line of its own, and long lines wrapped: on one line the label ran off a printed
            # page's right edge, and longer lines off a 1024 px screen's chart
            # the per-patient dose only: beside a per-dose band a total over several doses reads as a dose above
            # it (the total is in the hover and the table)
            text = hover_text(*re.split(r" (?=\()", pp, maxsplit=1), width=40)
            notes.append(dict(x=x, y=_dose_lane(tid, c, p, n == 1), xref=f"x{suffix}", yref=f"y{suffix}",
                              xanchor="left", xshift=14, text=text, showarrow=False, align="left",
                              font=dict(size=FONT - 4, color="#1f1f1f"), bgcolor="rgba(255,255,255,0.7)"))
        upper = lower - gap
    left_out = doses.filter(pl.col("per_patient_million_min").is_null() | (pl.col("panel") == "vesicles"))
    missing = "; ".join(f"{t} ({label(p or 'product not reported')}): {pp}" for t, p, pp in
                        left_out.unique(["trial_id", "intervention"], maintain_order=True)
                        .select("trial_id", "product_type", "per_patient").iter_rows())
    # the band's citation only where a band is drawn: beside other routes alone it would describe nothing shown
    foot = [f"Band: {band.citation} ({band.summary}). Intravenous cell doses only."] if any(
        code == "intravenous_cells" for code, _ in panels) else []
    if missing:
        foot.append(f"Not drawn (EV doses never share a cell axis; a dose not reported is not drawn): {missing}")
    foot_text = "<br>".join(hover_text(f, width=50) for f in foot)  # 80 ran off a 1024 px screen's chart
    notes.append(dict(x=0, y=0, xref="paper", yref="paper", yshift=-90, xanchor="left", yanchor="top", align="left",
                      showarrow=False, font=dict(size=FONT - 5, color="#444"), text=foot_text))
    bottom = 110 + 16 * (foot_text.count("<br>") + 1)  # the axis title and the footnote's lines
    height = 300 + 80 * len(lanes_all) + 40 * len(panels) + max(0, bottom - 200)
    # the key just under the title, placed from the figure's top: placed from the plot's, it sat on the top panel's
    # name when few lanes made the plot short (one trial's mixed-route dose)
    key = dict(yref="container", y=1 - 50 / height, yanchor="top")
    return one_pass(traces, f"Per-patient cell dose per administration, derived at {weight}, against Kabat 2020",
                    height, annotations=notes, shapes=shapes, legend=key,
                    margin=dict(margins(lanes_all, x_title=True), t=160, b=bottom), **layout)


def _right_notes_px(notes: list[dict]) -> int:
    """A right margin that holds the notes written right of the plot (at least the room a P value takes)."""
    lines = [line for n in notes if n.get("xanchor") == "left" and n["x"] > 0
             for line in html.unescape(n["text"]).split("<br>")]
    return round(max([160, *[_text_px(line, FONT - 3) + 24 for line in lines]]))


def short_context(context: str | None) -> str:
    """A result's design context without the co-treatment's list (the hover and the table give it whole)."""
    return re.sub(r" \([^)]*\)(?=: not attributable)", "", context or "")


def results_figure(results: pl.DataFrame) -> go.Figure:
    """Published results: baseline and follow-up value with their +/- figures, one lane per outcome and group
    (each lane in its own unit); a result given only in words is written in its lane, not drawn."""
    rows = results.to_dicts()
    said = [(f"{r['trial_id']} · {r['outcome']}", f"{r['group']}, n = " + (
        f"{r['n_analysed']}" if r["n_analysed"] is not None else "not reported")
        + (" (unclear)" if r["n_analysed_state"] == "unclear" else "")) for r in rows]
    lanes = [f"{lane_label(what, 26)}<br>{lane_label(who, 26)}" for what, who in said]  # wrapped for the margin
    y_of = {i: len(rows) - 1 - i for i in range(len(rows))}  # first result at the top
    numeric = [i for i, r in enumerate(rows) if r["baseline"] is not None and r["follow_up"] is not None]
    ends = [(r[c] or 0) + (r[f"{c}_spread"] or 0) for r in rows for c in ("baseline", "follow_up")]
    top = max([*ends, 1])
    kinds = sorted({r["spread_kind"] for r in rows if r["spread_kind"]})
    spread = ", ".join(SPREAD_KINDS[k] for k in kinds)
    traces, notes = [], []
    for which, symbol, colour, shift in [("baseline", "circle-open", GREY, 0.16),
                                         ("follow_up", "circle", BLUE, -0.16)]:
        if not numeric:
            continue
        picked = [rows[i] for i in numeric]
        traces.append(dict(
            type="scatter", name="baseline" if which == "baseline" else "at the reported time point",
            x=[r[which] for r in picked], y=[y_of[i] + shift for i in numeric], mode="markers+text",
            marker=dict(symbol=symbol, size=16, color=colour, line=dict(color=colour, width=3)),
            error_x=dict(type="data", array=[r[f"{which}_spread"] or 0 for r in picked], color=colour, thickness=2),
            text=[f"{r[which]:g} ± {r[f'{which}_spread']:g}" if r[f"{which}_spread"] is not None else f"{r[which]:g}"
                  for r in picked], textposition="top center" if shift > 0 else "bottom center",
            textfont=dict(size=FONT - 3, color=colour),
            hovertext=[hover_text(", ".join(said[i]), f"{which.replace('_', '-')}: {r[which]:g} "
                                  + (f"(± {r[f'{which}_spread']:g}, {SPREAD_KINDS[r['spread_kind'] or 'not_stated']}), "
                                     if r[f"{which}_spread"] is not None else "(no ± figure), ")
                                  + (r["estimate"] or "estimate not stated"),
                                  f"time point: {r['time_point']} · P {r['p_value'] or 'not reported'}",
                                  f"read with: {r['design_context']}", f"source: {r['receipt']}", r["note"])
                       for i, r in zip(numeric, picked, strict=True)],
            hoverinfo="text"))
    for i, r in enumerate(rows):
        if i in numeric:
            notes.append(dict(x=top * 1.02, y=y_of[i], xanchor="left", showarrow=False, font=dict(size=FONT - 3),
                              align="left", text=hover_text(f"{r['time_point']}: P {r['p_value'] or 'not reported'}",
                                                            short_context(r["design_context"]), width=26)))
        else:
            notes.append(dict(x=0, y=y_of[i], xanchor="left", showarrow=False, align="left",
                              font=dict(size=FONT - 3, color="#1f1f1f"),
                              text=hover_text(f"in words, no numbers held: {r['statement'] or 'not reported'}",
                                              width=36)))  # 55 ran off a 1024 px screen's chart
    return one_pass(traces, "Published results as reported (each lane in its own unit; lanes are not comparable)",
                    _rows_height(len(lanes), 110), annotations=notes,
                    margin=dict(margins(lanes, x_title=True), r=_right_notes_px(notes)),
                    xaxis=dict(title=f"value as reported (± as given: {spread})", range=[0, top * 1.1]),
                    yaxis=dict(tickvals=list(y_of.values()), ticktext=lanes, range=[-0.6, len(lanes) - 0.4]))


def results_status_figure(status: pl.DataFrame) -> go.Figure:
    """Months since the stated completion date (derived) per trial, with whether a result was found; a trial whose
    completion has not passed or cannot be placed gets its answer written in its lane instead of a bar."""
    trials = status["trial_id"].to_list()[::-1]
    passed = status.filter(pl.col("months_since_completion").is_not_null())
    published = passed["publication_linked"].str.contains("names the registration")
    traces = []
    for found, colour, name in [(True, BLUE, "completion passed; publication found"),
                                (False, VERMILLION, "completion passed; no result found in the sources held")]:
        rows = passed.filter(published == found)
        if rows.is_empty():
            continue
        traces.append(dict(
            type="bar", orientation="h", name=name, y=rows["trial_id"].to_list(),
            x=rows["months_since_completion"].to_list(), marker=dict(color=colour), width=0.6,
            # short lines: on one line a 1024 px screen's bar shrank the label to about 9 px
            text=[f"{m:g} months (derived)<br>since {d} ({k})" + ("<br>date unclear" if st == "unclear" else "")
                  for m, d, k, st in rows.select("months_since_completion", "completion_date", "completion_type",
                                                 "completion_date_state").iter_rows()],
            textposition="inside", insidetextanchor="start", cliponaxis=False,  # outside, it ran off a narrow chart
            insidetextfont=dict(color="white"),  # the chart's type: a slide's is larger
            hovertext=[hover_text(t, a, d, f"completion date: {r}", s) for t, a, d, r, s in rows.select(
                "trial_id", "answer", "derivation", "receipt", "searched").iter_rows()], hoverinfo="text"))
    top = (passed["months_since_completion"].max() or 12) * 1.35
    notes = [dict(x=0, y=t, xanchor="left", align="left", showarrow=False, font=dict(size=FONT - 3, color="#1f1f1f"),
                  text=hover_text(a, width=44)) for t, a, m in status.select("trial_id", "short_answer",
                                                                            "months_since_completion").iter_rows()
             if m is None]  # wrapped: on one line an answer ran off a 1024 px screen's chart
    as_of = status["data_as_of"].max()
    # 110 characters a line ran off a slide's image, 80 off a 1024 px screen's chart
    foot = hover_text(f"Data as of {as_of}. {status['searched'][0] if status.height else ''}", width=48)
    notes.append(dict(x=0, y=0, xref="paper", yref="paper", yshift=-100, xanchor="left", yanchor="top", text=foot,
                      showarrow=False, align="left", font=dict(size=FONT - 5, color="#444"), name="footnote"))
    bottom = 115 + 16 * (foot.count("<br>") + 1)  # the two-line axis title, then the footnote's lines
    return one_pass(traces, "Is a result overdue? Months since the stated completion date (derived)",
                    _rows_height(len(trials), 70) + bottom - 150, annotations=notes, barmode="overlay",
                    margin=dict(margins(trials, x_title=True), b=bottom),
                    xaxis=dict(title=f"months from the stated<br>completion date to {as_of}", range=[0, top]),
                    # a lane per trial even when no trial has a bar (the lanes then hold only their sentences)
                    yaxis=dict(type="category", categoryorder="array", categoryarray=trials,
                               range=[-0.5, len(trials) - 0.5]))


def design_figure(grid: pl.DataFrame) -> go.Figure:
    """Trials x design features (robvis style): a coloured circle with a glyph in each cell and a legend. It says
    what the records state about the design; it is not a risk-of-bias judgement."""
    features = grid.select("feature_no", "feature").unique().sort("feature_no")["feature"].to_list()
    by_answer = grid.partition_by("answer", as_dict=True)
    traces = []
    for answer, look in FEATURE_LOOKS.items():
        rows = by_answer.get((answer.value,))
        if rows is None:
            continue
        traces.append(dict(
            type="scatter", name=f"{look.symbol} {look.label}", x=rows["trial_id"].to_list(),
            y=rows["feature"].to_list(), mode="markers+text",
            marker=dict(symbol=look.marker, size=34, color=look.colour, line=dict(color=look.colour, width=2)),
            text=[look.symbol] * rows.height, textposition="middle center",
            textfont=dict(size=FONT - 2, color=BLACK if look.colour in LIGHT or look.marker.endswith("open")
                          else "white"),
            hovertext=[hover_text(f"{t} — {f}: {look.label}", d, f"source: {r or 'none'}")
                       for t, f, d, r in rows.select("trial_id", "feature", "detail", "receipt").iter_rows()],
            hoverinfo="text"))
    trials = sorted(grid["trial_id"].unique().to_list())
    return one_pass(
        traces, "Design features: what each record states (not a risk-of-bias judgement)", 280 + 48 * len(features),
        xaxis=dict(type="category", categoryorder="array", categoryarray=trials, tickangle=-20, side="top",
                   tickfont=dict(size=FONT - 3), range=[-0.5, len(trials) - 0.3]),
        yaxis=dict(type="category", categoryorder="array", categoryarray=features[::-1], tickfont=dict(size=FONT - 3)),
        legend=dict(orientation="h", yanchor="top", y=-0.02, x=0),
        # on the right, room for the last trial's slanted id, which runs right from its tick: it ran past a 1024 px
        # screen's chart; half its width is enough, as the last column sits in from the plot's edge
        margin=dict(margins(features, trials, x_angle=20, tick_size=FONT - 3, top=170),
                    r=round(30 + _text_px(trials[-1], FONT - 3) * math.cos(math.radians(20)) / 2)))


def discrepancies_figure(rows: pl.DataFrame) -> go.Figure:
    """Registry against publication: one lane per compared aspect, the verdict by shape, colour and column; the
    registry's and the publication's words, with their receipts, on hover."""
    rows = rows.with_columns(pl.col("lane").map_elements(lambda lane: lane_label(lane, 44), return_dtype=pl.String))
    lanes = rows["lane"].to_list()
    verdicts = [k for k in VERDICT_LOOKS if k in set(rows["verdict"])]
    traces = []
    for verdict in verdicts:
        look, part = VERDICT_LOOKS[verdict], rows.filter(pl.col("verdict") == verdict)
        traces.append(dict(
            type="scatter", name=f"{look.symbol} {look.label}", x=[look.label] * part.height, y=part["lane"].to_list(),
            mode="markers", marker=dict(symbol=look.marker, size=20, color=look.colour,
                                        line=dict(color=look.colour, width=2)),
            hovertext=[hover_text(f"{t} — {a} ({o})", f"registry: {r}", f"publication: {p}",
                                  f"registry source: {rr or 'none'}", f"publication source: {pr or 'none'}")
                       for t, a, o, r, p, rr, pr in part.select("trial_id", "aspect", "origin", "registry",
                                                                "publication", "registry_receipt",
                                                                "publication_receipt").iter_rows()],
            hoverinfo="text"))
    columns = [VERDICT_LOOKS[v].label for v in verdicts]
    # the column under each mark names its verdict, so no legend (which crowded the title at page width)
    return one_pass(traces, "Registry against publication, aspect by aspect (in the sources held)",
                    _rows_height(len(lanes), 42, 260), showlegend=False,
                    margin=margins(lanes, columns, x_angle=20, tick_size=FONT - 3),
                    xaxis=dict(type="category", categoryorder="array", categoryarray=columns, tickangle=-20,
                               tickfont=dict(size=FONT - 3), range=[-0.5, len(columns) - 0.5]),
                    yaxis=dict(type="category", categoryorder="array", categoryarray=lanes[::-1],
                               tickfont=dict(size=FONT - 3)))
