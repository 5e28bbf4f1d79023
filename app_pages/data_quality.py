"""Data quality: findings per trial by kind, every finding (folded, filterable), WHO TRDS completeness
scorecard."""

import streamlit as st

from trialdata import views
from trialdata.ui import components as ui
from trialdata.ui import quality
from trialdata.ui.data import per_selection

view = views.by_key("findings")
tables = ui.page_tables(view.title, f"{view.question} And how completely each reports the WHO registration "
                      "data set.")
# the charts draw trials one by one: a bounded selection (the findings table lists every matching trial)
shown = ui.per_trial(tables, "findings chart and the scorecard")

# 1. findings per trial (the view's chart) and 2. every finding, filtered on this page by kind and trial
quality.findings_section(view, tables, shown)

# 3. the scorecard
st.subheader("Reporting completeness (WHO Trial Registration Data Set)")
ids = tuple(sorted(shown["trials"]["trial_id"]))
card, fig, on_page = per_selection(("scorecard", ids), lambda: quality.scorecard(shown))
ui.chart(fig, card, "who_trds_scorecard", on_page)
st.caption(quality.SCORE_LEGEND)

ui.footer()
