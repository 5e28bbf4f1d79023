"""Downloads page parts: every table as CSV, the data dictionary, the Parquet build."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl
import streamlit as st

from trialdata import views
from trialdata.tables import TABLES
from trialdata.tables import data_dictionary as dictionary_frame
from trialdata.ui.components import csv_download, folded_table
from trialdata.ui.data import manifest, parquet_files
from trialdata.views.words import counted


def table_downloads(source: Mapping[str, pl.DataFrame], suffix: str) -> None:
    """One CSV button per table, in a row that wraps (in three columns a narrow screen cut their names); the data
    keeps plain trial ids (uploads are told apart by `origin`)."""
    with st.container(horizontal=True, gap="small"):
        for name in TABLES:
            frame = source[name]
            csv_download(frame, f"{name}{suffix}", f"{name}.csv ({counted(frame.height, 'row')})", width="content")


def data_dictionary() -> None:
    folded_table("Every column of every table, what it means", dictionary_frame(), "data_dictionary")
    folded_table("Columns the charts' tables work out, chart by chart", views.dictionary(),
                 "chart_columns")


def parquet_downloads() -> None:
    if not parquet_files():  # the build was not served (see the notice at the top): the CSVs above still are
        st.caption("The Parquet build is not offered: it was damaged or stale when the app started (see the notice "
                   "at the top of the page). The CSV files above hold the same tables.")
        return
    version = manifest()["dataset_version"]
    with st.container(horizontal=True, gap="small"):  # a row that wraps, as the CSV buttons
        for name, data in parquet_files().items():
            st.download_button(name, data=data, file_name=f"{name.removesuffix('.parquet')}_{version}.parquet",
                               mime="application/vnd.apache.parquet", on_click="ignore", key=f"pq-{name}",
                               width="content")
