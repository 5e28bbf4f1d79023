"""AppTest: every page runs, shows its key elements, follows the filters and survives bad links."""

from __future__ import annotations

import json
import re

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from trialdata import store, views
from trialdata.report.slides import slide_list
from trialdata.ui.navigation import site_map
from trialdata.ui.text import md_escape

from .conftest import DUMMY, OLDER_VERSION, ROOT

# every page with a title of its own and the footer (presentation mode's title is the slide's)
PAGES = [e for e in site_map() if e.url_path != "present"]
CHARTS = {e.url_path: views.charts_on(e.view.key if e.view else e.url_path) for e in site_map()}  # with guests


def app(url_path: str | None = None, **query) -> AppTest:
    """The app opened at a page (by its URL path, as a deep link does; the overview when None) with these query
    parameters: one run of that page, not the overview's first."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    if url_path is not None:
        at._page_hash = calc_hash(url_path)
    return at.run()


def go(at: AppTest, url_path: str) -> AppTest:
    """Open a page by its URL path: st.Page hashes the url_path, and AppTest.switch_page only knows page files
    (a view's generic page has none)."""
    at._page_hash = calc_hash(url_path)
    return at.run()


def frames(at: AppTest) -> list[pl.DataFrame]:
    return [pl.from_pandas(df.value) for df in at.dataframe]


def show_table(at: AppTest, csv_name: str) -> int:
    """Switch a chart to the table it plots, as a reader does, and give that table's index in at.dataframe."""
    before = [df.proto.SerializeToString() for df in at.dataframe]
    at.button_group(key=f"show-{csv_name}").set_value("Table").run()
    after = [df.proto.SerializeToString() for df in at.dataframe]
    assert len(after) == len(before) + 1, "choosing Table draws exactly one more table"
    return next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b), len(before))


def unfold(at: AppTest, csv_name: str) -> pl.DataFrame:
    """Open a folded section, as a reader does, and give its table (the last one drawn: sections come last)."""
    at.session_state[f"open-{csv_name}"] = True
    return frames(at.run())[-1]


# What changed draws once it has an older version: here the link's, which the repository's history holds
COMPARING = {"what-changed": {"v": OLDER_VERSION}}


def chart_table(at: AppTest, csv_name: str) -> pl.DataFrame:
    i = show_table(at, csv_name)
    return frames(at)[i]


@pytest.mark.parametrize("entry", PAGES, ids=lambda e: e.url_path)
def test_every_page_runs_with_its_title_chart_tables_and_footer(entry):
    at = app(entry.url_path, **COMPARING.get(entry.url_path, {}))
    assert not at.exception, at.exception
    assert at.title[0].value == entry.title
    charts = CHARTS[entry.url_path]
    assert len(at.get("plotly_chart")) == charts
    # each chart has its Chart | Table choice and the CSV of its table beside it
    assert len(at.button_group) == charts
    assert [b.label for b in at.get("download_button")].count("CSV") == charts
    if entry.url_path != "add":
        assert at.dataframe or charts or at.expander, "every page with data shows a table, or a chart or a folded " \
                                                      "table whose table is one click away"
    assert any("Dataset version" in c.value and "Cite as" in c.value for c in at.caption)


CODE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)+|[a-z_]+\[\d+\].*")  # a vocabulary code or a record path


@pytest.mark.parametrize("entry", [e for e in PAGES if e.url_path != "add"], ids=lambda e: e.url_path)
def test_no_table_on_screen_shows_a_code_or_a_record_path(entry):
    """Every table a reader can open on the page (behind each chart's Table switch, in each folded section) shows
    codes and field paths in words; the CSVs keep them (test_columns)."""
    at = app(entry.url_path)
    for switch in at.button_group:
        switch.set_value("Table")
    for fold in at.run().expander:
        at.session_state[fold.proto.id.split("-", 2)[2]] = True  # "$$ID-<hash>-<key>"
    shown = {(c, v) for frame in frames(at.run()) for c in frame.columns for v in frame[c].drop_nulls()
             if isinstance(v, str) and CODE.fullmatch(v) and c not in ("table", "column")}  # the data dictionary
    # names the CSV files and their columns as they are spelled
    assert len(at.dataframe) >= len(at.expander) + len(at.button_group)  # every fold and switch drew its table
    assert not shown, shown


def test_overview_compares_trials_side_by_side_and_transposes():
    at = app()
    table = frames(at)[0]
    assert table.columns[0] == "field" and table.width == 6
    enrollment = table.filter(pl.col("field") == "Target enrollment").row(0, named=True)
    assert enrollment["NCT06574581"] == "not reported (values differ)"  # the record's silence; 10 and 16 elsewhere
    assert any(c.value.startswith("2°: given only by a secondary source") for c in at.caption)  # the marks explained
    at.toggle(key="overview_transpose").set_value(True).run()
    assert frames(at)[0]["trial_id"].len() == 5


def test_overview_headline_counts_in_words():
    at = app()
    assert at.metric[1].label == "Target n" and at.metric[1].value == "65"  # the four targets reported: 10+15+20+20
    captions = [c.value for c in at.caption]
    assert "known targets only; 1 trial not reported" in captions  # not "1 trial(s)"
    assert "ClinicalTrials.gov: 3  \nIRCT: 2" in captions  # a registry a line


def test_a_filter_changes_every_table():
    at = app()
    assert md_escape("All trials: no filter chosen.") in [m.value for m in at.sidebar.markdown]
    assert at.sidebar.button[0].disabled  # nothing to clear
    at.multiselect(key="filter_product").set_value(["exosomes"]).run()
    assert not at.exception
    assert md_escape("Product type = exosomes") in [m.value for m in at.sidebar.markdown]
    comparison = frames(at)[0]
    assert sorted(comparison.columns[1:]) == ["IRCT20130812014333N184", "NCT06466850"]
    go(at, "sample-sizes")
    claims = chart_table(at, "sample_size_claims")
    assert set(claims["trial_id"]) == {"IRCT20130812014333N184", "NCT06466850"}
    assert at.query_params["product"] in ("exosomes", ["exosomes"])  # AppTest may give a str or list


def test_filters_come_from_the_link():
    at = app(source="not_reported", product="exosomes")
    assert not at.exception
    assert frames(at)[0].columns == ["field", "NCT06466850"]


def test_bad_link_parameters_are_dropped_with_a_notice():
    at = app(product="plutonium", colour="red", source="placenta")
    assert not at.exception
    notice = " ".join(w.value for w in at.warning)
    assert "plutonium" in notice and "colour" in notice
    assert frames(at)[0].columns == ["field", "IRCT20130812014333N184"]  # the valid part still applies
    assert "colour" not in at.query_params


def test_no_matching_trial_shows_a_helpful_message_not_an_error():
    at = app(product="exosomes", donor="autologous")
    assert not at.exception
    assert any("No trial matches" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_a_view_with_nothing_to_draw_says_why_and_still_shows_its_table(exosome_trials):
    empty = views.by_key("dose_context").empty
    at = app("dosing", product="exosomes")  # the exosome trials' doses are EV doses, not reported
    assert not at.exception
    assert empty in [i.value for i in at.info]
    assert len(at.get("plotly_chart")) == 1  # the dosing schedule's chart; no empty dose-in-context axis
    doses = next(f for f in frames(at) if "per_patient" in f.columns)
    assert set(doses["trial_id"]) == {"IRCT20130812014333N184", "NCT06466850"}
    titles = [s.title for s in slide_list(exosome_trials)]
    at = app("present", product="exosomes", slide=str(titles.index("Dose in context") + 1))
    assert not at.exception and at.title[0].value == "Dose in context" and not at.get("plotly_chart")
    note = " ".join(i.value for i in at.info)
    assert empty in note and "Dosing schedules page" in note  # the slide says where its table is


def test_trial_detail_opens_the_trial_in_the_link_and_shows_its_receipts():
    at = app("trial", trial="NCT06574581")
    assert not at.exception
    assert at.selectbox(key="detail_trial").value == "NCT06574581"
    receipts = frames(at)[0]
    row = receipts.filter(pl.col("field") == "Enrollment · target").row(0, named=True)  # the path in words
    assert row["state"] == "not reported" and row["quote"] == "Target Recruitment Not specified"
    assert not any("_" in f or "[" in f for f in receipts["field"])  # no record path is shown as code


def test_trial_detail_says_under_a_title_the_registry_cut_short_that_it_is_the_registrys():
    def captions(trial: str) -> str:
        return " ".join(c.value for c in app("trial", trial=trial).caption).replace("\\", "")

    assert "Title as the registry gives it. The public title is cut off" in captions("IRCT20130812014333N184")
    assert "Title as the registry gives it" not in captions("NCT06574581")  # no finding on its title


def test_trial_detail_says_how_fresh_the_registry_record_is_beside_data_as_of():
    as_of = json.loads((ROOT / "data" / "parquet" / "manifest.json").read_text())["data_as_of"]

    def said(trial: str) -> str:
        at = app("trial", trial=trial)
        assert not at.exception
        # a caption while the copy is recent; a warning (with the same words) once it is more than a year old
        return " ".join(e.value for e in [*at.caption, *at.warning]).replace("\\", "")

    irct = said("IRCT20130812014333N184")
    assert "ecord read from the registry on 2026-06-29" in irct  # "Record", or "record" after the mark
    assert "the record held shows a last update on 2022-04-16 (update count 0)" in irct
    assert f"data as of {as_of}." in irct
    mirror = said("NCT06574581")
    assert "Day the record held was read not recorded, so its age is not known" in mirror
    assert "no last update is recorded for the record held, a mirror's rendering" in mirror
    assert f"data as of {as_of}." in mirror


def test_data_quality_filters_findings_by_kind():
    at = app("data-quality")
    assert not at.dataframe and at.expander[0].label.startswith("Every finding, with the quotes involved (")
    everything = unfold(at, "findings")
    assert at.expander[0].label.endswith(f"({everything.height} rows)")
    at.session_state["open-findings"] = True  # as a reader keeps it open (AppTest may not send its state back)
    at.multiselect(key="dq_kinds").set_value(["typo"]).run()
    typos = frames(at)[0]
    assert set(typos["kind"]) == {"typo"} and 0 < typos.height < everything.height


def test_charts_are_drawn_with_the_house_template_not_streamlits_theme():
    at = app("dosing")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["template"]["layout"]["paper_bgcolor"] == "white"
    assert at.get("plotly_chart")[0].proto.theme == ""  # theme=None keeps our colours in light and dark mode


def test_presentation_opens_the_slide_in_the_link_and_moves_with_next(tables):
    number = [s.title for s in slide_list(tables)].index("Dosing schedules") + 1
    at = app("present", slide=str(number))
    assert not at.exception
    assert at.title[0].value == "Dosing schedules" and len(at.get("plotly_chart")) == 1
    at.button(key="slide_next").click().run()
    assert at.title[0].value == "Outcomes"
    assert at.query_params["slide"] in (str(number + 1), [str(number + 1)])


@pytest.mark.parametrize("product", ["", "exosomes"])
def test_every_slide_of_presentation_mode_runs(tables, product):
    """Each slide once, as a presenter steps through them (the design slide, hosted on the overview, raised
    StopIteration: its host is no view); of the trial cards, the first."""
    from trialdata.filters import Filters

    shown = store.filtered(tables, Filters((("product", (product,)),))) if product else tables
    slides = slide_list(shown)
    first_card = next(i for i, s in enumerate(slides) if s.kind == "trial")
    for number, slide in enumerate(slides, start=1):
        if slide.kind == "trial" and number - 1 != first_card:
            continue  # the trial cards are one kind of slide, drawn by one function: the first stands for all
        title = slide.title
        at = app("present", slide=str(number), **({"product": product} if product else {}))
        assert not at.exception, f"slide {number} ({title}): {at.exception}"
        assert at.title[0].value == md_escape(title)


def test_presentation_respects_filters_and_ends_with_one_slide_per_trial():
    at = app("present", product="exosomes", slide="99")
    assert not at.exception
    assert at.title[0].value == "Findings that change how to read these trials"  # past the end: the last slide
    last = at.query_params["slide"]
    at.button(key="slide_next").click().run()  # past the last slide the deck stays put
    assert at.title[0].value == "Findings that change how to read these trials" and at.query_params["slide"] == last
    at.button(key="slide_prev").click().run()
    assert at.title[0].value.startswith("NCT06466850")  # the trial cards come just before it


def test_views_that_compare_trials_one_by_one_draw_a_bounded_selection_and_say_so(monkeypatch):
    import trialdata.ui.components as components

    monkeypatch.setattr(components, "VIEW_LIMIT", 2)
    at = app("dosing")
    assert not at.exception
    assert any("5 trials match the filters" in i.value for i in at.info)
    lanes = chart_table(at, "dosing_schedule")
    assert set(lanes["trial_id"]) == {"IRCT20130812014333N184", "IRCT20160809029275N2"}
    doses = unfold(at, "dose_comparability")
    assert doses.height == 5  # the dose table is an overview: every matching trial
    show_table(at, "dose_context")  # the hosted view's table, behind its own Chart | Table
    assert set(next(f for f in frames(at) if "per_patient" in f.columns)["trial_id"]) <= set(lanes["trial_id"])
    at.multiselect(key="pick-dosing schedules chart").set_value(["NCT06574581"]).run()
    assert set(frames(at)[0]["trial_id"]) == {"NCT06574581"}  # the table stays chosen
    go(at, "sample-sizes")
    totals = unfold(at, "enrollment_by_product")
    assert totals["trials"].sum() == 5  # totals use all matching trials
    go(at, "data-quality")
    findings = unfold(at, "findings")
    per_trial = chart_table(at, "findings_per_trial")
    card = chart_table(at, "who_trds_scorecard")
    assert findings["trial_id"].n_unique() > 2  # the findings table lists every matching trial's findings
    assert per_trial["trial_id"].n_unique() <= 2 and card["trial_id"].n_unique() == 2  # the charts: the selection


def test_presentation_and_journal_club_files_cover_a_bounded_selection(monkeypatch):
    import trialdata.ui.components as components

    monkeypatch.setattr(components, "VIEW_LIMIT", 2)
    at = app("present", slide="99")
    assert not at.exception
    assert any("5 trials match the filters" in i.value for i in at.info)
    at.button(key="slide_prev").click().run()  # the last slide lists the findings; the one before it is ...
    assert at.title[0].value.startswith("IRCT20160809029275N2")  # ... the card of the second of two chosen trials
    go(at, "downloads")
    assert at.multiselect(key="pick-journal-club files").value == ["IRCT20130812014333N184", "IRCT20160809029275N2"]


def test_long_tables_show_their_first_rows_and_say_the_csv_has_them_all(monkeypatch):
    import trialdata.ui.components as components

    monkeypatch.setattr(components, "TABLE_ROWS", 3)
    at = app("outcomes")
    assert not at.exception
    total = pl.read_parquet(ROOT / "data" / "parquet" / "outcomes.parquet").height
    assert total > 3
    assert unfold(at, "outcomes").height == 3
    assert f"Showing the first 3 of {total} rows; the CSV below has all of them." in [c.value for c in at.caption]


def test_weeks_show_one_decimal_on_screen_and_keep_every_decimal_in_the_table():
    at = app("dosing")
    i = show_table(at, "dosing_schedule")
    shown = frames(at)[i]["week"].to_list()  # a column with missing weeks is shown as text: words where missing
    assert "12.7" in shown and "not reported" in shown  # 90 days = 12.714... weeks, one decimal on screen
    assert all(w in ("not reported", "unclear") or len(w.partition(".")[2]) <= 1 for w in shown)
    from trialdata import views
    from trialdata.ui.data import session_tables
    csv_frame = views.by_key("dosing").frame(session_tables())  # what the CSV gets
    assert any(w is not None and w != round(w, 1) for w in csv_frame["week"])


def test_a_view_hosted_on_another_page_is_drawn_there_with_its_setting(monkeypatch):
    from dataclasses import replace

    from trialdata import views

    def doubled(t, factor: float) -> pl.DataFrame:
        return t["trials"].select("trial_id", (pl.col("target_enrollment") * factor).alias("scaled"))

    guest = replace(DUMMY, key="guest", title="Guest view", path="guest", host="dosing", transform=doubled,
                    settings=(views.Setting("factor", "Factor", 2.0, 1.0, 10.0, 1.0),),
                    presentation={"trial_id": "Trial", "scaled": "Scaled"},
                    figure=lambda frame, t: DUMMY.figure(frame.with_columns(registry=pl.lit("r")), t))
    monkeypatch.setattr(views, "VIEWS", [*views.VIEWS, guest])
    at = app("dosing")
    assert not at.exception, at.exception
    assert "Guest view" in [s.value for s in at.subheader]
    assert len(at.get("plotly_chart")) == 1 + len(views.guests("dosing"))  # the page's chart and each guest's
    assert guest.path not in [e.url_path for e in site_map()]  # no page of its own
    show_table(at, guest.csv_name)

    def scaled() -> pl.Series:  # on screen a missing number reads "not reported": compare the numbers
        shown = next(f for f in frames(at) if "scaled" in f.columns)["scaled"]
        return shown.cast(pl.Float64, strict=False).drop_nulls()

    before = scaled()
    at.number_input(key="guest-factor").set_value(3.0).run()
    assert before.len() > 0 and (scaled() == before * 1.5).all()


def test_a_chart_and_its_table_are_one_view_at_a_time_and_the_choice_is_kept_per_chart():
    from trialdata import views

    at = app("dosing")
    charts = 1 + len(views.guests("dosing"))  # the page's chart and each hosted view's
    assert len(at.get("plotly_chart")) == charts and not at.dataframe  # the dose table is folded
    downloads = [b.label for b in at.get("download_button")]
    assert downloads[:3] == ["CSV", "PNG", "SVG"]  # the receipts' CSV beside the chart, with its images
    tables = len(at.dataframe)
    lanes = chart_table(at, "dosing_schedule")
    assert len(at.get("plotly_chart")) == charts - 1 and len(at.dataframe) == tables + 1
    assert {"lane", "week", "dose"} <= set(lanes.columns)
    assert [b.label for b in at.get("download_button")].count("CSV") == charts  # still there with the table shown
    assert "Download dosing_schedule.csv" in [b.label for b in at.get("download_button")]
    go(at, "follow-up")
    assert len(at.get("plotly_chart")) >= 1  # another chart keeps its own choice
    go(at, "dosing")
    assert len(at.get("plotly_chart")) == charts - 1 and frames(at)[0].equals(lanes)  # back: still the table
    at.button_group(key="show-dosing_schedule").set_value("Chart").run()
    assert len(at.get("plotly_chart")) == charts and len(at.dataframe) == tables


def test_a_views_further_tables_are_folded_under_their_title_and_size_and_drawn_when_opened():
    at = app("sample-sizes")
    assert [e.label for e in at.expander] == ["Totals by condition (5 rows)", "Totals by product (2 rows)"]
    assert not at.dataframe and "Download enrollment_by_condition.csv" not in [b.label for b in at.download_button]
    totals = unfold(at, "enrollment_by_condition")
    assert totals.height == 5 and "condition" in totals.columns
    assert "Download enrollment_by_condition.csv" in [b.label for b in at.download_button]
    assert any("not added as 0" in c.value for c in at.caption)  # the section's caption comes with its table
    assert len(at.dataframe) == 1  # the other section stays folded
    at.multiselect(key="filter_product").set_value(["exosomes"]).run()
    assert at.expander[1].label == "Totals by product (1 row)"  # the size follows the filters
    assert unfold(at, "enrollment_by_product")["product_type"].to_list() == ["exosomes"]


def test_the_characterisation_grid_keeps_its_width_and_the_yardstick_follows_it_cited_for_the_products_shown():
    def said(at: AppTest) -> str:  # the page's text as read, without markdown's escapes
        return " ".join(m.value for m in at.markdown).replace("\\", "")

    at = app("characterisation")
    [chart] = at.get("plotly_chart")
    assert json.loads(chart.proto.spec)["layout"]["width"] <= 560  # as wide as its columns, not the screen
    assert "**Yardstick: how often published studies report these items**" in said(at)
    assert "**Renesme 2022**" in said(at) and "**Wang 2025**" in said(at)
    assert "doi:10.1093/stcltm/szab009" in said(at)
    at.multiselect(key="filter_product").set_value(["exosomes"]).run()
    assert "**Wang 2025**" in said(at) and "Renesme" not in said(at)  # the cell reviews speak of no EV trial


@pytest.mark.kaleido
def test_a_pages_chart_images_are_drawn_as_its_slide_draws_it_or_at_the_grids_own_size(monkeypatch):
    """The PNG and SVG beside a chart: the view's own slide variant (the dose chart without the notes beside its
    lanes, which ran off a 16:9 image), or, for a grid as wide as its columns, that grid at its own size."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    made = {}  # file name -> the callable a click runs
    add = MediaFileManager.add_deferred

    def keep(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        made[file_name] = data_callable
        return add(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    at = app("characterisation")
    [chart] = at.get("plotly_chart")
    layout = json.loads(chart.proto.spec)["layout"]
    png = next(f for name, f in made.items() if name.startswith("characterisation_grid") and name.endswith(".png"))()
    size = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert size == (2 * layout["width"], 2 * layout["height"])  # twice its size on the page, not squeezed to 16:9
    go(at, "dosing")
    svg = next(f for name, f in made.items() if name.startswith("dose_context") and name.endswith(".svg"))()
    assert "70 million cells over 1 dose" not in svg.decode()  # a lane's note, which the slide variant leaves out
    assert "Per-patient cell dose" not in svg.decode()  # untitled: its key sits where a title would


def test_sessions_share_a_views_drawing_and_sections_but_never_ones_built_from_uploads(monkeypatch, trials):
    from dataclasses import replace

    from trialdata import views
    from trialdata.ui import data

    drawn, counted = [], []

    def figure(frame, t):
        drawn.append(frame.height)
        return DUMMY.figure(frame, t)

    def registries(t):
        counted.append(t["trials"].height)
        return t["trials"].group_by("registry").len()

    view = replace(DUMMY, key="counted", path="counted", figure=figure,
                   sections=(views.Section("Trials per registry", registries, "counted_registries"),))
    monkeypatch.setattr(views, "VIEWS", [*views.VIEWS, view])
    data._shared.clear()
    for _ in range(2):
        at = app("counted")
        assert not at.exception and at.expander[-1].label == "Trials per registry (2 rows)"
    assert drawn == counted == [5]  # two sessions, one drawing and one section table
    app("counted", product="exosomes")
    assert drawn == counted == [5, 2]  # another filter selection: its own
    upload = trials[0].model_copy(update={"trial_id": "NCT99999999"})
    for _ in range(2):  # each session with an upload makes its own, and no other session gets it
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state["user_trials"] = [upload]
        assert not go(at.run(), "counted").exception
    assert drawn == counted == [5, 2, 6, 6]
    app("counted")
    assert drawn == counted == [5, 2, 6, 6]  # the curated ones are still the shared ones


def test_sessions_share_the_decks_slides_but_never_ones_made_from_uploads(monkeypatch, trials):
    from trialdata.report import slides
    from trialdata.ui import data

    made = []
    real = slides.slide_list

    def counted(tables, *args, **kwargs):
        made.append(tables["trials"].height)
        return real(tables, *args, **kwargs)

    monkeypatch.setattr(slides, "slide_list", counted)  # where presentation mode looks it up
    data._shared.clear()
    for _ in range(2):
        at = app("present", slide="2")
        at.button(key="slide_next").click().run()
        assert not at.exception and at.query_params["slide"] in ("3", ["3"])
    assert made == [5]  # two sessions, each moving a slide on: one slide list
    upload = trials[0].model_copy(update={"trial_id": "NCT99999999"})
    for _ in range(2):  # each session with an upload makes its own, and no other session gets it
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state["user_trials"] = [upload]
        assert not go(at.run(), "present").exception
    assert made == [5, 6, 6]
    app("present", slide="2")
    assert made == [5, 6, 6]  # the curated deck is still the shared one
    app("present", product="exosomes")
    assert made == [5, 6, 6, 2]  # another filter selection: its own deck


def test_each_trials_design_is_a_line_of_worded_badges_coloured_by_what_the_record_says():
    at = app()
    lines = [m.value for m in at.markdown if m.value.startswith("**NCT00962923**")]
    assert len(lines) == 1
    assert md_escape("controlled: no") in lines[0]  # the words, not only a colour
    assert f":gray-badge[{md_escape('blinded: no')}]" in lines[0]
    # three cohorts one after another: whether there is a comparator is only implied, so orange, in words
    sequential = next(m.value for m in at.markdown if m.value.startswith("**NCT06574581**"))
    assert f":orange-badge[{md_escape('controlled: unclear')}]" in sequential


def test_a_link_made_with_another_dataset_version_says_so_and_still_opens_the_view():
    version = json.loads((ROOT / "data" / "parquet" / "manifest.json").read_text())["dataset_version"]
    at = app(v="0123456789ab", product="exosomes")
    assert not at.exception
    assert any(f"made with dataset version 0123456789ab; you are viewing version {version}" in i.value
               for i in at.info)
    assert frames(at)[0].columns == ["field", "IRCT20130812014333N184", "NCT06466850"]  # the view still opens
    go(at, "sample-sizes")
    assert at.title[0].value == "Sample sizes" and at.get("plotly_chart")
    assert not any("made with dataset version" in i.value for i in at.info)  # said once
    assert at.query_params["v"] in (version, [version])  # the link now says which version it shows
    same = app(v=version)
    assert not any("made with dataset version" in i.value for i in same.info)


def test_presentation_compares_two_trials_on_every_slide():
    at = app("present", slide="1")
    at.multiselect(key="present_compare").set_value(["NCT00962923", "NCT06574581"]).run()
    assert not at.exception
    titles = [at.title[0].value]
    for _ in range(30):  # walk every slide
        at.button(key="slide_next").click().run()
        if at.title[0].value == titles[-1]:
            break
        titles.append(at.title[0].value)
    assert titles[0] == md_escape("MSC trials evidence: 2 trials")
    trial_slides = [t for t in titles if t.startswith(("NCT", "IRCT"))]
    assert [t.split("\\:")[0] for t in trial_slides] == ["NCT00962923", "NCT06574581"]


def test_presentation_moves_with_the_arrow_keys_and_a_clickers_page_keys():
    at = app("present", slide="2")
    shortcuts = {b.key: b.proto.shortcut for b in at.button if b.key and b.key.startswith("slide_")}
    assert shortcuts == {"slide_prev": "left", "slide_prev_clicker": "pageup", "slide_next": "right",
                         "slide_next_clicker": "pagedown"}
    at.button(key="slide_next_clicker").click().run()
    assert at.query_params["slide"] in ("3", ["3"])
    at.button(key="slide_prev_clicker").click().run()
    assert at.query_params["slide"] in ("2", ["2"])


def test_the_upload_limit_the_page_states_is_the_one_the_upload_box_shows():
    import tomllib

    from trialdata.upload import MAX_FILE_BYTES

    box_mb = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    at = app("add")
    said = " ".join(m.value for m in at.markdown)
    assert f"{box_mb} MB per file" in said  # the box says "Limit {box_mb}MB per file"
    assert box_mb * 1024 * 1024 >= MAX_FILE_BYTES  # the app's check is the stricter: it names what it refuses


@pytest.mark.parametrize("entry", [e for e in PAGES if e.view], ids=lambda e: e.url_path)
def test_a_charts_title_is_said_above_it_not_drawn_in_it(entry, compared):
    """A plotly title does not wrap (at 1024 px it was cut): the page's caption says it, the chart has none."""
    tables = compared
    at = app(entry.url_path, **COMPARING.get(entry.url_path, {}))
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert not (spec["layout"].get("title") or {}).get("text")
    title = entry.view.figure(entry.view.frame(tables), tables).layout.title.text
    assert any(c.value.startswith(f"Chart: {title}.") for c in at.caption)


def test_download_buttons_count_rows_in_words():
    at = app("downloads")
    labels = [b.label for b in at.get("download_button")]
    assert "publications.csv (1 row)" in labels and "trials.csv (5 rows)" in labels  # not "(1 rows)"


def test_what_changed_says_there_is_nothing_to_compare_until_it_is_given_an_older_version():
    at = app("what-changed")
    assert not at.exception
    assert at.title[0].value == "What changed since the last talk"
    assert any("Nothing to compare yet" in i.value for i in at.info) and not at.get("plotly_chart")


def test_a_link_made_with_a_version_the_history_holds_compares_with_it_on_what_changed():
    from .conftest import OLDER_VERSION

    at = app(v=OLDER_VERSION)
    assert any("That version is known here" in i.value for i in at.info)
    assert any(link.proto.label == "What changed since that version" for link in at.get("page_link"))
    go(at, "what-changed")
    assert not at.exception
    straight = app("what-changed", v=OLDER_VERSION)  # opened there: the notice needs no link to itself
    assert any("the page below compares it" in i.value for i in straight.info)
    assert "What changed since that version" not in [link.proto.label for link in straight.get("page_link")]
    said = md_escape(f"Comparing dataset version {OLDER_VERSION}, data as of 2026-11-29 (git revision 8d56170)")
    assert any(said in s.value for s in at.success)
    assert len(at.get("plotly_chart")) == 1
    # the session keeps comparing: presentation mode opens with the changes
    go(at, "present")
    titles = []
    for _ in range(4):  # the title slide, the summaries, then the first view: the changes
        at.button(key="slide_next").click().run()
        titles.append(at.title[0].value)
    assert "What changed since the last talk" in titles
    go(at, "what-changed")
    at.button[[b.label for b in at.button].index("Stop comparing")].click().run()
    assert any("Nothing to compare yet" in i.value for i in at.info)


def test_a_link_made_with_an_unknown_version_offers_no_comparison():
    at = app(v="0123456789ab")
    assert not any("That version is known here" in i.value for i in at.info)
    assert "What changed since that version" not in [link.proto.label for link in at.get("page_link")]
