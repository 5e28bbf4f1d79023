"""The citable bundle: every table as CSV and Parquet, the data dictionary, a README and CITATION.cff, in one
zip."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

import polars as pl

from trialdata.export import csv_bytes
from trialdata.freshness import record_freshness
from trialdata.provenance import DATA_LICENCE, SOURCES_SUMMARY, citation_cff, dataset_citation
from trialdata.report.content import Meta
from trialdata.tables import TABLES, data_dictionary
from trialdata.views.changes import since
from trialdata.views.words import counted


def bundle_readme(meta: Meta, tables: Mapping[str, pl.DataFrame]) -> str:
    listing = "\n".join(f"- `{name}.csv` / `{name}.parquet`: {counted(tables[name].height, 'row')}" for name in TABLES)
    if "changes" in tables:
        listing += (f"\n- `changes.csv`: {counted(tables['changes'].height, 'change')} since "
                    f"{since(tables['changes']) if tables['changes'].height else 'the version compared with'}, each "
                    "with its old and new value and both receipts")
    fresh = "\n".join(f"- {trial['trial_id']}: {record_freshness(trial, meta.as_of, meta.made_on)}"
                      for trial in tables["trials"].sort("trial_id").iter_rows(named=True)) or "- no trials"
    return f"""# MSC trials evidence: data bundle

Dataset version {meta.version} · data as of {meta.as_of} · generated {meta.generated} · {meta.filters}

## What it is
A curated dataset of early-phase mesenchymal-stem-cell trials. {SOURCES_SUMMARY}
Every fact has a state (reported, not_reported, not_applicable, unclear); an empty cell means not
reported, never 0. `provenance.csv` gives the state, value, source, locator and quote of every value;
`flags.csv` lists the contradictions, source conflicts, ambiguities, omissions, implausible values, typos
and rendering artefacts (how a mirror displayed a record) found in the records; `data_dictionary.csv`
describes every column.

## How fresh each registry record is
The registry's last update as the copy of the record this dataset holds shows it, and the day that copy was
read from the registry (or from the mirror held in its place): the last time the registry was checked for the
trial. A copy read more than a year before this bundle was made ({meta.made_on.isoformat()}) is marked, with
its age in days worked out here (derived). `trials.csv` has the same fields (`last_update`, `update_count`,
`record_kind`, `record_read_on`).

{fresh}

## Files
{listing}
- `data_dictionary.csv`: table, column, type, description
- `CITATION.cff`: how to cite

CSV files are UTF-8 with a byte-order mark (Excel shows non-Latin text correctly).

## How it was curated
Each trial was extracted from its registry record by a data curator and checked by a clinical
reviewer (roles, see `trials.csv`); every quote is checked by machine against the record's text.
Facts from secondary sources (registry mirrors, a publication) cite their address and a locator.
Weeks are counted from the first administration; a month is 30.4375 days.

## How to cite
{dataset_citation(meta.version, meta.as_of)}

## Licence
{DATA_LICENCE}
"""


def bundle_zip(tables: Mapping[str, pl.DataFrame], meta: Meta) -> bytes:
    """Every table as CSV and Parquet, the data dictionary, a README and CITATION.cff, in one folder."""
    folder = meta.stem
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in TABLES:
            z.writestr(f"{folder}/{name}.csv", csv_bytes(tables[name]))
            buf = io.BytesIO()
            tables[name].write_parquet(buf)
            z.writestr(f"{folder}/{name}.parquet", buf.getvalue())
        if "changes" in tables:  # what changed since an older version (`--since`, or the bundle a reader dropped)
            z.writestr(f"{folder}/changes.csv", csv_bytes(tables["changes"]))
        z.writestr(f"{folder}/data_dictionary.csv", csv_bytes(data_dictionary()))
        z.writestr(f"{folder}/README.md", bundle_readme(meta, tables))
        z.writestr(f"{folder}/CITATION.cff", citation_cff(meta.version, meta.as_of))
    return out.getvalue()
