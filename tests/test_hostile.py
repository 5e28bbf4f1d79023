"""The hostile corpus: every file is rejected for its own reason, with file, line and field, never a traceback,
through `validate`, `import-ctgov` and the upload path the app uses."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from trialdata.checks import read_source_texts, receipt_problems, validate
from trialdata.cli import main as cli
from trialdata.ctgov import drafts
from trialdata.export import csv_bytes
from trialdata.load import MAX_FILE_BYTES, load_trial
from trialdata.schema import check_text
from trialdata.upload import MAX_FILES, MAX_USER_TRIALS, ingest

from .conftest import ROOT

HOSTILE = Path(__file__).parent / "hostile"
EXAMPLES = Path(__file__).parent / "examples"
EXPECT = dict(line.split("\t") for line in (HOSTILE / "EXPECTED.tsv").read_text().splitlines()[1:])
FILES = sorted(p for p in HOSTILE.iterdir() if p.suffix in (".yaml", ".json"))
YAML = [p for p in FILES if p.suffix == ".yaml"]
JSON = [p for p in FILES if p.suffix == ".json"]
SOURCES = read_source_texts(EXAMPLES / "sources")


def test_the_corpus_is_complete():
    assert len(FILES) >= 40
    assert {p.stem for p in FILES} == set(EXPECT)


def _check(problems, path: Path):
    assert problems, f"{path.name} was accepted"
    words = EXPECT[path.stem]
    assert any(words in p.message for p in problems), f"{path.name}: {[str(p) for p in problems]}"
    for p in problems:
        assert p.line >= 1 and p.field and p.message


@pytest.mark.parametrize("path", YAML, ids=lambda p: p.name)
def test_validate_rejects_each_yaml_for_its_reason(path):
    rec, problems = load_trial(path)
    problems += receipt_problems(rec, SOURCES) if rec else []
    _check(problems, path)
    assert all(p.file == str(path) for p in problems)


@pytest.mark.parametrize("path", JSON, ids=lambda p: p.name)
def test_import_rejects_each_json_for_its_reason(path, tmp_path, capsys):
    made, problems = drafts(str(path), path.read_bytes())
    assert made == []
    _check(problems, path)
    assert cli(["import-ctgov", str(path), "--out", str(tmp_path), "--data", str(tmp_path)]) == 1
    assert not list(tmp_path.rglob("*.yaml")), "nothing is written for a rejected file"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_upload_path_rejects_each_file_for_its_reason(path):
    result = ingest([(path.name, path.read_bytes())], set(), SOURCES)
    assert result.trials == []
    _check(result.problems, path)


def test_the_command_line_never_shows_a_traceback():
    r = subprocess.run([sys.executable, "-m", "trialdata", "validate", *map(str, YAML)], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert all(str(p) in r.stderr for p in YAML)


def test_duplicate_trial_ids_across_files():
    _, problems = validate([HOSTILE / "duplicate_ids"], EXAMPLES / "sources")
    assert any("is also defined in" in p.message for p in problems)


def test_a_very_large_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("x: " + "a" * (MAX_FILE_BYTES + 10))
    assert "larger than" in load_trial(big)[1][0].message
    assert "larger than" in drafts("big.json", b" " * (MAX_FILE_BYTES + 10))[1][0].message
    assert "larger than" in ingest([("big.yaml", b"a" * 1_000_001)], set(), SOURCES).problems[0].message


def test_upload_limits_each_give_a_clear_message():
    valid = (EXAMPLES / "valid_minimal.yaml").read_bytes()
    too_many = ingest([(f"f{i}.yaml", valid) for i in range(MAX_FILES + 1)], set(), SOURCES)
    assert f"the limit is {MAX_FILES}" in too_many.problems[0].message
    full = ingest([("valid.yaml", valid)], set(), SOURCES, already=MAX_USER_TRIALS)
    assert full.trials == [] and "limit" in full.problems[0].message
    assert "not a plain file name" in ingest([("../x.yaml", valid)], set(), SOURCES).problems[0].message
    assert "not a .yaml" in ingest([("x.exe", valid)], set(), SOURCES).problems[0].message
    clash = ingest([("valid.yaml", valid)], {"NCT01234567"}, SOURCES)
    assert clash.trials == [] and "already in the comparison" in clash.problems[0].message


def test_a_valid_upload_with_its_record_joins(tmp_path):
    valid = (EXAMPLES / "valid_minimal.yaml").read_bytes()
    record = (EXAMPLES / "sources" / "example_record.txt").read_bytes()
    result = ingest([("mine.yaml", valid), ("example_record.txt", record)], set(), {})
    assert [t.trial_id for t in result.trials] == ["NCT01234567"] and result.problems == []
    json_result = ingest([("study.json", (ROOT / "tests/fixtures/ctgov/NCT09000001.json").read_bytes())], set(), {})
    assert [t.trial_id for t in json_result.trials] == ["NCT09000001"]


# One formula rule for validation and export. A plain signed decimal is a number a spreadsheet shows as itself;
# everything else that starts with = + - @ tab or return would run (or is too odd to trust) and is a formula.
NUMBERS = ["-5", "-0.5", "+3", "+0.25", "-12345", "5", "0.5", "plain text", "5-2", "a=1+1", ""]
FORMULAS = ["-2+3", "-cmd|' /C calc'!A0", "+cmd|' /C calc'!A0", "=1+1", '=HYPERLINK("http://x")', "@SUM(A1)",
            "\t=1+1", "\r=1+1", "-1e5", "- 5", "--5", "-.5", "-5.", "-5\n", "-٥", "+"]


@pytest.mark.parametrize("text", FORMULAS + NUMBERS, ids=repr)
def test_validation_refuses_exactly_the_formulas(text):
    if text in FORMULAS:
        with pytest.raises(ValueError, match="spreadsheet formula"):
            check_text(text)
    else:
        check_text(text)
    check_text(text, verbatim=True)  # a verbatim quote may start with anything: the export neutralises it


@pytest.mark.parametrize("text", FORMULAS + NUMBERS, ids=repr)
def test_the_csv_neutralises_exactly_the_formulas(text):
    raw = csv_bytes(pl.DataFrame({"title": [text]}))
    (cell,) = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))[1]
    assert cell == ("'" + text if text in FORMULAS else text)
