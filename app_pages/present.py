"""Presentation mode: one slide at a time, large type, the slide number in the URL."""

from trialdata.ui import components as ui
from trialdata.ui import presentation, since

presentation.presentation_style()
# the trials shown (a bounded selection), then the deck: a choice of two to compare, the controls and the
# slide (title, summaries, one per view, one per trial, the findings); moving between slides reruns only
# the deck
# slide list (with "What changed since the last talk" when the session compares with an older version)
presentation.deck(since.with_changes(ui.per_trial(ui.shown_tables(), "presentation")))
ui.footer()
