"""MSC trials evidence dashboard: the entry point (`make run`). Filters live here so every page shares them."""

import streamlit as st

from trialdata.ui.warmup import warm_imports

warm_imports()  # before anything else: concurrent first sessions must not race on lazy imports

from trialdata.ui.filters import link_notice, sidebar_filters  # noqa: E402

st.set_page_config(page_title="MSC trials evidence dashboard", layout="wide", page_icon="🧫")

PAGES = [
    st.Page("app_pages/overview.py", title="Overview", url_path="overview", default=True),
    st.Page("app_pages/sample_sizes.py", title="Sample sizes", url_path="sample-sizes"),
    st.Page("app_pages/products.py", title="Cell sources & products", url_path="products"),
    st.Page("app_pages/dosing.py", title="Dosing schedules", url_path="dosing"),
    st.Page("app_pages/outcomes.py", title="Outcomes", url_path="outcomes"),
    st.Page("app_pages/follow_up.py", title="Follow-up windows", url_path="follow-up"),
    st.Page("app_pages/trial_detail.py", title="Trial detail", url_path="trial"),
    st.Page("app_pages/data_quality.py", title="Data quality", url_path="data-quality"),
    st.Page("app_pages/downloads.py", title="Downloads", url_path="downloads"),
    st.Page("app_pages/add_trials.py", title="Add trials", url_path="add", icon=":material/upload_file:"),
    st.Page("app_pages/present.py", title="Presentation", url_path="present", icon=":material/slideshow:"),
]

page = st.navigation(PAGES)
st.session_state["filters"] = sidebar_filters(page.url_path)
link_notice()
page.run()
