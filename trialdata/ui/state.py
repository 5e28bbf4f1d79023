"""Typed access to what a browser session keeps between reruns: one accessor per st.session_state key,
so no page or module spells a key as a bare string."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import streamlit as st

from trialdata.changes import Snapshot
from trialdata.filters import Filters
from trialdata.schema import Trial

T = TypeVar("T")


class Key(Generic[T]):
    def __init__(self, name: str, default: Callable[[], T]):
        self.name, self._default = name, default

    def get(self) -> T:
        return st.session_state.get(self.name, self._default())

    def set(self, value: T) -> None:
        st.session_state[self.name] = value

    def clear(self) -> None:
        st.session_state.pop(self.name, None)

    def is_set(self) -> bool:
        return self.name in st.session_state


FILTERS: Key[Filters] = Key("filters", Filters)  # the sidebar's choice, set by app.py on every run
PAGE_PARAMS: Key[dict[str, str]] = Key("page_params", dict)  # ?trial= / ?slide= from the link that opened the app
LINK_VERSION: Key[str | None] = Key("link_version", lambda: None)  # ?v= of the link that opened the app
LINK_DROPPED: Key[tuple[str, ...]] = Key("filters_from_url", tuple)  # link parts ignored, said once; set = link read
USER_TRIALS: Key[list[Trial]] = Key("user_trials", list)  # uploaded this session, kept in memory only
USER_TABLES: Key[tuple | None] = Key("user_tables", lambda: None)  # (uploaded ids, their tables)
UPLOAD_REPORT: Key[tuple[list[str], list[tuple]]] = Key("upload_report", lambda: ([], []))  # (added, problems)
JOURNAL_CLUB_FILES: Key[tuple | None] = Key("jc_files", lambda: None)  # (what they were made for, stem, files)
OLDER: Key[Snapshot | None] = Key("older_version", lambda: None)  # what "What changed" compares with
SINCE_CHANGES: Key[tuple | None] = Key("since_changes", lambda: None)  # (older version, current version, changes)
BUNDLE_READ: Key[tuple | None] = Key("since_bundle_read", lambda: None)  # the bundle last read: (file id, problem)
