"""The README says only what is true: every command and code block in it runs as written (on copies of the data,
never on data/), every page and its address are listed, and every table and command is named."""

from __future__ import annotations

import argparse
import contextlib
import re
import shlex
import shutil
import subprocess
import threading

import pytest

from trialdata.cli import main as cli
from trialdata.cli import parser
from trialdata.tables import TABLES
from trialdata.ui.navigation import SECTIONS, site_map

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
COMMANDS = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)).choices
MODULES = [p for p in sorted((ROOT / "trialdata").rglob("*.py")) if not p.stem.startswith("__")]
SHELL = [line.split("#")[0].strip() for block in re.findall(r"```sh\n(.*?)```", README, re.S)
         for line in block.splitlines() if line.split("#")[0].strip()]
PYTHON = re.findall(r"```python\n(.*?)```", README, re.S)
CLI = [line for line in SHELL if line.startswith(".venv/bin/python -m trialdata ")]
CTGOV_FIXTURE = ROOT / "tests" / "fixtures" / "ctgov" / "NCT09000001.json"


@pytest.mark.parametrize("table", list(TABLES))
def test_every_table_is_in_the_readme(table):
    assert f"| `{table}` |" in README, f"README's table list leaves out {table}"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_is_in_the_readme(command):
    assert f"python -m trialdata {command}" in README, f"README's command line leaves out {command}"


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(ROOT / "trialdata")))
def test_every_module_is_in_the_code_layout(module):
    """A module has its own row (a package's by its path in it, `report/deck.py`), or is named in its package's
    row (`views/`)."""
    path = module.relative_to(ROOT / "trialdata").as_posix()
    own_row = f"| `{path}` |" in ARCHITECTURE or f"| `{path}`, " in ARCHITECTURE
    package = path.split("/")[0] if "/" in path else None
    row = next((line for line in ARCHITECTURE.splitlines() if package and line.startswith(f"| `{package}/` |")), "")
    assert own_row or f"`{module.name}`" in row, f"docs/architecture.md's code layout leaves out {path}"


def test_every_page_is_in_the_tour_with_its_section_and_address():
    for section in SECTIONS:
        assert f"| {section} |" in README, section
    for entry in site_map():
        address = "/" if entry.url_path == "overview" else f"/{entry.url_path}"
        assert f"| {entry.title} (`{address}`) |" in README, f"the tour leaves out {entry.title} at {address}"


def test_the_readme_gives_the_two_commands_and_make_knows_every_target_it_names():
    assert SHELL[:2] == ["make run", "make test"]  # the contract with users, first and alone in their block
    for target in {line.split()[1] for line in SHELL if line.startswith("make ")} | {"check"}:
        assert re.search(rf"^{target}:", MAKEFILE, re.M), f"the Makefile has no target {target}"


def _runnable(line: str, tmp) -> list[str]:
    """A README command line as arguments: optional parts ([...]) left out, placeholders filled with files and
    folders under tmp."""
    words = shlex.split(re.sub(r"\[[^\]]*\]", "", line))[3:]  # after ".venv/bin/python -m trialdata"
    filled = {"OUT_DIR": str(tmp / "out"), "DIR": str(tmp / "drafts"), "FILE.json": str(tmp / "study.json"),
              "OLD": str(ROOT / "data" / "parquet")}  # an older version: here the build, a folder of Parquet tables
    return [filled.get(w, w) for w in words]


def _recorded_registry(stack: contextlib.ExitStack, tmp) -> list[str]:
    """`watch` asks the recorded registry on loopback (tests/test_watch.py), never the real one, and writes under
    tmp: the options that point it there."""
    from .test_watch import Registry, recorded

    registry = Registry()
    for trial_id in ("NCT00962923", "NCT06466850", "NCT06574581"):
        registry.answer(trial_id, recorded(f"{trial_id}.json"))
    thread = threading.Thread(target=registry.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    stack.callback(registry.server.server_close)
    stack.callback(registry.server.shutdown)
    return ["--api", registry.url, "--out", str(tmp / "watch"), "--timeout", "5", "--pause", "0"]


@pytest.mark.kaleido  # the handout draws its figures with kaleido and prints the PDF in Chromium
@pytest.mark.parametrize("line", CLI)
def test_every_command_line_of_the_readme_runs_on_a_copy_of_the_data(line, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    shutil.copy(CTGOV_FIXTURE, tmp_path / "study.json")
    args = _runnable(line, tmp_path)
    with contextlib.ExitStack() as stack:
        if args[0] == "watch":
            args += _recorded_registry(stack, tmp_path)
        assert cli([*args, "--data", str(data)]) == 0, line


def test_the_checksum_line_writes_a_bare_file_name_the_data_test_accepts(tmp_path):
    line = re.search(r"`(\(cd data/sources && sha256sum FILE >> SHA256SUMS\))`", README)
    assert line, "README's adding-a-trial step gives the checksum command"
    shutil.copytree(ROOT / "data" / "sources", tmp_path / "data" / "sources")
    (tmp_path / "data" / "sources" / "new_record.txt").write_text("a registry record\n", encoding="utf-8")
    subprocess.run(line[1].replace("FILE", "new_record.txt"), shell=True, cwd=tmp_path, check=True)  # noqa: S602
    last = (tmp_path / "data" / "sources" / "SHA256SUMS").read_text().splitlines()[-1]
    assert re.fullmatch(r"[0-9a-f]{64}  new_record\.txt", last), last


@pytest.mark.parametrize("block", PYTHON)
def test_every_python_block_of_the_readme_runs(block, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)  # the blocks read data/ as a reader in the repository would; they write nothing
    exec(compile(block, "README.md", "exec"), {})  # noqa: S102
    assert capsys.readouterr().out


def test_the_readme_sends_readers_to_documents_that_exist():
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        assert (ROOT / target).exists(), f"README links to {target}, which does not exist"
