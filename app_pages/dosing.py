"""Dosing schedules: a swimlane per trial (and cohort), weeks since the first administration."""

import streamlit as st

from trialdata import figures
from trialdata import transforms as tf
from trialdata.ui import components as ui

view = ui.page_view("Dosing schedules", "When each trial gives its product. Week 0 is the first administration; "
                    "administrations whose time is not reported are counted beside the lane, not drawn at a guess.")

# 1. swimlanes
shown = ui.per_trial(view, "swimlanes")
lanes = tf.dosing_lanes(shown["administrations"])
x_range = tf.week_axis_range(shown["administrations"], tf.follow_up_points(shown["assessments"], shown["trials"]))
ui.chart(figures.dosing_figure(lanes, x_range), lanes, "dosing_schedule")

# 2. doses: comparable only within one unit and basis
st.subheader("Doses")
st.caption("Doses are never converted: cells/kg, total cells and particles cannot be compared with each other.")
ui.table(tf.dose_comparability(view["interventions"]), "dose_comparability")

ui.footer()
