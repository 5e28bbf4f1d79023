"""Overview: headline numbers, design badges, the side-by-side comparison and the design features grid."""

import streamlit as st

from trialdata import transforms as tf
from trialdata import views
from trialdata.report.content import SOURCE_MARKS
from trialdata.ui import components as ui
from trialdata.ui import faults, overview
from trialdata.views.words import counted


@st.fragment  # the transpose toggle redraws only this section
@faults.contained
def side_by_side(trials) -> None:  # the trials frame shown
    st.subheader("Side by side")
    transpose = st.toggle("Trials as rows (transpose)", key="overview_transpose")
    overview.registry_links(trials)
    ui.table(tf.comparison_table(trials, fields_as_rows=not transpose), "comparison", height="content")
    st.caption(SOURCE_MARKS)  # what the table's "2°" and "values differ" mean, as the handout says under its grid


tables = ui.page_tables("Overview", "Early-phase MSC trials side by side. Every value has a receipt (see *Trial "
                        "detail*); what a record does not say is shown as **not reported**, never as 0.")

# 1. headline numbers (short values; the breakdown goes in the caption so nothing is cut off)
n = tf.headline_numbers(tables["trials"])
cols = st.columns([0.8, 1.1, 1.1, 1, 1.5])  # room for "ClinicalTrials.gov: 3" on one line at 1024 px
cols[0].metric("Trials", n["trials"])
cols[1].metric("Target n", n["known_participants"], help="The participants the trials plan to enrol: the sum of "
               "the target sample sizes that are reported.")
missing = n["participants_not_reported"]
cols[1].caption(f"known targets only; {counted(missing, 'trial')} not reported" if missing else "every target reported")
cols[2].metric("Product types", len(n["products"]))
cols[2].caption("  \n".join(f"{k}: {v}" for k, v in n["products"].items()))  # a line each: never cut mid-name
cols[3].metric("Conditions", n["conditions"])
cols[4].metric("Registries", len(n["registries"]))
cols[4].caption("  \n".join(f"{k}: {v}" for k, v in n["registries"].items()))

# 2. design badges and the side-by-side comparison (one by one: a bounded selection)
shown = ui.per_trial(tables, "side-by-side comparison")
st.subheader("Design at a glance")
overview.design_badges(views.design.design_badges(shown["trials"], shown["design_features"]))
side_by_side(shown["trials"])

# 3. the views drawn here (the design features grid, trialdata/views/design.py)
ui.guest_views("overview", shown)

ui.footer()
