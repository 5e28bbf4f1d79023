"""Journal-club outputs: an offline HTML handout and its PDF, the slides (PPTX deck and presentation mode),
figure images and the citable bundle.

Everything is drawn from the view declarations (`views.VIEWS`) and from one slide list (`slides.slide_list`):
the deck and presentation mode render the same Slide objects, the handout prints the same views, so the outputs
always agree with each other and with the app. Print and slides are media of their own: the handout is
sized for the page at 100 % (no shrink-to-fit), the slides keep 18 pt type or larger, and the full receipt
tables stay in the CSVs and the bundle; print and slides show compact tables and receipts as endnotes or
speaker notes.

One module a job (import a name from the module that holds it; this package re-exports nothing):

- `content`: what every output says, whatever draws it: what it states about itself (`Meta`), the sources
  note, the summary grid and its marks, the key findings, the receipts and the trial card;
- `measure`: the slide's geometry and how much room a text takes on it (Calibri's widths, wrapping, clipping);
- `slides`: the slide list, what is on each slide (drawn by the deck and by presentation mode);
- `deck`: the slide list as a PPTX deck (python-pptx);
- `images`: figure images, PNG and SVG (kaleido);
- `handout`: the handout as one offline HTML file for the screen and the page;
- `pdf`: the handout printed to PDF by headless Chromium;
- `bundle`: the citable bundle (CSV, Parquet, the data dictionary, README and CITATION.cff in one zip).
"""
