"""Adding a view is writing one module: the module below, in a package of its own, reaches every output with no
other edit (docs/architecture.md walks through the same example)."""

from __future__ import annotations

import importlib.util
import io

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from trialdata import columns, views
from trialdata.report.content import Meta
from trialdata.report.deck import slides_pptx
from trialdata.report.handout import handout_html
from trialdata.report.slides import slide_list
from trialdata.ui.navigation import site_map

from .conftest import ROOT
from .test_app import app, chart_table

MODULE = '''"""Registries: which registry holds each trial, and how long its name is."""

import plotly.graph_objects as go
import polars as pl

from trialdata.views.base import View


def registries(tables):
    return tables["trials"].select("trial_id", "registry", pl.col("registry").str.len_chars().alias("name_length"))


def figure(frame, tables):
    return go.Figure([dict(type="bar", x=frame["name_length"].to_list(), y=frame["trial_id"].to_list(),
                           orientation="h")], layout=dict(title="Registry name length per trial"))


def takeaway(frame):
    return [f"{frame['registry'].n_unique()} registries hold these trials"]


VIEW = View(
    order=1000, key="registries", title="Registries", path="registries",
    question="Which registry holds each trial?", how_to_read="One bar per trial: the length of its registry's name.",
    transform=registries, figure=figure, takeaway=takeaway,
    presentation={"trial_id": "Trial", "registry": "Registry", "name_length": "Name length"},
    csv_name="registries", column_help={"name_length": "How many characters the registry's name has."},
)
'''
META = Meta("abc123def456", "2026-11-21", generated="2026-11-21 10:00 UTC", filters="all trials")


@pytest.fixture
def new_view(tmp_path, monkeypatch) -> views.View:
    """The module above, written into a new package and collected as the app collects its own views."""
    package = tmp_path / "more_views"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "registries.py").write_text(MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    [view] = views.collect("more_views")
    monkeypatch.setattr(views, "VIEWS", [*views.VIEWS, view])
    return view


def test_a_view_written_as_one_module_reaches_every_output(new_view, tables):
    assert new_view.path in [e.url_path for e in site_map()]  # the navigation
    at = app(new_view.path)  # its page: title, chart, the table it plots with its CSV and images
    assert not at.exception, at.exception
    assert at.title[0].value == "Registries" and len(at.get("plotly_chart")) == 1
    assert [b.label for b in at.get("download_button")][:3] == ["CSV", "PNG", "SVG"]
    assert chart_table(at, "registries").columns == ["trial_id", "registry", "name_length"]
    assert "Download registries.csv" in [b.label for b in at.get("download_button")]
    slides = slide_list(tables)  # presentation mode and the deck share the slide list
    number = [s.title for s in slides].index("Registries") + 1
    at = app("present", slide=str(number))
    assert at.title[0].value == "Registries" and len(at.get("plotly_chart")) == 1
    assert slides[number - 1].lines == ("2 registries hold these trials",)  # its takeaway beside the chart
    handout = handout_html(tables, META)
    section = handout.split('id="view-registries"', 1)[1].split("</section>", 1)[0]
    assert "Which registry holds each trial?" in section and "Plotly.newPlot(" in section  # its chart, printed
    deck = Presentation(io.BytesIO(slides_pptx(tables, META)))
    [slide] = [s for s in deck.slides if s.shapes.title is not None and s.shapes.title.text == "Registries"]
    assert any(sh.shape_type == MSO_SHAPE_TYPE.PICTURE for sh in slide.shapes)  # its chart, drawn
    # the help of the column it works out: on its table's header and in the data dictionary
    assert columns.help_text("name_length", views.column_help()) == "How many characters the registry's name has."
    assert ("Registries", "name_length") in views.dictionary().select("view", "column").rows()
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert "registries" in bench.view_times(tables)  # the benchmark times it
