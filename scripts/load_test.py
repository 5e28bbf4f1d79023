"""Load test: many concurrent headless browser sessions drive the app on loopback for a bounded time.

    .venv/bin/python scripts/load_test.py [--sessions 30] [--seconds 60]

Starts the app itself on a free loopback port (or uses --url, which must be a loopback address), opens
N browser sessions at once in Debian's Chromium, and has each walk every page and change a filter until
the time is up. Prints sessions, page views, errors, p50/p95 page time (navigation until the page's
charts and tables are drawn) and the server's peak memory. Not a unit test: run it by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from playwright.async_api import async_playwright  # noqa: E402

from tests.browser_support import ARGS, CHROMIUM, running_app  # noqa: E402

PAGES = [("", "Overview"), ("sample-sizes", "Sample sizes"), ("products", "Cell sources & products"),
         ("dosing", "Dosing schedules"), ("outcomes", "Outcomes"), ("follow-up", "Follow-up windows"),
         ("trial", "Trial detail"), ("data-quality", "Data quality"), ("downloads", "Downloads")]
TIMEOUT_MS = 120_000  # one view may wait this long before it counts as an error


async def view(page, url: str, title: str, times: list[float]) -> None:
    started = time.monotonic()
    await page.goto(url, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    await page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=TIMEOUT_MS)
    await page.get_by_text("Dataset version").first.wait_for(timeout=TIMEOUT_MS)
    if await page.locator(".js-plotly-plot").count():
        await page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=TIMEOUT_MS)
    if await page.get_by_test_id("stException").count():
        raise RuntimeError(f"the app showed an exception on {url}")
    times.append(time.monotonic() - started)


async def session(n: int, context, base: str, deadline: float, times: list[float], errors: list[str]) -> None:
    page = await context.new_page()  # each page is its own Streamlit session (its own websocket)
    page.on("pageerror", lambda e: errors.append(f"session {n}: page error {e}"))
    i = n  # sessions start on different pages
    while time.monotonic() < deadline:
        path, title = PAGES[i % len(PAGES)]
        query = "?product=exosomes" if i % 3 == 0 else ""  # a filter change every third view
        try:
            await view(page, f"{base}/{path}{query}", title, times)
        except Exception as e:  # noqa: BLE001 - every failure is counted, none stops the run
            errors.append(f"session {n} {path or 'overview'}: {str(e).splitlines()[0][:160]}")
        i += 1
    await page.close()


def peak_memory_mb(pid: int) -> float | None:
    """The server's peak resident memory (VmHWM) in MB, from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


async def run(base: str, sessions: int, seconds: float) -> tuple[list[float], list[str]]:
    times: list[float] = []
    errors: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # one context: the pages share the browser's HTTP cache, as a returning visitor's browser would,
        # so the 2-core machine spends its time on the app rather than re-parsing the frontend 30 times
        context = await browser.new_context(viewport={"width": 1280, "height": 1000})
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(session(n, context, base, deadline, times, errors) for n in range(sessions)))
        await browser.close()
    return times, errors


def report(sessions: int, seconds: float, times: list[float], errors: list[str], memory: float | None) -> None:
    q = statistics.quantiles(times, n=100) if len(times) >= 2 else [float("nan")] * 99
    print(f"sessions: {sessions} for {seconds:.0f} s")
    print(f"page views: {len(times)}  errors: {len(errors)}")
    print(f"page time: p50 {q[49]:.2f} s  p95 {q[94]:.2f} s  max {max(times, default=float('nan')):.2f} s")
    print(f"server peak memory: {memory:.0f} MB" if memory else "server peak memory: unknown (not our process)")
    for e in errors[:10]:
        print(f"  {e}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--url", help="an app already running on loopback (default: start one)")
    args = ap.parse_args()
    if not 1 <= args.sessions <= 100 or not 1 <= args.seconds <= 600:
        ap.error("--sessions 1..100 and --seconds 1..600 (the test is bounded)")
    if args.url:
        if urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
            ap.error("--url must be a loopback address")
        times, errors = asyncio.run(run(args.url.rstrip("/"), args.sessions, args.seconds))
        report(args.sessions, args.seconds, times, errors, None)
        return 1 if errors else 0
    else:
        with running_app() as url:
            times, errors = asyncio.run(run(url, args.sessions, args.seconds))
            memory = peak_memory_mb(url.pid)
        report(args.sessions, args.seconds, times, errors, memory)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
