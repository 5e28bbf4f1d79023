"""Shared fixtures: the repository's data, built tables, and a scratch copy of the data folder."""

from __future__ import annotations

import contextlib
import dis
import io
import logging
import shutil
import types
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
import pytest

from trialdata import store, views
from trialdata.filters import Filters
from trialdata.load import load_trials
from trialdata.tables import build_tables

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@dataclass(frozen=True)
class Ran:
    """What a command printed and returned, as a finished process would tell it."""

    returncode: int
    stdout: str
    stderr: str


def cli_run(*args: str) -> Ran:
    """`python -m trialdata ARGS`, run in this process from the repository's folder (a process of its own costs a
    second of imports; tests/test_hostile.py starts one to check the real entry point)."""
    from trialdata.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(ROOT), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse's usage errors
            code = exit_.code if isinstance(exit_.code, int) else 1
    return Ran(code, out.getvalue(), err.getvalue())


@pytest.fixture(autouse=True)
def no_error_logged(request):
    """A failure the app catches and says in words is still a failure of the test that meets it (a test that plants
    one is marked `faults`): the app logs every failure it says in words to the "trialdata" logger."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler, logger = Keep(logging.ERROR), logging.getLogger("trialdata")
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)
    if records and not request.node.get_closest_marker("faults"):
        pytest.fail("the app logged a failure: " + "; ".join(r.getMessage() for r in records), pytrace=False)


@pytest.fixture(scope="session")
def trials():
    return load_trials(DATA)


# an older build in this repository's history (dataset version 6359fad6e1a4, data as of 2026-11-29)
OLDER, OLDER_VERSION = "8d56170", "6359fad6e1a4"


@pytest.fixture(scope="session")
def tables(trials):
    return build_tables(trials)


@pytest.fixture(scope="session")
def compared(tables):
    """The tables with the changes since the older version beside them, as a session comparing with it has them
    (and `--since`): every view has rows to show, What changed since the last talk among them."""
    from trialdata.changes import Snapshot, changes
    from trialdata.snapshot import from_revision

    now = Snapshot.of(tables, "abc123def456", "2026-11-21", "the curated data")
    return store.Beside(tables, {"changes": changes(from_revision(OLDER, ROOT), now)})


# what the handout and the deck say about themselves in the tests: a fixed version, date and link
META_ARGS = dict(version="abc123def456", as_of="2026-11-21", generated="2026-11-21 10:00 UTC",
                 link="http://localhost:8501/dosing?product=cells", filters="all trials")


@pytest.fixture(scope="session")
def meta():
    from trialdata.report.content import Meta

    return Meta(**META_ARGS)


@pytest.fixture(scope="session")
def handout(compared, meta) -> str:
    """The handout of every trial (and what changed since an older version), made once for the tests that read it."""
    from trialdata.report.handout import handout_html

    return handout_html(compared, meta)


@pytest.fixture(scope="session")
def deck(compared, meta):
    """The deck of every trial, made once (its charts are drawn by kaleido) for the tests that read it."""
    import io

    from pptx import Presentation

    from trialdata.report import deck as pptx_deck

    return Presentation(io.BytesIO(pptx_deck.slides_pptx(compared, meta)))  # by attribute: marked kaleido by name


@pytest.fixture(scope="session")
def exosome_trials(tables):
    """The two exosome trials: their doses are EV doses, not reported, so dose in context has nothing to draw."""
    return store.filtered(tables, Filters((("product", ("exosomes",)),)))


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of data/ (trials, sources, parquet) for commands that change files."""
    dst = tmp_path / "data"
    shutil.copytree(DATA, dst)
    return dst


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser), one for the whole run."""
    from playwright.sync_api import sync_playwright

    from .browser_support import ARGS, CHROMIUM

    assert Path(CHROMIUM).exists(), "Debian chromium is missing: `make test` installs it (as root)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def app_url():
    """The app on loopback, one server for every test that drives it in a browser."""
    from .browser_support import running_app

    with running_app() as url:
        yield url


@pytest.fixture(scope="session")
def walks(browser, app_url, tables):
    """walks(width): every page once at that width, in its theme (WALKS), with every check run on it (made on first
    use, then shared by the tests that read it). The widest walk also reads every table."""
    from trialdata.report.slides import slide_list
    from trialdata.ui.navigation import site_map

    from .browser_support import Stop, walk

    slides = [s.title for s in slide_list(tables)]
    # What changed compares with the version of the link that opened it (the repository's history holds it)
    query = {"what-changed": f"?v={OLDER_VERSION}"}
    stops = [Stop(("" if e.url_path == "overview" else e.url_path) + query.get(e.url_path, ""), e.title,
                  views.charts_on(e.view.key if e.view else e.url_path))
             for e in site_map() if e.url_path != "present"]
    # presentation mode: the title slide, the first view, a chart's slide and the last (99 is clamped to it)
    dosing = slides.index("Dosing schedules") + 1
    stops += [Stop(f"present?slide={n}", slides[min(n, len(slides)) - 1], int(n == dosing))
              for n in (1, 2, dosing, 99)]
    done: dict[int, dict | Exception] = {}

    def walked(width: int) -> dict:
        if width not in done:  # a walk that fails fails every test that reads it, once, not once per test
            try:
                done[width] = walk(browser, app_url, stops, width, WALKS[width], tables=width == WIDEST)
            except Exception as failed:  # noqa: BLE001 - raised again below, for each test that reads it
                done[width] = failed
        if isinstance(result := done[width], Exception):
            raise result
        return result

    return walked


# the walks: a width and the theme walked at it. A theme changes colours, not where text falls, so each theme is
# walked once, at a width of its own; every check runs in every walk.
WALKS = {1024: "dark", 1280: "light", 1920: "light"}
WIDEST = max(WALKS)  # the widest walk also reads the tables


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 2000}, accept_downloads=True)
    yield context.new_page()
    context.close()


# --- the slow kinds of test: `make check` leaves them out (-m "not slow"), `make test` runs them all -------

SLOW_KINDS = ("apptest", "browser", "kaleido", "subprocess", "server")
KIND_OF_MODULE = {"test_app": "apptest", "test_browser": "browser", "test_browser_hostile": "browser"}
# `page` and `walks` ask for `browser`; `registry` is tests/test_watch.py's recorded registry on loopback
KIND_OF_FIXTURE = {"browser": "browser", "app_url": "browser", "registry": "server"}
KIND_OF_GLOBAL = {"AppTest": "apptest", "subprocess": "subprocess", "sync_playwright": "browser",
                  "ThreadingHTTPServer": "server"}
# the outputs drawn by Chromium (kaleido's figure images, the deck's charts, the printed handout), called by name or
# as a module's attribute (report.slides_pptx)
KIND_OF_CALL = {"slides_pptx": "kaleido", "figure_image": "kaleido", "handout_pdf": "browser"}


def _globals_used(fn, module, seen=None) -> set[str]:
    """Global names a function's code reads, itself or through the test helpers it calls (of its own module or
    imported from another test module)."""
    seen = set() if seen is None else seen
    codes, names = [fn.__code__], set()
    while codes:
        code = codes.pop()
        codes += [c for c in code.co_consts if isinstance(c, types.CodeType)]  # lambdas and inner functions
        names |= {i.argval for i in dis.get_instructions(code) if i.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
    for name in names - seen:
        helper = fn.__globals__.get(name, getattr(module, name, None))
        if isinstance(helper, types.FunctionType) and helper.__module__.split(".")[0] in ("tests", module.__name__):
            seen.add(name)
            names |= _globals_used(helper, module, seen)
    return names


def _calls_used(fn, module) -> set[str]:
    """The names of KIND_OF_CALL a function calls, directly, as a module's attribute or through a test helper."""
    names, seen, helpers = set(), set(), [fn]
    while helpers:
        f = helpers.pop()
        codes = [f.__code__]
        while codes:
            code = codes.pop()
            codes += [c for c in code.co_consts if isinstance(c, types.CodeType)]
            for i in dis.get_instructions(code):
                if i.opname in ("LOAD_GLOBAL", "LOAD_NAME", "LOAD_ATTR", "LOAD_METHOD") and isinstance(i.argval, str):
                    names.add(i.argval)
                    helper = f.__globals__.get(i.argval)
                    if (isinstance(helper, types.FunctionType) and helper not in seen
                            and helper.__module__.split(".")[0] in ("tests", module.__name__)):
                        seen.add(helper)
                        helpers.append(helper)
    return names & set(KIND_OF_CALL)


def _fixture_functions(item) -> list:
    """The functions of the test modules' fixtures a test uses (a module fixture that prints the handout, say)."""
    defs = getattr(item, "_fixtureinfo", None)
    return [d.func for ds in (defs.name2fixturedefs.values() if defs else ()) for d in ds
            if getattr(d.func, "__module__", "").split(".")[0] == "tests"]


def pytest_collection_modifyitems(items):
    """Mark each test with the slow kind it is (keyed on its module, its fixtures and the names its code and its
    fixtures' code use, so a new test of a known kind is marked without anyone remembering to), and every such
    test `slow`."""
    for item in items:
        if not isinstance(item, pytest.Function):  # e.g. a plugin's own items: no code of ours to read
            continue
        marked = {m.name for m in item.iter_markers()}
        found = {KIND_OF_MODULE.get(item.module.__name__.rsplit(".", 1)[-1])}
        found |= {KIND_OF_FIXTURE.get(f) for f in item.fixturenames}
        for fn in [item.function, *_fixture_functions(item)]:
            found |= {KIND_OF_GLOBAL.get(n) for n in _globals_used(fn, item.module)}
            found |= {KIND_OF_CALL[n] for n in _calls_used(fn, item.module)}
        for kind in sorted(found - marked - {None}):
            item.add_marker(kind)
        if (found | marked) & set(SLOW_KINDS):
            item.add_marker("slow")


# a view no page, report or test knows by name: declaring it must be enough for it to reach every output
DUMMY = views.View(
    order=1000, key="dummy", title="Dummy view", path="dummy", question="Which registry holds each trial?",
    how_to_read="One bar per trial.", transform=lambda t: t["trials"].select("trial_id", "registry"),
    figure=lambda frame, t: go.Figure(
        [dict(type="bar", x=frame["registry"].to_list(), y=frame["trial_id"].to_list(), orientation="h")]),
    presentation={"trial_id": "Trial", "registry": "Registry"}, csv_name="dummy_registries", one_by_one=False)
