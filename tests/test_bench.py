"""The benchmark's own parts: its synthetic data must stay usable by the app, and its profile summary right."""

import importlib.util

import polars as pl
import pytest

from tests.browser_support import ROOT
from trialdata import transforms as tf
from trialdata import views
from trialdata.tables import TABLES

_spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


@pytest.fixture(scope="module")
def synthetic():
    """60 synthetic trials, and the 25 a per-trial view would draw (as the pages bound their selection)."""
    t = bench.synthetic_tables(60)
    ids = t["trials"]["trial_id"].sort().head(25).implode()
    return t, {name: frame.filter(pl.col("trial_id").is_in(ids)) for name, frame in t.items()}


def test_synthetic_rows_belong_to_synthetic_trials_and_every_table_is_there(synthetic):
    t, _ = synthetic
    assert set(t) == set(TABLES)
    ids = set(t["trials"]["trial_id"])
    assert len(ids) == t["trials"].height == 60
    for name, frame in t.items():
        assert set(frame["trial_id"]) <= ids, name
    # every trial reports on each of the 24 WHO items once, as real ones do
    assert t["reporting"].group_by("trial_id").agg(pl.col("item_no").sort()).filter(
        pl.col("item_no") != list(range(1, 25))).is_empty()


def test_synthetic_data_has_the_unknowns_the_views_must_handle(synthetic):
    t, _ = synthetic
    trials = t["trials"]
    assert trials["target_enrollment"].null_count() > 0 and trials["product_type"].null_count() > 0
    assert {"reported", "not_reported", "unclear"} <= set(trials["cell_source_state"])


def test_the_overview_numbers_add_up_on_synthetic_data(synthetic):
    t, _ = synthetic
    n = tf.headline_numbers(t["trials"])
    known = t["trials"]["target_enrollment"].drop_nulls()
    assert n["trials"] == sum(n["products"].values()) == sum(n["registries"].values()) == 60
    assert n["known_participants"] == known.sum() and n["participants_not_reported"] == 60 - known.len()
    assert "not reported" in n["products"] and None not in n["products"]


def test_each_per_trial_view_keeps_every_row_of_the_selection(synthetic):
    _, shown = synthetic
    lanes = views.dosing.dosing_lanes(shown["administrations"])
    assert lanes.height == shown["administrations"].height and lanes["lane"].null_count() == 0
    assert lanes.select("trial_id", "cohort", "number").is_unique().all()

    cells = views.outcomes.outcome_cells(shown["outcomes"])
    assert cells["outcomes"].sum() == shown["outcomes"].height
    assert cells.select("trial_id", "domain", "kind").is_unique().all()

    fu = views.follow_up.follow_up_points(shown["assessments"], shown["trials"])
    ends = fu.filter(pl.col("what") == "end of follow-up")
    assert sorted(ends["trial_id"]) == sorted(shown["trials"]["trial_id"])  # one end of follow-up per trial
    assert (fu["placement"] == "cannot be placed").to_list() == fu["weeks"].is_null().to_list()

    products = views.products.product_points(shown["trials"], shown["provenance"])
    assert sorted(products["trial_id"]) == sorted(shown["trials"]["trial_id"])
    assert products.null_count().row(0) == (0,) * products.width  # labels for unknowns, a receipt for each

    card = views.scorecard.scorecard(shown["reporting"])
    assert card.height == 25 * 24 and "?" not in card["status_label"]  # every status the generator uses is known


def test_each_figure_draws_every_mark_of_its_frame(synthetic):
    _, shown = synthetic
    card = views.scorecard.scorecard(shown["reporting"])
    assert sum(len(tr.x) for tr in views.scorecard.scorecard_figure(card).data) == card.height
    counts = views.findings.findings_by_trial(shown["flags"])
    assert sum(sum(tr.x) for tr in views.findings.findings_figure(counts).data) == shown["flags"].height
    lanes = views.dosing.dosing_lanes(shown["administrations"])
    fu = views.follow_up.follow_up_points(shown["assessments"], shown["trials"])
    dosing = views.dosing.dosing_figure(lanes, views.follow_up.week_axis_range(shown["administrations"], fu))
    assert sum(len(tr.x) for tr in dosing.data) == lanes["week"].count()


SCRIPT = ("run (threading.py:1);exec_func_with_error_handling (streamlit/runtime/scriptrunner/exec_code.py:136);"
          "<module> (app.py:30)")


def test_profile_summary_counts_our_functions_once_per_sample_and_the_library_below_them():
    lines = [
        f"{SCRIPT};<module> (data_quality.py:16);dosing_figure (trialdata/figures.py:150);"
        "__init__ (plotly/graph_objs/_figure.py:8);validate (_plotly_utils/basevalidators.py:1) 6",
        # recursion: our function twice on one stack still counts once
        f"{SCRIPT};<module> (data_quality.py:16);restrict (trialdata/store.py:9);restrict (trialdata/store.py:9);"
        "filter (polars/dataframe/frame.py:5471) 3",
        f"{SCRIPT};<module> (data_quality.py:16) 1",  # in the page itself: no library below
        "run (threading.py:1);handle (tornado/web.py:1) 50",  # another thread: not the script run
    ]
    total, ours, below = bench.summarise_stacks(lines)
    assert total == 10
    assert ours == {"app.py:<module>": 10, "app_pages/data_quality.py:<module>": 10,
                    "trialdata/figures.py:dosing_figure": 6, "trialdata/store.py:restrict": 3}
    assert below == {"plotly": 6, "polars": 3}


def test_browser_summary_reports_the_target_keys_from_paired_samples():
    runs = {"overview": [2000, 2200, 2100, 1900, 2050], "dosing": [1500, 1400, 1600, 1450, 1550],
            "bare": [1000, 1100, 1050, 950, 1000, 1020, 1080, 990, 1010, 1060],
            "bare_in_our_shell": [1200] * 10}
    paired = {"overview": [2.0, 2.2, 2.1, 1.9, 2.05], "dosing": [1.5, 1.4, 1.6, 1.45, 1.55],
              "bare_in_our_shell": [1.2, 1.1, 1.15, 1.2, 1.25, 1.2, 1.1, 1.15, 1.2, 1.3]}
    first_chart = {"dosing": [700, 900, 800, 750, 850]}
    # per round, the turns kept: (ms, ms until the rerun began) on our page, on the bare page and on it with a
    # chart that follows the filters; the second round lost a turn too quick to time, the third lost all
    rounds = [[(620, 500), (700, 500), (450, 600)], [(1000, 500), (800, 400)], []]
    changes = [[((ours, 150), (bare, 140), (bare * 1.25, 140)) for ours, bare in turns] for turns in rounds]
    out = bench.browser_summary(runs, paired, first_chart, {}, changes)
    assert out["ratio_by_page"] == {"overview": 2.05, "dosing": 1.5}
    assert out["ratio"] == 1.77 and out["ratio_worst_page"] == 2.05  # the median page of two
    assert out["ratio_range_by_page"]["dosing"] == [1.4, 1.6] and out["rounds"] == 5
    assert out["first_chart_ms"] == {"dosing": 800}  # pages without a chart have no entry
    assert out["first_chart_ms"]["dosing"] < out["pages_ms"]["dosing"] == 1500
    # the turns' ratios are 1.24, 1.4, 0.75, 2, 2: their median, not that of the ms (700 / 500); the range is
    # that of the rounds' medians (1.24 and 2), the empty round has none
    assert out["filter_change_ratio"] == 1.4 and out["filter_change_ratio_range"] == [1.24, 2.0]
    assert out["filter_change_ms"] == 700 and out["filter_change_bare_in_our_shell_ms"] == 500
    assert out["filter_change_until_rerun_began_ms"] == 150 and out["filter_change_turns"] == 5
    assert out["filter_change_bare_redrawing_ms"] == 625 and out["filter_change_over_bare_redrawing"] == 1.12
    assert out["filter_change_redrawing_floor"] == 1.25  # the redrawing bare page over the bare page, per turn
    assert out["shell_ratio"] == 1.2 and out["bare_ms_range"] == [950, 1100]
    assert "three_more_tables_add_ms" not in out  # only when the element costs were measured


def test_browser_summary_says_so_when_no_filter_change_could_be_timed():
    """--quick times one turn; a change too quick to see leaves none, which once crashed the whole run."""
    runs = {"overview": [2000], "bare": [1000], "bare_in_our_shell": [1200]}
    paired = {"overview": [2.0], "bare_in_our_shell": [1.2]}
    out = bench.browser_summary(runs, paired, {}, {}, [[]])
    assert out["filter_change_turns"] == 0 and "filter_change_ratio" not in out and out["ratio"] == 2.0


def test_the_committed_bench_run_has_every_target_key_with_sane_values():
    import json

    b = json.loads((ROOT / "docs" / "bench-latest.json").read_text())["browser"]  # a new full run overwrites it
    assert b["rounds"] >= 5 and set(b["ratio_by_page"]) <= set(bench.URLS)
    assert 0.5 < b["ratio"] < 5 and b["ratio"] <= b["ratio_worst_page"]
    assert 0.5 < b["filter_change_ratio"] < 5 and 0.5 < b["filter_change_over_bare_redrawing"] < 5
    assert 0.5 < b["filter_change_redrawing_floor"] < 5
    low, high = b["filter_change_ratio_range"]  # every round's ratio, sane
    assert 0.3 < low <= high < 10 and 0 < b["next_slide_ms"] < 10_000
    assert b["first_chart_ms"] and set(b["first_chart_ms"]) <= {p for p in bench.URLS if bench.CHARTS.get(p)}
    assert all(0 < ms <= b["pages_ms"][p] for p, ms in b["first_chart_ms"].items())  # medians of paired samples


def test_a_bench_script_edit_that_finds_nothing_to_replace_is_an_error():
    assert bench._edited("a b", ("b", "c")) == "a c"
    with pytest.raises(ValueError, match="not found"):
        bench._edited(bench.SHELL, ("sidebar_filters(page.url_path)\n", "x\n"), ("not in the script", "y"))
