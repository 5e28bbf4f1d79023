"""Data quality: findings per trial by kind, every finding (folded, filterable), WHO TRDS completeness
scorecard."""

import streamlit as st

from trialdata import figures, views
from trialdata import transforms as tf
from trialdata.ui import components as ui
from trialdata.ui import quality

view = views.by_key("findings")
tables = ui.page_tables(view.title, f"{view.question} And how completely each reports the WHO registration "
                      "data set.")
# the charts draw trials one by one: a bounded selection (the findings table lists every matching trial)
shown = ui.per_trial(tables, "findings chart and the scorecard")

# 1. findings per trial (the view's chart) and 2. every finding, filtered on this page by kind and trial
quality.findings_section(view, tables, shown)

# 3. the scorecard
st.subheader("Reporting completeness (WHO Trial Registration Data Set)")
card = tf.scorecard(shown["reporting"])
ui.chart(figures.scorecard_figure(card), card, "who_trds_scorecard")
st.caption(quality.SCORE_LEGEND)

ui.footer()
