"""Appraisal: dose in context, results against the registration, whether a result is overdue, design features.
Golden frames written by hand for each new transform, and the WHO ICTRP rule at every pair of date precisions."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from trialdata import store, views
from trialdata.appraisal import (
    derived_discrepancies,
    design_feature_rows,
    registration_answer,
    results_status_row,
    with_reference_weight,
)
from trialdata.checks import registration_timing_disagrees
from trialdata.schema import Reported, TrialDate, on_or_before
from trialdata.tables import TABLES

# --- the WHO ICTRP rule: registered on or before the first enrolment, at whatever precision each date has ------


def d(text: str) -> TrialDate:
    return TrialDate(date=text, type="actual")


@pytest.mark.parametrize("registered, enrolled, expected", [
    ("2022-04-16", "2022-04-18", "yes"),  # day / day
    ("2022-04-18", "2022-04-18", "yes"),  # the same day counts as on or before
    ("2022-04-19", "2022-04-18", "no"),
    ("2009-07-31", "2009-08", "yes"),  # day / month: the day before the month starts
    ("2009-08-19", "2009-08", "unclear"),  # the case of NCT00962923: inside the month
    ("2009-09-01", "2009-08", "no"),
    ("2009-07", "2009-08-01", "yes"),  # month / day
    ("2009-08", "2009-08-19", "unclear"),
    ("2009-08", "2009-07-31", "no"),
    ("2009-07", "2009-08", "yes"),  # month / month
    ("2009-08", "2009-08", "unclear"),
    ("2009-09", "2009-08", "no"),
    ("2008", "2009-01-01", "yes"),  # year / day, year / month, year / year and the reverse
    ("2009", "2009-06-15", "unclear"),
    ("2010", "2009-12", "no"),
    ("2009", "2009-12", "unclear"),
    ("2008", "2009", "yes"),
    ("2009", "2009", "unclear"),
    ("2009-12-31", "2010", "yes"),
    ("2009-12", "2009", "unclear"),
    ("2011", "2010", "no"),
])
def test_prospective_registration_at_every_precision_pair(registered, enrolled, expected):
    assert on_or_before(d(registered), d(enrolled)) == expected


@pytest.mark.parametrize("registered, enrolled", [(None, "2024-08-20"), ("2024-08-20", None), (None, None)])
def test_a_missing_date_leaves_prospective_registration_unclear(registered, enrolled):
    assert on_or_before(registered and d(registered), enrolled and d(enrolled)) == "unclear"


def _registered(trial, said=None, registered=None, start=None):
    """A copy of `trial` with the registry's statement and the two dates given (None: not reported)."""
    def claim(value):
        return (Reported(state="not_reported") if value is None else
                Reported(state="reported", value=value, source=trial.sources[0].id, locator="test"))

    dates = trial.dates.model_copy(update={
        "registration_timing": claim(said),
        "registration": claim(registered and TrialDate(date=registered[0], type=registered[1])),
        "start": claim(start and TrialDate(date=start[0], type=start[1]))})
    return trial.model_copy(update={"dates": dates})


@pytest.mark.parametrize("said, registered, start, answer, check", [
    # a statement decides; the dates are a check beside it
    ("prospective", ("2022-04-16", "actual"), ("2022-04-18", "actual"), "yes", "the dates agree"),
    ("prospective", ("2022-04-19", "actual"), ("2022-04-18", "actual"), "yes", "the dates disagree"),
    ("retrospective", ("2009-08-19", "actual"), ("2009-08", "unlabelled"), "no", "the dates cannot confirm it"),
    ("retrospective", ("2009-07-31", "actual"), ("2009-08", "actual"), "no", "the dates disagree"),
    # an anticipated start never decides, in either direction
    ("prospective", ("2022-04-16", "actual"), ("2022-04-18", "expected"), "yes", "the dates cannot confirm it"),
    (None, ("2022-04-16", "actual"), ("2022-04-18", "expected"), "unclear", "no registry says"),
    (None, ("2022-04-19", "actual"), ("2022-04-18", "expected"), "unclear", "no registry says"),
    # with no statement, the dates decide as far as their precisions allow
    (None, ("2022-04-16", "actual"), ("2022-04-18", "actual"), "yes", "no registry says"),
    (None, ("2022-05", "actual"), ("2022-04-18", "unlabelled"), "no", "no registry says"),
    (None, ("2022-04", "actual"), ("2022-04-18", "actual"), "unclear", "no registry says"),
    (None, None, ("2022-04-18", "actual"), "unclear", "no registry says"),
])
def test_prospective_registration_rests_on_a_registrys_words_and_checks_the_dates(
        trials, said, registered, start, answer, check):
    trial = _registered(trials[0], said, registered, start)
    got, detail = registration_answer(trial)
    assert got == answer and check in detail
    flags = registration_timing_disagrees(trial)
    assert bool(flags) == ("disagree" in check)  # a disagreement is a finding the reader can see
    if flags:
        assert flags[0].field == "dates.registration_timing" and "the dates say otherwise" in flags[0].message


def test_design_features_apply_the_rule_to_the_records(trials):
    rows = {t.trial_id: {r["feature"]: r for r in design_feature_rows(t)} for t in trials}
    rule = "Prospectively registered"
    # ICTRP's own flag decides, though 2009-08-19 against "2009-08" cannot
    assert rows["NCT00962923"][rule]["answer"] == "no"
    assert "ictrp says retrospective" in rows["NCT00962923"][rule]["detail"]
    assert "cannot confirm" in rows["NCT00962923"][rule]["detail"]
    # the registry's own words, not the anticipated start, give "yes"
    assert rows["IRCT20130812014333N184"][rule]["answer"] == "yes"
    assert "Registration timing" in rows["IRCT20130812014333N184"][rule]["detail"]
    assert "anticipated" in rows["IRCT20130812014333N184"][rule]["detail"]  # the actual start is not reported
    assert "Registration timing" in rows["IRCT20130812014333N184"][rule]["receipt"]
    assert rows["NCT06574581"][rule]["answer"] == "unclear"  # no registration date held
    define = rows["NCT06574581"]
    assert [define[f"{item} (SPIRIT-DEFINE)"]["answer"] for item in
            ("Dose levels", "Escalation rule", "Dose-limiting toxicity defined")] == ["yes", "yes", "not_reported"]
    assert rows["NCT00962923"]["Dose levels (SPIRIT-DEFINE)"]["answer"] == "not_applicable"
    assert rows["NCT06574581"]["Target sample size"]["answer"] == "unclear"  # not specified; 10 and 16 elsewhere
    assert all(len(r) == 11 for r in rows.values())  # every feature has an answer for every trial
    # blinded: whom, to what, and that a single arm has no comparator to be blind to
    blinded = rows["IRCT20130812014333N184"]["Blinded (whom, to what)"]
    assert blinded["answer"] == "yes" and "participant, blind to the dose of exosomes" in blinded["detail"]
    assert "no comparator" in blinded["detail"] and "Blinding description" in blinded["receipt"]
    # funding as the record states it, with the private share, and no declared interests
    funding = rows["IRCT20160809029275N2"]["Sponsor or funder named"]
    assert "private sector; 40 % of the funding" in funding["detail"]
    assert funding["detail"].endswith("no statement of interests in the record")
    # the lead sponsor is a named source of support, whether or not its funder type is given
    assert rows["NCT06574581"]["Sponsor or funder named"]["answer"] == "yes"
    named = rows["NCT06574581"]["Sponsor or funder named"]["detail"]
    assert "China Medical University Hospital (lead sponsor)" in named


# --- dose in context -------------------------------------------------------------------------------------


def _doses(**cols) -> pl.DataFrame:
    base = {"trial_id": ["A", "B", "C", "D", "E"], "intervention": [1] * 5, "cohort": ["all"] * 5,
            "cohort_participants": [None] * 5, "product_type": ["cells", "cells", "exosomes", "cells", "cells"],
            "routes": ["intravenous", "intravenous; intrathecal", "intra_articular", "intravenous", "intravenous"],
            "panel": ["intravenous_cells", "other_cells", "vesicles", "intravenous_cells", "intravenous_cells"],
            "dose": ["1×10⁶-2×10⁶ cells/kg (per administration)", "6×10⁶-7×10⁶ cells (not stated)",
                     "2×10⁸ particles (per administration)", None, "2×10⁶ cells/kg (per administration)"],
            "dose_state": ["reported", "reported", "reported", "not_reported", "reported"],
            "dose_min": [1e6, 6e6, 2e8, None, 2e6], "dose_max": [2e6, 7e6, 2e8, None, 2e6],
            "dose_unit": ["cells/kg", "cells", "particles", None, "cells/kg"],
            "dose_basis": ["per_administration", "not_stated", "per_administration", None, "per_administration"],
            "dose_amount": ["1×10⁶-2×10⁶", "6×10⁶-7×10⁶", "2×10⁸", None, "2×10⁶"],
            "n_doses": [3, 1, 2, 1, 2], "n_doses_state": ["reported", "unclear", "reported", "reported", "unclear"]}
    base |= cols
    return pl.DataFrame(base, schema={c.name: c.dtype for c in TABLES["dose_context"] if c.name in base})


def test_per_patient_doses_are_derived_at_the_reference_weight_with_their_arithmetic():
    out = with_reference_weight(_doses().with_columns(pl.lit("r").alias("receipt")), 80)
    expected = pl.DataFrame({
        "trial_id": ["A", "B", "C", "D", "E"],
        "reference_weight_kg": [80.0, None, None, None, 80.0],
        "per_patient_million_min": [80.0, 6.0, None, None, 160.0],
        "per_patient_million_max": [160.0, 7.0, None, None, 160.0],
        "per_patient": ["80-160 million cells per administration (derived: 1×10⁶-2×10⁶ cells/kg × 80 kg)",
                        "6-7 million cells as stated, in all; or 12-14 million if each of the 2 routes gets that "
                        "many (derived: 6-7 × 2)",
                        "not a cell count: 2×10⁸ particles (per administration) (listed with its own unit only)",
                        "not reported",
                        "160 million cells per administration (derived: 2×10⁶ cells/kg × 80 kg)"],
        "total_million_min": [240.0, None, None, None, None],
        "total_million_max": [480.0, None, None, None, None],
        "total": ["240-480 million cells over 3 doses (derived: 80-160 million × 3)",
                  "total not worked out: the dose is per administration or total not stated",
                  None, None, "total not worked out: number of doses unclear"],
        "derived": [True, True, False, False, True],
        "derivation": ["derived: 1×10⁶-2×10⁶ cells/kg × 80 kg = 80-160 million cells per administration; "
                       "derived: total 80-160 million × 3 doses = 240-480 million cells",
                       "derived: 6-7 million × 2 routes = 12-14 million cells (if each route gets the stated amount)",
                       None, None, "derived: 2×10⁶ cells/kg × 80 kg = 160 million cells per administration"],
        "band_applies": [True, False, False, False, True],
        "versus_band": ["within the 70-190 million band; partly within the 100-150 million of the dose-response "
                        "trials (derived at 80 kg)",
                        "no band: part of the dose is given by another route; even all given intravenously, the "
                        "largest reading (14 million) is below the band's floor of 70 million (derived)",
                        "no band: not an intravenous cell dose", "no band: no per-administration dose",
                        "within the 70-190 million band; above the 100-150 million of the dose-response trials "
                        "(derived at 80 kg)"],
    })
    assert_frame_equal(out.select(expected.columns), expected)
    assert out["reference"][0].startswith("Kabat M et al. Stem Cells Transl Med 2020")
    assert out["reference"].str.starts_with("no band").to_list() == [False, True, True, True, False]


def test_the_dose_table_is_built_at_70_kg_and_a_reader_weight_only_changes_derived_numbers(tables):
    built = tables["dose_context"]
    assert set(built["reference_weight_kg"].drop_nulls()) == {70.0}
    assert_frame_equal(with_reference_weight(built), built)  # the table is the transform at its default
    heavier = views.by_key("dose_context").frame(tables, weight_kg=100)
    iv = heavier.filter(pl.col("trial_id") == "NCT00962923").row(0, named=True)
    assert iv["per_patient_million_min"] == 100 and "× 100 kg = 100 million" in iv["derivation"]
    stated = heavier.filter(pl.col("trial_id") == "IRCT20160809029275N2")["per_patient_million_min"].item()
    assert stated == 6.0  # a dose stated in cells does not move with the weight


def test_ev_doses_and_unreported_doses_are_never_drawn_and_the_band_is_on_the_intravenous_panel_only(tables):
    frame = with_reference_weight(pl.concat([
        tables["dose_context"], tables["dose_context"].filter(pl.col("trial_id") == "NCT06466850").with_columns(
            trial_id=pl.lit("NCT09999999"), dose_state=pl.lit("reported"), dose=pl.lit("2×10⁸ particles"),
            dose_min=pl.lit(2e8), dose_max=pl.lit(2e8), dose_unit=pl.lit("particles"),
            dose_basis=pl.lit("per_administration"))]))
    fig = views.dose_context.dose_context_figure(frame)
    drawn = " ".join(str(y) for tr in fig.data for y in tr.y)
    for ev_or_missing in ("IRCT20130812014333N184", "NCT06466850", "NCT09999999"):
        assert ev_or_missing not in drawn
    foot = fig.layout.annotations[-1].text.replace("<br>", " ")
    assert "NCT09999999" in foot and "never share a cell axis" in foot
    assert "NCT06466850 (exosomes): not reported" in foot
    assert {s.yref for s in fig.layout.shapes} == {"y domain"}  # the band belongs to the first (intravenous) panel
    other = [tr for tr in fig.data if tr.yaxis == "y2"]
    assert other and all("IRCT20160809029275N2" in tr.y for tr in other)  # intravenous + intrathecal: no band
    assert fig.layout.xaxis2.matches == "x"  # one cell axis for both panels
    assert any("Kabat M et al." in a.text for a in fig.layout.annotations)


def test_the_dose_slide_keeps_the_band_and_says_which_doses_are_derived_without_the_lane_labels(tables):
    view = views.by_key("dose_context")
    slide = view.restyle_for_slide(views.render(view, tables).figure)
    texts = [a.text for a in slide.layout.annotations]
    assert any("Kabat 2020" in t for t in texts) and any("Intravenous cell doses" in t for t in texts)
    assert not any("million cells per administration" in t for t in texts)  # too long for a slide: in the table
    assert any("derived" in tr.name for tr in slide.data if tr.showlegend is not False)


def test_doses_none_of_which_can_be_drawn_make_no_chart_only_their_table(tables, exosome_trials):
    """An EV dose or a dose not reported is never drawn: with only those, an empty axis with the band would
    look like a finding, so there is no chart (the outputs say why and give the table)."""
    view = views.by_key("dose_context")
    frame = view.frame(exosome_trials)
    assert frame.height == exosome_trials["trials"].height == 2
    assert view.figure(frame, exosome_trials) is None and views.render(view, exosome_trials).figure is None
    assert views.render(view, tables).figure is not None  # with every trial there are cell doses to draw

# --- results against the registration -------------------------------------------------------------------


def test_result_lines_say_what_was_reported_and_keep_words_as_words():
    results = pl.DataFrame({
        "trial_id": ["T", "T"], "result": [2, 1], "baseline": [None, 20.1], "baseline_spread": [None, 3.1],
        "follow_up": [None, 13.8], "follow_up_spread": [None, 10.2], "estimate": [None, "mean"],
        "spread_kind": [None, "not_stated"], "p_value": [None, "< 0.001"],
        "p_value_state": ["not_reported", "reported"], "statement": ["all 3 improved", None]})
    assert views.results.result_lines(results)["summary"].to_list() == [
        "20.1 ± 3.1 → 13.8 ± 10.2 (mean, SD or SE not stated); P < 0.001", "in words: all 3 improved"]


@pytest.mark.parametrize("text_held, silent, verdict", [
    ("full_text", "no result found in the full text held", "registered_not_reported"),
    # a summary's silence shows nothing: the outcome cannot be checked, it is not "unreported"
    ("summary", "cannot be checked: only a summary of the publication is held", "registered_cannot_check"),
])
def test_registry_against_publication_is_derived_from_the_tables(text_held, silent, verdict):
    trials = pl.DataFrame({"trial_id": ["T", "U"], "target_enrollment": [20, 30],
                           "target_enrollment_state": ["reported", "reported"]})
    outcomes = pl.DataFrame({"trial_id": ["T", "T", "T", "U"], "outcome": [1, 2, 3, 1],
                             "kind": ["primary", "secondary", "secondary", "primary"],
                             "measure": ["mRSS", "SF-36", "organ function", "FVC"],
                             "time_frame": ["monthly", None, "3-monthly", "3 months"],
                             "source": ["reg"] * 4, "locator": ["outcomes"] * 4})
    results = pl.DataFrame({"trial_id": ["T", "T", "T"], "outcome": ["mRSS", "CT", "lung function"],
                            "registered_outcome": [1, None, 3], "time_point": ["12 months"] * 3,
                            "group": ["all", "ILD", "ILD"], "n_analysed": [14, 3, 3],
                            "n_analysed_state": ["unclear", "reported", "reported"],
                            "coverage": ["whole", "whole", "part"], "receipt": ["pub · r1", "pub · r2", "pub · r3"]},
                           schema_overrides={"registered_outcome": pl.Int64})
    publications = pl.DataFrame({"trial_id": ["T"], "text_held": [text_held]})
    expected = pl.DataFrame({
        "trial_id": ["T"] * 5, "aspect": ["participants", "outcome", "outcome", "outcome", "outcome"],
        "registry": ["planned (target): 20", "primary outcome 1: mRSS (monthly)",
                     "secondary outcome 2: SF-36 (time frame not reported)",
                     "secondary outcome 3: organ function (3-monthly)", "not among the registered outcomes"],
        "publication": ["14 patients reported (all; how many were analysed is unclear)", "mRSS at 12 months (all)",
                        silent, "lung function at 12 months (ILD)", "CT at 12 months (ILD)"],
        "verdict": ["differs", "registered_reported", verdict, "registered_partly", "reported_not_registered"],
        "origin": ["derived"] * 5,
        "registry_receipt": ["see provenance: enrollment.target", "reg · outcomes", "reg · outcomes",
                             "reg · outcomes", None],
        "publication_receipt": ["pub · r1", "pub · r1", None, "pub · r3", "pub · r2"]})
    out = derived_discrepancies(trials, outcomes, results, publications)  # U has no results: nothing to compare
    assert_frame_equal(out.sort("aspect", "registry", descending=[True, False]),
                       expected.sort("aspect", "registry", descending=[True, False]))


def test_the_held_summary_of_nct00962923_leaves_four_outcomes_unchecked_not_unreported(tables):
    rows = tables["discrepancies"].filter(pl.col("trial_id") == "NCT00962923")
    verdicts = dict(rows.group_by("verdict").len().iter_rows())
    assert verdicts.get("registered_not_reported") is None
    assert verdicts["registered_cannot_check"] == 4 and verdicts["registered_partly"] == 1
    # not registered is not a difference: the registry gives no end of follow-up
    assert rows.filter(pl.col("aspect") == "follow-up")["verdict"].to_list() == ["registry_silent"]


def test_discrepancy_rows_give_each_aspect_a_lane_and_its_verdict_in_words():
    rows = pl.DataFrame({"trial_id": ["T", "T"], "aspect": ["participants", "intervention"],
                         "registry": ["planned (target): 20", "The registry lists one treatment, allogeneic "
                                      "mesenchymal stem cells (AlloMSC); it names no other therapy."],
                         "verdict": ["differs", "registered_cannot_check"]})
    expected = pl.DataFrame({
        "lane": ["T · intervention: The registry lists one treatment, allogeneic mes…",
                 "T · participants: planned (target): 20"],
        "verdict_label": ["registered, cannot be checked (summary held)", "differs"]})
    assert_frame_equal(views.discrepancies.discrepancy_rows(rows).select(expected.columns), expected)


def test_the_discrepancy_chart_shows_both_sides_and_their_sources_on_hover(tables):
    fig = views.discrepancies.discrepancies_figure(views.discrepancies.discrepancy_rows(tables["discrepancies"]))
    assert sum(len(tr.y) for tr in fig.data) == tables["discrepancies"].height
    assert len({(tr.marker.symbol, tr.marker.color) for tr in fig.data}) == len(fig.data)
    hover = " ".join(h for tr in fig.data for h in tr.hovertext).replace("<br>", " ")
    assert "registry: The registry lists one treatment" in hover and "publication source: zhang2017" in hover


def test_the_curated_discrepancies_are_worded_no_stronger_than_the_registry(tables):
    rows = tables["discrepancies"].filter(pl.col("trial_id") == "NCT00962923")
    curated = dict(rows.filter(pl.col("origin") == "curated").select("aspect", "registry").rows())
    assert "alone" not in curated["intervention"] and "lists one treatment" in curated["intervention"]
    assert set(rows["aspect"]) == {"participants", "intervention", "outcome", "follow-up"}
    assert rows.filter(pl.col("aspect") == "participants")["registry"].item() == "planned (target): 20"


def test_results_are_structured_rows_with_receipts(tables):
    results = tables["results"].filter(pl.col("trial_id") == "NCT00962923").sort("result")
    mrss, ild = results.rows(named=True)
    assert (mrss["baseline"], mrss["baseline_spread"], mrss["follow_up"], mrss["follow_up_spread"],
            mrss["p_value"], mrss["registered_outcome"]) == (20.1, 3.1, 13.8, 10.2, "< 0.001", 1)
    assert mrss["spread_kind"] == "not_stated"  # the source gives "+/-" only
    assert ild["baseline"] is None and ild["baseline_state"] == "not_reported"  # words, not numbers
    assert ild["statement"] == "all 3 patients with ILD had improved lung function and CT at 12 months"
    assert all("zhang2017 · Results" in r for r in results["receipt"])
    fig = views.results.results_figure(results)  # the "+/-" is said to be of unstated kind, in hover and axis
    hovers = [h for trace in fig.data for h in trace.hovertext]
    assert all("(± 3.1, SD or SE not stated)" in h or "(± 10.2, SD or SE not stated)" in h for h in hovers)
    assert "SD or SE not stated" in fig.layout.xaxis.title.text and not any("per administration" in h for h in hovers)


# --- is a result overdue? --------------------------------------------------------------------------------


@pytest.mark.parametrize("as_of, passed, months", [
    ("2012-01-31", "yes", 1.0),  # completion "2011-12": from 31 December, the last day it can mean
    ("2011-12-15", "unclear", None),  # inside the stated month
    ("2011-11-30", "no", None),
])
def test_results_status_counts_months_from_the_last_day_the_completion_date_can_mean(trials, as_of, passed, months):
    trial = next(t for t in trials if t.trial_id == "NCT00962923")
    row = results_status_row(trial, as_of)
    assert (row["completion_passed"], row["months_since_completion"]) == (passed, months)
    assert row["derived"] is (months is not None)
    if months:
        assert row["derivation"] == ("derived: completion 2011-12-31 (the last day 2011-12 can mean) to 2012-01-31 "
                                     "= 31 days ÷ 30.4375 = 1 months")
        assert "publication that names the registration" in row["answer"] and "(derived)" in row["answer"]
    assert row["searched"].startswith("Only the sources held in this dataset were searched")
    assert row["completion_type"] == "anticipated" and row["completion_precision"] == "month"


def test_with_no_completion_date_the_answer_says_what_is_known(trials):
    """The IRCT records give no completion date, but mark recruitment complete with an expected end long past."""
    trial = next(t for t in trials if t.trial_id == "IRCT20160809029275N2")
    row = results_status_row(trial, "2026-12-06")
    assert row["answer"].startswith("Cannot tell from a completion date (none is stated)")
    assert "the status reads recruitment complete" in row["answer"]
    assert "anticipated recruitment end (2020-09-22) passed 74.4 months before 2026-12-06 (derived)" in row["answer"]
    assert row["derived"] and row["derivation"] == ("derived: recruitment end 2020-09-22 to 2026-12-06 = 2266 days "
                                                    "÷ 30.4375 = 74.4 months")
    assert row["months_since_completion"] is None and row["completion_passed"] == "not_reported"
    assert "Expected recruitment end date" in row["receipt"] and "Recruitment complete" in row["receipt"]
    # before the expected end has passed, nothing more is known than the missing completion date
    assert results_status_row(trial, "2020-09-01")["answer"] == "Cannot tell: no completion date is stated."


def test_results_status_view_puts_the_trials_with_months_first():
    status = pl.DataFrame({"trial_id": ["A", "B", "C"], "months_since_completion": [None, 3.0, 9.0]})
    assert views.results_status.results_status_view(status)["trial_id"].to_list() == ["B", "C", "A"]


def test_an_overdue_bar_says_its_months_on_short_lines_a_narrow_bar_holds(tables):
    """On one line (about 50 characters) a 1024 px screen's bar shrank its label to about 9 px."""
    view = views.by_key("results_status")
    frame = view.frame(tables)
    unclear = frame.filter(pl.col("months_since_completion").is_not_null()).with_columns(  # a date only implied
        trial_id=pl.lit("X-1"), completion_date_state=pl.lit("unclear"), completion_type=pl.lit("unlabelled"))
    fig = view.figure(pl.concat([frame, unclear]), tables)
    labels = {y: text for trace in fig.data if trace.type == "bar" for y, text in zip(trace.y, trace.text, strict=True)}
    assert all(len(line) <= 30 for text in labels.values() for line in text.split("<br>"))
    assert all("months (derived)" in text for text in labels.values()) and labels["X-1"].endswith("<br>date unclear")


# --- design features ------------------------------------------------------------------------------------


def test_design_grid_gives_every_answer_a_label_and_a_glyph():
    features = pl.DataFrame({"trial_id": ["B", "A", "A"], "feature_no": [1, 2, 1],
                             "feature": ["Randomised", "Controlled", "Randomised"],
                             "answer": ["no", "not_applicable", "unclear"], "detail": ["x"] * 3, "receipt": [None] * 3})
    expected = pl.DataFrame({"trial_id": ["A", "B", "A"], "feature_no": [1, 1, 2],
                             "answer_label": ["unclear", "no", "not applicable"], "symbol": ["?", "✗", "–"]})
    assert_frame_equal(views.design.design_grid(features).select(expected.columns), expected)


def test_design_figure_carries_each_answer_by_colour_and_glyph_with_receipts_on_hover(tables):
    fig = views.design.design_figure(views.design.design_grid(tables["design_features"]))
    assert sum(len(tr.x) for tr in fig.data) == tables["design_features"].height
    looks = {(tr.marker.symbol, tr.marker.color) for tr in fig.data}  # filled or open, and a colour
    assert len({tr.text[0] for tr in fig.data}) == len(looks) == len(fig.data)
    assert "not a risk-of-bias judgement" in fig.layout.title.text
    hover = " ".join(h for tr in fig.data for h in tr.hovertext).replace("<br>", " ")
    assert "source: irct · IRCT registration information &gt; Registration timing" in hover  # escaped receipt


# --- every output: filters apply, the registry carries the views -----------------------------------------


APPRAISAL = ["dose_context", "results", "discrepancies", "results_status", "design_features"]


@pytest.mark.parametrize("name", APPRAISAL)
def test_filters_restrict_the_new_tables(tables, name):
    kept = store.restrict(tables, ["NCT00962923"])[name]
    assert set(kept["trial_id"]) == {"NCT00962923"}
    assert name in TABLES


def test_the_new_views_are_hosted_where_the_issue_asks(tables):
    assert views.by_key("dose_context").host == "dosing"
    assert views.by_key("design").host == "overview"
    assert views.by_key("results_status").host == views.by_key("discrepancies").host == "results"
    assert all(views.render(views.by_key(k), tables) is not None for k in
               ("dose_context", "results", "discrepancies", "results_status", "design"))


def test_a_result_without_a_spread_or_a_follow_up_value_still_says_what_was_reported():
    results = pl.DataFrame({
        "trial_id": ["T", "T"], "result": [1, 2], "baseline": [20.1, 5.0], "baseline_spread": [None, 1.0],
        "follow_up": [13.8, None], "follow_up_spread": [None, None], "estimate": ["mean", None],
        "spread_kind": [None, "sd"], "p_value": [None, None],
        "p_value_state": ["not_reported", "not_reported"], "statement": [None, None]})
    assert views.results.result_lines(results)["summary"].to_list() == [
        "20.1 → 13.8 (mean, no +/- figure); P not reported",
        "5 ± 1 → not reported (estimate not stated, sd); P not reported"]


def test_no_overdue_verdict_and_no_months_from_a_completion_date_the_sources_do_not_label(trials):
    trial = next(t for t in trials if t.trial_id == "NCT06574581")  # "2026-05-30", listed unlabelled
    assert trial.dates.completion.state.value == "unclear"
    row = results_status_row(trial, "2026-11-29")
    assert row["answer"] == "Cannot tell: 2026-05-30 is not labelled as the completion date."
    assert row["completion_passed"] == "unclear"
    assert row["months_since_completion"] is None and row["derived"] is False


def test_the_number_of_doses_of_each_cohort_has_its_own_state(tables):
    cohorts = tables["dose_context"].filter(pl.col("trial_id") == "NCT06574581")
    assert cohorts.select("n_doses", "n_doses_state").rows() == [(1, "reported"), (2, "reported"), (3, "reported")]


def test_an_implied_value_says_unclear_in_the_compact_table(tables):
    shown = views.render(views.by_key("results"), tables).compact
    assert "14 (unclear)" in shown["n analysed"].to_list()  # 14 patients reported; how many analysed is not said
    sizes = views.render(views.by_key("sample_sizes"), tables).compact  # a row's unclear number, not its trial id
    unclear = sizes.filter(pl.col("Participants").str.ends_with("(unclear)"))
    assert unclear.height and not any("unclear" in v for c in ["Trial", "Measure", "Source"] for v in unclear[c])


def test_the_band_is_cited_only_where_it_is_drawn(tables):
    from trialdata.filters import Filters

    view = views.by_key("dose_context")
    for shown, drawn in [(tables, True), (store.filtered(tables, Filters((("registry", ("IRCT",)),))), False)]:
        fig = view.figure(view.frame(shown), shown)
        band = any(s.type == "rect" for s in fig.layout.shapes)  # the shaded band: intravenous cell doses only
        cited = any(str(a.text).startswith("Band:") for a in fig.layout.annotations)
        assert band == cited == drawn  # the IRCT trials' one dose is mixed-route: no band, so no citation
