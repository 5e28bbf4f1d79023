"""Presentation mode: one slide at a time, large type, the slide number in the URL."""

from trialdata import report
from trialdata.ui import components as ui
from trialdata.ui import presentation

presentation.presentation_style()
# 1. the slides for the trials shown (title, one per view, one per trial; a bounded selection, or two compared)
tables = presentation.compare_two(ui.per_trial(ui.shown_tables(), "presentation"))
slides = report.slide_list(tables)

# 2. controls and the slide itself
number = presentation.slide_controls(len(slides))
presentation.show_slide(slides[number - 1], tables)

ui.footer()
