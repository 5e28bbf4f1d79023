"""Data-quality page parts: the findings section (counts chart, then every finding with its filters)."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl
import streamlit as st

from trialdata import transforms as tf
from trialdata.schema import label
from trialdata.ui import components as ui
from trialdata.ui import faults
from trialdata.views import View
from trialdata.views.words import counted


def findings_filters(flags: pl.DataFrame) -> tuple[list[str], list[str]]:
    left, right = st.columns(2)
    kinds = left.multiselect("Kind of finding", sorted(flags["kind"].unique()), format_func=label,
                             placeholder="all kinds", key="dq_kinds")
    trials = right.multiselect("Trial", sorted(flags["trial_id"].unique()), placeholder="all trials",
                               key="dq_trials")
    return kinds, trials


def findings_section(view: View, tables: Mapping[str, pl.DataFrame], shown: Mapping[str, pl.DataFrame]) -> None:
    """The view's chart of findings per trial and kind for the trials drawn, then every matching trial's
    findings."""
    st.subheader("Findings")
    made = faults.guarded(f"The view {view.key}", lambda: ui.drawing(view, shown, {}))  # once per selection
    if made is None:
        faults.view_failed(view.title)
        every_finding(tables["flags"])
        return
    counts, fig, on_page = made
    if fig is None:
        ui.empty_note(view.empty)
    else:
        ui.chart(fig, counts, view.csv_name, on_page, view.image_style)
    every_finding(tables["flags"])


@st.fragment  # opening the list or changing its filters redraws only this section, not the charts
@faults.contained
def every_finding(flags: pl.DataFrame) -> None:
    """Every finding with the quotes involved, folded, filtered by kind and trial when opened."""
    if flags.is_empty():  # the chart above already says there is none
        return
    if box := ui.fold(f"Every finding, with the quotes involved ({counted(flags.height, 'row')})",
                      "open-findings"):
        with box:
            kinds, trials = findings_filters(flags)
            chosen = tf.select_findings(flags, kinds, trials)
            if kinds or trials:
                st.caption(f"{chosen.height} of {flags.height} findings match the kinds and trials chosen.")
            ui.table(chosen, "findings")
