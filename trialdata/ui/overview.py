"""Overview page parts: design badges and registry links."""

from __future__ import annotations

import polars as pl
import streamlit as st

from trialdata.ui.text import md_escape

BADGE_COLOURS = {"yes": "blue", "no": "gray", "not reported": "orange"}


def design_badges(badges: pl.DataFrame) -> None:
    """One line per trial: phase, randomised?, controlled?, blinded?, single arm? as badges with words."""
    for row in badges.iter_rows(named=True):
        cols = st.columns([2.0, 1.2, 1.7, 1.4, 1.3, 1.4], vertical_alignment="center")
        cols[0].markdown(f"**{md_escape(row['trial_id'])}**")
        cols[1].badge(md_escape(row["phase"]), color="violet")
        for col, name in zip(cols[2:], ["randomised", "controlled", "blinded", "single_arm"], strict=True):
            value = row[name]
            col.badge(f"{name.replace('_', ' ')}: {value}", color=BADGE_COLOURS.get(value, "orange"))


def registry_links(trials: pl.DataFrame) -> None:
    """A button per trial that opens its registry entry."""
    cols = st.columns(max(trials.height, 1))
    for col, (tid, url) in zip(cols, trials.sort("trial_id").select("trial_id", "registry_url").iter_rows(),
                               strict=False):
        col.link_button(f"{tid} ↗", url, width="stretch")
