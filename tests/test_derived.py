"""A number the dataset did not read in a source (a per-patient dose from cells/kg, a total over the doses, months
since completion) never appears without "derived" and its arithmetic: in every table, its CSV, the compact tables,
the charts (which the slides and the deck draw as images) and the handout."""

from __future__ import annotations

import io
import re

import polars as pl
import pytest

from trialdata import views
from trialdata.export import csv_bytes
from trialdata.tables import TABLES

# a number in a people-facing text that could only come from arithmetic done here
DERIVED_NUMBER = re.compile(r"\d[\d.,-]* (million cells|months)")


def derived_columns() -> dict[str, list[str]]:
    """Columns whose data dictionary entry says they may hold derived numbers, by table."""
    out: dict[str, list[str]] = {}
    for table, cols in TABLES.items():
        for c in cols:
            if c.doc.startswith("Derived") or "Derived when" in c.doc or "Derived," in c.doc:
                out.setdefault(table, []).append(c.name)
    return out


def test_derived_columns_are_declared_with_their_label_columns():
    found = derived_columns()
    assert set(found) >= {"dose_context", "results_status"}
    for table in found:
        assert {"derived", "derivation"} <= {c.name for c in TABLES[table]}, table


def _as_csv(frame: pl.DataFrame) -> pl.DataFrame:
    return pl.read_csv(io.StringIO(csv_bytes(frame).decode("utf-8-sig")), infer_schema_length=None)


@pytest.mark.parametrize("table", sorted(derived_columns()))
@pytest.mark.parametrize("where", ["table", "csv"])
def test_every_derived_number_carries_derived_and_its_arithmetic(tables, table, where):
    frame = tables[table] if where == "table" else _as_csv(tables[table])
    cols = derived_columns()[table]
    with_number = frame.filter(pl.any_horizontal(pl.col(cols).is_not_null()))
    assert with_number.height > 0, "the check must have something to check"
    for row in with_number.iter_rows(named=True):
        if row["derived"]:
            assert row["derivation"].startswith("derived:") and "=" in row["derivation"], row
        else:  # a number that is not derived is one a source states: a dose given in cells
            assert table == "dose_context" and row["dose_unit"] == "cells" and "as stated" in row["per_patient"], row
            assert row["total_million_min"] is None


def test_each_per_patient_dose_from_cells_per_kg_shows_its_weight_and_arithmetic(tables):
    doses = tables["dose_context"].filter(pl.col("dose_unit") == "cells/kg")
    assert doses.height > 0
    for row in doses.iter_rows(named=True):
        assert row["derived"] and row["reference_weight_kg"] == 70
        assert f"cells/kg × 70 kg = {row['per_patient_million_min']:g} million cells" in row["derivation"]
        assert "(derived: " in row["per_patient"]
        if row["total_million_min"] is not None:
            assert "(derived: " in row["total"] and f"= {row['total_million_min']:g} million cells" in row["derivation"]


def test_months_since_completion_are_labelled_wherever_they_are_said(tables):
    status = tables["results_status"].filter(pl.col("months_since_completion").is_not_null())
    assert status.height > 0
    for row in status.iter_rows(named=True):
        assert "÷ 30.4375" in row["derivation"] and "(derived)" in row["answer"]


def _texts_of(fig) -> list[str]:
    texts = [a.text for a in fig.layout.annotations]
    texts += [str(t) for tr in fig.data for t in (getattr(tr, "text", None) or []) if t is not None]
    return [t.replace("<br>", " ") for t in texts]


def _unlabelled(text: str) -> bool:
    """A derived-looking number with no "derived" beside it; a dose a record gives in cells says "as stated", and a
    published range names its citation."""
    labels = ("derived", "as stated", "Kabat M et al.")
    return bool(DERIVED_NUMBER.search(text)) and not any(label in text for label in labels)


def test_compact_tables_charts_and_slide_images_label_every_derived_number(tables):
    checked = 0
    for drawn in views.render_all(tables):
        if "derived" not in drawn.frame.columns:  # views whose frame carries derived numbers say so in a column
            continue
        for row in drawn.compact.iter_rows():
            text = " ".join(str(v) for v in row if v is not None)
            assert not _unlabelled(text), (drawn.view.key, text)
            checked += bool(DERIVED_NUMBER.search(text))
        for fig in (drawn.figure, drawn.view.restyle_for_slide(drawn.figure)):  # the deck's images are slide figures
            for text in _texts_of(fig):
                # a chart label may put the per-dose number and the total on two lines: each says "derived"
                for line in text.split(" · "):
                    assert not _unlabelled(line), (drawn.view.key, line)
                    checked += bool(DERIVED_NUMBER.search(line))
    assert checked >= 6


def test_the_handout_labels_every_derived_number(tables, handout):
    page = handout.split("</head>", 1)[1]
    keys = [d.view.key for d in views.render_all(tables) if "derived" in d.frame.columns]
    sections = [page.split(f'id="view-{key}"', 1)[1].split("</section>", 1)[0] for key in keys]
    assert len(sections) >= 2
    rows = [r for section in sections for r in re.findall(r"<tr>(.*?)</tr>", section)]
    hits = [r for r in rows if DERIVED_NUMBER.search(r)]
    assert hits
    for row in hits:  # each number is labelled in its own cell, and a derived one has its arithmetic in the row
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row):
            assert not _unlabelled(cell), cell
        if "(derived" in row:  # the compact table keeps the arithmetic's terms beside the number: the factors,
            # or the two dates a span of months is counted between
            terms = r"derived: [^<]*×|\d{4}-\d{2}[^<]* [\d.]+ months? before \d{4}-\d{2}-\d{2} \(derived\)"
            assert re.search(terms, row), row
