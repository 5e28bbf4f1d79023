"""Data quality: findings per trial and kind."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from trialdata.figures import kind_bars
from trialdata.views.base import View
from trialdata.views.words import counted, leaders
from trialdata.vocab import FINDING_COLOURS, label


def findings_figure(counts: pl.DataFrame) -> go.Figure:
    """Findings per trial, stacked by kind, with the counts written on the bars."""
    return kind_bars(counts.rename({"findings": "n"}), "kind", FINDING_COLOURS,
                     "Data-quality findings per trial, by kind", "findings", dtick=1)


def findings_by_trial(flags: pl.DataFrame) -> pl.DataFrame:
    """Number of findings per trial and kind."""
    return flags.group_by("trial_id", "kind").agg(pl.len().cast(pl.Int64).alias("findings")).sort("trial_id", "kind")


def takeaway(frame: pl.DataFrame) -> list[str]:
    kinds = frame.group_by(pl.col("kind").map_elements(label, return_dtype=pl.String)).agg(pl.col("findings").sum())
    trials = frame.group_by("trial_id").agg(pl.col("findings").sum())
    kind, kind_n, kinds_tied = leaders(kinds, "kind", "findings")
    trial, trial_n, trials_tied = leaders(trials, "trial_id", "findings")
    return [f"{counted(int(frame['findings'].sum()), 'finding')} in {counted(trials.height, 'trial')}",
            f"Most common: {kind} ({kind_n}{' each' if kinds_tied > 1 else ''})",
            f"Most findings: {trial} ({trial_n}{' each' if trials_tied > 1 else ''})"]


COLUMN_HELP = {  # the columns this view derives
    "findings": "Number of findings of this kind.",
}


VIEW = View(
    order=60,
    key="findings", title="Data quality", path="data-quality", appraises=True,
    question="Where the records contradict themselves or each other, are ambiguous, implausible or mistyped.",
    how_to_read="Findings per trial and kind.",
    on_screen="Every finding, with the quotes involved, is listed under the chart (open the list to filter it by "
              "kind and trial).",
    transform=lambda t: findings_by_trial(t["flags"]),
    figure=lambda frame, t: findings_figure(frame),
    presentation={"trial_id": "Trial", "kind": "Kind of finding", "findings": "Findings"},
    csv_name="findings_per_trial", takeaway=takeaway,
    page="app_pages/data_quality.py",
    empty="No findings for the trials shown.",
    column_help=COLUMN_HELP,
)
