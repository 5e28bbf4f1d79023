"""AppTest: every page runs, shows its key elements, follows the filters and survives bad links."""

from __future__ import annotations

import json

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from trialdata.ui.navigation import site_map
from trialdata.ui.text import md_escape

from .conftest import DUMMY, ROOT

# every page with a title of its own and the footer (presentation mode's title is the slide's)
PAGES = [e for e in site_map() if e.url_path != "present"]
CHARTS = {"data-quality": 2}  # a view's page draws its one chart; data quality adds the scorecard


def app(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def go(at: AppTest, url_path: str) -> AppTest:
    """Open a page by its URL path: st.Page hashes the url_path, and AppTest.switch_page only knows page files
    (a view's generic page has none)."""
    at._page_hash = calc_hash(url_path)
    return at.run()


def frames(at: AppTest) -> list[pl.DataFrame]:
    return [pl.from_pandas(df.value) for df in at.dataframe]


@pytest.mark.parametrize("entry", PAGES, ids=lambda e: e.url_path)
def test_every_page_runs_with_its_title_chart_tables_and_footer(entry):
    at = go(app(), entry.url_path)
    assert not at.exception, at.exception
    assert at.title[0].value == entry.title
    assert len(at.get("plotly_chart")) == CHARTS.get(entry.url_path, 1 if entry.view else 0)
    if entry.url_path != "add":
        assert at.dataframe, "every page with data shows at least one table"
    assert any("Dataset version" in c.value and "Cite as" in c.value for c in at.caption)


def test_overview_compares_trials_side_by_side_and_transposes():
    at = app()
    table = frames(at)[0]
    assert table.columns[0] == "field" and table.width == 6
    enrollment = table.filter(pl.col("field") == "Target enrollment").row(0, named=True)
    assert enrollment["NCT06574581"] == "not reported"
    at.toggle(key="overview_transpose").set_value(True).run()
    assert frames(at)[0]["trial_id"].len() == 5


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
    claims = frames(at)[0]
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


def test_trial_detail_opens_the_trial_in_the_link_and_shows_its_receipts():
    at = app(trial="NCT06574581")
    go(at, "trial")
    assert not at.exception
    assert at.selectbox(key="detail_trial").value == "NCT06574581"
    receipts = frames(at)[0]
    row = receipts.filter(pl.col("field") == "enrollment.target").row(0, named=True)
    assert row["state"] == "not reported" and row["quote"] == "Target Recruitment Not specified"


def test_data_quality_filters_findings_by_kind():
    at = app()
    go(at, "data-quality")
    at.multiselect(key="dq_kinds").set_value(["typo"]).run()
    assert set(frames(at)[0]["kind"]) == {"typo"}


def test_charts_are_drawn_with_the_house_template_not_streamlits_theme():
    at = app()
    go(at, "dosing")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["template"]["layout"]["paper_bgcolor"] == "white"
    assert at.get("plotly_chart")[0].proto.theme == ""  # theme=None keeps our colours in light and dark mode


def test_presentation_opens_the_slide_in_the_link_and_moves_with_next():
    at = app(slide="4")
    go(at, "present")
    assert not at.exception
    assert at.title[0].value == "Dosing schedules" and len(at.get("plotly_chart")) == 1
    at.button(key="slide_next").click().run()
    assert at.title[0].value == "Outcomes"
    assert at.query_params["slide"] in ("5", ["5"])


def test_presentation_respects_filters_and_ends_with_one_slide_per_trial():
    at = app(product="exosomes", slide="99")
    go(at, "present")
    assert not at.exception
    assert at.title[0].value.startswith("NCT06466850")  # slide numbers past the end land on the last slide
    assert at.button(key="slide_next").disabled


def test_views_that_compare_trials_one_by_one_draw_a_bounded_selection_and_say_so(monkeypatch):
    import trialdata.ui.components as components

    monkeypatch.setattr(components, "VIEW_LIMIT", 2)
    at = app()
    go(at, "dosing")
    assert not at.exception
    assert any("5 trials match the filters" in i.value for i in at.info)
    lanes = frames(at)[0]
    assert set(lanes["trial_id"]) == {"IRCT20130812014333N184", "IRCT20160809029275N2"}
    assert frames(at)[1].height == 5  # the dose table is an overview: every matching trial
    at.multiselect(key="pick-dosing schedules chart").set_value(["NCT06574581"]).run()
    assert set(frames(at)[0]["trial_id"]) == {"NCT06574581"}
    go(at, "sample-sizes")
    totals = frames(at)[2]
    assert totals["trials"].sum() == 5  # totals use all matching trials
    go(at, "data-quality")
    findings, per_trial, card = frames(at)[:3]
    assert findings["trial_id"].n_unique() > 2  # the findings table lists every matching trial's findings
    assert per_trial["trial_id"].n_unique() <= 2 and card["trial_id"].n_unique() == 2  # the charts: the selection


def test_presentation_and_journal_club_files_cover_a_bounded_selection(monkeypatch):
    import trialdata.ui.components as components

    monkeypatch.setattr(components, "VIEW_LIMIT", 2)
    at = app(slide="99")
    go(at, "present")
    assert not at.exception
    assert any("5 trials match the filters" in i.value for i in at.info)
    assert at.title[0].value.startswith("IRCT20160809029275N2")  # the last slide: the second of two chosen trials
    go(at, "downloads")
    assert at.multiselect(key="pick-journal-club files").value == ["IRCT20130812014333N184", "IRCT20160809029275N2"]


def test_long_tables_show_their_first_rows_and_say_the_csv_has_them_all(monkeypatch):
    import trialdata.ui.components as components

    monkeypatch.setattr(components, "TABLE_ROWS", 3)
    at = app()
    go(at, "outcomes")
    assert not at.exception
    total = pl.read_parquet(ROOT / "data" / "parquet" / "outcomes.parquet").height
    assert total > 3
    assert frames(at)[-1].height == 3
    assert f"Showing the first 3 of {total} rows; the CSV below has all of them." in [c.value for c in at.caption]


def test_weeks_show_one_decimal_on_screen_and_keep_every_decimal_in_the_table():
    at = app()
    go(at, "dosing")
    shown = frames(at)[0]["week"].to_list()  # a column with missing weeks is shown as text: words where missing
    assert "12.7" in shown and "not reported" in shown  # 90 days = 12.714... weeks, one decimal on screen
    assert all(w in ("not reported", "unclear") or len(w.partition(".")[2]) <= 1 for w in shown)
    from trialdata import views
    from trialdata.ui.data import session_tables
    csv_frame = views.by_key("dosing").frame(session_tables())  # what the CSV gets
    assert any(w is not None and w != round(w, 1) for w in csv_frame["week"])


def test_a_view_declared_once_reaches_the_navigation_and_presentation_mode(monkeypatch):
    from trialdata import views

    monkeypatch.setattr(views, "VIEWS", [*views.VIEWS, DUMMY])
    at = go(app(), DUMMY.path)
    assert not at.exception, at.exception
    assert at.title[0].value == DUMMY.title and len(at.get("plotly_chart")) == 1
    assert frames(at)[0].columns == ["trial_id", "registry"]
    at = go(app(slide=str(len(views.VIEWS) + 1)), "present")  # title slide, then the views: the dummy is last
    assert at.title[0].value == DUMMY.title and len(at.get("plotly_chart")) == 1
