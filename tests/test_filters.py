"""Filters: values per trial (unknowns selectable), AND across filters, OR within, URL round trip."""

from __future__ import annotations

import polars as pl

from trialdata.filters import Filters, matching_ids, options, parse_query, to_query, version_notice
from trialdata.store import filtered, restrict

TRIALS = pl.DataFrame({
    "trial_id": ["A", "B", "C"],
    "condition_categories": ["systemic sclerosis; interstitial lung disease", "osteoarthritis", "systemic sclerosis"],
    "product_type": ["exosomes", "exosomes", "cells"], "product_type_state": ["reported"] * 3,
    "cell_source": ["placenta", None, None], "cell_source_state": ["reported", "not_reported", "not_reported"],
    "donor_type": ["allogeneic"] * 3, "donor_type_state": ["unclear", "reported", "reported"],
    "phase": [None, None, "phase_1_2"], "phase_state": ["not_applicable", "not_applicable", "reported"],
    "status": ["recruiting"] * 3, "status_state": ["reported"] * 3,
    "countries": ["Iran", "Iran", "China"], "countries_state": ["reported"] * 3,
    "registry": ["IRCT", "ClinicalTrials.gov", "ClinicalTrials.gov"],
})


def test_options_include_unknown_states_and_split_multi_valued_fields():
    opts = options(TRIALS)
    assert opts["source"] == ["not_reported", "placenta"]
    assert opts["condition"] == ["interstitial lung disease", "osteoarthritis", "systemic sclerosis"]
    assert opts["phase"] == ["not_applicable", "phase_1_2"]


def matching_trials(trials: pl.DataFrame, filters: Filters) -> list[str]:
    return sorted(matching_ids(trials, filters).to_list())


def test_or_within_a_filter_and_across_filters():
    assert matching_trials(TRIALS, Filters.of(condition=["systemic sclerosis"])) == ["A", "C"]
    assert matching_trials(TRIALS, Filters.of(source=["placenta", "not_reported"])) == ["A", "B", "C"]
    assert matching_trials(TRIALS, Filters.of(product=["exosomes"], source=["not_reported"])) == ["B"]
    assert matching_trials(TRIALS, Filters.of(product=["cells"], country=["Iran"])) == []


def test_filtered_restricts_every_table():
    tables = {"trials": TRIALS, "flags": pl.DataFrame({"trial_id": ["A", "B", "B"], "kind": ["typo"] * 3})}
    out = filtered(tables, Filters.of(registry=["IRCT"]))
    assert out["trials"]["trial_id"].to_list() == ["A"] and out["flags"].height == 1
    assert filtered(tables, Filters()) is tables


def test_a_selection_from_a_filtered_view_never_reaches_past_the_filter():
    flags = pl.DataFrame({"trial_id": ["C", "A", "B", "A"], "kind": ["k1", "k2", "k3", "k4"]})
    view = filtered({"trials": TRIALS, "flags": flags}, Filters.of(condition=["systemic sclerosis"]))
    chosen = restrict(view, ["A", "B"])  # B is not in the view
    assert chosen["trials"]["trial_id"].to_list() == ["A"]
    assert chosen["flags"]["kind"].to_list() == ["k2", "k4"]  # row order kept
    assert sorted(chosen) == ["flags", "trials"] and view["flags"]["kind"].to_list() == ["k1", "k2", "k4"]


def test_parse_query_keeps_what_is_valid_and_says_what_was_dropped():
    parsed = parse_query({"product": "exosomes,uranium", "colour": "red", "trial": "B"}, TRIALS,
                         {"trial": ["A", "B", "C"]})
    assert parsed.filters == Filters.of(product=["exosomes"])
    assert parsed.extra == {"trial": "B"}
    assert len(parsed.dropped) == 2 and "uranium" in parsed.dropped[0] and "colour" in parsed.dropped[1]


def test_query_round_trip():
    f = Filters.of(source=["placenta", "not_reported"], registry=["IRCT"])
    assert parse_query(to_query(f), TRIALS).filters == f


def test_parse_query_survives_junk():
    parsed = parse_query({"product": ["", " ,,", "<script>"], "": "x"}, TRIALS)
    assert parsed.filters == Filters() and parsed.dropped


def test_a_link_carries_the_dataset_version_and_a_bad_one_is_dropped():
    f = Filters.of(product=["exosomes"])
    query = to_query(f, "abc123def456")
    assert query["v"] == "abc123def456"
    parsed = parse_query(query, TRIALS)
    assert parsed.version == "abc123def456" and parsed.filters == f and not parsed.dropped
    bad = parse_query({"v": "<script>"}, TRIALS)
    assert bad.version is None and "not a dataset version" in bad.dropped[0]


def test_a_link_made_with_another_version_says_so_and_the_same_version_says_nothing():
    assert version_notice("aaaaaa111111", "bbbbbb222222").startswith(
        "This link was made with dataset version aaaaaa111111; you are viewing version bbbbbb222222.")
    assert version_notice("bbbbbb222222", "bbbbbb222222") is None
    assert version_notice(None, "bbbbbb222222") is None
