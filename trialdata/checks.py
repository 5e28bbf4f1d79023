"""Rules across records and against the source text.

Two outputs: `Problem`s (the data is wrong: a quote not in its source, an unknown source id, ...),
which fail `validate`; and findings (the *records* are wrong: contradictions, conflicts,
ambiguities), which are data the app shows.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from trialdata.load import Loaded, Problem, dotted, line_of, load_trial, trial_files
from trialdata.schema import (
    Allocation,
    Claim,
    DateType,
    FindingKind,
    InterventionModel,
    QuoteRef,
    SourceRole,
    State,
    Trial,
    iter_claims,
    label,
    on_or_before,
    value_text,
)


def collapse(text: str) -> str:
    """White space collapsed to single spaces: the form quotes are compared in."""
    return re.sub(r"\s+", " ", text).strip()


def json_text(raw: str) -> str:
    """Every key and value of a JSON document as one collapsed text, so its strings can be quoted."""
    parts: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                parts.append(str(key))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif node is not None:
            parts.append(str(node))

    try:
        walk(json.loads(raw))
    except (ValueError, RecursionError):
        return ""
    return collapse(" | ".join(parts))


def source_text(name: str, raw: str) -> str:
    return json_text(raw) if name.endswith(".json") else collapse(raw)


def read_source_texts(sources_dir: Path) -> dict[str, str]:
    """Collapsed text of every record file in data/sources/ (.txt as written, .json by its strings)."""
    files = sorted([*sources_dir.glob("*.txt"), *sources_dir.glob("*.json")])
    return {p.name: source_text(p.name, p.read_text(encoding="utf-8")) for p in files}


# --- problems: the dataset is wrong ---------------------------------------------------------------


def receipt_problems(rec: Loaded, source_texts: dict[str, str]) -> list[Problem]:
    """Each receipt names a known source; quotes from a source file are found in it verbatim."""
    trial, name = rec.trial, str(rec.path)
    sources = {s.id: s for s in trial.sources}
    problems: list[Problem] = []

    def problem(loc: tuple, message: str) -> None:
        problems.append(Problem(name, line_of(rec.lines, loc), dotted(loc), message))

    def check(loc: tuple, source_id: str | None, quote: str | None, needs_quote: bool) -> None:
        if source_id is None:
            return
        src = sources.get(source_id)
        if src is None:
            problem(loc + ("source",), f"unknown source {source_id!r} (not in this file's sources)")
            return
        if src.file is None:
            return
        if quote is None:
            if needs_quote:
                problem(loc, f"a value from the record {source_id!r} needs its verbatim quote")
        elif collapse(quote) not in source_texts.get(src.file, ""):
            problem(loc + ("quote",), f"quote not found in {src.file}: {quote[:80]!r}")

    for path, claim, _ in iter_claims(trial):
        check(path, claim.source, claim.quote, claim.state in (State.REPORTED, State.UNCLEAR))
    for i, finding in enumerate(trial.findings):
        for j, ref in enumerate(finding.quotes):
            check(("findings", i, "quotes", j), ref.source, ref.quote, True)
    for i, pub in enumerate(trial.publications):
        if pub.source not in sources:
            problem(("publications", i, "source"), f"unknown source {pub.source!r}")
    for i, src in enumerate(trial.sources):
        if src.file is not None and src.file not in source_texts:
            problem(("sources", i, "file"), f"no file data/sources/{src.file}")
    d = trial.dates
    order = ["start", "recruitment_end", "primary_completion", "completion"]
    for i, early in enumerate(order):
        for late in order[i + 1:]:
            a, b = getattr(d, early), getattr(d, late)
            if a.value and b.value and a.value.date > b.value.date:
                problem(("dates", late), f"{late} ({b.value.date}) is before {early} ({a.value.date})")
    primaries = [s for s in trial.sources if s.role is SourceRole.PRIMARY and s.file]
    if len(primaries) != 1:
        problem(("sources",), f"needs exactly one primary source with a file, found {len(primaries)}")
    for src_id, n in Counter(s.id for s in trial.sources).items():
        if n > 1:
            problem(("sources",), f"source id {src_id!r} is used {n} times")
    return problems


def identity_problems(records: list[Loaded]) -> list[Problem]:
    """File named by its trial id, the registry address names the id, no id twice."""
    problems = []
    for rec in records:
        t, name = rec.trial, str(rec.path)
        if rec.path.stem != t.trial_id:
            problems.append(Problem(name, line_of(rec.lines, ("trial_id",)), "trial_id",
                                    f"file is named {rec.path.name} but the trial is {t.trial_id}"))
        if t.trial_id not in t.registry_url:
            problems.append(Problem(name, line_of(rec.lines, ("registry_url",)), "registry_url",
                                    f"the address does not name {t.trial_id}"))
    first: dict[str, Loaded] = {}
    for rec in records:
        tid = rec.trial.trial_id
        if tid in first:
            problems.append(Problem(str(rec.path), line_of(rec.lines, ("trial_id",)), "trial_id",
                                    f"{tid} is also defined in {first[tid].path}"))
        first.setdefault(tid, rec)
    return problems


# --- findings: the records are wrong --------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """A data-quality finding as a flat record (the `flags` table)."""

    trial_id: str
    field: str
    kind: str
    origin: str  # "rule:<name>" or "curated"
    message: str
    quotes: tuple[QuoteRef, ...]


def _ref(claim: Claim) -> QuoteRef:
    return QuoteRef(source=claim.source or "-", locator=claim.locator or "-", quote=claim.quote)


def _shown(claim: Claim) -> str:
    """A claim's value in the words a finding's message uses: codes as their labels ("recruitment complete")."""
    if claim.value is None:
        return label(claim.state.value)
    values = claim.value if isinstance(claim.value, list) else [claim.value]
    return "; ".join(label(v.value) if isinstance(v, StrEnum) else value_text(v) for v in values)


def claims_disagree(trial: Trial) -> list[Flag]:
    """A fact whose claims carry different values: inside one source, or between sources."""
    flags = []
    for path, claim, is_headline in iter_claims(trial):
        if not is_headline or not getattr(claim, "also", None):
            continue
        claims = [claim, *claim.also]
        values = {_shown(c) for c in claims if c.value is not None}
        if len(values) < 2:
            continue
        same_source = len({c.source for c in claims}) == 1
        kind = FindingKind.INTERNAL_CONTRADICTION if same_source else FindingKind.SOURCE_CONFLICT
        said = "; ".join(f"{_shown(c)} ({c.source}: {c.locator})" for c in claims)
        where = "The record says" if same_source else "Sources disagree"
        flags.append(Flag(trial.trial_id, dotted(path), kind.value, "rule:claims_disagree",
                          f"{where}: {said}.", tuple(_ref(c) for c in claims)))
    return flags


def randomised_single_arm(trial: Trial) -> list[Flag]:
    """A design called randomised although it has a single arm or group."""
    d = trial.design
    randomised = [c for c in [d.allocation, *d.allocation.also] if c.value is Allocation.RANDOMIZED]
    single: list[Claim[InterventionModel] | Claim[int]] = [
        c for c in [d.intervention_model, *d.intervention_model.also] if c.value is InterventionModel.SINGLE_GROUP]
    single += [c for c in [d.n_arms] if c.value == 1]
    if not (randomised and single):
        return []
    return [Flag(trial.trial_id, "design.allocation", FindingKind.INTERNAL_CONTRADICTION.value,
                 "rule:randomised_single_arm",
                 "The design is called randomised, but the trial has a single arm: "
                 "there is nothing to randomise between.",
                 tuple(_ref(c) for c in randomised + single))]


def registration_by_dates(trial: Trial) -> tuple[str, str]:
    """The WHO ICTRP rule on the dates (registered on or before the first enrolment): "yes", "no" or "unclear",
    and the words it rests on. An anticipated start never decides it: registering before a planned date says
    nothing of when the first participant came."""
    reg, start = trial.dates.registration.value, trial.dates.start.value
    if reg is None:
        return "unclear", "registration date not reported"
    if start is None:
        return "unclear", f"registered {reg.date}; first enrolment date not reported"
    if start.type is DateType.EXPECTED:
        return "unclear", (f"registered {reg.date}; first enrolment {start.date} is anticipated and the actual "
                           "date is not reported, so the dates cannot decide it")
    rule = on_or_before(reg, start)
    verdict = {"yes": "on or before first enrolment", "no": "after first enrolment",
               "unclear": "the dates' precisions cannot decide it"}[rule]
    return rule, f"registered {reg.date}, first enrolment {start.date}: {verdict}"


def registration_statement(trial: Trial) -> str | None:
    """What a registry says of the registration's timing, as an answer: "yes" (prospective), "no" or "unclear"
    (implied only); None when no source says."""
    said = trial.dates.registration_timing
    if said.value is None:
        return None
    if said.state is State.UNCLEAR:
        return "unclear"
    return "yes" if said.value == "prospective" else "no"


def registration_timing_disagrees(trial: Trial) -> list[Flag]:
    """A registry's own word on prospective registration against what its dates show."""
    said = registration_statement(trial)
    rule, words = registration_by_dates(trial)
    if said not in ("yes", "no") or rule not in ("yes", "no") or said == rule:
        return []
    claim, d = trial.dates.registration_timing, trial.dates
    dated = [c for c in (d.registration, d.start) if c.value is not None]
    same_source = {c.source for c in dated} == {claim.source}
    kind = FindingKind.INTERNAL_CONTRADICTION if same_source else FindingKind.SOURCE_CONFLICT
    return [Flag(trial.trial_id, "dates.registration_timing", kind.value, "rule:registration_timing_disagrees",
                 f"{claim.source} says the registration was {claim.value}, but the dates say otherwise: {words}.",
                 (_ref(claim), *map(_ref, dated)))]


RULES = (randomised_single_arm, claims_disagree, registration_timing_disagrees)


def findings(trial: Trial) -> list[Flag]:
    """Rule-computed and curated findings of one trial; one per (field, kind), rules first."""
    flags = [f for rule in RULES for f in rule(trial)]
    flags += [Flag(trial.trial_id, f.field, f.kind.value, "curated", f.message, tuple(f.quotes))
              for f in trial.findings]
    seen, out = set(), []
    for f in flags:
        key = (f.field, f.kind) if f.origin.startswith("rule") else (f.field, f.kind, f.message)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out


def validate(paths: list[Path], sources_dir: Path) -> tuple[list[Loaded], list[Problem]]:
    """Load the YAML files and folders given, check receipts and cross-record rules."""
    texts = read_source_texts(sources_dir)
    files = trial_files(paths)
    problems = [Problem(str(p), 1, "(file)", "no trial YAML files here") for p in paths
                if p.is_dir() and not any(p.glob("*.yaml"))]
    records = []
    for path in files:
        rec, errs = load_trial(path)
        problems += errs
        if rec:
            records.append(rec)
            problems += receipt_problems(rec, texts)
    return records, problems + identity_problems(records)
