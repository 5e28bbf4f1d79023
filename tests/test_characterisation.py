"""Product characterisation: the catalogue in the schema, the curated blocks, the table, the
grid transform and its figure. In a file of its own, so branches that add other blocks merge without touching it."""

from __future__ import annotations

import polars as pl
import pytest
import yaml
from polars.testing import assert_frame_equal
from pydantic import ValidationError

from trialdata import figures, standards, views
from trialdata.checks import validate
from trialdata.schema import ProductType, State, Trial
from trialdata.tables import TABLES
from trialdata.vocab import GREY, OKABE_ITO, STATUS_LOOKS

from .conftest import DATA

TRIAL_FILES = sorted((DATA / "trials").glob("*.yaml"))


def all_hover(fig) -> str:
    """Every hover text of a figure, read as a person sees it (line breaks as spaces)."""
    return " ".join(str(h).replace("<br>", " ") for tr in fig.data for h in (tr.hovertext or []))


# --- the schema: every item of the catalogue that fits the product, and no other ----------------------------------

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


# --- the curated records -------------------------------------------------------------------------------------

def test_every_characterisation_item_has_a_state_for_every_trial(tables):
    """Each trial is read against every item of the catalogue that fits its product, and against no other."""
    rows = tables["characterisation"]
    products = dict(tables["trials"].select("trial_id", "product_type").iter_rows())
    assert set(rows["trial_id"]) == set(products) == {p.stem for p in TRIAL_FILES}
    for trial_id, product in products.items():
        mine = rows.filter(pl.col("trial_id") == trial_id)
        assert mine["item"].to_list() == [i.id for i in standards.items_of(ProductType(product))], trial_id
        assert set(mine["state"]) <= {s.value for s in State}, trial_id
        assert mine["state"].null_count() == 0


def test_a_reported_characterisation_item_carries_its_receipt(tables):
    rows = tables["characterisation"].filter(pl.col("state").is_in(["reported", "unclear"]))
    assert rows.height > 0
    assert rows["source"].null_count() == 0
    from_record = rows.filter(pl.col("source_role") == "primary")
    assert from_record["quote"].null_count() == 0  # a value read in the registry record carries its words
    secondary = rows.filter(pl.col("source_role") == "secondary")
    assert secondary["quote"].null_count() == secondary.height  # no quote we do not hold


def test_a_characterisation_quote_is_checked_against_its_source(tmp_path):
    path = DATA / "trials" / "IRCT20130812014333N184.yaml"
    text = path.read_text(encoding="utf-8")
    quote = "quote: exosomes derived from placenta mesenchymal stem cells}\n    ev_source_amount"
    assert text.count(quote) == 1
    changed = tmp_path / path.name
    changed.write_text(text.replace(quote, quote.replace("placenta", "umbilical cord")), encoding="utf-8")
    _, problems = validate([changed], DATA / "sources")
    assert [p.field for p in problems] == ["characterisation.exosomes.ev_source_cells.quote"]
    assert "quote not found" in problems[0].message


# --- the grid transform ----------------------------------------------------------------------------------------

def test_characterisation_grid_tells_record_secondary_implied_and_absent_apart():
    cols = ["trial_id", "product_type", "standard", "item_no", "item", "item_label", "state", "value", "source",
            "source_role", "locator", "quote", "note"]
    rows = [
        ("T2", "cells", "MSC product items", 12, "dose_per_kg", "Dose per kg", "reported", "1 x 10^6 cells/kg",
         "mirror", "secondary", "mirror.org/T2 > dose", None, None),
        ("T1", "cells", "MSC product items", 10, "viability", "Viability", "reported", "above 90 %", "rec",
         "primary", "Intervention", "viability above 90 %", None),
        ("T3", "exosomes", "MISEV2018", 17, "ev_source_cells", "Producing cells", "unclear", "placenta MSCs", "rec",
         "primary", "Title", "placenta", "implied"),
        ("T2", "cells", "MSC product items", 10, "viability", "Viability", "not_reported", None, None, None, None,
         None, None),
    ]
    table = pl.DataFrame(rows, schema=cols, orient="row").with_columns(
        pl.lit("what counts").alias("reported_when"), pl.lit(None, pl.String).alias("other_claims"),
    ).select(c.name for c in TABLES["characterisation"])
    viability = "Renesme 2022: 18 % reported a viability assay; Wilson 2021: viability reported by 57 %"
    expected = pl.DataFrame([
        ("T1", "cells", "MSC product items", 10, "viability", "Viability", "reported", "in_record",
         "in the registry record", "✓", "above 90 %", 'rec · Intervention: "viability above 90 %"', None, viability),
        ("T2", "cells", "MSC product items", 10, "viability", "Viability", "not_reported", "not_reported",
         "not reported", "✗", None, "no source: not reported", None, viability),
        ("T2", "cells", "MSC product items", 12, "dose_per_kg", "Dose per kg", "reported", "secondary_only",
         "secondary source only", "2°", "1 x 10^6 cells/kg",
         "mirror · mirror.org/T2 > dose (secondary source, no quote)", None, None),
        ("T3", "exosomes", "MISEV2018", 17, "ev_source_cells", "Producing cells", "unclear", "unclear",
         "unclear / implied", "?", "placenta MSCs", 'rec · Title: "placenta"', "implied",
         "Wang 2025: characterisation, dose units and outcome measures varying widely"),
    ], schema=["trial_id", "product_type", "standard", "item_no", "item", "item_label", "state", "status",
               "status_label", "symbol", "value", "receipt", "note", "yardstick"], orient="row")
    assert_frame_equal(views.characterisation.characterisation_grid(table), expected)


# --- the figure ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def grid(tables):
    return views.characterisation.characterisation_grid(tables["characterisation"])


def test_characterisation_keeps_cell_and_ev_items_in_their_own_panels(grid):
    fig = views.characterisation.characterisation_figure(grid)
    cells, evs = (grid.filter(pl.col("product_type") == p) for p in ("cells", "exosomes"))
    assert list(fig.layout.yaxis.categoryarray)[::-1] == [i.label for i in standards.items_of(ProductType.CELLS)]
    assert list(fig.layout.yaxis2.categoryarray)[::-1] == [i.label for i in standards.items_of(ProductType.EXOSOMES)]
    assert list(fig.layout.xaxis.categoryarray) == sorted(cells["trial_id"].unique())
    assert list(fig.layout.xaxis2.categoryarray) == sorted(evs["trial_id"].unique())
    for axis, rows in (("x", cells), ("x2", evs)):  # every cell drawn once, in its own panel, and nothing else
        drawn = {(x, y) for tr in fig.data if tr.xaxis == axis for x, y in zip(tr.x, tr.y, strict=True) if x}
        assert drawn == set(rows.select("trial_id", "item_label").iter_rows())
        assert sum(1 for tr in fig.data if tr.xaxis == axis for x in tr.x if x) == rows.height


def test_characterisation_gives_each_state_its_own_shape_colour_and_legend_entry(grid):
    fig = views.characterisation.characterisation_figure(grid)
    legend = [tr for tr in fig.data if tr.showlegend is not False]
    assert [tr.name for tr in legend] == [f"{look.symbol} {look.label}" for look in STATUS_LOOKS.values()]
    assert [(tr.marker.symbol, tr.marker.color) for tr in legend] == [
        (look.marker, look.colour) for look in STATUS_LOOKS.values()]
    for tr in fig.data:  # every point of a trace is in that trace's status
        status = next(s for s, look in STATUS_LOOKS.items() if tr.name == f"{look.symbol} {look.label}")
        expected = set(grid.filter(pl.col("status") == status.value)["item_label"])
        assert set(y for y in tr.y if y) <= expected


def test_the_yardstick_cites_each_review_and_receipts_are_on_hover(grid):
    lines = views.characterisation.yardstick_for(grid)
    said = " ".join(f"{s} {w} {c}" for s, w, c in lines.iter_rows())
    for doi in ("10.1093/stcltm/szab009", "10.1186/s13287-021-02435-1", "10.1093/stcltm/szac038"):
        assert doi in said
    assert "18 % reported a viability assay" in said and "passage not stated in 4 of 11" in said
    assert lines["source"].to_list() == ["Renesme 2022", "Wilson 2021", "Kirkham 2022", "Wang 2025"]
    hover = all_hover(views.characterisation.characterisation_figure(grid))
    assert ("irct · Intervention groups &gt; Description: &quot;exosomes derived from placenta mesenchymal stem "
            "cells&quot;" in hover)
    assert "crick · crick.ai/trials/NCT00962923 &gt; intervention (secondary source, no quote)" in hover


def test_the_yardstick_speaks_only_to_the_products_shown(grid):
    cells = grid.filter(pl.col("product_type") == "cells")
    fig = views.characterisation.characterisation_figure(cells)
    assert "xaxis2" not in fig.layout and {tr.xaxis for tr in fig.data} == {"x"}
    assert "Wang 2025" not in views.characterisation.yardstick_for(cells)["source"]  # its finding is about EV trials
    # the cell reviews, the one about cell characterisation as a whole included, say nothing of EV trials
    exosomes = grid.filter(pl.col("product_type") == "exosomes")
    assert views.characterisation.yardstick_for(exosomes)["source"].to_list() == ["Wang 2025"]


def test_the_grid_is_as_wide_as_its_columns_so_a_small_screen_holds_it(grid):
    """A 1024 px screen with the sidebar open leaves a chart about 560 px: the bundled trials' grid fits it, and
    one more trial widens the grid by one column instead of spreading the columns over the screen."""
    fig = views.characterisation.characterisation_figure(grid)
    assert fig.layout.width <= 560
    more = pl.concat([grid, grid.filter(pl.col("trial_id") == "NCT00962923").with_columns(trial_id=pl.lit("X-1"))])
    grid_view = views.characterisation
    assert grid_view.characterisation_figure(more).layout.width == fig.layout.width + grid_view.COLUMN_PX
    for title in (a for a in fig.layout.annotations if a.name == "panel title"):  # inside the figure's width
        longest = max(figures.text_px(line, title.font.size) for line in title.text[3:-4].split("<br>"))
        assert fig.layout.margin.l + title.xshift + longest * 1.1 <= fig.layout.width  # bold: ~10 % wider


def test_characterisation_key_sits_at_the_foot_clear_of_the_panels_on_screen_and_on_a_slide(grid):
    fig = views.characterisation.characterisation_figure(grid)
    for shown in (fig, figures.slide_style(fig)):
        assert shown.layout.legend.yref == "container" and shown.layout.legend.y < 0.05
        assert shown.layout.margin.b >= 150  # room for the last panel's trial ids and the key under them


def test_a_figure_taller_than_a_slide_gets_smaller_markers_there_so_rows_stay_apart(grid):
    tall = views.characterisation.characterisation_figure(grid)
    assert tall.layout.height > 900
    sizes = {tr.marker.size for tr in figures.slide_style(tall).data}
    assert sizes == {round(18 * 900 / tall.layout.height, 1)}
    short = views.characterisation.characterisation_figure(grid.filter(pl.col("product_type") == "exosomes"))
    assert short.layout.height <= 900
    assert {tr.marker.size for tr in figures.slide_style(short).data} == {18}


def test_characterisation_figure_uses_the_house_template_and_palette(grid):
    fig = views.characterisation.characterisation_figure(grid)
    assert fig.layout.template.layout.paper_bgcolor == "white" and fig.layout.title.text
    assert {tr.marker.color for tr in fig.data} <= set(OKABE_ITO) | {GREY}
    for axis in ("xaxis", "yaxis", "xaxis2", "yaxis2"):  # margins worked out from the labels, not by Plotly
        assert fig.layout[axis].automargin is None and fig.layout.template.layout.xaxis.automargin is False
