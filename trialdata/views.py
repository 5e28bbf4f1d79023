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

from trialdata import columns, figures
from trialdata import transforms as tf
from trialdata.tables import REFERENCE_WEIGHT_KG, with_reference_weight
from trialdata.vocab import LABELS, code_labels, label

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
    key: str
    title: str
    path: str  # URL path of its page
    question: str  # the question it answers, in one line (handout, slides, page intro)
    how_to_read: str  # what the page and the slide's speaker notes say about reading the chart
    transform: Callable[[Tables], pl.DataFrame]  # tables -> the tidy frame it plots (= its receipt table)
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
        """The presentation table: the declared columns with human labels, codes as words, one decimal,
        and a missing value as its state ("not reported"), never empty or "None"."""
        return frame.select(_readable(frame, col).alias(name) for col, name in self.presentation.items())


# the columns a row's own `state` speaks of (a sample-size claim's number, a characterisation item's value): an
# unclear row is not an unclear trial id or source
ROW_VALUES = {"participants", "value"}


def _readable(frame: pl.DataFrame, col: str) -> pl.Expr:
    dtype = frame.schema[col]
    value = pl.col(col)
    if dtype.is_float():
        value = value.round(1)
    value = value.cast(pl.String)
    if dtype == pl.String:
        value = value.replace(code_labels())
    state = next((s for s in (f"{col}_state", "state" if col in ROW_VALUES else "") if s in frame.columns), None)
    if state is None:
        week = columns.missing_week(frame, col)
        return pl.coalesce(value, week if week is not None else pl.lit("not reported"))
    return (pl.when(value.is_null()).then(pl.col(state).replace(LABELS))
            .when(pl.col(state) == "unclear").then(pl.format("{} (unclear)", value))  # implied, not stated
            .otherwise(value))


def _n(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _names(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _leaders(frame: pl.DataFrame, key: str, count: str) -> tuple[str, int, int]:
    """Every `key` with the largest `count` (ties are all named, never one picked by spelling): their names, that
    count and how many share it."""
    top = frame[count].max()
    names = sorted(str(k) for k in frame.filter(pl.col(count) == top)[key])
    return _names(names), top, len(names)


def _answers(frame: pl.DataFrame, col: str = "answer") -> str:
    """'4 no, 1 not reported': each answer given, with its count, in the vocabulary's order."""
    counts = dict(frame[col].value_counts().iter_rows())
    order = ["yes", "no", "unclear", "not_reported", "not_applicable"]
    ranked = sorted(counts, key=lambda a: order.index(a) if a in order else len(order))
    return ", ".join(f"{counts[a]} {label(a)}" for a in ranked)


def _counts(column: pl.Series) -> str:
    """'cells 3, exosomes 2': each value with how often it occurs, most frequent first."""
    counts = column.value_counts(sort=True, name="n").sort(["n", column.name], descending=[True, False])
    return ", ".join(f"{value} {n}" for value, n in counts.iter_rows())


# --- takeaways: frame -> at most three short lines, said from the data (nothing typed in by hand) ----------

def _sample_size_takeaway(frame: pl.DataFrame) -> list[str]:
    targets = frame.filter((pl.col("measure") == "target") & (pl.col("claim") == "headline"))
    known = targets["participants"].drop_nulls()
    lines = [f"Planned sizes {known.min()}–{known.max()} participants" if known.len() else "No trial reports a target"]
    missing = targets.height - known.len()
    if known.len() and missing:  # with none known, the first line has said it
        lines.append(f"{missing} of {targets.height} trials {'reports' if missing == 1 else 'report'} no target")
    elif known.len():
        every = {1: "The trial reports", 2: "Both trials report"}.get(targets.height,
                                                                        f"All {targets.height} trials report")
        lines.append(f"{every} a target")
    disputed = (frame.filter(pl.col("participants").is_not_null()).group_by("trial_id", "measure")
                .agg(pl.col("participants").n_unique().alias("values")).filter(pl.col("values") > 1)
                ["trial_id"].n_unique())
    if disputed:
        lines.append(f"The record or its sources give different numbers for {_n(disputed, 'trial')}")
    return lines


def _products_takeaway(frame: pl.DataFrame) -> list[str]:
    unknown = frame.filter(pl.col("cell_source") == "not reported").height
    return [f"Products: {_counts(frame['product_type'])}",
            f"Cell source not reported for {_n(unknown, 'trial')}" if unknown else "Every trial names its cell source",
            f"Donor: {_counts(frame['donor_type'])}"]


def _dosing_takeaway(frame: pl.DataFrame) -> list[str]:
    """Counted per trial, never summed across trials; each dose by the kind of source it rests on (a secondary
    source's receipt holds no quote)."""
    per_lane = frame.group_by("lane").len()["len"]  # a cohort's participants get its administrations, not the trial's
    lanes = "trial or cohort" if frame["lane"].n_unique() > frame["trial_id"].n_unique() else "trial"
    span = f"{per_lane.min()}" if per_lane.min() == per_lane.max() else f"{per_lane.min()}–{per_lane.max()}"
    dosed = frame.group_by("trial_id").agg(
        pl.col("dose").is_not_null().any().alias("dosed"),
        (pl.col("dose").is_not_null() & ~pl.col("dose_receipt").str.contains("secondary source")).any().alias("record"))
    record, dosed_n = dosed["record"].sum(), dosed["dosed"].sum()
    trials = dosed.height
    lines = [f"{span} planned administration{'' if span == '1' else 's'} per participant, by {lanes}",
             f"Dose in a registry record: {record} of {_n(trials, 'trial')}; from a secondary source only: "
             f"{dosed_n - record}; not reported: {trials - dosed_n}"]
    unplaced = frame.filter(pl.col("week").is_null())["trial_id"].n_unique()
    if unplaced:
        lines.append(f"{_n(unplaced, 'trial')} with administrations that cannot be placed in time")
    return lines


def _outcomes_takeaway(frame: pl.DataFrame) -> list[str]:
    kinds = frame.group_by("kind").agg(pl.col("outcomes").sum()).sort("kind")
    domains = frame.group_by("domain_label").agg(pl.col("trial_id").n_unique().alias("trials"))
    names, top, tied = _leaders(domains, "domain_label", "trials")
    most = (f"Each domain is measured in {_n(top, 'trial')}" if tied == domains.height > 1
            else f"Most often measured: {names} ({_n(top, 'trial')}{' each' if tied > 1 else ''})")
    return [f"{_n(int(frame['outcomes'].sum()), 'outcome')} in {_n(frame['domain_label'].n_unique(), 'domain')}",
            ", ".join(f"{n} {kind}" for kind, n in kinds.iter_rows()), most]


def _follow_up_takeaway(frame: pl.DataFrame) -> list[str]:
    ends = frame.filter(pl.col("what") == "end of follow-up")
    known = ends.filter(pl.col("placement").is_in(["exact", "range"]))  # a lower bound is not a placed end
    weeks = pl.concat([known["weeks"], known["weeks_max"]]).drop_nulls()
    lo, hi = (f"{w:.0f}" for w in (weeks.min(), weeks.max())) if weeks.len() else ("", "")
    placed = "No end of follow-up can be placed in weeks" if not weeks.len() else \
        f"The ends placed in weeks lie at week {lo}" if lo == hi else \
        f"The ends placed in weeks lie between week {lo} and week {hi}"
    bounds = ends.filter(pl.col("placement") == "at least")["weeks"]
    # an end counted from a moment the record does not name is placed on an assumption, not exactly
    kind = (pl.when((pl.col("placement") == "exact") & (pl.col("anchor_stated") == False))  # noqa: E712
            .then(pl.lit("assumed")).otherwise(pl.col("placement")))
    kinds = dict(ends.select(kind.alias("k"))["k"].value_counts().iter_rows())
    words = {"exact": "exact", "assumed": "from an assumed anchor", "range": "a range",
             "at least": f"at least week {', '.join(f'{w:.0f}' for w in bounds.sort())}",
             "cannot be placed": "cannot be placed"}
    return [placed, "Ends: " + ", ".join(f"{kinds[k]} {w}" for k, w in words.items() if k in kinds)]


def _findings_takeaway(frame: pl.DataFrame) -> list[str]:
    kinds = frame.group_by(pl.col("kind").map_elements(label, return_dtype=pl.String)).agg(pl.col("findings").sum())
    trials = frame.group_by("trial_id").agg(pl.col("findings").sum())
    kind, kind_n, kinds_tied = _leaders(kinds, "kind", "findings")
    trial, trial_n, trials_tied = _leaders(trials, "trial_id", "findings")
    return [f"{_n(int(frame['findings'].sum()), 'finding')} in {_n(trials.height, 'trial')}",
            f"Most common: {kind} ({kind_n}{' each' if kinds_tied > 1 else ''})",
            f"Most findings: {trial} ({trial_n}{' each' if trials_tied > 1 else ''})"]


def _count(frame: pl.DataFrame, col: str, value: str) -> int:
    return frame.filter(pl.col(col) == value).height


def _characterisation_takeaway(frame: pl.DataFrame) -> list[str]:
    items = frame.height
    isct = frame.filter(pl.col("standard").str.contains("ISCT"))  # the criteria of cell products only
    lines = [f"{_count(frame, 'status', 'not_reported')} of {items} items not reported in the sources held "
             "(registry entries read against yardsticks from published papers)",
             f"{_count(frame, 'status', 'in_record')} in a registry record, "
             f"{_count(frame, 'status', 'secondary_only')} only in a secondary source"]
    if isct.height:
        stated = isct.filter(pl.col("status").is_in(["in_record", "secondary_only"]))  # not implied, not missing
        lines.append("No cell trial reports the ISCT criteria" if stated.is_empty() else
                     f"ISCT criteria reported: {stated.height} of {isct.height}")
    return lines


def _dose_takeaway(frame: pl.DataFrame) -> list[str]:
    banded = frame.filter(pl.col("band_applies") & pl.col("per_patient_million_min").is_not_null())
    arms = "1 IV cell arm or cohort" if banded.height == 1 else f"{banded.height} IV cell arms or cohorts"
    lines = [f"{arms} dosed per kg: {_span_text(banded)} million cells per patient per dose (derived at "
             f"{banded['reference_weight_kg'][0]:g} kg)" if banded.height
             else "No intravenous cell arm or cohort with a per-kg dose"]
    unreported = frame.filter(pl.col("dose_state") == "not_reported").height
    if unreported:
        lines.append(f"{_n(unreported, 'arm')} with no dose reported (not drawn)")
    if banded.height:  # the band speaks to intravenous cell doses only: beside none, it invites a false comparison
        lines.append("Kabat 2020: the smallest effective IV dose was 70-190 million in 14 of 16 positive trials")
    return lines


def _span_text(frame: pl.DataFrame) -> str:
    lo, hi = frame["per_patient_million_min"].min(), frame["per_patient_million_max"].max()
    return f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g}"


def _results_takeaway(frame: pl.DataFrame) -> list[str]:
    trials = frame["trial_id"].unique().sort().to_list()
    contexts = frame.select("trial_id", "design_context").unique().sort("trial_id")
    return [f"Published results held for {', '.join(trials)}",
            f"{frame.filter(pl.col('baseline').is_not_null()).height} as numbers, "
            f"{frame.filter(pl.col('baseline').is_null() & pl.col('statement').is_not_null()).height} in words only",
            f"{contexts['trial_id'][0]}: {figures.short_context(contexts['design_context'][0])}"
            if contexts.height == 1 else "Read each effect with its design (comparator, co-treatment): see the table"]


def _discrepancies_takeaway(frame: pl.DataFrame) -> list[str]:
    unchecked, missing = (_count(frame, "verdict", v) for v in ("registered_cannot_check", "registered_not_reported"))
    # each count only where it applies: "no result in the full text" says nothing when only summaries are held
    rest = [*([f"{missing} with no result in a full text held"] if missing else []),
            *([f"{unchecked} cannot be checked (only a summary of the publication is held)"] if unchecked else [])]
    return [f"{_count(frame, 'verdict', 'differs')} aspects differ between registry and publication",
            f"Registered outcomes: {_count(frame, 'verdict', 'registered_reported')} with a result, "
            f"{_count(frame, 'verdict', 'registered_partly')} in part",
            "; ".join(rest) or "Every registered outcome has a result in the sources held"]


def _status_takeaway(frame: pl.DataFrame) -> list[str]:
    passed = frame.filter(pl.col("completion_passed") == "yes")
    cannot = frame.filter(pl.col("answer").str.starts_with("Cannot tell"))
    # what is known without a completion date: a recruitment end that has passed (months derived in its row)
    ended = cannot["derivation"].str.extract(r"^derived: recruitment end .* = ([\d.]+) months$").cast(pl.Float64)
    ended, since = ended.drop_nulls(), ""
    if ended.len():
        span = f"{ended.min():g}" if ended.min() == ended.max() else f"{ended.min():g}-{ended.max():g}"
        since = f"; {ended.len()} of them past their recruitment end by {span} months (derived)"
    return [f"{_n(passed.height, 'trial')} past a stated completion date; "
            f"{passed.filter(pl.col('publication_linked').str.contains('names the registration')).height} with a "
            "linked publication",
            f"{cannot.height} cannot be told from a completion date{since}",
            "Only the sources held in this dataset were searched"]


def _design_takeaway(frame: pl.DataFrame) -> list[str]:
    registered = frame.filter(pl.col("feature").str.starts_with("Prospectively"))
    return [f"Randomised: {_answers(frame.filter(pl.col('feature') == 'Randomised'))}",
            f"Registered before enrolment: {_answers(registered)}",
            "Design features, not a risk-of-bias judgement"]


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
        csv_name="sample_size_claims", takeaway=_sample_size_takeaway, receipts=("receipt",),
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
        csv_name="products", takeaway=_products_takeaway,
        receipts=("product_receipt", "source_receipt", "donor_receipt"),
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
        csv_name="dosing_schedule", takeaway=_dosing_takeaway, receipts=("time_receipt", "dose_receipt"),
        sections=(Section("Doses", lambda t: tf.dose_comparability(t["interventions"]), "dose_comparability",
                          "Doses are never converted: cells/kg, total cells and particles cannot be compared "
                          "with each other."),),
    ),
    View(
        key="outcomes", title="Outcomes", path="outcomes",
        question="What each trial measures, by outcome domain, primary or secondary.",
        how_to_read="Filled squares are primary outcomes, open diamonds secondary; the number is how many "
                    "outcomes fall in that domain.",
        on_screen="Hover for measures, methods and time frames.",
        transform=lambda t: tf.outcome_cells(t["outcomes"]),
        figure=lambda frame, t: figures.outcomes_figure(frame),
        presentation={"trial_id": "Trial", "domain_label": "Domain", "kind": "Kind", "outcomes": "Outcomes",
                      "measures": "Measures"},
        csv_name="outcome_matrix", takeaway=_outcomes_takeaway, receipts=("receipts",),
        sections=(Section("Every outcome", lambda t: t["outcomes"], "outcomes"),),
        empty="The trials shown have no registered outcomes.",
    ),
    View(
        key="follow_up", title="Follow-up windows", path="follow-up",
        question="When each trial measures and how long it follows participants.",
        how_to_read="Weeks since the first administration (the same axis as “Dosing schedules”). The anchor the "
                    "record uses is stated; a range means the record allows several readings; ≥ means only a "
                    "lower bound can be placed.",
        transform=lambda t: tf.follow_up_points(t["assessments"], t["trials"]),
        figure=lambda frame, t: figures.follow_up_figure(frame, _week_axis(t)),
        presentation={"trial_id": "Trial", "what": "What", "text": "As stated", "weeks": "From week",
                      "weeks_max": "To week", "anchor": "Anchor"},
        csv_name="follow_up_windows", takeaway=_follow_up_takeaway, receipts=("receipt",),
        restyle_for_slide=figures.follow_up_for_slides,
    ),
    View(
        key="findings", title="Data quality", path="data-quality", appraises=True,
        question="Where the records contradict themselves or each other, are ambiguous, implausible or mistyped.",
        how_to_read="Findings per trial and kind.",
        on_screen="Every finding, with the quotes involved, is listed under the chart (open the list to filter it by "
                  "kind and trial).",
        transform=lambda t: tf.findings_by_trial(t["flags"]),
        figure=lambda frame, t: figures.findings_figure(frame),
        presentation={"trial_id": "Trial", "kind": "Kind of finding", "findings": "Findings"},
        csv_name="findings_per_trial", takeaway=_findings_takeaway,
        page="app_pages/data_quality.py",
        empty="No findings for the trials shown.",
    ),
    View(  # product characterisation, on its own page
        key="characterisation", title="Product characterisation", path="characterisation", appraises=True,
        question="Is the product characterised? Each trial read against the standard that fits its product.",
        how_to_read="One column per trial, one row per item: cell products against the ISCT 2006 criteria and the MSC "
                    "product items, EV / exosome products against MISEV2018 (the other kind's items do not apply and "
                    "are not drawn). ✓ blue square: in the registry record; 2° light-blue diamond: only a secondary "
                    "source gives it; ? orange ring: implied, not stated; ✗ vermillion cross: not reported; "
                    "– grey dash: not applicable. The published reporting rates written with the grid are the "
                    "yardstick, cited; they are not data about these trials.",
        on_screen="Hover for the words quoted.",
        transform=lambda t: tf.characterisation_grid(t["characterisation"]),
        figure=lambda frame, t: figures.characterisation_figure(frame),
        smaller_figure=lambda frame, t: figures.characterisation_summary_figure(frame),  # 26 rows do not fit a slide
        slide_how_to_read="One bar per trial, counting the items of the standard that fits its product by where "
                          "each is reported: ✓ in the registry record, 2° only in a secondary source, ? implied, "
                          "not stated, ✗ not reported. The grid of every item, with the words quoted and the "
                          "published reporting rates, is on the app's page and in the handout.",
        presentation={"trial_id": "Trial", "item_label": "Item", "symbol": "Mark", "status_label": "Where reported",
                      "value": "What the source says"},
        takeaway=_characterisation_takeaway, csv_name="characterisation_grid",
        context=Context("Yardstick: how often published studies report these items", tf.yardstick_for),
        sections=(Section("Published reporting rates (the yardstick)", lambda t: tf.published_rates(),
                          "characterisation_yardstick",
                          "As reference-standards §1-2 states them: how often published MSC studies report these "
                          "items. Context to read the trials against, not data about them."),),
        empty="The trials shown have no curated characterisation.",
    ),
]


def by_key(key: str, registry: Sequence[View] | None = None) -> View:
    return next(v for v in (registry or VIEWS) if v.key == key)


def page_title(view: View) -> str:
    """The title of the app page that shows the view (its host's, when it is drawn on another view's page)."""
    if not view.host:
        return view.title
    return "Overview" if view.host == "overview" else by_key(view.host).title


def nothing_to_draw(view: View) -> str:
    """What a slide says in its chart's place when the trials shown have nothing the chart can show."""
    return f"{view.empty} Its table is on the {page_title(view)} page of the app and in the handout."


def guests(key: str, registry: Sequence[View] | None = None) -> list[View]:
    """The views drawn on the page of the view with this key, below its own chart."""
    return [v for v in (registry or VIEWS) if v.host == key]


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


def render_all(tables: Tables, registry: Sequence[View] | None = None) -> list[Rendered]:
    """Every view these trials have something to draw in, in display order."""
    return [d for v in (registry or VIEWS) if (d := render(v, tables)) is not None]


# --- appraisal: dose in context (on Dosing schedules), results against the registration, whether a
# result is overdue (on Results), design features (on the Overview) ----------------------------------------

VIEWS += [
    View(
        key="dose_context", title="Dose in context", path="dose-context", host="dosing",
        question="Is a dose a lot or a little? Each intravenous cell dose per patient, against a published range.",
        how_to_read="A per-kg dose is multiplied by a reference weight (70 kg unless the page sets another): that "
                    "per-patient number is derived (the records never state it) and says so, with its arithmetic, on "
                    "the chart, in the table and in the CSV (the dataset's own table uses 70 kg). The shaded band "
                    "is the range of Kabat et al. 2020 for intravenous cell doses only; other routes get no band, "
                    "EV doses are never put on a cell axis, and a dose that is not reported is not drawn.",
        transform=lambda t, weight_kg: with_reference_weight(t["dose_context"], weight_kg),
        figure=lambda frame, t: figures.dose_context_figure(frame),
        presentation={"trial_id": "Trial", "cohort": "Cohort", "dose": "Dose as reported",
                      "per_patient": "Per patient", "total": "Total over the schedule",
                      "versus_band": "Against Kabat 2020"},
        takeaway=_dose_takeaway, csv_name="dose_context", restyle_for_slide=figures.dose_context_for_slides,
        settings=(Setting("weight_kg", "Reference body weight (kg)", REFERENCE_WEIGHT_KG, 1.0, 250.0, 1.0,
                          help="The per-patient dose is worked out as cells/kg × this weight; the downloads of the "
                               "dataset use 70 kg."),),
        empty="The trials shown have no dose that can be drawn as cells per patient: only doses stated in cells or "
              "cells/kg are drawn.",
    ),
    View(
        key="results", title="Results vs registration", path="results", appraises=True,
        question="What did the published results find, and does the publication match what the trial registered?",
        how_to_read="Each published result as reported, with its +/- figure and P value (a result given only in "
                    "words is written, not drawn).",
        on_screen="Below: the registry against the publication, and whether a result is overdue for every trial.",
        transform=lambda t: tf.result_lines(t["results"]),
        figure=lambda frame, t: figures.results_figure(frame),
        presentation={"trial_id": "Trial", "outcome": "Outcome", "time_point": "Time point",
                      "n_analysed": "n analysed", "summary": "Result as reported", "design_context": "Read with"},
        takeaway=_results_takeaway, csv_name="results",
        empty="No published results were found for the trials shown, in the sources held in this dataset.",
    ),
    View(
        key="discrepancies", title="Registry against publication", path="registry-vs-publication", host="results",
        question="Does the publication match what the trial registered, field by field?",
        how_to_read="For each trial with published results: planned against analysed participants and each "
                    "registered outcome against the results (derived from the tables), and what only a curator can "
                    "compare (the intervention, follow-up), worded no stronger than the sources.",
        on_screen="Hover a mark for both sides' words and sources.",
        transform=lambda t: tf.discrepancy_rows(t["discrepancies"]),
        figure=lambda frame, t: figures.discrepancies_figure(frame),
        presentation={"trial_id": "Trial", "aspect": "Aspect", "registry": "Registry", "publication": "Publication",
                      "verdict_label": "Verdict", "origin": "How compared"},
        takeaway=_discrepancies_takeaway, csv_name="discrepancies",
        empty="No published results were found for the trials shown, so there is nothing to compare.",
    ),
    View(
        key="results_status", title="Is a result overdue?", path="results-status", host="results",
        question="Has each trial's stated completion date passed, and were results posted or published?",
        how_to_read="Months since completion are derived (from the last day the stated date can mean to the "
                    "dataset's data-as-of date). Only the sources held in this dataset were searched: a result posted "
                    "or published elsewhere would not be seen here.",
        transform=lambda t: tf.results_status_view(t["results_status"]),
        figure=lambda frame, t: figures.results_status_figure(frame),
        presentation={"trial_id": "Trial", "completion_date": "Completion", "completion_type": "Actual or anticipated",
                      "results_posted": "Results on the registry", "publication_linked": "Publication",
                      "answer": "Is a result overdue?"},
        takeaway=_status_takeaway, csv_name="results_status", restyle_for_slide=figures.results_status_for_slides,
    ),
    View(
        key="design", title="Design features", path="design", host="overview",
        question="What does each record say about the design: randomised, controlled, single arm, blinded (whom, "
                 "to what), registered before enrolment, a target size, who funds it, a timed primary outcome, and "
                 "the dose-finding items?",
        how_to_read="A description of the design, not a risk-of-bias judgement. Prospective registration rests on "
                    "a registry's own statement where one exists; the WHO ICTRP rule (registered on or before the "
                    "first enrolment) is a check beside it, and an anticipated start never decides it.",
        on_screen="Hover a cell for what the answer rests on.",
        transform=lambda t: tf.design_grid(t["design_features"]),
        figure=lambda frame, t: figures.design_figure(frame),
        presentation={"trial_id": "Trial", "feature": "Feature", "answer_label": "Answer", "detail": "Detail"},
        takeaway=_design_takeaway, csv_name="design_features",
    ),
]
