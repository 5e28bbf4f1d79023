"""The table store: every table of the dataset by name, read lazily from Parquet or held in memory
(uploads), and restricted to some trials (filters, a per-trial selection, one trial).

Every store is a `Mapping[str, pl.DataFrame]` with `rows_of(name, trial_ids)`, so pages, reports and
benchmarks never care which one they hold. Frames are never changed in place, so stores are shared
between sessions safely.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Protocol

import polars as pl

from trialdata.filters import Filters, matching_ids
from trialdata.tables import TABLES

USER_SUPPLIED = "user-supplied"  # the `origin` of an uploaded trial (curated trials are "curated")
USER_MARK = " [user-supplied]"  # how people see an uploaded trial's id


class TableStore(Protocol):
    def __getitem__(self, name: str) -> pl.DataFrame: ...
    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...
    def rows_of(self, name: str, trial_ids: pl.Series) -> pl.DataFrame: ...


def _rows(frame: pl.DataFrame, trial_ids: pl.Series) -> pl.DataFrame:
    return frame.filter(pl.col("trial_id").is_in(trial_ids.implode()))


class ParquetStore(Mapping[str, pl.DataFrame]):
    """The built tables, each read when first asked for and then kept. The rows of a few trials are read
    without loading the whole table: the tables are sorted by trial_id, so Parquet's row-group statistics
    let the scan skip everything else (a 25-trial view of a 2.4-million-row table reads one row group)."""

    FEW = 1_000  # up to this many trials, scan; beyond, load the whole table once and filter in memory

    def __init__(self, parquet_dir: Path):
        self._dir = parquet_dir
        self._loaded: dict[str, pl.DataFrame] = {}
        self._lock = threading.Lock()  # sessions share this object: read each table once

    def __getitem__(self, name: str) -> pl.DataFrame:
        if name not in TABLES:
            raise KeyError(name)
        with self._lock:
            if name not in self._loaded:
                self._loaded[name] = pl.read_parquet(self._dir / f"{name}.parquet")
            return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(TABLES)

    def __contains__(self, name: object) -> bool:  # without reading the table
        return name in TABLES

    def __len__(self) -> int:
        return len(TABLES)

    def rows_of(self, name: str, trial_ids: pl.Series) -> pl.DataFrame:
        if name in self._loaded or trial_ids.len() > self.FEW:
            return _rows(self[name], trial_ids)
        return pl.scan_parquet(self._dir / f"{name}.parquet").filter(
            pl.col("trial_id").is_in(trial_ids.implode())).collect()


class _Over(Mapping[str, pl.DataFrame]):
    """A store over other tables (`self._tables`): the same names, and a few trials' rows from its own frames."""

    _tables: Mapping[str, pl.DataFrame]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)

    def __contains__(self, name: object) -> bool:  # without reading the table
        return name in self._tables

    def rows_of(self, name: str, trial_ids: pl.Series) -> pl.DataFrame:
        return _rows(self[name], trial_ids)


class MemoryStore(_Over):
    """Tables held in memory: a build from YAML, or the curated tables with a session's uploads added."""

    def __init__(self, tables: Mapping[str, pl.DataFrame]):
        self._tables = dict(tables)

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self._tables[name]


class Beside(_Over):
    """Tables with further frames beside them that are not tables of the dataset (the changes since an older
    version): looked up first, and never restricted by trial (the view that reads one keeps the rows it shows)."""

    def __init__(self, tables: Mapping[str, pl.DataFrame], further: Mapping[str, pl.DataFrame]):
        self._tables, self._further = tables, dict(further)

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self._further[name] if name in self._further else self._tables[name]

    def __contains__(self, name: object) -> bool:
        return name in self._further or name in self._tables

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self._tables, *self._further]))

    def __len__(self) -> int:
        return len(dict.fromkeys([*self._tables, *self._further]))

    def rows_of(self, name: str, trial_ids: pl.Series) -> pl.DataFrame:
        return self._further[name] if name in self._further else _rows(self._tables[name], trial_ids)


def with_uploads(curated: Mapping[str, pl.DataFrame], uploaded: Mapping[str, pl.DataFrame]) -> MemoryStore:
    """The curated tables with uploaded trials' rows appended; the uploads keep their ids (their `origin`
    in `trials` says they are user-supplied)."""
    return MemoryStore({name: pl.concat([curated[name], uploaded[name]], how="vertical") for name in TABLES})


class Restricted(_Over):
    """Every table restricted to some trials. Each table is restricted when first asked for and then kept,
    so a page that reads two of the ten tables pays for two."""

    _ids: pl.Series

    def __init__(self, tables: Mapping[str, pl.DataFrame], trial_ids: pl.Series | list[str]):
        ids = pl.Series("trial_id", trial_ids, dtype=pl.String)
        if isinstance(tables, Restricted):  # a subset of a subset: go to the whole tables, not via every row kept
            ids = ids.filter(ids.is_in(tables._ids.implode()))
            tables = tables._tables
        self._tables, self._ids = tables, ids
        self._done: dict[str, pl.DataFrame] = {}

    def __getitem__(self, name: str) -> pl.DataFrame:
        if name not in self._done:  # two sessions may both compute it once: same result, no lock needed
            rows_of = getattr(self._tables, "rows_of", None)  # plain dicts (tests, builds) have no rows_of
            self._done[name] = rows_of(name, self._ids) if rows_of else _rows(self._tables[name], self._ids)
        return self._done[name]


def restrict(tables: Mapping[str, pl.DataFrame], trial_ids: list[str] | pl.Series) -> Restricted:
    """Every table restricted to the given trials."""
    return Restricted(tables, trial_ids)


def filtered(tables: Mapping[str, pl.DataFrame], filters: Filters) -> Mapping[str, pl.DataFrame]:
    """Every table restricted to the trials the filters keep (each table only when a page asks for it)."""
    if not filters.active:
        return tables
    return Restricted(tables, matching_ids(tables["trials"], filters))


def uploaded_ids(trials: pl.DataFrame) -> list[str]:
    """The ids of the trials a person uploaded in this session, from the `origin` column."""
    return trials.filter(pl.col("origin") == USER_SUPPLIED)["trial_id"].to_list()


def shown_id(trial_ids: list[str]) -> pl.Expr:
    """trial_id as people see it: uploaded trials carry "[user-supplied]" (the data keeps the plain id)."""
    return (pl.when(pl.col("trial_id").is_in(trial_ids)).then(pl.col("trial_id") + USER_MARK)
            .otherwise(pl.col("trial_id")).alias("trial_id"))


class Marked(_Over):
    """The tables as people see them: every uploaded trial's id carries "[user-supplied]", in each table
    when first asked for. What is downloaded as data keeps the plain ids and the `origin` column."""

    def __init__(self, tables: Mapping[str, pl.DataFrame], trial_ids: list[str]):
        self._tables, self._expr = tables, shown_id(trial_ids)
        self._done: dict[str, pl.DataFrame] = {}

    def __getitem__(self, name: str) -> pl.DataFrame:
        if name not in self._done:
            self._done[name] = self._tables[name].with_columns(self._expr)
        return self._done[name]


def as_shown(tables: Mapping[str, pl.DataFrame]) -> Mapping[str, pl.DataFrame]:
    """The tables as people see them (uploaded trials marked); the same object when nothing was uploaded."""
    ids = uploaded_ids(tables["trials"])
    return Marked(tables, ids) if ids else tables
