"""Results: what the published results found, as reported."""

from __future__ import annotations

import re

import plotly.graph_objects as go
import polars as pl

from trialdata.figures import (
    FIGURE_PX,
    FONT,
    NOTES_PX,
    hover_text,
    lane_label,
    margins,
    note_text,
    one_pass,
    plot_px,
    right_notes_px,
    rows_height,
)
from trialdata.schema import LABELS
from trialdata.views.base import View
from trialdata.vocab import (
    BLUE,
    GREY,
    SPREAD_KINDS,
)


def short_context(context: str | None) -> str:
    """A result's design context without the co-treatment's list (the hover and the table give it whole)."""
    return re.sub(r" \([^)]*\)(?=: not attributable)", "", context or "")


# the plot's least width at 1024 px: a value's label (~70 px for "20.1 ± 3.1") is centred on its marker, and the
# plot clips what reaches past it
PLOT_MIN_PX = 120


def results_figure(results: pl.DataFrame) -> go.Figure:
    """Published results: baseline and follow-up value with their +/- figures, one lane per outcome and group
    (each lane in its own unit); a result given only in words is written in its lane, not drawn."""
    rows = results.to_dicts()
    said = [(f"{r['trial_id']} · {r['outcome']}", f"{r['group']}, n = " + (
        f"{r['n_analysed']}" if r["n_analysed"] is not None else "not reported")
        + (" (unclear)" if r["n_analysed_state"] == "unclear" else "")) for r in rows]
    y_of = {i: len(rows) - 1 - i for i in range(len(rows))}  # first result at the top
    numeric = [i for i, r in enumerate(rows) if r["baseline"] is not None and r["follow_up"] is not None]
    ends = [(r[c] or 0) + (r[f"{c}_spread"] or 0) for r in rows for c in ("baseline", "follow_up")]
    top = max([*ends, 1])
    kinds = sorted({r["spread_kind"] for r in rows if r["spread_kind"]})
    spread = ", ".join(SPREAD_KINDS[k] for k in kinds)
    traces = []
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
    # right of the plot, in pixels: on a narrow screen a value's label near the axis end reached a note placed in
    # data units just past it
    notes = [dict(x=1, xref="paper", xshift=8, y=y_of[i], xanchor="left", showarrow=False, font=dict(size=FONT - 3),
                  align="left", text=note_text(f"{r['time_point']}: P {r['p_value'] or 'not reported'}",
                                               short_context(r["design_context"]), px=NOTES_PX, size=FONT - 3))
             for i, r in enumerate(rows) if i in numeric]
    right = right_notes_px(notes)
    # the lanes' labels take what the notes and the plot leave of the narrowest figure
    room = FIGURE_PX - margins()["l"] - right - PLOT_MIN_PX
    lanes = [f"{lane_label(what, px=room)}<br>{lane_label(who, px=room)}" for what, who in said]
    margin = dict(margins(lanes, x_title=True), r=right)
    # a result in words is written across its lane, from the plot's left edge to the figure's right one
    notes += [dict(x=0, y=y_of[i], xanchor="left", showarrow=False, align="left",
                   font=dict(size=FONT - 3, color="#1f1f1f"),
                   text=note_text(f"in words, no numbers held: {r['statement'] or 'not reported'}",
                                  px=plot_px(margin) + margin["r"], size=FONT - 3))
              for i, r in enumerate(rows) if i not in numeric]
    return one_pass(traces, "Published results as reported (each lane in its own unit; lanes are not comparable)",
                    rows_height(len(lanes), 110), annotations=notes, margin=margin,
                    xaxis=dict(title=f"value as reported (± as given: {spread})", range=[0, top * 1.1]),
                    yaxis=dict(tickvals=list(y_of.values()), ticktext=lanes, range=[-0.6, len(lanes) - 0.4]))


def _num_text(col: str) -> pl.Expr:
    return pl.col(col).round(2).cast(pl.String).str.replace(r"\.0$", "")


def result_lines(results: pl.DataFrame) -> pl.DataFrame:
    """Published results with a one-line summary as reported: baseline -> follow-up with their +/- figures and
    the P value, or the statement when the result is given in words only."""
    spread = pl.col("spread_kind").replace(SPREAD_KINDS).fill_null("no +/- figure")

    def value(col: str) -> pl.Expr:  # a missing part is said in words, so it never empties the whole line
        return (pl.when(pl.col(col).is_null()).then(pl.lit("not reported"))
                .when(pl.col(f"{col}_spread").is_null()).then(_num_text(col))
                .otherwise(pl.format("{} ± {}", _num_text(col), _num_text(f"{col}_spread"))))

    numbers = pl.format("{} → {} ({}, {}); P {}", value("baseline"), value("follow_up"),
                        pl.col("estimate").fill_null("estimate not stated"), spread,
                        pl.coalesce("p_value", pl.col("p_value_state").replace(LABELS)))
    return results.with_columns(
        pl.when(pl.col("baseline").is_not_null() | pl.col("follow_up").is_not_null()).then(numbers)
        .when(pl.col("statement").is_not_null()).then(pl.format("in words: {}", "statement"))
        .otherwise(pl.lit("no value in the sources held")).alias("summary"),
    ).sort("trial_id", "result")


def takeaway(frame: pl.DataFrame) -> list[str]:
    trials = frame["trial_id"].unique().sort().to_list()
    contexts = frame.select("trial_id", "design_context").unique().sort("trial_id")
    return [f"Published results held for {', '.join(trials)}",
            f"{frame.filter(pl.col('baseline').is_not_null()).height} as numbers, "
            f"{frame.filter(pl.col('baseline').is_null() & pl.col('statement').is_not_null()).height} in words only",
            f"{contexts['trial_id'][0]}: {short_context(contexts['design_context'][0])}"
            if contexts.height == 1 else "Read each effect with its design (comparator, co-treatment): see the table"]


COLUMN_HELP = {  # the columns this view derives
    "summary": "The result in one line, as reported: baseline and follow-up with their +/- figures, and the P "
               "value.",
}


VIEW = View(
    order=90,
    key="results", title="Results vs registration", path="results", appraises=True,
    question="What did the published results find, and does the publication match what the trial registered?",
    how_to_read="Each published result as reported, with its +/- figure and P value (a result given only in "
                "words is written, not drawn).",
    on_screen="Below: the registry against the publication, and whether a result is overdue for every trial.",
    transform=lambda t: result_lines(t["results"]),
    figure=lambda frame, t: results_figure(frame),
    presentation={"trial_id": "Trial", "outcome": "Outcome", "time_point": "Time point",
                  "n_analysed": "n analysed", "summary": "Result as reported", "design_context": "Read with"},
    takeaway=takeaway, csv_name="results",
    empty="No published results were found for the trials shown, in the sources held in this dataset.",
    column_help=COLUMN_HELP,
)
