"""Cell sources & products: cells or exosomes, from which tissue and which donor."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from trialdata.columns import in_words
from trialdata.figures import (
    FONT,
    hover_text,
    margins,
    one_pass,
    ordered,
)
from trialdata.provenance import receipt_expr
from trialdata.views.base import Section, View
from trialdata.views.words import counted, tally
from trialdata.vocab import (
    OKABE_ITO,
)

PRODUCT_ROW_PX = 34  # one line per trial in the products chart, tall enough for a label of its own


def products_figure(points: pl.DataFrame) -> go.Figure:
    """Product type x tissue of origin; one labelled marker per trial, symbol and colour by donor type.

    Each trial has a line of its own within its product's band, so its label (written beside the marker)
    never meets another trial's, however narrow the tissue columns get."""
    sources = ordered(points["cell_source"].unique().to_list())
    products = ordered(points["product_type"].unique().to_list())
    last = len(sources) - 1
    placed = points.with_columns(
        pl.col("cell_source").replace_strict({s: i for i, s in enumerate(sources)}).alias("x"),
        pl.col("product_type").replace_strict({p: i for i, p in enumerate(products)}).alias("band"),
    ).sort("band", "x", "trial_id", descending=[False, True, True]).with_columns(
        pl.int_range(pl.len()).over("band").alias("k"))
    # bands stacked bottom to top, one unit per trial line and one unit between bands
    sizes = placed.group_by("band").len().sort("band")["len"].to_list()
    starts = [sum(sizes[:b]) + b for b in range(len(sizes))]
    placed = placed.with_columns((pl.col("band").replace_strict(dict(enumerate(starts))) + pl.col("k")).alias("y"))
    ticks = [start + (size - 1) / 2 for start, size in zip(starts, sizes, strict=True)]
    symbols = ["circle", "square", "diamond", "triangle-up", "x"]
    traces = []
    for i, donor in enumerate(ordered(placed["donor_type"].unique().to_list())):
        rows = placed.filter(pl.col("donor_type") == donor)
        traces.append(dict(
            type="scatter", name=f"donor: {donor}", x=rows["x"].to_list(), y=rows["y"].to_list(), mode="markers+text",
            marker=dict(size=18, symbol=symbols[i % len(symbols)], color=OKABE_ITO[i % 8],
                        line=dict(color="white", width=1.5)), cliponaxis=False,
            text=rows["trial_id"].to_list(), textfont=dict(size=FONT - 3),
            # beside the marker, towards the middle: the right half's labels go left so they stay in the plot
            textposition=["middle left" if x > last / 2 else "middle right" for x in rows["x"]],
            hovertext=[hover_text(t, f"product: {p} — {pr}", f"cell source: {s} — {sr}", f"donor: {d} — {dr}")
                       for t, p, s, d, pr, sr, dr in rows.select(
                           "trial_id", "product_type", "cell_source", "donor_type", "product_receipt",
                           "source_receipt", "donor_receipt").iter_rows()],
            hoverinfo="text"))
    lines = sum(sizes) + len(sizes) - 1
    return one_pass(
        traces, "Products, cell sources and donors (unknowns shown as such)", 300 + PRODUCT_ROW_PX * (lines + 1),
        margin=margins(products, y_title=True, x_title=True),
        xaxis=dict(title="tissue the MSCs come from", tickvals=list(range(len(sources))), ticktext=sources,
                   range=[-0.5, len(sources) - 0.5]),
        yaxis=dict(title="product", tickvals=ticks, ticktext=products, range=[-0.8, lines - 0.2], ticks="",
                   ticklabelstandoff=8))


def _in_words(trials: pl.DataFrame) -> list[pl.Expr]:
    """Product type, cell source and donor type in words, an unclear value marked."""
    return [in_words(trials, c, mark_unclear=True) for c in ("product_type", "cell_source", "donor_type")]


def product_points(trials: pl.DataFrame, provenance: pl.DataFrame) -> pl.DataFrame:
    """One row per trial: product type, cell source, donor type (labelled) and the receipt of each."""
    def receipt_of(field: str, name: str) -> pl.DataFrame:
        return (provenance.filter((pl.col("field") == f"interventions[0].{field}") & (pl.col("claim") == "headline"))
                .select("trial_id", receipt_expr().alias(name)))
    return (
        trials.select("trial_id", *_in_words(trials))
        .join(receipt_of("product_type", "product_receipt"), on="trial_id", how="left")
        .join(receipt_of("cell_source", "source_receipt"), on="trial_id", how="left")
        .join(receipt_of("donor", "donor_receipt"), on="trial_id", how="left")
        .sort("product_type", "cell_source", "trial_id")
    )


def product_counts(trials: pl.DataFrame) -> pl.DataFrame:
    """Trials by product type x cell source x donor type, with "not reported" as its own category."""
    return (
        trials.select(*_in_words(trials), "trial_id")
        .group_by("product_type", "cell_source", "donor_type")
        .agg(pl.len().cast(pl.Int64).alias("trials"), pl.col("trial_id").sort().str.join("; ").alias("trial_ids"))
        .sort("product_type", "cell_source", "donor_type")
    )


def takeaway(frame: pl.DataFrame) -> list[str]:
    unknown = frame.filter(pl.col("cell_source") == "not reported").height
    return [f"Products: {tally(frame['product_type'])}",
            f"Cell source not reported for {counted(unknown, 'trial')}" if unknown
            else "Every trial names its cell source",
            f"Donor: {tally(frame['donor_type'])}"]


COLUMN_HELP = {  # the columns this view derives
    "product_receipt": "Receipt (source, locator, quote) of the product type.",
    "source_receipt": "Receipt (source, locator, quote) of the cell source.",
    "donor_receipt": "Receipt (source, locator, quote) of the donor type.",
}


VIEW = View(
    order=20,
    key="products", title="Cell sources & products", path="products",
    question="Which trials give cells and which give exosomes, from which tissue and which donor.",
    how_to_read="Unknown tissue or donor is its own category.",
    transform=lambda t: product_points(t["trials"], t["provenance"]),
    figure=lambda frame, t: products_figure(frame),
    presentation={"trial_id": "Trial", "product_type": "Product", "cell_source": "Cell source",
                  "donor_type": "Donor"},
    csv_name="products", takeaway=takeaway,
    receipts=("product_receipt", "source_receipt", "donor_receipt"),
    sections=(Section("Counts", lambda t: product_counts(t["trials"]), "product_counts"),),
    column_help=COLUMN_HELP,
)
