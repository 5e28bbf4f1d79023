"""Journal-club outputs: an offline HTML handout and its PDF, the slides (PPTX deck and presentation mode),
figure images and the citable bundle.

Everything is drawn from the view declarations (`views.VIEWS`) and from one slide list (`slide_list`): the
deck and presentation mode render the same Slide objects, the handout prints the same views, so the outputs
always agree with each other and with the app. Print and slides are media of their own: the handout is
sized for the page at 100 % (no shrink-to-fit), the slides keep 18 pt type or larger, and the full receipt
tables stay in the CSVs and the bundle; print and slides show compact tables and receipts as endnotes or
speaker notes.
"""

# ruff: noqa: F401 (names re-exported for the callers until they import from each module)

from __future__ import annotations

from trialdata.report.bundle import bundle_zip
from trialdata.report.content import (
    SOURCE_MARKS,
    Meta,
    Receipt,
    _administrations,
    _measure,
    _said_once,
    key_findings,
    plural,
    receipts_in,
    summary_grid,
    trial_card,
)
from trialdata.report.deck import CHART_PX, slides_pptx
from trialdata.report.handout import PAPERS, handout_html, html_table
from trialdata.report.images import SLIDE_SIZE, figure_image
from trialdata.report.measure import BODY_BOTTOM, BODY_TOP, PAD_X, TABLE_PT, column_widths, id_lines
from trialdata.report.pdf import CHROMIUM, handout_pdf
from trialdata.report.slides import SUMMARY_SLIDES, Slide, fitted_card, slide_list
