"""The handout: one offline HTML file for the screen and the page (A4 or US Letter), printed to PDF by
`pdf.py`. Page 1 the summary (with a link to the app view it came from and its QR code, when `Meta` has that
view's address), then a page per view with its receipts as endnotes, the trial cards and the sources."""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
import plotly.offline
import polars as pl

from trialdata import views
from trialdata.columns import field_label
from trialdata.provenance import DATA_LICENCE, SOURCES_SUMMARY, dataset_citation, plain
from trialdata.report.content import (
    SOURCE_MARKS,
    Meta,
    Receipt,
    Tables,
    key_findings,
    receipts_in,
    summary_grid,
    trial_card,
)
from trialdata.views import design
from trialdata.views.words import counted
from trialdata.vocab import label

log = logging.getLogger("trialdata")


@dataclass(frozen=True)
class Paper:
    name: str  # Chromium's paper format
    width_mm: float
    height_mm: float
    margins_mm: tuple[float, float, float, float] = (15, 15, 18, 15)  # top, right, bottom (holds the footer), left

    @property
    def content_px(self) -> float:
        """The width of the page's content box in CSS pixels (96 to the inch)."""
        return (self.width_mm - self.margins_mm[1] - self.margins_mm[3]) * 96 / 25.4

    @property
    def content_height_px(self) -> float:
        return (self.height_mm - self.margins_mm[0] - self.margins_mm[2]) * 96 / 25.4


PAPERS = {"a4": Paper("A4", 210, 297), "letter": Paper("Letter", 215.9, 279.4)}
# charts are laid out this wide and zoomed to the content box (about 3/4): at the content width itself the
# labels that charts print beside their markers are cut at the plot's edge; zoomed, their type stays ~9.5 pt
FIGURE_PX = 900
# room on a view's first page for its heading, question and the chart's caption: a taller chart is zoomed further,
# or it would leave them alone on a page of their own
HEADING_ROOM_PX = 130
ZOOM_FLOOR = 0.6  # never smaller (its labels would go under ~6 pt): a chart taller than that starts a page of its own


def _css(paper: Paper) -> str:
    top, right, bottom, left = paper.margins_mm
    return f"""
@page {{ size: {paper.name}; margin: {top}mm {right}mm {bottom}mm {left}mm; }}
html {{ font-size: 10pt; }}
body {{ font-family: Arial, "Liberation Sans", Helvetica, sans-serif; color: #1f1f1f; line-height: 1.3;
       max-width: {paper.content_px:.0f}px; margin: 1.5rem auto; overflow-wrap: anywhere; }}
@media print {{ body {{ margin: 0; max-width: none; }} a {{ color: inherit; }} }}
h1 {{ font-size: 16pt; margin: 0 0 .15rem; }} h2 {{ font-size: 13pt; margin: .7rem 0 .3rem;
     border-bottom: 2px solid #0072B2; break-after: avoid; }} h3 {{ font-size: 11pt; margin: .6rem 0 .2rem;
     break-after: avoid; }}
p {{ margin: .2rem 0; }} .meta, .note {{ color: #444; font-size: 9pt; }}
table {{ border-collapse: collapse; width: 100%; font-size: 9pt; margin: .3rem 0 .5rem; overflow-wrap: break-word; }}
tr {{ break-inside: avoid; }}  /* a row is read whole: never split over two pages */
th, td {{ border: 1px solid #b8b8b8; padding: 1px 3px; text-align: left; vertical-align: top; line-height: 1.2; }}
/* in a table, words and ids are kept whole: each column is at least as wide as its longest word */
thead th {{ background: #eef3f8; }} tbody th {{ font-weight: bold; background: #f7f7f7; }}
sup {{ font-size: 9pt; line-height: 0; color: #0057a0; }}
.masthead {{ display: flex; gap: 4mm; align-items: flex-start; }} .masthead > div {{ flex: 1; min-width: 0; }}
.qr {{ margin: 0; width: 22mm; flex: none; text-align: center; font-size: 9pt; }}
.qr svg {{ width: 22mm; height: 22mm; display: block; }}
.badges {{ list-style: none; margin: 0; padding: 0; }}
.badges li {{ display: inline-block; border: 1px solid #888; border-radius: 3px; padding: 0 2px; margin: 0 0 1px; }}
ol {{ margin: .2rem 0 .4rem; padding-left: 1.6em; }} li {{ margin: .1rem 0; break-inside: avoid; }}
q {{ font-style: italic; }} .receipt {{ color: #444; }}
.view, .cards, .sources {{ break-before: page; }}
.figure {{ break-inside: avoid; margin: .3rem 0; zoom: {paper.content_px / FIGURE_PX:.4f}; }}
.card {{ break-inside: avoid; margin-bottom: .6rem; }} .card table th {{ width: 22%; }}
.notes, .summary ol {{ font-size: 9pt; }}
.beside {{ display: flex; flex-wrap: wrap; align-items: flex-start; column-gap: 1rem; }}
.beside .context {{ flex: 1 1 16rem; }} .context ul {{ padding-left: 1.2em; }}
"""


def _cell(value) -> str:
    if value is None:
        return "not reported"  # a missing value is a state, never an empty cell or 0
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return html.escape(str(value))


def html_table(frame: pl.DataFrame, max_rows: int = 500, marks: Sequence[Sequence[int]] | None = None,
               row_heads: bool = False) -> str:
    """A frame as an HTML table; every cell escaped, floats rounded, endnote numbers after a row's first cell."""
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in frame.columns)
    body = []
    for i, row in enumerate(frame.head(max_rows).iter_rows()):
        cells = [_cell(v) for v in row]
        if marks and marks[i]:
            # a space and brackets, so text copied from the page keeps the id apart ("NCT00962923 [5]", not
            # "NCT009629235", which reads as another registration)
            cells[0] += " <sup>[" + ",".join(f'<a href="#note-{n}">{n}</a>' for n in marks[i]) + "]</sup>"
        first = f'<th scope="row">{cells[0]}</th>' if row_heads else f"<td>{cells[0]}</td>"
        body.append("<tr>" + first + "".join(f"<td>{c}</td>" for c in cells[1:]) + "</tr>")
    cut = (f'<p class="note">The first {max_rows:,} of {frame.height:,} rows; the CSV has every one.</p>'
           if frame.height > max_rows else "")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{cut}"


def _meta_line(meta: Meta) -> str:
    return (f'<p class="meta">Dataset version {html.escape(meta.version)} · data as of {html.escape(meta.as_of)} · '
            f"generated {html.escape(meta.generated)} · {html.escape(meta.filters)}</p>")


def qr_svg(url: str) -> str:
    """The URL as a QR code, drawn here as inline SVG (segno; nothing fetched)."""
    import segno  # imported here: only the handout needs it

    return segno.make(url, error="m").svg_inline(omitsize=True, title="QR code of the link to this view")


def _masthead(tables: Tables, meta: Meta) -> str:
    n = tables["trials"].height
    text = f"<h1>Journal club: {counted(n, 'MSC trial')}</h1>{_meta_line(meta)}"
    if meta.permalink is None:  # made without the app's address: nothing to link to, and nothing said of it
        return f'<div class="masthead"><div>{text}</div></div>'
    link = html.escape(meta.permalink)
    text += (f'<p class="meta">This view in the app, pinned to dataset version {html.escape(meta.version)}: '
             f'<a href="{link}">{link}</a></p>')
    return (f'<div class="masthead"><div>{text}</div><figure class="qr">{qr_svg(meta.permalink)}'
            f"<figcaption>scan to open</figcaption></figure></div>")


def badge_words(trials: pl.DataFrame, features: pl.DataFrame) -> dict[str, list[str]]:
    """Each trial's design badges as words ("randomised: no"): the words carry the meaning, not a colour."""
    badges = design.design_badges(trials, features)
    names = [c for c in badges.columns if c not in ("trial_id", "phase")]
    return {row["trial_id"]: [f"{n.replace('_', ' ')}: {row[n]}" for n in names]
            for row in badges.iter_rows(named=True)}


def _summary(tables: Tables, meta: Meta) -> str:
    grid = summary_grid(tables["trials"])
    badges = badge_words(tables["trials"], tables["design_features"])
    tables_html = []
    for start in range(1, grid.width, 5):  # five trials a table: a column stays wide enough to read
        part = grid.select("Field", *grid.columns[start:start + 5])
        chips = ["<th scope=\"row\">Design</th>", *[
            '<td><ul class="badges">' + "".join(f"<li>{html.escape(b)}</li>" for b in badges[t]) + "</ul></td>"
            for t in part.columns[1:]]]
        table = html_table(part, row_heads=True).replace("</tbody>", f"<tr>{''.join(chips)}</tr></tbody>")
        tables_html.append(table)
    findings = []
    for row in key_findings(tables["flags"]).iter_rows(named=True):
        # where the words are, on page 1; the quotes themselves in the trial's card (with them page 1 ran over)
        quotes = receipts_in(row["quotes"])[:1]
        said = "".join(f' <span class="receipt">({html.escape(q.source)} · {html.escape(q.locator)})</span>'
                       for q in quotes)
        findings.append(f"<li><b>{html.escape(row['trial_id'])} · {html.escape(label(row['kind']))}:</b> "
                        f"{html.escape(plain(row['message']))}{said}</li>")
    rule = ("Each trial's most telling finding first (about the intervention, outcomes, results, design and follow-up "
            "before the rest; contradictions first). Every finding, with its quotes, is in the trial cards.")
    listed = f"<ol>{''.join(findings)}</ol>" if findings else "<p>No findings for these trials.</p>"
    return (f'<section class="summary" id="summary">{_masthead(tables, meta)}<h2>Summary</h2>{"".join(tables_html)}'
            f'<p class="note">{html.escape(SOURCE_MARKS)}</p>'
            f'<h3>Findings that change how to read these trials</h3><p class="note">{rule}</p>{listed}</section>')


def endnotes(drawn: views.Rendered, first: int = 1) -> tuple[list[list[int]], list[tuple[str, Receipt]]]:
    """Numbered endnotes for a view's rows: each row's note numbers, and the distinct (trial, receipt) pairs in
    order (numbered from `first`, so the handout can number them through). A source id names a record of one
    trial ("veeva" is each trial's own page), so the same words from two trials are two notes."""
    notes: dict[tuple[str, Receipt], int] = {}
    per_row: list[list[int]] = []
    columns = [c for c in drawn.view.receipts if c in drawn.frame.columns]
    trials = drawn.frame["trial_id"] if "trial_id" in drawn.frame.columns else [""] * drawn.frame.height
    rows = drawn.frame.select(columns).iter_rows() if columns else [()] * drawn.frame.height
    for trial, row in zip(trials, rows, strict=True):
        numbers = []
        for receipt in (r for text in row for r in receipts_in(text)):
            numbers.append(notes.setdefault((trial, receipt), first + len(notes)))
        per_row.append(sorted(set(numbers)))
    return per_row, list(notes)


def _view_section(drawn: views.Rendered, width: float, first_note: int, paper: Paper) -> tuple[str, int]:
    view = drawn.view
    if drawn.figure is None:  # rows a chart cannot show: say so where the chart would be
        figure, table_of = f'<p>{html.escape(view.empty)}</p>{_context(view, drawn.frame)}', "The table"
    else:  # the section heading names the chart, so its own title is printed as a caption (a title and a legend
        # that wraps in the narrower page would draw over each other)
        # as wide as the page, or as the figure itself when it is narrower (a grid as wide as its columns)
        fig = go.Figure(drawn.figure).update_layout(width=int(min(drawn.figure.layout.width or width, width)),
                                                    title=None)
        plot = fig.to_html(full_html=False, include_plotlyjs=False,
                           config={"displaylogo": False, "responsive": False, "displayModeBar": False})
        alt = f"Chart: {view.question} The table below gives the same data."
        fits = max((paper.content_height_px - HEADING_ROOM_PX) / (fig.layout.height or 450), ZOOM_FLOOR)
        taller = f' style="zoom: {fits:.4f}"' if fits < paper.content_px / FIGURE_PX else ""
        # a chart narrower than the page has its context beside it (below it when there is no room)
        figure = (f'<p class="note">{html.escape(drawn.figure.layout.title.text or "")}</p><div class="beside">'
                  f'<div class="figure" role="img" aria-label="{html.escape(alt)}"{taller}>{plot}</div>'
                  f"{_context(view, drawn.frame)}</div>")
        table_of = "The table behind the chart"
    marks, notes = endnotes(drawn, first_note)
    items = "".join(f'<li id="note-{first_note + i}">{html.escape(trial) + " · " if trial else ""}'
                    f"<b>{html.escape(r.source)}</b> · {html.escape(r.locator)}"
                    + (f": <q>{html.escape(r.quote)}</q>" if r.quote is not None else " (secondary source, no quote)")
                    + "</li>" for i, (trial, r) in enumerate(notes))
    receipts = f'<h3>Receipts</h3><ol class="notes" start="{first_note}">{items}</ol>' if notes else ""
    return (f'<section class="view" id="view-{html.escape(view.key)}"><h2>{html.escape(view.title)}</h2>'
            f'<p>{html.escape(view.question)}</p>{figure}'
            f'<p class="note">{table_of}, in short (every column is in {html.escape(view.csv_name)}.csv, the CSV '
            f"beside the chart in the app):</p>{html_table(drawn.compact, marks=marks)}"
            f"{receipts}</section>"), first_note + len(notes)


def _context(view: views.View, frame: pl.DataFrame) -> str:
    """The published context the chart is read against, cited (beside the chart, or under it when narrow)."""
    lines = view.context_lines(frame)
    if view.context is None or lines.is_empty():
        return ""
    items = "".join(f"<li><b>{html.escape(source)}</b> — {html.escape(said)}. <i>{html.escape(citation)}</i></li>"
                    for source, said, citation in lines.iter_rows())
    return f'<div class="context"><h3>{html.escape(view.context.title)}</h3><ul class="notes">{items}</ul></div>'


def _trial_cards(tables: Tables, meta: Meta) -> str:
    cards = []
    for trial_id, title in tables["trials"].sort("trial_id").select("trial_id", "title").iter_rows():
        rows = "".join(f'<tr><th scope="row">{html.escape(q)}</th><td>{html.escape(a)}</td></tr>'
                       for q, a in trial_card(tables, trial_id, meta))
        flags = tables["flags"].filter(pl.col("trial_id") == trial_id)
        found = "".join(
            f"<li><b>{html.escape(label(r['kind']))}</b> ({html.escape(field_label(r['field']))}): "
            f"{html.escape(plain(r['message']))}"
            + "".join(f' <q>{html.escape(q.quote)}</q> <span class="receipt">({html.escape(q.source)} · '
                      f"{html.escape(q.locator)})</span>" for q in receipts_in(r["quotes"]) if q.quote)
            + "</li>" for r in flags.iter_rows(named=True))
        cards.append(f'<article class="card"><h3>{html.escape(trial_id)}: {html.escape(title or "title not reported")}'
                     f"</h3><table><tbody>{rows}</tbody></table>"
                     + (f"<p><b>What the record gets wrong:</b></p><ol>{found}</ol>" if found else "") + "</article>")
    return f'<section class="cards"><h2>Trial cards</h2>{"".join(cards)}</section>'


def _sources(tables: Tables, meta: Meta) -> str:
    items = "".join(
        f"<li><b>{html.escape(tid)}</b> · {html.escape(sid)}: {html.escape(title or '')}"
        + (f" &lt;{html.escape(url)}&gt;" if url else "") + (f" (accessed {html.escape(str(acc))})" if acc else "")
        + "</li>"
        for tid, sid, title, url, acc in tables["sources"].select("trial_id", "source_id", "title", "url", "accessed")
        .iter_rows())
    pubs = "".join(f"<li>{html.escape(c)}</li>" for c in tables["publications"]["citation"].drop_nulls())
    return (f'<section class="sources"><h2>Sources and citations</h2><ul class="notes">{items}</ul>'
            + (f"<h3>Linked publications</h3><ul>{pubs}</ul>" if pubs else "")
            + f"<h2>How to cite</h2><p>{html.escape(dataset_citation(meta.version, meta.as_of))}</p>"
            f'<p class="note">{html.escape(SOURCES_SUMMARY)}</p><p class="note">{html.escape(DATA_LICENCE)}</p>'
            f"{_meta_line(meta)}</section>")


def handout_html(tables: Tables, meta: Meta, width: int | None = None, registry: Sequence[views.View] | None = None,
                 paper: str = "a4") -> str:
    """One self-contained HTML file (plotly.js inlined once; no outside script, font or image) laid out for
    `paper` ("a4" or "letter"): page 1 the summary, then one page per view, the trial cards and the sources.
    Figures are drawn `width` CSS pixels wide (default FIGURE_PX) and zoomed to the page's content width."""
    sheet = PAPERS[paper]
    width = width or FIGURE_PX
    parts, note = [_summary(tables, meta)], 1
    for view in registry or views.VIEWS:
        try:
            drawn = views.render(view, tables)
        except Exception:  # one view failing leaves the rest of the handout whole: its page says so
            log.exception("The view %s could not be drawn", view.key)
            parts.append(f'<section class="view" id="view-{view.key}"><h2>{html.escape(view.title)}</h2>'
                         f"<p>{html.escape(views.could_not_draw(view))}</p></section>")
            continue
        if drawn is not None:
            section, note = _view_section(drawn, width, note, sheet)
            parts.append(section)
    parts += [_trial_cards(tables, meta), _sources(tables, meta)]
    footer = f"MSC trials handout · dataset version {meta.version}"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="handout-paper" content="{html.escape(paper)}">'
        f'<meta name="handout-footer" content="{html.escape(footer)}">'
        f"<title>MSC trials handout {html.escape(meta.version)}</title><style>{_css(sheet)}</style>"
        f'<script type="text/javascript">{plotly.offline.get_plotlyjs()}</script></head>'
        f"<body>{''.join(parts)}</body></html>"
    )
