"""Shared page parts: page header with the filtered view, chart + table + CSV, downloads, footer."""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlencode

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from trialdata import figures, report
from trialdata import transforms as tf
from trialdata.export import csv_bytes
from trialdata.filters import Filters, describe
from trialdata.provenance import SOURCES_SUMMARY, dataset_citation
from trialdata.schema import label
from trialdata.tables import TABLES
from trialdata.tables import data_dictionary as dictionary_frame
from trialdata.ui.data import curated_sources, filtered, manifest, parquet_files, session_tables, user_trials
from trialdata.ui.text import md_escape
from trialdata.upload import MAX_FILE_BYTES, ingest

PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "width": 1600, "height": 900,
                                                               "scale": 2}}
COLUMN_HELP = {c.name: c.doc for cols in TABLES.values() for c in cols}
# views that compare trials one by one draw at most this many (overviews and totals use every trial)
VIEW_LIMIT = int(os.environ.get("TRIALDATA_VIEW_LIMIT", "25"))
# weeks converted from months have many decimals; on screen one is enough (a narrow column cut 12.714 to
# "2.7143"), the CSV keeps them all
WEEK_COLUMNS = {"week", "weeks", "weeks_max", "follow_up_weeks", "follow_up_weeks_max"}
TABLE_ROWS = 1_000  # a table on screen shows at most this many rows; its CSV download has all of them


def current_filters() -> Filters:
    return st.session_state.get("filters", Filters())


def filtered_view() -> Mapping[str, pl.DataFrame]:
    """The tables for the trials the filters keep; stops the page with a helpful note when none."""
    return _unless_empty(filtered(current_filters().selected))


def _unless_empty(view: Mapping[str, pl.DataFrame]) -> Mapping[str, pl.DataFrame]:
    if view["trials"].is_empty():
        st.info("No trial matches the current filters. Remove a filter in the sidebar (or press "
                "“Clear filters”) to see trials again.", icon=":material/search_off:")
        footer()
        st.stop()
    return view


def page_view(title: str, intro: str) -> Mapping[str, pl.DataFrame]:
    """Title, intro, which trials the filters keep; stops the page with a helpful note when none."""
    st.title(title)
    st.write(intro)
    filters = current_filters()
    view = filtered(filters.selected)
    if filters.active:
        total = session_tables()["trials"].height
        st.caption(f"Showing {view['trials'].height} of {total} trials · {md_escape(filters_text())}")
    return _unless_empty(view)


def per_trial(view: Mapping[str, pl.DataFrame], what: str) -> Mapping[str, pl.DataFrame]:
    """The trials a one-by-one view draws: all when few, else a chosen selection, said out loud."""
    ids = view["trials"].sort("trial_id")["trial_id"].to_list()
    if len(ids) <= VIEW_LIMIT:
        return view
    chosen = st.multiselect(f"Trials to draw in the {what} (at most {VIEW_LIMIT})", ids, default=ids[:VIEW_LIMIT],
                            max_selections=VIEW_LIMIT, key=f"pick-{what}")
    st.info(f"{len(ids)} trials match the filters. Trials are drawn one by one in the {what}, so only the "
            f"{len(chosen)} chosen above are drawn (the first {VIEW_LIMIT} by id unless you pick others). "
            "Totals and overviews use every matching trial.", icon=":material/info:")
    return tf.restrict(view, chosen or ids[:1])


def table(frame: pl.DataFrame, name: str, height: int | str = "auto") -> None:
    """A table with column help from the data dictionary, and its CSV download right under it."""
    config = {c: st.column_config.NumberColumn(help=COLUMN_HELP[c], format="%.1f") if c in WEEK_COLUMNS
              else st.column_config.Column(help=COLUMN_HELP[c]) for c in frame.columns if c in COLUMN_HELP}
    st.dataframe(frame.head(TABLE_ROWS), hide_index=True, width="stretch", height=height, column_config=config)
    if frame.height > TABLE_ROWS:
        st.caption(f"Showing the first {TABLE_ROWS:,} of {frame.height:,} rows; the CSV below has all of them.")
    csv_download(frame, name)


def chart(fig: go.Figure, frame: pl.DataFrame, name: str) -> None:
    """A figure with its 16:9 image downloads, then exactly the table it plots, then that table as CSV."""
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


# --- overview -----------------------------------------------------------------------------------------

BADGE_COLOURS = {"yes": "blue", "no": "gray", "not reported": "orange"}


def design_badges(badges: pl.DataFrame) -> None:
    """One line per trial: phase, randomised?, controlled?, blinded?, single arm? as badges with words."""
    for row in badges.iter_rows(named=True):
        cols = st.columns([2.0, 1.2, 1.7, 1.4, 1.3, 1.4], vertical_alignment="center")
        cols[0].markdown(f"**{md_escape(row['trial_id'])}**")
        cols[1].badge(md_escape(row["phase"]), color="violet")
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
    st.subheader(md_escape(r["title"] or r["trial_id"]))
    st.caption(md_escape(f"{r['registry']} · {r['trial_id']} · {r['conditions']}"))
    st.link_button("Open the registry entry ↗", r["registry_url"])


# --- data quality -------------------------------------------------------------------------------------------

SCORE_LEGEND = ("Chart: shape and colour give the status (see its legend). Table: ✓ in the registry record · "
                "2° only in a secondary source (mirror page or publication) · ? unclear or only implied · "
                "– not applicable · ✗ not reported anywhere we looked. "
                "Items follow the WHO Trial Registration Data Set v1.3.1.")


def findings_filters(flags: pl.DataFrame) -> tuple[list[str], list[str]]:
    left, right = st.columns(2)
    kinds = left.multiselect("Kind of finding", sorted(flags["kind"].unique()), format_func=label,
                             placeholder="all kinds", key="dq_kinds")
    trials = right.multiselect("Trial", sorted(flags["trial_id"].unique()), placeholder="all trials",
                               key="dq_trials")
    return kinds, trials


# --- downloads ------------------------------------------------------------------------------------------------


def table_downloads(view: Mapping[str, pl.DataFrame], full: bool) -> None:
    source = session_tables() if full else view
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


# --- journal club -----------------------------------------------------------------------------------------


def filters_text() -> str:
    filters = current_filters()
    if not filters.active:
        return "all trials"
    return "filters: " + "; ".join(describe(filters))


def meta() -> report.Meta:
    m = manifest()
    query = urlencode(st.query_params.to_dict())  # filter values can hold spaces and commas
    link = f"{st.context.url}?{query}" if query else st.context.url
    return report.Meta(m["dataset_version"], m["data_as_of"], link=link, filters=filters_text())


def journal_club_files(view: Mapping[str, pl.DataFrame]) -> None:
    """Make the handout (HTML, PDF), the slide deck and the bundle for the trials shown, with progress."""
    key = (current_filters().selected, tuple(view["trials"]["trial_id"]))
    if st.button("Make handout, slides and bundle for the trials shown", icon=":material/slideshow:"):
        info = meta()
        with st.status("Making the journal-club files…", expanded=True) as status:
            st.write("Handout as one offline HTML file…")
            page = report.handout_html(view, info)
            st.write("The same handout as PDF (printed by headless Chromium)…")
            pdf = report.handout_pdf(page)
            st.write("Slide deck with 16:9 figures and speaker notes…")
            deck = report.slides_pptx(view, info)
            st.write("Citable bundle (CSV, Parquet, dictionary, README, CITATION.cff)…")
            bundle = report.bundle_zip(view, info)
            status.update(label="The journal-club files are ready", state="complete", expanded=False)
        st.session_state["jc_files"] = (key, info.stem, {"handout.html": page.encode("utf-8"),
                                                          "handout.pdf": pdf, "slides.pptx": deck,
                                                          "bundle.zip": bundle})
    made = st.session_state.get("jc_files")
    if made and made[0] == key:
        _, stem, files = made
        cols = st.columns(len(files))
        mimes = {"html": "text/html", "pdf": "application/pdf", "zip": "application/zip",
                 "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
        for col, (suffix, data) in zip(cols, files.items(), strict=True):
            col.download_button(f"Download {suffix}", data=data, file_name=f"{stem}_{suffix}",
                                mime=mimes[suffix.rsplit(".", 1)[1]], on_click="ignore", key=f"jc-{suffix}")


# --- presentation mode ------------------------------------------------------------------------------------

PRESENTATION_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 1.35rem; }
.block-container { padding-top: 4rem; max-width: 100%; }
</style>"""


def presentation_style() -> None:
    """Large type and no sidebar on the presentation page (fixed CSS, never data)."""
    st.html(PRESENTATION_CSS)


def slide_controls(count: int) -> int:
    """Previous / next buttons and the slide number, kept in the URL as ?slide=."""
    raw = st.query_params.get("slide") or st.session_state.get("page_params", {}).get("slide") or "1"
    number = min(max(int(raw) if raw.isdigit() else 1, 1), count)
    left, middle, right, leave = st.columns([1, 2, 1, 1], vertical_alignment="center")
    if left.button("◀ Previous", disabled=number == 1, width="stretch", key="slide_prev"):
        number -= 1
    if right.button("Next ▶", disabled=number == count, width="stretch", key="slide_next"):
        number += 1
    middle.markdown(f"**Slide {number} of {count}** · {md_escape(filters_text())}")
    leave.page_link("app_pages/overview.py", label="Leave presentation", icon=":material/close:")
    st.query_params["slide"] = str(number)
    return number


def show_slide(slide: report.Slide, view: Mapping[str, pl.DataFrame]) -> None:
    st.title(md_escape(slide.title))
    if slide.kind == "title":
        m = manifest()
        st.table(view["trials"].sort("trial_id").select("trial_id", "title", "conditions"), hide_index=True)
        st.markdown(f"Dataset version **{m['dataset_version']}** · data as of **{m['data_as_of']}** · "
                    f"{md_escape(filters_text())}")
    elif slide.kind == "view":
        shown = report.comparison_view(view, slide.view_key)
        fig = figures.for_slides(shown.figure).update_layout(width=None, height=760, title=None)
        st.plotly_chart(fig, theme=None, width="stretch", config=PLOTLY_CONFIG)
        st.caption(f"Sources: {md_escape(shown.sources)}")
    else:
        st.table(report.trial_facts(view, slide.trial_id), hide_index=True)


# --- add trials (uploads) -----------------------------------------------------------------------------------


def upload_box() -> None:
    """Upload, validate in memory, and either add to this session's comparison or list the problems."""
    files = st.file_uploader("Trial files: our YAML (with its record as .txt), or ClinicalTrials.gov JSON",
                             type=["yaml", "yml", "json", "txt"], accept_multiple_files=True, key="uploads")
    if not files or not st.button("Check and add to the comparison", icon=":material/fact_check:"):
        return
    with st.spinner("Checking the files…"):
        batch = [(f.name, f.getvalue()[: MAX_FILE_BYTES + 1]) for f in files]
        taken = set(session_tables()["trials"]["trial_id"].str.replace(r" \[user-supplied\]$", ""))
        result = ingest(batch, taken, curated_sources(), already=len(user_trials()))
    st.session_state["user_trials"] = user_trials() + result.trials
    st.session_state["upload_report"] = ([t.trial_id for t in result.trials],
                                         [(p.file, p.line, p.field, p.message) for p in result.problems])


def upload_report() -> None:
    added, problems = st.session_state.get("upload_report", ([], []))
    if added:
        st.success(f"Added to this session's comparison: {md_escape(', '.join(added))}. They are shown as "
                   "[user-supplied] on every page and in every download, and are never saved.",
                   icon=":material/check_circle:")
    if problems:
        st.error(f"{len(problems)} problem(s); files with problems were not added:", icon=":material/block:")
        st.dataframe(pl.DataFrame(problems, schema=["file", "line", "field", "message"], orient="row"),
                     hide_index=True, width="stretch")


def session_uploads() -> None:
    user = user_trials()
    if not user:
        st.caption("No trials uploaded in this session.")
        return
    st.dataframe(pl.DataFrame({"trial_id": [t.trial_id for t in user],
                               "title": [t.public_title.value for t in user]}), hide_index=True, width="stretch")
    if st.button("Remove the uploaded trials", icon=":material/delete:"):
        st.session_state["user_trials"] = []
        st.session_state.pop("upload_report", None)
        st.rerun()
