"""The project speaks of the product: its code, docs, schema and data never narrate the team's work sessions or
cite issue numbers. When the team did a thing goes in git and the CHANGELOG; why a thing is so goes in the text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import ROOT

# a work session by its ordinal ("the eleventh session's code"), a numbered session or issue; a trial's infusion
# sessions ("after the third session") are the records' words and stay allowed
WORK_HISTORY = re.compile(
    r"\b(fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|"
    r"seventeenth|eighteenth|nineteenth|twentieth)[\s-]+session\b|\b(first|second|third)[\s-]+session's\b"
    r"|\bsession\s+\d+\b|\bissues?\s+#?\d+\b|\bissues?\s*#\d+\b", re.IGNORECASE)
TEXT = (".py", ".md", ".json", ".toml", ".yaml", ".yml", ".cff", ".cfg", ".tsv", ".txt", ".html", ".css", ".js")
SKIP = {".venv", "node_modules", ".git", ".pytest_cache", ".ruff_cache", "screenshots"}
# the history itself; the registry records, verbatim; this file's own examples
KEPT = {ROOT / "CHANGELOG.md", ROOT / "data" / "sources", Path(__file__).resolve()}


def project_files() -> list:
    return sorted(p for p in ROOT.rglob("*") if p.is_file() and p.suffix in TEXT
                  and not SKIP & set(p.relative_to(ROOT).parts)
                  and not any(p == k or k in p.parents for k in KEPT))


@pytest.mark.parametrize("said, history", [
    ("the eleventh session's final code", True), ("Fourth session figures", True), ("see issue 14, part 3", True),
    ("issues #27", True), ("the first session's runs", True), ("the problems listed in issue\n14", True),
    ("4-6 weeks after the first session", False), ("the day of the third session", False),
    ("the issue of dose", False),
])
def test_the_rule_tells_work_history_from_a_trials_sessions(said, history):
    assert bool(WORK_HISTORY.search(said)) is history


def test_no_project_text_narrates_work_sessions_or_cites_issue_numbers():
    found = [f"{p.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)!r}" for p in project_files()
             for text in [p.read_text(encoding="utf-8", errors="replace")]
             for m in WORK_HISTORY.finditer(text)]  # the whole text: a line break does not hide "issue\n14"
    assert not found, "\n".join(found)
