"""Frames -> files: the Parquet build, CSV export and the data dictionary. No streamlit here."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import polars as pl

from trialdata.schema import FORMULA_START, PLAIN_NUMBER
from trialdata.tables import TABLES, data_dictionary

MANIFEST = "manifest.json"


def formula_expr(col: str) -> pl.Expr:
    """`schema.is_formula` as a Polars expression (the regex engine has no look-ahead, hence two tests)."""
    starts = "^[" + "".join("\\" + c if c in "-+" else c for c in FORMULA_START) + "]"
    return pl.col(col).str.contains(starts) & ~pl.col(col).str.contains(f"^{PLAIN_NUMBER}$")


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """OWASP's advice for CSV: a text cell a spreadsheet would run as a formula gets a leading '."""
    return frame.with_columns(
        pl.when(formula_expr(c)).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c)
        for c, dtype in frame.schema.items() if dtype == pl.String
    )


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """CSV as UTF-8 with a byte-order mark, so Excel shows non-Latin text; nulls are empty cells;
    text that a spreadsheet would run as a formula is neutralised."""
    return neutralise_formulas(frame).write_csv(include_bom=True).encode("utf-8")


def _publishable(path: Path, mode: int) -> None:
    """Temp files are private (0600); give the result the permissions of a normal file."""
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(mode & ~umask)


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file through a temp file in the same folder renamed over `path`: a reader, or a crash midway,
    sees the old file or the new one, never half of one. Every file the package writes goes through here."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())  # the bytes are on disk before the name points at them
        _publishable(Path(tmp), 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_folder(target: Path, write) -> None:
    """The folder counterpart of `write_atomic`: `write(tmp)` fills a new folder beside `target`, which is then
    swapped in, so readers never see half a build (several files must change together)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        write(tmp)
        _publishable(tmp, 0o755)
        for f in tmp.iterdir():
            _publishable(f, 0o644)
        old = target.with_name(f".{target.name}-old")
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_parquet(tables: dict[str, pl.DataFrame], out_dir: Path, version: str, as_of: str) -> None:
    """data/parquet/<table>.parquet plus a manifest with the dataset version, written atomically."""

    def write(tmp: Path) -> None:
        for name, frame in tables.items():
            frame.write_parquet(tmp / f"{name}.parquet")
        manifest = {"dataset_version": version, "data_as_of": as_of,
                    "tables": {name: frame.height for name, frame in tables.items()},
                    # each file's SHA-256, so a copy cut short or changed is not served (build_problems)
                    "files": {f"{name}.parquet": _sha256(tmp / f"{name}.parquet") for name in tables}}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")

    replace_folder(out_dir, write)


def read_parquet(parquet_dir: Path) -> dict[str, pl.DataFrame]:
    """The built tables, keyed by name."""
    return {name: pl.read_parquet(parquet_dir / f"{name}.parquet") for name in TABLES}


def read_manifest(parquet_dir: Path) -> dict:
    return json.loads((parquet_dir / MANIFEST).read_text(encoding="utf-8"))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_problems(parquet_dir: Path, version: str) -> list[str]:
    """Why the Parquet build in `parquet_dir` must not be served, in words (none: it may): the folder, its manifest
    or a table missing or unreadable, a file that does not match the checksum the build recorded (a copy cut
    short, a sync that stopped half way), or a build made from other curated files than `version`. Names files,
    never the server's paths."""
    if not parquet_dir.is_dir():
        return [f"the folder {parquet_dir.name}/ is missing"]
    try:
        manifest = read_manifest(parquet_dir)
    except (OSError, ValueError):
        return [f"its {MANIFEST} is missing or unreadable"]
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict):
        return [f"its {MANIFEST} records no checksums"]
    problems = []
    for name in TABLES:
        path = parquet_dir / f"{name}.parquet"
        try:
            matches = _sha256(path) == files.get(path.name)
        except FileNotFoundError:
            problems.append(f"{path.name} is missing")
            continue
        except OSError:
            problems.append(f"{path.name} cannot be read")
            continue
        if not matches:
            problems.append(f"{path.name} does not match its checksum (cut short or changed)")
    if manifest.get("dataset_version") != version:
        problems.append(f"it was built from other curated files (dataset version {manifest.get('dataset_version')}; "
                        f"the curated files are version {version})")
    return problems


def write_csvs(tables: dict[str, pl.DataFrame], out_dir: Path) -> list[Path]:
    """One CSV per table plus data_dictionary.csv, each written atomically."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {f"{name}.csv": frame for name, frame in tables.items()}
    files["data_dictionary.csv"] = data_dictionary()
    written = []
    for fname, frame in files.items():
        write_atomic(out_dir / fname, csv_bytes(frame))
        written.append(out_dir / fname)
    return written
