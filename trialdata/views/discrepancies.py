"""Registry against publication: does the publication match what the trial registered?"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from trialdata.figures import (
    FIGURE_PX,
    FONT,
    hover_text,
    lane_label,
    margins,
    one_pass,
    rows_height,
)
from trialdata.transforms import looks
from trialdata.views.base import View
from trialdata.views.words import count_of
from trialdata.vocab import (
    VERDICT_LOOKS,
)

VERDICT_PX = 42  # a verdict's column: its 20 px mark with room either side
LINE_PX = 18  # a line of a lane's label (14 px type), with its leading


def discrepancies_figure(rows: pl.DataFrame) -> go.Figure:
    """Registry against publication: one lane per compared aspect, the verdict by shape, colour and column; the
    registry's and the publication's words, with their receipts, on hover."""
    verdicts = [k for k in VERDICT_LOOKS if k in set(rows["verdict"])]
    columns = [VERDICT_LOOKS[v].label for v in verdicts]
    # the lanes' labels take what the verdicts' columns leave of the narrowest figure
    pad = margins()  # the margins' room besides the labels
    room = FIGURE_PX - pad["l"] - pad["r"] - VERDICT_PX * len(columns)
    rows = rows.with_columns(pl.col("lane").map_elements(lambda lane: lane_label(lane, FONT - 3, room),
                                                         return_dtype=pl.String))
    lanes = rows["lane"].to_list()
    lines = max((lane.count("<br>") + 1 for lane in lanes), default=1)
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
    # the column under each mark names its verdict, so no legend (which crowded the title at page width)
    return one_pass(traces, "Registry against publication, aspect by aspect (in the sources held)",
                    rows_height(len(lanes), 6 + LINE_PX * lines, 260), showlegend=False,
                    margin=margins(lanes, columns, x_angle=20, tick_size=FONT - 3),
                    xaxis=dict(type="category", categoryorder="array", categoryarray=columns, tickangle=-20,
                               tickfont=dict(size=FONT - 3), range=[-0.5, len(columns) - 0.5]),
                    yaxis=dict(type="category", categoryorder="array", categoryarray=lanes[::-1],
                               tickfont=dict(size=FONT - 3)))


def discrepancy_rows(discrepancies: pl.DataFrame) -> pl.DataFrame:
    """Registry against publication, one row per compared aspect, with a short lane label and the verdict's
    words and glyph (the registry's and the publication's full texts stay beside them)."""
    short = pl.col("registry").str.slice(0, 48) + pl.when(pl.col("registry").str.len_chars() > 48).then(
        pl.lit("…")).otherwise(pl.lit(""))
    return discrepancies.with_columns(
        pl.format("{} · {}: {}", "trial_id", "aspect", short).alias("lane"),
        *looks("verdict", VERDICT_LOOKS, symbol=False),
    ).sort("trial_id", "aspect", "registry")


def takeaway(frame: pl.DataFrame) -> list[str]:
    unchecked, missing = (count_of(frame, "verdict", v) for v in ("registered_cannot_check", "registered_not_reported"))
    # each count only where it applies: "no result in the full text" says nothing when only summaries are held
    rest = [*([f"{missing} with no result in a full text held"] if missing else []),
            *([f"{unchecked} cannot be checked (only a summary of the publication is held)"] if unchecked else [])]
    return [f"{count_of(frame, 'verdict', 'differs')} aspects differ between registry and publication",
            f"Registered outcomes: {count_of(frame, 'verdict', 'registered_reported')} with a result, "
            f"{count_of(frame, 'verdict', 'registered_partly')} in part",
            "; ".join(rest) or "Every registered outcome has a result in the sources held"]


COLUMN_HELP = {  # the columns this view derives
    "verdict_label": "How the registry and the publication compare on this aspect, in words.",
}


VIEW = View(
    order=100,
    key="discrepancies", title="Registry against publication", path="registry-vs-publication", host="results",
    question="Does the publication match what the trial registered, field by field?",
    how_to_read="For each trial with published results: planned against analysed participants and each "
                "registered outcome against the results (derived from the tables), and what only a curator can "
                "compare (the intervention, follow-up), worded no stronger than the sources.",
    on_screen="Hover a mark for both sides' words and sources.",
    transform=lambda t: discrepancy_rows(t["discrepancies"]),
    figure=lambda frame, t: discrepancies_figure(frame),
    presentation={"trial_id": "Trial", "aspect": "Aspect", "registry": "Registry", "publication": "Publication",
                  "verdict_label": "Verdict", "origin": "How compared"},
    takeaway=takeaway, csv_name="discrepancies",
    empty="No published results were found for the trials shown, so there is nothing to compare.",
    column_help=COLUMN_HELP,
)
