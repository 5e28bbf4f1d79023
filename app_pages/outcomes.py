"""Outcomes: trials x outcome domains, primary vs secondary."""

import streamlit as st

from trialdata import figures
from trialdata import transforms as tf
from trialdata.ui import components as ui

view = ui.page_view("Outcomes", "What each trial measures. Filled squares are primary outcomes, open diamonds "
                    "secondary; the number is how many outcomes fall in that domain. Hover for measures, methods "
                    "and time frames.")

# 1. matrix
cells = tf.outcome_cells(ui.per_trial(view, "outcome matrix")["outcomes"])
if cells.is_empty():
    ui.empty_note("The trials shown have no registered outcomes.")
else:
    ui.chart(figures.outcomes_figure(cells), cells, "outcome_matrix")

# 2. every outcome
st.subheader("Every outcome")
ui.table(view["outcomes"], "outcomes")

ui.footer()
