"""The validator accepts the valid example and rejects each invalid one at the right file, line and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trialdata.checks import read_source_texts, receipt_problems
from trialdata.load import load_trial

EXAMPLES = Path(__file__).parent / "examples"
INVALID = sorted(EXAMPLES.glob("invalid_*.yaml"))


def problems_of(path: Path):
    rec, problems = load_trial(path)
    if rec:
        problems += receipt_problems(rec, read_source_texts(EXAMPLES / "sources"))
    return problems


def test_valid_example_passes():
    assert problems_of(EXAMPLES / "valid_minimal.yaml") == []


def test_there_is_an_invalid_example_per_rule():
    assert len(INVALID) >= 12


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_example_fails_at_its_line_and_field(path: Path):
    expect = re.search(r"^# expect: line=(\S+) field=(\S+) message=(.*)$", path.read_text(), re.M)
    line, field, message = expect.group(1), expect.group(2), expect.group(3).strip()
    problems = problems_of(path)
    assert problems, "an invalid example passed validation"
    matching = [p for p in problems if p.field == field and message in p.message]
    assert matching, f"no problem at field {field!r} with {message!r}: {[str(p) for p in problems]}"
    p = matching[0]
    assert p.file == str(path)
    if line != "any":
        assert p.line == int(line), str(p)
    assert str(p).startswith(f"{path}:{p.line}: {field}: ")
