"""Every data file reads the same with libyaml's loader and with PyYAML's pure-Python one.

libyaml accepts some text that the YAML spec and the pure-Python loader refuse (an unquoted URL
with "?" inside a flow mapping); a file that only loads where libyaml is installed is a broken file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from trialdata.load import load_trial_text, safe_loader

from .conftest import DATA, ROOT

FILES = sorted((DATA / "trials").glob("*.yaml")) + sorted((ROOT / "tests" / "examples").glob("valid_*.yaml"))
PURE = safe_loader(yaml.SafeLoader)
LIBYAML = safe_loader(yaml.CSafeLoader)


def test_there_are_files_to_check():
    assert len(FILES) >= 6


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_both_loaders_read_the_same_data(path: Path):
    text = path.read_text(encoding="utf-8")
    assert yaml.load(text, Loader=PURE) == yaml.load(text, Loader=LIBYAML)  # noqa: S506 - safe loaders


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_both_loaders_give_the_same_validated_record(path: Path):
    raw = path.read_bytes()
    pure, pure_problems = load_trial_text(str(path), raw, loader=PURE)
    libyaml, libyaml_problems = load_trial_text(str(path), raw, loader=LIBYAML)
    assert [str(p) for p in pure_problems] == [] == [str(p) for p in libyaml_problems]
    assert pure.trial == libyaml.trial
    assert pure.lines == libyaml.lines


def test_the_pure_loader_refuses_what_only_libyaml_accepts():
    # the construct that broke NCT00962923.yaml: this test shows the check above can fail
    text = "- {id: x, url: https://example.org/a?b=c}\n"
    with pytest.raises(yaml.YAMLError):
        yaml.load(text, Loader=PURE)  # noqa: S506
    assert yaml.load(text, Loader=LIBYAML) == [{"id": "x", "url": "https://example.org/a?b=c"}]  # noqa: S506


def test_dates_stay_text_with_either_loader():
    for loader in (PURE, LIBYAML):
        assert yaml.load("d: 2024-08-20", Loader=loader) == {"d": "2024-08-20"}  # noqa: S506
