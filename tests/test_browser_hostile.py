"""Real browser, hostile data: text that looks like HTML, markdown or a formula stays text on every page and
in every download; and a person can upload trials (and see bad files refused) without anything being saved.

The hostile dataset is written straight to Parquet, past the validator, to prove the outputs are safe on
their own (defence in depth: validation refuses such text too, see tests/test_hostile.py).
"""

from __future__ import annotations

import shutil

import polars as pl
import pytest
from playwright.sync_api import expect

from trialdata.export import read_manifest, read_parquet, write_parquet
from trialdata.report.slides import slide_list

from .browser_support import NAV, ROOT, WAIT, open_page, running_app

pytestmark = pytest.mark.browser
HOSTILE = ('=HYPERLINK("http://evil.example","x") <img src=x onerror="window.__pwned=1"> **bold** '
           '[link](javascript:window.__pwned=3) <script>window.__pwned=2</script> :red[alarm]')
TRIAL = "NCT06466850"


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(ROOT / "data", data)
    tables = read_parquet(data / "parquet")
    tables["trials"] = tables["trials"].with_columns(
        pl.when(pl.col("trial_id") == TRIAL).then(pl.lit(HOSTILE)).otherwise(pl.col("title")).alias("title"))
    m = read_manifest(data / "parquet")
    write_parquet(tables, data / "parquet", m["dataset_version"], m["data_as_of"])
    with running_app(TRIALDATA_DATA=str(data)) as url:
        url.card_slide = next(i for i, s in enumerate(slide_list(tables), 1) if s.trial_id == TRIAL)
        yield url


def assert_inert(page) -> None:
    assert page.evaluate("window.__pwned") is None, "data ran as script"
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("script", has_text="__pwned").count() == 0


def test_hostile_text_stays_text_on_the_pages(hostile_url, page):
    open_page(page, f"{hostile_url}/?product=exosomes", "Overview")
    assert_inert(page)
    open_page(page, f"{hostile_url}/trial?trial={TRIAL}", "Trial detail")
    heading = page.get_by_role("heading", level=3).filter(has_text="HYPERLINK").first
    expect(heading).to_contain_text("**bold**")  # markdown shown as the characters it is
    expect(heading).to_contain_text("<script>")  # and HTML as text
    assert_inert(page)
    page.goto(f"{hostile_url}/present?slide={hostile_url.card_slide}")  # the trial's card
    expect(page.get_by_role("heading", level=1).filter(has_text=TRIAL)).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("HYPERLINK").first).to_contain_text("<img src=x")  # the title, as the characters it is
    assert_inert(page)


def test_hostile_text_is_neutralised_in_the_csv(hostile_url, page, tmp_path):
    open_page(page, f"{hostile_url}/downloads", "Downloads")
    with page.expect_download() as download:
        trials = read_manifest(ROOT / "data" / "parquet")["tables"]["trials"]
        page.get_by_role("button", name=f"trials.csv ({trials} rows)").click()
    saved = tmp_path / "trials.csv"
    download.value.save_as(saved)
    row = next(line for line in saved.read_text(encoding="utf-8-sig").splitlines() if line.startswith(TRIAL))
    assert ',"\'=HYPERLINK(' in row  # a spreadsheet shows it as text instead of running it


def test_uploading_trials_adds_them_for_this_session_and_lists_bad_files(app_url, page, tmp_path):
    url = app_url  # the shared server: uploads belong to the session that made them
    open_page(page, f"{url}/add", "Add trials")
    page.locator("input[type=file]").set_input_files([
        str(ROOT / "tests/examples/valid_minimal.yaml"), str(ROOT / "tests/examples/sources/example_record.txt"),
        str(ROOT / "tests/fixtures/ctgov/NCT09000001.json"), str(ROOT / "tests/hostile/html_script_title.yaml")])
    page.get_by_role("button", name="Check and add to the comparison").click()
    expect(page.get_by_text("Added to this session's comparison")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("1 problem(s)")).to_be_visible()
    problems = page.get_by_test_id("stDataFrame").first
    expect(problems.locator("td").filter(has_text="html_script_title.yaml").first).to_be_attached(timeout=WAIT)
    page.locator(NAV).get_by_text("Overview").click()  # same session: the uploads stay
    expect(page.get_by_text("plus 2 user-supplied trial(s)")).to_be_visible(timeout=WAIT)
    header = page.get_by_test_id("stDataFrame").first
    expect(header).to_contain_text("NCT01234567 [user-supplied]", timeout=WAIT)
    assert not list((ROOT / "data" / "trials").glob("NCT0900000*.yaml")), "uploads are never written"


def test_sessions_that_start_together_on_a_cold_server_all_work():
    """Regression: concurrent first sessions raced on lazy imports ('partially initialized module pandas')."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from playwright.async_api import async_playwright

    from .browser_support import ARGS, CHROMIUM, SCRIPT_STATE

    async def visit(browser, url: str) -> str:
        page = await (await browser.new_context()).new_page()
        await page.goto(url)
        await page.get_by_text("Dataset version").first.wait_for(timeout=60_000)
        await page.wait_for_function(f"{SCRIPT_STATE} === 'notRunning'", timeout=60_000)  # the run has ended
        return await page.locator("body").inner_text()

    async def main(base: str) -> list[str]:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            paths = ["", "sample-sizes", "products", "dosing", "follow-up", "data-quality"]
            texts = await asyncio.gather(*(visit(browser, f"{base}/{path}") for path in paths))
            await browser.close()
            return texts

    with running_app() as url, ThreadPoolExecutor(1) as pool:  # the sync Playwright fixture owns this thread's loop
        for text in pool.submit(asyncio.run, main(url)).result():
            assert "Traceback" not in text and "Error" not in text.split("Dataset version")[0][-2000:]
