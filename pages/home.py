"""Home: the curated trials at a glance (the full dashboard comes with the dashboard issue)."""

import streamlit as st

from trialdata.transforms import trial_overview
from trialdata.ui.components import csv_download, footer
from trialdata.ui.data import tables

st.title("MSC trials evidence dashboard")
st.write(
    "Early-phase mesenchymal-stem-cell trials side by side. Every value carries its receipt "
    "(source, locator, verbatim quote); what a record does not say is shown as **not reported**, never as 0."
)

# 1. data
data = tables()
overview = trial_overview(data["trials"])

# 2. table and download
st.subheader(f"{overview.height} curated trials")
st.dataframe(overview, hide_index=True, width="stretch")
csv_download(overview, "trials_overview")

# 3. findings
st.subheader(f"{data['flags'].height} data-quality findings")
st.dataframe(data["flags"].select("trial_id", "kind", "field", "message"), hide_index=True, width="stretch")

footer()
