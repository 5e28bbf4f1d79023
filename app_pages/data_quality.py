"""Data quality: findings (filterable), counts per trial, WHO TRDS completeness scorecard."""

import streamlit as st

from trialdata import figures
from trialdata import transforms as tf
from trialdata.ui import components as ui

view = ui.page_view("Data quality", "Where the records contradict themselves or each other, are ambiguous, "
                    "implausible or mistyped, and how completely each reports the WHO registration data set.")

# 1. findings, filtered on this page by kind and trial
st.subheader("Findings")
kinds, trials = ui.findings_filters(view["flags"])
flags = tf.select_findings(view["flags"], kinds, trials)
ui.table(flags, "findings")

# 2. counts per trial, and 3. the scorecard: drawn one by one, so on a bounded selection of trials
shown = ui.per_trial(view, "findings chart and the scorecard")
counts = tf.findings_by_trial(tf.select_findings(shown["flags"], kinds, trials))
if not counts.is_empty():
    ui.chart(figures.findings_figure(counts), counts, "findings_per_trial")

st.subheader("Reporting completeness (WHO Trial Registration Data Set)")
card = tf.scorecard(shown["reporting"])
ui.chart(figures.scorecard_figure(card), card, "who_trds_scorecard")
st.caption(ui.SCORE_LEGEND)

ui.footer()
