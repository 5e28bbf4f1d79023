"""Follow-up windows: assessment times and end of follow-up on the dosing view's week axis."""

from trialdata import figures
from trialdata import transforms as tf
from trialdata.ui import components as ui

view = ui.page_view("Follow-up windows", "When each trial measures and how long it follows participants, in "
                    "weeks since the first administration (the same axis as *Dosing schedules*). The anchor the "
                    "record uses is stated; a range means the record allows several readings; ≥ means only a "
                    "lower bound can be placed.")

shown = ui.per_trial(view, "follow-up lanes")
points = tf.follow_up_points(shown["assessments"], shown["trials"])
x_range = tf.week_axis_range(shown["administrations"], points)
ui.chart(figures.follow_up_figure(points, x_range), points, "follow_up_windows")

ui.footer()
