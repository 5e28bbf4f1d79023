"""Filters shared by every page: what each trial offers, applying a selection, and the URL form.

A trial whose value is not reported can be selected as "not_reported": unknowns are a choice,
not something filters silently drop.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

from trialdata.schema import label

# URL key -> (trials column, label, several values per trial?)
FILTERS: dict[str, tuple[str, str, bool]] = {
    "condition": ("condition_categories", "Condition", True),
    "product": ("product_type", "Product type", False),
    "source": ("cell_source", "Cell source", False),
    "donor": ("donor_type", "Donor type", False),
    "phase": ("phase", "Phase", False),
    "status": ("status", "Status", False),
    "country": ("countries", "Country", True),
    "registry": ("registry", "Registry", False),
}


@dataclass(frozen=True)
class Filters:
    """The selected values per filter key; an empty selection means "all"."""

    selected: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def of(cls, **chosen: list[str] | tuple[str, ...]) -> Filters:
        return cls(tuple((k, tuple(sorted(v))) for k, v in sorted(chosen.items()) if v))

    def get(self, key: str) -> tuple[str, ...]:
        return dict(self.selected).get(key, ())

    @property
    def active(self) -> bool:
        return bool(self.selected)


@dataclass(frozen=True)
class ParsedQuery:
    filters: Filters
    extra: dict[str, str] = field(default_factory=dict)  # page parameters such as ?trial=
    dropped: tuple[str, ...] = ()  # human-readable notes on what was ignored
    version: str | None = None  # the dataset version the link was made with (?v=)


VERSION_KEY = "v"  # every link the app shows carries the dataset version it was made with
_VERSION = re.compile(r"^[0-9a-f]{6,64}$")


def _value(trials: pl.DataFrame, col: str) -> pl.Expr:
    """The column as text, with its state where the value is unknown (so "not_reported" can be chosen)."""
    value = pl.col(col).cast(pl.String)
    return pl.coalesce(value, pl.col(f"{col}_state")) if f"{col}_state" in trials.columns else value


def trial_values(trials: pl.DataFrame) -> pl.DataFrame:
    """trial_id, key, value: one row per value a trial has for each filter (unknown -> its state)."""
    parts = []
    for key, (col, _, multi) in FILTERS.items():
        frame = trials.select("trial_id", pl.lit(key).alias("key"), _value(trials, col).alias("value"))
        if multi:
            frame = frame.with_columns(pl.col("value").str.split("; ")).explode("value")
        parts.append(frame)
    return pl.concat(parts).drop_nulls("value").unique().sort("key", "value", "trial_id")


def options(trials: pl.DataFrame) -> dict[str, list[str]]:
    """The values each filter can take in this dataset."""
    values = trial_values(trials)
    return {key: values.filter(pl.col("key") == key)["value"].unique().sort().to_list() for key in FILTERS}


def _has_one_of(trials: pl.DataFrame, key: str, chosen: tuple[str, ...]) -> pl.Expr:
    col, _, multi = FILTERS[key]
    value = _value(trials, col)
    if multi:
        return value.str.split("; ").list.eval(pl.element().is_in(chosen)).list.any()
    return value.is_in(chosen)


def matching_ids(trials: pl.DataFrame, filters: Filters) -> pl.Series:
    """Ids of the trials that have one of the selected values in every filter that has a selection."""
    conditions = [_has_one_of(trials, key, chosen) for key, chosen in filters.selected]
    return trials.filter(*conditions)["trial_id"] if conditions else trials["trial_id"]




def parse_query(params: Mapping[str, str | list[str]], trials: pl.DataFrame,
                extra_keys: dict[str, list[str]] | None = None) -> ParsedQuery:
    """URL parameters -> Filters; unknown keys and values are dropped and listed, never raised."""
    opts, extra_keys = options(trials), extra_keys or {}
    chosen: dict[str, list[str]] = {}
    extra: dict[str, str] = {}
    dropped: list[str] = []
    version = None
    for key, raw in params.items():
        values = [v.strip() for item in ([raw] if isinstance(raw, str) else raw) for v in item.split(",")]
        values = [v for v in values if v]
        if key == VERSION_KEY:
            if len(values) == 1 and _VERSION.match(values[0]):
                version = values[0]
            else:
                dropped.append(f"{key}={','.join(values)!r} (not a dataset version)")
        elif key in FILTERS:
            good = [v for v in values if v in opts[key]]
            dropped += [f"{key}={v!r} (no trial has this value)" for v in values if v not in opts[key]]
            if good:
                chosen[key] = good
        elif key in extra_keys:
            if len(values) == 1 and values[0] in extra_keys[key]:
                extra[key] = values[0]
            else:
                dropped.append(f"{key}={','.join(values)!r} (not one of the known values)")
        else:
            dropped.append(f"{key!r} (not a filter of this app)")
    return ParsedQuery(Filters.of(**chosen), extra, tuple(dropped), version)


def version_notice(link_version: str | None, current: str) -> str | None:
    """What to tell a person who opens a link made with another dataset version (the view still opens)."""
    if link_version is None or link_version == current:
        return None
    return (f"This link was made with dataset version {link_version}; you are viewing version {current}. "
            "Values may have changed since: CHANGELOG.md says what changed in each version.")


def describe(filters: Filters) -> list[str]:
    """The chosen filters in words, one per filter: "Product type = cells, exosomes"."""
    return [f"{FILTERS[k][1]} = {', '.join(label(v) for v in values)}" for k, values in filters.selected]


def to_query(filters: Filters, version: str | None = None) -> dict[str, str]:
    """Filters (and the dataset version the view shows) -> URL parameters (comma-separated values)."""
    query = {key: ",".join(values) for key, values in filters.selected}
    return {**query, VERSION_KEY: version} if version else query
