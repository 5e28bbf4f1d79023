"""MSC trials evidence dashboard: the entry point (`make run`). Filters live here so every page shares them;
the pages come from trialdata/ui/navigation.py (one per view module in trialdata/views/)."""

import streamlit as st

from trialdata.ui.warmup import warm_imports

warm_imports()  # before anything else: concurrent first sessions must not race on lazy imports

from trialdata.ui import faults  # noqa: E402
from trialdata.ui.filters import link_notice, sidebar_filters  # noqa: E402
from trialdata.ui.navigation import pages, site_nav  # noqa: E402
from trialdata.ui.state import FILTERS  # noqa: E402

st.set_page_config(page_title="MSC trials evidence dashboard", layout="wide", page_icon="🧫")

faults.stop_if_the_curated_files_fail()  # one clear page when the curated files cannot be built at all
grouped = pages()
page = st.navigation(grouped, position="hidden")  # drawn by site_nav: every page in sight, grouped by purpose
site_nav(grouped)
FILTERS.set(sidebar_filters(page.url_path))
link_notice(page.url_path)
faults.rebuilt_notice()
faults.run_page(page.run)  # a failure is said in words; the sidebar and the navigation keep working
