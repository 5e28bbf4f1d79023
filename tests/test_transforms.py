"""Each transform against a small expected frame."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from trialdata.columns import in_words
from trialdata.views.dosing import dose_comparability
from trialdata.views.findings import findings_by_trial
from trialdata.views.products import product_counts
from trialdata.views.sample_sizes import enrollment_totals


def trials_frame(**cols) -> pl.DataFrame:
    return pl.DataFrame(cols)


def test_in_words_spells_out_unknowns_and_marks_unclear():
    df = pl.DataFrame({"cell_source": ["bone_marrow", None, "placenta", None],
                       "cell_source_state": ["reported", "not_reported", "unclear", "not_applicable"]})
    assert df.select(in_words(df, "cell_source", mark_unclear=True))["cell_source"].to_list() == [
        "bone marrow", "not reported", "placenta (unclear)", "not applicable"]


def test_enrollment_totals_count_unknowns_apart_instead_of_adding_zero():
    trials = trials_frame(product_type=["cells", "cells", "exosomes", None],
                          target_enrollment=[10, None, 20, 5])
    expected = pl.DataFrame({"product_type": ["cells", "exosomes", "not reported"], "trials": [2, 1, 1],
                             "known_participants": [10, 20, 5], "trials_not_reported": [1, 0, 0]})
    assert_frame_equal(enrollment_totals(trials, "product_type"), expected)


def test_product_counts_keep_not_reported_as_a_category():
    trials = pl.DataFrame({
        "trial_id": ["A", "B", "C"], "product_type": ["cells", "cells", "exosomes"],
        "product_type_state": ["reported"] * 3, "cell_source": [None, None, "placenta"],
        "cell_source_state": ["not_reported", "not_reported", "reported"],
        "donor_type": ["allogeneic", "allogeneic", "allogeneic"],
        "donor_type_state": ["reported", "reported", "unclear"],
    })
    expected = pl.DataFrame({"product_type": ["cells", "exosomes"], "cell_source": ["not reported", "placenta"],
                             "donor_type": ["allogeneic", "allogeneic (unclear)"], "trials": [2, 1],
                             "trial_ids": ["A; B", "C"]})
    assert_frame_equal(product_counts(trials), expected)


def test_dose_comparability_never_converts_units():
    iv = pl.DataFrame({"trial_id": ["A", "B", "C", "D"], "dose": ["1", "1", "6-7", None],
                       "dose_min": [1e6, 1e6, 6e6, None],
                       "dose_max": [1e6, 1e6, 7e6, None], "dose_unit": ["cells/kg", "cells/kg", "cells", None],
                       "dose_basis": ["per_administration", "per_administration", "not_stated", None]})
    out = dose_comparability(iv)
    assert dict(out.select("trial_id", "comparability").rows()) == {
        "A": "comparable within unit", "B": "comparable within unit",
        "C": "basis not stated: not comparable", "D": "no dose reported"}
    assert out.filter(pl.col("trial_id") == "C")["dose_min"].item() == 6e6


def test_findings_by_trial_counts_per_kind():
    flags = pl.DataFrame({"trial_id": ["A", "A", "B"], "kind": ["typo", "typo", "ambiguity"]})
    expected = pl.DataFrame({"trial_id": ["A", "B"], "kind": ["typo", "ambiguity"], "findings": [2, 1]})
    assert_frame_equal(findings_by_trial(flags), expected)


def test_enrollment_totals_are_unknown_when_no_trial_in_the_group_reports_one():
    trials = trials_frame(product_type=["cells", "exosomes"], target_enrollment=[None, 20])
    out = enrollment_totals(trials, "product_type")
    assert out.row(0) == ("cells", 1, None, 1)


def test_sample_size_points_say_how_each_claim_is_drawn(tables):
    from trialdata.views.sample_sizes import sample_size_points

    pts = sample_size_points(tables["provenance"]).filter(pl.col("trial_id") == "NCT06574581")
    drawn = dict(pts.filter(pl.col("measure") == "target").select("source", "plotted_as").rows())
    assert drawn == {"medpath": "label: not reported", "crick": "marker", "meddatax": "marker"}


def test_comparison_table_is_fields_by_trials_and_transposes(tables):
    from trialdata.transforms import comparison_table

    rows = comparison_table(tables["trials"])
    assert rows.columns == ["field", *sorted(tables["trials"]["trial_id"])]
    cols = comparison_table(tables["trials"], fields_as_rows=False)
    assert cols.height == tables["trials"].height and set(rows["field"]) == set(cols.columns[1:])
    assert rows.filter(pl.col("field") == "Dose")["IRCT20130812014333N184"].item() == "not reported"


def test_design_badges_keep_unknown_as_unknown(tables):
    from trialdata.views.design import design_badges

    badges = design_badges(tables["trials"], tables["design_features"])
    row = badges.filter(pl.col("trial_id") == "NCT06574581").row(0, named=True)
    assert row["randomised"] == "not reported"
    # three cohorts one after another, none a comparator: not "no", which would suggest a comparator
    assert row["single_arm"] == "unclear" and row["controlled"] == "unclear"


def test_design_badges_give_the_design_grids_answer(tables):
    from trialdata.views.design import BADGE_FEATURES, design_badges

    badges = design_badges(tables["trials"], tables["design_features"])
    grid = tables["design_features"].filter(pl.col("feature").is_in(list(BADGE_FEATURES.values())))
    for row in badges.iter_rows(named=True):
        for key, feature in BADGE_FEATURES.items():
            answer = grid.filter((pl.col("trial_id") == row["trial_id"]) & (pl.col("feature") == feature))["answer"]
            assert row[key] == answer.item().replace("_", " "), (row["trial_id"], key)
    # "Single Group Assignment" states that there is no control group: said as "no", not implied
    assert badges.filter(pl.col("trial_id") == "NCT00962923")["controlled"].item() == "no"
