"""Shared fixtures: the repository's data, built tables, and a scratch copy of the data folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import plotly.graph_objects as go
import pytest

from trialdata import views
from trialdata.load import load_trials
from trialdata.tables import build_tables

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def trials():
    return load_trials(DATA)


@pytest.fixture(scope="session")
def tables(trials):
    return build_tables(trials)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of data/ (trials, sources, parquet) for commands that change files."""
    dst = tmp_path / "data"
    shutil.copytree(DATA, dst)
    return dst


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    from .browser_support import ARGS, CHROMIUM

    assert Path(CHROMIUM).exists(), "Debian chromium is missing: `make test` installs it (as root)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 2000}, accept_downloads=True)
    yield context.new_page()
    context.close()


# a view no page, report or test knows by name: declaring it must be enough for it to reach every output
DUMMY = views.View(
    key="dummy", title="Dummy view", path="dummy", question="Which registry holds each trial?",
    how_to_read="One bar per trial.", transform=lambda t: t["trials"].select("trial_id", "registry"),
    figure=lambda frame, t: go.Figure(
        [dict(type="bar", x=frame["registry"].to_list(), y=frame["trial_id"].to_list(), orientation="h")]),
    presentation={"trial_id": "Trial", "registry": "Registry"}, csv_name="dummy_registries", one_by_one=False)
