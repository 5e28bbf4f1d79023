"""Overview page parts: design badges and registry links."""

from __future__ import annotations

import polars as pl
import streamlit as st

from trialdata.ui.text import md_escape

BADGE_COLOURS = {"yes": "blue", "no": "gray", "unclear": "orange", "not reported": "orange"}


def design_badges(badges: pl.DataFrame) -> None:
    """A line per trial: its id, then phase, randomised?, controlled?, blinded?, single arm? as badges with
    words, in one markdown element (one element a trial instead of seven: each element costs the browser);
    the line wraps instead of cutting a badge short."""
    for row in badges.iter_rows(named=True):
        phase = row["phase"] if row["phase"].startswith(("Phase", "Early")) else f"phase: {row['phase']}"
        marks = [f"**{md_escape(row['trial_id'])}**", f":violet-badge[{md_escape(phase)}]"]
        for name in ["randomised", "controlled", "blinded", "single_arm"]:
            value = row[name]
            text = md_escape(f"{name.replace('_', ' ')}: {value}")
            marks.append(f":{BADGE_COLOURS.get(value, 'orange')}-badge[{text}]")
        st.markdown(" ".join(marks))


def registry_links(trials: pl.DataFrame) -> None:
    """A button per trial that opens its registry entry, in a row that wraps so every id is shown in full."""
    row = st.container(horizontal=True, gap="small")
    for tid, url in trials.sort("trial_id").select("trial_id", "registry_url").iter_rows():
        row.link_button(f"{tid} ↗", url, width="content")
