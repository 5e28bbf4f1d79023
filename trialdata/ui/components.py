"""Shared page parts: the page header with the tables for the trials shown, a view's page, chart + table + CSV,
footer."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Literal, TypedDict, Unpack

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from trialdata import columns, figures, store, views
from trialdata.export import csv_bytes
from trialdata.filters import describe
from trialdata.provenance import SOURCES_SUMMARY, dataset_citation
from trialdata.report.images import SLIDE_SIZE, figure_image
from trialdata.ui import faults
from trialdata.ui.data import filtered, manifest, per_selection, session_tables, user_trials
from trialdata.ui.state import FILTERS
from trialdata.ui.text import md_escape
from trialdata.views import View
from trialdata.views.words import counted

if TYPE_CHECKING:
    from streamlit.elements.lib.column_types import ColumnConfig  # what st.column_config's columns return

PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "width": 1600, "height": 900,
                                                               "scale": 2}}
# views that compare trials one by one draw at most this many (overviews and totals use every trial)
VIEW_LIMIT = int(os.environ.get("TRIALDATA_VIEW_LIMIT", "25"))
# weeks converted from months have many decimals; on screen one is enough (a narrow column cut 12.714 to
# "2.7143"), the CSV keeps them all
WEEK_COLUMNS = {"week", "weeks", "weeks_max", "follow_up_weeks", "follow_up_weeks_max"}
CHART_OR_TABLE = ["Chart", "Table"]  # a chart and the table it plots: one is drawn at a time
TABLE_ROWS = 1_000  # a table on screen shows at most this many rows; its CSV download has all of them


def shown_tables(marked: bool = True) -> Mapping[str, pl.DataFrame]:
    """The tables for the trials the filters keep, as people see them (uploaded trials marked) unless
    `marked` is False (data to download); stops the page with a helpful note when no trial is left."""
    tables = filtered(FILTERS.get().selected)
    tables = store.as_shown(tables) if marked and user_trials() else tables  # only uploads are marked
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
    else:  # holds the caption's place: the elements below keep their positions when a filter is chosen, which
        st.empty()  # the browser redraws with less work (~30 ms of main-thread time in two paired runs)
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
    tables = page_tables(view.title, reading(view))
    view_chart(view, tables)
    guest_views(view.key, tables)
    for section in view.sections:  # each build runs at once, inside its own iteration
        frame = faults.guarded(f"The table {section.csv_name}", lambda: per_selection(  # noqa: B023
            ("section", view.key, section.csv_name), lambda: section.table(tables)))  # noqa: B023
        if frame is None:
            faults.view_failed(section.title)
        else:
            folded_table(section.title, frame, section.csv_name, section.caption)
    footer()


def fold(label: str, key: str):
    """A folded part of the page under its label: the expander when it is open, else None (its content is then
    neither built nor sent: each table drawn at first paint costs the browser 0.1-0.5 s; benchmarks/bench.py).
    Call it inside a fragment, so opening it reruns only that fragment."""
    box = st.expander(label, key=key, on_change="rerun")
    return box if box.open else None


@st.fragment  # opening or closing it draws this table only, not the page
@faults.contained
def folded_table(title: str, frame: pl.DataFrame, name: str, caption: str = "",
                 empty: str = "none for the trials shown") -> None:
    """A further table folded under its title and size, with its CSV when opened; an empty one is a line."""
    if frame.is_empty():
        st.caption(f"{title}: {empty}.")
    elif box := fold(f"{title} ({counted(frame.height, 'row')})", f"open-{name}"):
        with box:
            if caption:
                st.caption(caption)
            table(frame, name)


def guest_views(key: str, tables: Mapping[str, pl.DataFrame]) -> None:
    """The views hosted on the page of `key` (a view's key, or "overview"), each under its own heading."""
    for guest in views.guests(key):
        st.subheader(guest.title)
        st.write(reading(guest))
        view_chart(guest, tables)


def reading(view: View) -> str:
    """What the page says before a view's chart: its question, how to read it, and what only the page offers."""
    return " ".join(part for part in (view.question, view.how_to_read, view.on_screen) if part)


def view_chart(view: View, tables: Mapping[str, pl.DataFrame]) -> None:
    """The view's chart for the trials shown (a bounded selection when it draws trials one by one)."""
    shown = per_trial(tables, f"{view.title.lower()} chart") if view.one_by_one else tables
    values = {s.name: st.number_input(s.label, s.min, s.max, s.default, s.step, help=s.help or None,
                                      key=f"{view.key}-{s.name}") for s in view.settings}
    made = faults.guarded(f"The view {view.key}", lambda: drawing(view, shown, values))
    if made is None:
        faults.view_failed(view.title)
        return
    frame, fig, on_page = made
    if fig is not None:
        chart(fig, frame, view.csv_name, on_page, view.image_style)
    else:
        empty_note(view.empty)
        if not frame.is_empty():  # rows a chart cannot show (doses not reported, say) are still a table
            table(frame, view.csv_name)
    context(view, frame)


def context(view: View, frame: pl.DataFrame) -> None:
    """The published context the chart is read against, one cited line per source, right under it."""
    if view.context is None:  # a view without a context has no lines to show
        return
    lines = view.context_lines(frame)
    if not lines.is_empty():
        st.markdown(f"**{md_escape(view.context.title)}**\n\n" + "\n".join(
            f"- **{md_escape(source)}** — {md_escape(said)}. *{md_escape(citation)}*"
            for source, said, citation in lines.iter_rows()))


def drawing(view: View, shown: Mapping[str, pl.DataFrame], values: Mapping[str, float]
            ) -> tuple[pl.DataFrame, go.Figure | None, go.Figure | None]:
    """The view's frame, figure (None when there is nothing to draw) and the figure as the page draws it (untitled),
    shared by the sessions that see the same trials (through `per_selection`: never when this session uploaded
    trials)."""
    ids = tuple(shown["trials"]["trial_id"].sort()) if view.one_by_one else ()  # at most VIEW_LIMIT ids
    key = ("drawing", view.key, ids, tuple(sorted(values.items())))
    return per_selection(key, lambda: _drawing(view, shown, values))


def _drawing(view: View, shown: Mapping[str, pl.DataFrame], values: Mapping[str, float]
             ) -> tuple[pl.DataFrame, go.Figure | None, go.Figure | None]:
    frame = view.frame(shown, **values)
    fig = None if frame.is_empty() else view.figure(frame, shown)
    return frame, fig, figures.untitled(fig)


def column_config(frame: pl.DataFrame) -> dict[str, ColumnConfig]:
    """Every column's human label, with the data dictionary's description as its help; weeks to one decimal."""
    config: dict[str, ColumnConfig] = {}
    helps = columns.help_texts(frame.columns, views.column_help())
    for c in frame.columns:
        if c in WEEK_COLUMNS and frame.schema[c].is_numeric():
            config[c] = st.column_config.NumberColumn(label=columns.label(c), help=helps[c], format="%.1f")
        else:
            config[c] = st.column_config.Column(label=columns.label(c), help=helps[c])
    return config


def table(frame: pl.DataFrame, name: str, height: int | Literal["auto", "content", "stretch"] = "auto") -> None:
    """A table with human column labels, the data dictionary as column help and missing values in words,
    and its CSV download (snake_case names, missing values empty) right under it."""
    shown = columns.readable(frame.head(TABLE_ROWS), {c: 1 for c in WEEK_COLUMNS})
    st.dataframe(shown, hide_index=True, width="stretch", height=height, column_config=column_config(shown))
    if frame.height > TABLE_ROWS:
        st.caption(f"Showing the first {TABLE_ROWS:,} of {frame.height:,} rows; the CSV below has all of them.")
    csv_download(frame, name)


def chart(fig: go.Figure, frame: pl.DataFrame, name: str, on_page: go.Figure,
          as_slide: Callable[[go.Figure], go.Figure] = figures.slide_style) -> None:
    """A chart and the table it plots as two views of one thing (as in Our World in Data's grapher): only the
    chosen one is drawn (each drawn element costs the browser 0.1-0.5 s), the choice is kept per chart for the
    session, and the CSV of the table and the chart's images are always in the row above it. `fig` makes the
    caption and the images (see `figure_downloads`); `on_page` (its untitled copy, `figures.untitled`) is what the
    page draws."""
    _chart_or_table(fig, frame, name, on_page, as_slide)


@st.fragment  # switching between chart and table redraws this section only, not the page
@faults.contained
def _chart_or_table(fig: go.Figure, frame: pl.DataFrame, name: str, on_page: go.Figure,
                    as_slide: Callable[[go.Figure], go.Figure]) -> None:
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        shown = st.segmented_control("Show", CHART_OR_TABLE, default="Chart", required=True, key=f"show-{name}",
                                     persist_state="session", label_visibility="collapsed")
        st.space("stretch")
        csv_download(frame, name, "CSV", key=f"dl-row-{name}", icon=":material/download:",
                     help=f"The table behind this chart, all {counted(frame.height, 'row')}")
        figure_downloads(fig, name, as_slide)
    if shown == "Table":
        st.caption(f"The table behind this chart ({counted(frame.height, 'row')}):")
        table(frame, name)
    else:
        # the chart in words, read before it and seen by everyone; its table is one click away, not below it
        st.caption(figures.text_alternative(fig, frame.height, "in the table behind the “Table” switch above it"))
        # a figure with a width of its own (a grid as wide as its columns) keeps it, or the screen's if narrower
        st.plotly_chart(on_page, theme=None, width="content" if on_page.layout.width else "stretch",
                        config=PLOTLY_CONFIG)


def figure_downloads(fig: go.Figure, name: str, as_slide: Callable[[go.Figure], go.Figure]) -> None:
    """PNG and SVG of the chart without its title (the caption above it says it), made only when clicked: 16:9 in
    its slide variant `as_slide`, as the deck's slide draws it, or, for a figure with a size of its own (a grid as
    wide as its columns, which a slide squeezes), at that size."""
    version = manifest()["dataset_version"]
    own = fig.layout.width is not None and fig.layout.height is not None
    size, scale, draw, what = (((fig.layout.width, fig.layout.height), 2, figures.untitled, "at its size on the page")
                               if own else (SLIDE_SIZE, 1, lambda f: as_slide(figures.untitled(f)),
                                            "16:9, for slides"))
    for fmt, mime in [("png", "image/png"), ("svg", "image/svg+xml")]:
        st.download_button(fmt.upper(), data=partial(figure_image, fig, fmt, size, scale, draw),
                           file_name=f"{name}_{version}.{fmt}", mime=mime, on_click="ignore",
                           key=f"img-{name}-{fmt}", icon=":material/image:",
                           help=f"The chart as a {fmt.upper()} image, {what}")


class ButtonOptions(TypedDict, total=False):
    """What a download button may set besides its label and key: st.download_button's keywords of these names."""

    help: str
    icon: str
    width: int | Literal["content", "stretch"]


def csv_download(frame: pl.DataFrame, name: str, label_text: str | None = None, key: str | None = None,
                 **button: Unpack[ButtonOptions]) -> None:
    """A CSV download of exactly this table (UTF-8 with BOM), named with the dataset version."""
    version = manifest()["dataset_version"]
    st.download_button(label_text or f"Download {name}.csv", data=lambda: csv_bytes(frame),  # built on click
                       file_name=f"{name}_{version}.csv", mime="text/csv", on_click="ignore",
                       key=key or f"dl-{name}", **button)


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
