"""Journal-club files: the handout (HTML, PDF), the slide deck and the citable bundle for the trials shown."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

import polars as pl
import streamlit as st

from trialdata import store
from trialdata.report.bundle import bundle_zip
from trialdata.report.content import Meta
from trialdata.report.deck import slides_pptx
from trialdata.report.handout import handout_html
from trialdata.report.pdf import handout_pdf
from trialdata.ui import since
from trialdata.ui.components import filters_text
from trialdata.ui.data import manifest
from trialdata.ui.state import FILTERS, JOURNAL_CLUB_FILES

MIMES = {"html": "text/html", "pdf": "application/pdf", "zip": "application/zip",
         "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}


def meta() -> Meta:
    m = manifest()
    query = urlencode(st.query_params.to_dict())  # filter values can hold spaces and commas
    link = f"{st.context.url}?{query}" if query else st.context.url
    return Meta(m["dataset_version"], m["data_as_of"], link=link, filters=filters_text())


def _paper_name(paper: str) -> str:
    return {"a4": "A4", "letter": "US Letter"}[paper]


def journal_club_files(data: Mapping[str, pl.DataFrame]) -> None:
    """Make the files for these trials, with progress: the handout and deck show uploaded trials marked, the
    bundle keeps plain ids (its trials.csv says which are user-supplied)."""
    paper = st.radio("Handout paper", ["a4", "letter"], format_func=_paper_name,
                     horizontal=True, key="jc-paper")
    since.said_on_downloads()
    key = (FILTERS.get().selected, tuple(data["trials"]["trial_id"]), paper, since.compared_with())
    if st.button("Make handout, slides and bundle for the trials shown", icon=":material/slideshow:"):
        info, shown = meta(), store.as_shown(data)
        with st.status("Making the journal-club files…", expanded=True) as status:
            st.write("Handout as one offline HTML file…")
            page = handout_html(shown, info, paper=paper)
            st.write("The same handout as PDF (printed by headless Chromium)…")
            pdf = handout_pdf(page)
            st.write("Slide deck with 16:9 figures and speaker notes…")
            deck = slides_pptx(shown, info)
            st.write("Citable bundle (CSV, Parquet, dictionary, README, CITATION.cff)…")
            bundle = bundle_zip(data, info)
            status.update(label="The journal-club files are ready", state="complete", expanded=False)
        JOURNAL_CLUB_FILES.set((key, info.stem, {"handout.html": page.encode("utf-8"), "handout.pdf": pdf,
                                                 "slides.pptx": deck, "bundle.zip": bundle}))
    made = JOURNAL_CLUB_FILES.get()
    if made and made[0] == key:
        _, stem, files = made
        for col, (suffix, payload) in zip(st.columns(len(files)), files.items(), strict=True):
            col.download_button(f"Download {suffix}", data=payload, file_name=f"{stem}_{suffix}",
                                mime=MIMES[suffix.rsplit(".", 1)[1]], on_click="ignore", key=f"jc-{suffix}")
