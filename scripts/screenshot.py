"""The README's screenshot: the overview page of the real app, as a reader first sees it.

    .venv/bin/python scripts/screenshot.py [--out docs/img/overview.png] [--width 1400] [--height 900]

Starts the app on a free loopback port, opens the overview in Debian's Chromium, waits until the page is drawn
(title, design badges, the comparison table, the footer) and saves the picture; then stops the app.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from trialdata.local_app import CHROMIUM, CHROMIUM_ARGS, running_app  # noqa: E402

WAIT_MS = 60_000


def screenshot(out: Path, width: int, height: int) -> None:
    with running_app() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(url)
        expect(page.get_by_role("heading", name="Overview", exact=True)).to_be_visible(timeout=WAIT_MS)
        expect(page.get_by_test_id("stDataFrame").first.locator("td").first).to_be_attached(timeout=WAIT_MS)
        expect(page.get_by_text("Dataset version").first).to_be_visible(timeout=WAIT_MS)
        expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=WAIT_MS)  # the run has finished
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        browser.close()


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "overview.png")
    args.add_argument("--width", type=int, default=1400)
    args.add_argument("--height", type=int, default=900)
    a = args.parse_args(argv)
    screenshot(a.out, a.width, a.height)
    print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
