"""Downloads: every table as CSV (filtered or full), the Parquet build and the data dictionary."""

import streamlit as st

from trialdata.ui import components as ui

view = ui.page_view("Downloads", "Every table of the dataset. CSV files are UTF-8 with a byte-order mark, so "
                    "Excel shows non-Latin text; empty cells mean not reported (see `provenance` for why).")

# 1. journal club: handout (HTML, PDF), slides (PPTX), citable bundle (zip)
st.subheader("Journal club: handout, slides and bundle")
ui.journal_club_files(ui.per_trial(view, "journal-club files"))

# 2. CSV, filtered or full
st.subheader("Tables")
scope = st.radio("Rows", ["filtered (as in the sidebar)", "full dataset"], horizontal=True, key="download_scope")
ui.table_downloads(view, full=scope == "full dataset")

# 3. data dictionary
st.subheader("Data dictionary")
ui.data_dictionary()

# 4. Parquet (always the full build)
st.subheader("Parquet (full dataset)")
ui.parquet_downloads()

ui.footer()
