"""Every file the package writes is written atomically: a failure midway leaves the old file as it was."""

from __future__ import annotations

import os
import stat

import pytest

from trialdata import export
from trialdata.cli import main


def test_write_atomic_replaces_the_file_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "t.csv"
    target.write_bytes(b"old")
    export.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]
    assert stat.S_IMODE(target.stat().st_mode) & 0o044  # readable by others, not the temp file's 0600


@pytest.mark.parametrize("fail_at", ["fsync", "replace"])
def test_a_failure_mid_write_leaves_the_old_file_intact(tmp_path, monkeypatch, fail_at):
    target = tmp_path / "t.csv"
    target.write_bytes(b"old")

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export.os, fail_at, disk_full)  # after some or all of the new bytes are in the temp file
    with pytest.raises(OSError):
        export.write_atomic(target, b"new contents that never arrive")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_the_command_line_writes_through_it(tmp_path, monkeypatch):
    written = []
    monkeypatch.setattr("trialdata.cli.write_atomic", lambda path, data: written.append(path.name))
    assert main(["bundle", str(tmp_path)]) == 0
    assert len(written) == 1 and written[0].endswith("_bundle.zip")
    assert not list(tmp_path.iterdir())  # nothing is written around it


def test_export_writes_every_csv_through_it(tmp_path, monkeypatch, tables):
    calls = []
    real = export.write_atomic
    monkeypatch.setattr(export, "write_atomic", lambda path, data: (calls.append(path.name), real(path, data)))
    written = export.write_csvs(dict(tables), tmp_path)
    assert sorted(calls) == sorted(p.name for p in written) == sorted(p.name for p in tmp_path.iterdir())
    assert os.path.getsize(tmp_path / "trials.csv") > 0
