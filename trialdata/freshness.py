"""How fresh a trial's registry record is, in words: when the registry last updated it (as the copy held shows),
when that copy was read, and the dataset's "data as of" date.

"Checked" here means read from the registry (or the mirror held in its place): the copy in `data/sources/` is
what every value was taken from, so the day it was read is the last day this dataset looked at the registry for
this trial. The curator's `checked_on` is a check of the YAML against that copy, not a new look at the registry.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Literal

from trialdata.schema import TrialDate, date_bounds
from trialdata.vocab import DateType

# a copy read more than this many days before the output was made is marked as not checked for more than a year
STALE_AFTER_DAYS = 365
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _read_day(text: str) -> TrialDate | None:
    """The day the copy was read at its precision, or None when the text is not a date (2026-02-30, "June")."""
    if not _ISO.match(text):
        return None
    try:
        return TrialDate(date=text, type=DateType.ACTUAL)
    except ValueError:
        return None


def _last_update(trial: Mapping[str, object]) -> str:
    state, date = trial.get("last_update_state"), trial.get("last_update")
    count = f"update count {trial['update_count']}" if trial.get("update_count") is not None \
        and trial.get("update_count_state") == "reported" else None
    if date is not None:
        said = [s for s in ("unclear" if state == "unclear" else None, count) if s]
        on = "on" if len(str(date)) == len("YYYY-MM-DD") else "in"
        return f"the record held shows a last update {on} {date}" + (f" ({'; '.join(said)})" if said else "")
    mirror = trial.get("record_kind") == "registry_mirror"
    held = "the record held, a mirror's rendering," if mirror else "the record held"
    if state == "not_applicable":
        return f"{held} says a last update does not apply"
    if state == "unclear":  # a date given so that it cannot be read as one
        return f"{held} gives no clear last update" + (f" ({count})" if count else "")
    # not reported: whether the record was searched for one is in its receipt (Trial detail), not claimed here
    return "no last update is recorded for " + held.removesuffix(",") + (f" ({count})" if count else "")


def copy_age(trial: Mapping[str, object], today: dt.date) -> Literal["recent", "maybe_old", "old", "unknown"]:
    """Whether the copy held was read more than a year before `today`: "old" when even the latest day its date can
    mean is; "maybe_old" when only a month or year is given and the year falls inside it; "unknown" with no date."""
    day = _read_day(str(trial.get("record_read_on") or ""))
    if day is None:
        return "unknown"
    first, last = date_bounds(day)
    if (today - last).days > STALE_AFTER_DAYS:
        return "old"
    return "maybe_old" if (today - first).days > STALE_AFTER_DAYS else "recent"


def _read(trial: Mapping[str, object], today: dt.date) -> str:
    """The day the record held was read, the mark first (a slide that cuts the line keeps it)."""
    text = trial.get("record_read_on")
    if text is None:
        return "Day the record held was read not recorded, so its age is not known"
    day = _read_day(str(text))
    if day is None:
        return f"Record read \"{text}\" (not a date, so its age is not known)"
    first, last = date_bounds(day)
    whence = {"registry_record": " from the registry", "registry_mirror": " from the mirror"}.get(
        str(trial.get("record_kind")), "")
    read = f"record read{whence} {'on' if day.precision == 'day' else 'in'} {day.date}"
    age = copy_age(trial, today)
    if age == "old":
        return (f"Not checked against the registry for more than a year: {read}, {(today - last).days} days before "
                f"{today.isoformat()} (derived)")
    if age == "maybe_old":
        return (f"Maybe not checked against the registry for more than a year: {read}, given only to the "
                f"{day.precision} (up to {(today - first).days} days before {today.isoformat()}, derived)")
    return read[0].upper() + read[1:]


def record_freshness(trial: Mapping[str, object], as_of: str, today: dt.date) -> str:
    """One trial's freshness in words, from its row of the `trials` table: the day the copy held was read (marked
    when that is more than a year before `today`, the day the output is made), the registry's last update as that
    copy shows it, and the dataset's "data as of" date. Nothing is inferred for what the record does not show.

    The mark counts from `today`, not from "data as of": "data as of" is the curator's last check of the files,
    which does not make an old copy new, and a copy grows older while the output is read. Every output states the
    day it was made, so the mark can be checked from what it prints."""
    return f"{_read(trial, today)}; {_last_update(trial)}; data as of {as_of}."
