"""The slide list: built once, rendered by python-pptx (the deck, `deck.py`) and by Streamlit (presentation
mode). What is on each slide, fitted to the slide with `measure.py`: the title, the summary, one slide per view,
one card per trial and the findings, with the sources in the speaker notes."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from trialdata import views
from trialdata.columns import field_label
from trialdata.provenance import SOURCES_SUMMARY, dataset_citation, plain
from trialdata.report.content import (
    SOURCE_MARKS,
    Meta,
    Tables,
    key_findings,
    sources_note,
    summary_grid,
    trial_card,
)
from trialdata.report.measure import (
    BODY_BOTTOM,
    BODY_TOP,
    BODY_W,
    LABEL_W,
    LINE,
    PAD_X,
    PAD_Y,
    SIDE_W,
    TABLE_PT,
    TEXT_PT,
    clip,
    row_heights,
    text_height,
    wrapped_lines,
)
from trialdata.views.words import counted
from trialdata.vocab import label

SUMMARY_TRIALS = 5  # at most this many trial columns on a summary slide (fewer when that needs fewer slides)

log = logging.getLogger("trialdata")


def _fit(texts: list[str], widths: list[float], size: float, height: float) -> list[str]:
    """Clip texts (one per row) so their rows fit `height` inches: each row gets one line, then the row
    closest to whole gets the next line, until the space runs out (so only the longest rows are cut)."""
    need = [wrapped_lines(t, w - 2 * PAD_X, size) for t, w in zip(texts, widths, strict=True)]
    given = [1] * len(texts)
    line, row = size * LINE / 72, 2 * PAD_Y
    used = len(texts) * (line + row)
    while used + line <= height and any(g < n for g, n in zip(given, need, strict=True)):
        i = min((k for k in range(len(texts)) if given[k] < need[k]), key=lambda k: need[k] - given[k])
        given[i] += 1
        used += line
    return [clip(t, w, size, g) for t, w, g in zip(texts, widths, given, strict=True)]


@dataclass(frozen=True, eq=False)
class Slide:
    """One slide's content, whatever draws it: a title, lines of text under it (subtitle, takeaway or
    findings, one paragraph each), a table (summary grid or trial card; first column = row labels), a view's
    chart (drawn from `view` and `frame` when shown) and speaker notes."""

    kind: str  # "title", "summary", "view", "trial", "findings" or "failed" (a view that could not be drawn)
    title: str
    view_key: str | None = None
    trial_id: str | None = None
    lines: tuple[str, ...] = ()
    table: pl.DataFrame | None = None
    header: bool = True  # the table's first row is its column names
    view: views.View | None = None
    frame: pl.DataFrame | None = None
    notes: str = ""

    def figure(self, tables: Tables) -> go.Figure | None:
        """The view's chart for these trials (built when shown: the slide list stays quick to make); None on a
        slide without a view, or when the trials have nothing the chart can show."""
        if self.view is None or self.frame is None:
            return None
        return (self.view.smaller_figure or self.view.figure)(self.frame, tables)

    @property
    def lines_pt(self) -> int:
        return 24 if self.kind == "title" else TEXT_PT

    @property
    def lines_width(self) -> float:
        """A view slide keeps its takeaway in a column beside the chart; other slides run their lines full width."""
        return SIDE_W if self.kind == "view" else BODY_W

    def lines_height(self) -> float:
        return text_height("\n".join(self.lines), self.lines_width, self.lines_pt) if self.lines else 0.0


def _title_slide(tables: Tables, meta: Meta | None) -> Slide:
    ids = sorted(tables["trials"]["trial_id"])
    lines = [clip(", ".join(ids), BODY_W, 24, 3)]
    if meta:
        lines += [f"Dataset version {meta.version} · data as of {meta.as_of}",
                  f"Made {meta.generated} · {meta.filters}"]
    shown = f"{meta.filters[:1].upper()}{meta.filters[1:]}" if meta else ""  # "All trials", "Filters: ..."
    cited = f"{dataset_citation(meta.version, meta.as_of)} {shown}. " if meta else ""
    notes = cited + SOURCES_SUMMARY
    return Slide("title", f"MSC trials evidence: {counted(len(ids), 'trial')}", lines=tuple(lines), notes=notes)


# the summary grid on slides, in two halves that each fit at 18 pt for five trials
SUMMARY_SLIDES = {"Summary: what was given": ["Product", "Cell source", "Donor", "Route", "Dose", "Administrations"],
                  "Summary: to whom, and how it is measured": ["Condition", "Target n", "Phase", "End of follow-up"]}


def _grid_pages(grid: pl.DataFrame, per: int) -> list[pl.DataFrame]:
    """The grid cut into slides of `per` trial columns and as many rows as fit under the title."""
    pages = []
    room = BODY_BOTTOM - BODY_TOP
    for start in range(1, grid.width, per):
        part = grid.select("Field", *grid.columns[start:start + per])
        heights = row_heights(part, header=True)
        first, used = 0, heights[0]
        for i, h in enumerate(heights[1:]):
            if used + h > room:
                pages.append(part.slice(first, i - first))
                first, used = i, heights[0]
            used += h
        pages.append(part.slice(first))
    return pages


def _summary_slides(tables: Tables) -> list[Slide]:
    """The comparison grid on as few slides as it fits (nothing clipped): up to five trial columns a slide."""
    grid = summary_grid(tables["trials"])
    notes = f"{SOURCE_MARKS} Sources: {sources_note(tables)}"
    slides = []
    for name, fields in SUMMARY_SLIDES.items():
        part = grid.filter(pl.col("Field").is_in(fields))
        pages = min((_grid_pages(part, per) for per in range(min(grid.width - 1, SUMMARY_TRIALS), 0, -1)), key=len)
        slides += [Slide("summary", name if len(pages) == 1 else f"{name} ({i}/{len(pages)})", table=page, notes=notes)
                   for i, page in enumerate(pages, start=1)]
    return slides


def _view_slide(view: views.View, frame: pl.DataFrame, tables: Tables) -> Slide:
    lines = view.takeaway_lines(frame)
    # the takeaway has the column's whole height; only when it needs more is each line cut to an even share
    # (three wrapped lines each used to cut most takeaways short)
    room = int((BODY_BOTTOM - BODY_TOP - 2 * PAD_Y) * 72 / (TEXT_PT * LINE))
    if sum(wrapped_lines(line, SIDE_W - 2 * PAD_X, TEXT_PT) for line in lines) > room:
        lines = [clip(line, SIDE_W, TEXT_PT, room // len(lines)) for line in lines]
    takeaway = tuple(lines)
    return Slide("view", view.title, view_key=view.key, lines=takeaway, view=view, frame=frame,
                 notes=f"{view.question} {view.slide_how_to_read or view.how_to_read} Sources: {sources_note(tables)}")


def _trial_slide(tables: Tables, trial_id: str, meta: Meta | None) -> Slide:
    title = tables["trials"].filter(pl.col("trial_id") == trial_id)["title"][0] or "title not reported"
    subtitle = clip(title, BODY_W, TEXT_PT, 1)
    room = BODY_BOTTOM - (BODY_TOP + text_height(subtitle, BODY_W, TEXT_PT) + 0.1)
    mine = tables["sources"].filter(pl.col("trial_id") == trial_id)
    notes = "The full card, with every finding and its quotes, is in the handout. Sources: " + sources_note(
        {"sources": mine})
    # the card says how fresh the record is on the day the output is made, which only `meta` knows: without it
    # (presentation mode) the slide has no table, and the screen draws its card on the day it is shown
    return Slide("trial", trial_id, trial_id=trial_id, lines=(subtitle,), header=False,
                 table=fitted_card(tables, trial_id, room, meta) if meta else None, notes=notes)


def fitted_card(tables: Tables, trial_id: str, room: float, meta: Meta) -> pl.DataFrame:
    """The trial card with its longest answers cut so that it fits `room` inches of a slide at table type."""
    card = trial_card(tables, trial_id, meta)
    answers = _fit([a for _, a in card], [BODY_W - LABEL_W] * len(card), TABLE_PT, room)
    return pl.DataFrame({"Question": [q for q, _ in card], "Answer": answers})


def finding_line(row: Mapping[str, object]) -> str:
    """A finding as a slide says it; its quotes are in the speaker notes (with them, the longest ran off a
    projector's screen or was cut mid-sentence)."""
    return f"{row['trial_id']} · {label(str(row['kind']))}: {plain(str(row['message']))}"


def _findings_slide(tables: Tables) -> Slide:
    top = key_findings(tables["flags"])
    texts = [finding_line(r) for r in top.iter_rows(named=True)]
    room = BODY_BOTTOM - BODY_TOP
    fitted = _fit(texts, [BODY_W] * len(texts), TEXT_PT, room) if texts else ["No findings for the trials shown."]
    notes = " ".join(f"[{i}] {r['trial_id']} {field_label(r['field'])}: {plain(r['quotes'])}" for i, r in
                     enumerate(top.iter_rows(named=True), start=1))
    return Slide("findings", "Findings that change how to read these trials", lines=tuple(fitted),
                 notes=f"The quotes behind each finding: {notes}" if notes else "")


def slide_list(tables: Tables, registry: Sequence[views.View] | None = None, meta: Meta | None = None) -> list[Slide]:
    """Title, summary, one slide per view these trials have something in, one card per trial, the findings."""
    slides = [_title_slide(tables, meta), *_summary_slides(tables)]
    for view in registry or views.VIEWS:
        try:
            frame = view.frame(tables)
            if not frame.is_empty():
                slides.append(_view_slide(view, frame, tables))
        except Exception:  # one view failing leaves the rest of the deck whole: its slide says so
            log.exception("The view %s could not be drawn", view.key)
            slides.append(Slide("failed", view.title, view_key=view.key, lines=(views.could_not_draw(view),)))
    slides += [_trial_slide(tables, tid, meta) for tid in sorted(tables["trials"]["trial_id"])]
    return [*slides, _findings_slide(tables)]
