"""Column names -> what a person reads: a human label and help text for every column a table shows.

The tables and CSVs keep their snake_case names (they are the data's interface); screens show these
labels, with the data dictionary's description as the help. Columns that transforms derive for the
views (plotted_as, receipt, lane, ...) are described here, next to the dictionary's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import polars as pl

from trialdata.changes import CHANGES
from trialdata.provenance import plain_expr
from trialdata.rows import STATE_DOC
from trialdata.standards import BY_ID as CHARACTERISATION_ITEMS
from trialdata.tables import TABLES
from trialdata.vocab import LABELS as CODE_LABELS
from trialdata.vocab import SPREAD_KINDS, code_labels

# where the plain rule (underscores to spaces, first letter capital) reads badly or says too little
LABELS: dict[str, str] = {
    "trial_id": "Trial", "registry_url": "Registry link", "icd10": "ICD-10 codes", "doi": "DOI", "pmid": "PMID",
    "url": "Address", "n_administrations": "Administrations", "n_arms": "Arms", "n_cohorts": "Cohorts",
    "n_findings": "Findings", "n_time_points": "Time points", "item_no": "Item no.",
    "min_age_years": "Minimum age (years)",
    "max_age_years": "Maximum age (years)", "dose_min": "Dose (smallest)", "dose_max": "Dose (largest)",
    "weeks": "Week", "weeks_max": "To week", "follow_up_weeks": "Follow-up (weeks)",
    "follow_up_weeks_max": "Follow-up up to (weeks)", "anchor_stated": "Anchor stated?",
    "follow_up_anchor_stated": "Follow-up anchor stated?", "time_text": "When (as stated)", "text": "As stated",
    "start_date": "Start", "completion_date": "Completion", "target_enrollment": "Target enrollment",
    "source_id": "Source", "co_therapy": "Co-therapy", "cohort_participants": "Participants in cohort",
    "plotted_as": "Drawn as", "route_label": "Route (label)", "lane": "Lane (trial, cohort)",
    "domain_label": "Outcome domain", "status_label": "Status (label)", "trial_ids": "Which trials",
    "trials_in_unit": "Trials in this unit", "trials_not_reported": "Trials not reporting a target",
    "known_participants": "Known participants (sum)", "product_receipt": "Product: receipt",
    "source_receipt": "Cell source: receipt", "donor_receipt": "Donor: receipt", "time_receipt": "Time: receipt",
    "dose_receipt": "Dose: receipt", "state": "State", "what": "What", "type": "Type",
}

# the columns several views and pages derive (the tables' own columns are described in the data dictionary; a
# column only one view derives is described in its module, `View.column_help`)
DERIVED_HELP: dict[str, str] = {
    "receipt": "Where the value comes from: source, locator and the source's own words.",
    "receipts": "Where the values come from: source, locator and the source's own words.",
    "label": "The text the chart writes beside this point.",
    "lane": "The chart's row: the trial, and its cohort when it has several.",
    "trials": "Number of trials.",
    "trial_ids": "The trials counted.",
    "status_label": "Where the item is reported, in words.",
    "symbol": "The status as a symbol: ✓ registry record, 2° secondary source only, ? unclear, – not "
              "applicable, ✗ not reported.",
    "item_label": "The WHO Trial Registration Data Set item.",
    "field": "The field of the record (or of the comparison).",
    "table": "Table the column belongs to.",
    "view": "The chart whose tables (the one under the chart, or a further one on its page) work the column out.",
    "column": "Column name as in the CSV and Parquet files.",
    "type": "Data type of the column.",
    "description": "What the column holds.",
}

# a missing value with no state to explain it: what its absence means for these columns
ABSENT: dict[str, str] = {"note": "not applicable", "weeks_max": "not applicable", "anchor_stated": "not applicable",
                          "follow_up_weeks_max": "not applicable", "measures": "not applicable",
                          "curation_notes": "not applicable",
                          # what changed: a trial's or a finding's row has no claim; a row no finding's; a value
                          # one version does not hold has no receipt there
                          "claim": "not applicable", "finding_kind": "not applicable", "old_receipt": "none",
                          "new_receipt": "none", "old_as_of": "not stated",
                          # a value not reported has no source: "not reported" there read as a source that is missing
                          "source": "none", "source_role": "none"}
STATE = re.compile(r"(^|_)state$")
# the columns a row's own `state` speaks of (a sample-size claim's number, a characterisation item's value): an
# unclear row is not an unclear trial id or source
ROW_VALUES = {"participants", "value"}
# columns that hold codes of a closed vocabulary (one code, or several '; '-separated): shown as their labels
CODED = {"kind", "record_kind", "role", "dose_basis", "status", "phase", "source_role", "product_type", "cell_source",
         "donor_type", "route", "routes", "allocation", "masking", "control", "purpose", "intervention_model", "domain",
         "sex", "origin", "item", "panel", "verdict", "completion_passed", "change", "finding_kind"}
# columns whose codes mean something of their own (a result's "not_stated" is not the dose basis's)
OWN_CODES = {"spread_kind": SPREAD_KINDS}
# columns holding a vocabulary code or free words (a record's value, a design answer or a sentence): a value that
# is a code as a whole ("recruitment_complete", "not_reported") is shown in words, words are left as they are
WHOLE_VALUE_CODES = {"value", "answer", "old_value", "new_value", "was", "now"}
VALUE_CODES = code_labels()


def help_texts(names: list[str], derived: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """The help of each column of a frame. A name can mean different things in different tables (`quote` of a
    time, of a measure, of any value), so the table the frame comes from, the one sharing most of its
    columns, describes its columns first; then the columns the views derive (`derived`, from the views'
    modules, and the shared ones here); then any table that has it."""
    by_table = {t: {c.name: c.doc for c in cols} for t, cols in (TABLES | {"changes": CHANGES}).items()}
    ranked = sorted(by_table.values(), key=lambda docs: -len(docs.keys() & set(names)))
    out: dict[str, str | None] = {}
    for name in names:
        docs = [ranked[0].get(name), (derived or {}).get(name), DERIVED_HELP.get(name),
                *(d.get(name) for d in ranked[1:])]
        out[name] = next((d for d in docs if d), STATE_DOC if name.endswith("_state") else None)
    return out


def label(name: str) -> str:
    """The human label of a column ("source_role" -> "Source role", "dose_min_state" -> "Dose (smallest): state")."""
    if name in LABELS:
        return LABELS[name]
    if name.endswith("_state"):
        return f"{label(name.removesuffix('_state'))}: state"
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else name


def help_text(name: str, derived: Mapping[str, str] | None = None) -> str | None:
    """The help of one column on its own (None for a header that explains itself, such as a trial id)."""
    return help_texts([name], derived)[name]


def state_column(frame: pl.DataFrame, name: str) -> str | None:
    """The column that says why a value of `name` is missing: its own `<name>_state`, the state of the value it
    belongs with (dose_max -> dose_min_state, unit -> dose_state), or the row's `state`."""
    base = name.removesuffix("_max").removesuffix("_min")
    for candidate in (f"{name}_state", f"{base}_state", f"{base}_min_state", "dose_state" if name == "unit" else "",
                      "state"):
        if candidate in frame.columns and candidate != name:
            return candidate
    return None


def _as_text(frame: pl.DataFrame, name: str, decimals: int | None) -> pl.Expr:
    dtype = frame.schema[name]
    value = pl.col(name)
    if dtype.is_float():
        value = value.round(decimals) if decimals is not None else value
        whole = value.is_not_null() & (value == value.round(0)) & (value.abs() < 1e15)
        return pl.when(whole).then(value.cast(pl.Int64).cast(pl.String)).otherwise(value.cast(pl.String))
    if dtype == pl.Boolean:
        return pl.when(value).then(pl.lit("yes")).when(value.not_()).then(pl.lit("no"))
    return value.cast(pl.String)


# a record field's path (`interventions[0].dose`: the YAML's and the CSVs' name for it) read as words, part by part
FIELD_PATH = re.compile(r"[a-z][a-z0-9_]*(\[\d+\])?(\.[a-z][a-z0-9_]*(\[\d+\])?)*")
FIELD_PART = re.compile(r"([a-z][a-z0-9_]*)(?:\[(\d+)\])?")
LIST_ITEM = {"conditions": "condition", "organisations": "organisation", "sites": "site",
             "interventions": "intervention", "outcomes": "outcome", "results": "result", "schedule": "schedule step",
             "administrations": "administration", "inclusion": "inclusion criterion",
             "exclusion": "exclusion criterion"}
FIELD_WORDS = {"icd10": "ICD-10 code", "n_arms": "number of arms", "n_administrations": "number of administrations",
               "funding_share_percent": "funding share (%)", "ipd_sharing": "sharing of individual participant data",
               "dlt_defined": "dose-limiting toxicity defined", "min_age_years": "minimum age (years)",
               "max_age_years": "maximum age (years)", "p_value": "P value", "n_analysed": "participants analysed",
               "co_therapy": "co-therapy", "follow_up": "follow-up", "secondary_ids": "secondary IDs",
               "inclusion": "inclusion criteria", "exclusion": "exclusion criteria"}


def field_label(path: str) -> str:
    """A record field's path in words: "interventions[0].schedule[1].time" -> "Intervention 1 · schedule step 2 ·
    time", "characterisation.cells.passage" -> "Product characterisation (cells) · Culture passage". Text that is
    not such a path (a label already) is returned as it is."""
    if not FIELD_PATH.fullmatch(path):
        return path
    parts = [m.groups() for m in FIELD_PART.finditer(path)]  # (name, index or None) of each dotted part
    if len(parts) == 3 and parts[0][0] == "characterisation" and parts[2][0] in CHARACTERISATION_ITEMS:
        return f"Product characterisation ({parts[1][0]}) · {CHARACTERISATION_ITEMS[parts[2][0]].label}"
    words = [f"{LIST_ITEM.get(name, name)} {int(index) + 1}" if index is not None else
             FIELD_WORDS.get(name, name.replace("_", " ")) for name, index in parts]
    text = " · ".join(words)
    return text[:1].upper() + text[1:]


def missing_week(frame: pl.DataFrame, name: str) -> pl.Expr | None:
    """Why a week is missing, where the frame says how each time was placed: the time is stated but cannot be put in
    weeks, or it is a lower bound with no upper one (never "not reported": the record does state it)."""
    if name not in ("weeks", "weeks_max") or "placement" not in frame.columns:
        return None
    return (pl.when(pl.col("placement") == "cannot be placed").then(pl.lit("cannot be placed"))
            .when(pl.col("placement") == "at least").then(pl.lit("no upper bound")).otherwise(pl.lit("not reported")))


def in_words(frame: pl.DataFrame, name: str, decimals: int | None = None, mark_unclear: bool = False) -> pl.Expr:
    """One column of a frame as a reader sees it: codes as words, a record field's path in words, quotes without
    registry markup, numbers to `decimals`, and a missing value as its state ("not reported", "not applicable",
    "unclear"), never empty; with `mark_unclear` a value whose state is unclear says so ("12 (unclear)"). The one
    place a code or a missing value becomes words, for tables on screen, in print and on slides."""
    dtype = frame.schema[name]
    if STATE.search(name) and dtype == pl.String:
        return pl.col(name).replace(CODE_LABELS).str.replace_all("_", " ").alias(name)
    value = pl.col(name)
    if dtype == pl.String:
        if name == "field":
            value = value.replace({p: field_label(p) for p in frame[name].unique().drop_nulls()})
        elif name in OWN_CODES:
            value = value.replace(OWN_CODES[name])
        elif name in WHOLE_VALUE_CODES:
            value = value.replace(VALUE_CODES)
        elif "quote" in name or "receipt" in name or name in ("message", "detail"):  # without registry markup
            value = plain_expr(value)
    if name in CODED and dtype == pl.String:
        value = value.str.split("; ").list.eval(pl.element().replace(CODE_LABELS).str.replace_all("_", " ")) \
            .list.join("; ")
    state = state_column(frame, name)
    if frame[name].null_count() == 0 and not mark_unclear:
        return value.alias(name)  # on screen a number stays a number (it sorts as one)
    text = value if dtype == pl.String else _as_text(frame, name, decimals)
    if mark_unclear and state and (state != "state" or name in ROW_VALUES):  # implied, not stated
        text = pl.when(pl.col(state) == "unclear").then(pl.format("{} (unclear)", text)).otherwise(text)
    absent = pl.lit(ABSENT.get(name, "not reported"))
    why = (pl.when(pl.col(state).is_not_null() & (pl.col(state) != "reported"))
           .then(pl.col(state).replace(CODE_LABELS).str.replace_all("_", " ")).otherwise(absent)
           if state else absent)
    if (week := missing_week(frame, name)) is not None:
        why = week
    return pl.coalesce(text, why).alias(name)


def readable(frame: pl.DataFrame, decimals: dict[str, int] | None = None) -> pl.DataFrame:
    """The frame as a table on screen shows it, every column `in_words`. Same column names and rows (the CSV is
    made from the original frame, where missing stays empty)."""
    decimals = decimals or {}
    return frame.select(in_words(frame, name, decimals.get(name)) for name in frame.columns)
