"""The curated records: one per file, named by id, every quote found, no personal data, findings kept."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import polars as pl
import pytest

from trialdata.checks import collapse, validate
from trialdata.schema import REGISTRY_ID_PATTERNS, FindingKind

from .conftest import DATA, ROOT

TRIAL_FILES = sorted((DATA / "trials").glob("*.yaml"))
SHARED_SOURCES = ROOT.parent / "shared" / "sources"
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"\+\d{2}[\d ]{7,}")


@pytest.mark.parametrize("path", TRIAL_FILES, ids=lambda p: p.stem)
def test_record_is_named_by_its_id_and_points_to_the_schema(path: Path, trials):
    trial = next(t for t in trials if t.trial_id == path.stem)
    assert re.match(REGISTRY_ID_PATTERNS[trial.registry], trial.trial_id)
    assert path.read_text(encoding="utf-8").splitlines()[0] == (
        "# yaml-language-server: $schema=../trials.schema.json"
    )


def test_every_record_validates_and_every_quote_is_in_its_source():
    records, problems = validate([DATA / "trials"], DATA / "sources")
    assert [str(p) for p in problems] == []
    assert len(records) == len(TRIAL_FILES) > 0  # every file, however many a curator has added


def test_source_records_are_unchanged():
    sums = (DATA / "sources" / "SHA256SUMS").read_text().split("\n")
    for line in filter(None, sums):
        digest, name = line.split()
        assert hashlib.sha256((DATA / "sources" / name).read_bytes()).hexdigest() == digest, name
    if SHARED_SOURCES.is_dir():  # beside the repo in development and CI: compare with the originals
        for original in SHARED_SOURCES.glob("00*.txt"):
            assert (DATA / "sources" / original.name).read_bytes() == original.read_bytes()


def _person_names() -> set[str]:
    """Names of people in the raw records (the lines after the registries' person fields)."""
    names = set()
    for path in (DATA / "sources").glob("00*.txt"):
        lines = [ln.strip().strip("#* ") for ln in path.read_text(encoding="utf-8").splitlines()]
        lines = [ln for ln in lines if ln]
        for i, ln in enumerate(lines[:-1]):
            if ln in ("Full name of responsible person", "Name", "Central trial contact"):
                for part in re.split(r"[;]", lines[i + 1]):
                    name = re.sub(r"^(Dr\.? ?)|,.*$", "", part.strip()).strip()
                    if re.fullmatch(r"[A-Z][A-Za-z.]+( [A-Z][A-Za-z.]+)+", name):  # a name, not a label
                        names.add(name)
    return names


def test_person_names_are_found_in_the_raw_records():
    assert len(_person_names()) >= 5  # the extractor must find something for the next test to mean anything


def _curated_texts(tables) -> dict[str, str]:
    texts = {p.name: p.read_text(encoding="utf-8") for p in TRIAL_FILES}
    for name, frame in tables.items():
        texts[f"{name} table"] = frame.write_csv()
    return texts


def test_no_personal_contact_data_in_curated_data_or_tables(tables):
    names = _person_names()
    for where, text in _curated_texts(tables).items():
        assert not EMAIL.search(text), f"e-mail address in {where}"
        assert not PHONE.search(text), f"phone number in {where}"
        for name in names:
            assert name not in text, f"{name!r} in {where}"


def test_findings_cover_every_kind_and_the_known_contradictions(tables):
    flags = tables["flags"]
    assert flags.height >= 6
    # every kind a curator writes from the held records; registry_changed is drafted by `watch` from the registry's
    # current record, which no held record is
    assert set(flags["kind"]) == {k.value for k in FindingKind} - {FindingKind.REGISTRY_CHANGED}
    assert set(flags["trial_id"]) <= {p.stem for p in TRIAL_FILES}  # a trial a curator adds may have none
    rule_hits = set(flags.filter(pl.col("origin").str.starts_with("rule")).select("trial_id", "field").rows())
    assert ("IRCT20160809029275N2", "enrollment.target") in rule_hits  # 13 vs 15
    assert ("NCT06574581", "enrollment.target") in rule_hits  # not specified vs 10 vs 16
    assert ("IRCT20130812014333N184", "design.allocation") in rule_hits  # randomised single arm
    phase = flags.filter((pl.col("trial_id") == "NCT06574581") & (pl.col("field") == "phase"))["message"].item()
    assert phase.startswith("Sources disagree: Phase 1 (medpath") and "Phase 1/2 (medifind" in phase  # words,
    assert not any(re.search(r"\b[a-z]+_[a-z0-9_]+\b", m) for m in flags["message"])  # never a code (phase_1_2)


def test_words_a_finding_puts_in_double_quotes_are_in_its_quotes(trials):
    # a finding may not attribute words to a record that its quotes do not contain
    for trial in trials:
        for finding in trial.findings:
            quoted = " | ".join(collapse(q.quote) for q in finding.quotes if q.quote)
            for words in re.findall(r'"([^"]+)"', finding.message):
                assert collapse(words) in quoted, f"{trial.trial_id} {finding.field}: {words!r}"


def test_a_missing_value_is_never_zero(tables):
    trials = tables["trials"]
    for col in [c for c in trials.columns if f"{c}_state" in trials.columns]:
        absent = trials.filter(pl.col(f"{col}_state").is_in(["not_reported", "not_applicable"]))
        assert absent[col].is_null().all(), f"{col} has a value where the state says there is none"
