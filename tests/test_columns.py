"""Tables on screen: human column labels with the data dictionary as help, missing values in words; the CSV
keeps snake_case names and empty cells. And chart labels placed so they never print over each other."""

from __future__ import annotations

import json

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from trialdata import columns, figures, views
from trialdata import transforms as tf
from trialdata.checks import RULES
from trialdata.export import csv_bytes
from trialdata.tables import TABLES

from .conftest import ROOT

STATE_WORDS = {"not reported", "not applicable", "unclear"}


def shown_frames(tables) -> dict[str, pl.DataFrame]:
    """Every frame a page puts in a table: the view frames and their sections, and the other pages' tables."""
    frames = {name: tables[name] for name in TABLES}
    for v in views.VIEWS:
        frames[v.key] = v.frame(tables)
        frames |= {s.csv_name: s.table(tables) for s in v.sections}
    frames |= {"receipts": tf.receipts_view(tables["provenance"]), "curation": tf.curation(tables["trials"]),
               "comparison": tf.comparison_table(tables["trials"])}
    return frames


def test_every_column_shown_has_a_human_label_and_help(tables):
    for name, frame in shown_frames(tables).items():
        for col in frame.columns:
            if name == "comparison" and col != "field":
                continue  # the trial ids heading a transposed comparison explain themselves
            assert "_" not in columns.label(col) and columns.label(col)[0].isupper(), (name, col)
            assert columns.help_text(col, views.column_help()), f"{name}.{col} has no help text"


def test_the_dictionary_gives_the_help_of_table_columns():
    assert columns.help_text("target_enrollment") == next(c.doc for c in TABLES["trials"]
                                                          if c.name == "target_enrollment")
    assert columns.label("target_enrollment_state") == "Target enrollment: state"


def test_a_missing_value_reads_as_its_state_never_empty(tables):
    for name, frame in shown_frames(tables).items():
        shown = columns.readable(frame)
        assert shown.columns == frame.columns and shown.height == frame.height
        assert shown.null_count().sum_horizontal().item() == 0, f"{name} shows an empty cell"
        for col in frame.columns:
            state = columns.state_column(frame, col)
            if state is None or frame[col].null_count() == 0:
                continue
            # where the state says why the value is missing, the cell says it in words
            why = frame.with_row_index().filter(pl.col(col).is_null() & (pl.col(state) != "reported"))
            got = shown.with_row_index().join(why.select("index", pl.col(state).alias("why")), on="index")
            assert (got[col] == got["why"].str.replace_all("_", " ")).all(), (name, col)
            assert set(got[col]) <= STATE_WORDS


def test_unclear_and_not_applicable_are_kept_apart_from_not_reported():
    frame = pl.DataFrame({"dose": [None, None, None, "1e6 cells"],
                          "dose_state": ["unclear", "not_applicable", "not_reported", "reported"],
                          "dose_max": [None, None, None, 2.0], "weeks_max": [None, 1.25, None, None]})
    shown = columns.readable(frame, {"weeks_max": 1})
    assert shown["dose"].to_list() == ["unclear", "not applicable", "not reported", "1e6 cells"]
    assert shown["dose_state"].to_list() == ["unclear", "not applicable", "not reported", "reported"]
    assert shown["dose_max"].to_list() == ["unclear", "not applicable", "not reported", "2"]
    assert shown["weeks_max"].to_list() == ["not applicable", "1.2", "not applicable", "not applicable"]


def test_the_csv_keeps_snake_case_names_and_empty_cells(tables):
    frame = views.by_key("sample_sizes").frame(tables)
    head, *rows = csv_bytes(frame).decode("utf-8-sig").splitlines()
    assert head.split(",") == frame.columns
    assert any(",," in row for row in rows)  # a missing value stays an empty cell in the CSV


@pytest.mark.parametrize("page", ["app_pages/trial_detail.py", "app_pages/data_quality.py", "app_pages/downloads.py"])
def test_a_page_shows_human_headers_with_help_and_words_for_missing_values(page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page(page).run()
    for fold in at.expander:  # open every folded table (its widget id ends with its key, "open-...")
        at.session_state[fold.proto.id.split("-", 2)[2]] = True
    at.run()
    assert not at.exception and at.dataframe
    for df in at.dataframe:
        config = {k: v for k, v in json.loads(df.proto.columns).items() if k != "_index"}  # hidden index
        shown = pl.from_pandas(df.value)
        assert set(config) == set(shown.columns)
        assert all("_" not in c["label"] for c in config.values()), config
        assert all(c.get("help") for c in config.values()), config
        assert shown.null_count().sum_horizontal().item() == 0
        assert not any((shown[c].cast(pl.String) == "None").any() for c in shown.columns)


def test_a_column_is_described_by_the_table_its_frame_comes_from(tables):
    receipts = columns.help_texts(tf.receipts_view(tables["provenance"]).columns)
    assert receipts["quote"].startswith("Verbatim words of the source, with the registry's markup")  # provenance's
    assert "show the words without the markup" in receipts["quote"]  # said once, in the dictionary
    lanes = columns.help_texts(views.by_key("dosing").frame(tables).columns)
    assert lanes["quote" if "quote" in lanes else "time_text"] == "The source's words for the time."


def test_a_quote_is_shown_without_the_registrys_markup_and_kept_with_it_in_the_data(tables):
    frame = tables["provenance"].filter(pl.col("quote").str.contains(r"\*\*", literal=False))
    assert frame.height  # the records hold such quotes ("Target sample size: **15**")
    shown = columns.readable(frame)
    assert not shown["quote"].str.contains(r"\*\*|<br>").any()
    assert "Registration timing: prospective" in set(shown["quote"])
    assert csv_bytes(frame).decode("utf-8-sig").count("**") >= frame.height  # the CSV keeps the verbatim quote


def test_marker_labels_take_turns_above_and_below_and_never_touch():
    lanes, xs = ["a"] * 4 + ["b"], [0.0, 1.0, 2.0, 30.0, 0.0]
    texts, places = figures.marker_labels(lanes, xs, ["#1", "#2", "#3", "#4", "#1"], px_per_unit=12, size=15)
    assert places[:2] == ["top center", "bottom center"]  # 12 px apart: #2 would touch #1 above it
    assert texts == ["#1", "#2", "#3", "#4", "#1"] and places[2] == "top center" and places[4] == "top center"
    crowded, _ = figures.marker_labels(["a"] * 3, [0.0, 0.1, 0.2], ["#1", "#2", "#3"], px_per_unit=12, size=15)
    assert crowded == ["#1", "#2", ""]  # no room left: the third is left to the hover and the table


def test_sample_size_claims_each_get_a_line_of_their_own(tables):
    points = views.sample_sizes.sample_size_points(tables["provenance"])
    _, _, row_y, _ = views.sample_sizes.sample_size_layout(points)
    drawn = points.with_columns(pl.Series("y", row_y, dtype=pl.Float64)).filter(pl.col("y").is_not_null())
    assert drawn["y"].n_unique() == drawn.height  # crick's 10 and meddatax's 16 no longer share a line
    gaps = drawn["y"].sort().diff().drop_nulls()
    assert gaps.min() * views.sample_sizes.PX_PER_UNIT >= 20  # a 14 px label fits between two lines


def test_the_products_chart_gives_every_trial_a_line(tables):
    fig = views.products.products_figure(views.products.product_points(tables["trials"], tables["provenance"]))
    ys = [y for tr in fig.data for y in tr.y]
    assert len(set(ys)) == len(ys) == tables["trials"].height


def test_every_chart_says_in_words_what_it_shows_and_where_its_values_are(tables):
    for v in views.VIEWS:
        frame = v.frame(tables)
        text = figures.text_alternative(v.figure(frame, tables), frame.height)
        assert text.startswith("Chart: ") and f"table below it ({frame.height} rows)" in text
        assert "<br>" not in text


def test_findings_are_told_apart_by_pattern_as_well_as_colour(tables):
    fig = views.findings.findings_figure(views.findings.findings_by_trial(tables["flags"]))
    patterns = [tr.marker.pattern.shape for tr in fig.data]
    assert len(set(patterns)) == len(patterns) == len(fig.data) and all(patterns)


def test_vocabulary_codes_are_shown_as_words_and_the_csv_keeps_the_codes(tables):
    flags = tables["flags"]
    shown = columns.readable(flags)
    assert "source_conflict" in set(flags["kind"]) and "source conflict" in set(shown["kind"])
    trials = columns.readable(tables["trials"])
    assert not any("_" in v for c in ["phase", "routes", "dose_basis", "status"] for v in trials[c])
    assert "source_conflict" in csv_bytes(flags).decode("utf-8-sig")  # the data keeps its codes
    origins = {f"rule:{rule.__name__}" for rule in RULES}  # every rule's findings say in words who found them
    assert not {o for o in shown["origin"] if "rule:" in o or "_" in o}
    assert not {o for o in columns.readable(pl.DataFrame({"origin": sorted(origins)}))["origin"] if "_" in o}


def test_record_field_paths_read_as_words_and_the_csv_keeps_the_paths(tables):
    label = columns.field_label
    assert label("interventions[0].schedule[1].administrations[0].time") == \
        "Intervention 1 · schedule step 2 · administration 1 · time"  # lists count from 1 for a reader
    assert label("eligibility.inclusion[2]") == "Eligibility · inclusion criterion 3"
    assert label("organisations[1].funding_share_percent") == "Organisation 2 · funding share (%)"
    assert label("characterisation.exosomes.ev_markers") == \
        "Product characterisation (exosomes) · ≥ 3 positive protein markers"  # the grid's own item label
    assert label("Target enrollment") == "Target enrollment"  # a label already: left alone
    for table in ["provenance", "flags"]:
        frame = tables[table]
        shown = columns.readable(frame)["field"]
        assert shown.len() == frame.height and not any("_" in f or "[" in f for f in shown), table
    assert "interventions[0].dose" in csv_bytes(tables["provenance"]).decode("utf-8-sig")  # the data keeps paths


def test_a_week_that_cannot_be_given_says_why_on_screen_and_in_the_compact_table(tables):
    """An end of follow-up the record states but that cannot be put in weeks is not "not reported", and an end
    that is only a lower bound has no upper bound (it was "not reported" and "not applicable")."""
    view = views.by_key("follow_up")
    ends = view.frame(tables).filter(pl.col("what") == "end of follow-up")
    for shown, weeks, to_week in [(columns.readable(ends), "weeks", "weeks_max"),
                                  (view.compact(ends), "From week", "To week")]:
        rows = dict(zip(shown["Trial" if "Trial" in shown.columns else "trial_id"],
                        zip(shown[weeks], shown[to_week], strict=True), strict=True))
        assert rows["IRCT20130812014333N184"] == ("cannot be placed", "cannot be placed")
        assert rows["NCT06574581"][1] == "no upper bound"  # 48 weeks after the last infusion: at least week 48
