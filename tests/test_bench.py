"""The benchmark's own parts: its synthetic data must stay usable by the app, and its profile summary right."""

import importlib.util

import polars as pl

from tests.browser_support import ROOT
from trialdata import figures, store
from trialdata import transforms as tf
from trialdata.tables import TABLES
from trialdata.vocab import FINDING_COLOURS, STATUS_LOOKS

_spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def test_synthetic_tables_have_the_schema_and_run_through_every_page_transform_and_figure():
    t = bench.synthetic_tables(60)
    assert set(t) == set(TABLES)
    for name, frame in t.items():
        assert frame.schema == pl.Schema({c.name: c.dtype for c in TABLES[name]}), name
    assert all(out is not None for out in bench.page_transforms(t))
    shown = store.restrict(t, t["trials"]["trial_id"].head(25).to_list())
    card = tf.scorecard(shown["reporting"])
    assert card["trial_id"].n_unique() == 25 and card["item_no"].n_unique() == 24
    # values the views know how to draw (an unknown one would silently vanish from the charts)
    assert set(card["status"]) <= set(STATUS_LOOKS)
    assert set(t["flags"]["kind"]) <= set(FINDING_COLOURS)
    figures.scorecard_figure(card)
    figures.findings_figure(tf.findings_by_trial(shown["flags"]))
    fu = tf.follow_up_points(shown["assessments"], shown["trials"])
    figures.dosing_figure(tf.dosing_lanes(shown["administrations"]), tf.week_axis_range(shown["administrations"], fu))


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
