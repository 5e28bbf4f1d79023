"""Cached loading: the built tables are read once per process; each filter selection is computed once.

Frames are cached as shared resources, not copies (st.cache_data would pickle and unpickle every table on
every rerun): Polars frames are never changed in place, so sharing them between sessions is safe."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import polars as pl
import streamlit as st

from trialdata import store
from trialdata.checks import read_source_texts, validate
from trialdata.export import build_problems, read_manifest
from trialdata.filters import Filters, options
from trialdata.load import REPO_DATA, Problem, dataset_version
from trialdata.schema import Trial
from trialdata.tables import build_tables
from trialdata.ui.state import FILTERS, USER_TABLES, USER_TRIALS

PARQUET = REPO_DATA / "parquet"
T = TypeVar("T")


log = logging.getLogger("trialdata")


@dataclass(frozen=True)
class Curated:
    """The curated tables this process serves, what they state about themselves, and what went wrong on the way:
    `rebuilt` says why the Parquet build was not served (the tables were built from the YAML instead), `invalid`
    what keeps the YAML itself from being built (then there are no tables)."""

    tables: Mapping[str, pl.DataFrame]
    manifest: dict
    rebuilt: tuple[str, ...] = ()
    invalid: tuple[Problem, ...] = ()


@st.cache_resource(show_spinner=False)
def _curated() -> Curated:
    """Checked once, when the app starts: the Parquet build is served only when every file matches its checksum
    and it was built from the curated files as they are; otherwise the tables are built from the YAML in memory
    (as `python -m trialdata build` would), and the server's log says why."""
    version = dataset_version(REPO_DATA)
    problems = build_problems(PARQUET, version)
    if not problems:
        return Curated(store.ParquetStore(PARQUET), read_manifest(PARQUET))
    log.warning("The Parquet build in %s is not served: %s. Building the tables from the curated files.", PARQUET,
                "; ".join(problems))
    records, invalid = validate([REPO_DATA / "trials"], REPO_DATA / "sources")
    if invalid or not records:
        log.error("The curated files cannot be built: %s", "; ".join(map(str, invalid)) or "no trial files")
        return Curated(store.MemoryStore(build_tables([])), {"dataset_version": version, "data_as_of": "unknown"},
                       tuple(problems), tuple(invalid) or (Problem("trials/", 1, "(folder)", "no trial files"),))
    trials = [r.trial for r in records]
    as_of = max(t.curation.checked_on for t in trials)
    return Curated(store.MemoryStore(build_tables(trials)), {"dataset_version": version, "data_as_of": as_of},
                   tuple(problems))


def curated() -> Mapping[str, pl.DataFrame]:
    return _curated().tables


def manifest() -> dict:
    return dict(_curated().manifest)  # a copy: the sessions share the cached one


def build_state() -> Curated:
    """What the app serves and why: for the notice of a rebuilt build and the page of curated files that fail."""
    return _curated()


@st.cache_resource(show_spinner=False, max_entries=32)
def _filtered_curated(selected: tuple) -> Mapping[str, pl.DataFrame]:
    return store.filtered(curated(), Filters(selected))


@st.cache_data(show_spinner=False)
def curated_sources() -> dict[str, str]:
    return read_source_texts(REPO_DATA / "sources")


def user_trials() -> list[Trial]:
    """Trials uploaded in this browser session (kept in memory only)."""
    return USER_TRIALS.get()


def session_tables() -> Mapping[str, pl.DataFrame]:
    """The curated tables, plus this session's uploaded trials (with their own ids, origin user-supplied)."""
    user = user_trials()
    if not user:
        return curated()
    key = tuple(t.trial_id for t in user)
    made = USER_TABLES.get()
    if not made or made[0] != key:
        uploaded = build_tables(user, user_supplied=frozenset(key))
        made = (key, store.with_uploads(curated(), uploaded))
        USER_TABLES.set(made)
    return made[1]


def per_selection(key: tuple, build: Callable[[], T]) -> T:
    """What `build` makes from the trials the filters keep: made once per process for every session that sees
    the same curated trials under the same filters, never shared when this session uploaded trials (those are
    its own). `build` must use `filtered(FILTERS.get().selected)` narrowed only by what `key` names (the view,
    the trials drawn, the settings); what it makes must never be changed in place. One bounded cache holds
    drawings, section tables and slide lists alike."""
    if user_trials():
        return build()
    return _shared(FILTERS.get().selected, key, build)


@st.cache_resource(show_spinner=False, max_entries=256)
def _shared(selected: tuple, key: tuple, _build: Callable[[], T]) -> T:
    return _build()  # keyed on the filters and the key; `_build` (a closure over the tables) is not hashed


def filtered(selected: tuple) -> Mapping[str, pl.DataFrame]:
    """The session's tables restricted to a filter selection (cached when nothing was uploaded)."""
    if not user_trials():
        return _filtered_curated(selected)
    return store.filtered(session_tables(), Filters(selected))


@st.cache_resource(show_spinner=False)
def parquet_files() -> dict[str, bytes]:
    """The committed Parquet build, file name -> bytes, for the downloads page (none when it was not served)."""
    if _curated().rebuilt:
        return {}
    return {p.name: p.read_bytes() for p in sorted(PARQUET.glob("*.parquet"))}


@st.cache_resource(show_spinner=False)
def _curated_options() -> dict[str, list[str]]:
    return options(curated()["trials"])


def filter_options() -> dict[str, list[str]]:
    """The values each filter offers (computed once per process unless this session uploaded trials)."""
    return options(session_tables()["trials"]) if user_trials() else _curated_options()
