"""The closed vocabularies: one spelling of each code, with the label, symbol and colour people see."""

from __future__ import annotations

import polars as pl

from trialdata import views
from trialdata.vocab import BLACK, FINDING_COLOURS, OKABE_ITO, STATUS_LOOKS, FindingKind, ReportingStatus


def test_every_scorecard_status_and_finding_kind_has_its_look():
    assert list(STATUS_LOOKS) == list(ReportingStatus)
    assert set(FINDING_COLOURS) == set(FindingKind)
    # status and kind stay distinguishable without colour: each has its own symbol, marker and label
    for attr in ("label", "symbol", "marker"):
        assert len({getattr(look, attr) for look in STATUS_LOOKS.values()}) == len(ReportingStatus), attr
    assert len(set(FINDING_COLOURS.values())) == len(FindingKind)
    assert set(FINDING_COLOURS.values()) <= set(OKABE_ITO)


def test_the_built_scorecard_uses_only_the_vocabulary(tables):
    card = views.scorecard.scorecard(tables["reporting"])
    assert set(card["status"]) <= set(ReportingStatus)
    shown = card.select("status", "status_label", "symbol").unique()
    for status, words, symbol in shown.iter_rows():
        assert (words, symbol) == (STATUS_LOOKS[status].label, STATUS_LOOKS[status].symbol)


def test_an_unknown_status_is_shown_as_unknown_not_dropped():
    card = views.scorecard.scorecard(pl.DataFrame({"trial_id": ["X"], "item_no": [2], "item": ["x"],
                                                  "status": ["typo_status"], "evidence": [None]}))
    assert card.row(0, named=True)["symbol"] == "?"


def test_an_omission_finding_is_drawn_with_its_own_colour_and_readable_text():
    counts = pl.DataFrame({"trial_id": ["A", "A"], "kind": ["omission", "typo"], "findings": [2, 1]})
    (omission,) = [tr for tr in views.findings.findings_figure(counts).data if tr.name == "omission"]
    assert omission.marker.color == FINDING_COLOURS[FindingKind.OMISSION]
    assert omission.textfont.color == BLACK  # white on orange is too faint to read
