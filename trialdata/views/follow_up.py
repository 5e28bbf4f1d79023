"""Follow-up windows: when each trial measures and how long it follows participants."""

from __future__ import annotations

from itertools import pairwise

import plotly.graph_objects as go
import polars as pl

from trialdata.figures import (
    FONT,
    START_LINE,
    X_WEEKS,
    hover_text,
    margins,
    note_text,
    one_pass,
    plot_px,
    rewrapped,
    room_beside,
    rows_height,
    slide_plot_px,
    slide_style,
)
from trialdata.provenance import receipt_expr
from trialdata.schema import LABELS
from trialdata.views.base import Tables, View
from trialdata.views.words import extremes
from trialdata.vocab import (
    BLUE,
    GREY,
    SKY,
    VERMILLION,
)


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
    margin = margins(trials, x_title=X_WEEKS)
    plot = plot_px(margin)
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
        room = _note_room(x if late else 0, late, x_range, plot, margin["r"])
        notes.append(dict(x=x if late else 0, y=row["trial_id"], yshift=-12, yanchor="top", showarrow=False,
                          text=note_text(text, px=room, size=FONT - 3), xanchor="right" if late else "left",
                          align="right" if late else "left", font=dict(size=FONT - 3, color="#1f1f1f")))
    unplaced = points.filter((pl.col("what") == "assessment") & pl.col("weeks").is_null())
    for tid, texts in unplaced.group_by("trial_id", maintain_order=True).agg(pl.col("text").unique()).iter_rows():
        notes.append(dict(x=0, y=tid, yshift=12, yanchor="bottom", xanchor="left", align="left", showarrow=False,
                          font=dict(size=FONT - 3, color=GREY),
                          # wrapped, as the end above: on one line both ran off a 1024 px screen's chart
                          text=note_text(f"assessments {', '.join(sorted(texts))}: time points not listed",
                                         px=_note_room(0, False, x_range, plot, margin["r"]), size=FONT - 3)))
    return one_pass(traces, "When each trial measures, and how long it follows participants",
                    rows_height(len(trials), _lane_px(trials, notes)), annotations=notes, shapes=[START_LINE],
                    margin=margin, xaxis=dict(title=X_WEEKS, range=list(x_range)),
                    yaxis=dict(categoryorder="array", categoryarray=trials, type="category"))


NOTE_LINE_PX = 18  # a line of a note (14 px type)


def _lane_px(trials: list[str], notes: list[dict]) -> int:
    """A lane's height: room for the notes under one lane and over the next one, at least two lines each (notes
    wrapped to a narrow plot take more lines, and taller notes printed over each other)."""
    def lines(trial: str, anchor: str) -> int:
        return sum(n["text"].count("<br>") + 1 for n in notes if n["y"] == trial and n["yanchor"] == anchor)

    most = max([4, *(lines(upper, "top") + lines(lower, "bottom") for upper, lower in pairwise(trials[::-1]))])
    return 43 + NOTE_LINE_PX * most  # 43: the notes' shifts off their lanes, and the markers between


def _note_room(x: float, leftwards: bool, x_range: tuple[float, float], plot: float, margin_right: float) -> float:
    """A note's room: from `x` leftwards to the plot's left edge (not over the lane labels), or rightwards to the
    figure's right edge."""
    return room_beside(x, x_range, plot, leftwards=leftwards) + (0 if leftwards else margin_right)


def follow_up_for_slides(fig: go.Figure) -> go.Figure:
    """The follow-up chart for a slide, each lane's notes on one line (two lines above a lane and two below ran
    into the next lane at slide type)."""
    out = slide_style(fig)
    plot, x_range = slide_plot_px(out), tuple(out.layout.xaxis.range)
    for note in out.layout.annotations:
        note.text = rewrapped(note, _note_room(note.x, note.xanchor == "right", x_range, plot, out.layout.margin.r))
    return out


def follow_up_points(assessments: pl.DataFrame, trials: pl.DataFrame) -> pl.DataFrame:
    """Per trial: each assessment time (with the measures taken then) and the end of follow-up, in weeks."""
    points = (
        assessments.with_columns(receipt_expr())
        .group_by("trial_id", "time_text", "weeks", "weeks_max", "anchor", "anchor_stated")
        .agg(pl.col("measure").unique(maintain_order=True).str.join("; ").alias("measures"),
             pl.col("receipt").unique(maintain_order=True).str.join(" | "))
        .select("trial_id", pl.lit("assessment").alias("what"), pl.col("time_text").alias("text"), "measures",
                "weeks", "weeks_max", "anchor", "anchor_stated", "receipt")
    )
    ends = trials.select(
        "trial_id", pl.lit("end of follow-up").alias("what"),
        pl.coalesce("follow_up_text", pl.col("follow_up_text_state").replace(LABELS)).alias("text"),
        pl.lit(None, pl.String).alias("measures"),
        pl.col("follow_up_weeks").alias("weeks"), pl.col("follow_up_weeks_max").alias("weeks_max"),
        pl.col("follow_up_anchor").alias("anchor"), pl.col("follow_up_anchor_stated").alias("anchor_stated"),
        receipt_expr("follow_up_source", "follow_up_locator", "follow_up_quote"),
    )
    return (
        pl.concat([points, ends])
        .with_columns(
            pl.when(pl.col("weeks").is_null()).then(pl.lit("cannot be placed"))
            .when(pl.col("weeks_max").is_null()).then(pl.lit("at least"))
            .when(pl.col("weeks_max") > pl.col("weeks")).then(pl.lit("range"))
            .otherwise(pl.lit("exact")).alias("placement"),
            pl.col("anchor").replace(LABELS).str.replace_all("_", " "),
        )
        .sort("trial_id", pl.col("what") == "end of follow-up", "weeks", "text", nulls_last=True)
    )


def week_axis_range(administrations: pl.DataFrame, points: pl.DataFrame) -> tuple[float, float]:
    """One x range for the dosing and follow-up views, so their weeks line up."""
    weeks = pl.concat([administrations["week"], points["weeks"], points["weeks_max"]]).drop_nulls()
    top = float(extremes(weeks)[1]) if weeks.len() else 4.0
    return (-2.0, top * 1.08 + 2)


def takeaway(frame: pl.DataFrame) -> list[str]:
    ends = frame.filter(pl.col("what") == "end of follow-up")
    known = ends.filter(pl.col("placement").is_in(["exact", "range"]))  # a lower bound is not a placed end
    weeks = pl.concat([known["weeks"], known["weeks_max"]]).drop_nulls()
    lo, hi = (f"{w:.0f}" for w in extremes(weeks)) if weeks.len() else ("", "")
    placed = "No end of follow-up can be placed in weeks" if not weeks.len() else \
        f"The ends placed in weeks lie at week {lo}" if lo == hi else \
        f"The ends placed in weeks lie between week {lo} and week {hi}"
    bounds = ends.filter(pl.col("placement") == "at least")["weeks"]
    # an end counted from a moment the record does not name is placed on an assumption, not exactly
    kind = (pl.when((pl.col("placement") == "exact") & (pl.col("anchor_stated") == False))  # noqa: E712
            .then(pl.lit("assumed")).otherwise(pl.col("placement")))
    kinds = dict(ends.select(kind.alias("k"))["k"].value_counts().iter_rows())
    words = {"exact": "exact", "assumed": "from an assumed anchor", "range": "a range",
             "at least": f"at least week {', '.join(f'{w:.0f}' for w in bounds.sort())}",
             "cannot be placed": "cannot be placed"}
    return [placed, "Ends: " + ", ".join(f"{kinds[k]} {w}" for k, w in words.items() if k in kinds)]


def week_axis(tables: Tables) -> tuple[float, float]:
    """One x range for the dosing and follow-up views, so their weeks line up."""
    return week_axis_range(tables["administrations"], follow_up_points(tables["assessments"], tables["trials"]))


COLUMN_HELP = {  # the columns this view derives
    "what": "An assessment time point or the end of follow-up.",
    "text": "The time as the record states it.",
    "placement": "How the time is placed on the week axis: exact, a range (several readings allowed), "
                 "at least (only a lower bound) or cannot be placed.",
}


VIEW = View(
    order=50,
    key="follow_up", title="Follow-up windows", path="follow-up",
    question="When each trial measures and how long it follows participants.",
    how_to_read="Weeks since the first administration (the same axis as “Dosing schedules”). The anchor the "
                "record uses is stated; a range means the record allows several readings; ≥ means only a "
                "lower bound can be placed.",
    transform=lambda t: follow_up_points(t["assessments"], t["trials"]),
    figure=lambda frame, t: follow_up_figure(frame, week_axis(t)),
    presentation={"trial_id": "Trial", "what": "What", "text": "As stated", "weeks": "From week",
                  "weeks_max": "To week", "anchor": "Anchor"},
    csv_name="follow_up_windows", takeaway=takeaway, receipts=("receipt",),
    restyle_for_slide=follow_up_for_slides,
    column_help=COLUMN_HELP,
)
