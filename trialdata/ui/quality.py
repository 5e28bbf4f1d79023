"""Data-quality page parts: the findings section (filters, table, counts chart) and the scorecard's legend."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl
import streamlit as st

from trialdata import transforms as tf
from trialdata.schema import label
from trialdata.ui import components as ui
from trialdata.views import View

SCORE_LEGEND = ("Chart: shape and colour give the status (see its legend). Table: ✓ in the registry record · "
                "2° only in a secondary source (mirror page or publication) · ? unclear or only implied · "
                "– not applicable · ✗ not reported anywhere we looked. "
                "Items follow the WHO Trial Registration Data Set v1.3.1.")


def findings_filters(flags: pl.DataFrame) -> tuple[list[str], list[str]]:
    left, right = st.columns(2)
    kinds = left.multiselect("Kind of finding", sorted(flags["kind"].unique()), format_func=label,
                             placeholder="all kinds", key="dq_kinds")
    trials = right.multiselect("Trial", sorted(flags["trial_id"].unique()), placeholder="all trials",
                               key="dq_trials")
    return kinds, trials


@st.fragment  # the findings filters change only this section: the scorecard below is not redrawn
def findings_section(view: View, tables: Mapping[str, pl.DataFrame], shown: Mapping[str, pl.DataFrame]) -> None:
    """The findings of every matching trial, filtered by kind and trial, and the view's chart of their counts
    for the trials drawn."""
    st.subheader("Findings")
    kinds, trials = findings_filters(tables["flags"])
    ui.table(tf.select_findings(tables["flags"], kinds, trials), "findings")
    counts = view.frame({**shown, "flags": tf.select_findings(shown["flags"], kinds, trials)})
    if not counts.is_empty():
        ui.chart(view.figure(counts, shown), counts, view.csv_name)
