"""What every journal-club output says, whatever draws it: what the output states about itself (`Meta`), the
sources of the trials shown, the summary grid and what its marks mean, the findings that most change how a trial
should be read, the receipts in a receipt column and the trial card. The handout and the slides take their
words from here, so they say the same, and the bundle's README states the same `Meta`."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import polars as pl

from trialdata import transforms as tf
from trialdata.freshness import record_freshness
from trialdata.provenance import plain
from trialdata.views.words import counted
from trialdata.vocab import FindingKind, label

Tables = Mapping[str, pl.DataFrame]


@dataclass(frozen=True)
class Meta:
    """What every output states about itself."""

    version: str
    as_of: str
    generated: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    link: str | None = None  # the app view it came from
    filters: str = "all trials"

    @property
    def made_on(self) -> dt.date:
        """The day the output is made (the day a record's age is counted to)."""
        return dt.date.fromisoformat(self.generated[:10])

    @property
    def stem(self) -> str:
        return f"msc-trials_{self.version}_{self.generated[:10]}"

    @property
    def permalink(self) -> str | None:
        """The app view it came from, pinned to this dataset version (`v=`), so a reader who opens it later
        is told when the data has changed since."""
        if not self.link:
            return None
        parts = urlsplit(self.link)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "v"]
        return urlunsplit(parts._replace(query=urlencode([*query, ("v", self.version)])))


def sources_note(tables: Tables) -> str:
    """Every source of the trials shown, trial by trial ("NCT00962923: veeva, title (address); ..."): a source's
    short id is unique only within its trial, so it is never read without the trial."""
    rows = tables["sources"].unique(["trial_id", "source_id"], maintain_order=True)
    return " ".join(
        f"{tid}: " + "; ".join(f"{sid}, {title}" + (f" ({url})" if url else "")
                               for sid, title, url in part.select("source_id", "title", "url").iter_rows()) + "."
        for (tid,), part in rows.group_by("trial_id", maintain_order=True))


# --- what the summary, the cards and the findings say ---------------------------------------------------

# the comparison fields a reader needs first, in the order they read them, with the words print and slides use
# (no masking row: the handout's design badges say whether a trial is blinded, and the design features page and
# slide say whom and to what; with the row, page 1 ran over)
SUMMARY_FIELDS = {"Conditions": "Condition", "Product": "Product", "Cell source": "Cell source", "Donor": "Donor",
                  "Routes": "Route", "Dose": "Dose", "Administrations": "Administrations",
                  "Target enrollment": "Target n", "Phase": "Phase", "End of follow-up": "End of follow-up"}


# what the marks in the summary's cells mean (transforms.sourced), said under the summary and in its slides' notes
SOURCE_MARKS = ("2°: given only by a secondary source (a mirror, WHO ICTRP or a publication), not the registry "
                "record. Values differ: the record or its sources give other values too (see the findings).")


def summary_grid(trials: pl.DataFrame) -> pl.DataFrame:
    """The compact side-by-side comparison: the summary fields as rows, one column per trial."""
    grid = tf.comparison_table(trials).filter(pl.col("field").is_in(list(SUMMARY_FIELDS)))
    order = {name: i for i, name in enumerate(SUMMARY_FIELDS)}
    return (grid.sort(pl.col("field").replace_strict(order, return_dtype=pl.Int64))
            .with_columns(pl.col("field").replace_strict(SUMMARY_FIELDS)).rename({"field": "Field"}))


# the kinds of finding in the order they change how a trial should be read; a rendering artefact (how a mirror
# displayed the record) says nothing of the trial, so it is never a key finding
FINDING_RANK = [FindingKind.INTERNAL_CONTRADICTION, FindingKind.SOURCE_CONFLICT, FindingKind.REGISTRY_CHANGED,
                FindingKind.OMISSION, FindingKind.AMBIGUITY, FindingKind.IMPLAUSIBLE_VALUE, FindingKind.TYPO]
# the parts of a record whose findings change how a trial's result or design is read, in that order; then the
# parts that change who was studied and when; the rest (sample size, titles, sponsors, ...) last
READING_FIELDS = ("interventions", "outcomes", "results", "design", "dose_finding", "follow_up")
CONTEXT_FIELDS = ("eligibility", "status", "dates", "phase")


def _field_rank(field: str) -> int:
    part = field.split(".")[0].split("[")[0]
    order = [*READING_FIELDS, *CONTEXT_FIELDS]
    return order.index(part) if part in order else len(order)


def key_findings(flags: pl.DataFrame, most: int = 5) -> pl.DataFrame:
    """The findings that most change how a trial should be read, best first (at most `most`).

    What a finding is about comes first: the intervention, outcomes, results, design and follow-up (they change
    how a result is read), then who was studied and when, then the rest. Within each, the kind decides: a record
    that contradicts itself, or two sources that disagree, leaves the reader not knowing which value is true;
    then a registry that changed after curation (the curated value may be out of date); then omissions (a value
    that cannot be used as given), ambiguities (a value that reads more than one way),
    implausible values (probably wrong, but the reader can see it) and typos (the reader corrects them).
    Rendering artefacts are left out. The trials take turns: every trial's most important finding comes before
    any trial's second, so one trial's many findings do not crowd out the others'.
    """
    rank = {kind.value: i for i, kind in enumerate(FINDING_RANK)}
    tier = len(READING_FIELDS)
    ranked = (flags.filter(pl.col("kind").is_in(list(rank)))
              .with_columns(pl.col("field").map_elements(_field_rank, return_dtype=pl.Int64).alias("_field"))
              .with_columns(pl.when(pl.col("_field") < tier).then(0)
                            .when(pl.col("_field") < tier + len(CONTEXT_FIELDS)).then(1).otherwise(2).alias("_tier"),
                            pl.col("kind").replace_strict(rank, return_dtype=pl.Int64).alias("_rank")))
    order = ["_tier", "_rank", "_field"]
    return (ranked.sort("trial_id", *order, maintain_order=True)
            .with_columns(pl.int_range(pl.len()).over("trial_id").alias("_turn"))
            .sort("_turn", *order, "trial_id", maintain_order=True).head(most)
            .drop(*order, "_turn"))


@dataclass(frozen=True)
class Receipt:
    source: str
    locator: str
    quote: str | None  # None: a secondary source cited by address and locator, without a quote

    def text(self) -> str:
        said = f': "{self.quote}"' if self.quote is not None else " (secondary source, no quote)"
        return f"{self.source} · {self.locator}{said}"


_RECEIPT = re.compile(r'(?P<source>.+?) · (?P<locator>.+?)(?:: "(?P<quote>.*)"| \(secondary source, no quote\))',
                      re.DOTALL)


def receipts_in(text: str | None) -> list[Receipt]:
    """The receipts in a receipt column's text ('source · locator: "quote"', several joined by " | ");
    "no source: not reported" is no receipt."""
    found = (_RECEIPT.fullmatch(part.strip()) for part in (text or "").split(" | "))
    return [Receipt(m["source"], m["locator"], m["quote"] and plain(m["quote"])) for m in found if m]


# key fields whose absence a reader must know about (the trial card's "leaves out")
KEY_FIELDS = {"phase": "phase", "target_enrollment": "target enrollment", "actual_enrollment": "actual enrollment",
              "cell_source": "cell source", "donor_type": "donor", "routes": "route", "dose_min": "dose",
              "n_administrations": "number of administrations", "follow_up_text": "end of follow-up",
              "allocation": "allocation", "masking": "masking", "control": "control",
              "min_age_years": "minimum age", "max_age_years": "maximum age", "completion_date": "completion date"}


def not_reported(trial: Mapping[str, object]) -> list[str]:
    return [name for col, name in KEY_FIELDS.items() if trial.get(f"{col}_state") == "not_reported"]


def _or_state(row: Mapping[str, object], col: str, state: str | None = None) -> str:
    """The value in words, "(unclear)" when the record only implies it; its state when it has none."""
    value, said = row.get(col), row.get(state or f"{col}_state")
    if value is None:
        return label(str(said or "not_reported"))
    text = f"{value:g}" if isinstance(value, float) else label(str(value))
    return f"{text} (unclear)" if said == "unclear" else text


def weeks(value: float) -> str:
    """A week for reading: one decimal at most ("13", "12.7")."""
    return f"{value:.1f}".removesuffix(".0")


def _administrations(row: dict) -> str:
    """How many administrations a trial or product has: "3 administrations", "administrations: by cohort: 1, 2
    or 3 (interval not stated)"."""
    text = row["administrations"]
    if text.isdigit():
        return counted(int(text), "administration")
    # "not reported" beside the schedule's first administration read as a contradiction: the number is unstated
    return "number of administrations not stated" if text == "not reported" else f"administrations: {text}"


def _measure(outcome: Mapping[str, object]) -> str:
    """An outcome's measure with its method, each said once: "SF-36 questionnaire", not "SF-36 (SF-36
    questionnaire)"; "HRQOL score (method not reported)"."""
    measure = str(outcome["measure"] or "measure not reported")
    if outcome["method"] is None:
        return f"{measure} (method not reported)"
    method = str(outcome["method"])
    if method.lower() in measure.lower() or measure.lower() in method.lower():
        return max(measure, method, key=len)
    return f"{measure} (by {method})"


def _said_once(said: list[tuple[int, str]]) -> str:
    """Administrations (number, words) in order, those said in the same words one after another said once:
    "#1 day 1, #2 and #3 not stated"."""
    return ", ".join(f"{_numbers([n for n, _ in run])} {text}"
                     for text, run in itertools.groupby(said, key=lambda pair: pair[1]))


def _numbers(numbers: list[int]) -> str:
    """'#2', '#2 and #3', '#2 to #5' (only when every number between is there), '#2, #4 and #5'."""
    marked = [f"#{n}" for n in numbers]
    if len(marked) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{marked[0]} to {marked[-1]}"
    return marked[0] if len(marked) == 1 else f"{', '.join(marked[:-1])} and {marked[-1]}"


def trial_card(tables: Tables, trial_id: str, meta: Meta) -> list[tuple[str, str]]:
    """One trial, as a reader asks about it: what was given, to whom, how much, when, measured how, for how
    long, what the record gets wrong or leaves out, and how fresh the registry record is on the day `meta` was
    made (full text; slides clip it to fit)."""
    trial = tables["trials"].filter(pl.col("trial_id") == trial_id).row(0, named=True)
    doses = tables["interventions"].filter(pl.col("trial_id") == trial_id)
    given = []
    for row in doses.iter_rows(named=True):
        name, kind = _or_state(row, "name"), _or_state(row, "product_type")
        said = [] if kind.rstrip("s").lower() in name.lower() else [kind]  # "Exosome", not "Exosome: exosomes"
        product = (f"{name} (" + ", ".join([*said, f"cell source {_or_state(row, 'cell_source')}",
                                            f"donor {_or_state(row, 'donor_type')}"]) + ")")
        given.append(product + (f"; alongside {row['co_therapy']}" if row.get("co_therapy") else ""))
    known_age = trial.get("min_age_years") is not None or trial.get("max_age_years") is not None
    age_states = {trial.get("min_age_years_state"), trial.get("max_age_years_state")}
    ages = (f"aged {_or_state(trial, 'min_age_years')} to {_or_state(trial, 'max_age_years')}" if known_age
            else "no age limit" if age_states == {"not_applicable"}  # a registry's "No age limit"
            else f"ages {label(age_states.pop() or 'not_reported')}" if len(age_states) == 1 else "ages not reported")
    target = (f"target {trial['target_enrollment']} participants" if trial.get("target_enrollment") is not None
              else f"target enrollment {_or_state(trial, 'target_enrollment')}")
    whom = f"{trial['conditions'] or 'condition not reported'}; {target}, {ages}, sex {_or_state(trial, 'sex')}"
    much = "; ".join(f"{_or_state(r, 'dose', 'dose_min_state')}, route {_or_state(r, 'routes')}"
                     for r in doses.iter_rows(named=True)) or "not reported"
    given_times = tables["administrations"].filter(pl.col("trial_id") == trial_id)
    # a trial of several products: each named by its number (two may share a name) with its own count
    several = given_times["intervention"].n_unique() > 1
    products = {r["intervention"]: f"intervention {r['intervention']} ({_or_state(r, 'name')}, {_administrations(r)})"
                for r in doses.iter_rows(named=True)}
    named = several or given_times["cohort"].n_unique() > 1
    cohorts = []
    for (product, cohort, size), rows in given_times.group_by("intervention", "cohort", "cohort_participants",
                                                                maintain_order=True):
        times = _said_once([(r["number"], (r["time_text"] or "time not reported").removesuffix(".")  # no ".;"
                             + (f" (week {weeks(r['week'])})" if r["week"] is not None else ""))
                            for r in rows.sort("number").iter_rows(named=True)])
        name = f"{products.get(product, f'intervention {product}')} · {cohort}" if several else cohort
        cohorts.append((name + (f" ({size})" if size is not None else "") + ": " if named else "") + times)
    when = "; ".join(cohorts)
    if not several:  # one product: the trial's count first
        when = f"{_administrations(trial)}; {when}" if when else _administrations(trial)
    outcomes = tables["outcomes"].filter(pl.col("trial_id") == trial_id)
    measured = ". ".join(f"{kind.capitalize()}: " + "; ".join(_measure(r) for r in rows.iter_rows(named=True))
                         for kind in ("primary", "secondary")
                         if not (rows := outcomes.filter(pl.col("kind") == kind)).is_empty())
    how_long = _or_state(trial, "follow_up_text")
    if trial.get("follow_up_weeks") is not None:
        first, top = trial["follow_up_weeks"], trial.get("follow_up_weeks_max")  # placed as the follow-up view does
        span = (f"at least week {weeks(first)}" if top is None else f"week {weeks(first)}"
                + (f" to {weeks(top)}" if top > first else ""))
        how_long += f" ({span} after the first administration, derived)"
    flags = tables["flags"].filter(pl.col("trial_id") == trial_id)
    kinds = flags.group_by("kind").len().sort("kind")
    wrong = (counted(flags.height, "finding") + ": " + ", ".join(f"{label(k)} {n}" for k, n in kinds.iter_rows())
             if flags.height else "no findings")
    missing = not_reported(trial)
    return [("Given", "; ".join(given) or "not reported"), ("To whom", whom), ("How much", much), ("When", when),
            ("Measured by", measured or "no outcomes registered"), ("How long", how_long),
            ("Gets wrong", wrong), ("Leaves out", "not reported: " + ", ".join(missing) if missing else "nothing key"),
            ("How fresh", record_freshness(trial, meta.as_of, meta.made_on))]
