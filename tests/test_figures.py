"""Figures: structure, not pixels. Unknowns are never drawn as zero; hover carries receipts; data is escaped."""

from __future__ import annotations

import polars as pl
import pytest

from trialdata import figures, views
from trialdata.vocab import GREY, OKABE_ITO, STATUS_LOOKS


@pytest.fixture(scope="module")
def fu(tables):
    return views.follow_up.follow_up_points(tables["assessments"], tables["trials"])


@pytest.fixture(scope="module")
def x_range(tables, fu):
    return views.follow_up.week_axis_range(tables["administrations"], fu)


def all_hover(fig) -> str:
    """Every hover text of a figure, read as a person sees it (line breaks as spaces)."""
    return " ".join(str(h).replace("<br>", " ") for tr in fig.data for h in (tr.hovertext or []))


@pytest.fixture(scope="module")
def every_figure(tables, fu, x_range):
    return [
        views.sample_sizes.sample_size_figure(views.sample_sizes.sample_size_points(tables["provenance"])),
        views.products.products_figure(views.products.product_points(tables["trials"], tables["provenance"])),
        views.dosing.dosing_figure(views.dosing.dosing_lanes(tables["administrations"]), x_range),
        views.outcomes.outcomes_figure(views.outcomes.outcome_cells(tables["outcomes"])),
        views.follow_up.follow_up_figure(fu, x_range),
        views.findings.findings_figure(views.findings.findings_by_trial(tables["flags"])),
        views.scorecard.scorecard_figure(views.scorecard.scorecard(tables["reporting"])),
    ]


def test_every_figure_uses_the_house_template(every_figure):
    for fig in every_figure:
        assert fig.layout.template.layout.paper_bgcolor == "white"
        assert fig.layout.title.text
        colours = {tr.marker.color for tr in fig.data if isinstance(tr.marker.color, str)}
        assert colours <= set(OKABE_ITO) | {GREY}


def test_margins_are_worked_out_here_so_plotly_draws_each_chart_once(every_figure):
    """automargin makes Plotly draw each chart twice in the browser; our margins come from the labels instead
    (tests/test_browser.py checks in Chromium that no tick label or axis title is cut off)."""
    for fig in every_figure:
        for axis in ("xaxis", "yaxis"):  # the figure's own setting, else the template's
            own, house = fig.layout[axis].automargin, fig.layout.template.layout[axis].automargin
            assert (house if own is None else own) is False
        slide = figures.slide_style(fig)  # larger type: there Plotly measures the labels itself
        assert slide.layout.yaxis.automargin and slide.layout.xaxis.automargin
    sample, outcomes = every_figure[0], every_figure[3]
    assert outcomes.layout.margin.b > sample.layout.margin.b + 60  # its domain names are slanted under the axis


def test_a_target_that_is_not_reported_gets_a_label_not_a_bar(tables):
    points = views.sample_sizes.sample_size_points(tables["provenance"])
    fig = views.sample_sizes.sample_size_figure(points)
    bar = next(tr for tr in fig.data if tr.type == "bar")
    ticks = list(zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext, strict=True))
    barred = {min(ticks, key=lambda tick, y=y: abs(tick[0] - y))[1] for y in bar.y}  # each bar's nearest trial
    assert "NCT06574581" not in barred and 0 not in bar.x
    assert any("target not reported" in a.text for a in fig.layout.annotations)
    alone = views.sample_sizes.sample_size_figure(points.filter(pl.col("trial_id") == "NCT06574581"))
    claims = [tr for tr in alone.data if tr.name == "target, another claim"][0]
    assert sorted(claims.x) == [10, 16]  # the conflicting claims, each with its source
    assert any("crick" in t for t in claims.text) and any("meddatax" in t for t in claims.text)


def test_dosing_draws_known_times_only_and_counts_the_rest(tables, x_range):
    lanes = views.dosing.dosing_lanes(tables["administrations"])
    fig = views.dosing.dosing_figure(lanes, x_range)
    drawn = sum(len(tr.x) for tr in fig.data)
    assert drawn == lanes["week"].count() < lanes.height
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert "+2 more, time not reported" in notes and "dose not reported" in notes
    assert fig.layout.xaxis.title.text.startswith("weeks since the first administration")
    assert "Target sample size" not in all_hover(fig) and "irct · Intervention groups" in all_hover(fig)


def test_dosing_names_a_cohorts_trial_and_cohort_on_two_lines(tables, x_range):
    """The lane labels are the chart's left margin: on one line a cohort's took 350 px of a 1024 px screen."""
    fig = views.dosing.dosing_figure(views.dosing.dosing_lanes(tables["administrations"]), x_range)
    lanes = list(fig.layout.yaxis.categoryarray)
    assert "NCT06574581<br>cohort 1 (subjects 1-3)" in lanes and "NCT00962923" in lanes
    assert {y for tr in fig.data for y in tr.y} | {a.y for a in fig.layout.annotations} <= set(lanes)
    assert fig.layout.margin.l < 300  # 351 with the labels on one line


def test_follow_up_shares_the_dosing_axis_and_states_anchors(tables, fu, x_range):
    fig = views.follow_up.follow_up_figure(fu, x_range)
    dosing = views.dosing.dosing_figure(views.dosing.dosing_lanes(tables["administrations"]), x_range)
    assert tuple(fig.layout.xaxis.range) == tuple(dosing.layout.xaxis.range)
    notes = " ".join(a.text.replace("<br>", " ") for a in fig.layout.annotations)
    # the record's words as they are, and only the week since the first dose as a lower bound
    assert "48 weeks after the last infusion (from last dose); at least week 48 after the first dose" in notes
    assert "≥ 48 weeks" not in notes and "assumed" in notes
    assert "time points not listed" in notes


def test_outcomes_show_every_domain_and_distinguish_primary(tables):
    fig = views.outcomes.outcomes_figure(views.outcomes.outcome_cells(tables["outcomes"]))
    assert len(fig.layout.xaxis.ticktext) == 9
    assert {tr.marker.symbol for tr in fig.data} == {"square", "diamond-open"}
    assert "measures:" in all_hover(fig) and "time frames:" in all_hover(fig)


def test_scorecard_has_24_items_and_a_symbol_in_every_cell(tables):
    card = views.scorecard.scorecard(tables["reporting"])
    fig = views.scorecard.scorecard_figure(card)
    assert len(fig.layout.yaxis.categoryarray) == 24
    assert sum(len(tr.x) for tr in fig.data) == card.height == 24 * tables["trials"].height
    # colour is never the only cue: every status has its own shape, and its name in the legend
    assert len({tr.marker.symbol for tr in fig.data}) == len(fig.data) > 1
    assert {tr.name for tr in fig.data} <= {look.label for look in STATUS_LOOKS.values()}


def test_hover_text_never_becomes_markup():
    points = pl.DataFrame({"trial_id": ["X"], "measure": ["target"], "claim": ["headline"], "state": ["reported"],
                           "participants": [5], "plotted_as": ["bar"], "source": ["s"], "source_role": ["primary"],
                           "receipt": ['s · l: "<script>alert(1)</script>"'], "label": ["target: 5"], "note": [None]})
    hover = all_hover(views.sample_sizes.sample_size_figure(points))
    assert "<script>" not in hover and "&lt;script&gt;" in hover


def test_follow_up_hover_carries_the_words_of_the_record(tables, fu, x_range):
    hover = all_hover(views.follow_up.follow_up_figure(fu, x_range))
    assert "Before and after the intervention (4-6 weeks later)" in hover
    assert "48 weeks after the last infusion of AD-MSCs" in hover


def test_a_key_of_one_entry_is_still_drawn(tables):
    # filtered to the exosome trials, sample sizes has one kind of mark (the targets): plotly would hide a
    # legend of one trace, and with it what the bars are
    exosomes = tables["provenance"].filter(pl.col("trial_id").is_in(["IRCT20130812014333N184", "NCT06466850"]))
    fig = views.sample_sizes.sample_size_figure(views.sample_sizes.sample_size_points(exosomes))
    keyed = [tr.name for tr in fig.data if tr.showlegend is not False]
    assert keyed == ["target (headline claim)"] and fig.layout.showlegend is True
    # a figure whose marks have no name in a key gets no legend forced on it
    assert figures.one_pass([dict(type="bar", x=[1], y=["a"])], "t", 300).layout.showlegend is None


# --- wrapping by the room a text has, in pixels -----------------------------------------------------------------

def test_wrapping_fills_each_line_greedily_and_keeps_words_whole():
    text = "end: 48 weeks after the last infusion of AD-MSCs (from last dose); at least week 48"
    lines = figures.wrapped(text, 200, 14)
    assert " ".join(lines) == text and len(lines) > 1  # every word kept, none cut, in order
    assert all(figures.text_px(line, 14) <= 200 for line in lines)
    # greedy: no line could have taken the next line's first word
    assert all(figures.text_px(f"{a} {b.split()[0]}", 14) > 200 for a, b in zip(lines, lines[1:], strict=False))
    assert figures.wrap(text, 200, 14) == "<br>".join(lines)


def test_a_text_that_fits_exactly_keeps_one_line_and_a_pixel_less_breaks_it():
    text = "dose not reported · IV"
    exact = figures.text_px(text, 14)
    assert figures.wrapped(text, exact, 14) == [text]
    assert figures.wrapped(text, exact - 1, 14) == ["dose not reported ·", "IV"]


def test_a_wider_room_or_smaller_type_takes_fewer_lines():
    text = "No completion date stated; the anticipated recruitment end passed 52.6 months before 2026-12-06"
    assert len(figures.wrapped(text, 300, 14)) > len(figures.wrapped(text, 500, 14)) > 1
    assert len(figures.wrapped(text, 300, 14)) > len(figures.wrapped(text, 300, 10))


def test_empty_text_wraps_to_no_line():
    assert figures.wrapped("", 100, 14) == [] and figures.wrapped("  \n ", 100, 14) == []
    assert figures.wrap("", 100, 14) == "" and figures.note_text("", None, px=100, size=14) == ""


def test_a_word_wider_than_the_room_breaks_where_the_room_ends():
    trial = "IRCT20130812014333N184"
    room = figures.text_px("IRCT2013", 17)
    lines = figures.wrapped(f"{trial} cohort", room, 17)
    assert lines[:3] == ["IRCT2013", "08120143", "33N184"] and lines[-1] == "cohort"
    assert all(figures.text_px(line, 17) <= room for line in lines)
    # a single character wider than the room still takes its line, nothing is lost and the loop ends
    assert figures.wrapped("W i", 1, 17) == ["W", "i"]


def test_a_registry_id_keeps_one_line_as_a_lane_label():
    assert figures.lane_label("IRCT20130812014333N184") == "IRCT20130812014333N184"
    assert figures.cohort_lane("IRCT20160809029275N2 · cohort 2 (subjects 4-7)") == (
        "IRCT20160809029275N2<br>cohort 2 (subjects 4-7)")


def test_notes_on_the_week_axis_fit_between_their_start_and_the_narrowest_figures_edge(tables, fu, x_range):
    """A note written beside a lane is wrapped to the room it has at 1024 px (the narrowest figure): from where it
    starts to the figure's right edge, or leftwards from its end to the plot's left edge."""
    for fig in (views.dosing.dosing_figure(views.dosing.dosing_lanes(tables["administrations"]), x_range),
                views.follow_up.follow_up_figure(fu, x_range)):
        m = fig.layout.margin
        plot = figures.FIGURE_PX - m.l - m.r
        at = {n.x: m.l + plot * (n.x - x_range[0]) / (x_range[1] - x_range[0]) for n in fig.layout.annotations}
        for note in fig.layout.annotations:
            longest = max(figures.text_px(line, note.font.size) for line in note.text.split("<br>"))
            if note.xanchor == "right":
                assert at[note.x] - longest >= m.l - 0.5, note.text
            else:
                assert at[note.x] + (note.xshift or 0) + longest <= figures.FIGURE_PX + 0.5, note.text


def test_follow_up_lanes_grow_with_the_lines_of_the_notes_between_them(tables, fu, x_range):
    """The notes under one lane and over the next share the room between them: a trial whose unplaced assessments
    take many lines, right under the lane whose end note takes three, moves the lanes apart instead of printing
    the notes over each other."""
    usual = views.follow_up.follow_up_figure(fu, x_range)
    unplaced = fu.filter(pl.col("weeks").is_null() & (pl.col("what") == "assessment")).head(1)
    wordy = unplaced.with_columns(trial_id=pl.lit("NCT09999999"), text=pl.lit(
        "at the screening visit, then every four weeks while on treatment, then at each follow-up visit"))
    fig = views.follow_up.follow_up_figure(pl.concat([fu, wordy]), x_range)

    def lines(trial: str, anchor: str) -> int:
        return sum(n.text.count("<br>") + 1 for n in fig.layout.annotations if n.y == trial and n.yanchor == anchor)

    shown = fig.layout.yaxis.categoryarray[::-1]  # top to bottom
    assert shown[-2:] == ("NCT06574581", "NCT09999999")
    between = lines("NCT06574581", "top") + lines("NCT09999999", "bottom")
    assert between > 4  # more than the two lines each that a lane used to hold
    per_lane = (fig.layout.height - figures.rows_height(len(shown), 0)) / len(shown)
    usual_lane = (usual.layout.height - figures.rows_height(len(shown) - 1, 0)) / (len(shown) - 1)
    assert per_lane > usual_lane and per_lane >= 43 + 18 * between  # 18 px a line, 43 for the shifts and markers


def test_a_label_of_several_lines_takes_the_margin_of_its_longest_line():
    one_line = figures.margins(["NCT00962923 · outcome: secondary outcome 5: SSc serology (ATA, ACA, ANA…"])["l"]
    wrapped = figures.lane_label("NCT00962923 · outcome: secondary outcome 5: SSc serology (ATA, ACA, ANA…")
    assert wrapped.count("<br>") == 2
    assert all(figures.text_px(line, figures.FONT) <= figures.LANE_PX for line in wrapped.split("<br>"))
    assert figures.margins([wrapped])["l"] < 0.7 * one_line  # the plot keeps the room the long line took
    assert figures.margins(["short<br>" + "x" * 40])["l"] == figures.margins(["x" * 40])["l"]


def test_no_hover_shows_our_own_markup(tables):
    """A lane name carries a line break (<br>) for the axis; where it names a mark in the hover, it reads as words,
    not as "&lt;br&gt;"."""
    from trialdata import views

    for view in views.VIEWS:
        frame = view.frame(tables)
        fig = None if frame.is_empty() else view.figure(frame, tables)
        hovers = [h for trace in (fig.data if fig is not None else []) for h in (trace.hovertext or [])]
        assert not [h for h in hovers if "&lt;br&gt;" in h or "&lt;b&gt;" in h], view.key


def test_scaled_type_shrinks_every_size_of_type_and_marker_a_slide_sets(tables):
    view = views.by_key("follow_up")
    slide = view.restyle_for_slide(view.figure(view.frame(tables), tables))
    small = figures.scaled_type(slide, 0.5)
    assert small.layout.font.size == slide.layout.font.size / 2 and small.layout.legend.font.size == 10
    assert [a.font.size for a in small.layout.annotations] == [a.font.size / 2 for a in slide.layout.annotations]
    sizes = [getattr(t.marker, "size", None) for t in slide.data]
    assert [getattr(t.marker, "size", None) for t in small.data] == [
        pytest.approx(s / 2, abs=0.05) if isinstance(s, int | float) else s for s in sizes]
    assert [a.text for a in small.layout.annotations] == [a.text for a in slide.layout.annotations]
    assert small.layout.height == slide.layout.height and slide.layout.font.size == 22  # the slide is untouched
    grid = views.by_key("characterisation")  # its summary: tick type set on the axis, counts hidden below a size
    bars = figures.slide_style(grid.smaller_figure(grid.frame(tables), tables))
    small = figures.scaled_type(bars, 0.5)
    assert small.layout.uniformtext.minsize == bars.layout.uniformtext.minsize / 2
    assert {t.textfont.size for t in small.data} == {t.textfont.size / 2 for t in bars.data}


def test_a_bar_chart_taller_than_a_slide_goes_onto_one(tables):
    """Its markers shrink to fit the slide's height; a bar's marker has no size (it raised AttributeError)."""
    tall = figures.one_pass([dict(type="bar", x=[1, 2], y=["a", "b"], orientation="h")], "Tall", 1400)
    assert figures.slide_style(tall).layout.height == 900
