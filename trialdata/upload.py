"""Files a person uploads in the app: validated in memory, never written to disk.

Our YAML (with the record's .txt in the same upload, so quotes can be checked) and ClinicalTrials.gov
API v2 JSON are accepted; each file either yields trials or is listed with its problems.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from trialdata import ctgov
from trialdata.checks import receipt_problems, source_text
from trialdata.load import Problem, load_trial_text
from trialdata.schema import Trial

MAX_FILES = 10  # per upload
MAX_FILE_BYTES = 1_000_000
MAX_USER_TRIALS = 20  # per browser session
MAX_PARSE_SECONDS = 3.0
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_. -]{0,120}$")


@dataclass
class Ingested:
    trials: list[Trial] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def ingest(files: list[tuple[str, bytes]], taken_ids: set[str], curated_sources: dict[str, str],
           already: int = 0) -> Ingested:
    """Validate an upload: trials that may join this session's comparison, and every problem found."""
    out = Ingested()
    if len(files) > MAX_FILES:
        out.problems.append(Problem("(upload)", 1, "(files)", f"{len(files)} files at once; the limit is {MAX_FILES}"))
        return out
    named = []
    for name, raw in files:
        if not SAFE_NAME.match(name) or ".." in name:
            out.problems.append(Problem("(upload)", 1, "(file name)", f"not a plain file name: {name[:60]!r}"))
        elif len(raw) > MAX_FILE_BYTES:
            out.problems.append(Problem(name, 1, "(file)", f"larger than {MAX_FILE_BYTES:,} bytes"))
        else:
            named.append((name, raw))
    texts = {n: r for n, r in named if n.endswith(".txt")}
    batch_sources = {}
    for name, raw in texts.items():
        try:
            batch_sources[name] = source_text(name, raw.decode("utf-8"))
        except UnicodeDecodeError as e:
            out.problems.append(Problem(name, 1, "(file)", f"not UTF-8 text ({e.reason} at byte {e.start})"))
    sources = {**curated_sources, **batch_sources}
    for name, raw in named:
        if name in texts:
            continue
        started = time.monotonic()
        trials, problems = _read(name, raw, sources)
        if time.monotonic() - started > MAX_PARSE_SECONDS:
            trials, problems = [], [Problem(name, 1, "(file)", f"took more than {MAX_PARSE_SECONDS:g} s to read")]
        out.problems += problems
        for trial in trials:
            if trial.trial_id in taken_ids:
                out.problems.append(Problem(name, 1, "trial_id", f"{trial.trial_id} is already in the comparison"))
            elif already + len(out.trials) >= MAX_USER_TRIALS:
                out.problems.append(Problem(name, 1, "(file)", f"this session already has {MAX_USER_TRIALS} "
                                            "uploaded trials, the limit"))
            else:
                out.trials.append(trial)
                taken_ids = taken_ids | {trial.trial_id}
    return out


def _read(name: str, raw: bytes, sources: dict[str, str]) -> tuple[list[Trial], list[Problem]]:
    if name.lower().endswith((".yaml", ".yml")):
        rec, problems = load_trial_text(name, raw)
        problems += receipt_problems(rec, sources) if rec else []
        return ([rec.trial] if rec and not problems else []), problems
    if name.lower().endswith(".json"):
        made, problems = ctgov.drafts(name, raw)
        return [d.trial for d in made], problems
    return [], [Problem(name, 1, "(file)", "not a .yaml, .yml, .json or .txt file")]
