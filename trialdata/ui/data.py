"""Cached loading: the built tables are read once per process; each filter selection is computed once."""

from __future__ import annotations

import polars as pl
import streamlit as st

from trialdata.export import read_manifest, read_parquet
from trialdata.filters import Filters, apply_filters
from trialdata.load import REPO_DATA

PARQUET = REPO_DATA / "parquet"


@st.cache_data(show_spinner=False)
def tables() -> dict[str, pl.DataFrame]:
    return read_parquet(PARQUET)


@st.cache_data(show_spinner=False)
def manifest() -> dict:
    return read_manifest(PARQUET)


@st.cache_data(show_spinner=False)
def filtered(selected: tuple) -> dict[str, pl.DataFrame]:
    """The tables restricted to a filter selection (keyed by its hashable form)."""
    return apply_filters(tables(), Filters(selected))


@st.cache_data(show_spinner=False)
def parquet_files() -> dict[str, bytes]:
    """The committed Parquet build, file name -> bytes, for the downloads page."""
    return {p.name: p.read_bytes() for p in sorted(PARQUET.glob("*.parquet"))}
