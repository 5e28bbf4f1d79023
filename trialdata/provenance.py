"""Receipts and citations: the source and words behind a value, and how to cite the dataset."""

from __future__ import annotations

import polars as pl

SOURCES_SUMMARY = (
    "Registry records from the Iranian Registry of Clinical Trials and ClinicalTrials.gov (mirror renderings), "
    "with secondary registry pages and one publication; every value carries its source, locator and quote."
)


def dataset_citation(version: str, as_of: str) -> str:
    return f"MSC trials evidence dashboard, curated dataset version {version} (data as of {as_of})."


def receipt_expr(source: str = "source", locator: str = "locator", quote: str = "quote") -> pl.Expr:
    """The receipt of each row as text for hover and tables: 'source · locator: "quote"'."""
    return (
        pl.when(pl.col(source).is_null()).then(pl.lit("no source: not reported"))
        .when(pl.col(quote).is_null())
        .then(pl.format("{} · {} (secondary source, no quote)", pl.col(source), pl.col(locator)))
        .otherwise(pl.format('{} · {}: "{}"', pl.col(source), pl.col(locator), pl.col(quote)))
        .alias("receipt")
    )
