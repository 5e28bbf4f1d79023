"""Imports point down the layers of GUIDE.md; streamlit lives only in app.py, app_pages/ and trialdata/ui/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

# each module may import only modules of a lower level (store and views are the registry and the table store)
LEVEL = {
    "vocab": 0, "schema": 1, "load": 2, "checks": 3, "rows": 3.5, "changes": 3.6, "snapshot": 3.65, "appraisal": 3.7,
    "tables": 4,
    "ctgov": 4, "provenance": 5, "filters": 5,
    "store": 6, "transforms": 7, "freshness": 7, "figures": 8, "export": 8, "columns": 6.5, "upload": 8, "views": 9,
    "report": 10,
    "cli": 11, "ui": 11, "__main__": 12,
}
LEVEL["standards"] = 0.5  # the characterisation catalogue: uses vocab, the schema builds on it
LEVEL["local_app"] = 0  # starts the app and names Chromium for the tools that drive it; imports no layer
LEVEL["registry_client"] = 0  # talks to the registry's API; imports no layer
LEVEL["watch"] = 8.5  # the registry's current record against the curated one: uses the importer and the writer
TOP = 13  # app.py and app_pages/*.py: may import any layer, and none may import them
MODULES = sorted((ROOT / "trialdata").rglob("*.py"))
PAGES = sorted((ROOT / "app_pages").glob("*.py"))
ENTRY = [ROOT / "app.py", *PAGES]


PACKAGES = {"ui", "views", "report"}  # packages that are one layer each


def layer_of(path: Path, package: Path) -> str:
    """The layer a file belongs to: a package of PACKAGES is one layer; every other module is its own."""
    rel = path.relative_to(package).parts
    return rel[0] if rel[0] in PACKAGES else path.stem


def imported_modules(path: Path, package: Path) -> set[str]:
    """Every module `path` imports, anywhere in it, with `from trialdata import x` read as trialdata.x and
    relative imports resolved (so no import hides behind a spelling)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # from . import x / from ..y import z
                here = path.relative_to(package.parent).with_suffix("").parts  # ("trialdata", "ui", "data")
                parent = here[:len(here) - node.level]
                base = ".".join(parent + ((base,) if base else ()))
            names.add(base)
            names |= {f"{base}.{a.name}" for a in node.names}  # a submodule, or a name inside `base`
    return names


def upward_imports(path: Path, level: int, package: Path, levels: dict[str, int]) -> list[str]:
    """The imports of `path` that reach its own level or above, or a part of `package` with no level."""
    me = layer_of(path, package) if path.is_relative_to(package) else None
    reached = {n.split(".")[1] for n in imported_modules(path, package)
               if n.split(".")[0] == package.name and n.count(".") >= 1}
    bad = []
    for other in sorted(reached - {me, "__init__"}):
        if other not in levels:
            if (package / other).with_suffix(".py").exists() or (package / other).is_dir():
                bad.append(f"{package.name}.{other} (a module with no level: add it to LEVEL)")
            # otherwise a name inside the package itself (from trialdata import __version__), not a module
        elif levels[other] >= level:
            bad.append(f"{package.name}.{other} (level {levels[other]}) is not below {me or path.name} (level {level})")
    return bad


PACKAGE = ROOT / "trialdata"


@pytest.mark.parametrize("path", [m for m in MODULES if m.stem != "__init__"], ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down(path: Path):
    me = layer_of(path, PACKAGE)
    assert me in LEVEL, f"{path} has no level in LEVEL"
    assert upward_imports(path, LEVEL[me], PACKAGE, LEVEL) == []
    if me != "ui":
        assert not any(n.split(".")[0] == "streamlit" for n in imported_modules(path, PACKAGE)), \
            f"{path.name} imports streamlit below trialdata/ui/"
    assert not any(n.split(".")[0] in ("app", "app_pages") for n in imported_modules(path, PACKAGE))


@pytest.mark.parametrize("path", ENTRY, ids=lambda p: str(p.relative_to(ROOT)))
def test_app_and_pages_import_only_modules_that_exist(path: Path):
    assert upward_imports(path, TOP, PACKAGE, LEVEL) == []


def test_from_package_import_module_is_read_as_the_module(tmp_path):
    page = tmp_path / "page.py"
    page.write_text("from trialdata import figures, report as r\nfrom trialdata.ui import components\n")
    assert {"trialdata.figures", "trialdata.report", "trialdata.ui.components"} <= imported_modules(page, PACKAGE)


def test_the_checker_fails_on_a_planted_upward_import(tmp_path):
    package = tmp_path / "trialdata"
    (package / "ui").mkdir(parents=True)
    for name in ("schema", "figures", "report"):
        (package / f"{name}.py").write_text("")
    planted = {
        "from trialdata import report\n": "trialdata.report",  # the spelling the old test read as plain `trialdata`
        "import trialdata.report\n": "trialdata.report",
        "from trialdata.report import Meta\n": "trialdata.report",
        "from . import report\n": "trialdata.report",
        "def late():\n    from trialdata.ui import components\n": "trialdata.ui",
    }
    for source, culprit in planted.items():
        (package / "figures.py").write_text("from trialdata import schema\n" + source)
        bad = upward_imports(package / "figures.py", LEVEL["figures"], package, LEVEL)
        assert len(bad) == 1 and bad[0].startswith(culprit), (source, bad)
    (package / "figures.py").write_text("from trialdata import schema\n")
    assert upward_imports(package / "figures.py", LEVEL["figures"], package, LEVEL) == []
    (package / "newcomer.py").write_text("")
    (package / "figures.py").write_text("from trialdata import newcomer\n")
    assert "no level" in upward_imports(package / "figures.py", LEVEL["figures"], package, LEVEL)[0]


def test_the_modules_of_a_package_layer_import_each_other_but_not_upward(tmp_path):
    package = tmp_path / "trialdata"
    (package / "report").mkdir(parents=True)
    (package / "ui").mkdir()
    (package / "views.py").write_text("")
    (package / "report" / "content.py").write_text("from trialdata import views\n")
    slides = package / "report" / "slides.py"
    assert layer_of(slides, package) == "report"
    for source in ("from trialdata.report.content import Meta\n", "from trialdata.report import content\n",
                   "from . import content\n", "from .content import Meta\n"):
        slides.write_text(source)
        assert upward_imports(slides, LEVEL["report"], package, LEVEL) == [], source
    slides.write_text("from trialdata.ui import components\n")
    assert upward_imports(slides, LEVEL["report"], package, LEVEL)[0].startswith("trialdata.ui")


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_pages_stay_thin(path: Path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 80
    for forbidden in ("pl.", "yaml.", "open("):
        assert forbidden not in text, f"{path.name} does data work itself ({forbidden})"
