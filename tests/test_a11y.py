"""Accessibility, tested rather than hoped for: axe-core (npm, pinned in package-lock.json) injected into every
page of the site map, presentation mode and the handout, in Streamlit's light and dark themes; zero serious or
critical violations. The pages and slides are checked in the walks the browser tests share (one per width and
theme), whose screenshots of every page in both themes go to tests/screenshots/ (git-ignored) for a person to
look at.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from trialdata.export import read_manifest
from trialdata.report.content import Meta
from trialdata.report.handout import handout_html

from .browser_support import ROOT, WAIT, axe_violations, charts_drawn, findings
from .conftest import WALKS

pytestmark = pytest.mark.browser
SHOTS = ROOT / "tests" / "screenshots"


@pytest.mark.parametrize("width", list(WALKS), ids=lambda w: f"{WALKS[w]}-{w}")
def test_every_page_and_slide_has_no_serious_axe_violation(walks, width):
    """Every page of the site map with its folded sections open, and four slides of presentation mode (the title
    slide, the first view, a chart's slide, the last), in each walk: both colour schemes and every width."""
    violations = findings(walks(width), "axe")
    assert not violations, "\n".join(f"{path or 'overview'}: {v}" for path, found in violations.items() for v in found)


def test_the_handout_has_no_serious_axe_violation(page, tables):
    m = read_manifest(ROOT / "data" / "parquet")
    meta = Meta(m["dataset_version"], m["data_as_of"], link="http://127.0.0.1:8501/?product=cells")
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.set_content(handout_html(tables, meta), timeout=60_000)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=WAIT)
    charts_drawn(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "a11y-handout.png"))
    violations = axe_violations(page)
    assert not violations, "handout: " + "\n".join(violations)
