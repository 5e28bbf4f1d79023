"""Reporting completeness: each trial against the WHO Trial Registration Data Set."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from trialdata.figures import (
    FONT,
    hover_text,
    margins,
    one_pass,
    status_bars,
    status_grid,
)
from trialdata.transforms import looks
from trialdata.views.base import View
from trialdata.views.words import counted, extremes
from trialdata.vocab import (
    STATUS_LOOKS,
    ReportingStatus,
)


def scorecard_figure(card: pl.DataFrame) -> go.Figure:
    """Trials x the 24 WHO TRDS items; the marker's shape and colour, and the legend, say where each is reported."""
    items = card.select("item_no", "item_label").unique().sort("item_no")["item_label"].to_list()
    # shape and colour both carry the status, and neither needs a text label on each cell (a label per cell
    # cost the browser ~0.6 s for 25 trials x 24 items)
    traces = status_grid(card, "status", STATUS_LOOKS, "item_label", lambda rows, look: [
        hover_text(f"{t} — {i}", look.label, e)
        for t, i, e in rows.select("trial_id", "item_label", "evidence").iter_rows()],
        size=24, ring=4)
    return one_pass(
        traces, "Reporting completeness: WHO Trial Registration Data Set (24 items)", 300 + 34 * len(items),
        yaxis=dict(categoryorder="array", categoryarray=items[::-1], type="category", tickfont=dict(size=FONT - 3)),
        xaxis=dict(type="category", tickfont=dict(size=FONT - 3), categoryorder="category ascending", tickangle=-20),
        margin=margins(items, card["trial_id"].unique().to_list(), x_angle=20, tick_size=FONT - 3, top=150))


def scorecard(reporting: pl.DataFrame) -> pl.DataFrame:
    """Trials x WHO TRDS items with a status label and a symbol (colour is never the only cue)."""
    return reporting.with_columns(
        *looks("status", STATUS_LOOKS), pl.format("{}. {}", "item_no", "item").alias("item_label"),
    ).sort("item_no", "trial_id")


def scorecard_summary_figure(card: pl.DataFrame) -> go.Figure:
    """For a slide, where 24 rows cannot be read: per trial, how many items are reported where."""
    counts = card.group_by("trial_id", "status").len("items").sort("trial_id")
    lanes = {t: f"{t}<br>({n} items)" for t, n in card.group_by("trial_id").len().iter_rows()}
    return status_bars(counts, lanes, "WHO Trial Registration Data Set items per trial, by where each is reported",
                       "items of the WHO Trial Registration<br>Data Set (v1.3.1)")


def takeaway(card: pl.DataFrame) -> list[str]:
    """How many of the items each trial's sources give (the fewest and the most), and how many no trial gives."""
    given = pl.col("status").is_in([ReportingStatus.IN_RECORD.value, ReportingStatus.SECONDARY_ONLY.value])
    per_trial = card.group_by("trial_id").agg(given.sum().alias("given"))["given"]
    nowhere = card.group_by("item_no").agg((pl.col("status") == ReportingStatus.NOT_REPORTED.value).all())
    lo, hi = extremes(per_trial)
    return [f"Items given by a record or a secondary source: {lo if lo == hi else f'{lo}-{hi}'} of "
            f"{card['item_no'].n_unique()} per trial",
            f"Reported by no trial: {counted(int(nowhere['status'].sum()), 'item')}",
            "Items of the WHO Trial Registration Data Set v1.3.1"]


VIEW = View(
    order=65,
    key="scorecard", title="Reporting completeness", path="who-trds",
    host="findings", appraises=True,
    question="How completely does each trial report the WHO Trial Registration Data Set's 24 items?",
    how_to_read="Chart: the marker's shape and colour give where each item is reported (see its legend). Table: "
                "✓ in the registry record · 2° only in a secondary source (mirror page or publication) · ? unclear "
                "or only implied · – not applicable · ✗ not reported anywhere we looked. Items follow the WHO Trial "
                "Registration Data Set v1.3.1.",
    on_screen="Hover a cell for the evidence.",
    transform=lambda t: scorecard(t["reporting"]),
    figure=lambda frame, t: scorecard_figure(frame),
    smaller_figure=lambda frame, t: scorecard_summary_figure(frame),  # 24 rows do not fit a slide
    slide_how_to_read="One bar per trial, counting the 24 items by where each is reported: ✓ in the registry "
                      "record, 2° only in a secondary source, ? unclear or only implied, – not applicable, ✗ not "
                      "reported anywhere we looked. The grid of every item is on the app's Data quality page and in "
                      "the handout.",
    presentation={"trial_id": "Trial", "item_label": "Item", "symbol": "Mark", "status_label": "Where reported"},
    takeaway=takeaway, csv_name="who_trds_scorecard",
    empty="The trials shown have no WHO Trial Registration Data Set items.",
)
