"""Small pure Polars functions, frame -> frame, one question each.

None of them turns a missing value into 0: unknowns are counted and labelled, never summed.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from trialdata import standards
from trialdata.provenance import receipt_expr
from trialdata.schema import LABELS, Domain
from trialdata.vocab import FEATURE_LOOKS, SPREAD_KINDS, STATUS_LOOKS, VERDICT_LOOKS, ReportingStatus


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


def enrollment_totals(trials: pl.DataFrame, by: str) -> pl.DataFrame:
    """Known target enrollment summed by a column; trials whose number is unknown are counted apart."""
    return (
        trials.with_columns(pl.col(by).fill_null("not reported"))
        .group_by(by)
        .agg(
            pl.len().cast(pl.Int64).alias("trials"),
            # a group with no known target has an unknown total, not 0
            pl.when(pl.col("target_enrollment").count() > 0).then(pl.col("target_enrollment").sum())
            .alias("known_participants"),
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
            "trial_id", pl.col("dose").fill_null("not reported"), "dose_min", "dose_max",
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


def findings_by_trial(flags: pl.DataFrame) -> pl.DataFrame:
    """Number of findings per trial and kind."""
    return flags.group_by("trial_id", "kind").agg(pl.len().cast(pl.Int64).alias("findings")).sort("trial_id", "kind")


# --- the frames behind each view (each is exactly what its chart plots) ---------------------------------

DOMAIN_ORDER = [d.value for d in Domain]


def headline_numbers(trials: pl.DataFrame) -> dict[str, object]:
    """The overview cards: counts, known participants and how many trials did not report them."""
    categories = trials["condition_categories"].str.split("; ").explode().drop_nulls().unique()
    return {
        "trials": trials.height,
        "known_participants": trials["target_enrollment"].sum() if trials["target_enrollment"].count() else None,
        "participants_not_reported": int(trials["target_enrollment"].null_count()),
        "products": dict(trials.group_by(labelled("product_type")).len().sort("product_type").rows()),
        "conditions": categories.len(),
        "registries": dict(trials.group_by("registry").len().sort("registry").rows()),
    }


def labelled_col(col: str) -> pl.Expr:
    """`labelled` for a column that may have no state column (registry, ids): codes -> labels only."""
    return pl.col(col).cast(pl.String).replace(LABELS).str.replace_all("_", " ").alias(col)


# the overview's design badges: each is the design grid's answer, said the same way on every page
BADGE_FEATURES = {"randomised": "Randomised", "controlled": "Controlled", "blinded": "Blinded (whom, to what)",
                  "single_arm": "Single arm"}


def design_badges(trials: pl.DataFrame, features: pl.DataFrame) -> pl.DataFrame:
    """Per trial: phase, then randomised?, controlled?, blinded?, single arm? as the design grid answers them
    (yes, no, unclear, not reported): one answer for one question everywhere."""
    answers = (features.filter(pl.col("feature").is_in(list(BADGE_FEATURES.values())))
               .with_columns(pl.col("feature").replace_strict({v: k for k, v in BADGE_FEATURES.items()}),
                             pl.col("answer").replace(LABELS))
               .pivot("feature", index="trial_id", values="answer"))
    return (trials.select("trial_id", labelled("phase")).join(answers, on="trial_id", how="left")
            .select("trial_id", "phase", *[pl.col(k).fill_null("not reported") if k in answers.columns else
                                           pl.lit("not reported").alias(k) for k in BADGE_FEATURES])
            .sort("trial_id"))


def sourced(expr: pl.Expr, path: str) -> pl.Expr:
    """A value with what a reader must know of where it comes from: "2°" when only a secondary source gives it,
    "values differ" when the record or its sources give other values too (see the findings)."""
    def has(col: str) -> pl.Expr:
        return pl.col(col).fill_null("").str.contains(f"|{path}|", literal=True)
    marks = pl.concat_list(pl.when(has("secondary_fields")).then(pl.lit("2°")),
                           pl.when(has("disputed_fields")).then(pl.lit("values differ"))).list.drop_nulls()
    return (pl.when(marks.list.len() > 0).then(pl.format("{} ({})", expr, marks.list.join("; ")))
            .otherwise(expr))


COMPARISON_FIELDS: list[tuple[str, pl.Expr]] = [
    ("Registry", pl.col("registry")),
    ("Title", labelled("title")),
    ("Conditions", pl.col("conditions")),
    ("Phase", sourced(labelled("phase"), "phase")),
    ("Status", sourced(labelled("status"), "status")),
    ("Start", sourced(labelled("start_date"), "dates.start")),
    ("Completion", sourced(labelled("completion_date"), "dates.completion")),
    ("Target enrollment", sourced(labelled("target_enrollment"), "enrollment.target")),
    ("Actual enrollment", sourced(labelled("actual_enrollment"), "enrollment.actual")),
    ("Product", labelled("product_type")),
    ("Cell source", sourced(labelled("cell_source"), "interventions[0].cell_source")),
    ("Donor", sourced(labelled("donor_type"), "interventions[0].donor")),
    ("Routes", sourced(labelled("routes"), "interventions[0].routes")),
    ("Dose", sourced(pl.coalesce("dose", pl.col("dose_min_state").replace(LABELS)), "interventions[0].dose")),
    ("Administrations", sourced(pl.col("administrations"), "interventions[0].n_administrations")),
    ("End of follow-up", sourced(labelled("follow_up_text"), "follow_up.end")),
    ("Allocation", labelled("allocation")),
    ("Model", labelled("intervention_model")),
    ("Masking", labelled("masking")),
    ("Control", labelled("control")),
    ("Countries", labelled("countries")),
    ("Sponsor", labelled("sponsor")),
    ("Findings", pl.col("n_findings")),
]


def comparison_table(trials: pl.DataFrame, fields_as_rows: bool = True) -> pl.DataFrame:
    """Side-by-side comparison: fields as rows and trials as columns (or transposed), unknowns spelled out."""
    wide = trials.sort("trial_id").select(
        "trial_id", *[expr.cast(pl.String).alias(name) for name, expr in COMPARISON_FIELDS])
    if not fields_as_rows:
        return wide
    return wide.unpivot(index="trial_id", variable_name="field").pivot(
        on="trial_id", index="field", values="value", maintain_order=True)


def sample_size_points(provenance: pl.DataFrame) -> pl.DataFrame:
    """Every claim about target and actual enrollment, one row each, with its receipt and a label."""
    return (
        provenance.filter(pl.col("field").is_in(["enrollment.target", "enrollment.actual"]))
        .with_columns(
            pl.col("field").str.replace("enrollment.", "").alias("measure"),
            pl.col("value").cast(pl.Int64, strict=False).alias("participants"),
            receipt_expr(),
        )
        .with_columns(
            pl.format("{}{}: {}", pl.col("measure"), pl.col("claim").replace({"headline": "", "also": " (also)"}),
                      pl.coalesce(pl.col("participants").cast(pl.String), pl.col("state").replace(LABELS)))
            .alias("label"),
        )
        .with_columns(_plotted_as())
        .select("trial_id", "measure", "claim", "state", "participants", "plotted_as", "source", "source_role",
                "receipt", "label", "note")
        .sort("trial_id", "measure", pl.col("claim") != "headline")
    )


def _plotted_as() -> pl.Expr:
    """How the chart shows each claim; another claim that repeats the headline value is left to the table."""
    headline = pl.col("participants").filter(pl.col("claim") == "headline").first().over("trial_id", "measure")
    return (
        pl.when(pl.col("participants").is_null() & (pl.col("claim") == "headline") & (pl.col("measure") == "target"))
        .then(pl.lit("label: not reported"))
        .when(pl.col("participants").is_null()).then(pl.lit("table only (not reported)"))
        .when((pl.col("measure") == "target") & (pl.col("claim") == "headline")).then(pl.lit("bar"))
        .when((pl.col("claim") == "also") & (pl.col("participants") == headline)).then(pl.lit("table only (agrees)"))
        .otherwise(pl.lit("marker"))
        .alias("plotted_as")
    )


def product_points(trials: pl.DataFrame, provenance: pl.DataFrame) -> pl.DataFrame:
    """One row per trial: product type, cell source, donor type (labelled) and the receipt of each."""
    def receipt_of(field: str, name: str) -> pl.DataFrame:
        return (provenance.filter((pl.col("field") == f"interventions[0].{field}") & (pl.col("claim") == "headline"))
                .select("trial_id", receipt_expr().alias(name)))
    return (
        trials.select("trial_id", labelled("product_type"), labelled("cell_source"), labelled("donor_type"))
        .join(receipt_of("product_type", "product_receipt"), on="trial_id", how="left")
        .join(receipt_of("cell_source", "source_receipt"), on="trial_id", how="left")
        .join(receipt_of("donor", "donor_receipt"), on="trial_id", how="left")
        .sort("product_type", "cell_source", "trial_id")
    )


ROUTE_SHORT = {"intra_articular": "intra-articular", "intravenous": "IV", "intrathecal": "IT"}


def dosing_lanes(administrations: pl.DataFrame) -> pl.DataFrame:
    """One row per planned administration with its lane, week, visible label and receipts."""
    route = pl.col("route").fill_null("route not reported")
    for code, short in ROUTE_SHORT.items():
        route = route.str.replace_all(code, short, literal=True)
    single = pl.col("cohort").n_unique().over("trial_id") == 1
    return (
        administrations.with_columns(
            pl.when(single).then(pl.col("trial_id"))
            .otherwise(pl.format("{} · {} ({})", pl.col("trial_id"), pl.col("cohort"),
                                 pl.col("cohort_participants").fill_null("participants not reported")))
            .alias("lane"),
            pl.format("#{} {}, {}", pl.col("number"), pl.col("dose").fill_null("dose not reported")
                      .str.replace(r" \(per administration\)", ""), route).alias("label"),
            route.alias("route_label"),
            receipt_expr().alias("time_receipt"),
            receipt_expr("dose_source", "dose_locator", "dose_quote").alias("dose_receipt"),
        )
        .select("trial_id", "lane", "cohort", "number", "week", "week_state", "time_text", "dose", "unit", "route",
                "route_label", "label", "time_receipt", "dose_receipt")
        .sort("trial_id", "cohort", "number")
    )


def outcome_cells(outcomes: pl.DataFrame) -> pl.DataFrame:
    """Trial x domain x kind: how many outcomes, and their measures, methods and time frames."""
    return (
        outcomes.with_columns(receipt_expr())
        .group_by("trial_id", "domain", "kind")
        .agg(
            pl.len().cast(pl.Int64).alias("outcomes"),
            pl.col("measure").fill_null("not reported").str.join(" | ").alias("measures"),
            pl.col("method").fill_null("not reported").str.join(" | ").alias("methods"),
            pl.col("time_frame").fill_null("not reported").str.join(" | ").alias("time_frames"),
            pl.col("receipt").str.join(" | ").alias("receipts"),
        )
        .with_columns(pl.col("domain").replace(LABELS).alias("domain_label"))
        .sort("trial_id", "domain", "kind")
    )


def follow_up_points(assessments: pl.DataFrame, trials: pl.DataFrame) -> pl.DataFrame:
    """Per trial: each assessment time (with the measures taken then) and the end of follow-up, in weeks."""
    points = (
        assessments.with_columns(receipt_expr())
        .group_by("trial_id", "time_text", "weeks", "weeks_max", "anchor", "anchor_stated")
        .agg(pl.col("measure").unique(maintain_order=True).str.join("; ").alias("measures"),
             pl.col("receipt").unique(maintain_order=True).str.join(" | "))
        .select("trial_id", pl.lit("assessment").alias("what"), pl.col("time_text").alias("text"), "measures",
                "weeks", "weeks_max", "anchor", "anchor_stated", "receipt")
    )
    ends = trials.select(
        "trial_id", pl.lit("end of follow-up").alias("what"),
        pl.coalesce("follow_up_text", pl.col("follow_up_text_state").replace(LABELS)).alias("text"),
        pl.lit(None, pl.String).alias("measures"),
        pl.col("follow_up_weeks").alias("weeks"), pl.col("follow_up_weeks_max").alias("weeks_max"),
        pl.col("follow_up_anchor").alias("anchor"), pl.col("follow_up_anchor_stated").alias("anchor_stated"),
        receipt_expr("follow_up_source", "follow_up_locator", "follow_up_quote"),
    )
    return (
        pl.concat([points, ends])
        .with_columns(
            pl.when(pl.col("weeks").is_null()).then(pl.lit("cannot be placed"))
            .when(pl.col("weeks_max").is_null()).then(pl.lit("at least"))
            .when(pl.col("weeks_max") > pl.col("weeks")).then(pl.lit("range"))
            .otherwise(pl.lit("exact")).alias("placement"),
            pl.col("anchor").replace(LABELS).str.replace_all("_", " "),
        )
        .sort("trial_id", pl.col("what") == "end of follow-up", "weeks", "text", nulls_last=True)
    )


def week_axis_range(administrations: pl.DataFrame, points: pl.DataFrame) -> tuple[float, float]:
    """One x range for the dosing and follow-up views, so their weeks line up."""
    weeks = pl.concat([administrations["week"], points["weeks"], points["weeks_max"]]).drop_nulls()
    top = float(weeks.max()) if weeks.len() else 4.0
    return (-2.0, top * 1.08 + 2)


def looks(col: str, table: Mapping, *, symbol: bool = True) -> list[pl.Expr]:
    """A code column's label (and symbol) from its vocabulary's looks: colour is never the only cue."""
    def mapped(attr: str) -> pl.Expr:
        return pl.col(col).replace_strict({str(k): getattr(v, attr) for k, v in table.items()}, default="?")
    return [mapped("label").alias(f"{col}_label"), *([mapped("symbol").alias("symbol")] if symbol else [])]


def scorecard(reporting: pl.DataFrame) -> pl.DataFrame:
    """Trials x WHO TRDS items with a status label and a symbol (colour is never the only cue)."""
    return reporting.with_columns(
        *looks("status", STATUS_LOOKS), pl.format("{}. {}", "item_no", "item").alias("item_label"),
    ).sort("item_no", "trial_id")


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


# --- product characterisation -------------------------------------------------------------


def _yardstick_by_item() -> pl.DataFrame:
    """item -> the published reporting rates that speak to it, cited ("Renesme 2022: 18 % ...; ...")."""
    rows = [(item, f"{standards.REVIEWS[r.review].short}: {r.finding}")
            for r in standards.YARDSTICK for item in r.items]
    return (pl.DataFrame(rows, schema={"item": pl.String, "yardstick": pl.String}, orient="row")
            .group_by("item", maintain_order=True).agg(pl.col("yardstick").str.join("; ")))


def characterisation_grid(characterisation: pl.DataFrame) -> pl.DataFrame:
    """Trials x characterisation items: where each item is reported (the scorecard's statuses, so a value only a
    secondary source gives is told apart from one in the registry record), its symbol, receipt and yardstick."""
    status = (pl.when((pl.col("state") == "reported") & (pl.col("source_role") == "primary"))
              .then(pl.lit(ReportingStatus.IN_RECORD.value))
              .when(pl.col("state") == "reported").then(pl.lit(ReportingStatus.SECONDARY_ONLY.value))
              .otherwise(pl.col("state")))  # unclear, not_applicable, not_reported: spelled alike in both
    return (
        characterisation.with_columns(status.alias("status"), receipt_expr())
        .with_columns(*looks("status", STATUS_LOOKS))
        .join(_yardstick_by_item(), on="item", how="left")
        .select("trial_id", "product_type", "standard", "item_no", "item", "item_label", "state", "status",
                "status_label", "symbol", "value", "receipt", "note", "yardstick")
        .sort("product_type", "item_no", "trial_id")
    )


def yardstick_for(grid: pl.DataFrame) -> pl.DataFrame:
    """The published reporting rates that speak to the items in a characterisation grid, one line per review:
    the review, what it looked at and found, and its citation. Context to read the trials against, not data about
    them. A rate about no item in particular speaks to cell characterisation as a whole."""
    shown, cell_items = set(grid["item"]), {i.id for i in standards.items_of(standards.CELLS)}
    rows = []
    for key, review in standards.REVIEWS.items():
        found = [r.finding for r in standards.YARDSTICK if r.review == key and shown & set(r.items or cell_items)]
        if found:
            rows.append((review.short, f"{review.looked_at}: {'; '.join(found)}", review.citation))
    return pl.DataFrame(rows, schema=["source", "said", "citation"], orient="row")


def published_rates() -> pl.DataFrame:
    """The yardstick as a table: each review, what it looked at, what it found, and its citation."""
    return pl.DataFrame(
        [(standards.REVIEWS[r.review].short, standards.REVIEWS[r.review].looked_at, r.finding,
          _items_in_words(r.items),
          standards.REVIEWS[r.review].citation) for r in standards.YARDSTICK],
        schema=["review", "looked_at", "finding", "items", "citation"], orient="row")


def _items_in_words(items: tuple[str, ...]) -> str:
    """The items a published rate speaks to: a whole standard by its name, otherwise item by item."""
    if not items:
        return "cell characterisation as a whole"
    for key, std in standards.STANDARDS.items():
        if set(items) == {i.id for i in standards.ITEMS if i.standard == key}:
            return f"the {std.name}"
    if set(items) == {i.id for i in standards.items_of(standards.EVS)}:
        return "EV characterisation and dose units"
    return "; ".join(standards.BY_ID[i].label for i in items)


# --- appraisal: results, results status and design features -----------------------------------


def _num_text(col: str) -> pl.Expr:
    return pl.col(col).round(2).cast(pl.String).str.replace(r"\.0$", "")


def result_lines(results: pl.DataFrame) -> pl.DataFrame:
    """Published results with a one-line summary as reported: baseline -> follow-up with their +/- figures and
    the P value, or the statement when the result is given in words only."""
    spread = pl.col("spread_kind").replace(SPREAD_KINDS).fill_null("no +/- figure")

    def value(col: str) -> pl.Expr:  # a missing part is said in words, so it never empties the whole line
        return (pl.when(pl.col(col).is_null()).then(pl.lit("not reported"))
                .when(pl.col(f"{col}_spread").is_null()).then(_num_text(col))
                .otherwise(pl.format("{} ± {}", _num_text(col), _num_text(f"{col}_spread"))))

    numbers = pl.format("{} → {} ({}, {}); P {}", value("baseline"), value("follow_up"),
                        pl.col("estimate").fill_null("estimate not stated"), spread,
                        pl.coalesce("p_value", pl.col("p_value_state").replace(LABELS)))
    return results.with_columns(
        pl.when(pl.col("baseline").is_not_null() | pl.col("follow_up").is_not_null()).then(numbers)
        .when(pl.col("statement").is_not_null()).then(pl.format("in words: {}", "statement"))
        .otherwise(pl.lit("no value in the sources held")).alias("summary"),
    ).sort("trial_id", "result")


def results_status_view(status: pl.DataFrame) -> pl.DataFrame:
    """The results status of each trial, months since completion first (the chart's order)."""
    return status.sort(pl.col("months_since_completion").is_null(), "trial_id")


def design_grid(features: pl.DataFrame) -> pl.DataFrame:
    """Trials x design features with each answer's label and glyph (colour is never the only cue)."""
    return features.with_columns(
        *looks("answer", FEATURE_LOOKS),
    ).sort("feature_no", "trial_id")


def discrepancy_rows(discrepancies: pl.DataFrame) -> pl.DataFrame:
    """Registry against publication, one row per compared aspect, with a short lane label and the verdict's
    words and glyph (the registry's and the publication's full texts stay beside them)."""
    short = pl.col("registry").str.slice(0, 48) + pl.when(pl.col("registry").str.len_chars() > 48).then(
        pl.lit("…")).otherwise(pl.lit(""))
    return discrepancies.with_columns(
        pl.format("{} · {}: {}", "trial_id", "aspect", short).alias("lane"),
        *looks("verdict", VERDICT_LOOKS, symbol=False),
    ).sort("trial_id", "aspect", "registry")
