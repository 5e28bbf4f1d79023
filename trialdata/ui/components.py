"""Shared page parts: the sources footer and download buttons."""

from __future__ import annotations

import polars as pl
import streamlit as st

from trialdata.export import csv_bytes
from trialdata.provenance import SOURCES_SUMMARY, dataset_citation
from trialdata.ui.data import manifest


def csv_download(frame: pl.DataFrame, name: str) -> None:
    """A CSV download of exactly this table (UTF-8 with BOM), named with the dataset version."""
    version = manifest()["dataset_version"]
    st.download_button(f"Download {name}.csv", data=csv_bytes(frame), file_name=f"{name}_{version}.csv",
                       mime="text/csv", on_click="ignore", key=f"dl-{name}")


def footer() -> None:
    """Dataset version, data-as-of date, where the data comes from and how to cite it."""
    m = manifest()
    st.divider()
    st.caption(
        f"Dataset version {m['dataset_version']} · data as of {m['data_as_of']} · Sources: {SOURCES_SUMMARY} "
        f"Cite as: {dataset_citation(m['dataset_version'], m['data_as_of'])}"
    )
