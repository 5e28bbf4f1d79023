"""The handout printed to PDF by headless Chromium (Playwright), at 100 % on the paper its HTML was made
for, every page footed with the dataset version and its page number."""

from __future__ import annotations

import html
import math
import os
import re
from concurrent.futures import ThreadPoolExecutor

from trialdata.report.handout import PAPERS

CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")


def _head_meta(page_html: str, name: str) -> str | None:
    found = re.search(rf'<meta name="{name}" content="([^"]*)">', page_html)
    return html.unescape(found[1]) if found else None


FOOTER = ('<div style="font-family: Arial, sans-serif; font-size: 9pt; color: #333; width: 100%; margin: 0 {left}mm 0 '
          '{right}mm; display: flex; justify-content: space-between;"><span>{text}</span><span>page '
          '<span class="pageNumber"></span> of <span class="totalPages"></span></span></div>')


def handout_pdf(page_html: str) -> bytes:
    """The handout printed to PDF by headless Chromium at 100 % on the paper its HTML was made for, every page
    footed with the dataset version and its page number (the same HTML, so the two never differ).

    Runs in its own thread: Playwright's sync API refuses a thread that already has an event loop.
    """
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_print_pdf, page_html).result()


def _print_pdf(page_html: str) -> bytes:
    from playwright.sync_api import sync_playwright  # imported here: only PDF export needs it

    paper = PAPERS[_head_meta(page_html, "handout-paper") or "a4"]
    top, right, bottom, left = paper.margins_mm
    footer = FOOTER.format(left=left, right=right, text=html.escape(_head_meta(page_html, "handout-footer") or ""))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": math.ceil(paper.content_px), "height": 1200})
            page.set_content(page_html, wait_until="load")
            page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= "
                                   "document.querySelectorAll('.js-plotly-plot').length")
            return page.pdf(format=paper.name, print_background=True, display_header_footer=True,
                            header_template="<span></span>", footer_template=footer,
                            margin={"top": f"{top}mm", "right": f"{right}mm", "bottom": f"{bottom}mm",
                                    "left": f"{left}mm"})
        finally:
            browser.close()
