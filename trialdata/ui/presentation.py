"""Presentation mode: one slide at a time, large type, the slide number in the URL."""

from __future__ import annotations

import logging
from collections.abc import Mapping

import polars as pl
import streamlit as st

from trialdata import figures, store, views
from trialdata.report import slides as report_slides
from trialdata.report.content import Meta
from trialdata.ui import faults, since
from trialdata.ui.components import PLOTLY_CONFIG, empty_note, filters_text
from trialdata.ui.data import manifest, per_selection
from trialdata.ui.state import PAGE_PARAMS
from trialdata.ui.text import md_escape

# a slide fits a 1280 x 720 or 1024 x 768 projector without scrolling: no app header or sidebar, little padding,
# the chart beside its takeaway (CHART_HEIGHT) and the choice of two trials below the slide
PRESENTATION_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"] { display: none; }
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 1.3rem; padding-top: .2rem; padding-bottom: .2rem; }
[data-testid="stTable"] td [data-testid="stMarkdownContainer"] { max-width: none; }  /* answers use the row's width */
[data-testid="stTable"] td:first-child p { white-space: nowrap; }  /* "How much" on one line */
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.45rem; }
[data-testid="stExpander"] [data-testid="stMarkdownContainer"] p { font-size: 1.05rem; }
.block-container { padding-top: 1rem; max-width: 100%; }
@media (min-width: 641px) and (max-width: 1279px) {  /* a 1024 x 768 projector: the chart takes the room the page's
  margins give up, so its notes (drawn for the deck's proportions) fit; the takeaway beside it and the tables use
  smaller type to stay on screen (a table of five trials scrolled sideways). At 640 px Streamlit stacks columns */
  .block-container { padding-left: 1rem; padding-right: 1rem; }
  [data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 1.1rem; }
  [data-testid="stHorizontalBlock"]:has([data-testid="stPlotlyChart"]) > [data-testid="stColumn"]:first-child {
    flex: 0 0 79%; width: 79%; }
  [data-testid="stHorizontalBlock"]:has([data-testid="stPlotlyChart"]) > [data-testid="stColumn"]:last-child {
    flex: 1 1 0; width: auto; min-width: 0; }
  [data-testid="stHorizontalBlock"]:has([data-testid="stPlotlyChart"]) [data-testid="stMarkdownContainer"] li {
    font-size: 1.2rem; }
}
</style>"""
# a trial card's room on a 1280 x 720 screen, in the deck's terms (inches of a slide at its table type) so that
# report_slides.fitted_card cuts it: under the controls, title and subtitle the screen holds less than a slide
# (the browser test that every slide fits the screen checks it)
CARD_ROOM = 4.4
CHART_HEIGHT = 550
# the chart is about 830 px wide on a 1280 px screen, the deck's 1100 (deck.CHART_PX): its type and markers at
# that proportion, as the deck's slide shows them there (at the deck's own sizes its notes ran past the chart)
CHART_TYPE = 0.75

log = logging.getLogger("trialdata")


def presentation_style() -> None:
    """Large type and no sidebar on the presentation page (fixed CSS, never data)."""
    st.html(PRESENTATION_CSS)


# slide clickers send PageUp/PageDown, keyboards the arrow keys; a button takes one shortcut, so each move has a
# second button that only carries the clicker's key and is not shown
CLICKER_ONLY_CSS = """<style>.st-key-slide_prev_clicker, .st-key-slide_next_clicker { display: none; }</style>"""


@st.fragment  # previous / next and the two to compare rerun only the deck, not the page around it
@faults.contained
def deck(tables: Mapping[str, pl.DataFrame]) -> None:
    """The slide controls, the slide, and below it a choice of two trials to compare (made first: it decides
    the slides)."""
    controls, slide, below = st.container(), st.container(), st.container()
    with below:
        tables = compare_two(tables)
    slides = slide_list(tables)
    with controls:
        number = slide_controls(len(slides))
    with slide:
        show_slide(slides[number - 1], tables)


def slide_list(tables: Mapping[str, pl.DataFrame]) -> list[report_slides.Slide]:
    """The deck's slides for these trials, shared by the sessions that see the same trials (through
    `per_selection`: never when this session uploaded trials)."""
    ids = tuple(sorted(tables["trials"]["trial_id"]))
    try:
        if since.comparing():  # this session's older version: its slides are not shared
            return _whole_deck(tables)
        return per_selection(("slides", tuple(v.key for v in views.VIEWS), ids), lambda: _whole_deck(tables))
    except DeckFailed as failed:  # never kept for other sessions: the next run tries the failed view again
        return failed.slides


class DeckFailed(Exception):
    """A slide list with a view that could not be drawn (raised so the shared cache does not keep it)."""

    def __init__(self, slides: list[report_slides.Slide]):
        super().__init__("a view could not be drawn")
        self.slides = slides


def _whole_deck(tables: Mapping[str, pl.DataFrame]) -> list[report_slides.Slide]:
    slides = report_slides.slide_list(tables)
    if any(s.kind == "failed" for s in slides):
        raise DeckFailed(slides)
    return slides


def compare_two(tables: Mapping[str, pl.DataFrame]) -> Mapping[str, pl.DataFrame]:
    """Optionally pick two trials: then every slide shows just them, side by side."""
    ids = tables["trials"].sort("trial_id")["trial_id"].to_list()
    with st.expander("Compare two trials", icon=":material/compare_arrows:"):
        chosen = st.multiselect("Pick two trials: every slide then shows just them, side by side", ids,
                                max_selections=2, key="present_compare", placeholder="all trials shown")
        if len(chosen) == 1:
            st.caption("Pick a second trial to compare; until then every trial shown is on the slides.")
    return store.restrict(tables, chosen) if len(chosen) == 2 else tables


def slide_controls(count: int) -> int:
    """Previous / next buttons (also the arrow keys and a clicker's PageUp / PageDown) and the slide number,
    kept in the URL as ?slide=."""
    raw = st.query_params.get("slide") or PAGE_PARAMS.get().get("slide") or "1"
    number = min(max(int(raw) if raw.isdigit() else 1, 1), count)
    st.html(CLICKER_ONLY_CSS)
    # room for "Leave presentation" on a 1024 px screen
    left, middle, right, leave = st.columns([1, 1.6, 1, 1.6], vertical_alignment="center")
    # never disabled: a button disabled on the first slide kept its arrow key dead after moving on (Streamlit
    # 1.67), so on the first and last slide the move just stays put
    back = left.button("◀ Previous", width="stretch", key="slide_prev", shortcut="Left")
    back |= left.button("Previous", key="slide_prev_clicker", shortcut="PageUp")
    forward = right.button("Next ▶", width="stretch", key="slide_next", shortcut="Right")
    forward |= right.button("Next", key="slide_next_clicker", shortcut="PageDown")
    number = min(max(number + forward - back, 1), count)
    middle.markdown(f"**Slide {number} of {count}** · {md_escape(filters_text())}")
    leave.page_link("app_pages/overview.py", label="Leave presentation", icon=":material/close:")
    st.query_params["slide"] = str(number)
    return number


def show_slide(slide: report_slides.Slide, tables: Mapping[str, pl.DataFrame]) -> None:
    """The slide the deck draws, drawn by Streamlit: title, its lines (subtitle, takeaway or findings), the
    chart or the table, and the speaker notes (its sources) folded away."""
    st.title(md_escape(slide.title))
    failed = False
    try:
        drawn = slide.figure(tables)  # None on a slide without a view, or when its trials have nothing to draw
    except Exception:
        log.exception("The chart of the slide %s could not be drawn", slide.title)
        drawn, failed = None, True
    chart, words = st.columns([3, 1], gap="medium") if drawn is not None else (None, st.container())
    if slide.lines and slide.kind != "failed":  # a failed view's slide: the warning below says it
        bullets = slide.kind in ("view", "findings")
        words.markdown("\n".join(("- " if bullets else "") + md_escape(line) + ("" if bullets else "  ")
                                 for line in slide.lines))
    if slide.kind == "title" and not any("Dataset version" in line for line in slide.lines):
        m = manifest()
        st.markdown(f"Dataset version **{m['dataset_version']}** · data as of **{m['data_as_of']}** · "
                    f"{md_escape(filters_text())}")
    if slide.kind == "failed":  # its view's frame could not be made: the slide's one line says so
        st.warning(slide.lines[0], icon=":material/error:")
    elif failed and slide.view is not None:  # its chart could not be drawn
        st.warning(views.could_not_draw(slide.view), icon=":material/error:")
    elif slide.view is not None and drawn is None:
        empty_note(views.nothing_to_draw(slide.view))
    elif drawn is not None:  # the chart beside its takeaway; the chart in words is its accessible name
        # a slide draws its view's chart, from its frame, in the column made for it (Slide.figure)
        assert slide.view is not None and slide.frame is not None and chart is not None
        alt = figures.text_alternative(drawn, slide.frame.height, "in the table of the "
                                       f"{views.page_title(slide.view)} page and in the handout",
                                       counted=slide.view.smaller_figure is not None)
        fig = figures.scaled_type(slide.view.restyle_for_slide(drawn), CHART_TYPE).update_layout(
            width=None, height=CHART_HEIGHT, title=None)
        chart.plotly_chart(fig, theme=None, width="stretch", config=PLOTLY_CONFIG, alt=alt)
    if slide.kind == "trial":  # the screen's card has less room than the deck's: under its controls and title
        assert slide.trial_id is not None  # a trial slide names its trial
        m = manifest()  # the card's freshness is counted to the day the slide is shown
        card = report_slides.fitted_card(tables, slide.trial_id, CARD_ROOM, Meta(m["dataset_version"], m["data_as_of"]))
        st.table(card, hide_index=True)
    elif slide.table is not None:
        st.table(slide.table, hide_index=True)
    if slide.notes:
        with st.expander("Speaker notes and sources"):
            st.markdown(md_escape(slide.notes))
