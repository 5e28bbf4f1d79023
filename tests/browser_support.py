"""Shared by the browser tests: waits and checks run in the page. Starting the app and Chromium is
trialdata.local_app's, which the benchmark and the load test use too."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import expect

from trialdata.local_app import CHROMIUM, AppURL, free_port, running_app  # noqa: F401
from trialdata.local_app import CHROMIUM_ARGS as ARGS  # noqa: F401 (the tests import them from here)

ROOT = Path(__file__).resolve().parent.parent
WAIT = 30_000
NAV = ".st-key-site_nav"  # the sidebar's page links (trialdata.ui.navigation.site_nav)


def open_page(page, url: str, title: str, charts: int = 0) -> None:
    """Go to a page and wait until its title, charts, tables and footer are drawn."""
    page.goto(url)
    expect(page.get_by_role("heading", name=title, exact=True).first).to_be_visible(timeout=WAIT)
    if charts:
        expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=WAIT)
        expect(page.locator(".js-plotly-plot")).to_have_count(charts, timeout=WAIT)
    expect(page.get_by_text("Dataset version").first).to_be_visible(timeout=WAIT)
    tables = page.get_by_test_id("stDataFrame")
    for i in range(tables.count()):  # every table has drawn its cells
        expect(tables.nth(i).locator("td").first).to_be_attached(timeout=WAIT)


SCRIPT_STATE = "document.querySelector('[data-testid=stApp]')?.dataset.testScriptState"


def unfold(page) -> None:
    """Open every folded section of the page (a view's further table, drawn only when opened) and wait until
    its table is drawn, so a check of the page covers those tables too."""
    boxes = page.get_by_test_id("stExpander")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        if not box.locator("details[open]").count():
            # the last fold's rerun has finished: a click while it runs asks Streamlit to cut it short for the new
            # one (fast reruns), and once, on a loaded machine, the new fold then stayed empty
            page.wait_for_function(f"{SCRIPT_STATE} === 'notRunning'", timeout=WAIT)
            box.locator("summary").click()
            expect(box.get_by_test_id("stDataFrame")).to_have_count(1, timeout=WAIT)
            expect(box.get_by_test_id("stDataFrame").locator("td").first).to_be_attached(timeout=WAIT)


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


def axe_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each (rule, impact,
    what it means, and the first elements it found). axe-core comes from npm (`make test` installs it)."""
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make test does)"
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => {
      const r = await axe.run(document, {resultTypes: ['violations']});
      return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' :: '
                                                                 + n.failureSummary.replace(/\\s+/g, ' '))}));
    }""")
    return [f"{v['id']} ({v['impact']}): {v['help']} -> {' | '.join(v['nodes'])}"
            for v in found if v["impact"] in SERIOUS]


# text the browser draws shorter than it is: a visible element that hides what overflows it (an ellipsis or a
# clip) while its content is wider than its box; tables (a canvas whose columns a person widens) and charts
# are left out, every label, badge, button and caption is in
TRUNCATED = """() => [...document.querySelectorAll('body *')]
  .filter(el => {
    if (el.offsetParent === null || !el.textContent.trim() || el.clientWidth <= 1) return false;  // sr-only
    if (el.closest('[data-testid="stDataFrame"], .js-plotly-plot, .st-key-site_nav')) return false;
    const cs = getComputedStyle(el);
    const hides = cs.textOverflow === 'ellipsis' || cs.overflowX === 'hidden' || cs.overflowX === 'clip';
    return hides && el.scrollWidth > el.clientWidth + 1; })
  .map(el => el.textContent.trim().slice(0, 80))"""

# text drawn inside a plotly chart (tick labels, titles, annotations, marker and bar labels) that runs past the
# chart's edge, where the browser cuts it: how far past (px), right and below
CHART_TEXT_CUT = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(chart => {
  const box = chart.querySelector('.main-svg').getBoundingClientRect();
  return [...chart.querySelectorAll('text')].filter(t => t.textContent.trim())
    .map(t => [t.textContent.slice(0, 60), t.getBoundingClientRect()])
    .map(([text, r]) => [text, [['right', r.right - box.right], ['left', box.left - r.left],
                                ['bottom', r.bottom - box.bottom]].filter(([, px]) => r.width && px > 1)])
    .filter(([, past]) => past.length)
    .map(([text, past]) => `${text} (${past.map(([edge, px]) => `${Math.round(px)} px past the ${edge} edge`)})`); })"""

# a chart's key drawn over its other text (a tick label, a title, a note, a mark's label): which entry over what
LEGEND_OVER_TEXT = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(chart => {
  const keys = [...chart.querySelectorAll('.legend .traces')].map(t => [t.textContent, t.getBoundingClientRect()]);
  const texts = [...chart.querySelectorAll('text')].filter(t => !t.closest('.legend') && t.textContent.trim())
    .map(t => [t.textContent.slice(0, 40), t.getBoundingClientRect()]).filter(([, r]) => r.width && r.height);
  return keys.flatMap(([key, k]) => texts.filter(([, r]) => Math.min(k.right, r.right) - Math.max(k.left, r.left) > 1
                                                    && Math.min(k.bottom, r.bottom) - Math.max(k.top, r.top) > 1)
                                      .map(([text]) => `${key} over ${text}`)); })"""

# pairs of text labels drawn inside a plotly chart (marker labels, bar texts, annotations) whose boxes overlap
OVERLAPPING_LABELS = """el => {
  const boxes = [...el.querySelectorAll('.textpoint text, .bartext, .annotation-text')]
    .filter(t => t.textContent.trim())
    .map(t => ({text: t.textContent, r: t.getBoundingClientRect()}))
    .filter(b => b.r.width > 0 && b.r.height > 0);
  const out = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i].r, b = boxes[j].r;
    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (w > 1 && h > 1) out.push(boxes[i].text + ' / ' + boxes[j].text);
  }
  return out; }"""


def charts_drawn(page) -> None:
    """Wait until the page has settled: no element still loading its code (a busy machine shows grey
    placeholders for a while), no script run under way, and every plotly chart drawn, transitions over."""
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=WAIT)
    expect(page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0, timeout=WAIT)
    charts = page.locator(".js-plotly-plot")
    for i in range(charts.count()):
        expect(charts.nth(i).locator(".main-svg").first).to_be_visible(timeout=WAIT)
    page.wait_for_function(SETTLED, timeout=WAIT)


# every chart laid out at the width of its place and not in a transition, then two frames painted (Plotly draws
# again once a chart has its width; waiting on that, not on a fixed time)
SETTLED = """() => new Promise(done => {
  const ready = () => [...document.querySelectorAll('.js-plotly-plot')].every(gd => gd._fullLayout
    && !gd._transitioning  // a chart of its own width (a grid as wide as its columns) keeps it
    && (gd.layout.width || Math.abs(gd._fullLayout.width - gd.getBoundingClientRect().width) < 2));
  const check = () => ready() ? requestAnimationFrame(() => requestAnimationFrame(() => done(true)))
                              : setTimeout(check, 50);
  check(); })"""


# --- one walk through the site per viewport width and theme: every page once, every check on it ------------

# tick labels and axis titles that reach outside the chart (margins too narrow for them)
CUT_OFF_LABELS = """el => { const box = el.getBoundingClientRect();
  return [...el.querySelectorAll('.xtick text, .ytick text, .g-xtitle text, .g-ytitle text')]
    .filter(t => { const r = t.getBoundingClientRect();
                   return r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1
                          || r.bottom > box.bottom + 1; })
    .map(t => t.textContent); }"""
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"\+\d{2}[\d ]{7,}")
SHOTS = ROOT / "tests" / "screenshots"
TABLE_WIDTH = 3840  # wide enough for every column of every table to be drawn (the grid draws only what is in view)


@dataclass(frozen=True)
class Stop:
    """A page of the walk: its address (URL path and query), its title and how many charts it draws."""

    path: str
    title: str
    charts: int

    @property
    def slide(self) -> bool:
        return self.path.startswith("present")


@dataclass
class Seen:
    """What one page showed: a check's findings, empty when it passed."""

    cut: list[str] = field(default_factory=list)  # text cut off or covered by a chart's key
    outside: list[str] = field(default_factory=list)  # tick labels and axis titles outside their chart
    overlapping: list[str] = field(default_factory=list)  # chart labels printed over each other
    contact: list[str] = field(default_factory=list)  # e-mail addresses and phone numbers
    axe: list[str] = field(default_factory=list)  # serious and critical accessibility violations
    snake_headers: list[str] = field(default_factory=list)  # table headers in snake_case
    empty_cells: list[str] = field(default_factory=list)  # table cells empty or reading None


def overlapping_labels(page) -> list[str]:
    charts = page.locator(".js-plotly-plot")
    return [pair for i in range(charts.count()) for pair in charts.nth(i).evaluate(OVERLAPPING_LABELS)]


def table_texts(page) -> tuple[list[str], list[str]]:
    """Headers and cells of every table on the page (the data grids' accessible tables)."""
    grids = page.get_by_test_id("stDataFrame")
    heads, cells = [], []
    for i in range(grids.count()):
        expect(grids.nth(i).locator("td").first).to_be_attached(timeout=WAIT)
        heads += grids.nth(i).locator("th").all_inner_texts()
        cells += grids.nth(i).locator("td").all_inner_texts()
    return heads, cells


def visit(page, url: str, stop: Stop) -> None:
    """Open a page of the walk and wait until it is drawn to the end, its folded sections open."""
    if stop.slide:
        page.goto(f"{url}/{stop.path}")
        expect(page.get_by_role("heading", level=1).first).to_have_text(stop.title, timeout=WAIT)
        expect(page.get_by_text("Dataset version").first).to_be_visible(timeout=WAIT)
        expect(page.locator(".js-plotly-plot")).to_have_count(stop.charts, timeout=WAIT)
    else:
        open_page(page, f"{url}/{stop.path}", stop.title, stop.charts)
        unfold(page)
    charts_drawn(page)


def walk(browser, url: str, stops: list[Stop], width: int, theme: str, tables: bool = False) -> dict[str, Seen]:
    """Every page once at this width in this theme (the reader's colour scheme, which Streamlit follows), each
    check run on it, a screenshot of each page saved to tests/screenshots/ for a person to look at;
    with `tables`, the page is widened afterwards until every table column is drawn and the tables are read."""
    context = browser.new_context(viewport={"width": width, "height": 1400}, color_scheme=theme)
    page = context.new_page()
    seen: dict[str, Seen] = {}
    SHOTS.mkdir(exist_ok=True)
    try:
        for stop in stops:
            visit(page, url, stop)
            name = f"{theme}-{width}-{re.sub(r'[?=]', '-', stop.path or 'overview').replace('-slide-', '-slide')}"
            page.screenshot(path=str(SHOTS / f"{name}.png"))
            charts = page.locator(".js-plotly-plot")
            text = page.locator("body").inner_text()
            s = seen[stop.path] = Seen(
                cut=page.evaluate(TRUNCATED) + page.evaluate(CHART_TEXT_CUT) + page.evaluate(LEGEND_OVER_TEXT),
                outside=[f"chart {i + 1}: {label}" for i in range(charts.count())
                         for label in charts.nth(i).evaluate(CUT_OFF_LABELS)],
                overlapping=overlapping_labels(page),
                contact=EMAIL.findall(text) + PHONE.findall(text),
                axe=axe_violations(page))
            if tables:
                page.set_viewport_size({"width": TABLE_WIDTH, "height": 1400})
                heads, cells = table_texts(page)
                s.snake_headers = [h for h in heads if "_" in h]
                s.empty_cells = [c for c in cells if c.strip() in ("", "None", "null", "nan")][:5]
                page.set_viewport_size({"width": width, "height": 1400})
    finally:
        context.close()
    return seen


def findings(seen: dict[str, Seen], check: str) -> dict[str, list[str]]:
    """One check's findings, page by page, for the pages where it found something."""
    return {path: found for path, s in seen.items() if (found := getattr(s, check))}
