"""What a reader sees when something fails: words that say what failed, what still works and what to do; never a
traceback or a server path. The details go to the server's log (logger "trialdata")."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import polars as pl
import streamlit as st

from trialdata.ui.data import build_state

log = logging.getLogger("trialdata")
T = TypeVar("T")
VALIDATE = "python -m trialdata validate"


def stop_if_the_curated_files_fail() -> None:
    """When the curated YAML cannot be built (and no good Parquet build can stand in), one clear page: each
    problem by file, line and field, and the command that checks them; nothing else is drawn."""
    invalid = build_state().invalid
    if not invalid:
        return
    st.title("The curated trial files cannot be read")
    st.write(f"The app builds its tables from the curated trial files, and {len(invalid)} problem(s) in them stop "
             "it: each is listed below with its file, line and field. Fix them and restart the app; "
             f"`{VALIDATE}` checks the files and lists the same problems.")
    st.dataframe(pl.DataFrame({"file": [Path(p.file).name for p in invalid], "line": [p.line for p in invalid],
                               "field": [p.field for p in invalid], "problem": [p.message for p in invalid]}),
                 hide_index=True, width="stretch")
    st.stop()


def rebuilt_notice() -> None:
    """Said on every page when the Parquet build was not served and the tables were built from the YAML."""
    rebuilt = build_state().rebuilt
    if rebuilt:
        st.warning("The Parquet build was damaged or stale (" + "; ".join(rebuilt) + "), so the tables were rebuilt "
                   "from the curated files: every page works on them. The Parquet downloads come back once "
                   "`python -m trialdata build` has been run.", icon=":material/build:")


def run_page(run: Callable[[], None]) -> None:
    """The page, with any failure in it said in words (the sidebar and the navigation, drawn before, keep
    working). Streamlit's own stop and rerun are not failures and pass through."""
    try:
        run()
    except Exception:
        log.exception("A page failed")
        st.error("Something on this page failed, so it stopped here. The other pages and the sidebar still work; "
                 "reloading the page tries again. The server's log has the details.", icon=":material/error:")


def view_failed(title: str) -> None:
    """Said in a view's place when its chart or table could not be made; the rest of the page goes on."""
    st.warning(f"“{title}” could not be drawn for these trials. The rest of the page works; the server's log "
               "has the details.", icon=":material/error:")


def guarded(what: str, make: Callable[[], T]) -> T | None:
    """`make()`, or None (logged) when it fails: a view's part that failed is said in its place, not raised."""
    try:
        return make()
    except Exception:
        log.exception("%s failed", what)
        return None
