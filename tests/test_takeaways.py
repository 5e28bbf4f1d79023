"""A view's takeaway (the lines a slide says beside its chart) claims no more than its frame shows: ties are all
named, a count says what it counts, and a line that does not apply to the trials shown is left out."""

from __future__ import annotations

from trialdata import store, views


def takeaway(key: str, tables) -> list[str]:
    view = views.by_key(key)
    return view.takeaway_lines(view.frame(tables))


def test_ties_are_all_named_never_one_picked_by_spelling(tables, exosome_trials):
    two = store.restrict(tables, ["NCT00962923", "NCT06574581"])
    fewest = two["flags"].group_by("trial_id").len()["len"].min()
    tied = {name: two[name] for name in tables} | {
        "flags": two["flags"].group_by("trial_id", maintain_order=True).head(fewest)}
    assert takeaway("findings", tied)[2] == f"Most findings: NCT00962923 and NCT06574581 ({fewest} each)"
    # every outcome domain of the exosome trials is measured by one trial: none is "most often measured"
    assert takeaway("outcomes", exosome_trials)[2] == "Each domain is measured in 1 trial"


def test_counts_say_what_they_count(tables):
    # NCT06574581's cohorts get 1, 2 and 3 administrations: no participant gets the trial's 6
    assert takeaway("dosing", tables)[:2] == [
        "1–3 planned administrations per participant, by trial or cohort",  # never summed across trials
        "Dose in a registry record: 1 of 5 trials; from a secondary source only: 2; not reported: 2"]
    # one end cannot be placed in weeks, one is only a lower bound: neither is a known end
    # every placed end is counted from a moment the record does not name: none is "exact"
    assert takeaway("follow_up", tables) == ["The ends placed in weeks lie between week 13 and week 52",
                                             "Ends: 3 from an assumed anchor, 1 at least week 48, 1 cannot be placed"]
    lower_bound_only = store.restrict(tables, ["NCT06574581"])  # 48 weeks after the last infusion
    assert takeaway("follow_up", lower_bound_only) == ["No end of follow-up can be placed in weeks",
                                                       "Ends: 1 at least week 48"]
    assert takeaway("sample_sizes", lower_bound_only)[:1] == ["No trial reports a target"]  # said once
    assert not any("1 of 1" in line for line in takeaway("sample_sizes", lower_bound_only))
    # one trial does not report whether it is randomised: not counted as "no"
    assert takeaway("design", tables)[:2] == ["Randomised: 4 no, 1 not reported",
                                              "Registered before enrolment: 2 yes, 1 no, 2 unclear"]


def test_a_line_that_does_not_apply_to_the_trials_shown_is_left_out(tables, exosome_trials):
    assert any("ISCT" in line for line in takeaway("characterisation", tables))
    assert not any("ISCT" in line for line in takeaway("characterisation", exosome_trials))  # cell criteria
    assert any("Kabat" in line for line in takeaway("dose_context", tables))
    exosomes = takeaway("dose_context", exosome_trials)  # no intravenous cell dose: the band compares with nothing
    assert exosomes[0] == "No intravenous cell arm or cohort with a per-kg dose"
    assert not any("Kabat" in line for line in exosomes)
