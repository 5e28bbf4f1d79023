"""Shared page parts: the page header with the tables for the trials shown, a view's page, chart + table + CSV,
footer."""

from __future__ import annotations

import os
from collections.abc import Mapping

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from trialdata import columns, figures, report, store, views
from trialdata.export import csv_bytes
from trialdata.filters import describe
from trialdata.provenance import SOURCES_SUMMARY, dataset_citation
from trialdata.ui.data import filtered, manifest, session_tables, user_trials
from trialdata.ui.state import FILTERS
from trialdata.ui.text import md_escape
from trialdata.views import View

PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "width": 1600, "height": 900,
                                                               "scale": 2}}
# views that compare trials one by one draw at most this many (overviews and totals use every trial)
VIEW_LIMIT = int(os.environ.get("TRIALDATA_VIEW_LIMIT", "25"))
# weeks converted from months have many decimals; on screen one is enough (a narrow column cut 12.714 to
# "2.7143"), the CSV keeps them all
WEEK_COLUMNS = {"week", "weeks", "weeks_max", "follow_up_weeks", "follow_up_weeks_max"}
TABLE_ROWS = 1_000  # a table on screen shows at most this many rows; its CSV download has all of them


def shown_tables(marked: bool = True) -> Mapping[str, pl.DataFrame]:
    """The tables for the trials the filters keep, as people see them (uploaded trials marked) unless
    `marked` is False (data to download); stops the page with a helpful note when no trial is left."""
    tables = filtered(FILTERS.get().selected)
    tables = store.as_shown(tables) if marked else tables
    if tables["trials"].is_empty():
        st.info("No trial matches the current filters. Remove a filter in the sidebar (or press "
                "“Clear filters”) to see trials again.", icon=":material/search_off:")
        footer()
        st.stop()
    return tables


def page_tables(title: str, intro: str, marked: bool = True) -> Mapping[str, pl.DataFrame]:
    """Title, intro, which trials the filters keep; stops the page with a helpful note when none."""
    st.title(title)
    st.write(intro)
    if FILTERS.get().active:
        shown, total = filtered(FILTERS.get().selected)["trials"].height, session_tables()["trials"].height
        st.caption(f"Showing {shown} of {total} trials · {md_escape(filters_text())}")
    return shown_tables(marked)


def per_trial(tables: Mapping[str, pl.DataFrame], what: str) -> Mapping[str, pl.DataFrame]:
    """The trials a one-by-one view draws: all when few, else a chosen selection, said out loud."""
    ids = tables["trials"].sort("trial_id")["trial_id"].to_list()
    if len(ids) <= VIEW_LIMIT:
        return tables
    chosen = st.multiselect(f"Trials to draw in the {what} (at most {VIEW_LIMIT})", ids, default=ids[:VIEW_LIMIT],
                            max_selections=VIEW_LIMIT, key=f"pick-{what}")
    st.info(f"{len(ids)} trials match the filters. Trials are drawn one by one in the {what}, so only the "
            f"{len(chosen)} chosen above are drawn (the first {VIEW_LIMIT} by id unless you pick others). "
            "Totals and overviews use every matching trial.", icon=":material/info:")
    return store.restrict(tables, chosen or ids[:1])


def view_page(view: View) -> None:
    """A view's whole page, from its declaration: header, its chart with the table it plots, its sections."""
    tables = page_tables(view.title, f"{view.question} {view.how_to_read}")
    view_chart(view, tables)
    guest_views(view.key, tables)
    for section in view.sections:
        st.subheader(section.title)
        if section.caption:
            st.caption(section.caption)
        table(section.table(tables), section.csv_name)
    footer()


def guest_views(key: str, tables: Mapping[str, pl.DataFrame]) -> None:
    """The views hosted on the page of `key` (a view's key, or "overview"), each under its own heading."""
    for guest in views.guests(key):
        st.subheader(guest.title)
        st.write(f"{guest.question} {guest.how_to_read}")
        view_chart(guest, tables)


def view_chart(view: View, tables: Mapping[str, pl.DataFrame]) -> None:
    """The view's chart for the trials shown (a bounded selection when it draws trials one by one)."""
    shown = per_trial(tables, f"{view.title.lower()} chart") if view.one_by_one else tables
    values = {s.name: st.number_input(s.label, s.min, s.max, s.default, s.step, help=s.help or None,
                                      key=f"{view.key}-{s.name}") for s in view.settings}
    frame = view.frame(shown, **values)
    if frame.is_empty():
        empty_note(view.empty)
    else:
        chart(view.figure(frame, shown), frame, view.csv_name)


def column_config(frame: pl.DataFrame) -> dict[str, object]:
    """Every column's human label, with the data dictionary's description as its help; weeks to one decimal."""
    config: dict[str, object] = {}
    helps = columns.help_texts(frame.columns)
    for c in frame.columns:
        kind = st.column_config.NumberColumn if c in WEEK_COLUMNS and frame.schema[c].is_numeric() else \
            st.column_config.Column
        extra = {"format": "%.1f"} if kind is st.column_config.NumberColumn else {}
        config[c] = kind(label=columns.label(c), help=helps[c], **extra)
    return config


def table(frame: pl.DataFrame, name: str, height: int | str = "auto") -> None:
    """A table with human column labels, the data dictionary as column help and missing values in words,
    and its CSV download (snake_case names, missing values empty) right under it."""
    shown = columns.readable(frame.head(TABLE_ROWS), {c: 1 for c in WEEK_COLUMNS})
    st.dataframe(shown, hide_index=True, width="stretch", height=height, column_config=column_config(shown))
    if frame.height > TABLE_ROWS:
        st.caption(f"Showing the first {TABLE_ROWS:,} of {frame.height:,} rows; the CSV below has all of them.")
    csv_download(frame, name)


def chart(fig: go.Figure, frame: pl.DataFrame, name: str) -> None:
    """A figure with its 16:9 image downloads, then exactly the table it plots, then that table as CSV."""
    st.caption(figures.text_alternative(fig, frame.height))  # the chart in words, read before it (no alt in plotly)
    st.plotly_chart(fig, theme=None, width="stretch", config=PLOTLY_CONFIG)
    figure_downloads(fig, name)
    st.caption(f"The table behind this chart ({frame.height} rows):")
    table(frame, name)


def figure_downloads(fig: go.Figure, name: str) -> None:
    """PNG and SVG of the figure sized for a 16:9 slide, made only when clicked."""
    version = manifest()["dataset_version"]
    cols = st.columns([1, 1, 6])
    for col, fmt, mime in [(cols[0], "png", "image/png"), (cols[1], "svg", "image/svg+xml")]:
        col.download_button(fmt.upper(), data=lambda f=fmt: report.figure_image(fig, f),
                            file_name=f"{name}_{version}.{fmt}", mime=mime, on_click="ignore",
                            key=f"img-{name}-{fmt}", icon=":material/image:")


def csv_download(frame: pl.DataFrame, name: str, label_text: str | None = None) -> None:
    """A CSV download of exactly this table (UTF-8 with BOM), named with the dataset version."""
    version = manifest()["dataset_version"]
    st.download_button(label_text or f"Download {name}.csv", data=lambda: csv_bytes(frame),  # built on click
                       file_name=f"{name}_{version}.csv", mime="text/csv", on_click="ignore", key=f"dl-{name}")


def empty_note(sentence: str) -> None:
    st.info(sentence, icon=":material/info:")


def filters_text() -> str:
    filters = FILTERS.get()
    if not filters.active:
        return "all trials"
    return "filters: " + "; ".join(describe(filters))


def footer() -> None:
    """Dataset version, data-as-of date, where the data comes from and how to cite it."""
    m = manifest()
    st.divider()
    uploaded = len(user_trials())
    extra = (f" · plus {uploaded} user-supplied trial(s) uploaded in this session, not curated "
             "(marked [user-supplied])") if uploaded else ""
    st.caption(
        f"Dataset version {m['dataset_version']} · data as of {m['data_as_of']}{extra} · Sources: {SOURCES_SUMMARY} "
        f"Cite as: {dataset_citation(m['dataset_version'], m['data_as_of'])}"
    )
