"""Data reaching Streamlit's markdown elements is escaped: links, emphasis, directives and HTML stay text."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from trialdata.ui.text import md_escape

from .conftest import ROOT


@pytest.mark.parametrize("hostile", ["[click](javascript:alert(1))", "**bold** _it_", ":red[alarm] :skull:",
                                     "<img src=x onerror=alert(1)>", "$x^2$", "# heading\n- item", "`code`"])
def test_md_escape_leaves_no_markup_character_unescaped(hostile):
    escaped = md_escape(hostile)
    for i, ch in enumerate(escaped):
        if ch in "[]()*_:<>$#`-!":
            assert escaped[i - 1] == "\\", f"{ch!r} unescaped in {escaped!r}"
    assert "\n" not in escaped


def test_a_hostile_link_parameter_is_shown_as_text():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["product"] = "[click](javascript:alert(1))"
    at.run()
    assert not at.exception
    notice = at.warning[0].value
    assert "\\[click\\]\\(javascript\\:alert\\(1\\)\\)" in notice
