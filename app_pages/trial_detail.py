"""Trial detail: every field of one trial with its state, value, source, locator and quote."""

import streamlit as st

from trialdata import store
from trialdata import transforms as tf
from trialdata.ui import components as ui
from trialdata.ui import detail

tables = ui.page_tables("Trial detail", "Every value of one trial with its receipt: the state, the value, the "
                      "source, where in the source, and the source's own words.")

# 1. which trial (kept in the URL as ?trial=)
trial_id = detail.trial_picker(tables["trials"])
one = store.restrict(tables, [trial_id])
detail.trial_header(one["trials"])

# 2. every field
st.subheader("Every field, with its receipt")
ui.table(tf.receipts_view(one["provenance"]), f"provenance_{trial_id}", height=520)

# 3. findings, sources, publications, curation
st.subheader(f"Findings ({one['flags'].height})")
ui.table(one["flags"].drop("trial_id"), f"flags_{trial_id}")
st.subheader("Sources")
ui.table(one["sources"].drop("trial_id"), f"sources_{trial_id}")
st.subheader("Linked publications")
if one["publications"].is_empty():
    ui.empty_note("No publication is linked to this registration in the dataset.")
else:
    ui.table(one["publications"].drop("trial_id"), f"publications_{trial_id}")
st.subheader("Curation")
ui.table(tf.curation(one["trials"]), f"curation_{trial_id}")

ui.footer()
