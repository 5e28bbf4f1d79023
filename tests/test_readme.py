"""The README names every table, every command and every module, so a newcomer finds them all."""

from __future__ import annotations

import argparse

import pytest

from trialdata.cli import parser
from trialdata.tables import TABLES

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)).choices
MODULES = [p for p in sorted((ROOT / "trialdata").glob("*.py")) if not p.stem.startswith("__")]


@pytest.mark.parametrize("table", list(TABLES))
def test_every_table_is_in_the_readme(table):
    assert f"| `{table}` |" in README, f"README's table list leaves out {table}"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_is_in_the_readme(command):
    assert f"python -m trialdata {command}" in README, f"README's command line leaves out {command}"


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_every_module_is_in_the_code_layout(module):
    assert f"| `{module.name}` |" in README or f"`{module.name}`, " in README, f"code layout leaves out {module.name}"
