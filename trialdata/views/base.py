"""What a view is: its declaration (View, with its Sections, Context and Settings) and a view rendered for some
trials. One declaration per comparison view; every output draws from it.

A view says which question it answers, how the tables become the tidy frame it plots (that frame is
also its receipt table: what the table under the chart and the CSV hold), how the frame becomes a
figure, and which few columns make its compact presentation table. The app's navigation and pages,
presentation mode, the handout, the deck, figure images, the benchmark, the load test and the tests
all iterate `trialdata.views.VIEWS`, which collects the `VIEW` of every module of the package: a new view
is one module (and a page file only when the generic page is not enough).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import plotly.graph_objects as go
import polars as pl

from trialdata import columns, figures

Tables = Mapping[str, pl.DataFrame]
MAX_PRESENTATION_COLUMNS = 6
MAX_TAKEAWAY_LINES = 3


@dataclass(frozen=True)
class Section:
    """A further table a view's page shows under its chart (totals, counts, every row)."""

    title: str
    table: Callable[[Tables], pl.DataFrame]
    csv_name: str
    caption: str = ""


@dataclass(frozen=True)
class Context:
    """Published context a chart is read against, not data about its trials: lines made from the view's frame
    (columns source, said, citation), written under the chart on the page and beside it in the handout."""

    title: str
    lines: Callable[[pl.DataFrame], pl.DataFrame]


@dataclass(frozen=True)
class Setting:
    """A number a reader may change on the view's page (outputs use the default), passed to the transform."""

    name: str  # the transform's keyword argument
    label: str
    default: float
    min: float
    max: float
    step: float
    help: str = ""


@dataclass(frozen=True)
class View:
    order: int  # its place in the navigation and in every output (lowest first)
    key: str
    title: str
    path: str  # URL path of its page
    question: str  # the question it answers, in one line (handout, slides, page intro)
    how_to_read: str  # what the page and the slide's speaker notes say about reading the chart
    # tables (and its settings' values, as keywords) -> the tidy frame it plots (= its receipt table)
    transform: Callable[..., pl.DataFrame]
    # frame (and the tables, for shared axes) -> figure; None when its rows hold nothing a chart can show (doses
    # not reported, say): the page and the handout then say `empty` in the chart's place above the table, and a
    # slide says it and where the table is (`nothing_to_draw`)
    figure: Callable[[pl.DataFrame, Tables], go.Figure | None]
    presentation: Mapping[str, str]  # compact table: frame column -> human label, in order
    csv_name: str
    one_by_one: bool = True  # draws trials one by one, so only a bounded selection
    sections: tuple[Section, ...] = ()
    context: Context | None = None
    page: str | None = None  # its own page file, when the generic view page is not enough
    host: str | None = None  # drawn on the page of the view with this key (below its chart), not a page of its own
    appraises: bool = False  # a page of the navigation's "Appraise them" section, not "Compare the trials"
    settings: tuple[Setting, ...] = ()  # numbers the reader may change (the transform takes them as keywords)
    empty: str = "The trials shown have nothing to draw here."  # said when the frame or its figure is empty
    on_screen: str = ""  # what only the app's page can offer (hover, a list to open): said there, never on paper
    restyle_for_slide: Callable[[go.Figure], go.Figure] = field(default=figures.slide_style)
    # frame, tables -> the chart a slide shows in place of `figure`, when the page's cannot be read at slide size
    smaller_figure: Callable[[pl.DataFrame, Tables], go.Figure | None] | None = None
    slide_how_to_read: str = ""  # how to read `smaller_figure` (the speaker notes say it in place of `how_to_read`)
    # frame -> at most three short lines for its slide (default: the question it answers)
    takeaway: Callable[[pl.DataFrame], list[str]] | None = None
    # columns of the frame that hold a row's receipts ('source · locator: "quote"', several joined by " | "):
    # the handout prints them as numbered endnotes
    receipts: tuple[str, ...] = ()
    # what each column the transform derives holds (the dataset's own columns are in the data dictionary)
    column_help: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.presentation) > MAX_PRESENTATION_COLUMNS:
            raise ValueError(f"view {self.key}: a presentation table has at most {MAX_PRESENTATION_COLUMNS} columns")

    def frame(self, tables: Tables, **values: float) -> pl.DataFrame:
        """The tidy frame for these trials, with the settings' defaults unless values are given."""
        return self.transform(tables, **{s.name: values.get(s.name, s.default) for s in self.settings})

    @property
    def image_style(self) -> Callable[[go.Figure], go.Figure]:
        """How images restyle the page's figure: `restyle_for_slide`, unless that is written for `smaller_figure`."""
        return figures.slide_style if self.smaller_figure else self.restyle_for_slide

    def context_lines(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The context's cited lines for these rows (none without a context or rows); "18 %" never splits."""
        if self.context is None or frame.is_empty():
            return pl.DataFrame(schema=["source", "said", "citation"])
        return self.context.lines(frame).with_columns(pl.col("said").str.replace_all(" %", "\u00a0%", literal=True))

    def takeaway_lines(self, frame: pl.DataFrame) -> list[str]:
        """What the slide says under its title: the declared takeaway, else the question (never over three lines)."""
        lines = self.takeaway(frame) if self.takeaway else [self.question]
        if len(lines) > MAX_TAKEAWAY_LINES:
            raise ValueError(f"view {self.key}: a takeaway has at most {MAX_TAKEAWAY_LINES} lines")
        return lines

    def compact(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The presentation table: the declared columns with human labels, in words (`columns.in_words`), one
        decimal, an unclear value marked, and a missing value as its state, never empty or "None"."""
        return frame.select(columns.in_words(frame, col, 1, mark_unclear=True).alias(name)
                            for col, name in self.presentation.items())


@dataclass(frozen=True)
class Rendered:
    """A view drawn for some trials: its frame (the receipt table), figure (None: nothing a chart can show) and
    compact table."""

    view: View
    frame: pl.DataFrame
    figure: go.Figure | None

    @property
    def compact(self) -> pl.DataFrame:
        return self.view.compact(self.frame)


def render(view: View, tables: Tables) -> Rendered | None:
    """The view for these trials, or None when they have nothing to draw in it."""
    frame = view.frame(tables)
    return None if frame.is_empty() else Rendered(view, frame, view.figure(frame, tables))
