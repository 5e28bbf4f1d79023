"""Receipts and citations: the source and words behind a value, and how to cite the dataset."""

from __future__ import annotations

import polars as pl

from trialdata.schema import MARKUP, plain  # noqa: F401 (plain: the report and figures take it from here)

SOURCES_SUMMARY = (
    "Registry records from the Iranian Registry of Clinical Trials and ClinicalTrials.gov (mirror renderings), "
    "with secondary registry pages and one publication; every value carries its source, locator and quote."
)


DATA_LICENCE = (
    "The curated data (the YAML records, the tables, the data dictionary) is licensed under Creative Commons "
    "Attribution 4.0 International (CC BY 4.0, https://creativecommons.org/licenses/by/4.0/). The registry records "
    "the values come from (kept unchanged in the repository's data/sources/), and the verbatim quotes taken from "
    "them, stay under their registries' own terms."
)


def citation_cff(version: str | None = None, as_of: str | None = None) -> str:
    """CITATION.cff for the dataset. The bundle's carries its version and "data as of" date; the repository's root
    file is the same text without them (see CHANGELOG.md: the version is a content hash that changes with every
    curation edit, so a root file carrying it would go stale with each one; data/parquet/manifest.json has it)."""
    dated = "" if version is None else f'version: "{version}"\ndate-released: "{as_of}"\n'
    return f"""cff-version: 1.2.0
message: "If you use this dataset, please cite it as below, with the dataset version and data-as-of date given in
  the app's footer, in data/parquet/manifest.json and in the bundle's CITATION.cff."
type: dataset
title: "MSC trials evidence dashboard: curated dataset of early-phase mesenchymal-stem-cell trials"
{dated}authors:
  - name: "MSC trials evidence dashboard curators"
abstract: "Early-phase MSC trial registrations (IRCT, ClinicalTrials.gov) curated value by value with receipts
  (source, locator, verbatim quote), explicit not-reported states and data-quality findings."
keywords: [mesenchymal stem cells, exosomes, clinical trial registries, data quality]
license: CC-BY-4.0
"""


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


def plain_expr(expr: pl.Expr) -> pl.Expr:
    """`schema.plain` for a column of text."""
    for pattern, repl in MARKUP:
        expr = expr.str.replace_all(pattern, repl)
    return expr.str.strip_chars()

