"""Open a version of the dataset for a comparison (`trialdata.changes`): a bundle zip (the app's Downloads page or
`python -m trialdata bundle`), a folder of Parquet tables (a build, or an unzipped bundle), or a git revision of
this repository. A bundle may come from anyone's upload, so it is read with limits and never trusted: every
problem is a `NotAVersion` that says, in words, what was expected."""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from pathlib import Path, PurePosixPath

import polars as pl

from trialdata.changes import NEEDED, Snapshot

MAX_UNPACKED_BYTES = 1_000_000_000  # the tables a comparison reads, unpacked (100,000 trials' are about 40 MB)
MAX_ROWS = 20_000_000  # rows of one table (Parquet compresses a repeated value so well that bytes say little)
APP_UNPACKED_BYTES, APP_ROWS = 50_000_000, 1_000_000  # a bundle dropped in the app: its server is shared
MAX_MEMBERS = 1_000
README_BYTES = 4_096  # the README states the version on its first lines
VERSION_LINE = re.compile(r"Dataset version ([0-9a-f]{6,40}) · data as of (\d{4}-\d{2}-\d{2}) · generated [^·\n]* · "
                          r"([^\n]*)")
REVISION = re.compile(r"[\w./~^@{}-]{1,100}")  # what git accepts as a revision name, without a leading dash
BUILD = "data/parquet"  # the committed build, relative to the repository
ALL_TRIALS = "all trials"  # how an output made without filters says what it holds


class NotAVersion(ValueError):
    """What was given cannot be read as a version of the dataset (the message says why and what would do)."""


def _tables(read: dict[str, bytes], where: str, max_rows: int) -> dict[str, pl.DataFrame]:
    tables = {}
    for name in NEEDED:
        if name not in read:
            raise NotAVersion(f"{where} holds no {name}.parquet; a bundle from the Downloads page has one")
        try:
            present = pl.read_parquet_schema(io.BytesIO(read[name]))  # only what a comparison reads
            rows = pl.scan_parquet(io.BytesIO(read[name])).select(pl.len()).collect().item()
        except Exception as e:  # polars raises several kinds for bytes that are not Parquet
            raise NotAVersion(f"{where}: {name}.parquet cannot be read as a Parquet table") from e
        if "trial_id" not in present:
            raise NotAVersion(f"{where}: {name}.parquet has no trial_id column, so its tables are not this dataset's")
        if rows > max_rows:
            raise NotAVersion(f"{where}: {name}.parquet has {rows:,} rows; the limit is {max_rows:,}")
        try:
            tables[name] = pl.read_parquet(io.BytesIO(read[name]), columns=[c for c in NEEDED[name] if c in present])
        except Exception as e:
            raise NotAVersion(f"{where}: {name}.parquet cannot be read as a Parquet table") from e
    return tables


def _snapshot(read: dict[str, bytes], stated: tuple[str | None, str | None, str | None], origin: str,
              max_rows: int = MAX_ROWS) -> Snapshot:
    version, as_of, scope = stated
    try:
        return Snapshot.of(_tables(read, origin, max_rows), version or "unknown", as_of, origin, scope)
    except (pl.exceptions.PolarsError, KeyError) as e:  # a column that is not text, a table without trial_id
        raise NotAVersion(f"{origin}: its tables are not this dataset's") from e


def _stated(readme: bytes | None) -> tuple[str | None, str | None, str | None]:
    """The version, "data as of" date and filters (None: it holds all trials) a bundle's README states on its first
    lines."""
    found = VERSION_LINE.search(readme[:README_BYTES].decode("utf-8", "replace")) if readme else None
    if not found:
        return None, None, None
    scope = found.group(3).strip()
    return found.group(1), found.group(2), None if scope.startswith(ALL_TRIALS) else scope


def from_bundle(data: bytes, name: str, max_bytes: int = MAX_UNPACKED_BYTES, max_rows: int = MAX_ROWS) -> Snapshot:
    """A bundle zip's tables: only the three it needs and its README are unpacked, within `max_bytes` together and
    `max_rows` a table. Whatever is wrong with the file is a `NotAVersion`."""
    origin = f"bundle {name}"
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise NotAVersion(f"{name} is not a zip file") from e
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise NotAVersion(f"{name} holds {len(members):,} files; a bundle holds a few dozen")
        wanted = {f"{n}.parquet": n for n in NEEDED} | {"README.md": "README"}
        read: dict[str, bytes] = {}
        budget = max_bytes
        for info in members:
            path = PurePosixPath(info.filename)
            if path.name not in wanted or len(path.parts) > 2 or wanted[path.name] in read:
                continue
            size = min(info.file_size, README_BYTES) if path.name == "README.md" else info.file_size
            if size > budget:
                raise NotAVersion(f"{name}: its tables unpack to more than {max_bytes:,} bytes")
            try:
                with archive.open(info) as member:
                    read[wanted[path.name]] = member.read(size + 1)[:README_BYTES] \
                        if path.name == "README.md" else member.read(budget + 1)
            except Exception as e:  # damaged (zlib, EOF), encrypted, an unknown compression: never a traceback
                raise NotAVersion(f"{name}: {path.name} cannot be unpacked") from e
            if len(read[wanted[path.name]]) > budget:  # a member that says it is smaller than it is
                raise NotAVersion(f"{name}: its tables unpack to more than {max_bytes:,} bytes")
            budget -= len(read[wanted[path.name]])
    return _snapshot(read, _stated(read.get("README")), origin, max_rows)


def from_folder(folder: Path) -> Snapshot:
    """A Parquet build (its manifest states the version), an unzipped bundle (its README does) or a data folder
    (its parquet/ build)."""
    if (folder / "parquet").is_dir() and not (folder / "provenance.parquet").exists():
        folder = folder / "parquet"
    where = f"folder {folder.resolve().name}"
    read = {n: (folder / f"{n}.parquet").read_bytes() for n in NEEDED if (folder / f"{n}.parquet").is_file()}
    stated = _stated((folder / "README.md").read_bytes() if (folder / "README.md").is_file() else None)
    if (folder / "manifest.json").is_file():
        manifest = _manifest((folder / "manifest.json").read_bytes(), where)
        stated = (manifest.get("dataset_version"), manifest.get("data_as_of"), None)
    return _snapshot(read, stated, where)


def _manifest(raw: bytes, where: str) -> dict:
    try:
        manifest = json.loads(raw)
    except ValueError as e:
        raise NotAVersion(f"{where}: its manifest.json is not JSON") from e
    if not isinstance(manifest, dict):
        raise NotAVersion(f"{where}: its manifest.json is not the build's manifest")
    return manifest


def _git(repo: Path, *args: str) -> bytes | None:
    """git's output, or None when it fails (not a repository, no such object, no git installed)."""
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def from_revision(revision: str, repo: Path) -> Snapshot:
    """The build committed at a git revision of the repository (`data/parquet/`)."""
    if not REVISION.fullmatch(revision) or revision.startswith("-"):
        raise NotAVersion(f"{revision!r} is not a bundle zip, a folder or a git revision")
    commit = _git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if commit is None:
        raise NotAVersion(f"{revision!r} is not a bundle zip, a folder of Parquet tables or a git revision of "
                          f"{repo.name}")
    sha = commit.decode().strip()
    read = {n: data for n in NEEDED if (data := _git(repo, "show", f"{sha}:{BUILD}/{n}.parquet")) is not None}
    origin = f"git revision {sha[:7]}" + ("" if sha.startswith(revision) else f" ({revision})")
    manifest = _manifest(_git(repo, "show", f"{sha}:{BUILD}/manifest.json") or b"{}", origin)
    return _snapshot(read, (manifest.get("dataset_version"), manifest.get("data_as_of"), None), origin)


def open_version(spec: str, repo: Path) -> Snapshot:
    """OLD or NEW of `python -m trialdata diff`: a bundle zip, a folder, else a git revision of `repo`."""
    path = Path(spec)
    if path.is_file():
        return from_bundle(path.read_bytes(), path.name)
    if path.is_dir():
        return from_folder(path)
    return from_revision(spec, repo)


def known_versions(repo: Path) -> dict[str, str]:
    """Dataset version -> the newest commit whose build has it, for every build in the repository's history
    (none when it is not a git checkout): what lets a link made with an older version be compared."""
    log = _git(repo, "log", "--format=%H", "--", f"{BUILD}/manifest.json")
    found: dict[str, str] = {}
    for sha in (log or b"").decode().split():
        manifest = _git(repo, "show", f"{sha}:{BUILD}/manifest.json")
        try:
            version = json.loads(manifest or b"{}").get("dataset_version")
        except ValueError:
            continue
        if version:
            found.setdefault(version, sha)
    return found
