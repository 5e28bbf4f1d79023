"""The comparison views, one module each: a module's `VIEW` holds its question, transform, figure, slide
variants, takeaway, the help of the columns it derives and its place in the menu. `VIEWS` collects them in
that order, and the app's navigation and pages, presentation mode, the handout, the deck, figure images, the
benchmark and the tests all iterate it: a view over the existing tables is one new module here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence

import polars as pl

from trialdata.views.base import (
    MAX_PRESENTATION_COLUMNS,
    MAX_TAKEAWAY_LINES,
    Context,
    Rendered,
    Section,
    Setting,
    Tables,
    View,
    render,
)

__all__ = ["MAX_PRESENTATION_COLUMNS", "MAX_TAKEAWAY_LINES", "VIEWS", "Context", "Rendered", "Section", "Setting",
           "Tables", "View", "by_key", "charts_on", "collect", "column_help", "could_not_draw", "dictionary",
           "guests", "nothing_to_draw", "page_title", "render", "render_all"]


def collect(package: str) -> list[View]:
    """The `VIEW` of every module of a package, in menu order. Two views may not share a key, a URL path, a CSV
    name or a place in the menu: each module is written on its own, so a clash is caught here, not shown."""
    path = importlib.import_module(package).__path__
    found = (getattr(importlib.import_module(f"{package}.{m.name}"), "VIEW", None) for m in pkgutil.iter_modules(path))
    collected = sorted((v for v in found if v is not None), key=lambda v: v.order)
    for attr in ("key", "path", "csv_name", "order"):
        values = [getattr(v, attr) for v in collected]
        if len(set(values)) < len(values):
            raise ValueError(f"two views of {package} share a {attr}: {sorted(values, key=str)}")
    return collected


VIEWS: list[View] = collect(__name__)


def by_key(key: str, registry: Sequence[View] | None = None) -> View:
    return next(v for v in (registry or VIEWS) if v.key == key)


def page_title(view: View) -> str:
    """The title of the app page that shows the view (its host's, when it is drawn on another view's page)."""
    if not view.host:
        return view.title
    return "Overview" if view.host == "overview" else by_key(view.host).title


def could_not_draw(view: View) -> str:
    """What a page, a slide or the handout says in a view's place when making it failed (the details are logged)."""
    return f"“{view.title}” could not be drawn for these trials; the other views are drawn as ever."


def nothing_to_draw(view: View) -> str:
    """What a slide says in its chart's place when the trials shown have nothing the chart can show."""
    return f"{view.empty} Its table is on the {page_title(view)} page of the app and in the handout."


def guests(key: str, registry: Sequence[View] | None = None) -> list[View]:
    """The views drawn on the page of the view with this key, below its own chart."""
    return [v for v in (registry or VIEWS) if v.host == key]


def render_all(tables: Tables, registry: Sequence[View] | None = None) -> list[Rendered]:
    """Every view these trials have something to draw in, in display order."""
    return [d for v in (registry or VIEWS) if (d := render(v, tables)) is not None]


def column_help(registry: Sequence[View] | None = None) -> dict[str, str]:
    """What every column a view derives holds, for its table's column help (the dataset's own columns are
    described by the data dictionary)."""
    return {name: text for v in (registry or VIEWS) for name, text in v.column_help.items()}


def dictionary(registry: Sequence[View] | None = None) -> pl.DataFrame:
    """view, column, description: the columns each view's tables (its chart's and its sections') work out beyond
    the dataset's own, which the data dictionary describes."""
    rows = [(v.title, name, text) for v in (registry or VIEWS) for name, text in v.column_help.items()]
    return pl.DataFrame(rows, schema={"view": pl.String, "column": pl.String, "description": pl.String},
                        orient="row")


def charts_on(page_key: str, registry: Sequence[View] | None = None) -> int:
    """How many charts the page of this view key (or "overview") draws: its view's own, then each guest's."""
    own = any(v.key == page_key and not v.host for v in (registry or VIEWS))
    return int(own) + len(guests(page_key, registry))
