"""Cached loading: the built tables are read once per process; each filter selection is computed once.

Frames are cached as shared resources, not copies (st.cache_data would pickle and unpickle every table on
every rerun): Polars frames are never changed in place, so sharing them between sessions is safe."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl
import streamlit as st

from trialdata.checks import read_source_texts
from trialdata.export import ParquetTables, read_manifest
from trialdata.filters import Filters, apply_filters, options
from trialdata.load import REPO_DATA, load_trials
from trialdata.schema import Trial
from trialdata.tables import build_tables
from trialdata.transforms import mark_user_supplied

PARQUET = REPO_DATA / "parquet"


@st.cache_resource(show_spinner=False)
def tables() -> Mapping[str, pl.DataFrame]:
    return ParquetTables(PARQUET)


@st.cache_data(show_spinner=False)
def manifest() -> dict:
    return read_manifest(PARQUET)


@st.cache_resource(show_spinner=False, max_entries=32)
def _filtered_curated(selected: tuple) -> Mapping[str, pl.DataFrame]:
    return apply_filters(tables(), Filters(selected))


@st.cache_resource(show_spinner=False)
def curated_trials() -> tuple[Trial, ...]:
    """The curated records, loaded once per process (shared, never copied: the models are frozen)."""
    return tuple(load_trials(REPO_DATA))


@st.cache_data(show_spinner=False)
def curated_sources() -> dict[str, str]:
    return read_source_texts(REPO_DATA / "sources")


def user_trials() -> list[Trial]:
    """Trials uploaded in this browser session (kept in memory only)."""
    return st.session_state.get("user_trials", [])


def session_tables() -> Mapping[str, pl.DataFrame]:
    """The curated tables, plus this session's uploaded trials (marked) when there are any."""
    user = user_trials()
    if not user:
        return tables()
    key = tuple(t.trial_id for t in user)
    made = st.session_state.get("user_tables")
    if not made or made[0] != key:
        ids = set(key)
        built = mark_user_supplied(build_tables([*curated_trials(), *user], frozenset(ids)), ids)
        st.session_state["user_tables"] = made = (key, built)
    return made[1]


def filtered(selected: tuple) -> Mapping[str, pl.DataFrame]:
    """The session's tables restricted to a filter selection (cached when nothing was uploaded)."""
    if not user_trials():
        return _filtered_curated(selected)
    return apply_filters(session_tables(), Filters(selected))


@st.cache_resource(show_spinner=False)
def parquet_files() -> dict[str, bytes]:
    """The committed Parquet build, file name -> bytes, for the downloads page."""
    return {p.name: p.read_bytes() for p in sorted(PARQUET.glob("*.parquet"))}


@st.cache_resource(show_spinner=False)
def _curated_options() -> dict[str, list[str]]:
    return options(tables()["trials"])


def filter_options() -> dict[str, list[str]]:
    """The values each filter offers (computed once per process unless this session uploaded trials)."""
    return options(session_tables()["trials"]) if user_trials() else _curated_options()
