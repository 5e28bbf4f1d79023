"""Data shown through Streamlit's markdown elements is escaped first: it stays text, never markup."""

from __future__ import annotations

import re

# CommonMark lets any ASCII punctuation be escaped with a backslash; escaping all of it also stops
# Streamlit's own :colour[...] / :emoji: directives and $LaTeX$ from acting on data
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def md_escape(text: object) -> str:
    """`text` as literal markdown text; newlines become spaces so data cannot start a block."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))
