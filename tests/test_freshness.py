"""A trial's freshness in words: the registry's last update as held, the day the copy was read, data as of, and the
mark when the copy is more than a year old on the day the output is made."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from trialdata.freshness import STALE_AFTER_DAYS, copy_age, record_freshness

AS_OF = "2026-12-06"
STALE = "Not checked against the registry for more than a year"


def row(tables, trial_id: str) -> dict:
    return tables["trials"].filter(pl.col("trial_id") == trial_id).row(0, named=True)


def test_an_irct_record_gives_its_last_update_count_and_the_day_it_was_read(tables):
    trial = row(tables, "IRCT20130812014333N184")
    read = dt.date.fromisoformat(trial["record_read_on"])
    said = record_freshness(trial, AS_OF, read + dt.timedelta(days=30))
    assert said.startswith(f"Record read from the registry on {trial['record_read_on']}; ")
    assert "; the record held shows a last update on 2022-04-16 (update count 0); " in said
    assert said.endswith(f"data as of {AS_OF}.")
    assert STALE not in said and "derived" not in said  # nothing worked out, nothing to mark


def test_a_mirror_rendering_with_no_date_says_so_and_invents_nothing(tables):
    trial = row(tables, "NCT06466850")
    said = record_freshness(trial, AS_OF, dt.date(2030, 1, 1))  # however late: an unknown age is never marked old
    assert said.startswith("Day the record held was read not recorded, so its age is not known; ")
    assert "; no last update is recorded for the record held, a mirror's rendering; " in said
    assert STALE not in said and "update count" not in said and copy_age(trial, dt.date(2030, 1, 1)) == "unknown"
    assert not any(ch.isdigit() for ch in said.split("; data as of")[0])  # no date, no count, no number of days


@pytest.mark.parametrize("days, stale", [(STALE_AFTER_DAYS, False), (STALE_AFTER_DAYS + 1, True)])
def test_a_copy_read_more_than_a_year_before_the_output_is_marked_with_its_derived_age(tables, days, stale):
    trial = row(tables, "IRCT20160809029275N2")
    today = dt.date.fromisoformat(trial["record_read_on"]) + dt.timedelta(days=days)
    said = record_freshness(trial, AS_OF, today)
    assert (STALE in said) is stale
    assert copy_age(trial, today) == ("old" if stale else "recent")
    if stale:  # the mark comes first, so a slide that cuts the line keeps it
        assert said.startswith(f"{STALE}: record read from the registry on {trial['record_read_on']}, {days} days "
                               f"before {today.isoformat()} (derived); ")
    assert said.endswith(f"data as of {AS_OF}.")  # the dataset's date is said, whatever the age


def test_dates_keep_their_precision_and_a_month_read_near_the_year_is_said_to_be_uncertain():
    trial = {"last_update": "2024-06", "last_update_state": "reported", "update_count": None,
             "update_count_state": "not_reported", "record_kind": "registry_mirror", "record_read_on": "2025-12"}
    # 2026-12-15 is 379 days after 1 December 2025 but only 349 after 31 December: the month cannot decide it
    said = record_freshness(trial, AS_OF, dt.date(2026, 12, 15))
    assert "; the record held shows a last update in 2024-06; " in said  # a month stays a month; no count made up
    assert said.startswith("Maybe not checked against the registry for more than a year: record read from the mirror "
                           "in 2025-12, given only to the month (up to 379 days before 2026-12-15, derived); ")
    assert copy_age(trial, dt.date(2026, 12, 15)) == "maybe_old"
    # once even the last day of the month is more than a year back, it is marked
    assert STALE in record_freshness(trial, AS_OF, dt.date(2027, 1, 1))
    # and well inside the year, nothing is said of age
    assert "more than a year" not in record_freshness(trial, AS_OF, dt.date(2026, 6, 1))


@pytest.mark.parametrize("read", ["June 2025", "2025-02-30"])
def test_a_read_date_that_is_not_a_date_is_shown_as_given_and_never_aged(read):
    trial = {"last_update": None, "last_update_state": "not_reported", "record_kind": "registry_record",
             "record_read_on": read}
    said = record_freshness(trial, AS_OF, dt.date(2030, 1, 1))
    assert said.startswith(f'Record read "{read}" (not a date, so its age is not known); ')
    assert "; no last update is recorded for the record held; " in said  # the registry's own page: no mirror remark
    assert STALE not in said


def test_a_last_update_the_record_only_implies_says_unclear():
    trial = {"last_update": "2023-01-05", "last_update_state": "unclear", "update_count": 2,
             "update_count_state": "reported", "record_kind": "registry_record", "record_read_on": None}
    assert "; the record held shows a last update on 2023-01-05 (unclear; update count 2); " in record_freshness(
        trial, AS_OF, dt.date(2026, 12, 6))
