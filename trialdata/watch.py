"""What the registry says now against what was curated: `python -m trialdata watch`.

Each curated ClinicalTrials.gov trial's current record is turned into a draft by the importer (`ctgov.drafts`),
and the draft is compared with the curated record question by question: one pure function per question, over two
`Trial` records, so each is tested without a network. A question's answer is `unchanged`, `changed` (the curated
value with its receipt, the registry's value with its JSON path) or `new` (the curated record has no value, the
registry now gives one). Every change is drafted as a finding of kind `registry_changed` for a curator to review;
nothing here writes to the curated records.

What is compared is what the importer reads from a structured field. The curated value may come from another
source (a mirror, a secondary page): a difference then says the registry gives something other than what was
curated, for the curator to weigh, and the curated receipt says where the curated value came from.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

import polars as pl
import yaml

from trialdata.ctgov import drafts
from trialdata.export import csv_bytes, write_atomic
from trialdata.registry_client import Fetched, FetchFailed
from trialdata.schema import Claim, Finding, Source, State, Trial, TrialDate, display
from trialdata.vocab import DateType, FindingKind, OutcomeKind, Registry, label

log = logging.getLogger("trialdata")

UNCHANGED, CHANGED, NEW = "unchanged", "changed", "new"
NOT_REPORTED = "not reported"  # a side that gives no value, in words (never an empty cell)
WATCHED, NOT_WATCHED, FAILED = "watched", "not watched", "failed"
API_SOURCE = "ctgov-api"  # the id a drafted finding gives the registry's current record
NO_API = {Registry.IRCT: "IRCT offers no public API for its records: compare the record page by hand"}
STATUS = "protocolSection.statusModule"
DESIGN = "protocolSection.designModule"
ELIGIBILITY = "protocolSection.eligibilityModule"


# --- one side of a comparison ------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """What one side says: the value in words (None when it gives none), its state and its receipt."""

    value: str | None
    state: str
    source: str | None = None
    locator: str | None = None  # on the registry's side, the JSON path
    quote: str | None = None
    key: Any = None  # what is compared: None when the side gives no value
    other_keys: tuple = ()  # the keys of the curated record's other claims (`also`)


@dataclass(frozen=True)
class Compared:
    field: str  # the field of the curated record (dotted path)
    question: str  # the question in words
    verdict: str
    curated: Side
    registry: Side
    note: str | None = None


class DateKey(NamedTuple):
    date: str
    type: str | None  # None when the source does not say actual or expected


def _norm(value: Any) -> Any:
    """A value as compared: text with its white space collapsed and its case folded; codes as their code."""
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    if isinstance(value, list):
        return tuple(_norm(v) for v in value)
    if isinstance(value, TrialDate):
        return DateKey(value.date, None if value.type is DateType.UNLABELLED else value.type.value)
    return value


def _words(value: Any) -> str | None:
    """A claim's value as a reader reads it: a code in words ("active not recruiting"), else as the data writes it."""
    if isinstance(value, StrEnum):
        return label(value.value)
    if isinstance(value, list) and value and all(isinstance(v, StrEnum) for v in value):
        return "; ".join(label(v.value) for v in value)
    return display(value)


def side(claim: Claim | None, locator: str | None = None) -> Side:
    """A claim as one side: its value in words and the key that is compared. An unclear value counts as a value
    (the note says so); not applicable is a value of its own; not reported is no value."""
    if claim is None:
        return Side(None, State.NOT_REPORTED.value, locator=locator)
    others = tuple(_norm(c.value) for c in getattr(claim, "also", []) if c.value is not None)
    value, key = _words(claim.value), _norm(claim.value)
    if claim.value is None and claim.state is State.NOT_APPLICABLE:
        value = key = "not applicable"
    return Side(value, claim.state.value, claim.source, claim.locator or locator, claim.quote, key, others)


def _same(a: Any, b: Any) -> bool:
    """Equal keys; two dates are the same when their dates are, and their types too when both sources give one."""
    if isinstance(a, DateKey) and isinstance(b, DateKey) and (a.type is None or b.type is None):
        return a.date == b.date
    return a == b


def verdict(curated: Side, registry: Side) -> str:
    if curated.key is None:
        return UNCHANGED if registry.key is None else NEW
    return UNCHANGED if registry.key is not None and _same(curated.key, registry.key) else CHANGED


def compared(field_: str, question: str, curated: Side, registry: Side) -> Compared:
    notes = []
    if curated.state == State.UNCLEAR.value and curated.key is not None:
        notes.append("the curated value is unclear (implied, not stated)")
    changed = verdict(curated, registry)
    if changed != UNCHANGED and registry.key is not None \
            and any(_same(k, registry.key) for k in curated.other_keys):
        notes.append("the curated record already holds the registry's value as another claim")
    if changed == UNCHANGED and isinstance(curated.key, DateKey) and isinstance(registry.key, DateKey) \
            and curated.key.type != registry.key.type:
        notes.append(f"the same date; the registry labels it {registry.key.type or 'with no type'}")
    return Compared(field_, question, changed, curated, registry, "; ".join(notes) or None)


def _claim_question(field_: str, question: str, pick: Callable[[Trial], Claim | None], path: str):
    def ask(curated: Trial, registry: Trial) -> Compared:
        return compared(field_, question, side(pick(curated)), side(pick(registry), path))
    return ask


# --- the questions: one function each ------------------------------------------------------------------


def overall_status(curated: Trial, registry: Trial) -> Compared:
    return _claim_question("status", "overall status", lambda t: t.status, f"{STATUS}.overallStatus")(
        curated, registry)


def _enrolment_side(trial: Trial) -> Side:
    """The enrolment with its type: the actual count when one is reported, else the target (anticipated)."""
    e = trial.enrollment
    candidates = [(e.actual, "actual"), (e.target, "anticipated")]
    claim, kind = next(((c, k) for c, k in candidates if c.state is State.REPORTED),
                       next(((c, k) for c, k in candidates if c.value is not None), (e.target, "anticipated")))
    s = side(claim, f"{DESIGN}.enrollmentInfo.count")
    if s.key is None:
        return s
    # the other claims: this count's `also`, and the other count (an actual count beside a target)
    others = tuple((k, kind) for k in s.other_keys) + tuple(
        (_norm(c.value), k) for c, k in candidates if c is not claim and c.value is not None)
    return Side(f"{s.value} ({kind})", s.state, s.source, s.locator, s.quote, (s.key, kind), others)


def enrolment(curated: Trial, registry: Trial) -> Compared:
    return compared("enrollment", "enrolment and its type", _enrolment_side(curated), _enrolment_side(registry))


def _date_question(name: str, question: str, path: str):
    def ask(curated: Trial, registry: Trial) -> Compared:
        # getattr: a date the schema does not hold yet counts as not reported
        return compared(f"dates.{name}", question, side(getattr(curated.dates, name, None)),
                        side(getattr(registry.dates, name, None), f"{STATUS}.{path}.date"))
    return ask


def start_date(curated: Trial, registry: Trial) -> Compared:
    return _date_question("start", "start date", "startDateStruct")(curated, registry)


def primary_completion_date(curated: Trial, registry: Trial) -> Compared:
    return _date_question("primary_completion", "primary completion date", "primaryCompletionDateStruct")(
        curated, registry)


def completion_date(curated: Trial, registry: Trial) -> Compared:
    return _date_question("completion", "completion date", "completionDateStruct")(curated, registry)


def last_update_posted(curated: Trial, registry: Trial) -> Compared:
    return _date_question("last_update", "last update posted", "lastUpdatePostDateStruct")(curated, registry)


def arms(curated: Trial, registry: Trial) -> Compared:
    return _claim_question("design.n_arms", "number of arms", lambda t: t.design.n_arms,
                           "protocolSection.armsInterventionsModule.armGroups")(curated, registry)


def _list_side(claims: Sequence[tuple[str, Claim]], path: str) -> Side:
    """Several claims as one side: the values in words, sorted, and their receipts joined."""
    given = sorted(((label, c) for label, c in claims if c.value is not None), key=lambda lc: _norm(lc[0]))
    if not given:
        return Side(None, State.NOT_REPORTED.value, locator=path)
    first = given[0][1]
    quotes = [c.quote for _, c in given if c.quote]
    sources = sorted({c.source for _, c in given if c.source})
    return Side("; ".join(label for label, _ in given), first.state.value, "; ".join(sources) or None,
                first.locator if len(given) == 1 else path, "; ".join(quotes) or None,
                tuple(_norm(label) for label, _ in given))


def interventions(curated: Trial, registry: Trial) -> Compared:
    path = "protocolSection.armsInterventionsModule.interventions[].name"

    def names(t: Trial) -> Side:
        return _list_side([(str(iv.name.value), iv.name) for iv in t.interventions if iv.name.value], path)

    return compared("interventions", "intervention names", names(curated), names(registry))


def _outcomes(kind: OutcomeKind):
    path = f"protocolSection.outcomesModule.{kind.value}Outcomes[].measure"

    def listed(t: Trial) -> Side:
        return _list_side([(f"{o.measure.value} ({o.time_frame.value or 'time frame not reported'})", o.measure)
                           for o in t.outcomes if o.kind is kind and o.measure.value], path)

    def ask(curated: Trial, registry: Trial) -> Compared:
        return compared("outcomes", f"{kind.value} outcomes, measure and time frame", listed(curated),
                        listed(registry))
    return ask


def primary_outcomes(curated: Trial, registry: Trial) -> Compared:
    return _outcomes(OutcomeKind.PRIMARY)(curated, registry)


def secondary_outcomes(curated: Trial, registry: Trial) -> Compared:
    return _outcomes(OutcomeKind.SECONDARY)(curated, registry)


def minimum_age(curated: Trial, registry: Trial) -> Compared:
    return _claim_question("eligibility.min_age_years", "minimum age in years", lambda t: t.eligibility.min_age_years,
                           f"{ELIGIBILITY}.minimumAge")(curated, registry)


def maximum_age(curated: Trial, registry: Trial) -> Compared:
    return _claim_question("eligibility.max_age_years", "maximum age in years", lambda t: t.eligibility.max_age_years,
                           f"{ELIGIBILITY}.maximumAge")(curated, registry)


def sexes(curated: Trial, registry: Trial) -> Compared:
    return _claim_question("eligibility.sex", "sexes eligible", lambda t: t.eligibility.sex,
                           f"{ELIGIBILITY}.sex")(curated, registry)


def healthy_volunteers(curated: Trial, registry: Trial) -> Compared:
    return _claim_question("eligibility.healthy_volunteers", "healthy volunteers accepted",
                           lambda t: t.eligibility.healthy_volunteers, f"{ELIGIBILITY}.healthyVolunteers")(
        curated, registry)


def results_posted(curated: Trial, registry: Trial) -> Compared:
    return _claim_question("reporting.summary_results", "results posted on the registry",
                           lambda t: t.reporting.summary_results, "hasResults")(curated, registry)


QUESTIONS: tuple[Callable[[Trial, Trial], Compared], ...] = (
    overall_status, enrolment, start_date, primary_completion_date, completion_date, arms, interventions,
    primary_outcomes, secondary_outcomes, minimum_age, maximum_age, sexes, healthy_volunteers, results_posted,
    last_update_posted,
)


def compare(curated: Trial, registry: Trial) -> list[Compared]:
    """Every question asked of the curated record and the registry's draft of the same trial."""
    return [ask(curated, registry) for ask in QUESTIONS]


# --- the drafted finding ------------------------------------------------------------------------------


def api_source(trial_id: str, fetched_on: str) -> dict:
    """The source a drafted finding cites for the registry's current record (a curator adds it once)."""
    src = {"id": API_SOURCE, "kind": "registry_record", "role": "secondary",
           "title": f"ClinicalTrials.gov API v2 record {trial_id}, fetched {fetched_on}",
           "url": f"https://clinicaltrials.gov/study/{trial_id}", "accessed": fetched_on}
    Source.model_validate(src)
    return src


def draft_finding(c: Compared, fetched_on: str) -> dict | None:
    """A `registry_changed` finding for a curator to review and paste, or None when nothing changed. Its message
    puts no words in double quotes (a finding's quoted words must be in its quotes)."""
    if c.verdict == UNCHANGED:
        return None
    old = c.curated.value or NOT_REPORTED
    new = c.registry.value or NOT_REPORTED
    message = (f"On {fetched_on} the registry's current record gives {c.question} as {new}, where the curated record "
               f"has {old}. Check which is current before changing the curated value.")
    quotes = []
    if c.curated.source and c.curated.locator:
        quotes.append({"source": c.curated.source, "locator": c.curated.locator}
                      | ({"quote": c.curated.quote} if c.curated.quote else {}))
    quotes.append({"source": API_SOURCE, "locator": c.registry.locator or c.field})
    finding = {"kind": FindingKind.REGISTRY_CHANGED.value, "field": c.field, "message": message, "quotes": quotes}
    Finding.model_validate(finding)  # a draft a curator pastes must load
    return finding


# --- watching: fetch, draft, compare (the network is the caller's client) --------------------------------


@dataclass(frozen=True)
class TrialWatch:
    trial_id: str
    outcome: str  # watched, not watched, failed
    reason: str | None = None
    compared: list[Compared] = field(default_factory=list)
    drafted: list[dict | None] = field(default_factory=list)  # beside each comparison: its finding, if it changed
    tries: int | None = None

    @property
    def findings(self) -> list[dict]:
        return [f for f in self.drafted if f is not None]


def not_watched(trial: Trial) -> str | None:
    """Why a trial cannot be watched (its registry has no API), or None when it can."""
    return NO_API.get(trial.registry)


def watch_one(trial: Trial, fetched: Fetched, today: str) -> TrialWatch:
    """One trial's current record turned into a draft by the importer and compared with the curated record."""
    made, problems = drafts(f"{trial.trial_id} from the registry", fetched.body, today)
    if problems or len(made) != 1:
        words = "; ".join(f"{p.field}: {p.message}" for p in problems[:3]) or "no study in the answer"
        return TrialWatch(trial.trial_id, FAILED, f"the importer could not read the record: {words}",
                          tries=fetched.tries)
    rows = compare(trial, made[0].trial)
    return TrialWatch(trial.trial_id, WATCHED, None, rows, [draft_finding(c, today) for c in rows], fetched.tries)


def watch(trials: Sequence[Trial], fetch: Callable[[str], Fetched], today: str, pause: float = 1.0,
          sleep: Callable[[float], None] = time.sleep) -> list[TrialWatch]:
    """Every trial watched in turn, a pause between two requests; one trial's failure is reported and the others
    go on."""
    out, asked = [], False
    for trial in trials:
        if (why := not_watched(trial)) is not None:
            out.append(TrialWatch(trial.trial_id, NOT_WATCHED, why))
            continue
        if asked:
            sleep(pause)
        asked = True
        try:
            out.append(watch_one(trial, fetch(trial.trial_id), today))
        except FetchFailed as e:
            out.append(TrialWatch(trial.trial_id, FAILED, str(e)))
        except Exception:  # an answer the importer or a comparison trips on: this trial fails, the others go on
            log.exception("The registry's record of %s could not be compared", trial.trial_id)
            out.append(TrialWatch(trial.trial_id, FAILED, "the registry's answer could not be compared (details "
                                                          "in the log)"))
    return out


# --- the report ----------------------------------------------------------------------------------------

# watch.csv's columns and what each holds (written beside it as watch_columns.csv)
COLUMNS: dict[str, str] = {
    "trial_id": "The trial's registry id.",
    "watched": "watched; not watched (its registry has no API); or failed (the record could not be fetched or "
               "read): the reason is in `note`.",
    "field": "The field of the curated record the row compares (dotted path).",
    "question": "What is compared, in words.",
    "verdict": "unchanged; changed (the registry now gives another value, or none); or new (the curated record "
               "has no value and the registry now gives one).",
    "curated_value": "The curated value in words (not reported when the curated record has none).",
    "curated_state": "The curated claim's state: reported, not_reported, not_applicable or unclear.",
    "curated_source": "The id of the source the curated value came from (see the trial's sources).",
    "curated_locator": "Where in that source.",
    "curated_quote": "The verbatim words of that source, when it is a held record.",
    "registry_value": "The registry's current value, as the importer reads it (not reported when it gives none).",
    "registry_path": "Where in the registry's JSON record the value is (its JSON path).",
    "note": "Why a trial was not watched or failed; or what to know about the row (an unclear curated value, a "
            "registry value the curated record already holds as another claim).",
    "draft_finding": "For a changed or new row: the drafted finding (kind registry_changed) as JSON; "
                     "watch_findings.yaml holds the same, ready to review and paste.",
}


def report_frame(results: Sequence[TrialWatch]) -> pl.DataFrame:
    rows: list[dict] = []
    for r in results:
        if r.outcome != WATCHED:
            rows.append({"trial_id": r.trial_id, "watched": r.outcome, "note": r.reason})
            continue
        for c, finding in zip(r.compared, r.drafted, strict=True):
            rows.append({"trial_id": r.trial_id, "watched": r.outcome, "field": c.field, "question": c.question,
                         "verdict": c.verdict, "curated_value": c.curated.value or NOT_REPORTED,
                         "curated_state": c.curated.state,
                         "curated_source": c.curated.source, "curated_locator": c.curated.locator,
                         "curated_quote": c.curated.quote, "registry_value": c.registry.value or NOT_REPORTED,
                         "registry_path": c.registry.locator, "note": c.note,
                         "draft_finding": json.dumps(finding, ensure_ascii=False) if finding else None})
    return pl.DataFrame(rows, schema={name: pl.String for name in COLUMNS})


def summary(results: Sequence[TrialWatch], api: str, today: str) -> str:
    watched = [r for r in results if r.outcome == WATCHED]
    lines = [f"Watched {len(watched)} of {len(results)} trial(s) against {api} on {today}."]
    for r in results:
        if r.outcome != WATCHED:
            lines.append(f"  {r.trial_id}: {r.outcome}: {r.reason}")
            continue
        counts = {v: [c.question for c in r.compared if c.verdict == v] for v in (CHANGED, NEW, UNCHANGED)}
        said = f"{len(counts[CHANGED])} changed, {len(counts[NEW])} new, {len(counts[UNCHANGED])} unchanged"
        moved = counts[CHANGED] + counts[NEW]
        lines.append(f"  {r.trial_id}: {said}" + (f" ({', '.join(moved)})" if moved else ""))
    n = sum(len(r.findings) for r in results)
    lines.append(f"{n} finding(s) of kind registry_changed drafted for a curator to review; "
                 "no curated record was changed.")
    return "\n".join(lines) + "\n"


def findings_yaml(results: Sequence[TrialWatch], api: str, today: str) -> str:
    """The drafted findings by trial, with the source each cites, ready to review and paste."""
    head = (f"# Drafted by python -m trialdata watch from {api} on {today}: for a curator to review.\n"
            "# For each trial: check the registry, then paste the source (once) under `sources:` and the findings "
            "you keep\n# under `findings:` of data/trials/<trial_id>.yaml; change a curated value only with its "
            "receipt (docs/curation.md).\n")
    body = {r.trial_id: {"sources": [api_source(r.trial_id, today)], "findings": r.findings}
            for r in results if r.findings}
    return head + (yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=110) if body else "{}\n")


def write_report(results: Sequence[TrialWatch], out_dir: Path, api: str, today: str) -> list[Path]:
    """watch.csv, watch_columns.csv, watch_findings.yaml and watch_summary.txt: every file made first, then each
    written atomically: each file is whole, old or new (a failure between two files leaves some of each)."""
    files = {
        "watch.csv": csv_bytes(report_frame(results)),
        "watch_columns.csv": csv_bytes(pl.DataFrame({"column": list(COLUMNS), "help": list(COLUMNS.values())})),
        "watch_findings.yaml": findings_yaml(results, api, today).encode("utf-8"),
        "watch_summary.txt": summary(results, api, today).encode("utf-8"),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        write_atomic(out_dir / name, data)
    return [out_dir / name for name in files]


def today_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")
