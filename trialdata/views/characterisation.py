"""Product characterisation: each trial read against the standard that fits its product."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from trialdata import standards
from trialdata.figures import (
    FONT,
    hover_text,
    margins,
    note_text,
    one_pass,
    status_bars,
)
from trialdata.provenance import receipt_expr
from trialdata.transforms import looks
from trialdata.views.base import Context, Section, View
from trialdata.views.words import count_of
from trialdata.vocab import (
    GREY,
    STATUS_LOOKS,
    ReportingStatus,
)

PRODUCT_PANELS = {"cells": "Cell products: ISCT 2006 criteria (first 4), then MSC product items",
                  "exosomes": "EV / exosome products: MISEV2018 items and the dose unit"}


# a trial's column in the characterisation grid: wide enough for its marks and for its slanted id to stay clear
# of the next one's, so the grid is as wide as its trials need (a 1024 px screen's chart fits it), not the screen
COLUMN_PX, MIN_GRID_PX = 64, 440


def characterisation_summary_figure(grid: pl.DataFrame) -> go.Figure:
    """For a slide, where the grid's rows cannot be read: per trial, how many of its product's items are reported
    where (the statuses' symbols, colours and patterns as in the grid; the counts written on the bars)."""
    counts = grid.group_by("trial_id", "product_type", "status").len("items").sort("trial_id")  # one order each time
    totals = dict(counts.group_by("trial_id").agg(pl.col("items").sum()).iter_rows())
    products = dict(counts.select("trial_id", "product_type").unique().iter_rows())
    lanes = {t: f"{t}<br>({products[t]}, {totals[t]} items)" for t in totals}  # two lines: the plot keeps its width
    return status_bars(counts, lanes, "Characterisation items per trial, by where each is reported",
                       "items of the standard that fits<br>the trial's product")


def characterisation_figure(grid: pl.DataFrame) -> go.Figure:
    """Trials x characterisation items, one panel per kind of product (EV items never stand as missing for a cell
    trial, nor cell items for an EV trial); shape and colour both carry where each item is reported. The figure
    is as wide as its columns need; the published reporting rates it is read against are written under it
    (`transforms.yardstick_for`), not in it, where a narrow screen cut them off."""
    panels = [(p, grid.filter(pl.col("product_type") == p)) for p in PRODUCT_PANELS if p in set(grid["product_type"])]
    row_px, gap_px, top_px = 28, 210, 110  # 28: the grid and its heading fit a printed page
    n_rows = sum(rows["item_no"].n_unique() for _, rows in panels)
    plot_px = row_px * n_rows + gap_px * (len(panels) - 1)
    trial_ids = grid["trial_id"].unique().to_list()
    # the key under the last panel's slanted ids: a narrow figure wraps it to one state a line
    margin = margins(grid["item_label"].unique().to_list(), trial_ids, x_angle=25, tick_size=FONT - 3, top=top_px)
    margin["b"] += len(STATUS_LOOKS) * 34 + 10  # a legend row is as tall as its 18 px marker and some
    width = max(margin["l"] + COLUMN_PX * max(rows["trial_id"].n_unique() for _, rows in panels) + margin["r"],
                MIN_GRID_PX)
    # a panel's title, 8 px in from either edge of the figure; bold, about a tenth wider than `text_px` measures
    title_px = (width - 16) / 1.1
    traces, layout, notes, shapes = [], {}, [], []
    y_top = 1.0
    for k, (product, rows) in enumerate(panels, 1):
        items = rows.unique("item_no").sort("item_no")
        labels, trials = items["item_label"].to_list(), sorted(rows["trial_id"].unique())
        height = row_px * len(labels) / plot_px
        domain = [max(y_top - height, 0.0), y_top]
        y_top = domain[0] - gap_px / plot_px
        suffix = "" if k == 1 else str(k)
        layout[f"xaxis{suffix}"] = dict(domain=[0, 1], type="category", categoryorder="array",
                                        categoryarray=trials, anchor=f"y{suffix}", tickangle=-25,
                                        tickfont=dict(size=FONT - 3), range=[-0.6, len(trials) - 0.4], showgrid=False)
        layout[f"yaxis{suffix}"] = dict(domain=domain, type="category", categoryorder="array",
                                        categoryarray=labels[::-1], anchor=f"x{suffix}", tickfont=dict(size=FONT - 3),
                                        range=[-0.6, len(labels) - 0.4])
        notes.append(dict(text=f"<b>{note_text(PRODUCT_PANELS[product], px=title_px, size=FONT - 2)}</b>", x=0,
                          xref="paper", xanchor="left", xshift=8 - margin["l"], name="panel title", y=domain[1],
                          yref="paper", yanchor="bottom", yshift=6, showarrow=False, align="left",
                          font=dict(size=FONT - 2)))
        standards_in = items["standard"].to_list()  # a dotted line where one standard's items end
        for i in range(1, len(standards_in)):
            if standards_in[i] != standards_in[i - 1]:
                shapes.append(dict(type="line", xref=f"x{suffix} domain", x0=0, x1=1, yref=f"y{suffix}",
                                   y0=len(labels) - i - 0.5, y1=len(labels) - i - 0.5,
                                   line=dict(color=GREY, dash="dot", width=1)))
        by_status = rows.partition_by("status", as_dict=True)
        for status, look in STATUS_LOOKS.items():
            cells = by_status.get((status.value,), rows.clear())
            if cells.is_empty() and k > 1:
                continue
            traces.append(dict(
                type="scatter", name=f"{look.symbol} {look.label}", legendgroup=status.value,
                showlegend=k == 1, xaxis=f"x{suffix}", yaxis=f"y{suffix}", mode="markers",
                # a status no cell has still gets its legend entry (an empty trace has none), so the key names
                # every state
                x=cells["trial_id"].to_list() or [None], y=cells["item_label"].to_list() or [None],
                marker=dict(symbol=look.marker, size=18, color=look.colour, line=dict(color=look.colour, width=3)),
                hovertext=[hover_text(f"{t} — {i} ({s})", f"{look.label}: {v or 'no value'}", r, n and f"note: {n}",
                                      y and f"published: {y}")
                           for t, i, s, v, r, n, y in cells.select("trial_id", "item_label", "standard", "value",
                                                                   "receipt", "note", "yardstick").iter_rows()],
                hoverinfo="text"))
    return one_pass(
        traces, "Is the product characterised? Items of the standard that fits each product",
        top_px + plot_px + margin["b"], annotations=notes, shapes=shapes, hovermode="closest", width=width,
        # the key at the foot of the figure, as robvis draws it: clear of the panel titles at any height
        legend=dict(xref="container", x=0.01, yref="container", y=0.005, yanchor="bottom"),
        margin=margin, **layout)


def _yardstick_by_item() -> pl.DataFrame:
    """item -> the published reporting rates that speak to it, cited ("Renesme 2022: 18 % ...; ...")."""
    rows = [(item, f"{standards.REVIEWS[r.review].short}: {r.finding}")
            for r in standards.YARDSTICK for item in r.items]
    return (pl.DataFrame(rows, schema={"item": pl.String, "yardstick": pl.String}, orient="row")
            .group_by("item", maintain_order=True).agg(pl.col("yardstick").str.join("; ")))


def characterisation_grid(characterisation: pl.DataFrame) -> pl.DataFrame:
    """Trials x characterisation items: where each item is reported (the scorecard's statuses, so a value only a
    secondary source gives is told apart from one in the registry record), its symbol, receipt and yardstick."""
    status = (pl.when((pl.col("state") == "reported") & (pl.col("source_role") == "primary"))
              .then(pl.lit(ReportingStatus.IN_RECORD.value))
              .when(pl.col("state") == "reported").then(pl.lit(ReportingStatus.SECONDARY_ONLY.value))
              .otherwise(pl.col("state")))  # unclear, not_applicable, not_reported: spelled alike in both
    return (
        characterisation.with_columns(status.alias("status"), receipt_expr())
        .with_columns(*looks("status", STATUS_LOOKS))
        .join(_yardstick_by_item(), on="item", how="left")
        .select("trial_id", "product_type", "standard", "item_no", "item", "item_label", "state", "status",
                "status_label", "symbol", "value", "receipt", "note", "yardstick")
        .sort("product_type", "item_no", "trial_id")
    )


def yardstick_for(grid: pl.DataFrame) -> pl.DataFrame:
    """The published reporting rates that speak to the items in a characterisation grid, one line per review:
    the review, what it looked at and found, and its citation. Context to read the trials against, not data about
    them. A rate about no item in particular speaks to cell characterisation as a whole."""
    shown, cell_items = set(grid["item"]), {i.id for i in standards.items_of(standards.CELLS)}
    rows = []
    for key, review in standards.REVIEWS.items():
        found = [r.finding for r in standards.YARDSTICK if r.review == key and shown & set(r.items or cell_items)]
        if found:
            rows.append((review.short, f"{review.looked_at}: {'; '.join(found)}", review.citation))
    return pl.DataFrame(rows, schema=["source", "said", "citation"], orient="row")


def published_rates() -> pl.DataFrame:
    """The yardstick as a table: each review, what it looked at, what it found, and its citation."""
    return pl.DataFrame(
        [(standards.REVIEWS[r.review].short, standards.REVIEWS[r.review].looked_at, r.finding,
          _items_in_words(r.items),
          standards.REVIEWS[r.review].citation) for r in standards.YARDSTICK],
        schema=["review", "looked_at", "finding", "items", "citation"], orient="row")


def _items_in_words(items: tuple[str, ...]) -> str:
    """The items a published rate speaks to: a whole standard by its name, otherwise item by item."""
    if not items:
        return "cell characterisation as a whole"
    for key, std in standards.STANDARDS.items():
        if set(items) == {i.id for i in standards.ITEMS if i.standard == key}:
            return f"the {std.name}"
    if set(items) == {i.id for i in standards.items_of(standards.EVS)}:
        return "EV characterisation and dose units"
    return "; ".join(standards.BY_ID[i].label for i in items)


def takeaway(frame: pl.DataFrame) -> list[str]:
    items = frame.height
    isct = frame.filter(pl.col("standard").str.contains("ISCT"))  # the criteria of cell products only
    lines = [f"{count_of(frame, 'status', 'not_reported')} of {items} items not reported in the sources held "
             "(registry entries read against yardsticks from published papers)",
             f"{count_of(frame, 'status', 'in_record')} in a registry record, "
             f"{count_of(frame, 'status', 'secondary_only')} only in a secondary source"]
    if isct.height:
        stated = isct.filter(pl.col("status").is_in(["in_record", "secondary_only"]))  # not implied, not missing
        lines.append("No cell trial reports the ISCT criteria" if stated.is_empty() else
                     f"ISCT criteria reported: {stated.height} of {isct.height}")
    return lines


COLUMN_HELP = {  # the columns this view derives
    "yardstick": "How often published studies report this item (the reviews cited with the chart).",
    "review": "The published review the reporting rate comes from.",
    "looked_at": "What the review looked at (which studies, how many).",
    "finding": "What the review found, in its own terms.",
    "items": "The characterisation items the review's figure speaks to.",
}


VIEW = View(  # product characterisation, on its own page
    order=70,
    key="characterisation", title="Product characterisation", path="characterisation", appraises=True,
    question="Is the product characterised? Each trial read against the standard that fits its product.",
    how_to_read="One column per trial, one row per item: cell products against the ISCT 2006 criteria and the MSC "
                "product items, EV / exosome products against MISEV2018 (the other kind's items do not apply and "
                "are not drawn). ✓ blue square: in the registry record; 2° light-blue diamond: only a secondary "
                "source gives it; ? orange ring: implied, not stated; ✗ vermillion cross: not reported; "
                "– grey dash: not applicable. The published reporting rates written with the grid are the "
                "yardstick, cited; they are not data about these trials.",
    on_screen="Hover for the words quoted.",
    transform=lambda t: characterisation_grid(t["characterisation"]),
    figure=lambda frame, t: characterisation_figure(frame),
    smaller_figure=lambda frame, t: characterisation_summary_figure(frame),  # 26 rows do not fit a slide
    slide_how_to_read="One bar per trial, counting the items of the standard that fits its product by where "
                      "each is reported: ✓ in the registry record, 2° only in a secondary source, ? implied, "
                      "not stated, ✗ not reported. The grid of every item, with the words quoted and the "
                      "published reporting rates, is on the app's page and in the handout.",
    presentation={"trial_id": "Trial", "item_label": "Item", "symbol": "Mark", "status_label": "Where reported",
                  "value": "What the source says"},
    takeaway=takeaway, csv_name="characterisation_grid",
    context=Context("Yardstick: how often published studies report these items", yardstick_for),
    sections=(Section("Published reporting rates (the yardstick)", lambda t: published_rates(),
                      "characterisation_yardstick",
                      "As reference-standards §1-2 states them: how often published MSC studies report these "
                      "items. Context to read the trials against, not data about them."),),
    empty="The trials shown have no curated characterisation.",
    column_help=COLUMN_HELP,
)
