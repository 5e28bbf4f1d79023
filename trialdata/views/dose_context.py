"""Dose in context: each intravenous cell dose per patient, against a published range."""

from __future__ import annotations

import re
from typing import Any

import plotly.graph_objects as go
import polars as pl

from trialdata.appraisal import KABAT_2020, REFERENCE_WEIGHT_KG, with_reference_weight
from trialdata.figures import (
    FONT,
    cohort_lane,
    hover_text,
    margins,
    note_text,
    one_pass,
    plot_px,
    room_beside,
    slide_style,
)
from trialdata.views.base import Setting, View
from trialdata.views.words import counted, extremes
from trialdata.vocab import (
    BLACK,
    BLUE,
    SKY,
    label,
)

DOSE_PANELS = [("intravenous_cells", "Intravenous cell doses (shaded: Kabat 2020)"),
               ("other_cells", "Other or mixed routes (no reference range)")]


NOTE_SHIFT = 14  # px between a dose's marker and its label


def _dose_lane(trial_id: str, cohort: str, participants: str | None, single: bool) -> str:
    """A lane's label as drawn: the trial, and its cohort on a second line (as the dosing chart's lanes)."""
    return cohort_lane(_dose_lane_words(trial_id, cohort, participants, single))


def _dose_lane_words(trial_id: str, cohort: str, participants: str | None, single: bool) -> str:
    return trial_id if single else f"{trial_id} · {cohort}" + (f" ({participants})" if participants else "")


def dose_context_figure(doses: pl.DataFrame) -> go.Figure | None:
    """Per-patient cell dose per administration, one lane per trial (or cohort): intravenous cell arms against the
    Kabat 2020 band in the top panel, other routes below with no band. EV doses and doses not reported are never
    drawn (a note lists them); derived numbers say so on the chart, with their arithmetic in the hover. None when
    no dose can be drawn: an empty axis with a band would look like a finding."""
    band = KABAT_2020
    doses = doses.with_columns(pl.col("cohort").n_unique().over("trial_id", "intervention").alias("_cohorts"),
                               pl.coalesce("per_patient_million_max", "per_patient_million_min"))
    drawn = doses.filter(pl.col("per_patient_million_min").is_not_null() & (pl.col("panel") != "vesicles"))
    if drawn.is_empty():
        return None
    panels = [(code, name) for code, name in DOSE_PANELS if (drawn["panel"] == code).any()]
    weights = drawn["reference_weight_kg"].drop_nulls().unique().to_list()
    weight = f"{weights[0]:g} kg" if weights else "the reference weight"
    top = max([band.high, *drawn["per_patient_million_max"].to_list()]) * 1.12
    gap, heights = 0.12, [int((drawn["panel"] == code).sum()) for code, _ in panels]
    share = (1 - gap * (len(panels) - 1)) / sum(heights)
    traces: list[dict[str, Any]] = []  # plotly's dicts
    layout: dict[str, Any] = {}
    notes, shapes, lanes_all = [], [], []
    # the lanes' margin first: the notes are wrapped to the room the plot leaves them
    margin = margins([_dose_lane(t, c, p, n == 1) for t, c, p, n in
                      drawn.select("trial_id", "cohort", "cohort_participants", "_cohorts").iter_rows()], x_title=True)
    upper = 1.0
    for i, (code, name) in enumerate(panels):
        suffix = "" if i == 0 else str(i + 1)
        lower = max(upper - share * heights[i], 0.0)  # the sum of the shares can fall a hair below 0
        rows = drawn.filter(pl.col("panel") == code)
        lanes = [_dose_lane(t, c, p, n == 1) for t, c, p, n in
                 rows.select("trial_id", "cohort", "cohort_participants", "_cohorts").iter_rows()]
        lanes_all += lanes
        layout[f"yaxis{suffix}"] = dict(domain=[lower, upper], anchor=f"x{suffix}", type="category",
                                        categoryorder="array", categoryarray=lanes[::-1],
                                        range=[-0.6, len(lanes) - 0.4])
        notes.append(dict(x=0, y=1, xref=f"x{suffix}", yref=f"y{suffix} domain", xanchor="left", yanchor="bottom",
                          yshift=20 if code == "intravenous_cells" else 0, text=f"<b>{name}</b>", showarrow=False,
                          font=dict(size=FONT - 3, color="#1f1f1f")))
        layout[f"xaxis{suffix}"] = dict(anchor=f"y{suffix}", range=[0, top], showticklabels=True,
                                        **({} if i == 0 else {"matches": "x"}),
                                        title=dict(text="million cells per patient<br>per administration"
                                                   if i == len(panels) - 1 else ""))
        if code == "intravenous_cells":
            for lo, hi, opacity in [(band.low, band.high, 0.18), (band.inner_low, band.inner_high, 0.3)]:
                shapes.append(dict(type="rect", xref=f"x{suffix}", yref=f"y{suffix} domain", x0=lo, x1=hi, y0=0,
                                   y1=1, fillcolor=SKY, opacity=opacity, line=dict(width=0), layer="below"))
            notes.append(dict(x=band.high, y=1, xref=f"x{suffix}", yref=f"y{suffix} domain", yanchor="bottom",
                              xanchor="right", showarrow=False, font=dict(size=FONT - 4, color=BLUE),
                              text=f"Kabat 2020: {band.low:g}-{band.high:g} million (darker: "
                                   f"{band.inner_low:g}-{band.inner_high:g})"))
        for derived, symbol, colour, label_text in [
                (True, "diamond-open", BLUE, f"per patient, derived from cells/kg × {weight}"),
                (False, "circle", BLACK, "per patient, as stated in cells")]:
            part = rows.filter(pl.col("reference_weight_kg").is_not_null() == derived)
            if part.is_empty():
                continue
            said = [_dose_lane_words(t, c, p, n == 1) for t, c, p, n in
                    part.select("trial_id", "cohort", "cohort_participants", "_cohorts").iter_rows()]
            lows, highs = part["per_patient_million_min"].to_list(), part["per_patient_million_max"].to_list()
            traces.append(dict(
                type="scatter", name=label_text, x=[(a + b) / 2 for a, b in zip(lows, highs, strict=True)],
                y=[cohort_lane(words) for words in said],
                xaxis=f"x{suffix}", yaxis=f"y{suffix}", mode="markers",
                marker=dict(symbol=symbol, size=16, color=colour, line=dict(color=colour, width=3)),
                error_x=dict(type="data", symmetric=False,
                             array=[(b - a) / 2 for a, b in zip(lows, highs, strict=True)],
                             arrayminus=[(b - a) / 2 for a, b in zip(lows, highs, strict=True)], color=colour, width=0,
                             thickness=4),
                legendgroup=label_text, showlegend=not any(t["name"] == label_text for t in traces),
                hovertext=[hover_text(f"{words}: {pp}", f"total: {tt or '-'}", d, v, f"dose: {r}", ref)
                           for words, pp, tt, d, v, r, ref in zip(said, *part.select(
                               "per_patient", "total", "derivation", "versus_band", "receipt",
                               "reference").get_columns(), strict=True)],
                hoverinfo="text"))
        for tid, c, p, n, pp, x in rows.select("trial_id", "cohort", "cohort_participants", "_cohorts",
                                               "per_patient", "per_patient_million_max").iter_rows():
            # a derivation on a line of its own, and lines wrapped to the room from the dose to the figure's right
            # edge: on one line the label ran off a printed page's right edge, and longer lines off a 1024 px
            # screen's chart
            # the per-patient dose only: beside a per-dose band a total over several doses reads as a dose above
            # it (the total is in the hover and the table)
            room = room_beside(x, (0, top), plot_px(margin)) - NOTE_SHIFT + margin["r"]
            text = note_text(*re.split(r" (?=\()", pp, maxsplit=1), px=room, size=FONT - 4)
            notes.append(dict(x=x, y=_dose_lane(tid, c, p, n == 1), xref=f"x{suffix}", yref=f"y{suffix}",
                              xanchor="left", xshift=NOTE_SHIFT, text=text, showarrow=False, align="left",
                              font=dict(size=FONT - 4, color="#1f1f1f"), bgcolor="rgba(255,255,255,0.7)"))
        upper = lower - gap
    left_out = doses.filter(pl.col("per_patient_million_min").is_null() | (pl.col("panel") == "vesicles"))
    missing = "; ".join(f"{t} ({label(p or 'product not reported')}): {pp}" for t, p, pp in
                        left_out.unique(["trial_id", "intervention"], maintain_order=True)
                        .select("trial_id", "product_type", "per_patient").iter_rows())
    # the band's citation only where a band is drawn: beside other routes alone it would describe nothing shown
    foot = [f"Band: {band.citation} ({band.summary}). Intravenous cell doses only."] if any(
        code == "intravenous_cells" for code, _ in panels) else []
    if missing:
        foot.append(f"Not drawn (EV doses never share a cell axis; a dose not reported is not drawn): {missing}")
    # from the plot's left edge to the figure's right one (80 characters a line ran off a 1024 px screen's chart)
    foot_text = note_text(*foot, px=plot_px(margin) + margin["r"], size=FONT - 5)
    notes.append(dict(x=0, y=0, xref="paper", yref="paper", yshift=-90, xanchor="left", yanchor="top", align="left",
                      showarrow=False, font=dict(size=FONT - 5, color="#444"), text=foot_text))
    bottom = 110 + 16 * (foot_text.count("<br>") + 1)  # the axis title and the footnote's lines
    height = 300 + 80 * len(lanes_all) + 40 * len(panels) + max(0, bottom - 200)
    # the key just under the title, placed from the figure's top: placed from the plot's, it sat on the top panel's
    # name when few lanes made the plot short (one trial's mixed-route dose)
    key = dict(yref="container", y=1 - 50 / height, yanchor="top")
    return one_pass(traces, f"Per-patient cell dose per administration, derived at {weight}, against Kabat 2020",
                    height, annotations=notes, shapes=shapes, legend=key,
                    margin=dict(margin, t=160, b=bottom), **layout)


def dose_context_for_slides(fig: go.Figure) -> go.Figure:
    """The dose chart for a slide: its markers, band and panel names, without the label beside each lane and the
    footnote, which at slide size ran off the image (the legend says which doses are derived; the table, the
    handout and the speaker notes keep the words)."""
    out = slide_style(fig)
    out.layout.annotations = [a for a in out.layout.annotations if str(a.yref).endswith("domain")]
    bottom = "xaxis2" if "xaxis2" in out.layout else "xaxis"
    if bottom == "xaxis2":  # the panels share one axis: its numbers once, at the bottom, leave room for the
        out.update_layout(xaxis=dict(showticklabels=False))  # lower panel's name
    # the key at the very top, the top panel's name below it: wrapped on a narrow slide, the key printed over it
    key = dict(orientation="h", x=0, xanchor="left", y=0.99, yanchor="top", yref="container")
    return out.update_layout(margin=dict(t=140, b=120), legend=key)


def takeaway(frame: pl.DataFrame) -> list[str]:
    banded = frame.filter(pl.col("band_applies") & pl.col("per_patient_million_min").is_not_null())
    arms = "1 IV cell arm or cohort" if banded.height == 1 else f"{banded.height} IV cell arms or cohorts"
    lines = [f"{arms} dosed per kg: {_span_text(banded)} million cells per patient per dose (derived at "
             f"{banded['reference_weight_kg'][0]:g} kg)" if banded.height
             else "No intravenous cell arm or cohort with a per-kg dose"]
    unreported = frame.filter(pl.col("dose_state") == "not_reported").height
    if unreported:
        lines.append(f"{counted(unreported, 'arm')} with no dose reported (not drawn)")
    if banded.height:  # the band speaks to intravenous cell doses only: beside none, it invites a false comparison
        lines.append("Kabat 2020: the smallest effective IV dose was 70-190 million in 14 of 16 positive trials")
    return lines


def _span_text(frame: pl.DataFrame) -> str:
    lo, hi = extremes(frame["per_patient_million_min"])[0], extremes(frame["per_patient_million_max"])[1]
    return f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g}"


VIEW = View(
    order=80,
    key="dose_context", title="Dose in context", path="dose-context", host="dosing",
    question="Is a dose a lot or a little? Each intravenous cell dose per patient, against a published range.",
    how_to_read="A per-kg dose is multiplied by a reference weight (70 kg unless the page sets another): that "
                "per-patient number is derived (the records never state it) and says so, with its arithmetic, on "
                "the chart, in the table and in the CSV (the dataset's own table uses 70 kg). The shaded band "
                "is the range of Kabat et al. 2020 for intravenous cell doses only; other routes get no band, "
                "EV doses are never put on a cell axis, and a dose that is not reported is not drawn.",
    transform=lambda t, weight_kg: with_reference_weight(t["dose_context"], weight_kg),
    figure=lambda frame, t: dose_context_figure(frame),
    presentation={"trial_id": "Trial", "cohort": "Cohort", "dose": "Dose as reported",
                  "per_patient": "Per patient", "total": "Total over the schedule",
                  "versus_band": "Against Kabat 2020"},
    takeaway=takeaway, csv_name="dose_context", restyle_for_slide=dose_context_for_slides,
    settings=(Setting("weight_kg", "Reference body weight (kg)", REFERENCE_WEIGHT_KG, 1.0, 250.0, 1.0,
                      help="The per-patient dose is worked out as cells/kg × this weight; the downloads of the "
                           "dataset use 70 kg."),),
    empty="The trials shown have no dose that can be drawn as cells per patient: only doses stated in cells or "
          "cells/kg are drawn.",
)
