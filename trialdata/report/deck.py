"""The slide list as a PPTX deck (python-pptx): 16:9, every shape inside the slide, text at 18 pt or more in
boxes sized for it, each view's chart drawn by kaleido."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence

from trialdata import figures, views
from trialdata.report.content import Meta, Tables
from trialdata.report.images import figure_image
from trialdata.report.measure import (
    BODY_BOTTOM,
    BODY_TOP,
    BODY_W,
    EDGE,
    GAP,
    PAD_X,
    PAD_Y,
    SIDE_W,
    SLIDE_H,
    SLIDE_W,
    TABLE_PT,
    TEXT_PT,
    TITLE_H,
    TITLE_PT,
    TITLE_TOP,
    column_widths,
    row_heights,
    table_rows,
    text_height,
)
from trialdata.report.slides import slide_list

CHART_PX = 1100  # a slide chart's width in pixels: its slide-sized type then projects at about 13 pt

log = logging.getLogger("trialdata")


def slides_pptx(tables: Tables, meta: Meta, registry: Sequence[views.View] | None = None) -> bytes:
    """The slide list as a 16:9 deck: every shape inside the slide, text at 18 pt or more in boxes sized for
    it (word wrap on, no auto-fit), the sources in the speaker notes."""
    from pptx import Presentation  # imported here: only the deck needs it
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    layout = deck.slide_layouts[5]  # title only: the title placeholder, placed and sized here

    def frame_text(frame, paragraphs: Sequence[str], size: float, bold: bool = False) -> None:
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.margin_left = frame.margin_right = Inches(PAD_X)
        frame.margin_top = frame.margin_bottom = Inches(PAD_Y)
        drawn = ["\n".join(" ".join(line.split()) for line in p.split("\n")) for p in paragraphs]  # as measured
        frame.text = drawn[0]
        for text in drawn[1:]:
            frame.add_paragraph().text = text
        for paragraph in frame.paragraphs:
            for run in paragraph.runs:
                run.font.size, run.font.bold = Pt(size), bold

    for s in slide_list(tables, registry, meta):
        page = deck.slides.add_slide(layout)
        title = page.shapes.title
        title.left, title.top, title.width, title.height = (Inches(EDGE), Inches(TITLE_TOP), Inches(BODY_W),
                                                            Inches(TITLE_H))
        frame_text(title.text_frame, [s.title], TITLE_PT, bold=True)
        top = BODY_TOP
        if s.view is not None:  # the chart fills the body left of the takeaway column; with nothing to draw,
            width, height = BODY_W - SIDE_W - GAP, BODY_BOTTOM - BODY_TOP  # the sentence that says why
            try:
                drawn = s.figure(tables)
            except Exception:  # the slide says so; the rest of the deck is made
                log.exception("The chart of %s could not be drawn", s.view.key)
                drawn, failed = None, True
            else:
                failed = False
            if drawn is None:
                words = views.could_not_draw(s.view) if failed else views.nothing_to_draw(s.view)
                box = page.shapes.add_textbox(Inches(EDGE), Inches(top), Inches(width),
                                              Inches(text_height(words, width, TEXT_PT)))
                frame_text(box.text_frame, [words], TEXT_PT)
            else:
                chart = figures.untitled(drawn)  # the slide has its own title
                png = figure_image(chart, "png", size=(CHART_PX, round(CHART_PX * height / width)), scale=2,
                                   as_slide=s.view.restyle_for_slide)
                page.shapes.add_picture(io.BytesIO(png), Inches(EDGE), Inches(top), Inches(width), Inches(height))
        if s.lines:
            height = s.lines_height()
            left = EDGE + BODY_W - s.lines_width
            box = page.shapes.add_textbox(Inches(left), Inches(top), Inches(s.lines_width), Inches(height))
            frame_text(box.text_frame, s.lines, s.lines_pt)
            top += height + 0.1
        if s.table is not None:
            heights = row_heights(s.table, s.header)
            rows = table_rows(s.table, s.header)
            shape = page.shapes.add_table(len(rows), s.table.width, Inches(EDGE), Inches(top), Inches(BODY_W),
                                          Inches(sum(heights)))
            grid = shape.table
            grid.first_row = s.header
            for j, w in enumerate(column_widths(s.table)):
                grid.columns[j].width = Inches(w)
            for i, (row, h) in enumerate(zip(rows, heights, strict=True)):
                grid.rows[i].height = Inches(h)
                for j, value in enumerate(row):
                    cell = grid.cell(i, j)
                    frame_text(cell.text_frame, [value], TABLE_PT, bold=(j == 0 or (s.header and i == 0)))
                    cell.margin_left = cell.margin_right = Inches(PAD_X)
                    cell.margin_top = cell.margin_bottom = Inches(PAD_Y)
        page.notes_slide.notes_text_frame.text = s.notes

    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
