"""What changed since the last talk: drop the bundle downloaded last time (or open a link made with an older
dataset version) and see what changed, per trial by kind, each change with both receipts."""

from trialdata import views
from trialdata.ui import components as ui
from trialdata.ui import since

view = views.by_key("changes")
tables = ui.page_tables(view.title, ui.reading(view))

# 1. the older version: the bundle from last time, or the version of the link that opened the app
older = since.older_version()

# 2. the changes from it to the data shown: the chart, then every change with both receipts (and its CSV)
if older is not None:
    ui.view_chart(view, since.with_changes(tables))

ui.footer()
