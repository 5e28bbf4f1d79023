"""AppTest: the app runs and shows the curated trials with unknowns spelled out."""

from __future__ import annotations

import polars as pl
from streamlit.testing.v1 import AppTest

from .conftest import ROOT


def test_home_page_lists_the_five_trials_and_the_findings(tables):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    overview = pl.from_pandas(at.dataframe[0].value)
    assert sorted(overview["trial_id"]) == sorted(tables["trials"]["trial_id"])
    assert "not reported" in overview["target_enrollment"].to_list()
    assert pl.from_pandas(at.dataframe[1].value).height == tables["flags"].height
    assert any("Dataset version" in c.value for c in at.caption)
