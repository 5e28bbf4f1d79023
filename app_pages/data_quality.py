"""Data quality: findings per trial by kind, every finding (folded, filterable), and the views hosted here (the
WHO TRDS completeness scorecard)."""

from trialdata import views
from trialdata.ui import components as ui
from trialdata.ui import quality

view = views.by_key("findings")
tables = ui.page_tables(view.title, f"{view.question} And how completely each reports the WHO registration "
                      "data set.")
# the charts draw trials one by one: a bounded selection (the findings table lists every matching trial)
shown = ui.per_trial(tables, "findings chart")

# 1. findings per trial (the view's chart) and 2. every finding, filtered on this page by kind and trial
quality.findings_section(view, tables, shown)

# 3. the views drawn on this page (the scorecard), for the trials the findings chart draws
ui.guest_views(view.key, shown)

ui.footer()
