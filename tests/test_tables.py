"""Tables have fixed columns and dtypes, the committed Parquet is current, and weeks follow the convention."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from trialdata import tables as tables_module
from trialdata.changes import CHANGES
from trialdata.export import read_manifest, read_parquet
from trialdata.load import dataset_version
from trialdata.rows import time_window
from trialdata.schema import Anchor, Cohort, TimePoint, iter_claims
from trialdata.store import ParquetStore, Restricted
from trialdata.tables import TABLES, build_tables, data_dictionary

from .conftest import DATA


@pytest.fixture(scope="module")
def rows_given(trials) -> dict[str, list[dict]]:
    """The rows build_tables hands over for each table, caught on their way: a frame made with a schema
    has the declared columns whatever it is given, and fills a missing key with null, drops an unknown
    one and casts a value of the wrong type (1.5 becomes 1 in an integer column) without a word."""
    caught = {}

    def catching(table, rows):
        caught[table] = rows
        return real(table, rows)

    real = tables_module._frame
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tables_module, "_frame", catching)
        build_tables(trials)
    return caught


@pytest.mark.parametrize("name", list(TABLES))
def test_every_value_the_records_give_reaches_its_declared_column_unchanged(rows_given, tables, name):
    declared = [c.name for c in TABLES[name]]
    rows = rows_given[name]
    assert rows, f"the curated records give no {name} row"
    if name == "dose_context":  # its per-patient numbers are worked out from the rows afterwards (derived columns)
        declared = [c for c in declared if c in rows[0]]
        assert "per_patient" not in declared and "derivation" not in declared
    for row in rows:
        assert set(row) == set(declared), f"not filled: {set(declared) - set(row)}; unknown: {set(row) - set(declared)}"
    built, given = tables[name].select(declared).rows(named=True), [{c: row[c] for c in declared} for row in rows]
    if name == "discrepancies":  # the curated rows, and beside them rows derived from other tables
        assert all(row in built for row in given) and len(built) > len(given)
    else:
        assert built == given


@pytest.mark.parametrize("name", list(TABLES))
def test_the_parquet_on_disk_has_the_declared_columns_and_dtypes(name):
    # what someone reading data/parquet with DuckDB, pandas or R gets, whatever this package builds
    assert pl.read_parquet_schema(DATA / "parquet" / f"{name}.parquet") == {c.name: c.dtype for c in TABLES[name]}


@pytest.mark.parametrize("name", list(TABLES))
def test_committed_parquet_is_current(tables, name):
    # when this fails: run `python -m trialdata build` and commit data/parquet
    assert_frame_equal(read_parquet(DATA / "parquet")[name], tables[name])


def test_parquet_manifest_names_the_current_dataset_version():
    assert read_manifest(DATA / "parquet")["dataset_version"] == dataset_version(DATA)


def test_trials_csv_has_the_promised_columns(tables):
    required = [
        "trial_id", "registry", "title", "conditions", "phase", "status", "target_enrollment",
        "product_type", "cell_source", "donor_type", "routes", "n_administrations", "dose_min", "dose_max",
        "dose_unit", "follow_up_weeks", "follow_up_anchor", "masking", "allocation", "countries", "sponsor",
    ]
    assert set(required) <= set(tables["trials"].columns)


def test_provenance_has_a_row_for_every_claim(trials, tables):
    assert tables["provenance"].height == sum(len(list(iter_claims(t))) for t in trials)
    assert tables["provenance"].filter(pl.col("state") == "reported")["source"].null_count() == 0


def test_conflicting_enrollment_claims_survive_with_their_sources(tables):
    claims = tables["provenance"].filter(
        (pl.col("trial_id") == "NCT06574581") & (pl.col("field") == "enrollment.target"))
    assert claims.select("state", "value", "source").rows() == [
        ("not_reported", None, "medpath"), ("reported", "10", "crick"), ("reported", "16", "meddatax")]
    row = tables["trials"].filter(pl.col("trial_id") == "NCT06574581")
    assert row["target_enrollment"].item() is None
    assert row["target_enrollment_state"].item() == "not_reported"


def test_data_dictionary_describes_every_column():
    dd = data_dictionary()
    assert dd.height == sum(len(cols) for cols in TABLES.values()) + len(CHANGES)
    assert dd["description"].str.len_chars().min() > 5


def _cohort(*weeks):
    adms = [{"number": i + 1, "time": (
        {"state": "reported", "value": {"text": "t", "amount": w, "unit": "weeks", "anchor": "first_dose"},
         "source": "s", "locator": "l"} if w is not None else {"state": "not_reported"})}
        for i, w in enumerate(weeks)]
    return Cohort.model_validate({"label": "c", "participants": {"state": "not_reported"}, "administrations": adms})


@pytest.mark.parametrize(
    "point, cohorts, expected",
    [
        (TimePoint(text="before", anchor=Anchor.BASELINE), [_cohort(0)], (0.0, 0.0)),
        (TimePoint(text="3 m", amount=3, unit="months", anchor="first_dose"), [_cohort(0)],
         (3 * 30.4375 / 7, 3 * 30.4375 / 7)),
        # three sessions two weeks apart, then "4-6 weeks later"
        (TimePoint(text="4-6 w", amount=4, amount_max=6, unit="weeks", anchor="end_of_intervention"),
         [_cohort(0, 2, 4)], (8.0, 10.0)),
        # escalation cohorts whose later infusion times are unknown: a lower bound only
        (TimePoint(text="48 w", amount=48, unit="weeks", anchor="last_dose"),
         [_cohort(0), _cohort(0, None)], (48.0, None)),
        (TimePoint(text="end", amount=1, unit="weeks", anchor="last_dose"), [_cohort(0, None)], (None, None)),
        (TimePoint(text="monthly", anchor="first_dose"), [_cohort(0)], (None, None)),
    ],
)
def test_time_window_in_weeks_since_first_dose(point, cohorts, expected):
    lo, hi = time_window(point, cohorts)
    assert (lo, hi) == pytest.approx(expected) if None not in expected else (lo, hi) == expected


@pytest.mark.parametrize("name", list(TABLES))
def test_built_tables_are_sorted_by_trial_so_a_few_trials_rows_can_be_read_alone(tables, name):
    assert tables[name]["trial_id"].is_sorted()


def test_parquet_tables_read_each_table_when_asked_and_a_few_trials_without_loading_it():
    lazy = ParquetStore(DATA / "parquet")
    whole = read_parquet(DATA / "parquet")
    ids = pl.Series(["IRCT20160809029275N2", "NCT06466850"])
    for name in TABLES:
        expected = whole[name].filter(pl.col("trial_id").is_in(ids.implode()))
        assert_frame_equal(lazy.rows_of(name, ids), expected)
    assert lazy._loaded == {}  # scanned, not loaded
    assert_frame_equal(lazy["outcomes"], whole["outcomes"])
    assert list(lazy._loaded) == ["outcomes"] and sorted(lazy) == sorted(TABLES)
    chosen = Restricted(lazy, ids)["reporting"]
    assert_frame_equal(chosen, whole["reporting"].filter(pl.col("trial_id").is_in(ids.implode())))
    with pytest.raises(KeyError):
        lazy["no_such_table"]


def test_administrations_are_said_per_cohort_and_with_their_routes(tables):
    words = dict(tables["trials"].select("trial_id", "administrations").iter_rows())
    assert words["NCT06574581"] == "by cohort: 1, 2 or 3 (interval not stated)"  # not "unclear"
    assert words["IRCT20160809029275N2"] == "1 (unclear), by 2 routes: intravenous and intrathecal"
    assert words["IRCT20130812014333N184"] == "3"

