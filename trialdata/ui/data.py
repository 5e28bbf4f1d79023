"""Cached loading: the built tables are read once per process."""

from __future__ import annotations

import polars as pl
import streamlit as st

from trialdata.export import read_manifest, read_parquet
from trialdata.load import REPO_DATA


@st.cache_data(show_spinner=False)
def tables() -> dict[str, pl.DataFrame]:
    return read_parquet(REPO_DATA / "parquet")


@st.cache_data(show_spinner=False)
def manifest() -> dict:
    return read_manifest(REPO_DATA / "parquet")
