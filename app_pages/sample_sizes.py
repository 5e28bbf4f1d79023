"""Sample sizes: target and actual enrollment, every source's claim, totals that never add unknowns as 0."""

import streamlit as st

from trialdata import figures
from trialdata import transforms as tf
from trialdata.ui import components as ui

view = ui.page_view("Sample sizes", "Planned (target) and actual enrollment. A trial whose target is not "
                    "reported has no bar; where sources disagree, each claim is shown with its source.")

# 1. per trial, every claim
points = tf.sample_size_points(ui.per_trial(view, "sample-size chart")["provenance"])
ui.chart(figures.sample_size_figure(points), points, "sample_size_claims")

# 2. totals
st.subheader("Totals")
st.caption("Known targets are summed; trials that do not report one are counted apart, not added as 0. "
           "A trial with two conditions counts under both.")
left, right = st.columns(2)
with left:
    ui.table(tf.enrollment_totals(tf.by_condition(view["trials"]), "condition"), "enrollment_by_condition")
with right:
    ui.table(tf.enrollment_totals(view["trials"], "product_type"), "enrollment_by_product")

ui.footer()
