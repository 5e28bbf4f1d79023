"""Sidebar filters, kept in step with the URL so a copied link reopens the same view."""

from __future__ import annotations

import streamlit as st

from trialdata.filters import FILTERS, Filters, describe, parse_query, to_query, version_notice
from trialdata.schema import label
from trialdata.ui import since
from trialdata.ui.data import filter_options, manifest, session_tables
from trialdata.ui.state import LINK_DROPPED, LINK_VERSION, PAGE_PARAMS
from trialdata.ui.text import md_escape

OWN_PARAM = {"trial": "trial", "present": "slide"}  # page url_path -> the extra URL key that page owns
SLIDE_NUMBERS = [str(n) for n in range(1, 200)]


def widget_key(filter_key: str) -> str:
    return f"filter_{filter_key}"


def _clear() -> None:
    for key in FILTERS:
        st.session_state[widget_key(key)] = []


def sidebar_filters(page_url_path: str) -> Filters:
    """Render the filters; on a session's first run, take them from the URL (dropping what is invalid)."""
    trials = session_tables()["trials"]
    opts = filter_options()
    if not LINK_DROPPED.is_set():  # the session's first run: read the link
        params = {k: st.query_params.get_all(k) for k in st.query_params}
        parsed = parse_query(params, trials, {"trial": trials["trial_id"].to_list(), "slide": SLIDE_NUMBERS})
        for key, values in parsed.filters.selected:
            st.session_state[widget_key(key)] = list(values)
        PAGE_PARAMS.set(parsed.extra)
        LINK_DROPPED.set(parsed.dropped)
        LINK_VERSION.set(parsed.version)
    with st.sidebar:
        st.header("Filters")
        st.caption("Apply to every page; the address bar keeps them, so a copied link reopens this view.")
        # in a popover: eight select boxes drawn on every page load cost the browser ~0.5 s (benchmarks/bench.py)
        with st.popover("Choose filters", icon=":material/filter_list:", width="stretch"):
            for key, (_, title, _) in FILTERS.items():
                st.multiselect(title, opts[key], key=widget_key(key), format_func=label, placeholder="all")
        filters = Filters.of(**{k: st.session_state.get(widget_key(k), []) for k in FILTERS})
        lines = describe(filters) or ["All trials: no filter chosen."]
        st.markdown("  \n".join(md_escape(line) for line in lines))
        st.button("Clear filters", on_click=_clear, width="stretch", disabled=not filters.active)
    own = OWN_PARAM.get(page_url_path)
    extra = {own: st.query_params[own]} if own and own in st.query_params else {}
    st.query_params.from_dict({**to_query(filters, manifest()["dataset_version"]), **extra})
    return filters


def link_notice(page_url_path: str) -> None:
    """Say, once, at the top of the first page shown, which link parameters were ignored and whether the link
    was made with another dataset version (with a link to What changed, which compares with it, when the
    repository's history holds that version and the page is another)."""
    link_version = LINK_VERSION.get()
    notice = version_notice(link_version, manifest()["dataset_version"])
    if notice:
        known = link_version is not None and since.from_link(link_version)
        here = page_url_path == "what-changed"  # the page below compares it already
        st.info(notice + (f" That version is known here: {'the page below' if here else 'the link below'} compares "
                          "it with this one." if known else ""), icon=":material/history:")
        if known and not here:
            st.page_link("app_pages/what_changed.py", label="What changed since that version",
                         icon=":material/compare_arrows:")
        LINK_VERSION.set(None)
    dropped = LINK_DROPPED.get()
    if dropped:
        st.warning("Some parts of the link were not understood and were ignored: " + md_escape("; ".join(dropped)),
                   icon=":material/warning:")
        LINK_DROPPED.set(())
