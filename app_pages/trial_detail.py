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
detail.trial_header(one["trials"], one["flags"])
detail.record_age(one["trials"])

# 2. every field
st.subheader("Every field, with its receipt")
ui.table(tf.receipts_view(one["provenance"]), f"provenance_{trial_id}", height=520)

# 3. findings, sources, publications, curation: folded under their size, drawn when opened
ui.folded_table("Findings", one["flags"].drop("trial_id"), f"flags_{trial_id}", empty="none for this trial")
ui.folded_table("Sources", one["sources"].drop("trial_id"), f"sources_{trial_id}", empty="none for this trial")
ui.folded_table("Linked publications", one["publications"].drop("trial_id"), f"publications_{trial_id}",
                empty="none is linked to this registration in the dataset")
ui.folded_table("Curation", tf.curation(one["trials"]), f"curation_{trial_id}", empty="not recorded")

ui.footer()
