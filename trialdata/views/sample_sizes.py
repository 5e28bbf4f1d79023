"""Sample sizes: how many participants each trial planned and enrolled, by every source's claim."""

from __future__ import annotations

import html

import plotly.graph_objects as go
import polars as pl

from trialdata.figures import (
    FONT,
    hover_text,
    margins,
    one_pass,
)
from trialdata.provenance import receipt_expr
from trialdata.schema import LABELS
from trialdata.transforms import by_condition
from trialdata.views.base import Section, View
from trialdata.views.words import counted, extremes, largest
from trialdata.vocab import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
)

# the sample-size chart's vertical layout, in y units (PX_PER_UNIT pixels each): every claim drawn as a marker
# gets its own line under its trial's bar, so two labels never share a line and cannot print over each other
# (an uploaded 65-participant trial squeezed NCT06574581's "10 (crick)" and "16 (meddatax)" into one)
CLAIM_STEP, BAR_WIDTH, TRIAL_GAP, PX_PER_UNIT = 0.3, 0.36, 0.4, 90


def sample_size_layout(points: pl.DataFrame) -> tuple[dict[str, float], dict[str, float], list[float | None], float]:
    """Where each trial's bar, tick and marker claims go: (bar y per trial, tick y per trial, a y per row of
    `points` (None for rows not drawn as markers), the height of the whole stack in y units). Trials run
    top to bottom by id; a trial's marker claims sit on lines of their own under its bar."""
    trials = sorted(points["trial_id"].unique(), reverse=True)  # the bottom one first
    markers = points.with_row_index("row").filter(pl.col("plotted_as") == "marker").sort(
        "trial_id", "measure", "participants", "source", descending=[False, True, False, False], nulls_last=True)
    rows_of = {t: group["row"].to_list() for (t,), group in markers.partition_by("trial_id", as_dict=True).items()}
    row_y: list[float | None] = [None] * points.height  # None: a row not drawn as a marker
    bar_y, tick_y, y = {}, {}, 0.0
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
    top = largest(points["participants"]) or 1
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


def sample_size_points(provenance: pl.DataFrame) -> pl.DataFrame:
    """Every claim about target and actual enrollment, one row each, with its receipt and a label."""
    return (
        provenance.filter(pl.col("field").is_in(["enrollment.target", "enrollment.actual"]))
        .with_columns(
            pl.col("field").str.replace("enrollment.", "").alias("measure"),
            pl.col("value").cast(pl.Int64, strict=False).alias("participants"),
            receipt_expr(),
        )
        .with_columns(
            pl.format("{}{}: {}", pl.col("measure"), pl.col("claim").replace({"headline": "", "also": " (also)"}),
                      pl.coalesce(pl.col("participants").cast(pl.String), pl.col("state").replace(LABELS)))
            .alias("label"),
        )
        .with_columns(_plotted_as())
        .select("trial_id", "measure", "claim", "state", "participants", "plotted_as", "source", "source_role",
                "receipt", "label", "note")
        .sort("trial_id", "measure", pl.col("claim") != "headline")
    )


def _plotted_as() -> pl.Expr:
    """How the chart shows each claim; another claim that repeats the headline value is left to the table."""
    headline = pl.col("participants").filter(pl.col("claim") == "headline").first().over("trial_id", "measure")
    return (
        pl.when(pl.col("participants").is_null() & (pl.col("claim") == "headline") & (pl.col("measure") == "target"))
        .then(pl.lit("label: not reported"))
        .when(pl.col("participants").is_null()).then(pl.lit("table only (not reported)"))
        .when((pl.col("measure") == "target") & (pl.col("claim") == "headline")).then(pl.lit("bar"))
        .when((pl.col("claim") == "also") & (pl.col("participants") == headline)).then(pl.lit("table only (agrees)"))
        .otherwise(pl.lit("marker"))
        .alias("plotted_as")
    )


def enrollment_totals(trials: pl.DataFrame, by: str) -> pl.DataFrame:
    """Known target enrollment summed by a column; trials whose number is unknown are counted apart."""
    return (
        trials.with_columns(pl.col(by).fill_null("not reported"))
        .group_by(by)
        .agg(
            pl.len().cast(pl.Int64).alias("trials"),
            # a group with no known target has an unknown total, not 0
            pl.when(pl.col("target_enrollment").count() > 0).then(pl.col("target_enrollment").sum())
            .alias("known_participants"),
            pl.col("target_enrollment").is_null().sum().cast(pl.Int64).alias("trials_not_reported"),
        )
        .sort(by)
    )


def takeaway(frame: pl.DataFrame) -> list[str]:
    targets = frame.filter((pl.col("measure") == "target") & (pl.col("claim") == "headline"))
    known = targets["participants"].drop_nulls()
    if known.len():
        lo, hi = extremes(known)
        lines = [f"Planned sizes {lo}–{hi} participants"]
    else:
        lines = ["No trial reports a target"]
    missing = targets.height - known.len()
    if known.len() and missing:  # with none known, the first line has said it
        lines.append(f"{missing} of {targets.height} trials {'reports' if missing == 1 else 'report'} no target")
    elif known.len():
        every = {1: "The trial reports", 2: "Both trials report"}.get(targets.height,
                                                                        f"All {targets.height} trials report")
        lines.append(f"{every} a target")
    disputed = (frame.filter(pl.col("participants").is_not_null()).group_by("trial_id", "measure")
                .agg(pl.col("participants").n_unique().alias("values")).filter(pl.col("values") > 1)
                ["trial_id"].n_unique())
    if disputed:
        lines.append(f"The record or its sources give different numbers for {counted(disputed, 'trial')}")
    return lines


COLUMN_HELP = {  # the columns this view derives
    "measure": "target (planned participants) or actual (enrolled participants).",
    "participants": "Number of participants the claim gives.",
    "plotted_as": "How the chart draws this row: a bar (the headline target), a marker (another claim), a label "
                  "(not reported), or only in this table (it agrees with a drawn claim).",
    "known_participants": "Sum of the targets that are reported (a trial without one adds nothing, not 0).",
    "trials_not_reported": "Trials that do not report a target, counted apart.",
    "condition": "Condition (a trial with two conditions counts under both).",
}


VIEW = View(
    order=10,
    key="sample_sizes", title="Sample sizes", path="sample-sizes",
    question="How many participants each trial planned and enrolled, by every source's claim.",
    how_to_read="Planned (target) and actual enrollment. A trial whose target is not reported has no bar; "
                "where sources disagree, each claim is shown with its source.",
    transform=lambda t: sample_size_points(t["provenance"]),
    figure=lambda frame, t: sample_size_figure(frame),
    presentation={"trial_id": "Trial", "measure": "Measure", "claim": "Claim", "participants": "Participants",
                  "source": "Source", "source_role": "Source role"},
    csv_name="sample_size_claims", takeaway=takeaway, receipts=("receipt",),
    sections=(
        Section("Totals by condition", lambda t: enrollment_totals(by_condition(t["trials"]), "condition"),
                "enrollment_by_condition",
                "Known targets are summed; trials that do not report one are counted apart, not added as 0. "
                "A trial with two conditions counts under both."),
        Section("Totals by product", lambda t: enrollment_totals(t["trials"], "product_type"),
                "enrollment_by_product"),
    ),
    column_help=COLUMN_HELP,
)
