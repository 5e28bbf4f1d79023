"""What every table builder shares: the column specification (name, dtype, description) and the readers that
turn a record's claim into a table cell."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from trialdata.schema import Anchor, Claim, Cohort, TimePoint, Trial, display, to_weeks

STR, FLOAT, INT, BOOL = pl.String, pl.Float64, pl.Int64, pl.Boolean
STATE_DOC = "State of the value to its left: reported, not_reported, not_applicable or unclear."


@dataclass(frozen=True)
class Column:
    name: str
    dtype: pl.DataType | type[pl.DataType]  # pl.String or pl.String(), as polars takes either
    doc: str


def cols(*specs: tuple) -> list[Column]:
    """Column specs; a spec ending in "+state" also gets a `<name>_state` column."""
    out = []
    for name, dtype, doc, *extra in specs:
        out.append(Column(name, dtype, doc))
        if extra:
            out.append(Column(f"{name}_state", STR, STATE_DOC))
    return out


# --- small readers of claims -----------------------------------------------------------------------


def cell(claim: Claim):
    """The value for a table cell: unclear values are shown (their state says so), absent ones null."""
    v = claim.value
    return getattr(v, "value", v) if v is not None else None


def text_of(claim: Claim) -> str | None:
    return display(claim.value)


def with_state(name: str, claim: Claim, value=None) -> dict:
    return {name: cell(claim) if value is None else value, f"{name}_state": claim.state.value}


def joined(values: list) -> str | None:
    values = [v for v in values if v]
    return "; ".join(dict.fromkeys(values)) or None


# --- weeks since the first dose ---------------------------------------------------------------------


def _last_dose_weeks(cohorts: list[Cohort]) -> tuple[float | None, float | None]:
    """Earliest and latest week of a cohort's last administration (None where not reported)."""
    lasts = []
    for c in cohorts:
        tp = c.administrations[-1].time.value  # the schema keeps amount and unit together
        lasts.append(to_weeks(tp.amount, tp.unit) if tp and tp.amount is not None and tp.unit is not None else None)
    known = [w for w in lasts if w is not None]
    if not known:
        return None, None
    return min(known), (max(known) if len(known) == len(lasts) else None)


def time_window(tp: TimePoint, cohorts: list[Cohort]) -> tuple[float | None, float | None]:
    """A time point as (earliest, latest) weeks since the first dose; None where it cannot be placed."""
    if tp.anchor is Anchor.BASELINE:
        return 0.0, 0.0
    if tp.amount is None or tp.unit is None:  # the schema keeps amount and unit together
        return None, None
    lo, hi = to_weeks(tp.amount, tp.unit), to_weeks(tp.amount_max or tp.amount, tp.unit)
    if tp.anchor is Anchor.FIRST_DOSE:
        return lo, hi
    first_end, last_end = _last_dose_weeks(cohorts)
    return (None if first_end is None else first_end + lo, None if last_end is None else last_end + hi)


def cohorts_of(trial: Trial) -> list[Cohort]:
    return [c for iv in trial.interventions for c in iv.schedule]
