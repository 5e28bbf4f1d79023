"""Outcomes: what each trial measures, by outcome domain, primary or secondary."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from trialdata.figures import (
    FONT,
    hover_text,
    margins,
    one_pass,
    rows_height,
)
from trialdata.provenance import receipt_expr
from trialdata.schema import LABELS, Domain
from trialdata.views.base import Section, View
from trialdata.views.words import counted, leaders
from trialdata.vocab import (
    BLUE,
    ORANGE,
    label,
)


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
        traces, "What each trial measures (primary vs secondary outcomes)", rows_height(len(trials), 70, 300),
        margin=margins(trials, domains, x_title=True, x_angle=30),
        xaxis=dict(tickvals=list(range(len(DOMAIN_ORDER))), ticktext=domains,
                   tickangle=-30, range=[-0.6, len(DOMAIN_ORDER) - 0.4], title="outcome domain"),
        yaxis=dict(categoryorder="array", categoryarray=trials, type="category"))


DOMAIN_ORDER = [d.value for d in Domain]


def outcome_cells(outcomes: pl.DataFrame) -> pl.DataFrame:
    """Trial x domain x kind: how many outcomes, and their measures, methods and time frames."""
    return (
        outcomes.with_columns(receipt_expr())
        .group_by("trial_id", "domain", "kind")
        .agg(
            pl.len().cast(pl.Int64).alias("outcomes"),
            pl.col("measure").fill_null("not reported").str.join(" | ").alias("measures"),
            pl.col("method").fill_null("not reported").str.join(" | ").alias("methods"),
            pl.col("time_frame").fill_null("not reported").str.join(" | ").alias("time_frames"),
            pl.col("receipt").str.join(" | ").alias("receipts"),
        )
        .with_columns(pl.col("domain").replace(LABELS).alias("domain_label"))
        .sort("trial_id", "domain", "kind")
    )


def takeaway(frame: pl.DataFrame) -> list[str]:
    kinds = frame.group_by("kind").agg(pl.col("outcomes").sum()).sort("kind")
    domains = frame.group_by("domain_label").agg(pl.col("trial_id").n_unique().alias("trials"))
    names, top, tied = leaders(domains, "domain_label", "trials")
    most = (f"Each domain is measured in {counted(top, 'trial')}" if tied == domains.height > 1
            else f"Most often measured: {names} ({counted(top, 'trial')}{' each' if tied > 1 else ''})")
    return [f"{counted(int(frame['outcomes'].sum()), 'outcome')} in "
            f"{counted(frame['domain_label'].n_unique(), 'domain')}",
            ", ".join(f"{n} {kind}" for kind, n in kinds.iter_rows()), most]


COLUMN_HELP = {  # the columns this view derives
    "domain_label": "Outcome domain in words.",
    "outcomes": "How many outcomes of this trial fall in this domain and kind.",
    "measures": "What is measured, as the record words it.",
    "methods": "How it is measured, as the record words it.",
    "time_frames": "When it is measured, as the record words it.",
}


VIEW = View(
    order=40,
    key="outcomes", title="Outcomes", path="outcomes",
    question="What each trial measures, by outcome domain, primary or secondary.",
    how_to_read="Filled squares are primary outcomes, open diamonds secondary; the number is how many "
                "outcomes fall in that domain.",
    on_screen="Hover for measures, methods and time frames.",
    transform=lambda t: outcome_cells(t["outcomes"]),
    figure=lambda frame, t: outcomes_figure(frame),
    presentation={"trial_id": "Trial", "domain_label": "Domain", "kind": "Kind", "outcomes": "Outcomes",
                  "measures": "Measures"},
    csv_name="outcome_matrix", takeaway=takeaway, receipts=("receipts",),
    sections=(Section("Every outcome", lambda t: t["outcomes"], "outcomes"),),
    empty="The trials shown have no registered outcomes.",
    column_help=COLUMN_HELP,
)
