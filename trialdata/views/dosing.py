"""Dosing schedules: when each trial gives its product, how much and by which route."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from trialdata.figures import (
    FONT,
    PLOT_PX,
    START_LINE,
    X_WEEKS,
    cohort_lane,
    hover_text,
    margins,
    marker_labels,
    note_text,
    one_pass,
    plot_px,
    room_beside,
    rows_height,
)
from trialdata.provenance import receipt_expr
from trialdata.views.base import Section, View
from trialdata.views.follow_up import week_axis
from trialdata.views.words import counted, extremes
from trialdata.vocab import (
    OKABE_ITO,
)

NOTE_SHIFT = 22  # px between a lane's last marker and its note


def dosing_figure(lanes: pl.DataFrame, x_range: tuple[float, float]) -> go.Figure:
    """Swimlanes: one lane per trial (or cohort), a marker per administration at its week.

    Dose, unit and route are written beside each lane; administrations whose time is not reported
    are counted there instead of being drawn at a guessed week.
    """
    order = lanes["lane"].unique(maintain_order=True).to_list()
    shown = {lane: cohort_lane(lane) for lane in order}
    placed = lanes.filter(pl.col("week").is_not_null())
    by_trial = placed.partition_by("trial_id", as_dict=True, maintain_order=True)  # one pass, not a filter per trial
    traces = []
    for i, tid in enumerate(lanes["trial_id"].unique(maintain_order=True)):
        rows = by_trial.get((tid,), placed.clear())
        labels = marker_labels(rows["lane"].to_list(), rows["week"].to_list(), [f"#{n}" for n in rows["number"]],
                               PLOT_PX / max(x_range[1] - x_range[0], 1e-9), FONT - 2)
        traces.append(dict(
            type="scatter", name=tid, x=rows["week"].to_list(), y=[shown[lane] for lane in rows["lane"]],
            mode="markers+text",
            showlegend=False,
            marker=dict(size=18, symbol="circle", color=OKABE_ITO[i % 8], line=dict(color="white", width=1.5)),
            text=labels[0], textposition=labels[1], textfont=dict(size=FONT - 2),
            hovertext=[hover_text(f"{lane} — administration {n}, week {w:.1f} ({tt})", f"dose: {d or 'not reported'}",
                                  f"route: {r or 'not reported'}", f"time: {tr}", f"dose: {dr}")
                       for lane, n, w, tt, d, r, tr, dr in rows.select(
                           "lane", "number", "week", "time_text", "dose", "route", "time_receipt",
                           "dose_receipt").iter_rows()],
            hoverinfo="text"))
    per_lane = lanes.group_by("lane", maintain_order=True).agg(
        pl.col("dose").first(), pl.col("route_label").first(), pl.col("week").null_count().alias("unknown"),
        pl.col("week").max().alias("last_week"))
    margin = margins(list(shown.values()), x_title=X_WEEKS)
    notes = []
    for lane, dose, route, unknown, last_week in per_lane.iter_rows():
        note = f"{(dose or 'dose not reported').replace(' (per administration)', ' per administration')} · {route}"
        if unknown:
            note += f" · +{unknown} more, time not reported"
        # wrapped to the room from its start to the figure's right edge: on one line a label ran past it on a 1024 px
        # screen
        room = room_beside(last_week or 0, x_range, plot_px(margin)) - NOTE_SHIFT + margin["r"]
        notes.append(dict(x=last_week or 0, y=shown[lane], text=note_text(note, px=room, size=FONT - 3),
                          showarrow=False, xanchor="left", xshift=NOTE_SHIFT, font=dict(size=FONT - 3, color="#1f1f1f"),
                          bgcolor="rgba(255,255,255,0.85)"))
    return one_pass(traces, "When each trial doses (markers: administrations; labels: dose, unit, route)",
                    rows_height(len(order), 70), annotations=notes, shapes=[START_LINE],
                    margin=margin,
                    xaxis=dict(title=X_WEEKS, range=list(x_range)),
                    # half a lane above the top lane and below the bottom one: room for the markers' numbers
                    yaxis=dict(categoryorder="array", categoryarray=list(shown.values())[::-1], type="category",
                               range=[-0.5, len(order) - 0.5]))


ROUTE_SHORT = {"intra_articular": "intra-articular", "intravenous": "IV", "intrathecal": "IT"}


def dosing_lanes(administrations: pl.DataFrame) -> pl.DataFrame:
    """One row per planned administration with its lane, week, visible label and receipts."""
    route = pl.col("route").fill_null("route not reported")
    for code, short in ROUTE_SHORT.items():
        route = route.str.replace_all(code, short, literal=True)
    single = pl.col("cohort").n_unique().over("trial_id") == 1
    return (
        administrations.with_columns(
            pl.when(single).then(pl.col("trial_id"))
            .otherwise(pl.format("{} · {} ({})", pl.col("trial_id"), pl.col("cohort"),
                                 pl.col("cohort_participants").fill_null("participants not reported")))
            .alias("lane"),
            pl.format("#{} {}, {}", pl.col("number"), pl.col("dose").fill_null("dose not reported")
                      .str.replace(r" \(per administration\)", ""), route).alias("label"),
            route.alias("route_label"),
            receipt_expr().alias("time_receipt"),
            receipt_expr("dose_source", "dose_locator", "dose_quote").alias("dose_receipt"),
        )
        .select("trial_id", "lane", "cohort", "number", "week", "week_state", "time_text", "dose", "unit", "route",
                "route_label", "label", "time_receipt", "dose_receipt")
        .sort("trial_id", "cohort", "number")
    )


def dose_comparability(interventions: pl.DataFrame) -> pl.DataFrame:
    """Doses grouped by unit: amounts are comparable only within one unit and basis, never converted."""
    return (
        interventions.select(
            "trial_id", pl.col("dose").fill_null("not reported"), "dose_min", "dose_max",
            pl.col("dose_unit").fill_null("not reported"),
            pl.col("dose_basis").fill_null("not reported"),
        )
        .with_columns(
            pl.len().over("dose_unit", "dose_basis").cast(pl.Int64).alias("trials_in_unit"),
            pl.when(pl.col("dose_min").is_null()).then(pl.lit("no dose reported"))
            .when(pl.col("dose_basis") == "not_stated").then(pl.lit("basis not stated: not comparable"))
            .when(pl.len().over("dose_unit", "dose_basis") > 1).then(pl.lit("comparable within unit"))
            .otherwise(pl.lit("only trial in this unit"))
            .alias("comparability"),
        )
        .sort("dose_unit", "trial_id")
    )


def takeaway(frame: pl.DataFrame) -> list[str]:
    """Counted per trial, never summed across trials; each dose by the kind of source it rests on (a secondary
    source's receipt holds no quote)."""
    per_lane = frame.group_by("lane").len()["len"]  # a cohort's participants get its administrations, not the trial's
    lanes = "trial or cohort" if frame["lane"].n_unique() > frame["trial_id"].n_unique() else "trial"
    lo, hi = extremes(per_lane)
    span = f"{lo}" if lo == hi else f"{lo}–{hi}"
    dosed = frame.group_by("trial_id").agg(
        pl.col("dose").is_not_null().any().alias("dosed"),
        (pl.col("dose").is_not_null() & ~pl.col("dose_receipt").str.contains("secondary source")).any().alias("record"))
    record, dosed_n = int(dosed["record"].sum()), int(dosed["dosed"].sum())  # counts of trials
    trials = dosed.height
    lines = [f"{span} planned administration{'' if span == '1' else 's'} per participant, by {lanes}",
             f"Dose in a registry record: {record} of {counted(trials, 'trial')}; from a secondary source only: "
             f"{dosed_n - record}; not reported: {trials - dosed_n}"]
    unplaced = frame.filter(pl.col("week").is_null())["trial_id"].n_unique()
    if unplaced:
        lines.append(f"{counted(unplaced, 'trial')} with administrations that cannot be placed in time")
    return lines


COLUMN_HELP = {  # the columns this view derives
    "route_label": "Route of administration as written in the chart (or 'route not reported').",
    "trials_in_unit": "Trials whose dose is given in this unit.",
    "comparability": "Whether doses in this unit can be compared with the others (doses are never converted).",
    "time_receipt": "Receipt (source, locator, quote) of the administration's time.",
    "dose_receipt": "Receipt (source, locator, quote) of the administration's dose.",
}


VIEW = View(
    order=30,
    key="dosing", title="Dosing schedules", path="dosing",
    question="When each trial gives its product, how much and by which route.",
    how_to_read="Week 0 is the first administration; administrations whose time is not reported are counted "
                "beside the lane, not drawn at a guess.",
    transform=lambda t: dosing_lanes(t["administrations"]),
    figure=lambda frame, t: dosing_figure(frame, week_axis(t)),
    presentation={"lane": "Trial (cohort)", "number": "#", "time_text": "When (as stated)", "week": "Week",
                  "dose": "Dose", "route_label": "Route"},
    csv_name="dosing_schedule", takeaway=takeaway, receipts=("time_receipt", "dose_receipt"),
    sections=(Section("Doses", lambda t: dose_comparability(t["interventions"]), "dose_comparability",
                      "Doses are never converted: cells/kg, total cells and particles cannot be compared "
                      "with each other."),),
    column_help=COLUMN_HELP,
)
