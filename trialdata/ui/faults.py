"""What a reader sees when something fails: words that say what failed, what still works and what to do; never a
traceback or a server path. The details go to the server's log (logger "trialdata")."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import polars as pl
import streamlit as st
from streamlit.errors import FragmentHandledException

from trialdata.ui.data import build_state

log = logging.getLogger("trialdata")
T = TypeVar("T")
P = ParamSpec("P")
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
    st.dataframe(pl.DataFrame({"File": [Path(p.file).name for p in invalid], "Line": [p.line for p in invalid],
                               "Field": [p.field for p in invalid], "Problem": [p.message for p in invalid]}),
                 hide_index=True, width="stretch")
    st.stop()


def rebuilt_notice() -> None:
    """Said on every page when the Parquet build was not served and the tables were built from the YAML."""
    rebuilt = build_state().rebuilt
    if rebuilt:
        st.warning("The Parquet build was damaged or stale (" + "; ".join(rebuilt) + "), so the tables were rebuilt "
                   "from the curated files: every page works on them. The Parquet downloads come back once "
                   "`python -m trialdata build` has been run and the app restarted.", icon=":material/build:")


PAGE_FAILED = ("Something on this page failed, so it stopped here. The other pages and the sidebar still work; "
               "reloading the page tries again. The server's log has the details.")
PART_FAILED = ("This part of the page failed; the rest of the page still works, and using it again tries again. "
               "The server's log has the details.")


def run_page(run: Callable[[], None]) -> None:
    """The page, with any failure in it said in words (the sidebar and the navigation, drawn before, keep
    working). Streamlit's own stop and rerun are not failures and pass through, as does its signal that a
    fragment's failure was already handled (each fragment says its own, `contained`)."""
    try:
        run()
    except FragmentHandledException:
        raise
    except Exception:
        log.exception("A page failed")
        st.error(PAGE_FAILED, icon=":material/error:")


def contained(fragment: Callable[P, None]) -> Callable[P, None]:
    """A fragment (a part of the page that reruns on its own) whose failure is said in its place, in words."""
    @functools.wraps(fragment)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            fragment(*args, **kwargs)
        except Exception:
            log.exception("A part of the page (%s) failed", fragment.__name__)
            st.error(PART_FAILED, icon=":material/error:")
    return run


def view_failed(title: str) -> None:
    """Said in a view's place when its chart or table could not be made; the rest of the page goes on."""
    st.warning(f"“{title}” could not be drawn for these trials; the rest of the page works. The server's log "
               "has the details.", icon=":material/error:")


def guarded(what: str, make: Callable[[], T]) -> T | None:
    """`make()`, or None (logged) when it fails: a view's part that failed is said in its place, not raised."""
    try:
        return make()
    except Exception:
        log.exception("%s failed", what)
        return None
