"""The slide's geometry and the type on it, and how much room a text takes there: Calibri's advance widths
(measured from Carlito), the lines a text wraps to, a text clipped to a number of lines, and a slide table's
column widths, header lines and row heights. The slide list is fitted with these and the deck is drawn to them."""

from __future__ import annotations

import re

import polars as pl

SLIDE_W, SLIDE_H = 40 / 3, 7.5  # inches, 16:9 (12192000 x 6858000 EMU)
EDGE = 0.4  # the margin every shape keeps from the slide's edge
BODY_W = SLIDE_W - 2 * EDGE
TITLE_TOP, TITLE_H, TITLE_PT = 0.3, 0.85, 32
BODY_TOP, BODY_BOTTOM = 1.2, SLIDE_H - 0.25
TEXT_PT, TABLE_PT = 20, 18  # nothing on a slide is smaller than 18 pt
PAD_X, PAD_Y = 0.1, 0.05  # inner margins of text boxes and table cells, inches
# Calibri's advance widths in thousandths of an em, " " to "~": the wider of regular and bold, rounded up (measured
# from Carlito, its metric twin, which draws the deck where Calibri is missing); other characters take 0.6 em
# (the dataset's and the app's other characters measure 0.6 em or less) unless listed with their own width
ASCII_WIDTHS = (227, 326, 439, 499, 507, 729, 705, 234, 312, 312, 499, 499, 258, 307, 268, 430, 507, 507, 507, 507,
                507, 507, 507, 507, 507, 507, 276, 276, 499, 499, 499, 464, 899, 606, 561, 534, 631, 489, 460, 638,
                631, 267, 332, 547, 423, 875, 659, 677, 533, 687, 563, 473, 496, 653, 592, 907, 551, 520, 479, 325,
                430, 325, 499, 499, 301, 494, 537, 423, 537, 504, 317, 475, 537, 246, 256, 480, 246, 814, 537, 538,
                537, 537, 356, 399, 347, 537, 474, 746, 460, 474, 398, 344, 476, 344, 499)
WIDE_WIDTHS = {"—": 906, "…": 712, "→": 906, "↗": 882}
OTHER_WIDTH = 600
SLACK = 0.98  # a line is filled to 98 % of its width: kerning widens a few pairs (L. by 0.023 em)
LINE = 1.221  # line height as a multiple of the font size: Calibri's (ascender + descender + gap) / em
SIDE_W, GAP = 3.1, 0.2  # a view slide's takeaway column, and its gap to the chart
LABEL_W = 2.2  # the label column of the summary and the trial card


def text_width(text: str, size: float) -> float:
    """Inches `text` takes on one line at `size` points."""
    def em(c: str) -> int:
        return ASCII_WIDTHS[ord(c) - 32] if " " <= c <= "~" else WIDE_WIDTHS.get(c, OTHER_WIDTH)
    return sum(em(c) for c in text) * size / 72_000


def wrapped_lines(text: str, width: float, size: float) -> int:
    """How many lines `text` takes when wrapped at `width` inches in a `size`-point font: words kept whole unless a
    word alone is wider than the line, which then breaks between characters where the line ends."""
    width *= SLACK
    space = text_width(" ", size)
    lines = 0
    for paragraph in text.split("\n"):
        used, count = 0.0, 1  # inches taken on the current line, lines so far
        for word in paragraph.split():
            taken = text_width(word, size)
            if used and used + space + taken <= width:
                used += space + taken
                continue
            count += bool(used)
            used = 0.0
            for c in word if taken > width else [word]:
                step = text_width(c, size)
                if used and used + step > width:
                    count, used = count + 1, 0.0
                used += step
        lines += count
    return lines


def text_height(text: str, width: float, size: float) -> float:
    """Inches a text needs in a box `width` inches wide, inner margins included."""
    return wrapped_lines(text, width - 2 * PAD_X, size) * size * LINE / 72 + 2 * PAD_Y


def clip(text: str, width: float, size: float, lines: int) -> str:
    """The text cut at a word so it takes at most `lines` lines, with "…" when cut."""
    if wrapped_lines(text, width - 2 * PAD_X, size) <= lines:
        return text
    words = text.split()
    while words and wrapped_lines(" ".join(words) + " …", width - 2 * PAD_X, size) > lines:
        words.pop()
    return " ".join(words) + " …"


def column_widths(table: pl.DataFrame) -> list[float]:
    """A slide table's column widths in inches: the label column, then equal shares of the rest."""
    rest = (BODY_W - LABEL_W) / max(1, table.width - 1)
    return [LABEL_W, *[rest] * (table.width - 1)]


def id_lines(text: str, width: float, size: float) -> str:
    """A column header (a trial id) too wide for its column, broken after its digits or punctuation
    ("IRCT20130812014333" and "N184", or "IRCT", "20130812014333" and "N184") rather than wherever the line ends."""
    inner = (width - 2 * PAD_X) * SLACK
    if text_width(text, size) <= inner:
        return text
    pieces = []
    for run in re.findall(r"[A-Za-z]*\d+[^A-Za-z\d]*|\D+", text):  # IRCT20130812014333, N184; CTRI/, 2020/
        pieces += [run] if text_width(run, size) <= inner else re.findall(r"\d+\D*|\D+", run)
    lines = [pieces[0]]
    for piece in pieces[1:]:
        if text_width(lines[-1] + piece, size) <= inner:
            lines[-1] += piece
        else:
            lines.append(piece)
    return "\n".join(lines)


def table_rows(table: pl.DataFrame, header: bool) -> list[list[str]]:
    """A slide table's cells as drawn: the header row (trial ids kept whole where they fit) and the values."""
    widths = column_widths(table)
    head = [[id_lines(c, w, TABLE_PT) for c, w in zip(table.columns, widths, strict=True)]] if header else []
    return head + [[str(v) for v in row] for row in table.iter_rows()]


def row_heights(table: pl.DataFrame, header: bool) -> list[float]:
    widths = column_widths(table)
    return [max(text_height(v, w, TABLE_PT) for v, w in zip(row, widths, strict=True))
            for row in table_rows(table, header)]
