"""Add trials: upload YAML or ClinicalTrials.gov JSON to compare your own candidates with the curated trials."""

import streamlit as st

from trialdata.ui import components as ui
from trialdata.ui import uploads

st.title("Add trials")
st.write("Compare your own candidates with the curated trials. Upload a trial in this dataset's YAML format "
         "(add the registry record as a .txt file so every quote can be checked) or a ClinicalTrials.gov API v2 "
         "JSON record (cell-therapy fields come in as *unclear*). Each file is checked; valid trials join the "
         "comparison **for this browser session only** and are never written to disk. Limits: 10 files per "
         "upload, 1 MB per file, 20 uploaded trials per session.")

# 1. upload and check
uploads.upload_box()
uploads.upload_report()

# 2. what this session has added
st.subheader("Uploaded in this session")
uploads.session_uploads()

ui.footer()
