"""Overview page parts: design badges and registry links."""

from __future__ import annotations

import polars as pl
import streamlit as st

from trialdata.ui.text import md_escape

BADGE_COLOURS = {"yes": "blue", "no": "gray", "not reported": "orange"}


def design_badges(badges: pl.DataFrame) -> None:
    """One flowing row per trial: its id, then phase, randomised?, controlled?, blinded?, single arm? as badges
    with words. The row wraps instead of cutting a badge short (fixed columns cut "controlled: no (im...")."""
    for row in badges.iter_rows(named=True):
        line = st.container(horizontal=True, gap="small", vertical_alignment="center")
        line.markdown(f"**{md_escape(row['trial_id'])}**", width="content")
        line.badge(md_escape(row["phase"]), color="violet")
        for name in ["randomised", "controlled", "blinded", "single_arm"]:
            value = row[name]
            line.badge(f"{name.replace('_', ' ')}: {md_escape(value)}", color=BADGE_COLOURS.get(value, "orange"))


def registry_links(trials: pl.DataFrame) -> None:
    """A button per trial that opens its registry entry, in a row that wraps so every id is shown in full."""
    row = st.container(horizontal=True, gap="small")
    for tid, url in trials.sort("trial_id").select("trial_id", "registry_url").iter_rows():
        row.link_button(f"{tid} ↗", url, width="content")
