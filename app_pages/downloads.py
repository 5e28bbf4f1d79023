"""Downloads: every table as CSV (filtered or full), the Parquet build and the data dictionary."""

import streamlit as st

from trialdata.ui import components as ui
from trialdata.ui import downloads, since
from trialdata.ui.data import session_tables
from trialdata.ui.journal_club import journal_club_files

# the data as data: uploaded trials keep their plain ids here (trials.csv's `origin` says which they are)
tables = ui.page_tables("Downloads", "Every table of the dataset. CSV files are UTF-8 with a byte-order mark, so "
                      "Excel shows non-Latin text; empty cells mean not reported (see `provenance` for why).",
                      marked=False)

# 1. journal club: handout (HTML, PDF), slides (PPTX), citable bundle (zip)
st.subheader("Journal club: handout, slides and bundle")
# (with "What changed since the last talk" and changes.csv when the session compares with an older version)
journal_club_files(since.with_changes(ui.per_trial(tables, "journal-club files")))

# 2. CSV, filtered or full
st.subheader("Tables")
scope = st.radio("Rows", ["filtered (as in the sidebar)", "full dataset"], horizontal=True, key="download_scope")
full = scope == "full dataset"
downloads.table_downloads(session_tables() if full else tables, "" if full else "_filtered")

# 3. data dictionary: every column of every table, folded (a long table), with its CSV
st.subheader("Data dictionary")
downloads.data_dictionary()

# 4. Parquet (always the full build)
st.subheader("Parquet (full dataset)")
downloads.parquet_downloads()

ui.footer()
