"""Accessibility, tested rather than hoped for: axe-core (npm, pinned in package-lock.json) injected into every
page of the site map, presentation mode and the handout, in Streamlit's light and dark themes; zero serious or
critical violations. Screenshots of every page in both themes go to tests/screenshots/ (git-ignored) for a
person to look at.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from trialdata.export import read_manifest
from trialdata.report.content import Meta
from trialdata.report.handout import handout_html
from trialdata.ui.navigation import site_map

from .browser_support import ROOT, WAIT, axe_violations, charts_drawn, open_page, running_app, unfold

pytestmark = pytest.mark.browser
SHOTS = ROOT / "tests" / "screenshots"
PAGES = [(e.url_path, e.title) for e in site_map() if e.url_path != "present"]
SLIDES = ["1", "2", "99"]  # the title slide, the first view, the last slide (a trial: the number is clamped)


THEMES = ["light", "dark"]


@pytest.fixture(scope="module")
def app_url():
    with running_app() as url:
        yield url


def in_theme(page, theme: str) -> None:
    """The reader's system colour scheme, which Streamlit follows (its config defines both themes)."""
    page.emulate_media(color_scheme=theme)


def check(page, name: str) -> None:
    charts_drawn(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"a11y-{name}.png"))
    violations = axe_violations(page)
    assert not violations, f"{name}: " + "\n".join(violations)


@pytest.mark.parametrize(("path", "title"), PAGES, ids=[p for p, _ in PAGES])
@pytest.mark.parametrize("theme", THEMES)
def test_every_page_has_no_serious_axe_violation(app_url, page, theme, path, title):
    in_theme(page, theme)
    open_page(page, f"{app_url}/{'' if path == 'overview' else path}", title)
    unfold(page)  # the folded sections too
    check(page, f"{theme}-{path}")


@pytest.mark.parametrize("slide", SLIDES)
@pytest.mark.parametrize("theme", THEMES)
def test_presentation_mode_has_no_serious_axe_violation(app_url, page, theme, slide):
    in_theme(page, theme)
    page.goto(f"{app_url}/present?slide={slide}")
    expect(page.get_by_text("Dataset version").first).to_be_visible(timeout=WAIT)
    expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=WAIT)
    check(page, f"{theme}-present-{slide}")


def test_the_handout_has_no_serious_axe_violation(page, tables):
    m = read_manifest(ROOT / "data" / "parquet")
    meta = Meta(m["dataset_version"], m["data_as_of"], link="http://127.0.0.1:8501/?product=cells")
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.set_content(handout_html(tables, meta), timeout=60_000)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=WAIT)
    check(page, "handout")
