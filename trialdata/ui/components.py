"""Shared page parts: page header with the filtered view, chart + table + CSV, downloads, footer."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from trialdata.export import csv_bytes
from trialdata.filters import FILTERS, Filters
from trialdata.provenance import SOURCES_SUMMARY, dataset_citation
from trialdata.schema import label
from trialdata.tables import TABLES
from trialdata.tables import data_dictionary as dictionary_frame
from trialdata.ui.data import filtered, manifest, parquet_files, tables

PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "width": 1600, "height": 900,
                                                               "scale": 2}}
COLUMN_HELP = {c.name: c.doc for cols in TABLES.values() for c in cols}


def current_filters() -> Filters:
    return st.session_state.get("filters", Filters())


def page_view(title: str, intro: str) -> dict[str, pl.DataFrame]:
    """Title, intro, which trials the filters keep; stops the page with a helpful note when none."""
    st.title(title)
    st.write(intro)
    filters = current_filters()
    view = filtered(filters.selected)
    total = tables()["trials"].height
    if filters.active:
        chosen = "; ".join(f"{FILTERS[k][1]}: {', '.join(label(v) for v in vals)}" for k, vals in filters.selected)
        st.caption(f"Showing {view['trials'].height} of {total} trials · filters: {chosen}")
    if view["trials"].is_empty():
        st.info("No trial matches the current filters. Remove a filter in the sidebar (or press "
                "“Clear filters”) to see trials again.", icon="🔎")
        footer()
        st.stop()
    return view


def table(frame: pl.DataFrame, name: str, height: int | str = "auto") -> None:
    """A table with column help from the data dictionary, and its CSV download right under it."""
    config = {c: st.column_config.Column(help=COLUMN_HELP[c]) for c in frame.columns if c in COLUMN_HELP}
    st.dataframe(frame, hide_index=True, width="stretch", height=height, column_config=config)
    csv_download(frame, name)


def chart(fig: go.Figure, frame: pl.DataFrame, name: str) -> None:
    """A figure, then exactly the table it plots, then that table as CSV."""
    st.plotly_chart(fig, theme=None, width="stretch", config=PLOTLY_CONFIG)
    st.caption(f"The table behind this chart ({frame.height} rows):")
    table(frame, name)


def csv_download(frame: pl.DataFrame, name: str, label_text: str | None = None) -> None:
    """A CSV download of exactly this table (UTF-8 with BOM), named with the dataset version."""
    version = manifest()["dataset_version"]
    st.download_button(label_text or f"Download {name}.csv", data=csv_bytes(frame),
                       file_name=f"{name}_{version}.csv", mime="text/csv", on_click="ignore", key=f"dl-{name}")


def empty_note(sentence: str) -> None:
    st.info(sentence, icon="ℹ️")


def footer() -> None:
    """Dataset version, data-as-of date, where the data comes from and how to cite it."""
    m = manifest()
    st.divider()
    st.caption(
        f"Dataset version {m['dataset_version']} · data as of {m['data_as_of']} · Sources: {SOURCES_SUMMARY} "
        f"Cite as: {dataset_citation(m['dataset_version'], m['data_as_of'])}"
    )


# --- overview -----------------------------------------------------------------------------------------

BADGE_COLOURS = {"yes": "blue", "no": "gray", "not reported": "orange"}


def design_badges(badges: pl.DataFrame) -> None:
    """One line per trial: phase, randomised?, controlled?, blinded?, single arm? as badges with words."""
    for row in badges.iter_rows(named=True):
        cols = st.columns([2.0, 1.2, 1.7, 1.4, 1.3, 1.4], vertical_alignment="center")
        cols[0].markdown(f"**{row['trial_id']}**")
        cols[1].badge(row["phase"], color="violet")
        for col, name in zip(cols[2:], ["randomised", "controlled", "blinded", "single_arm"], strict=True):
            value = row[name]
            col.badge(f"{name.replace('_', ' ')}: {value}", color=BADGE_COLOURS.get(value, "orange"))


def registry_links(trials: pl.DataFrame) -> None:
    """A button per trial that opens its registry entry."""
    cols = st.columns(max(trials.height, 1))
    for col, (tid, url) in zip(cols, trials.sort("trial_id").select("trial_id", "registry_url").iter_rows(),
                               strict=False):
        col.link_button(f"{tid} ↗", url, width="stretch")


# --- trial detail ---------------------------------------------------------------------------------------


def trial_picker(trials: pl.DataFrame) -> str:
    """Choose one trial; the choice lives in the URL (?trial=) so the link reopens it."""
    ids = trials.sort("trial_id")["trial_id"].to_list()
    wanted = st.query_params.get("trial") or st.session_state.get("page_params", {}).get("trial")
    index = ids.index(wanted) if wanted in ids else 0
    chosen = st.selectbox("Trial", ids, index=index, key="detail_trial")
    st.query_params["trial"] = chosen
    return chosen


def trial_header(row: pl.DataFrame) -> None:
    r = row.row(0, named=True)
    st.subheader(r["title"] or r["trial_id"])
    st.caption(f"{r['registry']} · {r['trial_id']} · {r['conditions']}")
    st.link_button("Open the registry entry ↗", r["registry_url"])


# --- data quality -------------------------------------------------------------------------------------------

SCORE_LEGEND = ("✓ in the registry record · 2° only in a secondary source (mirror page or publication) · "
                "? unclear or only implied · – not applicable · ✗ not reported anywhere we looked. "
                "Items follow the WHO Trial Registration Data Set v1.3.1.")


def findings_filters(flags: pl.DataFrame) -> tuple[list[str], list[str]]:
    left, right = st.columns(2)
    kinds = left.multiselect("Kind of finding", sorted(flags["kind"].unique()), format_func=label,
                             placeholder="all kinds", key="dq_kinds")
    trials = right.multiselect("Trial", sorted(flags["trial_id"].unique()), placeholder="all trials",
                               key="dq_trials")
    return kinds, trials


# --- downloads ------------------------------------------------------------------------------------------------


def table_downloads(view: dict[str, pl.DataFrame], full: bool) -> None:
    source = tables() if full else view
    suffix = "" if full else "_filtered"
    cols = st.columns(3)
    for i, name in enumerate(TABLES):
        frame = source[name]
        with cols[i % 3]:
            csv_download(frame, f"{name}{suffix}", f"{name}.csv ({frame.height} rows)")


def data_dictionary() -> None:
    table(dictionary_frame(), "data_dictionary", height=360)


def parquet_downloads() -> None:
    version = manifest()["dataset_version"]
    cols = st.columns(3)
    for i, (name, data) in enumerate(parquet_files().items()):
        with cols[i % 3]:
            st.download_button(name, data=data, file_name=f"{name.removesuffix('.parquet')}_{version}.parquet",
                               mime="application/vnd.apache.parquet", on_click="ignore", key=f"pq-{name}")
