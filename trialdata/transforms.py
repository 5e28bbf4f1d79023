"""Small pure Polars functions, frame -> frame, one question each.

None of them turns a missing value into 0: unknowns are counted and labelled, never summed.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from trialdata.columns import in_words
from trialdata.schema import LABELS


def headline_numbers(trials: pl.DataFrame) -> dict[str, object]:
    """The overview cards: counts, known participants and how many trials did not report them."""
    categories = trials["condition_categories"].str.split("; ").explode().drop_nulls().unique()
    return {
        "trials": trials.height,
        "known_participants": trials["target_enrollment"].sum() if trials["target_enrollment"].count() else None,
        "participants_not_reported": int(trials["target_enrollment"].null_count()),
        "products": dict(trials.group_by(in_words(trials, "product_type", mark_unclear=True)).len()
                         .sort("product_type").rows()),
        "conditions": categories.len(),
        "registries": dict(trials.group_by("registry").len().sort("registry").rows()),
    }


def sourced(expr: pl.Expr, path: str) -> pl.Expr:
    """A value with what a reader must know of where it comes from: "2°" when only a secondary source gives it,
    "values differ" when the record or its sources give other values too (see the findings)."""
    def has(col: str) -> pl.Expr:
        return pl.col(col).fill_null("").str.contains(f"|{path}|", literal=True)
    marks = pl.concat_list(pl.when(has("secondary_fields")).then(pl.lit("2°")),
                           pl.when(has("disputed_fields")).then(pl.lit("values differ"))).list.drop_nulls()
    return (pl.when(marks.list.len() > 0).then(pl.format("{} ({})", expr, marks.list.join("; ")))
            .otherwise(expr))


def comparison_fields(trials: pl.DataFrame) -> list[tuple[str, pl.Expr]]:
    """The comparison's rows: each field's name and its value in words, marked where a secondary source alone
    gives it or the sources differ."""
    def words(col: str) -> pl.Expr:
        return in_words(trials, col, mark_unclear=True)

    return [
        ("Registry", pl.col("registry")),
        ("Title", words("title")),
        ("Conditions", pl.col("conditions")),
        ("Phase", sourced(words("phase"), "phase")),
        ("Status", sourced(words("status"), "status")),
        ("Start", sourced(words("start_date"), "dates.start")),
        ("Completion", sourced(words("completion_date"), "dates.completion")),
        ("Target enrollment", sourced(words("target_enrollment"), "enrollment.target")),
        ("Actual enrollment", sourced(words("actual_enrollment"), "enrollment.actual")),
        ("Product", words("product_type")),
        ("Cell source", sourced(words("cell_source"), "interventions[0].cell_source")),
        ("Donor", sourced(words("donor_type"), "interventions[0].donor")),
        ("Routes", sourced(words("routes"), "interventions[0].routes")),
        ("Dose", sourced(pl.coalesce("dose", pl.col("dose_min_state").replace(LABELS)), "interventions[0].dose")),
        ("Administrations", sourced(pl.col("administrations"), "interventions[0].n_administrations")),
        ("End of follow-up", sourced(words("follow_up_text"), "follow_up.end")),
        ("Allocation", words("allocation")),
        ("Model", words("intervention_model")),
        ("Masking", words("masking")),
        ("Control", words("control")),
        ("Countries", words("countries")),
        ("Sponsor", words("sponsor")),
        ("Findings", pl.col("n_findings")),
    ]


def comparison_table(trials: pl.DataFrame, fields_as_rows: bool = True) -> pl.DataFrame:
    """Side-by-side comparison: fields as rows and trials as columns (or transposed), unknowns spelled out."""
    wide = trials.sort("trial_id").select(
        "trial_id", *[expr.cast(pl.String).alias(name) for name, expr in comparison_fields(trials)])
    if not fields_as_rows:
        return wide
    return wide.unpivot(index="trial_id", variable_name="field").pivot(
        on="trial_id", index="field", values="value", maintain_order=True)


def looks(col: str, table: Mapping, *, symbol: bool = True) -> list[pl.Expr]:
    """A code column's label (and symbol) from its vocabulary's looks: colour is never the only cue."""
    def mapped(attr: str) -> pl.Expr:
        return pl.col(col).replace_strict({str(k): getattr(v, attr) for k, v in table.items()}, default="?")
    return [mapped("label").alias(f"{col}_label"), *([mapped("symbol").alias("symbol")] if symbol else [])]


def by_condition(trials: pl.DataFrame) -> pl.DataFrame:
    """One row per trial and condition category (a trial with two conditions appears twice)."""
    return (trials.with_columns(pl.col("condition_categories").str.split("; ").alias("condition"))
            .explode("condition"))


def curation(trials: pl.DataFrame) -> pl.DataFrame:
    """Who extracted and reviewed (roles), when it was checked, and the curators' notes."""
    return trials.select("trial_id", "extracted_by", "reviewed_by", "checked_on", "curation_notes")


def findings_on(flags: pl.DataFrame, field: str) -> list[str]:
    """What the findings say about one field (a title the registry cut short, say), to show beside its value."""
    return flags.filter(pl.col("field") == field)["message"].to_list()


def select_findings(flags: pl.DataFrame, kinds: list[str], trial_ids: list[str]) -> pl.DataFrame:
    """Findings of the chosen kinds and trials (an empty choice means all)."""
    if kinds:
        flags = flags.filter(pl.col("kind").is_in(kinds))
    if trial_ids:
        flags = flags.filter(pl.col("trial_id").is_in(trial_ids))
    return flags


def receipts_view(provenance: pl.DataFrame) -> pl.DataFrame:
    """Provenance with the words of the source next to the value (for reading, not re-ordering data)."""
    # the short receipt columns before the long quote: on a laptop screen the source and locator stay in view
    return provenance.select("field", "state", "value", "source", "locator", "quote", "claim", "source_role", "note")
