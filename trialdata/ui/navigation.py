"""The app's pages in menu order, in sections that say what each group is for: the overview and the views that
compare the trials, the views that appraise them, one trial and your own, the journal club and downloads.
app.py builds the navigation from it; the tests, the benchmark and the load test iterate it too."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import streamlit as st

from trialdata import views
from trialdata.ui.components import view_page

SECTIONS = ("Compare the trials", "Appraise them", "One trial, and your own", "Journal club and downloads")


@dataclass(frozen=True)
class Entry:
    title: str
    url_path: str
    section: str
    file: str | None = None  # a page script in app_pages/, or None for a view's generic page
    view: views.View | None = None
    icon: str | None = None


def site_map(registry: Sequence[views.View] | None = None) -> list[Entry]:
    compare, appraise, own, club = SECTIONS
    shown = [v for v in (registry or views.VIEWS) if not v.host]
    return [
        Entry("Overview", "overview", compare, "app_pages/overview.py"),
        *[Entry(v.title, v.path, compare, v.page, v) for v in shown if not v.appraises],
        *[Entry(v.title, v.path, appraise, v.page, v) for v in shown if v.appraises],
        Entry("Trial detail", "trial", own, "app_pages/trial_detail.py"),
        Entry("Add trials", "add", own, "app_pages/add_trials.py", icon=":material/upload_file:"),
        Entry("Presentation", "present", club, "app_pages/present.py", icon=":material/slideshow:"),
        Entry("Downloads", "downloads", club, "app_pages/downloads.py", icon=":material/download:"),
    ]


def pages() -> dict[str, list[st.Page]]:
    """The st.Page of every entry under its section's header (the overview is the default page)."""
    grouped: dict[str, list[st.Page]] = {section: [] for section in SECTIONS}
    for e in site_map():
        grouped[e.section].append(st.Page(_runs(e), title=e.title,
                                          url_path=e.url_path, icon=e.icon, default=e.url_path == "overview"))
    return grouped


def _runs(e: Entry) -> str | Callable[[], None]:
    """What an entry's page runs: its page file, or else its view's generic page (site_map gives every entry one
    of them)."""
    if e.file:
        return e.file
    assert e.view is not None
    return partial(view_page, e.view)


def site_nav(grouped: dict[str, list[st.Page]]) -> None:
    """Every page in sight at once, under a header that says what its group is for. Drawn as links of our own:
    Streamlit's sectioned menu puts each section's <div> inside its <ul>, which a screen reader cannot read as a
    list (axe-core: a serious violation), and its plain menu hides all but ten pages behind "View more"."""
    with st.sidebar.container(key="site_nav"):
        for section, section_pages in grouped.items():
            st.caption(section)
            for page in section_pages:
                st.page_link(page, label=page.title, icon=page.icon or None)
