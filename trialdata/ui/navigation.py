"""The app's pages in menu order: the overview, one page per declared view, then the other pages.
app.py builds the navigation from it; the tests, the benchmark and the load test iterate it too."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import streamlit as st

from trialdata import views
from trialdata.ui.components import view_page


@dataclass(frozen=True)
class Entry:
    title: str
    url_path: str
    file: str | None = None  # a page script in app_pages/, or None for a view's generic page
    view: views.View | None = None
    icon: str | None = None


def site_map(registry: Sequence[views.View] | None = None) -> list[Entry]:
    return [
        Entry("Overview", "overview", "app_pages/overview.py"),
        *[Entry(v.title, v.path, v.page, v) for v in (registry or views.VIEWS) if not v.host],
        Entry("Trial detail", "trial", "app_pages/trial_detail.py"),
        Entry("Downloads", "downloads", "app_pages/downloads.py"),
        Entry("Add trials", "add", "app_pages/add_trials.py", icon=":material/upload_file:"),
        Entry("Presentation", "present", "app_pages/present.py", icon=":material/slideshow:"),
    ]


def pages() -> list[st.Page]:
    """The st.Page of every entry (the overview is the default page)."""
    return [st.Page(e.file or partial(view_page, e.view), title=e.title, url_path=e.url_path, icon=e.icon,
                    default=e.url_path == "overview") for e in site_map()]
