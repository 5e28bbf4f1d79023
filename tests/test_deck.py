"""The PPTX deck: the slide list's slides, every shape inside the slide, type at 18 pt or more, text that fits.

Whether text fits is checked the way a renderer lays it out: each paragraph is wrapped word by word at the box's
inner width, every word measured in Carlito (Calibri's metric twin, the font LibreOffice draws the deck in; its
files come from Debian's fonts-crosextra-carlito, which `make test` installs), a word wider than the line broken
where the line ends; each line takes the font's line height (1.22 times its size), and the lines must fit the
box (or table row). The boxes wrap words and never auto-fit, so this is about the box as drawn.
"""

from __future__ import annotations

import io
import os
import re
from functools import cache

import polars as pl
import pytest
from PIL import ImageFont
from pptx import Presentation
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Emu, Inches, Pt

from trialdata import views
from trialdata.report.content import Meta, summary_grid
from trialdata.report.deck import slides_pptx
from trialdata.report.measure import BODY_BOTTOM, BODY_TOP, PAD_X, TABLE_PT, column_widths, id_lines
from trialdata.report.slides import SUMMARY_SLIDES, slide_list

from .conftest import META_ARGS

META = Meta(**META_ARGS)  # as the shared handout and deck say
MIN_PT = 18
CARLITO = "/usr/share/fonts/truetype/crosextra/Carlito-{}.ttf"


LINE = (1536 + 512 + 452) / 2048  # Carlito's line height in ems: (ascender + descender + line gap) / units per em


@cache
def font(bold: bool) -> ImageFont.FreeTypeFont:
    path = CARLITO.format("Bold" if bold else "Regular")
    assert os.path.exists(path), f"{path} is missing: `make test` installs fonts-crosextra-carlito (as root)"
    return ImageFont.truetype(path, 1000)  # widths in thousandths of an em


def lines_of(text: str, inner_pt: float, size: float, bold: bool) -> int:
    """The lines a renderer wraps `text` into at `inner_pt` points wide: a word that does not fit moves to the
    next line, and a word wider than a line breaks between characters where the line ends."""
    def fits(line: str) -> bool:
        return font(bold).getlength(line) * size / 1000 <= inner_pt

    lines, line = 1, ""
    for word in text.split():
        if line and fits(f"{line} {word}"):
            line = f"{line} {word}"
            continue
        lines, line = lines + bool(line), word
        while not fits(line):
            cut = max(1, next((i for i in range(len(line) - 1, 0, -1) if fits(line[:i])), 1))
            lines, line = lines + 1, line[cut:]
    return lines


def lines_needed(frame, width: int) -> float:
    """Points of height the text frame's paragraphs need when wrapped at `width` EMU (inner margins taken off)."""
    inner = Emu(width - frame.margin_left - frame.margin_right).pt
    total = 0.0
    for paragraph in frame.paragraphs:
        size = max((run.font.size.pt for run in paragraph.runs), default=MIN_PT)
        bold = any(run.font.bold for run in paragraph.runs)
        total += lines_of(paragraph.text, inner, size, bold) * size * LINE
    return total + Emu(frame.margin_top + frame.margin_bottom).pt


def frame_problems(where: str, frame, width: int, height: int) -> list[str]:
    problems = []
    for run in (r for p in frame.paragraphs for r in p.runs):
        if run.font.size is None or run.font.size < Pt(MIN_PT):
            problems.append(f"{where}: {run.text[:40]!r} below {MIN_PT} pt")
    if not frame.word_wrap or frame.auto_size != MSO_AUTO_SIZE.NONE:
        problems.append(f"{where}: the box does not wrap, or auto-fits")
    if lines_needed(frame, width) > Emu(height).pt + 0.01:
        problems.append(f"{where}: {frame.text[:40]!r} needs {lines_needed(frame, width):.0f} pt, "
                        f"has {Emu(height).pt:.0f}")
    return problems


def problems(deck) -> list[str]:
    """Every shape outside its slide, every run under 18 pt, every box or table row too small for its text."""
    found = []
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            where = f"slide {number} {shape.name}"
            if (shape.left < 0 or shape.top < 0 or shape.left + shape.width > deck.slide_width
                    or shape.top + shape.height > deck.slide_height):
                found.append(f"{where}: outside the slide")
            if shape.has_text_frame and shape.text_frame.text:
                found += frame_problems(where, shape.text_frame, shape.width, shape.height)
            if shape.has_table:
                table = shape.table
                if sum(row.height for row in table.rows) > shape.height:
                    found.append(f"{where}: rows taller than the table")
                for i, row in enumerate(table.rows):
                    for j, cell in enumerate(row.cells):
                        found += frame_problems(f"{where} cell {i},{j}", cell.text_frame, table.columns[j].width,
                                                row.height)
    return found


def test_every_shape_is_inside_its_slide_in_large_type_and_its_text_fits(deck):
    assert deck.slide_width * 9 == deck.slide_height * 16
    assert problems(deck) == []


def test_the_geometry_check_finds_text_that_does_not_fit():
    bad = Presentation()
    slide = bad.slides.add_slide(bad.slide_layouts[6])
    box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(3), Inches(0.5))
    box.text_frame.word_wrap, box.text_frame.auto_size = True, MSO_AUTO_SIZE.NONE
    box.text_frame.text = "a sentence far too long for a box this small " * 3
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(20)
    small = slide.shapes.add_textbox(Inches(9), Inches(6), Inches(3), Inches(3))  # also runs off the slide
    small.text_frame.text = "tiny"
    small.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
    found = " | ".join(problems(bad))
    assert "needs" in found and "below 18 pt" in found and "outside the slide" in found and "auto-fits" in found


def test_the_deck_is_the_slide_list(deck, compared):
    tables = compared  # the deck's tables
    slides = slide_list(tables, meta=META)
    assert [s.shapes.title.text for s in deck.slides] == [s.title for s in slides]
    kinds = [s.kind for s in slides]
    assert kinds[0] == "title" and kinds[-1] == "findings" and "summary" in kinds
    assert kinds.count("view") == len(views.render_all(tables)) and kinds.count("trial") == tables["trials"].height
    pictures = [[sh for sh in page.shapes if sh.shape_type == 13] for page in deck.slides]
    assert [len(p) for p in pictures] == [int(k == "view") for k in kinds]  # one chart on each view slide
    for page, slide in zip(deck.slides, slides, strict=True):
        assert page.notes_slide.notes_text_frame.text == slide.notes != ""
        assert "Sources: " in slide.notes or slide.kind in ("title", "findings")


def test_view_slides_carry_their_whole_takeaway_in_the_column_beside_the_chart(tables, exosome_trials):
    for shown in (tables, exosome_trials):
        for slide in (s for s in slide_list(shown) if s.kind == "view"):
            assert 1 <= len(slide.lines) <= views.MAX_TAKEAWAY_LINES
            assert list(slide.lines) == slide.view.takeaway_lines(slide.frame), "a takeaway cut short"
            assert slide.lines_height() <= BODY_BOTTOM - BODY_TOP


def test_the_summary_slides_hold_every_summary_field_of_every_trial(tables):
    cells = {(row["Field"], trial): row[trial] for s in slide_list(tables) if s.kind == "summary"
             for row in s.table.iter_rows(named=True) for trial in s.table.columns[1:]}
    grid = summary_grid(tables["trials"])
    assert cells == {(row["Field"], trial): row[trial] for row in grid.iter_rows(named=True)
                     for trial in grid.columns[1:]}


def test_trial_ids_heading_a_summary_column_break_only_where_letters_and_digits_meet(deck, tables):
    ids = set(tables["trials"]["trial_id"])
    headers = [(cell.text_frame, table.columns[j].width) for slide in deck.slides for shape in slide.shapes
               if shape.has_table and slide.shapes.title.text.startswith("Summary") for table in [shape.table]
               for j, cell in enumerate(table.rows[0].cells) if j]
    assert headers
    for frame, width in headers:
        lines = frame.text.split("\n")
        assert "".join(lines) in ids
        assert all(re.fullmatch(r"[A-Z]+|[A-Z]*\d+", line) for line in lines), lines  # "IRCT", "N184", "20130812014333"
        inner = Emu(width - frame.margin_left - frame.margin_right).pt
        assert all(lines_of(line, inner, 18, bold=True) == 1 for line in lines), lines  # none broken by the renderer


@pytest.mark.parametrize("trial_id", ["IRCT20130812014333N184", "EUCTR2011-001234-56-GB", "CTRI/2020/05/025000",
                                      "ISRCTN12345678", "ChiCTR2000029990"])
def test_an_uploaded_trials_id_breaks_after_its_digits_or_punctuation(trial_id):
    """Uploaded trials may come from any registry: a header line never starts with punctuation, each line fits
    its column, and nothing is lost."""
    width = column_widths(pl.DataFrame({"Field": [], **{str(i): [] for i in range(5)}}))[1]
    lines = id_lines(trial_id, width, TABLE_PT).split("\n")
    assert "".join(lines) == trial_id
    assert not [line for line in lines if re.match(r"[^A-Za-z\d]", line)]
    inner = Emu(Inches(width - 2 * PAD_X)).pt
    assert all(lines_of(line, inner, TABLE_PT, bold=True) == 1 for line in lines), lines


def test_the_summary_of_five_trials_takes_one_slide_per_half_when_it_fits(tables):
    """Each half of the summary grid for the five bundled trials fits one slide, measured in the font; an
    estimate of 0.6 em a character had sent the "to whom" half's last row to a slide of its own."""
    titles = [s.title for s in slide_list(tables) if s.kind == "summary"]
    assert titles == list(SUMMARY_SLIDES)


def test_a_deck_for_two_trials_fits_too_and_shows_them_side_by_side(tables):
    import polars as pl

    two = {name: frame.filter(pl.col("trial_id").is_in(["NCT00962923", "NCT06574581"])) if "trial_id" in frame.columns
           else frame for name, frame in tables.items()}
    deck = Presentation(io.BytesIO(slides_pptx(two, META)))
    assert problems(deck) == []
    summaries = [s for s in slide_list(two) if s.kind == "summary"]
    assert all(s.table.columns == ["Field", "NCT00962923", "NCT06574581"] for s in summaries)


def test_product_characterisation_is_summarised_per_trial_on_a_slide(tables):
    """The page's grid (26 item rows) cannot be read at slide size: the slide shows, per trial, how many of its
    product's items are reported where, and those counts add up to the grid."""
    slide = next(s for s in slide_list(tables) if s.view_key == "characterisation")
    fig = slide.figure(tables)
    lanes = {y for trace in fig.data for y in trace.y}
    assert len(lanes) == tables["trials"].height  # a bar per trial, not a row per item
    per_trial = {t: n for t, n in slide.frame.group_by("trial_id").len().iter_rows()}
    drawn = {lane.split("<br>")[0]: 0 for lane in lanes}
    for trace in fig.data:
        for lane, n in zip(trace.y, trace.x, strict=True):
            drawn[lane.split("<br>")[0]] += n
    assert drawn == per_trial
    page = views.by_key("characterisation")
    assert page.figure(slide.frame, tables).layout.title.text != fig.layout.title.text  # the page keeps its grid
    assert "One bar per trial" in slide.notes and "blue square" not in slide.notes  # notes read the slide's chart


def test_speaker_notes_never_ask_for_what_only_the_app_can_do(tables):
    """A slide's notes say how to read its chart, not to hover, open a list or look below: those words are the
    page's (`on_screen`), which still says them."""
    for slide in (s for s in slide_list(tables) if s.view is not None):
        assert not re.search(r"[Hh]over|Below:|open the list|\*", slide.notes), slide.title
    from trialdata.ui.components import reading

    on_screen = [v for v in views.VIEWS if v.on_screen]
    assert on_screen and all(v.on_screen in reading(v) for v in on_screen)  # the page still says them
