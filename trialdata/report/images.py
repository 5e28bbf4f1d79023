"""Figure images, PNG and SVG, drawn by kaleido (one kaleido browser per process): for the app's image
downloads and the deck's charts."""

from __future__ import annotations

import threading
from collections.abc import Callable

import plotly.graph_objects as go

from trialdata import figures

SLIDE_SIZE = (1600, 900)  # 16:9 figure images
_kaleido_lock = threading.Lock()
_kaleido_started = False


def figure_image(fig: go.Figure, fmt: str, size: tuple[int, int] = SLIDE_SIZE, scale: float = 1,
                 as_slide: Callable[[go.Figure], go.Figure] = figures.slide_style) -> bytes:
    """The figure as PNG or SVG, `size` (16:9 by default) times `scale`, drawn by `as_slide` (slide-sized type by
    default; a view's own slide variant when it has one); the browser behind it starts once per process."""
    import kaleido  # imported here: only image export needs it

    global _kaleido_started
    with _kaleido_lock:
        if not _kaleido_started:
            kaleido.start_sync_server(mathjax=False, silence_warnings=True)
            _kaleido_started = True
        width, height = size
        return kaleido.calc_fig_sync(as_slide(fig),
                                     opts=dict(format=fmt, width=width, height=height, scale=scale))
