"""The appraisal tables: dose in context, published results, registry against publication, results status and
design features. Their columns, the rows each record gives, and what is worked out from other tables (doses at
a reference weight, the registry-against-publication rows derived from the outcomes and results)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from trialdata.checks import registration_by_dates, registration_statement
from trialdata.rows import (
    BOOL,
    FLOAT,
    INT,
    STR,
    Column,
    cell,
    cols,
    joined,
    text_of,
    with_state,
)
from trialdata.schema import (
    DAYS_PER_MONTH,
    LABELS,
    Claim,
    DateType,
    State,
    Trial,
    TrialDate,
    date_bounds,
    label,
    on_or_before,
    plain,
    value_text,
)

# --- appraisal: dose in context, published results, registry against publication, results status
# and design features. Every number the dataset did not read in a source is labelled "derived" with its
# arithmetic in a `derivation` column of the same row (tests/test_derived.py scans every table for it).

REFERENCE_WEIGHT_KG = 70.0  # the default reference body weight; the Parquet table dose_context is built with it


@dataclass(frozen=True)
class DoseBand:
    """A published range of per-patient doses (million cells per patient per administration)."""

    low: float
    high: float
    inner_low: float
    inner_high: float
    citation: str
    summary: str


KABAT_2020 = DoseBand(
    70, 190, 100, 150,
    citation="Kabat M et al. Stem Cells Transl Med 2020;9(1):17-27. doi:10.1002/sctm.19-0202",
    summary="minimal effective intravenous dose in 14 of 16 trials with positive results: 70-190 million cells per "
            "patient per dose; 100-150 million in the 4 trials with dose-response data",
)

SEARCHED = ("Only the sources held in this dataset were searched (the registry records and the supplementary facts, "
            "whose addresses the trial files cite); a result posted or published elsewhere would not be seen here.")

DERIVED_DOC = "Derived when `derived` is true (never read in a source); the arithmetic is in `derivation`."

APPRAISAL_TABLES: dict[str, list[Column]] = {
    "dose_context": cols(
        ("trial_id", STR, "Registry id of the trial."),
        ("intervention", INT, "1-based number of the intervention."),
        ("cohort", STR, "Cohort label (its own row: totals differ by cohort)."),
        ("cohort_participants", STR, "Who is in the cohort."),
        ("product_type", STR, "cells or exosomes."),
        ("routes", STR, "Route(s), '; '-separated."),
        ("panel", STR, "intravenous_cells (drawn against the Kabat 2020 band), other_cells (no band) or vesicles "
                       "(listed with their own unit, never on a cell axis)."),
        ("dose", STR, "Dose as reported: amount, unit and basis.", "+state"),
        ("dose_min", FLOAT, "Smallest amount as reported, in dose_unit."),
        ("dose_max", FLOAT, "Largest amount as reported, in dose_unit."),
        ("dose_unit", STR, "Unit as reported; never converted between units."),
        ("dose_basis", STR, "per_administration, per_route_per_administration, total or not_stated."),
        ("dose_amount", STR, "The amount as reported, as text (used in the arithmetic)."),
        ("n_doses", INT, "Administrations in the cohort's schedule.", "+state"),
        ("reference_weight_kg", FLOAT, "Body weight a per-kg dose is multiplied by: 70 kg in the Parquet table and "
                                       "the CSV export (the default); on the page, the weight the reader chose."),
        ("per_patient_million_min", FLOAT, f"Per-patient amount, million cells (lower end): as stated when the dose "
                                           f"is in cells, else from cells/kg. {DERIVED_DOC}"),
        ("per_patient_million_max", FLOAT, f"Per-patient amount, million cells (upper end). {DERIVED_DOC}"),
        ("per_patient", STR, "The per-patient amount in words, with 'derived' and its arithmetic when worked out."),
        ("total_million_min", FLOAT, f"Total over the cohort's doses, million cells (lower end). {DERIVED_DOC}"),
        ("total_million_max", FLOAT, f"Total over the cohort's doses, million cells (upper end). {DERIVED_DOC}"),
        ("total", STR, "The total in words, with 'derived', or why it is not worked out."),
        ("derived", BOOL, "True when a number in this row was worked out here rather than read in a source."),
        ("derivation", STR, "The arithmetic behind every derived number in the row, starting with 'derived:'."),
        ("band_applies", BOOL, "True for an intravenous cell dose per administration (the only kind the band is for)."),
        ("versus_band", STR, "Where the per-patient dose falls against the Kabat 2020 band (derived)."),
        ("reference", STR, "The yardstick used, with its citation, or why there is none."),
        ("receipt", STR, "Source, locator and quote of the dose."),
    ),
    "results": cols(
        ("trial_id", STR, "Registry id of the trial."),
        ("result", INT, "1-based number of the result within the trial."),
        ("source", STR, "Id of the publication (see sources)."),
        ("outcome", STR, "The outcome as the publication names it."),
        ("registered_outcome", INT, "Number of the registered outcome it reports (see outcomes); empty when none."),
        ("time_point", STR, "When it was measured, in the publication's words."),
        ("group", STR, "Who was analysed."),
        ("n_analysed", INT, "Participants analysed.", "+state"),
        ("estimate", STR, "mean, median, count or proportion."),
        ("baseline", FLOAT, "Value before treatment, as reported.", "+state"),
        ("baseline_spread", FLOAT, "The +/- figure given with the baseline value."),
        ("follow_up", FLOAT, "Value at the time point, as reported.", "+state"),
        ("follow_up_spread", FLOAT, "The +/- figure given with the follow-up value."),
        ("spread_kind", STR, "SD, SE, IQR, or not_stated when the source gives only '+/-'."),
        ("p_value", STR, "P value as reported.", "+state"),
        ("statement", STR, "A result given in words only.", "+state"),
        ("coverage", STR, "whole, or part when the result covers only some of the registered outcome's measures or "
                          "a subgroup of its participants."),
        ("receipt", STR, "Source and locators of the values (a secondary source: no quote)."),
        ("note", STR, "Curator's remarks on the values."),
        ("design_context", STR, "What to read beside the effect: whether the trial had a comparator, and any "
                                "co-treatment given with the MSCs (the effect is then not the MSCs' alone)."),
    ),
    "discrepancies": cols(
        ("trial_id", STR, "Registry id of the trial."),
        ("aspect", STR, "What is compared: participants, intervention, outcome, follow-up."),
        ("registry", STR, "What the registry sources give."),
        ("publication", STR, "What the publication reports."),
        ("verdict", STR, "differs; agrees; registry_silent (the registry gives nothing to compare); "
                         "registered_reported (a result is reported for the registered outcome); registered_partly "
                         "(for part of it); registered_not_reported (the full text held reports none); "
                         "registered_cannot_check (only a summary of the publication is held, so its silence "
                         "shows nothing); reported_not_registered."),
        ("origin", STR, "derived (worked out from the tables by a rule) or curated (written by a curator)."),
        ("registry_receipt", STR, "Receipt(s) on the registry side."),
        ("publication_receipt", STR, "Receipt(s) on the publication side."),
    ),
    "results_status": cols(
        ("trial_id", STR, "Registry id of the trial."),
        ("status", STR, "Recruitment status as recorded.", "+state"),
        ("completion_date", STR, "Stated study completion date at its precision.", "+state"),
        ("completion_precision", STR, "day, month or year."),
        ("completion_type", STR, "actual, anticipated or unlabelled in the source."),
        ("data_as_of", STR, "The dataset's data-as-of date (the latest curation check), the day compared against."),
        ("completion_passed", STR, "yes, no or unclear (the date's precision cannot decide), or not_reported."),
        ("results_posted", STR, "Summary results on the registry: yes, no or not_reported (in the sources held)."),
        ("publication_linked", STR, "Publications that name the registration, or 'none found'."),
        ("months_since_completion", FLOAT, f"Months from the last day the completion date can mean to data as of. "
                                           f"{DERIVED_DOC}"),
        ("derived", BOOL, "True when the row holds a worked-out number: months_since_completion, or, where no "
                          "completion date is stated, the months since the recruitment end given in the answer."),
        ("derivation", STR, "The arithmetic behind that number, starting with 'derived:'."),
        ("answer", STR, "Is a result overdue? The facts above in one sentence (no deadline rule is applied)."),
        ("short_answer", STR, "The answer in a few words, as the chart writes it in a trial's lane."),
        ("searched", STR, "Which sources were searched for results (only those in data/sources/)."),
        ("receipt", STR, "Receipt of the completion date (and of the status and recruitment end when the answer "
                         "rests on them)."),
    ),
    "design_features": cols(
        ("trial_id", STR, "Registry id of the trial."),
        ("feature_no", INT, "Order of the feature in the grid."),
        ("feature", STR, "The design feature (a description of the design, not a risk-of-bias judgement)."),
        ("answer", STR, "yes, no, unclear, not_reported or not_applicable."),
        ("detail", STR, "What the answer rests on, in words."),
        ("receipt", STR, "Source, locator and quote of the values behind the answer."),
    ),
}


def _receipt(claim: Claim) -> str | None:
    if claim.source is None:
        return f"no source: {claim.state.value.replace('_', ' ')}" + (f" ({claim.note})" if claim.note else "")
    if claim.quote is None:
        return f"{claim.source} · {claim.locator} (no quote held)"
    return f'{claim.source} · {claim.locator}: "{claim.quote}"'


def _receipts(*claims: Claim) -> str | None:
    return joined([_receipt(c) for c in claims if c.source is not None]) or None


# --- dose in context -----------------------------------------------------------------------------------


def _panel(iv) -> str:
    if iv.product_type.value is not None and iv.product_type.value.value == "exosomes":
        return "vesicles"
    routes = [r.value for r in iv.routes.value or []]
    return "intravenous_cells" if routes == ["intravenous"] else "other_cells"


def dose_context_rows(trial: Trial) -> list[dict]:
    """One row per intervention and cohort: the dose as reported and the number of doses; the per-patient
    numbers are worked out by `with_reference_weight`."""
    rows = []
    for n, iv in enumerate(trial.interventions, 1):
        d = iv.dose.value
        for cohort in iv.schedule:
            # one schedule: the intervention's number of administrations; several cohorts (or no number): the
            # administrations the schedule lists, each with its own receipt
            if len(iv.schedule) == 1 and iv.n_administrations.value:
                n_doses, n_doses_state = iv.n_administrations.value, iv.n_administrations.state.value
            elif cohort.administrations:
                n_doses, n_doses_state = len(cohort.administrations), "reported"
            else:
                n_doses, n_doses_state = None, "not_reported"
            rows.append({
                "trial_id": trial.trial_id, "intervention": n, "cohort": cohort.label,
                "cohort_participants": cell(cohort.participants),
                "product_type": cell(iv.product_type), "routes": text_of(iv.routes), "panel": _panel(iv),
                "dose": text_of(iv.dose), "dose_state": iv.dose.state.value,
                "dose_min": d.min if d else None, "dose_max": d.max if d else None,
                "dose_unit": d.unit.value if d else None, "dose_basis": d.basis.value if d else None,
                "dose_amount": (value_text(d.min) + ("" if d.max == d.min else f"-{value_text(d.max)}")) if d else None,
                "n_doses": n_doses, "n_doses_state": n_doses_state, "receipt": _receipt(iv.dose),
            })
    return rows


def _num(expr: pl.Expr) -> pl.Expr:
    """A number for reading: one decimal at most, none when it is whole (70.0 -> "70")."""
    return expr.round(1).cast(pl.String).str.replace(r"\.0$", "")


def _span(lo: pl.Expr, hi: pl.Expr) -> pl.Expr:
    return pl.when(lo == hi).then(_num(lo)).otherwise(pl.format("{}-{}", _num(lo), _num(hi)))


def _against(lo: pl.Expr, hi: pl.Expr, low: float, high: float, what: str) -> pl.Expr:
    return (pl.when(hi < low).then(pl.lit(f"below {what}"))
            .when(lo > high).then(pl.lit(f"above {what}"))
            .when((lo == low) & (hi == low)).then(pl.lit(f"at the lower edge of {what}"))
            .when((lo == high) & (hi == high)).then(pl.lit(f"at the upper edge of {what}"))
            .when((lo >= low) & (hi <= high)).then(pl.lit(f"within {what}"))
            .otherwise(pl.lit(f"partly within {what}")))


_BASIS_WORDS = {"per_administration": "per administration", "total": "in total",
                "per_route_per_administration": "per route per administration",
                "not_stated": "(per administration or total not stated)"}


def with_reference_weight(doses: pl.DataFrame, weight_kg: float = REFERENCE_WEIGHT_KG) -> pl.DataFrame:
    """The dose_context rows with the per-patient numbers worked out at a reference weight: cells/kg x weight
    (derived), cells as stated; totals (derived) only per administration and with a reported number of doses.
    EV doses and other units are never turned into cells; a dose not reported stays not reported."""
    w = f"{weight_kg:g}"
    cells = pl.col("panel") != "vesicles"
    per_kg = cells & (pl.col("dose_unit") == "cells/kg")
    stated = cells & (pl.col("dose_unit") == "cells")
    # multiply, then divide by a million (1e6 * 100 * 1e-6 is 99.99999999999999; 1e6 * 100 / 1e6 is 100)
    factor = pl.when(per_kg).then(pl.lit(float(weight_kg))).when(stated).then(pl.lit(1.0))
    lo, hi = pl.col("dose_min") * factor / 1e6, pl.col("dose_max") * factor / 1e6
    summable = (pl.col("dose_basis") == "per_administration") & (pl.col("n_doses_state") == "reported")
    # cells given by several routes, one of them intravenous, with no word on whether the amount is per route:
    # both readings are shown (the amount in all, or the amount for each route), and the band is not applied
    n_routes = pl.col("routes").str.split("; ").list.len()
    part_iv = (pl.col("panel") == "other_cells") & pl.col("routes").str.contains("intravenous")
    per_route_unclear = part_iv & (pl.col("dose_basis") == "not_stated") & (n_routes > 1) & lo.is_not_null()
    basis = pl.col("dose_basis").replace_strict(_BASIS_WORDS, default="")
    out = doses.with_columns(
        pl.when(per_kg).then(pl.lit(float(weight_kg))).otherwise(None).alias("reference_weight_kg"),
        lo.alias("per_patient_million_min"), hi.alias("per_patient_million_max"),
        pl.when(summable).then(lo * pl.col("n_doses")).alias("total_million_min"),
        pl.when(summable).then(hi * pl.col("n_doses")).alias("total_million_max"),
    )
    amount = _span(pl.col("per_patient_million_min"), pl.col("per_patient_million_max"))
    total = _span(pl.col("total_million_min"), pl.col("total_million_max"))
    per_kg_arithmetic = pl.format("derived: {} cells/kg × {} kg = {} million cells {}", "dose_amount", pl.lit(w),
                                  amount, basis)
    each_route = _span(lo * n_routes, hi * n_routes)
    per_route_arithmetic = pl.format("derived: {} million × {} routes = {} million cells (if each route gets the "
                                     "stated amount)", amount, n_routes, each_route)
    dose_word = pl.when(pl.col("n_doses") == 1).then(pl.lit("dose")).otherwise(pl.lit("doses"))
    total_arithmetic = pl.format("derived: total {} million × {} {} = {} million cells", amount, "n_doses", dose_word,
                                 total)
    band = KABAT_2020
    applies = (pl.col("panel") == "intravenous_cells") & (pl.col("dose_basis") == "per_administration")
    return out.with_columns(
        pl.when(pl.col("dose_min").is_null()).then(pl.col("dose_state").replace(LABELS))
        .when(per_kg).then(pl.format("{} million cells {} (derived: {} cells/kg × {} kg)", amount, basis,
                                     "dose_amount", pl.lit(w)))
        .when(stated & per_route_unclear).then(pl.format(
            "{} million cells as stated, in all; or {} million if each of the {} routes gets that many (derived: "
            "{} × {})", amount, each_route, n_routes, amount, n_routes))
        .when(stated).then(pl.format("{} million cells, as stated {}", amount, basis))
        .otherwise(pl.format("not a cell count: {} (listed with its own unit only)", "dose"))
        .alias("per_patient"),
        pl.when(pl.col("total_million_min").is_not_null())
        .then(pl.format("{} million cells over {} {} (derived: {} million × {})", total, "n_doses", dose_word, amount,
                        "n_doses"))
        .when(pl.col("per_patient_million_min").is_null()).then(None)
        .when(pl.col("dose_basis") != "per_administration").then(pl.format("total not worked out: the dose is {}",
                                                                            basis.str.strip_chars("()")))
        .otherwise(pl.format("total not worked out: number of doses {}",
                             pl.col("n_doses_state").replace(LABELS)))
        .alias("total"),
        (per_kg & lo.is_not_null() | pl.col("total_million_min").is_not_null() | per_route_unclear).alias("derived"),
        pl.when(per_route_unclear & per_kg).then(pl.format("{}; {}", per_kg_arithmetic, per_route_arithmetic))
        .when(per_route_unclear).then(per_route_arithmetic)
        .when(per_kg & lo.is_not_null() & pl.col("total_million_min").is_not_null())
        .then(pl.format("{}; {}", per_kg_arithmetic, total_arithmetic))
        .when(per_kg & lo.is_not_null()).then(per_kg_arithmetic)
        .when(pl.col("total_million_min").is_not_null()).then(total_arithmetic)
        .alias("derivation"),
        (applies & lo.is_not_null()).alias("band_applies"),
        pl.when(applies & lo.is_not_null()).then(pl.format(
            "{}; {} (derived{})",
            _against(pl.col("per_patient_million_min"), pl.col("per_patient_million_max"), band.low, band.high,
                     f"the {band.low:g}-{band.high:g} million band"),
            _against(pl.col("per_patient_million_min"), pl.col("per_patient_million_max"), band.inner_low,
                     band.inner_high, f"the {band.inner_low:g}-{band.inner_high:g} million of the dose-response "
                                      "trials"),
            pl.when(per_kg).then(pl.lit(f" at {w} kg")).otherwise(pl.lit(""))))
        .when(pl.col("panel") == "intravenous_cells").then(pl.lit("no band: no per-administration dose"))
        .when(part_iv & lo.is_not_null() & (pl.when(per_route_unclear).then(hi * n_routes).otherwise(hi) < band.low))
        .then(pl.format("no band: part of the dose is given by another route; even all given intravenously, the "
                        "largest reading ({} million) is below the band's floor of {} million (derived)",
                        _num(pl.when(per_route_unclear).then(hi * n_routes).otherwise(hi)), pl.lit(f"{band.low:g}")))
        .when(part_iv).then(pl.lit("no band: part of the dose is given by another route"))
        .otherwise(pl.lit("no band: not an intravenous cell dose"))
        .alias("versus_band"),
        pl.when(applies & lo.is_not_null()).then(pl.lit(f"{band.citation}: {band.summary}"))
        .when(pl.col("panel") == "vesicles").then(pl.lit("no band: an EV dose is not a cell dose"))
        .when(pl.col("panel") == "other_cells").then(pl.lit("no band: the Kabat 2020 range is for intravenous cell "
                                                            "doses only"))
        .when(pl.col("dose_min").is_null()).then(pl.lit("no band: dose not reported"))
        .otherwise(pl.lit("no band: the dose is not given per administration"))
        .alias("reference"),
    ).select([c.name for c in APPRAISAL_TABLES["dose_context"]])


# --- published results and the registry ---------------------------------------------------------------


def design_context(trial: Trial) -> str:
    """What a reader must keep beside any effect a trial reports: whether there was a comparator, and whether
    another treatment was given with the MSCs (then the effect is not the MSCs' alone)."""
    d = trial.design
    single = (d.intervention_model.value is not None and d.intervention_model.value.value == "single_group"
              or d.n_arms.value == 1)
    none = d.control.value is not None and d.control.value.value == "none"
    implied = " (implied)" if d.control.state is State.UNCLEAR else ""  # said as the design grid says it
    words = [f"single arm, no comparator{implied}" if single else f"no comparator{implied}" if none else
             f"control: {label(d.control.value.value)}{implied}" if d.control.value else "control not reported"]
    given = [iv.co_therapy for iv in trial.interventions if iv.co_therapy.value]
    if given:
        implied = " (implied)" if all(c.state is State.UNCLEAR for c in given) else ""
        treatments = "; ".join(c.value for c in given if c.value)
        words.append(f"co-treatment given{implied} ({treatments}): not attributable to MSCs alone")
    return "; ".join(words)


def result_rows(trial: Trial) -> list[dict]:
    rows = []
    for n, r in enumerate(trial.results, 1):
        claims: list[Claim[Any]] = [r.n_analysed, r.baseline, r.follow_up, r.p_value, r.statement]
        base, follow = r.baseline.value, r.follow_up.value
        measured = base or follow
        locators = joined([c.locator for c in claims if c.locator])
        rows.append({
            "trial_id": trial.trial_id, "result": n, "source": r.source, "outcome": r.outcome,
            "registered_outcome": r.registered_outcome, "time_point": r.time_point, "group": r.group,
            **with_state("n_analysed", r.n_analysed),
            "estimate": measured.estimate if measured else None,
            "baseline": base.value if base else None, "baseline_state": r.baseline.state.value,
            "baseline_spread": base.spread if base else None,
            "follow_up": follow.value if follow else None, "follow_up_state": r.follow_up.state.value,
            "follow_up_spread": follow.spread if follow else None,
            "spread_kind": measured.spread_kind if measured else None,
            **with_state("p_value", r.p_value), **with_state("statement", r.statement),
            "coverage": r.coverage,
            "receipt": f"{r.source} · {locators} (secondary source: no quote held)" if locators else r.source,
            "note": joined([c.note for c in claims if c.note]), "design_context": design_context(trial),
        })
    return rows


def _quote_refs(refs) -> str:
    return " | ".join(f"{q.source} · {q.locator}" + (f': "{q.quote}"' if q.quote else " (no quote held)")
                      for q in refs)


def curated_discrepancy_rows(trial: Trial) -> list[dict]:
    pubs = {p.source for p in trial.publications} | {r.source for r in trial.results}
    return [{
        "trial_id": trial.trial_id, "aspect": d.aspect, "registry": d.registry, "publication": d.publication,
        "verdict": d.verdict, "origin": "curated",
        "registry_receipt": _quote_refs([q for q in d.quotes if q.source not in pubs]) or None,
        "publication_receipt": _quote_refs([q for q in d.quotes if q.source in pubs]) or None,
    } for d in trial.discrepancies]


def derived_discrepancies(trials: pl.DataFrame, outcomes: pl.DataFrame, results: pl.DataFrame,
                          publications: pl.DataFrame) -> pl.DataFrame:
    """Registry against publication where the tables decide it, for trials with published results: the planned
    sample size against the largest number analysed, and each registered outcome against the results. A
    registered outcome with no result is "not reported" only when a publication's full text is held: the silence
    of a summary shows nothing."""
    with_results = results.select("trial_id").unique()
    summary_only = (publications.group_by("trial_id")
                    .agg((pl.col("text_held") == "summary").all().alias("summary_only")))
    largest = (results.filter(pl.col("n_analysed").is_not_null())
               .sort("n_analysed", descending=True).group_by("trial_id", maintain_order=True).first())
    sizes = largest.join(trials, on="trial_id").select(
        "trial_id", pl.lit("participants").alias("aspect"),
        pl.format("planned (target): {}", pl.coalesce(pl.col("target_enrollment").cast(pl.String),
                                                       pl.col("target_enrollment_state"))).alias("registry"),
        pl.when(pl.col("n_analysed_state") == "unclear")
        .then(pl.format("{} patients reported ({}; how many were analysed is unclear)", "n_analysed", "group"))
        .otherwise(pl.format("{} analysed ({})", "n_analysed", "group")).alias("publication"),
        pl.when(pl.col("target_enrollment").is_null()).then(pl.lit("differs"))
        .when(pl.col("target_enrollment") == pl.col("n_analysed")).then(pl.lit("agrees"))
        .otherwise(pl.lit("differs")).alias("verdict"),
        pl.lit("derived").alias("origin"),
        pl.lit("see provenance: enrollment.target").alias("registry_receipt"),
        pl.col("receipt").alias("publication_receipt"),
    )
    reported = (results.filter(pl.col("registered_outcome").is_not_null())
                .group_by("trial_id", "registered_outcome")
                .agg(pl.format("{} at {} ({})", "outcome", "time_point", "group").str.join("; ").alias("found"),
                     (pl.col("coverage") == "whole").any().alias("whole"),
                     pl.col("receipt").first().alias("publication_receipt")))
    registered = (outcomes.join(with_results, on="trial_id")
                  .join(reported, left_on=["trial_id", "outcome"], right_on=["trial_id", "registered_outcome"],
                        how="left")
                  .join(summary_only, on="trial_id", how="left")
                  .select("trial_id", pl.lit("outcome").alias("aspect"),
                          pl.format("{} outcome {}: {} ({})", "kind", "outcome", pl.col("measure").fill_null("-"),
                                    pl.col("time_frame").fill_null("time frame not reported")).alias("registry"),
                          pl.when(pl.col("found").is_not_null()).then(pl.col("found"))
                          .when(pl.col("summary_only")).then(pl.lit(
                              "cannot be checked: only a summary of the publication is held"))
                          .otherwise(pl.lit("no result found in the full text held")).alias("publication"),
                          pl.when(pl.col("found").is_null() & pl.col("summary_only"))
                          .then(pl.lit("registered_cannot_check"))
                          .when(pl.col("found").is_null()).then(pl.lit("registered_not_reported"))
                          .when(pl.col("whole")).then(pl.lit("registered_reported"))
                          .otherwise(pl.lit("registered_partly")).alias("verdict"),
                          pl.lit("derived").alias("origin"),
                          pl.format("{} · {}", "source", "locator").alias("registry_receipt"),
                          "publication_receipt"))
    unregistered = results.filter(pl.col("registered_outcome").is_null()).select(
        "trial_id", pl.lit("outcome").alias("aspect"), pl.lit("not among the registered outcomes").alias("registry"),
        pl.format("{} at {} ({})", "outcome", "time_point", "group").alias("publication"),
        pl.lit("reported_not_registered").alias("verdict"), pl.lit("derived").alias("origin"),
        pl.lit(None, pl.String).alias("registry_receipt"), pl.col("receipt").alias("publication_receipt"))
    return pl.concat([sizes, registered, unregistered])


# --- is a result overdue? ------------------------------------------------------------------------------


def _months_since(date: TrialDate, as_of: str, what: str) -> tuple[float, str]:
    """Months from the last day `date` can mean to `as_of`, and the arithmetic that says it is derived."""
    last = date_bounds(date)[1]
    days = (date_bounds(TrialDate(date=as_of, type=DateType.ACTUAL))[0] - last).days
    months = round(days / DAYS_PER_MONTH, 1)
    start = f"{last}" if date.precision == "day" else f"{last} (the last day {date.date} can mean)"
    return months, f"derived: {what} {start} to {as_of} = {days} days ÷ 30.4375 = {months:g} months"


def results_status_row(trial: Trial, as_of: str) -> dict:
    done = trial.dates.completion
    date = done.value
    today = TrialDate(date=as_of, type=DateType.ACTUAL)
    passed = on_or_before(date, today) if date else None
    if passed and done.state.value == "unclear":  # the date passed, but is it the completion date? not said
        passed = "unclear"
    months = derivation = None
    if date and passed == "yes" and done.state.value != "unclear":  # no months counted from a date not labelled as one
        months, derivation = _months_since(date, as_of, "completion")
    summary = trial.reporting.summary_results
    posted = label(summary.state.value) if summary.value is None else "yes" if summary.value else "no"
    if summary.source:
        posted += f" ({summary.source})"
    links = [f"{p.source} ({'names the registration' if p.link == 'cites_registration' else 'link unconfirmed'})"
             for p in trial.publications]
    published = any(p.link == "cites_registration" for p in trial.publications)
    kind = {"expected": "anticipated"}.get(date.type.value, date.type.value) if date else None
    when = f"{date.date}, {kind}" + (", unclear" if done.state.value == "unclear" else "") if date else None
    end, status = trial.dates.recruitment_end, trial.status
    # the recruitment end's date, when it is reported and has passed
    ended = (end.value if end.value is not None and end.state.value == "reported"
             and on_or_before(end.value, today) == "yes" else None)
    if date is None and ended:  # no completion date, but what is known: the recruitment end that has passed
        end_months, derivation = _months_since(ended, as_of, "recruitment end")
        end_kind = {"expected": "anticipated"}.get(ended.type.value, ended.type.value)
        marked = f"the status reads {label(status.value.value)}; " if status.value else ""
        short = (f"No completion date stated; the {end_kind} recruitment end passed {end_months:g} months before "
                 f"{as_of} (derived); " + ("results published" if published else "no result found"))
        answer = (f"Cannot tell from a completion date (none is stated), but {marked}the {end_kind} recruitment "
                  f"end ({ended.date}) passed {end_months:g} months before {as_of} (derived), and "
                  + ("a publication that names the registration reports results." if published else
                     f"no result was found on the registry (results posted: {posted}) or in a publication, in the "
                     "sources held."))
    elif date is None:
        answer = "Cannot tell: no completion date is stated."
    elif done.state.value == "unclear":
        answer = f"Cannot tell: {date.date} is not labelled as the completion date."
    elif passed == "no":
        answer = f"Not yet: the completion date ({when}) is after {as_of}."
    elif passed == "unclear":
        answer = f"Cannot tell: the completion date ({when}) cannot be placed before or after {as_of}."
    elif published:
        answer = (f"Completion ({when}) passed {months:g} months before {as_of} (derived); a publication that names "
                  f"the registration reports results; results on the registry: {posted}.")
    else:
        answer = (f"Completion ({when}) passed {months:g} months before {as_of} (derived), and no result was found "
                  f"on the registry (results posted: {posted}) or in a publication, in the sources held.")
    return {
        "trial_id": trial.trial_id, **with_state("status", trial.status),
        "completion_date": date.date if date else None, "completion_date_state": done.state.value,
        "completion_precision": date.precision if date else None, "completion_type": kind, "data_as_of": as_of,
        "completion_passed": passed or "not_reported", "results_posted": posted,
        "publication_linked": "; ".join(links) or "none found", "months_since_completion": months,
        "derived": derivation is not None, "derivation": derivation, "answer": answer,
        "short_answer": short if date is None and ended else answer, "searched": SEARCHED,
        "receipt": _receipts(done, status, end) if date is None and ended else _receipt(done),
    }


# --- design features (a description of the design, not a risk-of-bias judgement) ------------------------


def _answer(claim: Claim, yes: bool | None, detail: str) -> tuple[str, str]:
    """The answer a claim gives: yes / no from the value, or its state when it has none."""
    if claim.state is State.UNCLEAR:
        return "unclear", f"{detail} (implied, not stated)"
    if claim.state is not State.REPORTED or yes is None:
        return claim.state.value, detail
    return ("yes" if yes else "no"), detail


def _others_differ(claim) -> str:
    shown = {label(value_text(c.value)) for c in claim.also if c.value is not None and c.value != claim.value}
    return f"; another claim says {', '.join(sorted(shown))} (see Data quality)" if shown else ""


def registration_answer(trial: Trial) -> tuple[str, str]:
    """Prospective registration: a registry's own statement is the answer and its receipt; the WHO ICTRP rule
    on the dates is a check beside it, and decides only where no registry says."""
    rule, dates = registration_by_dates(trial)
    said, claim = registration_statement(trial), trial.dates.registration_timing
    if said is None:
        return rule, f"no registry says; by the dates (WHO ICTRP rule): {dates}"
    quoted = f' ("{plain(claim.quote)}")' if claim.quote else ""
    word = f"{claim.value} (implied, not stated)" if said == "unclear" else str(claim.value)
    check = ("the dates agree" if rule == said else
             "the dates disagree (see Data quality)" if rule in ("yes", "no") and said in ("yes", "no") else
             "the dates cannot confirm it" if rule == "unclear" else "by the dates")
    return said, f"{claim.source} says {word}{quoted}; {check}: {dates}"


def design_feature_rows(trial: Trial) -> list[dict]:
    d, reg, start = trial.design, trial.dates.registration, trial.dates.start
    single = d.intervention_model.value is not None and d.intervention_model.value.value == "single_group"
    features: list[tuple[str, tuple[str, str], str | None]] = []

    alloc = d.allocation
    if alloc.state is State.NOT_APPLICABLE and single:
        answer = ("no", "single group: allocation does not apply" + _others_differ(alloc))
    else:
        value = alloc.value.value if alloc.value else None
        answer = _answer(alloc, value == "randomized" if value else None,
                         (label(value) if value else label(alloc.state.value)) + _others_differ(alloc))
    features.append(("Randomised", answer, _receipts(alloc, *alloc.also)))

    ctrl = d.control
    value = ctrl.value.value if ctrl.value else None
    no_control = value == "none"
    features.append(("Controlled", _answer(ctrl, not no_control if value else None,
                                           "no control group" if no_control else
                                           f"control: {label(value)}" if value else label(ctrl.state.value)),
                     _receipts(ctrl)))

    model, arms = d.intervention_model, d.n_arms
    kind = model.value.value if model.value else None
    cohorts = trial.interventions[0].schedule
    single_arm: bool | None  # None: the record cannot say
    if kind == "single_group" or arms.value == 1:
        claim, single_arm = (model if kind == "single_group" else arms), True
        arm = "one group" + ("; no comparator" if no_control else "")
    elif kind == "sequential":
        claim, single_arm = model, False
        arm = f"{len(cohorts)} cohorts one after another" + (", none a comparator" if value == "none" else "")
    else:
        claim, single_arm = model, (None if kind is None else False)
        arm = label(kind) if kind else label(model.state.value)
    features.append(("Single arm", _answer(claim, single_arm, arm), _receipts(claim)))

    mask, roles, to = d.masking, d.masked_roles, d.masked_to
    value = mask.value.value if mask.value else None
    whom = text_of(roles) if roles.value else label(roles.state.value)
    detail = ("open label" if value == "none" else
              f"{label(value)} blind: {whom}" + (f", blind to {to.value}" if to.value else "")
              + ("; single arm, no comparator" if no_control and single_arm else "") if value
              else label(mask.state.value))
    features.append(("Blinded (whom, to what)", _answer(mask, value != "none" if value else None, detail),
                     _receipts(mask, roles, to)))

    features.append(("Prospectively registered", registration_answer(trial),
                     _receipts(trial.dates.registration_timing, reg, start)))

    target = trial.enrollment.target
    others = [f"{c.value} ({c.source})" for c in target.also if c.value is not None]
    if target.value is not None:
        answer = ("yes", f"{target.value} ({target.source})" + _others_differ(target))
    elif others:
        answer = ("unclear", f"{label(target.state.value)} in the record; other sources give " + ", ".join(others))
    else:
        answer = (target.state.value, label(target.state.value))
    features.append(("Target sample size", answer, _receipts(target, *target.also)))

    orgs = [o for o in trial.organisations if o.name.value is not None]
    role_words = {"lead_sponsor": "lead sponsor", "sponsor": "sponsor", "funder": "funder"}
    funded = "; ".join(
        f"{cell(o.name)} (" + "; ".join(w for w in (
            role_words[o.role] + (", implied" if o.name.state is State.UNCLEAR else ""),
            o.funder_type.value is not None and f"funder type: {text_of(o.funder_type)}",
            o.sector.value is not None and f"{text_of(o.sector)} sector",
            o.funding_share_percent.value is not None and f"{o.funding_share_percent.value:g} % of the funding")
            if w) + ")"
        for o in orgs)
    named = "yes" if any(o.name.state is State.REPORTED for o in orgs) else "unclear" if orgs else "not_reported"
    # interests are a separate question the registries do not ask: said beside the answer, never answered yes
    features.append(("Sponsor or funder named", (named, (funded or "no sponsor or funder named")
                                              + "; no statement of interests in the record"),
                     _receipts(*[c for o in orgs for c in (o.name, o.funder_type, o.sector,
                                                          o.funding_share_percent)])))

    primary = [o for o in trial.outcomes if o.kind.value == "primary"]
    timed = [o for o in primary if o.time_frame.value]
    listed = "; ".join(f"{cell(o.measure) or '-'} ({cell(o.time_frame) or 'no time frame'})" for o in primary)
    secondary = {s.id for s in trial.sources if s.role.value == "secondary"}
    if primary and all(o.measure.source in secondary for o in primary):  # the registry record held lists none
        listed = f"from secondary sources only: {listed}"
    answer = (("not_reported", "no primary outcome") if not primary else ("yes", listed) if len(timed) == len(primary)
              else ("unclear", listed) if timed else ("no", listed))
    features.append(("Primary outcome with a time frame", answer, _receipts(*[o.time_frame for o in primary])))

    define = trial.dose_finding
    for name, attr in [("Dose levels (SPIRIT-DEFINE)", "dose_levels"),
                       ("Escalation rule (SPIRIT-DEFINE)", "escalation_rule"),
                       ("Dose-limiting toxicity defined (SPIRIT-DEFINE)", "dlt_defined")]:
        if define is None:
            features.append((name, ("not_applicable", "not a dose-finding design"), None))
            continue
        claim = getattr(define, attr)
        value = claim.value
        yes = (value if isinstance(value, bool) else True) if value is not None else None
        detail = (value_text(value) if value is not None and not isinstance(value, bool) else
                  label(claim.state.value) if value is None else value_text(value))
        features.append((name, _answer(claim, yes, detail + (f" — {claim.note}" if claim.note else "")),
                         _receipts(claim)))

    return [{"trial_id": trial.trial_id, "feature_no": i, "feature": name, "answer": answer, "detail": detail,
             "receipt": receipt} for i, (name, (answer, detail), receipt) in enumerate(features, 1)]


# --- how the appraisal tables are built ------------------------------------------------------------------


def appraisal_rows(trials: list[Trial]) -> dict[str, list[dict]]:
    """Rows of the appraisal tables built from the records (data as of = the latest curation check, as in the
    Parquet manifest)."""
    as_of = max((t.curation.checked_on for t in trials), default="1970-01-01")
    return {
        "dose_context": [r for t in trials for r in dose_context_rows(t)],
        "results": [r for t in trials for r in result_rows(t)],
        "discrepancies": [r for t in trials for r in curated_discrepancy_rows(t)],
        "results_status": [results_status_row(t, as_of) for t in trials],
        "design_features": [r for t in trials for r in design_feature_rows(t)],
    }


def appraisal_frames(frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The appraisal tables that are worked out from other tables: doses at the default weight, and the derived
    registry-against-publication rows beside the curated ones."""
    derived = derived_discrepancies(frames["trials"], frames["outcomes"], frames["results"], frames["publications"])
    return {
        "dose_context": with_reference_weight(frames["dose_context"]),
        "discrepancies": pl.concat([frames["discrepancies"], derived.cast(frames["discrepancies"].schema)])
        .sort("trial_id", pl.col("origin") == "curated", "aspect", maintain_order=True),
    }
