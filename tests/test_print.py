"""The printed handout: nothing runs off the page at A4 or Letter, page 1 is the summary, every page is footed.

The handout is laid out by Chromium in print media with the viewport set to the page's content box; a script
then measures every table, figure, image and line of text against that width. The PDF is printed the way the
app prints it and read back with pypdf (so its text is selectable).
"""

from __future__ import annotations

import io
import math
import re
from concurrent.futures import ThreadPoolExecutor

import pypdf
import pytest
from playwright.sync_api import sync_playwright

from trialdata import views
from trialdata.report.content import Meta, key_findings
from trialdata.report.handout import PAPERS, handout_html
from trialdata.report.pdf import handout_pdf

from .browser_support import ARGS, CHROMIUM
from .conftest import META_ARGS

META = Meta(**META_ARGS)  # as the shared handout and deck say

# every table, figure and image, and every line of text, measured against the content box; text also for size
MEASURE = """(width) => {
  const tolerance = 0.5, problems = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '');
  if (document.documentElement.scrollWidth > width + tolerance)
    problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth}px`);
  for (const el of document.querySelectorAll('table, svg, img, .js-plotly-plot')) {
    const box = el.getBoundingClientRect();
    if (box.right <= 0) continue;  // a helper plotly keeps off-screen, never printed
    if (box.width && (box.right > width + tolerance || box.left < -tolerance))
      problems.push(`${name(el)} spans ${box.left.toFixed(0)}..${box.right.toFixed(0)}px`);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!node.textContent.trim() || parent.closest('svg, script, style')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const line of range.getClientRects())
      if (line.right > width + tolerance)
        problems.push(`text to ${line.right.toFixed(0)}px: ${node.textContent.slice(0, 50)}`);
    const size = parseFloat(getComputedStyle(parent).fontSize);
    if (size < 12 - 0.01) problems.push(`text at ${size}px (< 9 pt): ${node.textContent.slice(0, 50)}`);
  }
  return problems;
}"""


def overflow(page_html: str, paper: str) -> list[str]:
    """What runs past the content box when Chromium lays the handout out for print on `paper`."""
    width = PAPERS[paper].content_px

    def measure() -> list[str]:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                # the widest whole-pixel viewport inside the content box: the page cannot cheat by being wider
                page = browser.new_page(viewport={"width": math.floor(width), "height": 1200})
                page.emulate_media(media="print")
                page.set_content(page_html, wait_until="load")
                page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= "
                                       "document.querySelectorAll('.js-plotly-plot').length")
                return page.evaluate(MEASURE, width)
            finally:
                browser.close()

    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API wants a thread with no event loop
        return pool.submit(measure).result()


@pytest.fixture(scope="module", params=["a4", "letter"])
def printed(request, tables) -> tuple[str, str, pypdf.PdfReader]:
    page_html = handout_html(tables, META, paper=request.param)
    return request.param, page_html, pypdf.PdfReader(io.BytesIO(handout_pdf(page_html)))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_nothing_is_wider_than_the_page(printed):
    paper, page_html, _ = printed
    assert overflow(page_html, paper) == []


WIDE_TABLE = ("<table><tr>" + "".join(f'<td style="white-space: nowrap">column {i} of forty</td>' for i in range(40))
              + "</tr></table>")
WIDE_FIGURE = '<svg width="1400" height="20"><rect width="1400" height="20"></rect></svg>'
LONG_LINE = '<p style="overflow-wrap: normal; word-break: normal">' + "x" * 300 + "</p>"
SMALL_TEXT = '<p style="font-size: 7pt">a footnote in 7 pt</p>'


@pytest.mark.parametrize("planted, expected", [(WIDE_TABLE, "table spans"), (WIDE_FIGURE, "svg spans"),
                                               (LONG_LINE, "text to"), (SMALL_TEXT, "< 9 pt")])
def test_the_overflow_check_finds_what_runs_off_the_page(tables, planted, expected):
    page_html = handout_html(tables, META).replace("</body>", planted + "</body>")
    assert any(expected in problem for problem in overflow(page_html, "a4"))


def test_every_page_shows_the_version_and_its_number_and_the_text_is_selectable(printed):
    _, _, pdf = printed
    pages = [page.extract_text() for page in pdf.pages]
    assert 3 < len(pages) < 40  # summary, a page or two per view, the cards, the sources
    for number, text in enumerate(pages, start=1):
        assert "abc123def456" in text, f"page {number} has no dataset version"
        assert f"page {number} of {len(pages)}" in text, f"page {number} has no page number"


def test_page_one_is_the_whole_summary(printed, tables):
    _, _, pdf = printed
    first, second = (squash(pdf.pages[i].extract_text()) for i in (0, 1))
    assert squash("Summary") in first and squash("Findings that change how to read these trials") in first
    last_finding = key_findings(tables["flags"]).row(-1, named=True)["message"]
    assert squash(last_finding[:60]) in first  # the summary ends on page 1 ...
    assert squash(META.permalink) in first  # ... with the link to the view and the version in it
    first_view = views.render_all(tables)[0].view.title
    assert squash(first_view) not in first and squash(first_view) in second  # ... and the views start on page 2


def test_the_pdf_is_printed_on_the_paper_asked_for(printed):
    paper, _, pdf = printed
    width_pt = float(pdf.pages[0].mediabox.width)
    assert width_pt == pytest.approx(PAPERS[paper].width_mm / 25.4 * 72, abs=1)


def placed_text(page) -> list[tuple[str, float, float]]:
    """Each piece of text on a PDF page with where it starts (x, baseline y) in points from the bottom left."""
    placed = []
    page.extract_text(visitor_text=lambda text, cm, tm, *_: placed.append(
        (text, tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5])))
    return [p for p in placed if p[0].strip()]


def test_text_keeps_15_mm_from_every_edge_and_only_the_footer_sits_in_the_bottom_margin(printed):
    paper, _, pdf = printed
    sheet = PAPERS[paper]
    top, right, bottom, left = (m / 25.4 * 72 for m in sheet.margins_mm)  # points
    footer_words = set(f"MSC trials handout · dataset version {META.version} page of".split()) | set(
        map(str, range(1, len(pdf.pages) + 1)))
    for number, page in enumerate(pdf.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        for text, x, y in placed_text(page):
            assert left - 0.5 <= x <= width - right, f"page {number}: {text!r} starts at x={x:.0f} pt"
            assert y <= height - top, f"page {number}: {text!r} in the top margin"
            if y < bottom:
                assert set(text.split()) <= footer_words, f"page {number}: {text!r} in the bottom margin"


def test_each_chart_starts_on_its_view_first_page(printed, tables):
    """A tall chart is zoomed to fit under its heading: the heading, question and caption never stand alone on a
    page with the chart on the next (product characterisation did, on A4 and Letter)."""
    _, _, pdf = printed
    pages = [squash(page.extract_text()) for page in pdf.pages]
    for drawn in views.render_all(tables):
        if drawn.figure is None:
            continue
        heading = next(i for i, text in enumerate(pages) if text.startswith(squash(drawn.view.title)))
        fig = drawn.figure  # the chart's own words: its lane labels, tick labels and legend
        words = [y for t in fig.data for y in (t.y if t.y is not None else ()) if isinstance(y, str)]
        words += [str(t) for axis in ("yaxis", "yaxis2") if axis in fig.layout for t in fig.layout[axis].ticktext or ()]
        words += [t.name for t in fig.data if t.name and t.showlegend is not False]
        on_page = any(squash(line) in pages[heading] for w in words if w for line in w.split("<br>"))
        assert on_page, f"{drawn.view.title}: the chart is not on page {heading + 1}, under its heading"
