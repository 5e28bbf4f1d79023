"""One declaration per comparison view; every output draws from it.

A view says which question it answers, how the tables become the tidy frame it plots (that frame is
also its receipt table: what the table under the chart and the CSV hold), how the frame becomes a
figure, and which few columns make its compact presentation table. The app's navigation and pages,
presentation mode, the handout, the deck, figure images, the benchmark, the load test and the tests
all iterate `VIEWS`, so a new view is one declaration here (and a page file only when the generic
page is not enough).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import plotly.graph_objects as go
import polars as pl

from trialdata import figures
from trialdata import transforms as tf
from trialdata.schema import LABELS
from trialdata.tables import REFERENCE_WEIGHT_KG, with_reference_weight

Tables = Mapping[str, pl.DataFrame]
MAX_PRESENTATION_COLUMNS = 6


@dataclass(frozen=True)
class Section:
    """A further table a view's page shows under its chart (totals, counts, every row)."""

    title: str
    table: Callable[[Tables], pl.DataFrame]
    csv_name: str
    caption: str = ""


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
    key: str
    title: str
    path: str  # URL path of its page
    question: str  # the question it answers, in one line (handout, slides, page intro)
    how_to_read: str  # what the page says about reading the chart
    transform: Callable[[Tables], pl.DataFrame]  # tables -> the tidy frame it plots (= its receipt table)
    figure: Callable[[pl.DataFrame, Tables], go.Figure]  # frame (and the tables, for shared axes) -> figure
    presentation: Mapping[str, str]  # compact table: frame column -> human label, in order
    csv_name: str
    one_by_one: bool = True  # draws trials one by one, so only a bounded selection
    sections: tuple[Section, ...] = ()
    page: str | None = None  # its own page file, when the generic view page is not enough
    host: str | None = None  # drawn on the page of the view with this key (below its chart), not a page of its own
    settings: tuple[Setting, ...] = ()  # numbers the reader may change (the transform takes them as keywords)
    empty: str = "The trials shown have nothing to draw here."
    slide_figure: Callable[[go.Figure], go.Figure] = field(default=figures.for_slides)

    def __post_init__(self) -> None:
        if len(self.presentation) > MAX_PRESENTATION_COLUMNS:
            raise ValueError(f"view {self.key}: a presentation table has at most {MAX_PRESENTATION_COLUMNS} columns")

    def frame(self, tables: Tables, **values: float) -> pl.DataFrame:
        """The tidy frame for these trials, with the settings' defaults unless values are given."""
        return self.transform(tables, **{s.name: values.get(s.name, s.default) for s in self.settings})

    def compact(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The presentation table: the declared columns with human labels, codes as words, one decimal,
        and a missing value as its state ("not reported"), never empty or "None"."""
        return frame.select(_readable(frame, col).alias(name) for col, name in self.presentation.items())


def _readable(frame: pl.DataFrame, col: str) -> pl.Expr:
    dtype = frame.schema[col]
    value = pl.col(col)
    if dtype.is_float():
        value = value.round(1)
    value = value.cast(pl.String)
    if dtype == pl.String:
        value = value.replace(LABELS)
    state = next((s for s in (f"{col}_state", "state") if s in frame.columns), None)
    missing = pl.col(state).replace(LABELS) if state else pl.lit("not reported")
    return pl.coalesce(value, missing)


def _week_axis(tables: Tables) -> tuple[float, float]:
    """One x range for the dosing and follow-up views, so their weeks line up."""
    return tf.week_axis_range(tables["administrations"], tf.follow_up_points(tables["assessments"], tables["trials"]))


VIEWS: list[View] = [
    View(
        key="sample_sizes", title="Sample sizes", path="sample-sizes",
        question="How many participants each trial planned and enrolled, by every source's claim.",
        how_to_read="Planned (target) and actual enrollment. A trial whose target is not reported has no bar; "
                    "where sources disagree, each claim is shown with its source.",
        transform=lambda t: tf.sample_size_points(t["provenance"]),
        figure=lambda frame, t: figures.sample_size_figure(frame),
        presentation={"trial_id": "Trial", "measure": "Measure", "claim": "Claim", "participants": "Participants",
                      "source": "Source", "source_role": "Source role"},
        csv_name="sample_size_claims",
        sections=(
            Section("Totals by condition", lambda t: tf.enrollment_totals(tf.by_condition(t["trials"]), "condition"),
                    "enrollment_by_condition",
                    "Known targets are summed; trials that do not report one are counted apart, not added as 0. "
                    "A trial with two conditions counts under both."),
            Section("Totals by product", lambda t: tf.enrollment_totals(t["trials"], "product_type"),
                    "enrollment_by_product"),
        ),
    ),
    View(
        key="products", title="Cell sources & products", path="products",
        question="Which trials give cells and which give exosomes, from which tissue and which donor.",
        how_to_read="Unknown tissue or donor is its own category.",
        transform=lambda t: tf.product_points(t["trials"], t["provenance"]),
        figure=lambda frame, t: figures.products_figure(frame),
        presentation={"trial_id": "Trial", "product_type": "Product", "cell_source": "Cell source",
                      "donor_type": "Donor"},
        csv_name="products",
        sections=(Section("Counts", lambda t: tf.product_counts(t["trials"]), "product_counts"),),
    ),
    View(
        key="dosing", title="Dosing schedules", path="dosing",
        question="When each trial gives its product, how much and by which route.",
        how_to_read="Week 0 is the first administration; administrations whose time is not reported are counted "
                    "beside the lane, not drawn at a guess.",
        transform=lambda t: tf.dosing_lanes(t["administrations"]),
        figure=lambda frame, t: figures.dosing_figure(frame, _week_axis(t)),
        presentation={"lane": "Trial (cohort)", "number": "#", "time_text": "When (as stated)", "week": "Week",
                      "dose": "Dose", "route_label": "Route"},
        csv_name="dosing_schedule",
        sections=(Section("Doses", lambda t: tf.dose_comparability(t["interventions"]), "dose_comparability",
                          "Doses are never converted: cells/kg, total cells and particles cannot be compared "
                          "with each other."),),
    ),
    View(
        key="outcomes", title="Outcomes", path="outcomes",
        question="What each trial measures, by outcome domain, primary or secondary.",
        how_to_read="Filled squares are primary outcomes, open diamonds secondary; the number is how many "
                    "outcomes fall in that domain. Hover for measures, methods and time frames.",
        transform=lambda t: tf.outcome_cells(t["outcomes"]),
        figure=lambda frame, t: figures.outcomes_figure(frame),
        presentation={"trial_id": "Trial", "domain_label": "Domain", "kind": "Kind", "outcomes": "Outcomes",
                      "measures": "Measures"},
        csv_name="outcome_matrix",
        sections=(Section("Every outcome", lambda t: t["outcomes"], "outcomes"),),
        empty="The trials shown have no registered outcomes.",
    ),
    View(
        key="follow_up", title="Follow-up windows", path="follow-up",
        question="When each trial measures and how long it follows participants.",
        how_to_read="Weeks since the first administration (the same axis as *Dosing schedules*). The anchor the "
                    "record uses is stated; a range means the record allows several readings; ≥ means only a "
                    "lower bound can be placed.",
        transform=lambda t: tf.follow_up_points(t["assessments"], t["trials"]),
        figure=lambda frame, t: figures.follow_up_figure(frame, _week_axis(t)),
        presentation={"trial_id": "Trial", "what": "What", "text": "As stated", "weeks": "From week",
                      "weeks_max": "To week", "anchor": "Anchor"},
        csv_name="follow_up_windows",
    ),
    View(
        key="findings", title="Data quality", path="data-quality",
        question="Where the records contradict themselves or each other, are ambiguous, implausible or mistyped.",
        how_to_read="Findings per trial and kind; the full list, with the quotes involved, is below.",
        transform=lambda t: tf.findings_by_trial(t["flags"]),
        figure=lambda frame, t: figures.findings_figure(frame),
        presentation={"trial_id": "Trial", "kind": "Kind of finding", "findings": "Findings"},
        csv_name="findings_per_trial",
        page="app_pages/data_quality.py",
        empty="No findings for the trials shown.",
    ),
]


def by_key(key: str, registry: Sequence[View] | None = None) -> View:
    return next(v for v in (registry or VIEWS) if v.key == key)


def guests(key: str, registry: Sequence[View] | None = None) -> list[View]:
    """The views drawn on the page of the view with this key, below its own chart."""
    return [v for v in (registry or VIEWS) if v.host == key]


@dataclass(frozen=True)
class Drawn:
    """A view drawn for some trials: its frame (the receipt table), figure and compact table."""

    view: View
    frame: pl.DataFrame
    figure: go.Figure

    @property
    def compact(self) -> pl.DataFrame:
        return self.view.compact(self.frame)

    @property
    def slide_figure(self) -> go.Figure:
        return self.view.slide_figure(self.figure)


def draw(view: View, tables: Tables) -> Drawn | None:
    """The view for these trials, or None when they have nothing to draw in it."""
    frame = view.frame(tables)
    return None if frame.is_empty() else Drawn(view, frame, view.figure(frame, tables))


def drawn(tables: Tables, registry: Sequence[View] | None = None) -> list[Drawn]:
    """Every view these trials have something to draw in, in display order."""
    return [d for v in (registry or VIEWS) if (d := draw(v, tables)) is not None]


# --- appraisal (issue 14): dose in context (on Dosing schedules), results against the registration, whether a
# result is overdue (on Results), design features (on the Overview) ----------------------------------------

VIEWS += [
    View(
        key="dose_context", title="Dose in context", path="dose-context", host="dosing",
        question="Is a dose a lot or a little? Each intravenous cell dose per patient, against a published range.",
        how_to_read="A per-kg dose is multiplied by the reference weight below: that per-patient number is derived "
                    "(the records never state it) and says so, with its arithmetic, on the chart, in the table and "
                    "in the CSV (which, like the dataset's table, uses 70 kg). The shaded band is the range of "
                    "Kabat et al. 2020 for intravenous cell doses only; other routes get no band, EV doses are "
                    "never put on a cell axis, and a dose that is not reported is not drawn.",
        transform=lambda t, weight_kg: with_reference_weight(t["dose_context"], weight_kg),
        figure=lambda frame, t: figures.dose_context_figure(frame),
        presentation={"trial_id": "Trial", "cohort": "Cohort", "dose": "Dose as reported",
                      "per_patient": "Per patient", "total": "Total over the schedule",
                      "versus_band": "Against Kabat 2020"},
        csv_name="dose_context",
        settings=(Setting("weight_kg", "Reference body weight (kg)", REFERENCE_WEIGHT_KG, 1.0, 250.0, 1.0,
                          help="The per-patient dose is worked out as cells/kg × this weight; the downloads of the "
                               "dataset use 70 kg."),),
        empty="The trials shown have no cell doses to put in context.",
    ),
    View(
        key="results", title="Results vs registration", path="results",
        question="What did the published results find, and does the publication match what the trial registered?",
        how_to_read="Each published result as reported, with its +/- figure and P value (a result given only in "
                    "words is written, not drawn). Below: the registry against the publication, and whether a "
                    "result is overdue for every trial.",
        transform=lambda t: tf.result_lines(t["results"]),
        figure=lambda frame, t: figures.results_figure(frame),
        presentation={"trial_id": "Trial", "outcome": "Outcome", "group": "Group", "time_point": "Time point",
                      "n_analysed": "n analysed", "summary": "Result as reported"},
        csv_name="results",
        empty="No published results were found for the trials shown, in the sources held (data/sources/).",
    ),
    View(
        key="discrepancies", title="Registry against publication", path="registry-vs-publication", host="results",
        question="Does the publication match what the trial registered, field by field?",
        how_to_read="For each trial with published results: planned against analysed participants and each "
                    "registered outcome against the results (derived from the tables), and what only a curator can "
                    "compare (the intervention, follow-up), worded no stronger than the sources. Hover a mark for "
                    "both sides' words and sources.",
        transform=lambda t: tf.discrepancy_rows(t["discrepancies"]),
        figure=lambda frame, t: figures.discrepancies_figure(frame),
        presentation={"trial_id": "Trial", "aspect": "Aspect", "registry": "Registry", "publication": "Publication",
                      "verdict_label": "Verdict", "origin": "How compared"},
        csv_name="discrepancies",
        empty="No published results were found for the trials shown, so there is nothing to compare.",
    ),
    View(
        key="results_status", title="Is a result overdue?", path="results-status", host="results",
        question="Has each trial's stated completion date passed, and were results posted or published?",
        how_to_read="Months since completion are derived (from the last day the stated date can mean to the "
                    "dataset's data-as-of date). Only the sources in data/sources/ were searched: a result posted "
                    "or published elsewhere would not be seen here.",
        transform=lambda t: tf.results_status_view(t["results_status"]),
        figure=lambda frame, t: figures.results_status_figure(frame),
        presentation={"trial_id": "Trial", "completion_date": "Completion", "completion_type": "Actual or anticipated",
                      "results_posted": "Results on the registry", "publication_linked": "Publication",
                      "answer": "Is a result overdue?"},
        csv_name="results_status",
    ),
    View(
        key="design", title="Design features", path="design", host="overview",
        question="What does each record say about the design: randomised, controlled, blinded, registered before "
                 "enrolment, a target size, a timed primary outcome, and the dose-finding items?",
        how_to_read="A description of the design, not a risk-of-bias judgement. Prospective registration follows "
                    "the WHO ICTRP rule (registered on or before the first enrolment), unclear when a date is "
                    "missing or its precision cannot decide it. Hover a cell for what the answer rests on.",
        transform=lambda t: tf.design_grid(t["design_features"]),
        figure=lambda frame, t: figures.design_figure(frame),
        presentation={"trial_id": "Trial", "feature": "Feature", "answer_label": "Answer", "detail": "Detail"},
        csv_name="design_features",
    ),
]
