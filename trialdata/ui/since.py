"""The older version a reader compares the data with: the bundle downloaded last time, or the dataset version of
the link that opened the app (when the repository's history holds it). Kept for the browser session, so the
handout, the deck and presentation mode add "What changed since the last talk" as well."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl
import streamlit as st

from trialdata import store
from trialdata.changes import Snapshot, changes
from trialdata.load import REPO_DATA
from trialdata.snapshot import APP_ROWS, APP_UNPACKED_BYTES, NotAVersion, from_bundle, from_revision, known_versions
from trialdata.ui.data import curated, manifest
from trialdata.ui.state import BUNDLE_READ, OLDER, SINCE_CHANGES
from trialdata.ui.text import md_escape

REPO = REPO_DATA.parent


@st.cache_resource(show_spinner=False, ttl=600)
def _known() -> dict[str, str]:
    return known_versions(REPO)


def describe(older: Snapshot) -> str:
    as_of = f", data as of {older.as_of}" if older.as_of else ""
    return f"dataset version {older.version}{as_of} ({older.origin})"


def older_version() -> Snapshot | None:
    """The uploader of the bundle from last time and what is compared now (None: nothing to compare yet)."""
    bundle = st.file_uploader("The bundle you downloaded last time (the .zip from Downloads, up to 1 MB)",
                              type=["zip"], key="since-bundle")
    if bundle is not None and (BUNDLE_READ.get() or (None,))[0] != bundle.file_id:
        problem = None
        try:  # read once, not on every rerun; within the limits of a server other readers share
            OLDER.set(from_bundle(bundle.getvalue(), bundle.name, APP_UNPACKED_BYTES, APP_ROWS))
        except NotAVersion as e:
            problem = str(e)
        BUNDLE_READ.set((bundle.file_id, problem))
    read = BUNDLE_READ.get()
    if bundle is not None and read and read[1]:  # said as long as the file is in the box
        st.error(f"That file cannot be compared: {md_escape(read[1])}.", icon=":material/block:")
    older = OLDER.get()
    if older is None:
        st.info("Nothing to compare yet: drop the bundle you downloaded last time above. A link made with an older "
                "dataset version compares with that version by itself.", icon=":material/history:")
        return None
    st.success(f"Comparing {md_escape(describe(older))} with dataset version {manifest()['dataset_version']} "
               f"(data as of {manifest()['data_as_of']}), the data shown.", icon=":material/compare_arrows:")
    if st.button("Stop comparing", icon=":material/close:"):
        OLDER.clear()
        st.rerun()
    return older


def changes_since(older: Snapshot) -> pl.DataFrame:
    """The changes from `older` to the curated data (uploaded trials are not a version), once per older version."""
    m = manifest()
    kept = SINCE_CHANGES.get()
    if kept is None or kept[0] is not older or kept[1] != m["dataset_version"]:
        now = Snapshot.of(curated(), m["dataset_version"], m["data_as_of"], "the data shown")
        kept = (older, m["dataset_version"], changes(older, now))
        SINCE_CHANGES.set(kept)
    return kept[2]


def with_changes(tables: Mapping[str, pl.DataFrame]) -> Mapping[str, pl.DataFrame]:
    """The tables with the changes since the older version beside them (the same tables when there is none)."""
    older = OLDER.get()
    return tables if older is None else store.Beside(tables, {"changes": changes_since(older)})


def compared_with() -> str | None:
    """The older version compared with, in words (None: none), for this session's own keys."""
    older = OLDER.get()
    return None if older is None else f"{describe(older)}, file {(BUNDLE_READ.get() or (None,))[0]}"


def comparing() -> bool:
    """Whether this session compares with an older version (what it makes from the tables then holds the
    changes: never shared with other sessions, whose older version may differ)."""
    return OLDER.get() is not None


def from_link(version: str) -> bool:
    """Compare with the version of the link that opened the app, when the repository's history holds it and the
    session compares with nothing else yet; whether it now does."""
    sha = _known().get(version)
    if sha is None or comparing():
        return False
    try:
        OLDER.set(from_revision(sha, REPO))
    except NotAVersion:
        return False
    return True


def said_on_downloads() -> None:
    """What the journal-club files will hold when the session compares with an older version."""
    older = OLDER.get()
    if older is not None:
        st.caption(f"Comparing with {md_escape(describe(older))} (What changed since the last talk): the handout and "
                   "the slides open with what changed, and the bundle holds changes.csv.")
