"""The pydantic models enforce the rules of a reported value; the committed JSON Schema is current."""

from __future__ import annotations

import json

import pytest
import yaml
from pydantic import ValidationError

from trialdata import standards
from trialdata.schema import (
    Dose,
    ProductType,
    Reported,
    State,
    TimeUnit,
    Trial,
    TrialDate,
    display,
    json_schema,
    to_weeks,
)

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


# --- the characterisation block: every item of the catalogue that fits the product, and no other ----------------

EXAMPLE = DATA.parent / "tests" / "examples" / "valid_minimal.yaml"  # a cell product


def _with_characterisation(block: dict) -> dict:
    record = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return {**record, "characterisation": block}


def _all_not_reported(product: ProductType) -> dict:
    return {item.id: {"state": "not_reported"} for item in standards.items_of(product)}


def test_a_complete_block_for_the_product_given_validates():
    trial = Trial.model_validate(_with_characterisation({"cells": _all_not_reported(ProductType.CELLS)}))
    assert trial.characterisation.cells.viability.state is State.NOT_REPORTED
    assert trial.characterisation.exosomes is None


@pytest.mark.parametrize("change, where, message", [
    (lambda b: b["cells"].pop("viability"), ("characterisation", "cells", "viability"), "Field required"),
    (lambda b: b["cells"].update(ev_markers={"state": "not_reported"}), ("characterisation", "cells", "ev_markers"),
     "Extra inputs"),  # an EV item is not an item of a cell product
    (lambda b: b.update(exosomes=_all_not_reported(ProductType.EXOSOMES)), ("characterisation",),
     "no intervention gives exosomes"),
    (lambda b: b.pop("cells"), ("characterisation",), "needs a `cells` or an `exosomes` block"),
    (lambda b: b["cells"].update(viability={"state": "reported", "value": "95 %"}),
     ("characterisation", "cells", "viability"), "needs source, locator"),
])
def test_the_block_is_checked_against_the_catalogue(change, where, message):
    block = {"cells": _all_not_reported(ProductType.CELLS)}
    change(block)
    with pytest.raises(ValidationError) as error:
        Trial.model_validate(_with_characterisation(block))
    assert any(tuple(p for p in e["loc"] if "[" not in str(p)) == where and message in e["msg"]
               for e in error.value.errors()), error.value.errors()


def test_a_cell_trial_without_its_cells_block_is_refused():
    with pytest.raises(ValidationError, match="the trial gives cells: add a `cells` block"):
        Trial.model_validate(_with_characterisation({"exosomes": _all_not_reported(ProductType.EXOSOMES)}))
