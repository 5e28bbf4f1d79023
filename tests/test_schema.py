"""The pydantic models enforce the rules of a reported value; the committed JSON Schema is current."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from trialdata.schema import Dose, Reported, TimeUnit, TrialDate, display, json_schema, to_weeks

from .conftest import DATA


def test_committed_json_schema_is_current():
    committed = json.loads((DATA / "trials.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "run `python -m trialdata build` and commit data/trials.schema.json"


@pytest.mark.parametrize(
    "claim, message",
    [
        ({"state": "reported", "value": 3}, "needs source, locator"),
        ({"state": "not_reported", "value": 0}, "must not carry a value"),
        ({"state": "not_applicable", "value": 1}, "must not carry a value"),
        ({"state": "unclear", "value": 1}, "needs the quote"),
        ({"state": "not_reported", "quote": "x"}, "needs the source"),
        ({"state": "reported", "value": 1, "source": "s", "locator": "l", "colour": 1}, "Extra inputs"),
    ],
)
def test_reported_value_rules(claim, message):
    with pytest.raises(ValidationError, match=message):
        Reported[int].model_validate(claim)


def test_not_reported_may_carry_where_it_was_looked_for():
    r = Reported[int].model_validate({"state": "not_reported", "source": "s", "locator": "l", "quote": "empty"})
    assert r.value is None


@pytest.mark.parametrize("date", ["2024-02-30", "2024-13", "24-01-01", "2024/01/01"])
def test_impossible_or_malformed_dates_are_rejected(date):
    with pytest.raises(ValidationError):
        TrialDate(date=date, type="actual")


def test_date_precision_follows_the_text():
    assert [TrialDate(date=d, type="actual").precision for d in ["2009", "2009-08", "2009-08-19"]] == [
        "year", "month", "day"]


def test_dose_range_must_be_ordered():
    with pytest.raises(ValidationError, match="min is larger"):
        Dose(min=7, max=6, unit="cells", basis="total")


def test_time_convention():
    assert to_weeks(1, TimeUnit.MONTHS) == pytest.approx(30.4375 / 7)
    assert to_weeks(1, TimeUnit.STUDY_DAY) == 0
    assert to_weeks(90, TimeUnit.STUDY_DAY) == pytest.approx(89 / 7)
    assert to_weeks(1, TimeUnit.YEARS) == pytest.approx(365.25 / 7)


def test_display_keeps_units_and_says_yes_no():
    dose = Dose(min=6e6, max=7e6, unit="cells", basis="not_stated")
    assert display(dose) == "6×10⁶-7×10⁶ cells (per administration or total not stated)"
    assert display(False) == "no"
    assert display(None) is None
