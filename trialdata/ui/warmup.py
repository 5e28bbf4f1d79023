"""Heavy imports done once per process, under a lock, before any page runs.

Streamlit runs each browser session's script in its own thread. When several sessions start at once,
their first imports race (plotly imports pandas lazily, deep inside figure building) and one thread can
get a partially initialised module ("partially initialized module 'pandas' has no attribute 'Series'").
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_done = False


def warm_imports() -> None:
    global _done
    with _lock:
        if _done:
            return
        import numpy  # noqa: F401
        import pandas  # noqa: F401
        import plotly.graph_objects as go
        import polars  # noqa: F401
        import pyarrow  # noqa: F401

        import trialdata.figures  # noqa: F401
        import trialdata.report.bundle  # noqa: F401
        import trialdata.report.deck  # noqa: F401
        import trialdata.report.handout  # noqa: F401
        import trialdata.report.images  # noqa: F401
        import trialdata.report.pdf  # noqa: F401
        import trialdata.report.slides  # noqa: F401
        import trialdata.views  # noqa: F401

        # building a figure loads plotly's validators, which import more lazily still
        fig = go.Figure(go.Bar(x=[1], y=["a"], text=[1])).add_scatter(x=[1], y=["a"], mode="markers+text")
        fig.add_annotation(x=0, y="a", text="warm-up")
        fig.to_plotly_json()
        _done = True
