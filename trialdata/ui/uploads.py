"""Add-trials page parts: upload, check in memory, add to this session's comparison or list the problems."""

from __future__ import annotations

import polars as pl
import streamlit as st

from trialdata.ui.data import curated_sources, session_tables, user_trials
from trialdata.ui.state import UPLOAD_REPORT, USER_TRIALS
from trialdata.ui.text import md_escape
from trialdata.upload import MAX_FILE_BYTES, ingest


def upload_box() -> None:
    """Upload, validate in memory, and either add to this session's comparison or list the problems."""
    files = st.file_uploader("Trial files: our YAML (with its record as .txt), or ClinicalTrials.gov JSON",
                             type=["yaml", "yml", "json", "txt"], accept_multiple_files=True, key="uploads")
    if not files:
        return
    # the next step, where the files land: choosing files alone adds nothing
    st.info(f"{len(files)} file{'s' if len(files) > 1 else ''} chosen, not added yet. Next: press **Check and add "
            "to the comparison**.", icon=":material/arrow_downward:")
    if not st.button("Check and add to the comparison", icon=":material/fact_check:", type="primary"):
        return
    with st.spinner("Checking the files…"):
        batch = [(f.name, f.getvalue()[: MAX_FILE_BYTES + 1]) for f in files]
        taken = set(session_tables()["trials"]["trial_id"])  # uploads keep their ids
        result = ingest(batch, taken, curated_sources(), already=len(user_trials()))
    USER_TRIALS.set(user_trials() + result.trials)
    UPLOAD_REPORT.set(([t.trial_id for t in result.trials],
                       [(p.file, p.line, p.field, p.message) for p in result.problems]))


def upload_report() -> None:
    added, problems = UPLOAD_REPORT.get()
    if added:
        st.success(f"Added to this session's comparison: {md_escape(', '.join(added))}. They are shown as "
                   "[user-supplied] on every page, chart, handout and slide, and are never saved; downloaded "
                   "tables keep their ids and say so in the `origin` column of trials.csv.",
                   icon=":material/check_circle:")
    if problems:
        st.error(f"{len(problems)} problem(s); files with problems were not added:", icon=":material/block:")
        st.dataframe(pl.DataFrame(problems, schema=["file", "line", "field", "message"], orient="row"),
                     hide_index=True, width="stretch")


def session_uploads() -> None:
    user = user_trials()
    if not user:
        st.caption("No trials uploaded in this session.")
        return
    st.dataframe(pl.DataFrame({"trial_id": [t.trial_id for t in user],
                               "title": [t.public_title.value for t in user]}), hide_index=True, width="stretch")
    if st.button("Remove the uploaded trials", icon=":material/delete:"):
        USER_TRIALS.clear()
        UPLOAD_REPORT.clear()
        st.rerun()
