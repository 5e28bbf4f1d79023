"""Faults a reader must never see as a traceback: a damaged or stale Parquet build, curated files that do not
validate, a view whose transform or figure raises. Each is planted here; the page says what failed in words, shows
no traceback and no server path, and the rest keeps working."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from trialdata import views
from trialdata.export import build_problems
from trialdata.load import dataset_version
from trialdata.report.content import Meta
from trialdata.report.handout import handout_html
from trialdata.report.slides import slide_list

from .conftest import META_ARGS, ROOT
from .test_app import app

pytestmark = pytest.mark.faults

TRIALS = "trials.parquet"


def truncate(data: Path) -> None:
    path = data / "parquet" / TRIALS
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def remove_file(data: Path) -> None:
    (data / "parquet" / TRIALS).unlink()


def remove_folder(data: Path) -> None:
    shutil.rmtree(data / "parquet")


def mismatch_manifest(data: Path) -> None:  # a file of another build beside this manifest
    path = data / "parquet" / "flags.parquet"
    pl.read_parquet(path).head(1).write_parquet(path)


def unreadable(data: Path) -> None:  # a folder where the file should be (root reads any file; a folder it cannot)
    path = data / "parquet" / TRIALS
    path.unlink()
    path.mkdir()


def older_than_the_yaml(data: Path) -> None:  # a curated file edited after the build
    path = next((data / "trials").glob("NCT*.yaml"))
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited after the build\n", encoding="utf-8")


DAMAGE = {  # how the build is damaged -> words the reason must contain
    truncate: "trials.parquet does not match its checksum",
    remove_file: "trials.parquet is missing",
    remove_folder: "the folder parquet/ is missing",
    mismatch_manifest: "flags.parquet does not match its checksum",
    unreadable: "trials.parquet cannot be read",
    older_than_the_yaml: "it was built from other curated files",
}


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__)
def test_a_damaged_or_stale_build_is_found_and_said_in_words(data_copy, damage):
    assert build_problems(data_copy / "parquet", dataset_version(data_copy)) == []  # the copy as built
    damage(data_copy)
    problems = build_problems(data_copy / "parquet", dataset_version(data_copy))
    assert any(DAMAGE[damage] in p for p in problems), problems
    assert not any(str(data_copy) in p for p in problems)  # file names, never the server's paths


def manifest_missing(data: Path) -> None:
    (data / "parquet" / "manifest.json").unlink()


def manifest_corrupt(data: Path) -> None:
    (data / "parquet" / "manifest.json").write_text('{"dataset_version": ', encoding="utf-8")


def manifest_without_checksums(data: Path) -> None:  # a build made before the manifest recorded them
    path = data / "parquet" / "manifest.json"
    path.write_text(re.sub(r',\s*"files": \{[^}]*\}', "", path.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.mark.parametrize(("damage", "said"), [(manifest_missing, "its manifest.json is missing or unreadable"),
                                              (manifest_corrupt, "its manifest.json is missing or unreadable"),
                                              (manifest_without_checksums, "its manifest.json records no checksums")],
                         ids=lambda x: getattr(x, "__name__", ""))
def test_a_build_whose_manifest_cannot_vouch_for_it_is_not_served(data_copy, damage, said):
    damage(data_copy)
    assert build_problems(data_copy / "parquet", dataset_version(data_copy)) == [said]


# --- in the app (AppTest): the build is rebuilt from the YAML; the curated files that fail get a page ----------


def say(at) -> str:
    """Everything the page shows as text."""
    parts = [e.value for kind in ("title", "markdown", "caption", "warning", "error", "info", "subheader")
             for e in getattr(at, kind) if isinstance(getattr(e, "value", None), str)]
    parts += [str(df.value) for df in at.dataframe]
    return "\n".join(parts)


def no_internals(text: str) -> None:
    assert "Traceback" not in text and str(ROOT) not in text and "/tmp/" not in text, text[:2000]


@pytest.fixture
def served(data_copy, monkeypatch):
    """The app pointed at a copy of the data (the build checked again, as when the app starts): damage it first."""
    from trialdata.ui import data

    monkeypatch.setattr(data, "REPO_DATA", data_copy)
    monkeypatch.setattr(data, "PARQUET", data_copy / "parquet")

    def start():
        data._curated.clear()
        data.parquet_files.clear()
        data._shared.clear()
        data._filtered_curated.clear()
        data._curated_options.clear()

    yield start
    start()  # the next test starts from the real build


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__)
def test_the_app_rebuilds_a_damaged_build_from_the_yaml_and_says_so(served, data_copy, damage):
    damage(data_copy)
    served()
    for page in ("overview", "dosing"):
        at = app(page)
        assert not at.exception, at.exception
        text = say(at)
        assert "the tables were rebuilt from the curated files" in text and DAMAGE[damage] in text
        assert "Dataset version" in text  # the footer: the page ran to its end
        no_internals(text)
    assert len(at.get("plotly_chart")) >= 1  # the views draw from the rebuilt tables


def test_curated_files_that_do_not_validate_get_one_clear_page(served, data_copy):
    path = data_copy / "trials" / "NCT06466850.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("trial_id: NCT06466850", "trial_id: 12"),
                    encoding="utf-8")
    older_than_the_yaml(data_copy)  # the build is stale, so the YAML must be built, and it does not validate
    served()
    at = app()
    assert not at.exception, at.exception
    text = say(at)
    assert at.title[0].value == "The curated trial files cannot be read"
    assert "NCT06466850.yaml" in text and "trial_id" in text and "python -m trialdata validate" in text
    no_internals(text)


def test_a_yaml_made_invalid_while_the_app_runs_leaves_the_pages_working(served, data_copy):
    served()
    assert "Dataset version" in say(app())  # the app has started on the good build
    path = data_copy / "trials" / "NCT06466850.yaml"
    path.write_text("trial_id: [unclosed\n", encoding="utf-8")
    at = app("dosing")  # the build was checked when the app started: the pages keep what they were given
    assert not at.exception and "Dataset version" in say(at) and len(at.get("plotly_chart")) >= 1


def raising(*_args, **_kwargs):
    raise RuntimeError(f"planted failure in {ROOT}")  # a message with a server path, which must not reach a page


@pytest.fixture(params=["transform", "figure"])
def broken(request, monkeypatch) -> views.View:
    """The dosing view with its transform or its figure raising."""
    view = replace(views.by_key("dosing"), **{request.param: raising})
    monkeypatch.setattr(views, "VIEWS", [view if v.key == "dosing" else v for v in views.VIEWS])
    from trialdata.ui import data

    data._shared.clear()
    yield view
    data._shared.clear()


def test_a_view_that_raises_is_said_in_its_place_and_the_rest_of_the_page_works(broken):
    at = app("dosing")
    assert not at.exception, at.exception
    text = say(at)
    assert "“Dosing schedules” could not be drawn for these trials" in text
    assert "Dose in context" in [s.value for s in at.subheader]  # the view hosted on the page is drawn
    assert len(at.get("plotly_chart")) == views.charts_on("dosing") - 1
    assert "Dataset version" in text  # the footer: the page ran to its end
    no_internals(text)
    assert at.button_group  # and the page's other widgets answer
    at = app("sample-sizes")
    assert not at.exception and len(at.get("plotly_chart")) == 1  # another view's page is untouched


def test_presentation_mode_says_a_view_could_not_be_drawn_on_its_slide(broken, tables):
    titles = [s.title for s in slide_list(tables)]
    number = titles.index("Dosing schedules") + 1
    at = app("present", slide=str(number))
    assert not at.exception, at.exception
    assert at.title[0].value == "Dosing schedules"
    assert any("could not be drawn" in w.value for w in at.warning)
    no_internals(say(at))
    at.button(key="slide_next").click().run()  # the next slide is drawn as ever
    assert not at.exception and at.title[0].value == titles[number]


def test_the_handout_says_a_view_could_not_be_drawn_on_its_page(broken, tables):
    page = handout_html(tables, Meta(**META_ARGS))
    section = page.split('id="view-dosing"', 1)[1].split("</section>", 1)[0]
    assert "could not be drawn for these trials" in section
    assert 'id="view-outcomes"' in page and 'id="view-dose_context"' in page  # the other views are printed
    assert "planted failure" not in page and str(ROOT) not in page


def test_the_deck_says_a_view_could_not_be_drawn_on_its_slide(broken, tables):
    import io

    from pptx import Presentation

    from trialdata.report import deck as pptx_deck

    deck = Presentation(io.BytesIO(pptx_deck.slides_pptx(tables, Meta(**META_ARGS), registry=[broken])))
    slide = next(s for s in deck.slides if s.shapes.title.text == "Dosing schedules")
    words = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert "could not be drawn for these trials" in words and "planted failure" not in words


# --- against a running server (browser) ------------------------------------------------------------------------


@pytest.fixture
def damaged_server(tmp_path):
    from .browser_support import running_app

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    truncate(data)
    with running_app(TRIALDATA_DATA=str(data)) as url:
        yield url


def test_a_running_server_with_a_damaged_build_shows_words_not_a_traceback(damaged_server, page):
    from playwright.sync_api import expect

    from .browser_support import WAIT, charts_drawn, open_page

    open_page(page, f"{damaged_server}/dosing", "Dosing schedules", charts=views.charts_on("dosing"))
    charts_drawn(page)
    expect(page.get_by_text("the tables were rebuilt from the curated files")).to_be_visible(timeout=WAIT)
    text = page.locator("body").inner_text()
    assert "Traceback" not in text and str(ROOT) not in text and os.fspath(damaged_server) not in text


def test_a_page_that_fails_says_so_in_words_and_the_navigation_still_works(monkeypatch):
    from trialdata.ui import components, faults

    def fails() -> None:
        raise RuntimeError(f"planted failure in {ROOT}")

    monkeypatch.setattr(components, "footer", fails)  # every page draws it last
    at = app("dosing")
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [faults.PAGE_FAILED]
    assert len(at.get("plotly_chart")) >= 1  # what came before the failure is drawn
    no_internals(say(at))
    assert "Dosing schedules" in [link.label for link in at.get("page_link")]  # the navigation


def test_a_part_of_the_page_that_fails_says_so_in_its_place(monkeypatch, tables):
    from trialdata.report import slides
    from trialdata.ui import faults

    def fails(*_args, **_kwargs):
        raise RuntimeError(f"planted failure in {ROOT}")

    number = next(i for i, s in enumerate(slide_list(tables), 1) if s.kind == "trial")
    monkeypatch.setattr(slides, "fitted_card", fails)  # a trial's card on its slide, inside the deck's fragment
    at = app("present", slide=str(number))
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [faults.PART_FAILED]  # said once, in its place
    no_internals(say(at))
