"""Data quality: findings (filterable), counts per trial, WHO TRDS completeness scorecard."""

import streamlit as st

from trialdata import figures, views
from trialdata import transforms as tf
from trialdata.ui import components as ui
from trialdata.ui import quality

view = views.by_key("findings")
tables = ui.page_tables(view.title, f"{view.question} And how completely each reports the WHO registration "
                      "data set.")

# 1. findings, filtered on this page by kind and trial
st.subheader("Findings")
kinds, trials = quality.findings_filters(tables["flags"])
ui.table(tf.select_findings(tables["flags"], kinds, trials), "findings")

# 2. counts per trial (the view's chart), and 3. the scorecard: drawn one by one, on a bounded selection
shown = ui.per_trial(tables, "findings chart and the scorecard")
counts = view.frame({**shown, "flags": tf.select_findings(shown["flags"], kinds, trials)})
if not counts.is_empty():
    ui.chart(view.figure(counts, shown), counts, view.csv_name)

st.subheader("Reporting completeness (WHO Trial Registration Data Set)")
card = tf.scorecard(shown["reporting"])
ui.chart(figures.scorecard_figure(card), card, "who_trds_scorecard")
st.caption(quality.SCORE_LEGEND)

ui.footer()
