"""Accessibility, tested rather than hoped for: axe-core (npm, pinned in package-lock.json) injected into every
page of the site map, presentation mode and the handout, in Streamlit's light and dark themes; zero serious or
critical violations. The pages and slides are checked in the walks of tests/test_browser.py (one per width and
theme, in the file that reads them, so `make test`, which gives each file to one worker, walks each once); this
file checks the handout.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from trialdata.export import read_manifest
from trialdata.report.content import Meta
from trialdata.report.handout import handout_html

from .browser_support import ROOT, WAIT, axe_violations, charts_drawn

pytestmark = pytest.mark.browser
SHOTS = ROOT / "tests" / "screenshots"


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
