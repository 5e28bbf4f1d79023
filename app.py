"""MSC trials evidence dashboard: the entry point (`make run`)."""

import streamlit as st

st.set_page_config(page_title="MSC trials evidence dashboard", layout="wide")
st.navigation([st.Page("pages/home.py", title="Trials", url_path="trials", default=True)]).run()
