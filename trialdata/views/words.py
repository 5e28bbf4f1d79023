"""Words the takeaways share: counts with their nouns, lists of names, tallies, and the numbers a column spans."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import polars as pl

from trialdata.vocab import label


def counted(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def names_list(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def leaders(frame: pl.DataFrame, key: str, count: str) -> tuple[str, int, int]:
    """Every `key` with the largest `count` (ties are all named, never one picked by spelling): their names, that
    count and how many share it."""
    top = cast(int, frame[count].max())  # a count, and the frame has rows (else there is no name to give)
    names = sorted(str(k) for k in frame.filter(pl.col(count) == top)[key])
    return names_list(names), top, len(names)


def answers(frame: pl.DataFrame, col: str = "answer") -> str:
    """'4 no, 1 not reported': each answer given, with its count, in the vocabulary's order."""
    counts = dict(frame[col].value_counts().iter_rows())
    order = ["yes", "no", "unclear", "not_reported", "not_applicable"]
    ranked = sorted(counts, key=lambda a: order.index(a) if a in order else len(order))
    return ", ".join(f"{counts[a]} {label(a)}" for a in ranked)


def tally(column: pl.Series) -> str:
    """'cells 3, exosomes 2': each value with how often it occurs, most frequent first."""
    counts = column.value_counts(sort=True, name="n").sort(["n", column.name], descending=[True, False])
    return ", ".join(f"{value} {n}" for value, n in counts.iter_rows())


def count_of(frame: pl.DataFrame, col: str, value: str) -> int:
    return frame.filter(pl.col(col) == value).height


def extremes(column: pl.Series) -> tuple[float, float]:
    """The smallest and largest value of a number column that holds one. Polars types a column's min and max as
    any value some column may hold; a number column's are numbers (an integer column's stay int)."""
    return cast(float, column.min()), cast(float, column.max())


def largest(column: pl.Series) -> float | None:
    """The largest value of a number column, None when it holds none (typed as `extremes` says)."""
    return cast("float | None", column.max())
