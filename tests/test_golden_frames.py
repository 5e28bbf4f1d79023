"""Golden frames for the transforms behind the views: a few hand-made rows in, the expected frame written out.

The expected values are worked out from the rules (module and function docstrings, the README), not copied
from a run: not reported is labelled, never null or 0; unclear is marked; every row keeps its receipt
('source · locator: "quote"', or "no source: not reported"). Inputs use the tables' own schemas, so the
dtypes are those of the real tables; they do not depend on the curated trials, so a curator adding or
correcting a trial changes nothing here.
"""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from trialdata import tables, views
from trialdata import transforms as tf

STR, INT, FLOAT, BOOL = pl.String, pl.Int64, pl.Float64, pl.Boolean
NO_SOURCE = "no source: not reported"


def rows(table: str, *given: dict) -> pl.DataFrame:
    """Rows of a table with its exact columns and dtypes; columns a row does not name are empty."""
    schema = tables.empty(table).schema
    unknown = {k for row in given for k in row} - set(schema)
    assert not unknown, f"not columns of {table}: {unknown}"
    return pl.DataFrame([{c: row.get(c) for c in schema} for row in given], schema=schema, orient="row")


def expected(schema: dict[str, pl.DataType], *values: tuple) -> pl.DataFrame:
    return pl.DataFrame(list(values), schema=schema, orient="row")


# --- dosing: one lane per trial, or per cohort when a trial has several --------------------------------------


def test_dosing_lanes():
    iv_dose = {"dose": "1×10⁶ cells/kg (per administration)", "dose_state": "reported", "unit": "cells/kg",
               "route": "intravenous", "dose_source": "reg", "dose_locator": "Dose",
               "dose_quote": "1 million cells per kg"}
    administrations = rows(
        "administrations",
        # C: one intra-articular injection, a total dose
        {"trial_id": "C", "cohort": "all participants", "cohort_participants": "knee OA patients", "number": 1,
         "week": 0.0, "week_state": "reported", "time_text": "day 0", "dose": "5×10⁷ cells (total)",
         "dose_state": "reported", "unit": "cells", "route": "intra_articular", "source": "reg",
         "locator": "Intervention", "quote": "one injection", "dose_source": "reg", "dose_locator": "Dose",
         "dose_quote": "50 million cells"},
        # B: two escalation cohorts; the second's participants, dose and route are not reported, its time unclear
        {"trial_id": "B", "cohort": "low dose", "cohort_participants": "subjects 1-3", "number": 1, "week": 0.0,
         "week_state": "reported", "time_text": "day 0", "dose": "1×10⁶ cells (per administration)",
         "dose_state": "reported", "unit": "cells", "route": "intrathecal; intravenous", "source": "reg",
         "locator": "Schedule", "quote": "day 0", "dose_source": "pub", "dose_locator": "Table 1"},
        {"trial_id": "B", "cohort": "high dose", "number": 1, "week": 4.0, "week_state": "unclear",
         "time_text": "about a month later", "dose_state": "not_reported", "source": "reg", "locator": "Schedule",
         "quote": "one month later"},
        # A: one schedule of two infusions, the second at a time the record does not give
        {"trial_id": "A", "cohort": "all participants", "cohort_participants": "single group", "number": 2,
         "week_state": "not_reported", **iv_dose},
        {"trial_id": "A", "cohort": "all participants", "cohort_participants": "single group", "number": 1,
         "week": 0.0, "week_state": "reported", "time_text": "day 0", "source": "reg", "locator": "Intervention",
         "quote": "a single infusion on day 0", **iv_dose},
    )
    a_dose = 'reg · Dose: "1 million cells per kg"'
    want = expected(
        {"trial_id": STR, "lane": STR, "cohort": STR, "number": INT, "week": FLOAT, "week_state": STR,
         "time_text": STR, "dose": STR, "unit": STR, "route": STR, "route_label": STR, "label": STR,
         "time_receipt": STR, "dose_receipt": STR},
        ("A", "A", "all participants", 1, 0.0, "reported", "day 0", "1×10⁶ cells/kg (per administration)",
         "cells/kg", "intravenous", "IV", "#1 1×10⁶ cells/kg, IV", 'reg · Intervention: "a single infusion on day 0"',
         a_dose),
        ("A", "A", "all participants", 2, None, "not_reported", None, "1×10⁶ cells/kg (per administration)",
         "cells/kg", "intravenous", "IV", "#2 1×10⁶ cells/kg, IV", NO_SOURCE, a_dose),
        ("B", "B · high dose (participants not reported)", "high dose", 1, 4.0, "unclear", "about a month later",
         None, None, None, "route not reported", "#1 dose not reported, route not reported",
         'reg · Schedule: "one month later"', NO_SOURCE),
        ("B", "B · low dose (subjects 1-3)", "low dose", 1, 0.0, "reported", "day 0",
         "1×10⁶ cells (per administration)", "cells", "intrathecal; intravenous", "IT; IV", "#1 1×10⁶ cells, IT; IV",
         'reg · Schedule: "day 0"', "pub · Table 1 (secondary source, no quote)"),
        ("C", "C", "all participants", 1, 0.0, "reported", "day 0", "5×10⁷ cells (total)", "cells",
         "intra_articular", "intra-articular", "#1 5×10⁷ cells (total), intra-articular",
         'reg · Intervention: "one injection"', 'reg · Dose: "50 million cells"'),
    )
    assert_frame_equal(views.dosing.dosing_lanes(administrations), want)


# --- follow-up: assessment times and the end of follow-up, in weeks since the first dose ------------------


def test_follow_up_points():
    outcomes_quote = {"source": "reg", "locator": "Outcomes", "quote": "at baseline and 4 weeks"}
    assessments = rows(
        "assessments",
        {"trial_id": "A", "outcome": 1, "measure": "adverse events", "time_text": "4 weeks", "anchor": "first_dose",
         "anchor_stated": True, "weeks": 4.0, "weeks_max": 4.0, **outcomes_quote},
        {"trial_id": "A", "outcome": 1, "measure": "adverse events", "time_text": "baseline", "anchor": "baseline",
         "anchor_stated": True, "weeks": 0.0, "weeks_max": 0.0, **outcomes_quote},
        # taken at the same time as adverse events: one point with both measures and both receipts
        {"trial_id": "A", "outcome": 2, "measure": "VAS pain", "time_text": "4 weeks", "anchor": "first_dose",
         "anchor_stated": True, "weeks": 4.0, "weeks_max": 4.0, "source": "reg", "locator": "Outcomes",
         "quote": "VAS at 4 weeks"},
        # a range: "4-6 weeks after the end" of three sessions two weeks apart
        {"trial_id": "A", "outcome": 3, "measure": "MRI", "time_text": "4-6 weeks after the end",
         "anchor": "end_of_intervention", "anchor_stated": True, "weeks": 8.0, "weeks_max": 10.0, "source": "reg",
         "locator": "Outcomes", "quote": "4-6 weeks after the end of treatment"},
        # a time frame with no time point: kept, not placed
        {"trial_id": "B", "outcome": 1, "measure": "adverse events", "time_text": "monthly", "source": "pub",
         "locator": "Methods"},
    )
    trials = rows(
        "trials",
        # a lower bound: 48 weeks after a last infusion whose time is not known
        {"trial_id": "A", "follow_up_text": "48 weeks after the last infusion", "follow_up_text_state": "reported",
         "follow_up_weeks": 48.0, "follow_up_anchor": "last_dose", "follow_up_anchor_stated": True,
         "follow_up_source": "reg", "follow_up_locator": "Follow-up",
         "follow_up_quote": "followed for 48 weeks after the last infusion"},
        # the record names no anchor: the curator assumed the first dose (12 months = 12 x 30.4375 / 7 weeks)
        {"trial_id": "B", "follow_up_text": "12 months", "follow_up_text_state": "reported",
         "follow_up_weeks": 12 * 30.4375 / 7, "follow_up_weeks_max": 12 * 30.4375 / 7, "follow_up_anchor": "first_dose",
         "follow_up_anchor_stated": False, "follow_up_source": "reg", "follow_up_locator": "Follow-up",
         "follow_up_quote": "12 months"},
        {"trial_id": "C", "follow_up_text_state": "not_reported"},
    )
    want = expected(
        {"trial_id": STR, "what": STR, "text": STR, "measures": STR, "weeks": FLOAT, "weeks_max": FLOAT, "anchor": STR,
         "anchor_stated": BOOL, "receipt": STR, "placement": STR},
        ("A", "assessment", "baseline", "adverse events", 0.0, 0.0, "baseline", True,
         'reg · Outcomes: "at baseline and 4 weeks"', "exact"),
        ("A", "assessment", "4 weeks", "adverse events; VAS pain", 4.0, 4.0, "first dose", True,
         'reg · Outcomes: "at baseline and 4 weeks" | reg · Outcomes: "VAS at 4 weeks"', "exact"),
        ("A", "assessment", "4-6 weeks after the end", "MRI", 8.0, 10.0, "end of intervention", True,
         'reg · Outcomes: "4-6 weeks after the end of treatment"', "range"),
        ("A", "end of follow-up", "48 weeks after the last infusion", None, 48.0, None, "last dose", True,
         'reg · Follow-up: "followed for 48 weeks after the last infusion"', "at least"),
        ("B", "assessment", "monthly", "adverse events", None, None, None, None,
         "pub · Methods (secondary source, no quote)", "cannot be placed"),
        ("B", "end of follow-up", "12 months", None, 52.17857142857143, 52.17857142857143, "first dose", False,
         'reg · Follow-up: "12 months"', "exact"),
        ("C", "end of follow-up", "not reported", None, None, None, None, None, NO_SOURCE, "cannot be placed"),
    )
    assert_frame_equal(views.follow_up.follow_up_points(assessments, trials), want)


# --- outcomes: trial x domain x kind ---------------------------------------------------------------------


def test_outcome_cells():
    outcomes = rows(
        "outcomes",
        {"trial_id": "A", "outcome": 1, "kind": "primary", "domain": "safety", "measure": "adverse events",
         "measure_state": "reported", "method": "CTCAE v5", "method_state": "reported", "time_frame": "6 months",
         "time_frame_state": "reported", "source": "reg", "locator": "Primary outcome",
         "quote": "adverse events at 6 months"},
        {"trial_id": "A", "outcome": 2, "kind": "primary", "domain": "safety", "measure": "serious adverse events",
         "measure_state": "reported", "method_state": "not_reported", "time_frame_state": "not_reported",
         "source": "reg", "locator": "Primary outcome", "quote": "serious adverse events"},
        {"trial_id": "A", "outcome": 3, "kind": "secondary", "domain": "imaging", "measure": "MRI cartilage volume",
         "measure_state": "reported", "method": "3T MRI", "method_state": "reported",
         "time_frame": "baseline and 12 months", "time_frame_state": "reported", "source": "pub",
         "locator": "Methods"},
        {"trial_id": "A", "outcome": 4, "kind": "secondary", "domain": "safety", "measure": "laboratory tests",
         "measure_state": "reported", "method": "blood counts", "method_state": "reported",
         "time_frame": "12 months", "time_frame_state": "reported", "source": "reg",
         "locator": "Secondary outcome", "quote": "laboratory tests"},
        {"trial_id": "B", "outcome": 1, "kind": "primary", "domain": "clinical_score", "measure": "mRSS",
         "measure_state": "reported", "method": "modified Rodnan skin score", "method_state": "reported",
         "time_frame": "24 weeks", "time_frame_state": "reported", "source": "reg", "locator": "Primary outcome",
         "quote": "mRSS at 24 weeks"},
        # an outcome whose measure, method and time frame the record does not give: counted and labelled
        {"trial_id": "B", "outcome": 2, "kind": "primary", "domain": "clinical_score",
         "measure_state": "not_reported", "method_state": "not_reported", "time_frame_state": "not_reported"},
    )
    want = expected(
        {"trial_id": STR, "domain": STR, "kind": STR, "outcomes": INT, "measures": STR, "methods": STR,
         "time_frames": STR, "receipts": STR, "domain_label": STR},
        ("A", "imaging", "secondary", 1, "MRI cartilage volume", "3T MRI", "baseline and 12 months",
         "pub · Methods (secondary source, no quote)", "imaging"),
        ("A", "safety", "primary", 2, "adverse events | serious adverse events", "CTCAE v5 | not reported",
         "6 months | not reported",
         'reg · Primary outcome: "adverse events at 6 months" | reg · Primary outcome: "serious adverse events"',
         "safety"),
        ("A", "safety", "secondary", 1, "laboratory tests", "blood counts", "12 months",
         'reg · Secondary outcome: "laboratory tests"', "safety"),
        ("B", "clinical_score", "primary", 2, "mRSS | not reported", "modified Rodnan skin score | not reported",
         "24 weeks | not reported", f'reg · Primary outcome: "mRSS at 24 weeks" | {NO_SOURCE}', "clinical score"),
    )
    assert_frame_equal(views.outcomes.outcome_cells(outcomes), want)


# --- products: product type, cell source and donor per trial, each with its receipt ------------------------


def test_product_points():
    trials = rows(
        "trials",
        {"trial_id": "A", "origin": "curated", "product_type": "cells", "product_type_state": "reported",
         "cell_source": "bone_marrow", "cell_source_state": "reported", "donor_type": "autologous",
         "donor_type_state": "reported"},
        {"trial_id": "B", "origin": "curated", "product_type": "exosomes", "product_type_state": "reported",
         "cell_source_state": "not_reported", "donor_type": "allogeneic", "donor_type_state": "unclear"},
        # uploaded in a session: a ClinicalTrials.gov record only implies the product
        {"trial_id": "C", "origin": "user-supplied", "product_type": "cells", "product_type_state": "unclear",
         "cell_source": "umbilical_cord", "cell_source_state": "reported", "donor_type_state": "not_reported"},
    )

    def claim(trial, field, state, value, source=None, locator=None, quote=None, claim="headline"):
        return {"trial_id": trial, "field": field, "claim": claim, "state": state, "value": value,
                "source": source, "locator": locator, "quote": quote}

    provenance = rows(
        "provenance",
        claim("A", "phase", "reported", "phase_1", "reg", "Phase", "Phase 1"),
        claim("A", "interventions[0].product_type", "reported", "cells", "reg", "Intervention", "bone marrow MSCs"),
        claim("A", "interventions[0].product_type", "reported", "cells", "pub", "Methods", "MSCs", claim="also"),
        claim("A", "interventions[1].product_type", "reported", "exosomes", "reg", "Arm 2", "exosomes"),
        claim("A", "interventions[0].cell_source", "reported", "bone marrow", "reg", "Intervention",
              "bone marrow MSCs"),
        claim("A", "interventions[0].donor", "reported", "autologous", "reg", "Intervention", "autologous"),
        claim("B", "interventions[0].product_type", "reported", "exosomes", "reg", "Title", "exosomes"),
        claim("B", "interventions[0].cell_source", "not_reported", None),
        claim("B", "interventions[0].donor", "unclear", "allogeneic", "pub", "Methods"),
        claim("C", "interventions[0].product_type", "unclear", "cells", "ctgov", "interventions[0].name",
              "stem cell infusion"),
        claim("C", "interventions[0].cell_source", "reported", "umbilical cord", "ctgov",
              "interventions[0].description", "umbilical cord"),
        claim("C", "interventions[0].donor", "not_reported", None),
    )
    want = expected(
        {"trial_id": STR, "product_type": STR, "cell_source": STR, "donor_type": STR, "product_receipt": STR,
         "source_receipt": STR, "donor_receipt": STR},
        ("A", "cells", "bone marrow", "autologous", 'reg · Intervention: "bone marrow MSCs"',
         'reg · Intervention: "bone marrow MSCs"', 'reg · Intervention: "autologous"'),
        ("C", "cells (unclear)", "umbilical cord", "not reported",
         'ctgov · interventions[0].name: "stem cell infusion"',
         'ctgov · interventions[0].description: "umbilical cord"', NO_SOURCE),
        ("B", "exosomes", "not reported", "allogeneic (unclear)", 'reg · Title: "exosomes"', NO_SOURCE,
         "pub · Methods (secondary source, no quote)"),
    )
    assert_frame_equal(views.products.product_points(trials, provenance), want)


# --- the WHO Trial Registration Data Set scorecard: a label and a symbol for every status ---------------------


def test_scorecard():
    first, size, ipd = "Primary registry and trial identifying number", "Sample size", "IPD sharing statement"
    reporting = rows(
        "reporting",
        {"trial_id": "B", "item_no": 24, "item": ipd, "status": "unclear"},
        {"trial_id": "B", "item_no": 17, "item": size, "status": "secondary_only", "evidence": "sources: pub"},
        {"trial_id": "B", "item_no": 1, "item": first, "status": "in_record"},
        {"trial_id": "A", "item_no": 24, "item": ipd, "status": "not_applicable"},
        {"trial_id": "A", "item_no": 17, "item": size, "status": "not_reported"},
        {"trial_id": "A", "item_no": 9, "item": "Public title", "status": "in_record", "evidence": "sources: reg"},
        {"trial_id": "A", "item_no": 1, "item": first, "status": "in_record"},
    )
    want = expected(  # items in their number's order (9 before 17), then trials
        {"trial_id": STR, "item_no": INT, "item": STR, "status": STR, "evidence": STR, "status_label": STR,
         "symbol": STR, "item_label": STR},
        ("A", 1, first, "in_record", None, "in the registry record", "✓", f"1. {first}"),
        ("B", 1, first, "in_record", None, "in the registry record", "✓", f"1. {first}"),
        ("A", 9, "Public title", "in_record", "sources: reg", "in the registry record", "✓", "9. Public title"),
        ("A", 17, size, "not_reported", None, "not reported", "✗", "17. Sample size"),
        ("B", 17, size, "secondary_only", "sources: pub", "secondary source only", "2°", "17. Sample size"),
        ("A", 24, ipd, "not_applicable", None, "not applicable", "–", "24. IPD sharing statement"),
        ("B", 24, ipd, "unclear", None, "unclear / implied", "?", "24. IPD sharing statement"),
    )
    assert_frame_equal(views.scorecard.scorecard(reporting), want)


# --- the overview's headline numbers -----------------------------------------------------------------------


def overview_trials(*given: tuple) -> pl.DataFrame:
    return rows("trials", *[
        {"trial_id": t, "origin": origin, "registry": registry, "product_type": product,
         "product_type_state": product_state, "condition_categories": conditions, "target_enrollment": target,
         "target_enrollment_state": "reported" if target is not None else "not_reported"}
        for t, origin, registry, product, product_state, conditions, target in given])


def test_headline_numbers_count_unknowns_apart_and_label_them():
    trials = overview_trials(
        ("A", "curated", "IRCT", "cells", "reported", "systemic sclerosis; interstitial lung disease", 10),
        ("B", "curated", "ClinicalTrials.gov", "exosomes", "reported", "osteoarthritis", 20),
        ("C", "curated", "ClinicalTrials.gov", "cells", "reported", "systemic sclerosis", None),
        ("D", "user-supplied", "ClinicalTrials.gov", None, "not_reported", None, 5),
        ("E", "curated", "ClinicalTrials.gov", "cells", "unclear", "osteoarthritis", None),
    )
    assert tf.headline_numbers(trials) == {
        "trials": 5,
        "known_participants": 35,  # 10 + 20 + 5: the two targets not reported are counted apart, not added as 0
        "participants_not_reported": 2,
        "products": {"cells": 2, "cells (unclear)": 1, "exosomes": 1, "not reported": 1},
        "conditions": 3,  # systemic sclerosis, interstitial lung disease, osteoarthritis
        "registries": {"ClinicalTrials.gov": 4, "IRCT": 1},
    }


def test_headline_participants_are_unknown_not_zero_when_no_trial_reports_a_target():
    trials = overview_trials(("C", "curated", "ClinicalTrials.gov", "cells", "reported", "systemic sclerosis", None))
    assert tf.headline_numbers(trials) == {
        "trials": 1, "known_participants": None, "participants_not_reported": 1, "products": {"cells": 1},
        "conditions": 1, "registries": {"ClinicalTrials.gov": 1},
    }
