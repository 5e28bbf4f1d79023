"""Is a result overdue? Each trial's completion date against the results posted or published."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from trialdata.figures import (
    FONT,
    hover_text,
    margins,
    note_text,
    one_pass,
    plot_px,
    rewrapped,
    rows_height,
    slide_plot_px,
    slide_style,
)
from trialdata.views.base import View
from trialdata.views.words import counted, extremes, largest
from trialdata.vocab import (
    BLUE,
    VERMILLION,
)


def results_status_figure(status: pl.DataFrame) -> go.Figure:
    """Months since the stated completion date (derived) per trial, with whether a result was found; a trial whose
    completion has not passed or cannot be placed gets its answer written in its lane instead of a bar."""
    trials = status["trial_id"].to_list()[::-1]
    passed = status.filter(pl.col("months_since_completion").is_not_null())
    published = passed["publication_linked"].str.contains("names the registration")
    traces = []
    for found, colour, name in [(True, BLUE, "completion passed; publication found"),
                                (False, VERMILLION, "completion passed; no result found in the sources held")]:
        rows = passed.filter(published == found)
        if rows.is_empty():
            continue
        traces.append(dict(
            type="bar", orientation="h", name=name, y=rows["trial_id"].to_list(),
            x=rows["months_since_completion"].to_list(), marker=dict(color=colour), width=0.6,
            # short lines: on one line a 1024 px screen's bar shrank the label to about 9 px
            text=[f"{m:g} months (derived)<br>since {d} ({k})" + ("<br>date unclear" if st == "unclear" else "")
                  for m, d, k, st in rows.select("months_since_completion", "completion_date", "completion_type",
                                                 "completion_date_state").iter_rows()],
            textposition="inside", insidetextanchor="start", cliponaxis=False,  # outside, it ran off a narrow chart
            insidetextfont=dict(color="white"),  # the chart's type: a slide's is larger
            hovertext=[hover_text(t, a, d, f"completion date: {r}", s) for t, a, d, r, s in rows.select(
                "trial_id", "answer", "derivation", "receipt", "searched").iter_rows()], hoverinfo="text"))
    top = (largest(passed["months_since_completion"]) or 12) * 1.35
    margin = margins(trials, x_title=True)
    room = plot_px(margin) + margin["r"]  # from the plot's left edge to the figure's right one
    notes = [dict(x=0, y=t, xanchor="left", align="left", showarrow=False, font=dict(size=FONT - 3, color="#1f1f1f"),
                  text=note_text(a, px=room, size=FONT - 3))
             for t, a, m in status.select("trial_id", "short_answer", "months_since_completion").iter_rows()
             if m is None]  # wrapped: on one line an answer ran off a 1024 px screen's chart
    as_of = str(status["data_as_of"].max())  # a date as text, as the f-strings below showed it
    foot = note_text(f"Data as of {as_of}. {status['searched'][0] if status.height else ''}", px=room, size=FONT - 5)
    notes.append(dict(x=0, y=0, xref="paper", yref="paper", yshift=-100, xanchor="left", yanchor="top", text=foot,
                      showarrow=False, align="left", font=dict(size=FONT - 5, color="#444"), name="footnote"))
    bottom = 115 + 16 * (foot.count("<br>") + 1)  # the two-line axis title, then the footnote's lines
    return one_pass(traces, "Is a result overdue? Months since the stated completion date (derived)",
                    rows_height(len(trials), 70) + bottom - 150, annotations=notes, barmode="overlay",
                    margin=dict(margin, b=bottom),
                    xaxis=dict(title=f"months from the stated<br>completion date to {as_of}", range=[0, top]),
                    # a lane per trial even when no trial has a bar (the lanes then hold only their sentences)
                    yaxis=dict(type="category", categoryorder="array", categoryarray=trials,
                               range=[-0.5, len(trials) - 0.5]))


def results_status_for_slides(fig: go.Figure) -> go.Figure:
    """The overdue chart for a slide, its footnote on longer lines (at slide type it ran off the image)."""
    out = slide_style(fig)
    for note in out.layout.annotations:
        if note.name == "footnote":  # lower too: the slide's larger axis title takes more room above it
            note.update(text=rewrapped(note, slide_plot_px(out) + out.layout.margin.r), yshift=-115)
    return out


def results_status_view(status: pl.DataFrame) -> pl.DataFrame:
    """The results status of each trial, months since completion first (the chart's order)."""
    return status.sort(pl.col("months_since_completion").is_null(), "trial_id")


def takeaway(frame: pl.DataFrame) -> list[str]:
    passed = frame.filter(pl.col("completion_passed") == "yes")
    cannot = frame.filter(pl.col("answer").str.starts_with("Cannot tell"))
    # what is known without a completion date: a recruitment end that has passed (months derived in its row)
    ended = cannot["derivation"].str.extract(r"^derived: recruitment end .* = ([\d.]+) months$").cast(pl.Float64)
    ended, since = ended.drop_nulls(), ""
    if ended.len():
        lo, hi = extremes(ended)
        span = f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g}"
        since = f"; {ended.len()} of them past their recruitment end by {span} months (derived)"
    return [f"{counted(passed.height, 'trial')} past a stated completion date; "
            f"{passed.filter(pl.col('publication_linked').str.contains('names the registration')).height} with a "
            "linked publication",
            f"{cannot.height} cannot be told from a completion date{since}",
            "Only the sources held in this dataset were searched"]


VIEW = View(
    order=110,
    key="results_status", title="Is a result overdue?", path="results-status", host="results",
    question="Has each trial's stated completion date passed, and were results posted or published?",
    how_to_read="Months since completion are derived (from the last day the stated date can mean to the "
                "dataset's data-as-of date). Only the sources held in this dataset were searched: a result posted "
                "or published elsewhere would not be seen here.",
    transform=lambda t: results_status_view(t["results_status"]),
    figure=lambda frame, t: results_status_figure(frame),
    presentation={"trial_id": "Trial", "completion_date": "Completion", "completion_type": "Actual or anticipated",
                  "results_posted": "Results on the registry", "publication_linked": "Publication",
                  "answer": "Is a result overdue?"},
    takeaway=takeaway, csv_name="results_status", restyle_for_slide=results_status_for_slides,
)
