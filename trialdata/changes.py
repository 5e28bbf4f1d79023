"""What changed between two versions of the dataset: per trial and field, the old and the new state and value with
both receipts (source, locator, quote); trials added and removed; findings added, removed or reworded.

Pure: two `Snapshot`s in, the changes table out (`trialdata.snapshot` opens a bundle, a Parquet folder or a git
revision as a Snapshot). It reads only `trials`, `provenance` and `flags`, whose columns every build of the
dataset has had, so a bundle downloaded long ago still compares.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import polars as pl

from trialdata.rows import STR, cols
from trialdata.vocab import ChangeKind

# what a comparison reads of each table (a column an older build lacks is read as empty)
NEEDED = {
    "trials": ["trial_id", "title", "origin"],
    "provenance": ["trial_id", "field", "claim", "state", "value", "source", "locator", "quote"],
    "flags": ["trial_id", "field", "kind", "origin", "message", "sources", "quotes"],
}
RECEIPT = ["state", "value", "source", "locator", "quote"]
USER_SUPPLIED = "user-supplied"  # a trial a reader uploaded for a session: not part of any version
SIDES = ("old", "new")
FINDING_WORDS = {"message": "value", "sources": "source", "quotes": "quote"}  # a finding's, in the changes' columns

CHANGES = cols(
    ("trial_id", STR, "Trial the change is in."),
    ("change", STR, "What changed: trial_added, trial_removed; value_changed (its state or value); receipt_changed "
                    "(same state and value, another source, locator or quote); value_added, value_removed (a field, "
                    "or a further source's claim, one version holds and the other does not); finding_added, "
                    "finding_removed, finding_reworded (its message, sources or quotes). A list item's field names its "
                    "place (outcomes[2]): an item inserted before others changes the fields of those after it."),
    ("field", STR, "The field, as in provenance.csv (for a finding: the field it is about; empty for a trial added "
                   "or removed)."),
    ("claim", STR, "headline (the value the tables use) or also (a further source's claim); empty for a trial or a "
                   "finding."),
    ("finding_kind", STR, "For a finding: its kind, as in flags.csv."),
    *[spec for side in SIDES for spec in (
        (f"{side}_state", STR, f"State in the {side}er version: reported, not_reported, not_applicable or unclear "
                               "(empty where the version does not hold the value)."),
        (f"{side}_value", STR, f"Value in the {side}er version, as in provenance.csv (for a finding: its message; for "
                               "a trial: its title)."),
        (f"{side}_source", STR, f"Source of the {side}er value (for a finding: its sources)."),
        (f"{side}_locator", STR, f"Where in that source the {side}er value is."),
        (f"{side}_quote", STR, f"The {side}er value's verbatim quote (for a finding: its quotes)."),
    )],
    ("old_version", STR, "Dataset version compared from."),
    ("old_as_of", STR, "The older version's \"data as of\" date (empty when the version does not say)."),
    ("new_version", STR, "Dataset version compared to."),
    ("new_as_of", STR, "The newer version's \"data as of\" date."),
)
SCHEMA = {c.name: c.dtype for c in CHANGES}


@dataclass(frozen=True)
class Snapshot:
    """One version of the dataset, as much of it as a comparison reads."""

    version: str
    as_of: str | None
    origin: str  # where it was read from, in words ("bundle x.zip", "git revision 8d56170", "the curated data")
    tables: Mapping[str, pl.DataFrame]
    scope: str | None = None  # the filters it was made under, when it holds only the trials they kept
    lacks: frozenset[str] = field(default_factory=frozenset)  # "provenance.locator": columns its build did not have

    @classmethod
    def of(cls, tables: Mapping[str, pl.DataFrame], version: str, as_of: str | None, origin: str,
           scope: str | None = None) -> Snapshot:
        """The needed columns of `tables` as text (a column the build lacks is empty, and left out of comparisons),
        without the trials a reader uploaded (a bundle made in such a session holds them)."""
        lacks = frozenset(f"{name}.{c}" for name, columns in NEEDED.items() for c in columns
                          if c not in tables[name].columns)
        trials = tables["trials"]
        uploaded = trials.filter(pl.col("origin") == USER_SUPPLIED)["trial_id"] if "origin" in trials.columns \
            else pl.Series([], dtype=pl.String)
        return cls(version, as_of, origin, {name: tables[name].filter(
            ~pl.col("trial_id").cast(pl.String).is_in(uploaded.implode())).select(
            pl.col(c).cast(pl.String) if c in tables[name].columns else pl.lit(None, pl.String).alias(c)
            for c in columns) for name, columns in NEEDED.items()}, scope, lacks)


def _differs(cols_: list[str]) -> pl.Expr:
    """Whether any of the columns differs (a missing value is a value); false when none is compared."""
    return pl.any_horizontal(pl.lit(False), *[pl.col(f"old_{c}").ne_missing(pl.col(f"new_{c}")) for c in cols_])


def _compared(table: str, columns: dict[str, str], old: Snapshot, new: Snapshot) -> list[str]:
    """Of `columns` (the table's name -> the name compared), those both builds have: a column one build lacks is
    not a change in every row."""
    return [as_compared for c, as_compared in columns.items() if f"{table}.{c}" not in old.lacks | new.lacks]


def _paired(old: pl.DataFrame, new: pl.DataFrame, key: list[str], columns: list[str]) -> pl.DataFrame:
    """The rows of two versions that differ, side by side on `key` (the nth row of a key meets the nth), `columns`
    as old_*/new_*, with `in_old`/`in_new` saying which version holds the row. A row both versions hold word for
    word is left out first: most rows are, and pairing only the rest keeps a 100,000-trial comparison in memory
    and time (a row held twice word for word counts once)."""
    def hashed(frame: pl.DataFrame) -> pl.Series:
        return frame.select(pl.struct([*key, *columns]).hash().alias("row"))["row"]

    old_hash, new_hash = hashed(old), hashed(new)
    old, new = old.filter(~old_hash.is_in(new_hash.implode())), new.filter(~new_hash.is_in(old_hash.implode()))

    def side(frame: pl.DataFrame, name: str) -> pl.DataFrame:
        return frame.with_columns(pl.int_range(pl.len()).over(key).alias("nth"), pl.lit(True).alias(f"in_{name}")
                                  ).rename({c: f"{name}_{c}" for c in columns})
    return side(old, "old").join(side(new, "new"), on=[*key, "nth"], how="full", coalesce=True, nulls_equal=True)


def _slot(frame: pl.DataFrame) -> pl.DataFrame:
    """A headline claim is one per field whatever its source; a further claim is its source's."""
    return frame.with_columns(pl.when(pl.col("claim") == "headline").then(pl.lit("")).otherwise(pl.col("source"))
                              .alias("slot"))


def _kind(added: ChangeKind, removed: ChangeKind, *whens: tuple[pl.Expr, ChangeKind]) -> pl.Expr:
    expr = pl.when(pl.col("in_old").is_null()).then(pl.lit(added.value)) \
        .when(pl.col("in_new").is_null()).then(pl.lit(removed.value))
    for condition, kind in whens:
        expr = expr.when(condition).then(pl.lit(kind.value))
    return expr.otherwise(pl.lit(None, pl.String)).alias("change")


def trial_changes(old: Snapshot, new: Snapshot) -> pl.DataFrame:
    """Trials one version holds and the other does not, with their titles. A version made under filters holds only
    the trials they kept: a trial it lacks was left out, not added or removed, so it is not said to be."""
    pair = _paired(old.tables["trials"].select("trial_id", "title"), new.tables["trials"].select("trial_id", "title"),
                   ["trial_id"], ["title"])
    unknowable = [k.value for k, scope in ((ChangeKind.TRIAL_ADDED, old.scope), (ChangeKind.TRIAL_REMOVED, new.scope))
                  if scope]
    return pair.with_columns(_kind(ChangeKind.TRIAL_ADDED, ChangeKind.TRIAL_REMOVED)).filter(
        pl.col("change").is_not_null() & ~pl.col("change").is_in(unknowable)).select(
        "trial_id", "change", pl.col("old_title").alias("old_value"), pl.col("new_title").alias("new_value"))


def value_changes(old: Snapshot, new: Snapshot, in_both: pl.Series) -> pl.DataFrame:
    """Per field and claim of the trials both versions hold: what changed in its state, value or receipt."""
    def of(snap: Snapshot) -> pl.DataFrame:
        return _slot(snap.tables["provenance"].filter(pl.col("trial_id").is_in(in_both.implode())))
    pair = _paired(of(old), of(new), ["trial_id", "field", "claim", "slot"], RECEIPT)
    kind = _kind(ChangeKind.VALUE_ADDED, ChangeKind.VALUE_REMOVED,
                 (_differs(_compared("provenance", {"state": "state", "value": "value"}, old, new)),
                  ChangeKind.VALUE_CHANGED),
                 (_differs(_compared("provenance", {c: c for c in ("source", "locator", "quote")}, old, new)),
                  ChangeKind.RECEIPT_CHANGED))
    return pair.with_columns(kind).filter(pl.col("change").is_not_null()).drop("slot", "nth", "in_old", "in_new")


def finding_changes(old: Snapshot, new: Snapshot, in_both: pl.Series) -> pl.DataFrame:
    """Findings of the trials both versions hold that one version has and the other has not, or words otherwise."""
    def of(snap: Snapshot) -> pl.DataFrame:
        return snap.tables["flags"].filter(pl.col("trial_id").is_in(in_both.implode())).rename(
            {**FINDING_WORDS, "kind": "finding_kind"})
    pair = _paired(of(old), of(new), ["trial_id", "field", "finding_kind", "origin"], ["value", "source", "quote"])
    kind = _kind(ChangeKind.FINDING_ADDED, ChangeKind.FINDING_REMOVED,
                 (_differs(_compared("flags", FINDING_WORDS, old, new)), ChangeKind.FINDING_REWORDED))
    return pair.with_columns(kind).filter(pl.col("change").is_not_null()).drop("origin", "nth", "in_old", "in_new")


def changes(old: Snapshot, new: Snapshot) -> pl.DataFrame:
    """The changes table (columns `CHANGES`): from `old` to `new`, by trial, then trials added and removed, values,
    then findings. A trial added or removed is one row, not a row per value."""
    trials = trial_changes(old, new)
    ids = new.tables["trials"]["trial_id"]
    in_both = ids.filter(ids.is_in(old.tables["trials"]["trial_id"].implode()))
    parts = [trials, value_changes(old, new, in_both), finding_changes(old, new, in_both)]
    order = pl.col("change").replace_strict([k.value for k in ChangeKind], range(len(ChangeKind)))
    frame = pl.concat([p.select(c for c in p.columns if c in SCHEMA) for p in parts], how="diagonal_relaxed") \
        .with_columns(pl.lit(old.version).alias("old_version"), pl.lit(old.as_of, STR).alias("old_as_of"),
                      pl.lit(new.version).alias("new_version"), pl.lit(new.as_of, STR).alias("new_as_of"))
    return frame.select(pl.col(name).cast(dtype) if name in frame.columns else pl.lit(None, dtype).alias(name)
                        for name, dtype in SCHEMA.items()).sort(pl.col("trial_id"), order, maintain_order=True)


def summary(table: pl.DataFrame, old: Snapshot, new: Snapshot, field_words: Callable[[str], str] = str,
            limit: int = 12) -> list[str]:
    """The changes in a few lines: the two versions (and the filters one was made under), then counts by kind, then
    the trials with the most changes and the fields they are in (`field_words` puts a field's path in words)."""
    lines = [f"From dataset version {old.version} ({_as_of(old)}; {old.origin})",
             f"to {new.version} ({_as_of(new)}; {new.origin}):"]
    for snap, which in ((old, "older"), (new, "newer")):
        if snap.scope:
            lines.append(f"the {which} version holds only the trials its filters kept ({snap.scope}): a trial it "
                         "lacks is not called added or removed.")
    if table.is_empty():
        return lines + ["no change in any trial, value, receipt or finding."]
    counts = dict(table.group_by("change").len().iter_rows())
    lines.append(", ".join(_counted(counts[k.value], k) for k in ChangeKind if k.value in counts) +
                 f", in {_trials(table['trial_id'].n_unique())}.")
    per_trial = table.group_by("trial_id").agg(pl.len(), pl.col("field").drop_nulls().unique(maintain_order=True)
                                                .alias("fields")).sort("len", "trial_id", descending=[True, False])
    for trial_id, n, fields in per_trial.head(limit).iter_rows():
        named = ", ".join(field_words(f) for f in fields[:4]) + (", …" if len(fields) > 4 else "")
        lines.append(f"  {trial_id}: {n} change{'s' if n != 1 else ''}" + (f" ({named})" if fields else ""))
    if per_trial.height > limit:
        lines.append(f"  … and {per_trial.height - limit} more trials (changes.csv has every change).")
    return lines


def _counted(n: int, kind: ChangeKind) -> str:
    """"3 values changed", "1 trial added": the kind's noun counted, then its verb."""
    noun, verb = kind.value.split("_")
    return f"{n} {noun}{'s' if n != 1 else ''} {verb}"


def _as_of(snap: Snapshot) -> str:
    return f"data as of {snap.as_of}" if snap.as_of else "data as of not stated"


def _trials(n: int) -> str:
    return f"{n} trial" if n == 1 else f"{n} trials"
