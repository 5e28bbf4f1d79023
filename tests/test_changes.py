"""What changed between two versions of the dataset: the comparison, the versions it opens, and the CLI."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import polars as pl
import pytest

from trialdata import snapshot
from trialdata.changes import CHANGES, Snapshot, changes, summary
from trialdata.export import csv_bytes
from trialdata.report.bundle import bundle_zip
from trialdata.report.content import Meta
from trialdata.snapshot import NotAVersion, from_bundle, from_revision, open_version
from trialdata.tables import data_dictionary

from .conftest import ROOT, cli_run

# an older build in this repository's history (dataset version 6359fad6e1a4, data as of 2026-11-29)
OLDER = "8d56170"


def _snap(tables, version="new000000000", as_of="2026-12-06") -> Snapshot:
    return Snapshot.of(tables, version, as_of, "test")


def _edit(frame: pl.DataFrame, where: pl.Expr, **values) -> pl.DataFrame:
    return frame.with_columns(pl.when(where).then(pl.lit(v)).otherwise(pl.col(c)).alias(c) for c, v in values.items())


def _row(frame: pl.DataFrame, **match) -> dict:
    rows = frame.filter(*[pl.col(c) == v for c, v in match.items()])
    assert rows.height == 1, rows
    return rows.row(0, named=True)


def test_the_same_version_has_no_changes(tables):
    assert changes(_snap(tables), _snap(tables)).is_empty()


def test_a_changed_value_keeps_both_receipts_and_a_changed_quote_is_a_receipt_change(tables):
    prov = tables["provenance"]
    status = (pl.col("trial_id") == "NCT06574581") & (pl.col("field") == "status") & (pl.col("claim") == "headline")
    title = (pl.col("trial_id") == "NCT00962923") & (pl.col("field") == "public_title")
    was = prov.filter(status).row(0, named=True)
    edited = _edit(_edit(prov, status, value="completed", quote="Status Completed", locator="Status"),
                   title, quote="a re-read title")
    found = changes(_snap(tables, "0ld000000000", "2026-11-01"), _snap({**tables, "provenance": edited}))
    changed = _row(found, trial_id="NCT06574581", field="status")
    assert changed["change"] == "value_changed"
    assert (changed["old_value"], changed["old_quote"], changed["old_locator"], changed["old_source"]) == (
        was["value"], was["quote"], was["locator"], was["source"])
    assert (changed["new_value"], changed["new_quote"], changed["new_locator"]) == ("completed", "Status Completed",
                                                                                    "Status")
    assert (changed["old_version"], changed["old_as_of"], changed["new_version"]) == ("0ld000000000", "2026-11-01",
                                                                                      "new000000000")
    receipt = _row(found, trial_id="NCT00962923", field="public_title")
    assert receipt["change"] == "receipt_changed" and receipt["old_value"] == receipt["new_value"]
    assert receipt["new_quote"] == "a re-read title" != receipt["old_quote"]
    assert found.height == 2


def test_a_state_change_alone_is_a_value_change(tables):
    prov = tables["provenance"]
    row = prov.filter(pl.col("state") == "reported").row(0, named=True)
    where = ((pl.col("trial_id") == row["trial_id"]) & (pl.col("field") == row["field"])
             & (pl.col("claim") == "headline"))
    found = changes(_snap(tables), _snap({**tables, "provenance": _edit(prov, where, state="unclear")}))
    assert found.select("change", "old_state", "new_state").rows() == [("value_changed", "reported", "unclear")]


def test_trials_added_and_removed_are_one_row_each_not_a_row_per_value(tables):
    older = {name: frame.filter(pl.col("trial_id") != "NCT06466850") for name, frame in tables.items()}
    newer = {name: frame.filter(pl.col("trial_id") != "NCT00962923") for name, frame in tables.items()}
    found = changes(_snap(older), _snap(newer))
    assert found.select("trial_id", "change").rows() == [("NCT00962923", "trial_removed"),
                                                         ("NCT06466850", "trial_added")]
    title = tables["trials"].filter(pl.col("trial_id") == "NCT06466850")["title"][0]
    assert _row(found, trial_id="NCT06466850")["new_value"] == title


def test_findings_added_removed_and_reworded(tables):
    flags = tables["flags"]
    first, second = flags.row(0, named=True), flags.row(1, named=True)
    reworded = _edit(flags, pl.int_range(pl.len()) == 0, message="The design says randomised; one arm is listed.")
    newer = pl.concat([reworded.filter(pl.int_range(pl.len()) != 1),
                       pl.DataFrame([{**first, "field": "phase", "kind": "ambiguity", "message": "A new finding."}])])
    found = changes(_snap(tables), _snap({**tables, "flags": newer}))
    assert sorted(found["change"]) == ["finding_added", "finding_removed", "finding_reworded"]
    assert _row(found, change="finding_reworded")["old_value"] == first["message"]
    assert _row(found, change="finding_removed")["old_value"] == second["message"]
    added = _row(found, change="finding_added")
    assert (added["field"], added["finding_kind"], added["new_value"]) == ("phase", "ambiguity", "A new finding.")


def test_a_further_sources_claim_is_its_own_value(tables):
    prov = tables["provenance"]
    also = prov.filter(pl.col("claim") == "also").row(0, named=True)
    newer = prov.filter(~((pl.col("claim") == "also") & (pl.col("source") == also["source"])
                          & (pl.col("field") == also["field"]) & (pl.col("trial_id") == also["trial_id"])))
    found = changes(_snap(tables), _snap({**tables, "provenance": newer}))
    assert found.select("change", "field", "claim", "old_source").rows() == [
        ("value_removed", also["field"], "also", also["source"])]


def test_an_older_build_without_a_column_still_compares(tables):
    older = {**tables, "provenance": tables["provenance"].drop("locator")}
    found = changes(_snap(older), _snap(tables))
    assert set(found["change"]) == {"receipt_changed"}
    assert found["old_locator"].null_count() == found.height and found["new_locator"].null_count() == 0


def test_the_changes_table_has_its_columns_and_is_in_the_data_dictionary(tables):
    found = changes(_snap(tables), _snap(tables))
    assert found.columns == [c.name for c in CHANGES]
    described = data_dictionary().filter(pl.col("table") == "changes")
    assert described["column"].to_list() == found.columns
    assert described["description"].str.len_chars().min() > 10


def test_the_summary_names_both_versions_and_counts_by_kind(tables):
    older = {name: frame.filter(pl.col("trial_id") != "NCT06466850") for name, frame in tables.items()}
    old, new = _snap(older, "0ld000000000", "2026-11-01"), _snap(tables)
    lines = summary(changes(old, new), old, new)
    assert "0ld000000000 (data as of 2026-11-01" in lines[0] and "new000000000 (data as of 2026-12-06" in lines[1]
    assert lines[2] == "1 trial added, in 1 trial."


# --- the versions it opens ---------------------------------------------------------------------------------


def test_an_older_revision_a_bundle_of_it_and_its_folder_give_the_same_changes(tables, tmp_path):
    revision = from_revision(OLDER, ROOT)
    assert (revision.version, revision.as_of) == ("6359fad6e1a4", "2026-11-29")
    old_tables = {n: pl.read_parquet(io.BytesIO(subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{OLDER}:data/parquet/{n}.parquet"], capture_output=True, check=True).stdout))
        for n in ("trials", "provenance", "flags")}
    meta = Meta("6359fad6e1a4", "2026-11-29")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:  # the layout of a bundle: one folder, README stating the version
        for name, frame in old_tables.items():
            buf = io.BytesIO()
            frame.write_parquet(buf)
            z.writestr(f"{meta.stem}/{name}.parquet", buf.getvalue())
        z.writestr(f"{meta.stem}/README.md", "# MSC trials evidence: data bundle\n\nDataset version 6359fad6e1a4 · "
                                             "data as of 2026-11-29 · generated 2026-11-30 10:00 UTC · all trials\n")
    bundled = from_bundle(zipped.getvalue(), "old.zip")
    assert (bundled.version, bundled.as_of) == ("6359fad6e1a4", "2026-11-29")
    now = _snap(tables)
    from_git, from_zip = changes(revision, now), changes(bundled, now)
    assert from_git.height > 50 and from_git.equals(from_zip)
    assert {"value_changed", "value_added", "finding_added"} <= set(from_git["change"])


def test_a_bundle_made_by_an_older_revisions_own_code_compares(tmp_path):
    """The bundle a reader downloaded at an older revision, made by that revision's code (git archive + its CLI)."""
    tree = tmp_path / "old"
    tree.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", OLDER], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    subprocess.run([sys.executable, "-m", "trialdata", "bundle", str(tmp_path / "out")], cwd=tree, check=True,
                   capture_output=True, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"})
    (bundle,) = (tmp_path / "out").glob("*_bundle.zip")
    ran = cli_run("diff", str(bundle), "--out", str(tmp_path))
    assert ran.returncode == 0, ran.stderr
    assert "From dataset version 6359fad6e1a4 (data as of 2026-11-29; bundle" in ran.stdout
    written = pl.read_csv(tmp_path / "changes.csv")
    assert set(written["old_version"]) == {"6359fad6e1a4"} and written.height > 50


def test_the_bundle_of_this_code_opens_as_its_own_version(tables, meta):
    opened = from_bundle(bundle_zip(tables, meta), "x.zip")
    assert (opened.version, opened.as_of) == (meta.version, meta.as_of)
    assert changes(opened, _snap(tables)).is_empty()


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(("data", "said"), [
    (b"not a zip", "is not a zip file"),
    (_zip({"b/README.md": b"hello"}), "holds no trials.parquet"),
    (_zip({f"b/{n}.parquet": b"PAR1 not really" for n in ("trials", "provenance", "flags")}),
     "cannot be read as a Parquet table"),
    (_zip({f"{i}.txt": b"" for i in range(snapshot.MAX_MEMBERS + 1)}), "holds 1,001 files; a bundle holds a few dozen"),
])
def test_what_is_not_a_bundle_is_said_in_words(data, said):
    with pytest.raises(NotAVersion, match=said):
        from_bundle(data, "upload.zip")


def test_a_table_that_unpacks_past_the_limit_is_refused(tables, monkeypatch):
    buf = io.BytesIO()
    tables["provenance"].write_parquet(buf)
    monkeypatch.setattr(snapshot, "MAX_MEMBER_BYTES", 1000)
    with pytest.raises(NotAVersion, match="provenance.parquet unpacks to .* the limit is 1,000"):
        from_bundle(_zip({"b/provenance.parquet": buf.getvalue()}), "big.zip")


def test_tables_that_are_not_this_datasets_are_refused():
    buf = io.BytesIO()
    pl.DataFrame({"x": [1]}).write_parquet(buf)
    with pytest.raises(NotAVersion, match="not this dataset's"):
        from_bundle(_zip({f"b/{n}.parquet": buf.getvalue() for n in ("trials", "provenance", "flags")}), "odd.zip")


@pytest.mark.parametrize("spec", ["no-such-revision", "--output=/tmp/x", "HEAD~100000"])
def test_what_is_neither_a_file_nor_a_revision_is_said(spec):
    with pytest.raises(NotAVersion, match="is not a bundle zip"):
        open_version(spec, ROOT)


# --- the command ---------------------------------------------------------------------------------------------


def test_diff_writes_changes_csv_and_prints_a_summary(tmp_path):
    ran = cli_run("diff", OLDER, "--out", str(tmp_path))
    assert ran.returncode == 0, ran.stderr
    first = ran.stdout.splitlines()[0]
    assert first == f"From dataset version 6359fad6e1a4 (data as of 2026-11-29; git revision {OLDER})"
    assert "the curated data" in ran.stdout.splitlines()[1]
    written = (tmp_path / "changes.csv").read_bytes()
    assert written.startswith("\ufefftrial_id,change,field".encode())
    assert f"wrote {tmp_path / 'changes.csv'} ({pl.read_csv(written).height} rows)" in ran.stdout


def test_diff_of_two_revisions_and_a_bad_version(tmp_path):
    ran = cli_run("diff", "f10cd2d", OLDER, "--out", str(tmp_path))
    assert ran.returncode == 0 and "to 6359fad6e1a4 (data as of 2026-11-29" in ran.stdout
    assert pl.read_csv(tmp_path / "changes.csv")["new_version"].unique().to_list() == ["6359fad6e1a4"]
    bad = cli_run("diff", "nothing-like-this", "--out", str(tmp_path / "x"))
    assert bad.returncode == 2 and "is not a bundle zip" in bad.stderr and not (tmp_path / "x").exists()


def test_changes_csv_is_made_as_every_csv(tables):
    table = changes(_snap({**tables, "trials": tables["trials"].head(4)}), _snap(tables))
    assert csv_bytes(table).decode("utf-8-sig").splitlines()[0] == ",".join(c.name for c in CHANGES)
