"""Design features: what each record says about the design (not a risk-of-bias judgement)."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl

from trialdata.columns import in_words
from trialdata.figures import (
    FONT,
    hover_text,
    margins,
    one_pass,
    status_grid,
    text_px,
)
from trialdata.schema import LABELS
from trialdata.transforms import looks
from trialdata.views.base import View
from trialdata.views.words import answers
from trialdata.vocab import (
    FEATURE_LOOKS,
)


def design_figure(grid: pl.DataFrame) -> go.Figure:
    """Trials x design features (robvis style): a coloured circle with a glyph in each cell and a legend. It says
    what the records state about the design; it is not a risk-of-bias judgement."""
    features = grid.select("feature_no", "feature").unique().sort("feature_no")["feature"].to_list()
    traces = status_grid(grid, "answer", FEATURE_LOOKS, "feature", lambda rows, look: [
        hover_text(f"{t} — {f}: {look.label}", d, f"source: {r or 'none'}")
        for t, f, d, r in rows.select("trial_id", "feature", "detail", "receipt").iter_rows()],
        size=34, ring=2, glyphs=True)
    trials = sorted(grid["trial_id"].unique().to_list())
    return one_pass(
        traces, "Design features: what each record states (not a risk-of-bias judgement)", 280 + 48 * len(features),
        xaxis=dict(type="category", categoryorder="array", categoryarray=trials, tickangle=-20, side="top",
                   tickfont=dict(size=FONT - 3), range=[-0.5, len(trials) - 0.3]),
        yaxis=dict(type="category", categoryorder="array", categoryarray=features[::-1], tickfont=dict(size=FONT - 3)),
        legend=dict(orientation="h", yanchor="top", y=-0.02, x=0),
        # on the right, room for the last trial's slanted id, which runs right from its tick: it ran past a 1024 px
        # screen's chart; half its width is enough, as the last column sits in from the plot's edge
        margin=dict(margins(features, trials, x_angle=20, tick_size=FONT - 3, top=170),
                    r=round(30 + text_px(trials[-1], FONT - 3) * math.cos(math.radians(20)) / 2)))


def design_grid(features: pl.DataFrame) -> pl.DataFrame:
    """Trials x design features with each answer's label and glyph (colour is never the only cue)."""
    return features.with_columns(
        *looks("answer", FEATURE_LOOKS),
    ).sort("feature_no", "trial_id")


# the overview's design badges: each is the design grid's answer, said the same way on every page
BADGE_FEATURES = {"randomised": "Randomised", "controlled": "Controlled", "blinded": "Blinded (whom, to what)",
                  "single_arm": "Single arm"}


def design_badges(trials: pl.DataFrame, features: pl.DataFrame) -> pl.DataFrame:
    """Per trial: phase, then randomised?, controlled?, blinded?, single arm? as the design grid answers them
    (yes, no, unclear, not reported): one answer for one question everywhere."""
    answers = (features.filter(pl.col("feature").is_in(list(BADGE_FEATURES.values())))
               .with_columns(pl.col("feature").replace_strict({v: k for k, v in BADGE_FEATURES.items()}),
                             pl.col("answer").replace(LABELS))
               .pivot("feature", index="trial_id", values="answer"))
    phase = in_words(trials, "phase", mark_unclear=True)
    return (trials.select("trial_id", phase).join(answers, on="trial_id", how="left")
            .select("trial_id", "phase", *[pl.col(k).fill_null("not reported") if k in answers.columns else
                                           pl.lit("not reported").alias(k) for k in BADGE_FEATURES])
            .sort("trial_id"))


def takeaway(frame: pl.DataFrame) -> list[str]:
    registered = frame.filter(pl.col("feature").str.starts_with("Prospectively"))
    return [f"Randomised: {answers(frame.filter(pl.col('feature') == 'Randomised'))}",
            f"Registered before enrolment: {answers(registered)}",
            "Design features, not a risk-of-bias judgement"]


COLUMN_HELP = {  # the columns this view derives
    "answer_label": "The answer to this design question, in words.",
}


VIEW = View(
    order=120,
    key="design", title="Design features", path="design", host="overview",
    question="What does each record say about the design: randomised, controlled, single arm, blinded (whom, "
             "to what), registered before enrolment, a target size, who funds it, a timed primary outcome, and "
             "the dose-finding items?",
    how_to_read="A description of the design, not a risk-of-bias judgement. Prospective registration rests on "
                "a registry's own statement where one exists; the WHO ICTRP rule (registered on or before the "
                "first enrolment) is a check beside it, and an anticipated start never decides it.",
    on_screen="Hover a cell for what the answer rests on.",
    transform=lambda t: design_grid(t["design_features"]),
    figure=lambda frame, t: design_figure(frame),
    presentation={"trial_id": "Trial", "feature": "Feature", "answer_label": "Answer", "detail": "Detail"},
    takeaway=takeaway, csv_name="design_features",
    column_help=COLUMN_HELP,
)
