"""Real browser: Debian Chromium (Playwright) against `streamlit run` on loopback, stopped by PID.

Screenshots of every page go to tests/screenshots/ (git-ignored) for a person to look at.
The tests run in file order: the first one opens a deep link on a server nothing has visited yet.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from trialdata import views
from trialdata.cli import main as cli
from trialdata.export import read_parquet
from trialdata.load import load_trials
from trialdata.report.slides import slide_list
from trialdata.store import restrict
from trialdata.tables import TABLES, build_tables
from trialdata.ui.navigation import SECTIONS, site_map

from .browser_support import (
    CHART_TEXT_CUT,
    CUT_OFF_LABELS,
    LEGEND_OVER_TEXT,
    NAV,
    ROOT,
    SHOTS,
    TRUNCATED,
    WAIT,
    charts_drawn,
    findings,
    open_page,
    overlapping_labels,
)
from .conftest import OLDER_VERSION, WALKS, WIDEST

pytestmark = pytest.mark.browser
# url path -> (title, charts drawn): every page of the site map, and the title slide of presentation mode
PAGES = {("" if e.url_path == "overview" else e.url_path):
         (e.title, views.charts_on(e.view.key if e.view else e.url_path))
         for e in site_map() if e.url_path not in ("present", "add")}
SLIDES = [s.title for s in slide_list(build_tables(load_trials(ROOT / "data")))]
PAGES["present?slide=1"] = (SLIDES[0], 0)


# numbers and words on marks that fall outside every plot area, where plotly clips them away (unless their trace
# draws them over the axes)
CLIPPED_MARK_LABELS = """el => {
  const areas = [...el.querySelectorAll('.nsewdrag')].map(d => d.getBoundingClientRect());
  return [...el.querySelectorAll('.textpoint text, text.bartext')]
    .filter(t => { const trace = t.closest('.trace')?.__data__?.[0]?.trace;
                   const r = t.getBoundingClientRect();
                   return trace?.cliponaxis !== false && r.width > 0 && !areas.some(a => r.left >= a.left - 1
                          && r.right <= a.right + 1 && r.top >= a.top - 1 && r.bottom <= a.bottom + 1); })
    .map(t => t.textContent); }"""
# lanes squeezed together: closer than a line of text, or bunched into less than a third of the plot's height
SQUEEZED_LANES = """el => { const area = el.querySelector('.nsewdrag')?.getBoundingClientRect();
  const ys = [...el.querySelectorAll('.ytick text')]
    .map(t => { const r = t.getBoundingClientRect(); return (r.top + r.bottom) / 2; }).sort((a, b) => a - b);
  if (!area || ys.length < 2) return false;
  return ys.slice(1).some((y, i) => y - ys[i] < 20) || ys[ys.length - 1] - ys[0] < area.height / 3; }"""


def filter_box(page, label: str):
    """A filter's select box, in the sidebar's "Choose filters" popover (opened here)."""
    page.get_by_test_id("stSidebar").get_by_text("Choose filters").click()
    return page.get_by_test_id("stMultiSelect").filter(has_text=label)


def test_a_deep_link_works_on_a_server_nobody_has_visited(app_url, page):
    open_page(page, f"{app_url}/sample-sizes?product=exosomes", "Sample sizes", charts=1)
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Product type = exosomes")
    expect(filter_box(page, "Product type").get_by_test_id("stMultiSelectTagsContainer")).to_contain_text("exosomes")
    page.keyboard.press("Escape")
    expect(page.locator(NAV)).to_contain_text("Dosing schedules")
    assert "product=exosomes" in page.url


def test_every_page_is_in_sight_on_first_load_under_its_section(app_url, page):
    """The journal-club pages were hidden behind "View more"; every page link is visible, grouped by purpose."""
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, app_url, "Overview")
    nav = page.locator(NAV)
    for section in SECTIONS:
        expect(nav.get_by_text(section, exact=True)).to_be_visible()
    for entry in site_map():
        link = nav.get_by_role("link", name=entry.title, exact=True)
        expect(link).to_be_visible()
        assert link.bounding_box()["y"] + link.bounding_box()["height"] <= 900, f"{entry.title} is below the fold"
    expect(page.get_by_text(re.compile(r"View \d+ more"))).to_have_count(0)


@pytest.mark.parametrize("width", list(WALKS))
def test_every_page_draws_with_its_labels_inside_its_charts_and_no_contact_data(walks, width):
    """Every page and four slides drawn (each page's title and charts waited for, its screenshot in
    tests/screenshots/): no tick label or axis title outside its chart, no e-mail address or phone number."""
    seen = walks(width)
    assert not findings(seen, "outside"), f"labels cut off outside their chart: {findings(seen, 'outside')}"
    assert not findings(seen, "contact"), f"contact data on a rendered page: {findings(seen, 'contact')}"


@pytest.mark.parametrize("path", [p for p in PAGES if PAGES[p][1] and not p.startswith("present")])
def test_charts_of_a_few_trials_keep_their_labels_and_lanes(app_url, page, path):
    """With two trials (the exosome ones) a chart has few lanes and often nothing to draw on some: its labels
    stay inside the plot, and its lanes a line apart."""
    since = f"&v={OLDER_VERSION}" if path == "what-changed" else ""  # it draws once it compares with a version
    open_page(page, f"{app_url}/{path}?product=exosomes{since}", PAGES[path][0])
    expect(page.get_by_text("Showing 2 of 5 trials").first).to_be_visible(timeout=WAIT)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=WAIT)  # there is a chart to check
    charts_drawn(page)
    for i, chart in enumerate(page.locator(".js-plotly-plot").all()):
        assert not chart.evaluate(CLIPPED_MARK_LABELS), f"labels clipped in chart {i + 1} of {path or 'overview'}"
        assert not chart.evaluate(CUT_OFF_LABELS), f"labels cut off in chart {i + 1} of {path or 'overview'}"
        assert not chart.evaluate(SQUEEZED_LANES), f"lanes squeezed in chart {i + 1} of {path or 'overview'}"


def test_a_filter_change_lives_in_the_url_and_survives_a_reload(app_url, page):
    open_page(page, f"{app_url}/dosing", "Dosing schedules", charts=PAGES["dosing"][1])
    filter_box(page, "Product type").click()
    page.get_by_role("option", name="cells", exact=True).click()
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Product type = cells", timeout=WAIT)
    page.wait_for_function("() => window.location.search.includes('product=cells')", timeout=WAIT)
    shared = page.url
    page.goto("about:blank")
    open_page(page, shared, "Dosing schedules", charts=PAGES["dosing"][1])
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Product type = cells")
    expect(page.get_by_text("Showing 3 of 5 trials")).to_be_visible()


def test_a_downloaded_csv_equals_the_export(app_url, page, tmp_path):
    open_page(page, f"{app_url}/downloads", "Downloads")
    with page.expect_download() as download:
        page.get_by_role("button", name="trials.csv (5 rows)").click()
    got = tmp_path / "trials.csv"
    download.value.save_as(got)
    assert cli(["export", str(tmp_path / "export")]) == 0
    assert got.read_bytes() == (tmp_path / "export" / "trials.csv").read_bytes()


def test_the_handout_is_made_and_downloaded_from_the_app(app_url, page, tmp_path):
    open_page(page, f"{app_url}/downloads?product=exosomes", "Downloads")
    page.get_by_role("button", name="Make handout, slides and bundle for the trials shown").click()
    button = page.get_by_role("button", name="Download handout.html")
    expect(button).to_be_visible(timeout=120_000)
    with page.expect_download() as download:
        button.click()
    saved = tmp_path / "handout.html"
    download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert download.value.suggested_filename.startswith("msc-trials_")
    exosomes = restrict(read_parquet(ROOT / "data" / "parquet"), ["IRCT20130812014333N184", "NCT06466850"])
    charts = [d for d in views.render_all(exosomes) if d.figure is not None]  # dose in context has nothing to draw
    assert "Journal club: 2 MSC trials" in text and text.count("Plotly.newPlot(") == len(charts)
    assert "product=exosomes" in text  # the link back to the view it came from
    for name in ["handout.pdf", "slides.pptx", "bundle.zip"]:
        expect(page.get_by_role("button", name=f"Download {name}")).to_be_visible()


STATE = "document.querySelector('[data-testid=stApp]')?.dataset.testScriptState"


def sent_during(page, received: list, action, until: bytes) -> bytes:
    """What the server sent over the websocket for the rerun the action causes, once `until` has come and the
    run has ended (Streamlit's protobuf messages: the text of every element it redraws is in them)."""
    page.wait_for_function(f"{STATE} === 'notRunning'", timeout=WAIT)
    received.clear()
    action()
    for _ in range(WAIT // 50):  # frames arrive on Playwright's event loop, which runs while it waits
        if until in b"".join(f if isinstance(f, bytes) else f.encode() for f in received):
            break
        page.wait_for_timeout(50)
    # the run's last message (script finished) has arrived once the page says the script is not running
    page.wait_for_function(f"{STATE} === 'notRunning'", timeout=WAIT)
    return b"".join(f if isinstance(f, bytes) else f.encode() for f in received)


def listen(page) -> list:
    received: list = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: received.append(frame)))
    return received


def test_a_widget_that_changes_only_its_own_section_redraws_only_that_section(app_url, page):
    received = listen(page)
    open_page(page, f"{app_url}/data-quality", "Data quality", charts=views.charts_on("findings"))
    sent = sent_during(page, received, lambda: page.get_by_text("Every finding, with the quotes involved").click(),
                       b"findings.csv")  # opening the folded list draws it, and only it
    assert b"findings.csv" in sent and b"Reporting completeness" not in sent and b"Data-quality findings" not in sent
    page.get_by_test_id("stMultiSelect").filter(has_text="Kind of finding").click()
    sent = sent_during(page, received, lambda: page.get_by_role("option").first.click(), b"findings.csv")
    assert b"findings.csv" in sent and b"Reporting completeness" not in sent  # the scorecard is not redrawn
    page.keyboard.press("Escape")
    # a sidebar filter changes the whole page: then the scorecard is sent again (so the check above can fail)
    filter_box(page, "Product type").click()
    sent = sent_during(page, received, lambda: page.get_by_role("option", name="cells", exact=True).click(),
                       b"Dataset version")
    assert b"Reporting completeness" in sent
    page.keyboard.press("Escape")

    open_page(page, f"{app_url}/?product=exosomes", "Overview")
    sent = sent_during(page, received, lambda: page.get_by_text("Trials as rows (transpose)").click(),
                       b"comparison.csv")
    assert b"comparison.csv" in sent and b"Design at a glance" not in sent


def test_a_chart_and_its_table_are_one_click_apart_with_the_csv_beside_both(app_url, page, tmp_path):
    received = listen(page)
    open_page(page, f"{app_url}/sample-sizes", "Sample sizes", charts=1)
    tables = page.get_by_test_id("stDataFrame").count()  # the totals; the chart's table is not drawn yet
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV", exact=True).click()
    assert download.value.suggested_filename.startswith("sample_size_claims_")
    table_button = page.get_by_test_id("stButtonGroup").get_by_role("radio", name="Table")
    sent = sent_during(page, received, table_button.click, b"The table behind this chart")
    assert b"The table behind this chart" in sent and b"Totals by condition" not in sent  # only this section
    expect(page.get_by_test_id("stDataFrame")).to_have_count(tables + 1, timeout=WAIT)
    expect(page.locator(".js-plotly-plot")).to_have_count(0)
    expect(page.get_by_role("button", name="CSV", exact=True)).to_be_visible()  # the receipts stay beside it
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "sample-sizes-table.png"))
    open_page(page, f"{app_url}/dosing", "Dosing schedules", charts=PAGES["dosing"][1])  # its own choice


# the slide itself: its title, lines, chart, table or note (not the speaker notes, the choice of two trials below
# it, or the page's footer)
SLIDE_BOTTOM = """() => Math.max(...[...document.querySelectorAll(
  '[data-testid=stHeading], [data-testid=stMarkdown], [data-testid=stPlotlyChart], [data-testid=stTable], '
  + '[data-testid=stAlert]')].filter(e => !e.closest('[data-testid=stExpander]') && !e.querySelector('hr')
                                   && !e.innerText.includes('Cite as'))
  .map(e => e.getBoundingClientRect().bottom))"""


# the slide, or a box of it, scrolling sideways (a table wider than the screen): a presenter cannot scroll, so
# what is past its edge is cut
SCROLLS_SIDEWAYS = """() => [...document.querySelectorAll('[data-testid=stMain], [data-testid=stMain] *')]
  .filter(el => el.offsetParent !== null && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)
                && el.scrollWidth > el.clientWidth + 1 && !el.closest('[data-testid=stExpander]'))
  .map(el => `${el.textContent.trim().slice(0, 60)} (${el.scrollWidth - el.clientWidth} px hidden)`)"""


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1024, 768)])
def test_every_slide_fits_a_projector_screen_without_scrolling_or_cutting_text(app_url, page, width, height):
    """A presenter cannot scroll during a talk: on a 1280 x 720 projector and on an older 1024 x 768 one, every
    slide (title, lines, chart or table) ends inside the screen, its chart is not squeezed under the projector's
    height, and no text of it is cut off, covered by its key or hidden in a table that scrolls sideways."""
    page.set_viewport_size({"width": width, "height": height})
    too_low, cut = {}, {}
    for number, title in enumerate(SLIDES, start=1):
        page.goto(f"{app_url}/present?slide={number}")
        expect(page.get_by_text(f"Slide {number} of")).to_be_visible(timeout=WAIT)
        charts_drawn(page)
        bottom = page.evaluate(SLIDE_BOTTOM)
        if bottom > height:
            too_low[f"{number} {title}"] = round(bottom)
        if found := (page.evaluate(TRUNCATED) + page.evaluate(CHART_TEXT_CUT) + page.evaluate(LEGEND_OVER_TEXT)
                     + page.evaluate(SCROLLS_SIDEWAYS)):
            cut[f"{number} {title}"] = found
    assert not too_low, f"slides that end below a {height} px screen: {too_low}"
    assert not cut, f"slides whose text is cut off or covered at {width} x {height}: {cut}"


def test_presentation_moves_with_arrow_keys_and_a_clickers_page_keys(app_url, page):
    received = listen(page)
    open_page(page, f"{app_url}/present?slide=1", PAGES["present?slide=1"][0])
    expect(page.get_by_text("Previous", exact=True)).to_be_hidden()  # the clicker-only buttons are not shown
    expect(page.get_by_text("Slide 1 of")).to_be_visible(timeout=WAIT)
    expect(page.get_by_role("button", name=re.compile("Next ▶"))).to_be_enabled(timeout=WAIT)
    page.get_by_role("heading", level=1).first.click()  # the page has the focus, as a presenter's would
    sent = sent_during(page, received, lambda: page.keyboard.press("ArrowRight"), b"Slide 2 of")
    assert b"Slide 2 of" in sent and b"Cite as" not in sent  # the deck is redrawn, not the page's footer
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_text("Slide 1 of")).to_be_visible(timeout=WAIT)
    for key, slide in [("ArrowRight", 2), ("PageDown", 3), ("PageUp", 2), ("ArrowLeft", 1)]:
        charts_drawn(page)  # the slide's rerun over, as a presenter's next press comes after the slide is shown
        page.keyboard.press(key)
        expect(page).to_have_url(re.compile(rf"slide={slide}(&|$)"), timeout=WAIT)
        expect(page.get_by_text(f"Slide {slide} of")).to_be_visible(timeout=WAIT)


@pytest.mark.parametrize("width", list(WALKS))
def test_no_label_badge_button_or_chart_text_is_cut_off_or_covered(walks, width):
    """With the sidebar open: 1024 px leaves a chart about 560 px, a laptop's 1280 px about 820 px."""
    cut = findings(walks(width), "cut")
    assert not cut, f"text cut off or covered by a chart's key at {width} px: {cut}"


@pytest.mark.parametrize("width", list(WALKS), ids=lambda w: f"{WALKS[w]}-{w}")
def test_every_page_and_slide_has_no_serious_axe_violation(walks, width):
    """Every page of the site map with its folded sections open, and four slides of presentation mode (the title
    slide, the first view, a chart's slide, the last), in each walk: both colour schemes and every width."""
    violations = findings(walks(width), "axe")
    assert not violations, "\n".join(f"{path or 'overview'}: {v}" for path, found in violations.items() for v in found)


def test_tables_have_human_headers_and_no_cell_reads_none(walks):
    seen = walks(WIDEST)  # the widest walk reads every table, widened until each column is drawn
    bad = {path: (s.snake_headers, s.empty_cells) for path, s in seen.items() if s.snake_headers or s.empty_cells}
    assert not bad, f"snake_case headers or empty/None cells: {bad}"


def test_the_toolbar_has_no_deploy_button(app_url, page):
    open_page(page, app_url, "Overview")
    expect(page.get_by_test_id("stHeader")).to_be_attached()
    expect(page.get_by_test_id("stAppDeployButton")).to_have_count(0)
    expect(page.get_by_text("Deploy", exact=True)).to_have_count(0)


@pytest.mark.parametrize("width", list(WALKS))
def test_no_two_chart_labels_overlap_on_any_page(walks, width):
    found = findings(walks(width), "overlapping")
    assert not found, f"chart labels printed over each other at {width} px: {found}"


def test_no_two_chart_labels_overlap_with_an_uploaded_65_participant_trial(app_url, page, tmp_path):
    """Regression: a large uploaded trial stretched the x axis until NCT06574581's "10 (crick)" and
    "16 (meddatax)" printed over each other on Sample sizes."""
    record = (ROOT / "tests/fixtures/ctgov/NCT09000001.json").read_text(encoding="utf-8")
    assert '"count": 24' in record
    upload = tmp_path / "NCT09000001.json"
    upload.write_text(record.replace('"count": 24', '"count": 65'), encoding="utf-8")
    page.set_viewport_size({"width": 1280, "height": 1400})
    open_page(page, f"{app_url}/add", "Add trials")
    page.locator("input[type=file]").set_input_files([str(upload)])
    page.get_by_role("button", name="Check and add to the comparison").click()
    expect(page.get_by_text("Added to this session's comparison")).to_be_visible(timeout=WAIT)
    for entry in site_map():
        if not entry.view or entry.view.key == "changes":  # draws once an older version is given (test_app)
            continue
        page.locator(NAV).get_by_text(entry.title, exact=True).click()  # same session
        expect(page.get_by_role("heading", name=entry.title, exact=True).first).to_be_visible(timeout=WAIT)
        expect(page.get_by_text("plus 1 user-supplied trial(s)")).to_be_visible(timeout=WAIT)
        expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=WAIT)
        charts_drawn(page)
        if entry.url_path == "sample-sizes":
            expect(page.locator(".js-plotly-plot").first).to_contain_text("65")
            expect(page.locator(".js-plotly-plot").first).to_contain_text("16 (meddatax)")
        assert not overlapping_labels(page), f"{entry.title}: {overlapping_labels(page)}"


def test_a_bundle_from_last_time_dropped_on_what_changed_shows_the_changes_and_the_slides_open_with_them(
        app_url, page, tmp_path, tables):
    """The bundle a reader downloaded at an older version (made from that version's tables, as its Downloads page
    made it), dropped on What changed: the chart of changes, then presentation mode in the same session."""
    from trialdata.report.bundle import bundle_zip
    from trialdata.report.content import Meta
    from trialdata.snapshot import from_revision

    from .conftest import OLDER, OLDER_VERSION

    older = from_revision(OLDER, ROOT).tables
    bundle = tmp_path / "last_time_bundle.zip"
    bundle.write_bytes(bundle_zip({n: older.get(n, tables[n].head(0)) for n in TABLES},
                                  Meta(OLDER_VERSION, "2026-11-29")))
    page.set_viewport_size({"width": 1280, "height": 1400})
    open_page(page, f"{app_url}/what-changed", "What changed since the last talk", charts=0)
    expect(page.get_by_text("Nothing to compare yet")).to_be_visible(timeout=WAIT)
    not_a_bundle = tmp_path / "notes.zip"
    not_a_bundle.write_bytes(b"minutes of the last talk")
    page.locator("input[type=file]").set_input_files([str(not_a_bundle)])
    expect(page.get_by_text("That file cannot be compared: notes.zip is not a zip file.")).to_be_visible(timeout=WAIT)
    expect(page.get_by_role("button", name="Stop comparing")).to_have_count(0)  # nothing is compared
    page.locator("input[type=file]").set_input_files([str(bundle)])
    expect(page.get_by_text(f"Comparing dataset version {OLDER_VERSION}, data as of 2026-11-29")).to_be_visible(
        timeout=WAIT)
    expect(page.locator(".js-plotly-plot")).to_have_count(1, timeout=WAIT)
    expect(page.get_by_text(f"Changes per trial since dataset version {OLDER_VERSION}")).to_be_visible(timeout=WAIT)
    charts_drawn(page)
    assert not overlapping_labels(page)
    page.locator(NAV).get_by_text("Presentation", exact=True).click()
    titles = []
    for _ in range(4):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(300)
        titles.append(page.get_by_role("heading", level=1).first.inner_text())
    assert "What changed since the last talk" in titles, titles
