"""What changed since the last talk: the changes from an older version of the dataset (a bundle a reader downloaded
last time, a link's version, `--since OLD`) to the data shown, per trial by kind, each with both receipts.

The changes are not a table of the dataset: the page, the handout and the deck put them beside the tables
(`store.Beside`) when there is an older version to compare; without one the view has nothing to draw, so the
handout and the deck leave its page and slide out.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from trialdata.changes import SCHEMA
from trialdata.figures import kind_bars
from trialdata.views.base import Tables, View
from trialdata.views.words import counted, leaders
from trialdata.vocab import CHANGE_COLOURS, ChangeKind, code_labels, label

NOT_HELD = "not in that version"
CODE_WORDS = code_labels()  # a record's value that is a code as a whole ("bone_marrow") in words
# a fill per kind as well as a colour; a trial added or removed is a bar of its own (black or grey), so the two
# share the plain fill and the seven kinds that stack get the seven patterns
CHANGE_PATTERNS = ["", "", "/", "\\", "x", ".", "+", "-", "|"]  # in CHANGE_COLOURS' order


def _words(side: str) -> pl.Expr:
    """A side's value as a reader reads it: the value, marked when unclear; a missing value as its state; a row the
    version does not hold says so."""
    value, state = pl.col(f"{side}_value"), pl.col(f"{side}_state")
    coded = value.str.split("; ").list.eval(pl.element().replace(CODE_WORDS)).list.join("; ")  # "bone marrow"
    return (pl.when(state.is_null() & value.is_null()).then(pl.lit(NOT_HELD))
            .when(state.is_null()).then(value)  # a finding's message, a trial's title
            .when(value.is_null()).then(state.replace(CODE_WORDS))
            .when(state == "unclear").then(pl.format("{} (unclear)", coded))
            .otherwise(coded))


def _receipt(side: str) -> pl.Expr:
    """'source · locator: "quote"', as every receipt column (empty when the side holds none)."""
    source, locator, quote = (pl.col(f"{side}_{c}") for c in ("source", "locator", "quote"))
    return pl.when(source.is_null() & quote.is_null()).then(pl.lit(None, pl.String)).otherwise(pl.concat_str(
        source.fill_null(""), pl.lit(" · "), locator.fill_null(""), pl.lit(': "'), quote.fill_null(""), pl.lit('"')))


def changes_shown(tables: Tables) -> pl.DataFrame:
    """The changes of the trials shown (and of those the newer version removed), with both sides in words and both
    receipts; none when there is no older version to compare."""
    if "changes" not in tables:
        frame = pl.DataFrame(schema=SCHEMA)
    else:
        shown = tables["trials"]["trial_id"].implode()
        frame = tables["changes"].filter(pl.col("trial_id").is_in(shown)
                                         | (pl.col("change") == ChangeKind.TRIAL_REMOVED.value))
    receipt_only = pl.col("change") == ChangeKind.RECEIPT_CHANGED.value  # the value is the same: show the receipts
    # in words, with both receipts; the raw states, values and receipt parts are in changes.csv (CLI and bundle)
    return frame.select(
        "trial_id", "change", pl.col("field").fill_null("the whole trial"), "claim", "finding_kind",
        pl.when(receipt_only).then(_receipt("old")).otherwise(_words("old")).alias("was"),
        pl.when(receipt_only).then(_receipt("new")).otherwise(_words("new")).alias("now"),
        _receipt("old").alias("old_receipt"), _receipt("new").alias("new_receipt"),
        "old_version", "old_as_of", "new_version", "new_as_of")


def since(frame: pl.DataFrame) -> str:
    """"dataset version 6359fad6e1a4 (data as of 2026-11-29)": the older version the frame compares from."""
    if frame.is_empty():
        return "the older version"
    row = frame.row(0, named=True)
    return f"dataset version {row['old_version']}" + (f" (data as of {row['old_as_of']})" if row["old_as_of"] else "")


def per_trial(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.group_by("trial_id", "change").agg(pl.len().cast(pl.Int64).alias("n"))


def changes_figure(frame: pl.DataFrame) -> go.Figure:
    return kind_bars(per_trial(frame), "change", CHANGE_COLOURS, f"Changes per trial since {since(frame)}, by kind",
                     "changes", patterns=CHANGE_PATTERNS)


def takeaway(frame: pl.DataFrame) -> list[str]:
    kinds = frame.group_by(pl.col("change").map_elements(label, return_dtype=pl.String)).len()
    trials = frame.group_by("trial_id").len()
    kind, kind_n, kinds_tied = leaders(kinds, "change", "len")
    trial, trial_n, trials_tied = leaders(trials, "trial_id", "len")
    return [f"{counted(frame.height, 'change')} in {counted(trials.height, 'trial')} since {since(frame)}",
            f"Most common: {kind} ({kind_n}{' each' if kinds_tied > 1 else ''})",
            f"Most changes: {trial} ({trial_n}{' each' if trials_tied > 1 else ''})"]


COLUMN_HELP = {  # the columns this view derives (changes.csv's own are in the data dictionary)
    "was": "The older version's value in words (a missing value as its state; for a receipt change, its receipt).",
    "now": "The newer version's value in words (a missing value as its state; for a receipt change, its receipt).",
    "old_receipt": "The older value's receipt: source · locator: \"quote\".",
    "new_receipt": "The newer value's receipt: source · locator: \"quote\".",
}


VIEW = View(
    order=5,  # first in the handout and the deck: what a returning audience asks first
    key="changes", title="What changed since the last talk", path="what-changed", appraises=True,
    question="What changed in the curated data since the version used last time: values, receipts, trials and "
             "findings.",
    how_to_read="Changes per trial, by kind; the table gives each change with its old and new value and both "
                "receipts (source, locator, quote).",
    on_screen="Drop the bundle you downloaded last time (or open a link made with an older version) to compare it "
              "with the data shown.",
    transform=changes_shown,
    figure=lambda frame, t: changes_figure(frame),
    presentation={"trial_id": "Trial", "change": "What changed", "field": "Field", "was": "Was", "now": "Now"},
    csv_name="what_changed", takeaway=takeaway, one_by_one=False,
    page="app_pages/what_changed.py",
    receipts=("old_receipt", "new_receipt"),
    empty="No changes for the trials shown since that version.",
    column_help=COLUMN_HELP,
)
