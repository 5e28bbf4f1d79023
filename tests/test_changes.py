"""What changed between two versions of the dataset: the comparison, the versions it opens, and the CLI."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import polars as pl
import pytest

from trialdata import snapshot, store, views
from trialdata.changes import CHANGES, Snapshot, changes, summary
from trialdata.export import csv_bytes
from trialdata.report.bundle import bundle_zip
from trialdata.report.content import Meta
from trialdata.snapshot import NotAVersion, from_bundle, from_revision, open_version
from trialdata.tables import data_dictionary
from trialdata.vocab import CHANGE_COLOURS

from .conftest import OLDER, ROOT, cli_run


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


def test_a_finding_whose_quotes_alone_changed_is_reworded(tables):
    flags = _edit(tables["flags"], pl.int_range(pl.len()) == 0, quotes="irct · Design: \"a re-read quote\"")
    found = changes(_snap(tables), _snap({**tables, "flags": flags}))
    assert found.select("change", "new_quote").rows() == [("finding_reworded", "irct · Design: \"a re-read quote\"")]


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


def test_a_column_an_older_build_lacks_is_not_a_change_in_every_row(tables):
    prov = tables["provenance"]
    status = (pl.col("trial_id") == "NCT06574581") & (pl.col("field") == "status") & (pl.col("claim") == "headline")
    older = {**tables, "provenance": _edit(prov, status, quote="Status Completed").drop("locator")}
    found = changes(_snap(older), _snap(tables))
    assert found.select("trial_id", "field", "change").rows() == [("NCT06574581", "status", "receipt_changed")]
    assert found["old_locator"].to_list() == [None]  # the older build has none to show


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


def _tables_zip(tables, readme: str = "") -> bytes:
    files = {}
    for name in ("trials", "provenance", "flags"):
        buf = io.BytesIO()
        tables[name].write_parquet(buf)
        files[f"b/{name}.parquet"] = buf.getvalue()
    return _zip(files | ({"b/README.md": readme.encode()} if readme else {}))


def test_tables_that_unpack_past_the_limit_or_hold_too_many_rows_are_refused(tables):
    with pytest.raises(NotAVersion, match="its tables unpack to more than 1,000 bytes"):
        from_bundle(_tables_zip(tables), "big.zip", max_bytes=1000)
    with pytest.raises(NotAVersion, match=r"provenance.parquet has \d+ rows; the limit is 100"):
        from_bundle(_tables_zip(tables), "long.zip", max_rows=100)


def test_a_damaged_member_is_said_in_words():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("b/trials.parquet", b"y" * 50_000)
    damaged = bytearray(out.getvalue())
    damaged[60:80] = b"\xff" * 20  # inside the deflate stream (the local header ends at byte 46)
    with pytest.raises(NotAVersion, match="damaged.zip: trials.parquet cannot be unpacked"):
        from_bundle(bytes(damaged), "damaged.zip")


def test_a_bundle_made_under_filters_or_with_uploads_claims_no_trial_added_or_removed(tables):
    shown = {name: frame.filter(pl.col("trial_id") == "NCT00962923") for name, frame in tables.items()}
    uploaded = shown["trials"].with_columns(pl.lit("NCT99999999").alias("trial_id"), pl.lit("user-supplied")
                                            .alias("origin"), pl.lit("A trial someone uploaded").alias("title"))
    older = from_bundle(_tables_zip({**shown, "trials": pl.concat([shown["trials"], uploaded])},
                                    "Dataset version 0123456789ab · data as of 2026-11-01 · generated 2026-11-02 10:00 "
                                    "UTC · filters: Product type = cells\n"), "filtered.zip")
    assert (older.version, older.scope) == ("0123456789ab", "filters: Product type = cells")
    found = changes(older, _snap(tables))
    assert found.is_empty()  # the other trials were left out by the filters, the upload is nobody's version
    lines = summary(found, older, _snap(tables))
    assert "the older version holds only the trials its filters kept (filters: Product type = cells)" in lines[2]


def test_a_folder_whose_manifest_is_not_the_builds_is_said(tables, tmp_path):
    for name in ("trials", "provenance", "flags"):
        tables[name].write_parquet(tmp_path / f"{name}.parquet")
    for manifest, said in (("{not json", "is not JSON"), ("[1, 2]", "is not the build's manifest")):
        (tmp_path / "manifest.json").write_text(manifest)
        with pytest.raises(NotAVersion, match=f"folder {tmp_path.name}: its manifest.json {said}"):
            open_version(str(tmp_path), ROOT)


def test_tables_that_are_not_this_datasets_are_refused():
    buf = io.BytesIO()
    pl.DataFrame({"x": [1]}).write_parquet(buf)
    with pytest.raises(NotAVersion, match="not this dataset's"):
        from_bundle(_zip({f"b/{n}.parquet": buf.getvalue() for n in ("trials", "provenance", "flags")}), "odd.zip")


@pytest.mark.parametrize("spec", ["no-such-revision", "--output=/tmp/x", "--all", "-h", "HEAD~100000"])
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


def test_what_changed_puts_a_coded_value_in_words_and_marks_it_unclear(tables):
    prov = tables["provenance"]
    source = ((pl.col("trial_id") == "NCT06574581") & (pl.col("field") == "interventions[0].cell_source")
              & (pl.col("claim") == "headline"))
    older = {**tables, "provenance": _edit(prov, source, value="bone_marrow", state="unclear")}
    frame = views.by_key("changes").frame(
        store.Beside(tables, {"changes": changes(_snap(older), _snap(tables))}))
    assert frame.filter(pl.col("field") == "interventions[0].cell_source")["was"].to_list() == [
        "bone marrow (unclear)"]


def test_each_kind_of_change_that_stacks_has_a_fill_of_its_own(tables):
    from trialdata.views.changes import CHANGE_PATTERNS

    stacking = [p for kind, p in zip(CHANGE_COLOURS, CHANGE_PATTERNS, strict=True)
                if kind not in ("trial_added", "trial_removed")]  # a trial added or removed is a bar of its own
    assert len(set(stacking)) == len(stacking) and "" not in stacking
