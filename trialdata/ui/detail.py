"""Trial detail page parts: the trial picker (kept in the URL), the trial's header and how fresh its record is."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import streamlit as st

from trialdata import transforms as tf
from trialdata.freshness import copy_age, record_freshness
from trialdata.ui.data import manifest
from trialdata.ui.state import PAGE_PARAMS
from trialdata.ui.text import md_escape


def trial_picker(trials: pl.DataFrame) -> str:
    """Choose one trial; the choice lives in the URL (?trial=) so the link reopens it."""
    ids = trials.sort("trial_id")["trial_id"].to_list()
    wanted = st.query_params.get("trial") or PAGE_PARAMS.get().get("trial")
    index = ids.index(wanted) if wanted in ids else 0
    chosen = st.selectbox("Trial", ids, index=index, key="detail_trial")
    st.query_params["trial"] = chosen
    return chosen


def trial_header(row: pl.DataFrame, flags: pl.DataFrame) -> None:
    """The trial's title, as the registry gives it, with what the findings say of it (a title cut short reads as
    the registry's, not as ours)."""
    r = row.row(0, named=True)
    st.subheader(md_escape(r["title"] or r["trial_id"]))
    for message in tf.findings_on(flags, "public_title"):
        st.caption(md_escape(f"Title as the registry gives it. {message}"))
    st.caption(md_escape(f"{r['registry']} · {r['trial_id']} · {r['conditions']}"))
    st.link_button("Open the registry entry ↗", r["registry_url"])


def record_age(row: pl.DataFrame) -> None:
    """How fresh the trial's registry record is today, beside the dataset's "data as of"; a copy read more than a
    year ago is a warning (the words say it too, so colour is not the only sign)."""
    trial, today = row.row(0, named=True), datetime.now(UTC).date()
    said = record_freshness(trial, manifest()["data_as_of"], today)
    if copy_age(trial, today) in ("old", "maybe_old"):
        st.warning(md_escape(said), icon=":material/history:")
    else:
        st.caption(md_escape(f"How fresh: {said}"))
