"""Small pure Polars functions, frame -> frame, one question each.

None of them turns a missing value into 0: unknowns are counted and labelled, never summed.
"""

from __future__ import annotations

import polars as pl

from trialdata.schema import LABELS


def labelled(col: str) -> pl.Expr:
    """A coded column for people: codes -> labels, null -> its state ("not reported"), unclear marked."""
    value = pl.col(col).cast(pl.String).replace(LABELS).str.replace_all("_", " ")
    state = pl.col(f"{col}_state").replace(LABELS)
    return (
        pl.when(pl.col(col).is_null()).then(state)
        .when(pl.col(f"{col}_state") == "unclear").then(pl.format("{} (unclear)", value))
        .otherwise(value)
        .alias(col)
    )


def trial_overview(trials: pl.DataFrame) -> pl.DataFrame:
    """One line per trial with the headline facts, unknowns spelled out."""
    return trials.select(
        "trial_id", "conditions", labelled("product_type"), labelled("cell_source"), labelled("donor_type"),
        labelled("target_enrollment"), labelled("phase"), labelled("status"), "n_findings", "registry", "title",
    ).sort("trial_id")


def enrollment_claims(provenance: pl.DataFrame) -> pl.DataFrame:
    """Every claim about each trial's target enrollment, with its source (conflicts side by side)."""
    return (
        provenance.filter(pl.col("field") == "enrollment.target")
        .select(
            "trial_id", "claim", "state",
            pl.col("value").cast(pl.Int64, strict=False).alias("participants"),
            "source", "source_role", "locator", "quote", "note",
        )
        .sort("trial_id", pl.col("claim") != "headline")
    )


def enrollment_totals(trials: pl.DataFrame, by: str) -> pl.DataFrame:
    """Known target enrollment summed by a column; trials whose number is unknown are counted apart."""
    return (
        trials.with_columns(pl.col(by).fill_null("not reported"))
        .group_by(by)
        .agg(
            pl.len().cast(pl.Int64).alias("trials"),
            pl.col("target_enrollment").sum().alias("known_participants"),
            pl.col("target_enrollment").is_null().sum().cast(pl.Int64).alias("trials_not_reported"),
        )
        .sort(by)
    )


def product_counts(trials: pl.DataFrame) -> pl.DataFrame:
    """Trials by product type x cell source x donor type, with "not reported" as its own category."""
    return (
        trials.select(labelled("product_type"), labelled("cell_source"), labelled("donor_type"), "trial_id")
        .group_by("product_type", "cell_source", "donor_type")
        .agg(pl.len().cast(pl.Int64).alias("trials"), pl.col("trial_id").sort().str.join("; ").alias("trial_ids"))
        .sort("product_type", "cell_source", "donor_type")
    )


def dose_comparability(interventions: pl.DataFrame) -> pl.DataFrame:
    """Doses grouped by unit: amounts are comparable only within one unit and basis, never converted."""
    return (
        interventions.select(
            "trial_id", "dose_min", "dose_max",
            pl.col("dose_unit").fill_null("not reported"),
            pl.col("dose_basis").fill_null("not reported"),
        )
        .with_columns(
            pl.len().over("dose_unit", "dose_basis").cast(pl.Int64).alias("trials_in_unit"),
            pl.when(pl.col("dose_min").is_null()).then(pl.lit("no dose reported"))
            .when(pl.col("dose_basis") == "not_stated").then(pl.lit("basis not stated: not comparable"))
            .when(pl.len().over("dose_unit", "dose_basis") > 1).then(pl.lit("comparable within unit"))
            .otherwise(pl.lit("only trial in this unit"))
            .alias("comparability"),
        )
        .sort("dose_unit", "trial_id")
    )


def outcome_matrix(outcomes: pl.DataFrame) -> pl.DataFrame:
    """Trial x outcome domain: how many primary and secondary outcomes fall in each domain."""
    return (
        outcomes.group_by("trial_id", "domain")
        .agg(
            (pl.col("kind") == "primary").sum().cast(pl.Int64).alias("primary"),
            (pl.col("kind") == "secondary").sum().cast(pl.Int64).alias("secondary"),
            pl.col("measure").str.join("; ").alias("measures"),
        )
        .sort("trial_id", "domain")
    )


def findings_by_trial(flags: pl.DataFrame) -> pl.DataFrame:
    """Number of findings per trial and kind."""
    return flags.group_by("trial_id", "kind").agg(pl.len().cast(pl.Int64).alias("findings")).sort("trial_id", "kind")
