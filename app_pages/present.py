"""Presentation mode: one slide at a time, large type, the slide number in the URL."""

from trialdata import report
from trialdata.ui import components as ui

ui.presentation_style()
# 1. the slides for the trials shown (title, one per comparison, one per trial; a bounded selection)
view = ui.per_trial(ui.filtered_view(), "presentation")
slides = report.slide_list(view)

# 2. controls and the slide itself
number = ui.slide_controls(len(slides))
ui.show_slide(slides[number - 1], view)

ui.footer()
