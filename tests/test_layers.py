"""Imports point down the layers of GUIDE.md; streamlit lives only in app.py, pages/ and trialdata/ui/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

# each module may import only modules of a lower level
LEVEL = {
    "schema": 0, "load": 1, "checks": 2, "tables": 3, "ctgov": 3, "provenance": 4, "filters": 4, "transforms": 5,
    "store": 5, "figures": 6, "export": 6, "upload": 6, "views": 7, "report": 8, "cli": 9, "ui": 9, "__main__": 10,
}
MODULES = sorted((ROOT / "trialdata").rglob("*.py"))
PAGES = sorted((ROOT / "app_pages").glob("*.py"))


def _layer(path: Path) -> str:
    rel = path.relative_to(ROOT / "trialdata").parts
    return "ui" if rel[0] == "ui" else path.stem


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", [m for m in MODULES if m.stem != "__init__"], ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down(path: Path):
    me = _layer(path)
    for name in _imports(path):
        if name.startswith("streamlit"):
            assert me == "ui", f"{path.name} imports streamlit below trialdata/ui/"
        if name.startswith("trialdata."):
            other = name.split(".")[1]
            if other == me:
                continue
            assert LEVEL[other] < LEVEL[me], f"{path.name} ({me}) imports {name}, which is not below it"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_pages_stay_thin(path: Path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 80
    for forbidden in ("pl.", "yaml.", "open("):
        assert forbidden not in text, f"{path.name} does data work itself ({forbidden})"
