"""Journal-club outputs: offline HTML handout, its PDF, the PPTX deck, figure images and the bundle."""

from __future__ import annotations

import html
import io
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor

import polars as pl
import pypdf
import pytest
from playwright.sync_api import sync_playwright
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from trialdata import views
from trialdata.cli import main as cli
from trialdata.export import csv_bytes
from trialdata.report import content
from trialdata.report.bundle import bundle_readme, bundle_zip
from trialdata.report.content import Meta, Receipt, key_findings, receipts_in, trial_card
from trialdata.report.deck import slides_pptx
from trialdata.report.handout import handout_html, html_table
from trialdata.report.images import SLIDE_SIZE, figure_image
from trialdata.report.pdf import CHROMIUM, handout_pdf
from trialdata.report.slides import fitted_card, slide_list
from trialdata.tables import TABLES

from .conftest import META_ARGS

META = Meta(**META_ARGS)  # as the shared handout and deck say


def test_handout_has_every_figure_and_the_promised_sections(compared, handout):
    tables = compared  # the handout's tables
    drawn = views.render_all(tables)
    assert handout.count("Plotly.newPlot(") == len(drawn) == len(views.VIEWS)  # every view has data here
    sections = ["Summary", "Findings that change how to read these trials", "Trial cards", "Sources and citations",
                "How to cite"]
    for title in [html.escape(d.view.title) for d in drawn] + sections:
        assert f">{title}<" in handout
    for fact in ["abc123def456", "data as of 2026-11-21", "generated 2026-11-21 10:00 UTC",
                 'href="http://localhost:8501/dosing?product=cells&amp;v=abc123def456"', "10.1186/s13075-017-1373-2"]:
        assert fact in handout
    assert handout.count('<article class="card">') == tables["trials"].height
    cards = handout[handout.index(">Trial cards<"):]
    assert "(Design · allocation)" in cards and "(design.allocation)" not in cards  # a finding's field in words


def test_handout_loads_nothing_from_outside(handout):
    assert not re.search(r"<script[^>]+src=", handout)
    assert not re.search(r"<link[^>]+href=", handout)
    assert not re.search(r"@import|url\(\s*['\"]?https?:", handout)
    assert handout.count("<script") - handout.count("Plotly.newPlot(") == 1  # plotly.js itself, inlined once
    # and in a real browser with every request recorded and refused, the figures still draw
    def load_offline() -> list[str]:
        requested = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            page = browser.new_page()
            page.route("**/*", lambda route: (requested.append(route.request.url), route.abort()))
            page.set_content(handout, wait_until="load")
            page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 6")
            browser.close()
        return requested

    with ThreadPoolExecutor(1) as pool:  # a thread of its own, whatever loop this one has
        assert pool.submit(load_offline).result() == []


def test_handout_escapes_data(tables):
    hostile = {**tables, "trials": tables["trials"].with_columns(pl.lit("<script>alert(1)</script>").alias("title"))}
    page = handout_html(hostile, META)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.browser
def test_handout_pdf_has_a_page_per_view_and_the_cards(handout):
    pdf = pypdf.PdfReader(io.BytesIO(handout_pdf(handout)))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert len(pdf.pages) >= 2 + len(views.VIEWS)  # the summary, a page or more per view, the cards
    for words in ["Journal club", "Dosing schedules", "Follow-up windows", "Trial cards", "How to cite",
                  "abc123def456"]:
        assert words in text


def test_each_view_prints_its_compact_table_and_its_receipts_as_endnotes(tables, handout):
    for drawn in views.render_all(tables):
        section = handout.split(f'id="view-{drawn.view.key}"', 1)[1].split("</section>", 1)[0]
        header = section.split("<thead>", 1)[1].split("</thead>", 1)[0]
        assert header.count("<th") == drawn.compact.width <= views.MAX_PRESENTATION_COLUMNS
        assert "_" not in header  # human labels, not column names
        receipts = {(trial, r) for col in drawn.view.receipts
                    for trial, text in zip(drawn.frame["trial_id"], drawn.frame[col], strict=True)
                    for r in receipts_in(text)}  # the same words from two trials' records are two notes
        assert section.count("<li id=\"note-") == len(receipts)
        for trial, receipt in receipts:
            assert f"{trial} · <b>{html.escape(receipt.source)}</b> · {html.escape(receipt.locator)}" in section
    assert "plotted_as" not in handout and "source_role" not in handout.split("</head>", 1)[1]


def test_receipts_are_read_back_from_their_text():
    text = 'irct · Sample size: "Target sample size: 10" | crick · page > enrollment (secondary source, no quote)'
    assert receipts_in(text) == [Receipt("irct", "Sample size", "Target sample size: 10"),
                                 Receipt("crick", "page > enrollment", None)]
    assert receipts_in("no source: not reported") == [] and receipts_in(None) == []
    assert [r.text() for r in receipts_in(text)] == text.split(" | ")


def test_key_findings_let_trials_take_turns_and_put_contradictions_first():
    flags = pl.DataFrame({"trial_id": ["A", "A", "A", "B", "B", "C"],
                          "field": ["design.masking"] * 6,
                          "kind": ["typo", "internal_contradiction", "internal_contradiction", "ambiguity",
                                   "source_conflict", "omission"],
                          "message": ["a typo", "a1", "a2", "b ambiguity", "b conflict", "c omission"]})
    # every trial's most telling finding first (by kind), then every trial's second, ...
    assert key_findings(flags, most=5)["message"].to_list() == ["a1", "b conflict", "c omission", "a2",
                                                                 "b ambiguity"]
    assert key_findings(flags, most=3)["trial_id"].to_list() == ["A", "B", "C"]


def test_key_findings_put_what_changes_a_result_first_and_leave_out_rendering_artefacts():
    flags = pl.DataFrame({
        "trial_id": ["A"] * 5,
        "field": ["enrollment.target", "eligibility.exclusion", "eligibility.inclusion[2]", "follow_up.end",
                  "outcomes"],
        "kind": ["source_conflict", "rendering_artefact", "internal_contradiction", "omission", "omission"],
        "message": ["sample size", "mirror", "criteria", "follow-up", "undefined outcome"]})
    # a sample-size conflict is a contradiction, but an undefined outcome changes how a result is read
    assert key_findings(flags)["message"].to_list() == ["undefined outcome", "follow-up", "criteria",
                                                        "sample size"]


def test_the_permalink_carries_the_dataset_version_once():
    meta = Meta("v2", "2026-11-21", link="http://host/dosing?product=cells&v=v1")
    assert meta.permalink == "http://host/dosing?product=cells&v=v2"
    assert Meta("v2", "2026-11-21").permalink is None


@pytest.mark.kaleido
@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG"), ("svg", b"<svg")])
def test_figure_images_are_16_by_9(tables, fmt, magic):
    data = figure_image(views.render(views.by_key("dosing"), tables).figure, fmt)
    assert data.lstrip()[:4] == magic[:4] or magic in data[:200]
    if fmt == "png":
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert (width, height) == SLIDE_SIZE


def test_bundle_has_every_file_and_its_csvs_equal_the_export(compared, tmp_path):
    tables = compared  # compared with an older version: the bundle holds changes.csv
    z = zipfile.ZipFile(io.BytesIO(bundle_zip(tables, META)))
    folder = META.stem
    expected = {f"{folder}/{n}.{ext}" for n in TABLES for ext in ("csv", "parquet")}
    expected |= {f"{folder}/data_dictionary.csv", f"{folder}/README.md", f"{folder}/CITATION.cff"}
    assert set(z.namelist()) == expected | {f"{folder}/changes.csv"}
    assert z.read(f"{folder}/changes.csv") == csv_bytes(tables["changes"])
    readme = z.read(f"{folder}/README.md").decode()
    assert f"- `changes.csv`: {tables['changes'].height} changes since dataset version 6359fad6e1a4" in readme
    plain = zipfile.ZipFile(io.BytesIO(bundle_zip({n: tables[n] for n in TABLES}, META)))
    assert set(plain.namelist()) == expected
    assert cli(["export", str(tmp_path)]) == 0
    for name in [*TABLES, "data_dictionary"]:
        assert z.read(f"{folder}/{name}.csv") == (tmp_path / f"{name}.csv").read_bytes(), name
    assert "abc123def456" in z.read(f"{folder}/README.md").decode()
    assert 'version: "abc123def456"' in z.read(f"{folder}/CITATION.cff").decode()


@pytest.mark.kaleido
def test_cli_writes_the_same_files_as_the_app(tmp_path):
    assert cli(["handout", str(tmp_path), "--format", "html,pptx"]) == 0
    assert cli(["bundle", str(tmp_path)]) == 0
    names = sorted(p.name.rsplit("_", 1)[1] for p in tmp_path.iterdir())
    assert names == ["bundle.zip", "handout.html", "slides.pptx"]


def test_cli_rejects_an_unknown_format(tmp_path, capsys):
    assert cli(["handout", str(tmp_path), "--format", "html,docx"]) == 2
    assert "docx" in capsys.readouterr().err


def test_slides_follow_the_trials_shown(tables):
    one = {n: f.filter(pl.col("trial_id") == "NCT06466850") for n, f in tables.items()}
    slides = slide_list(one)
    assert [s.kind for s in slides].count("trial") == 1 and slides[0].title.endswith(": 1 trial")


@pytest.mark.kaleido
def test_no_contact_data_in_exports_bundle_handout_or_deck(tables, handout, deck, tmp_path):
    from .test_data import EMAIL, PHONE, _person_names

    assert cli(["export", str(tmp_path)]) == 0
    texts = {p.name: p.read_text(encoding="utf-8-sig") for p in tmp_path.glob("*.csv")}
    bundle = zipfile.ZipFile(io.BytesIO(bundle_zip(tables, META)))
    texts |= {n: bundle.read(n).decode("utf-8-sig") for n in bundle.namelist() if not n.endswith(".parquet")}
    texts["handout"] = handout.split("</head>", 1)[1]  # the data, not the inlined plotly.js library
    texts["deck"] = " ".join(sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame)
    texts["deck tables"] = " ".join(c.text for s in deck.slides for sh in s.shapes if sh.has_table
                                    for row in sh.table.rows for c in row.cells)
    texts["notes"] = " ".join(s.notes_slide.notes_text_frame.text for s in deck.slides)
    names = _person_names()
    for where, text in texts.items():
        assert not EMAIL.search(text), f"e-mail address in {where}"
        assert not PHONE.search(text), f"phone number in {where}"
        assert not [n for n in names if n in text], f"a person's name in {where}"


def test_the_characterisation_chart_prints_the_yardstick_beside_it_cited_at_its_own_width(tables, handout):
    section = re.search(r'<section class="view" id="view-characterisation">.*?</section>', handout, re.S).group(0)
    chart, yardstick, table = section.index('class="figure"'), section.index(">Yardstick: "), section.index("<table")
    assert chart < yardstick < table  # after the chart (beside it on paper), before its table
    for review, doi in [("Renesme 2022", "10.1093/stcltm/szab009"), ("Kirkham 2022", "10.1093/stcltm/szac038")]:
        assert f"<b>{review}</b>" in section and doi in section
    assert "18\u00a0% cited the ISCT criteria" in section  # a number keeps its "%" on its line
    grid = views.by_key("characterisation").frame(tables)
    width = views.characterisation.characterisation_figure(grid).layout.width
    assert f'"width":{width}' in section.replace(" ", "")  # a grid as wide as its columns, not the page
    assert views.by_key("sample_sizes").context is None and ">Yardstick: " not in handout.replace(section, "")


def test_a_view_with_nothing_to_draw_prints_its_sentence_and_its_table_not_an_empty_chart(exosome_trials):
    view = views.by_key("dose_context")
    page = handout_html(exosome_trials, META, registry=[view])
    section = re.search(r'<section class="view" id="view-dose_context">.*?</section>', page, re.S).group(0)
    assert html.escape(view.empty) in section and 'class="figure"' not in section
    assert "IRCT20130812014333N184" in section and "NCT06466850" in section  # the table is still there
    assert "Plotly.newPlot(" not in page


def test_a_slide_with_nothing_to_draw_says_why_and_where_its_table_is(exosome_trials):
    view = views.by_key("dose_context")
    deck = Presentation(io.BytesIO(slides_pptx(exosome_trials, META, registry=[view])))
    slide = next(s for s in deck.slides if s.shapes.title.text == view.title)
    words = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert view.empty in words and "Dosing schedules page" in words and "handout" in words
    assert not [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]


def test_cli_makes_the_handout_for_the_paper_and_link_asked_for(tmp_path):
    assert cli(["handout", str(tmp_path), "--format", "html", "--paper", "letter",
                "--app-url", "http://example.org/dosing"]) == 0
    page = next(tmp_path.glob("*_handout.html")).read_text(encoding="utf-8")
    assert "@page { size: Letter;" in page
    assert re.search(r'href="http://example.org/dosing\?v=[0-9a-f]+"', page) and "<svg viewBox=" in page  # + its QR
    with pytest.raises(SystemExit):
        cli(["handout", str(tmp_path), "--paper", "a5"])


def test_compact_tables_show_codes_as_words_and_no_missing_value_as_empty(tables):
    from trialdata.vocab import code_labels

    codes = {c for c in code_labels() if "_" in c}
    for drawn in views.render_all(tables):
        cells = {v for col in drawn.compact.columns for v in drawn.compact[col].to_list()}
        assert None not in cells, drawn.view.key
        assert not cells & codes, (drawn.view.key, cells & codes)


def test_a_trial_card_says_no_more_than_the_record(tables):
    """What the follow-up view and the summary say, the card says too: an end counted from the last dose is a
    lower bound in weeks since the first, an implied value is marked unclear, a state is named as it is."""
    cards = {t: dict(trial_card(tables, t, META)) for t in tables["trials"]["trial_id"]}
    assert cards["NCT06574581"]["How long"].endswith("(at least week 48 after the first administration, derived)")
    assert "donor allogeneic (unclear)" in cards["IRCT20130812014333N184"]["Given"]  # as on the summary slide
    # one session is implied, and it gives two injections
    assert cards["IRCT20160809029275N2"]["When"].startswith(
        "administrations: 1 (unclear), by 2 routes: intravenous and intrathecal")
    assert cards["NCT06574581"]["When"].startswith("administrations: by cohort: 1, 2 or 3 (interval not stated)")
    assert cards["NCT06466850"]["How long"].startswith("6 months (unclear)")
    assert "no age limit" in cards["IRCT20130812014333N184"]["To whom"]  # its "No age limit", not "not reported"


def read_on(tables, trial_id: str) -> str:
    return tables["trials"].filter(pl.col("trial_id") == trial_id)["record_read_on"][0]


def test_a_trial_card_says_how_fresh_the_registry_record_is_on_the_day_it_is_made(tables):
    fresh = {t: dict(trial_card(tables, t, META))["How fresh"] for t in tables["trials"]["trial_id"]}
    irct = fresh["IRCT20130812014333N184"]
    assert irct.startswith(f"Record read from the registry on {read_on(tables, 'IRCT20130812014333N184')}; ")
    assert "the record held shows a last update on 2022-04-16 (update count 0)" in irct
    assert fresh["NCT06466850"].startswith("Day the record held was read not recorded, so its age is not known; ")
    assert "no last update is recorded for the record held, a mirror's rendering" in fresh["NCT06466850"]
    assert all(line.endswith(f"data as of {META.as_of}.") for line in fresh.values())
    assert not any("more than a year" in line for line in fresh.values())  # made in 2026-11: every copy is recent
    late = Meta(**{**META_ARGS, "generated": "2027-08-01 09:00 UTC"})  # the same data, a handout made later
    aged = dict(trial_card(tables, "IRCT20130812014333N184", late))["How fresh"]
    assert aged.startswith("Not checked against the registry for more than a year: ")
    assert "days before 2027-08-01 (derived)" in aged
    assert "more than a year" not in dict(trial_card(tables, "NCT06466850", late))["How fresh"]  # never read: unknown


def test_the_handout_deck_and_bundle_say_how_fresh_each_record_is(tables, handout):
    text = html.unescape(handout)
    cards = text[text.index("<h2>Trial cards</h2>"):]
    readme = bundle_readme(META, tables)
    for trial_id in tables["trials"]["trial_id"]:
        said = dict(trial_card(tables, trial_id, META))["How fresh"]
        assert f'<th scope="row">How fresh</th><td>{said}</td>' in cards, trial_id
        assert f"- {trial_id}: {said}" in readme, trial_id
    assert "## How fresh each registry record is" in readme and "(derived)" in readme
    for s in slide_list(tables, meta=META):
        if s.kind == "trial":  # the deck's card (cut to fit the slide) keeps the row
            assert s.table is not None and "How fresh" in s.table["Question"].to_list(), s.trial_id
    card = fitted_card(tables, "IRCT20160809029275N2", 4.0, META)
    assert card.filter(pl.col("Question") == "How fresh")["Answer"][0].startswith("Record read from the registry on")


def test_a_trial_cards_lists_read_as_lists(tables):
    """A time in the source's words that ends a sentence keeps no full stop inside the card's lists."""
    answers = [a for t in tables["trials"]["trial_id"] for _, a in trial_card(tables, t, META)]
    assert "The interval between repeated infusions is not stated" in " ".join(answers)
    assert not [a for a in answers if ".;" in a or "., " in a]


def test_a_trial_card_says_administrations_given_in_the_same_words_once_and_never_a_number_not_there():
    said = [(1, "day 1"), (2, "not stated"), (3, "not stated"), (4, "day 9"), (5, "day 9"), (6, "day 9")]
    assert content._said_once(said) == "#1 day 1, #2 and #3 not stated, #4 to #6 day 9"
    assert content._said_once([(2, "x"), (4, "x"), (5, "x")]) == "#2, #4 and #5 x"  # no #3 to imply


def test_a_trial_card_names_each_products_administrations_when_a_trial_gives_two(tables):
    given = tables["administrations"].filter(pl.col("trial_id") == "NCT00962923")
    products = tables["interventions"].filter(pl.col("trial_id") == "NCT00962923")
    [name] = products["name"].to_list()
    second = pl.lit(2, pl.Int64)
    two = {**tables, "administrations": pl.concat([given, given.with_columns(intervention=second)]),
           "interventions": pl.concat([products, products.with_columns(intervention=second, name=pl.lit("placebo"))])}
    when = dict(trial_card(two, "NCT00962923", META))["When"]
    assert when.startswith(f"intervention 1 ({name}, 1 administration) · all participants (single group): #1 ")
    assert "; intervention 2 (placebo, 1 administration) · all participants (single group): #1 " in when
    same_name = {**two, "interventions": pl.concat([products, products.with_columns(intervention=second)])}
    when = dict(trial_card(same_name, "NCT00962923", META))["When"]  # two products of one name stay two
    assert f"intervention 1 ({name}, " in when and f"intervention 2 ({name}, " in when


def test_the_card_of_a_trial_whose_later_infusions_have_no_time_says_so_once_per_cohort(tables):
    when = dict(trial_card(tables, "NCT06574581", META))["When"]
    assert when.count("The interval between repeated infusions is not stated") == 2  # cohorts 2 and 3
    assert "#2 and #3 The interval between repeated infusions is not stated" in when


def test_endnote_numbers_stay_apart_from_the_id_they_follow():
    table = html_table(pl.DataFrame({"Trial": ["NCT00962923"]}), marks=[[5, 6]])
    text = re.sub(r"<[^>]+>", "", table)
    assert "NCT00962923 [5,6]" in text and "NCT009629235" not in text


def test_a_measure_and_its_method_are_each_said_once():
    measure = content._measure
    assert measure({"measure": "SF-36", "method": "SF-36 questionnaire"}) == "SF-36 questionnaire"
    assert measure({"measure": "modified Rodnan skin score (mRSS)", "method": "modified Rodnan skin score"}) == \
        "modified Rodnan skin score (mRSS)"
    assert measure({"measure": "HRQOL score", "method": None}) == "HRQOL score (method not reported)"
    assert measure({"measure": "FVC", "method": "spirometry"}) == "FVC (by spirometry)"



def test_an_outcome_a_held_summary_cannot_show_reads_cannot_be_checked_in_every_output(tables, handout):
    """Absence in a summary is not evidence of non-reporting: the CSV, the page's chart, the handout and the deck
    say "cannot be checked", never "no result"."""
    csv = csv_bytes(tables["discrepancies"]).decode("utf-8-sig")
    assert csv.count("registered_cannot_check") == 4 and "registered_not_reported" not in csv
    view = views.by_key("discrepancies")
    frame = view.frame(tables)
    columns = list(view.figure(frame, tables).layout.xaxis.categoryarray)
    assert "registered, cannot be checked (summary held)" in columns
    assert not any("no result" in c for c in columns)
    section = handout[handout.index('id="view-discrepancies"'):]
    section = section[:section.index("</section>")]
    table = section[section.index("<table>"):]  # the compact table under the chart: a row per compared aspect
    assert table.count("registered, cannot be checked (summary held)") == 4 and "no result" not in section
    slide = next(s for s in slide_list(tables) if s.view_key == "discrepancies")
    assert "4 cannot be checked (only a summary of the publication is held)" in slide.lines


def test_a_cards_administrations_never_read_as_not_reported_beside_a_listed_one():
    assert content._administrations({"administrations": "3"}) == "3 administrations"
    assert content._administrations({"administrations": "not reported"}) == "number of administrations not stated"
    assert content._administrations({"administrations": "by cohort: 1 or 2"}) == "administrations: by cohort: 1 or 2"
