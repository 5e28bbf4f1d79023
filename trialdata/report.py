"""Journal-club outputs: slides, an offline HTML handout, its PDF, a PPTX deck, figure images and the bundle.

Every output is built from the same list of views (figure + the table it plots + the sources behind
it), so the slides, the handout and the deck always agree with each other and with the app.
"""

from __future__ import annotations

import html
import io
import os
import threading
import zipfile
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

import plotly.graph_objects as go
import plotly.offline
import polars as pl

from trialdata import figures, views
from trialdata import transforms as tf
from trialdata.export import csv_bytes
from trialdata.provenance import DATA_LICENCE, SOURCES_SUMMARY, citation_cff, dataset_citation
from trialdata.tables import TABLES, data_dictionary

SLIDE_SIZE = (1600, 900)  # 16:9
CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")


@dataclass(frozen=True)
class Meta:
    """What every output states about itself."""

    version: str
    as_of: str
    generated: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    link: str | None = None  # the app view it came from
    filters: str = "all trials"

    @property
    def stem(self) -> str:
        return f"msc-trials_{self.version}_{self.generated[:10]}"


def sources_note(tables: Mapping[str, pl.DataFrame]) -> str:
    """'id: title (address)' for every source of the trials shown."""
    rows = tables["sources"].unique(["source_id", "title"], maintain_order=True)
    return "; ".join(f"{sid}: {title}" + (f" ({url})" if url else "")
                     for sid, title, url in rows.select("source_id", "title", "url").iter_rows())


def trial_facts(tables: Mapping[str, pl.DataFrame], trial_id: str) -> pl.DataFrame:
    """Field / value for one trial (the comparison column), for a per-trial slide."""
    one = tf.comparison_table(tables["trials"].filter(pl.col("trial_id") == trial_id))
    return one.rename({trial_id: "value"})


# --- figure images (one kaleido browser per process) ------------------------------------------------

_kaleido_lock = threading.Lock()
_kaleido_started = False


def figure_image(fig: go.Figure, fmt: str) -> bytes:
    """The figure as a 16:9 PNG or SVG, sized for slides; the browser behind it starts once per process."""
    import kaleido  # imported here: only image export needs it

    global _kaleido_started
    with _kaleido_lock:
        if not _kaleido_started:
            kaleido.start_sync_server(mathjax=False, silence_warnings=True)
            _kaleido_started = True
        width, height = SLIDE_SIZE
        return kaleido.calc_fig_sync(figures.for_slides(fig), opts=dict(format=fmt, width=width, height=height))


# --- HTML handout ------------------------------------------------------------------------------------

CSS = """
body { font-family: "Source Sans Pro", Arial, sans-serif; color: #1f1f1f; margin: 2rem auto; max-width: 1150px;
       line-height: 1.45; }
h1 { font-size: 2rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 2px solid #0072B2; }
table { border-collapse: collapse; width: 100%; font-size: .82rem; margin: .6rem 0 1.2rem; }
th, td { border: 1px solid #ccc; padding: .25rem .4rem; text-align: left; vertical-align: top; }
th { background: #f0f4f8; } .meta { color: #555; font-size: .9rem; } .note { color: #555; font-size: .85rem; }
section { page-break-inside: auto; } .figure { page-break-inside: avoid; margin: 1rem 0; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-before: always; } }
"""


def _cell(value) -> str:
    if value is None:
        return ""  # not reported: an empty cell, never 0
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return html.escape(str(value))


def html_table(frame: pl.DataFrame, max_rows: int = 500) -> str:
    """A frame as an HTML table; every cell is escaped and floats rounded for reading."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>"
                   for row in frame.head(max_rows).iter_rows())
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _meta_block(meta: Meta) -> str:
    link = (f' · made from <a href="{html.escape(meta.link)}">{html.escape(meta.link)}</a>' if meta.link else "")
    return (f'<p class="meta">Dataset version {html.escape(meta.version)} · data as of {html.escape(meta.as_of)} · '
            f"generated {html.escape(meta.generated)} · {html.escape(meta.filters)}{link}</p>")


def handout_html(tables: Mapping[str, pl.DataFrame], meta: Meta, width: int = 1100,
                 registry: Sequence[views.View] | None = None) -> str:
    """One self-contained HTML file: plotly.js inlined once, no outside script, font or image."""
    parts = [f"<h1>MSC trials evidence: {tables['trials'].height} trial(s)</h1>", _meta_block(meta)]
    parts.append("<h2>Side by side</h2>" + html_table(tf.comparison_table(tables["trials"])))
    for view in views.drawn(tables, registry):
        fig = go.Figure(view.figure).update_layout(width=width)
        plot = fig.to_html(full_html=False, include_plotlyjs=False, config={"displaylogo": False,
                                                                           "responsive": False})
        parts.append(f'<section><h2>{html.escape(view.view.title)}</h2><div class="figure">{plot}</div>'
                     f"<p class=\"note\">The table behind this figure:</p>{html_table(view.frame)}</section>")
    parts.append("<h2>Findings</h2>" + html_table(tables["flags"]))
    parts.append("<h2>Sources and citations</h2>" + html_table(tables["sources"]))
    if tables["publications"].height:
        parts.append("<h3>Linked publications</h3>" + html_table(tables["publications"]))
    parts.append(f'<h2>How to cite</h2><p>{html.escape(dataset_citation(meta.version, meta.as_of))}</p>'
                 f'<p class="note">{html.escape(SOURCES_SUMMARY)}</p>' + _meta_block(meta))
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>MSC trials handout {html.escape(meta.version)}</title><style>{CSS}</style>"
        f'<script type="text/javascript">{plotly.offline.get_plotlyjs()}</script></head>'
        f"<body>{''.join(parts)}</body></html>"
    )


def handout_pdf(page_html: str) -> bytes:
    """The handout printed to PDF by headless Chromium (the same HTML, so the two never differ).

    Runs in its own thread: Playwright's sync API refuses a thread that already has an event loop.
    """
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_print_pdf, page_html).result()


def _print_pdf(page_html: str) -> bytes:
    from playwright.sync_api import sync_playwright  # imported here: only PDF export needs it

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1600})
            page.set_content(page_html, wait_until="load")
            page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= "
                                   "document.querySelectorAll('.js-plotly-plot').length")
            return page.pdf(format="A4", scale=0.62, print_background=True,
                            margin={"top": "12mm", "bottom": "12mm", "left": "10mm", "right": "10mm"})
        finally:
            browser.close()


# --- PPTX deck ---------------------------------------------------------------------------------------


def slides_pptx(tables: Mapping[str, pl.DataFrame], meta: Meta, registry: Sequence[views.View] | None = None) -> bytes:
    """Title slide, one 16:9 figure per comparison, table slides; speaker notes carry the sources."""
    from pptx import Presentation  # imported here: only the deck needs it
    from pptx.util import Emu, Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)  # 16:9, 13.33 x 7.5 in
    title_layout, only_title = deck.slide_layouts[0], deck.slide_layouts[5]

    def notes(slide, text: str) -> None:
        slide.notes_slide.notes_text_frame.text = text

    first = deck.slides.add_slide(title_layout)
    first.shapes.title.text = f"MSC trials evidence: {tables['trials'].height} trial(s)"
    first.placeholders[1].text = (f"{', '.join(sorted(tables['trials']['trial_id']))}\n"
                                  f"Dataset version {meta.version} · data as of {meta.as_of} · {meta.generated}")
    notes(first, f"{dataset_citation(meta.version, meta.as_of)} Filters: {meta.filters}. {SOURCES_SUMMARY}")

    sources = sources_note(tables)
    for view in views.drawn(tables, registry):
        slide = deck.slides.add_slide(only_title)
        slide.shapes.title.text = view.view.title
        slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(30)
        image = io.BytesIO(figure_image(view.figure, "png"))
        slide.shapes.add_picture(image, Inches(0.9), Inches(1.35), width=Inches(11.5))
        notes(slide, f"Sources: {sources}")

    for title, frame in _table_slides(tables):
        slide = deck.slides.add_slide(only_title)
        slide.shapes.title.text = title
        slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(28)
        rows, cols = frame.height + 1, frame.width
        shape = slide.shapes.add_table(rows, cols, Inches(0.4), Inches(1.3), Inches(12.5), Inches(0.3) * rows)
        for j, name in enumerate(frame.columns):
            shape.table.cell(0, j).text = name
        for i, row in enumerate(frame.iter_rows(), start=1):
            for j, value in enumerate(row):
                shape.table.cell(i, j).text = "" if value is None else str(value)
        for cell in (shape.table.cell(i, j) for i in range(rows) for j in range(cols)):
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(11)
        notes(slide, f"Sources: {sources_note(tables)}")

    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _table_slides(tables: Mapping[str, pl.DataFrame]) -> list[tuple[str, pl.DataFrame]]:
    """The comparison table in two halves (so it stays readable) and the findings per trial and kind."""
    comparison = tf.comparison_table(tables["trials"]).filter(pl.col("field") != "Title")
    half = comparison.height // 2
    counts = tf.findings_by_trial(tables["flags"]).pivot(on="kind", index="trial_id", values="findings")
    return [("Side by side (1/2)", comparison.head(half)), ("Side by side (2/2)", comparison.tail(-half)),
            ("Findings per trial and kind", counts)]


# --- the citable bundle ---------------------------------------------------------------------------------

def bundle_readme(meta: Meta, tables: Mapping[str, pl.DataFrame]) -> str:
    listing = "\n".join(f"- `{name}.csv` / `{name}.parquet`: {tables[name].height} rows" for name in TABLES)
    return f"""# MSC trials evidence: data bundle

Dataset version {meta.version} · data as of {meta.as_of} · generated {meta.generated} · {meta.filters}

## What it is
A curated dataset of early-phase mesenchymal-stem-cell trials. {SOURCES_SUMMARY}
Every fact has a state (reported, not_reported, not_applicable, unclear); an empty cell means not
reported, never 0. `provenance.csv` gives the state, value, source, locator and quote of every value;
`flags.csv` lists the contradictions, source conflicts, ambiguities, implausible values and typos
found in the records; `data_dictionary.csv` describes every column.

## Files
{listing}
- `data_dictionary.csv`: table, column, type, description
- `CITATION.cff`: how to cite

CSV files are UTF-8 with a byte-order mark (Excel shows non-Latin text correctly).

## How it was curated
Each trial was extracted from its registry record by a data curator and checked by a clinical
reviewer (roles, see `trials.csv`); every quote is checked by machine against the record's text.
Facts from secondary sources (registry mirrors, a publication) cite their address and a locator.
Weeks are counted from the first administration; a month is 30.4375 days.

## How to cite
{dataset_citation(meta.version, meta.as_of)}

## Licence
{DATA_LICENCE}
"""


def bundle_zip(tables: Mapping[str, pl.DataFrame], meta: Meta) -> bytes:
    """Every table as CSV and Parquet, the data dictionary, a README and CITATION.cff, in one folder."""
    folder = meta.stem
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in TABLES:
            z.writestr(f"{folder}/{name}.csv", csv_bytes(tables[name]))
            buf = io.BytesIO()
            tables[name].write_parquet(buf)
            z.writestr(f"{folder}/{name}.parquet", buf.getvalue())
        z.writestr(f"{folder}/data_dictionary.csv", csv_bytes(data_dictionary()))
        z.writestr(f"{folder}/README.md", bundle_readme(meta, tables))
        z.writestr(f"{folder}/CITATION.cff", citation_cff(meta.version, meta.as_of))
    return out.getvalue()


# --- presentation mode ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slide:
    kind: str  # "title", "view" or "trial"
    title: str
    view_key: str | None = None
    trial_id: str | None = None


def slide_list(tables: Mapping[str, pl.DataFrame], registry: Sequence[views.View] | None = None) -> list[Slide]:
    """Title slide, one slide per view these trials have something in, one per trial (figures are built
    when shown)."""
    slides = [Slide("title", f"MSC trials evidence: {tables['trials'].height} trial(s)")]
    slides += [Slide("view", v.title, view_key=v.key) for v in (registry or views.VIEWS)
               if not v.frame(tables).is_empty()]
    slides += [Slide("trial", f"{tid}: {title or 'title not reported'}", trial_id=tid)
               for tid, title in tables["trials"].sort("trial_id").select("trial_id", "title").iter_rows()]
    return slides
