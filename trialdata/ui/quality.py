"""Data-quality page parts: the findings filters and the scorecard's legend."""

from __future__ import annotations

import polars as pl
import streamlit as st

from trialdata.schema import label

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
