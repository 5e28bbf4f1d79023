"""The dual-extraction comparison (scripts/compare_extractions.py) that each curation pass reruns."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("compare_extractions", ROOT / "scripts" / "compare_extractions.py")
compare_extractions = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare_extractions)


def test_kappa_corrects_agreement_for_chance():
    assert compare_extractions.kappa([("a", "a"), ("b", "b")]) == 1.0
    # 2 of 4 agree; each rater says a and b twice: chance agreement is one half, so kappa is 0
    assert compare_extractions.kappa([("a", "a"), ("a", "b"), ("b", "a"), ("b", "b")]) == 0.0
    assert compare_extractions.kappa([("a", "b"), ("b", "a")]) == pytest.approx(-1.0)


def test_a_second_extraction_is_compared_field_by_field(trials):
    trial = next(t for t in trials if t.trial_id == "NCT00962923")
    review = {"fields": {"status": {"state": "reported", "value": "unknown"},
                         "phase": {"state": "reported", "value": "phase_2"},
                         "enrollment_actual": {"state": "not_reported"}}}
    rows = {r["field"]: r for r in compare_extractions.compare(trial, review)}
    assert rows["status"]["state_agrees"] and rows["status"]["value_agrees"]
    assert rows["phase"]["state_agrees"] and rows["phase"]["value_agrees"] is False  # phase_1_2 against phase_2
    assert not rows["enrollment_actual"]["state_agrees"]  # unclear 14 against not reported
    assert rows["public_title"]["theirs"] == "(none)"  # a field the reviewer left out is a disagreement
    assert "ev_markers" not in rows  # an EV item does not fit a cell product


def test_the_committed_second_extraction_covers_every_trial(capsys):
    assert compare_extractions.main([]) == 0
    table = capsys.readouterr().out
    assert table.count("| NCT") == 3 and table.count("| IRCT") == 2 and "kappa" in table
