"""`python -m trialdata validate | build | export`: exit codes, messages, atomic writes, CSV format."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from trialdata import export
from trialdata.cli import main
from trialdata.tables import TABLES

from .conftest import DATA, cli_run

EXAMPLES = Path(__file__).parent / "examples"


run = cli_run  # in-process: the command line's code, without a process of its own


def test_validate_passes_on_the_bundled_data():
    r = run("validate")
    assert r.returncode == 0, r.stderr
    assert f"{len(list((DATA / 'trials').glob('*.yaml')))} trial(s) valid" in r.stdout


def test_validate_reports_file_line_field_and_exits_1():
    bad = EXAMPLES / "invalid_not_reported_with_value.yaml"
    line = re.search(r"^# expect: line=(\d+)", bad.read_text(), re.M).group(1)
    r = run("validate", str(bad))
    assert r.returncode == 1
    assert f"{bad}:{line}: enrollment.actual: a value that is not_reported must not carry a value" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00binary", b"- just\n- a list\n", b"key: [unclosed\n"])
def test_validate_never_shows_a_traceback_for_bad_input(tmp_path, content):
    f = tmp_path / "NCT00000001.yaml"
    f.write_bytes(content)
    r = run("validate", str(f))
    assert r.returncode == 1
    assert r.stderr.startswith(f"{f}:"), r.stderr
    assert "Traceback" not in r.stderr


def test_validate_a_missing_path_is_a_clear_error(tmp_path):
    r = run("validate", str(tmp_path / "nope.yaml"))
    assert r.returncode == 1 and "cannot read" in r.stderr


def test_validate_catches_a_file_named_after_another_id_and_duplicate_ids(data_copy):
    src = data_copy / "trials" / "NCT06466850.yaml"
    (data_copy / "trials" / "NCT99999999.yaml").write_text(src.read_text())
    assert main(["validate", "--data", str(data_copy)]) == 1
    records_msgs = run("validate", "--data", str(data_copy)).stderr
    assert "NCT99999999.yaml:3: trial_id: file is named NCT99999999.yaml but the trial is NCT06466850" in records_msgs
    assert "NCT06466850 is also defined in" in records_msgs


def test_build_writes_parquet_that_matches_the_committed_build(data_copy):
    assert main(["build", "--data", str(data_copy)]) == 0
    for name in TABLES:
        assert_frame_equal(pl.read_parquet(data_copy / "parquet" / f"{name}.parquet"),
                           pl.read_parquet(DATA / "parquet" / f"{name}.parquet"))
    assert not [p for p in data_copy.iterdir() if p.name.startswith(".parquet")]  # no temp folder left


def test_a_build_that_fails_midway_leaves_the_previous_parquet_untouched(data_copy, monkeypatch):
    before = {p.name: p.read_bytes() for p in (data_copy / "parquet").iterdir()}
    calls = {"n": 0}
    real = pl.DataFrame.write_parquet

    def failing(self, path, *a, **k):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device", str(path))
        return real(self, path, *a, **k)

    monkeypatch.setattr(pl.DataFrame, "write_parquet", failing)
    assert main(["build", "--data", str(data_copy)]) == 1
    assert {p.name: p.read_bytes() for p in (data_copy / "parquet").iterdir()} == before
    assert not [p for p in data_copy.iterdir() if p.name.startswith(".parquet")]


def test_build_refuses_invalid_data_and_keeps_the_parquet(data_copy, capsys):
    before = {p.name: p.read_bytes() for p in (data_copy / "parquet").iterdir()}
    f = data_copy / "trials" / "NCT06466850.yaml"
    f.write_text(f.read_text().replace("quote: Enrollment 20 estimated patients", "quote: Enrollment 21 patients"))
    assert main(["build", "--data", str(data_copy)]) == 1
    assert "quote not found in 001_c5e8272bb98d8e63.txt" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in (data_copy / "parquet").iterdir()} == before


def test_export_writes_every_table_as_utf8_bom_csv(tmp_path, tables):
    out = tmp_path / "out"
    r = run("export", str(out))
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{n}.csv" for n in TABLES] + ["data_dictionary.csv"])
    for name in TABLES:
        raw = (out / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        back = pl.read_csv(raw[3:], schema=tables[name].schema)
        assert_frame_equal(back, tables[name])


def test_export_leaves_not_reported_cells_empty_and_provenance_says_why(tmp_path):
    out = tmp_path / "out"
    assert main(["export", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO((out / "trials.csv").read_text(encoding="utf-8-sig"))))
    row = next(r for r in rows if r["trial_id"] == "NCT06574581")
    assert row["target_enrollment"] == "" and row["target_enrollment_state"] == "not_reported"
    prov = list(csv.DictReader(io.StringIO((out / "provenance.csv").read_text(encoding="utf-8-sig"))))
    why = [p for p in prov if p["trial_id"] == "NCT06574581" and p["field"] == "enrollment.target"]
    assert why[0]["quote"] == "Target Recruitment Not specified"
    assert list(prov[0]) == ["trial_id", "field", "claim", "state", "value", "source", "source_role", "locator",
                             "quote", "note"]


def test_export_to_an_unwritable_place_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = run("export", str(blocker / "out"))
    assert r.returncode == 1 and "Traceback" not in r.stderr and "error:" in r.stderr


def test_csv_bytes_keeps_non_latin_text():
    raw = export.csv_bytes(pl.DataFrame({"measure": ["IL-1β", "µmol/L"]}))
    assert raw.decode("utf-8-sig").splitlines() == ["measure", "IL-1β", "µmol/L"]


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
                                  "\tx", "\rx"])
def test_csv_neutralises_formulas(cell):
    raw = export.csv_bytes(pl.DataFrame({"title": [cell, "plain"], "n": [1, -2]}))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[1][0] == "'" + cell and rows[2] == ["plain", "-2"]  # numbers are left alone
