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

MAX_MEMBER_BYTES = 200_000_000  # one table of a bundle, unpacked (the 100,000-trial provenance is about 30 MB)
MAX_MEMBERS = 1_000
VERSION_LINE = re.compile(r"Dataset version ([0-9a-f]{6,40}) · data as of (\d{4}-\d{2}-\d{2})")
REVISION = re.compile(r"[\w./~^@{}-]{1,100}")  # what git accepts as a revision name, without a leading dash
BUILD = "data/parquet"  # the committed build, relative to the repository


class NotAVersion(ValueError):
    """What was given cannot be read as a version of the dataset (the message says why and what would do)."""


def _tables(read: dict[str, bytes], where: str) -> dict[str, pl.DataFrame]:
    tables = {}
    for name in NEEDED:
        if name not in read:
            raise NotAVersion(f"{where} holds no {name}.parquet; a bundle from the app's Downloads page (or "
                              "`python -m trialdata bundle`) has one")
        try:
            present = pl.read_parquet_schema(io.BytesIO(read[name]))  # only what a comparison reads
            if "trial_id" not in present:
                raise NotAVersion(f"{where}: {name}.parquet has no trial_id column, so its tables are not this "
                                  "dataset's")
            tables[name] = pl.read_parquet(io.BytesIO(read[name]), columns=[c for c in NEEDED[name] if c in present])
        except NotAVersion:
            raise
        except Exception as e:  # polars raises several kinds for bytes that are not Parquet
            raise NotAVersion(f"{where}: {name}.parquet cannot be read as a Parquet table ({type(e).__name__})") from e
    return tables


def _snapshot(read: dict[str, bytes], version: str | None, as_of: str | None, origin: str) -> Snapshot:
    try:
        return Snapshot.of(_tables(read, origin), version or "unknown", as_of, origin)
    except (pl.exceptions.PolarsError, KeyError) as e:  # a column that is not text, a table without trial_id
        raise NotAVersion(f"{origin}: its tables are not this dataset's ({type(e).__name__})") from e


def _stated(readme: bytes | None) -> tuple[str | None, str | None]:
    """The version and "data as of" date a bundle's README states on its first lines."""
    found = VERSION_LINE.search(readme.decode("utf-8", "replace")) if readme else None
    return (found.group(1), found.group(2)) if found else (None, None)


def from_bundle(data: bytes, name: str) -> Snapshot:
    """A bundle zip's tables: only the three it needs and its README are unpacked, each within a size limit."""
    origin = f"bundle {name}"
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise NotAVersion(f"{name} is not a zip file") from e
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise NotAVersion(f"{name} holds {len(members):,} files; a bundle holds a few dozen")
        wanted = {f"{n}.parquet": n for n in NEEDED} | {"README.md": "README"}
        read: dict[str, bytes] = {}
        for info in members:
            path = PurePosixPath(info.filename)
            if path.name not in wanted or len(path.parts) > 2 or wanted[path.name] in read:
                continue
            if info.file_size > MAX_MEMBER_BYTES:
                raise NotAVersion(f"{name}: {path.name} unpacks to {info.file_size:,} bytes; the limit is "
                                  f"{MAX_MEMBER_BYTES:,}")
            try:
                read[wanted[path.name]] = archive.open(info).read(MAX_MEMBER_BYTES + 1)[:MAX_MEMBER_BYTES]
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as e:  # damaged, encrypted
                raise NotAVersion(f"{name}: {path.name} cannot be unpacked ({e})") from e
    return _snapshot(read, *_stated(read.get("README")), origin)


def from_folder(folder: Path) -> Snapshot:
    """A Parquet build (its manifest states the version), an unzipped bundle (its README does) or a data folder
    (its parquet/ build)."""
    if (folder / "parquet").is_dir() and not (folder / "provenance.parquet").exists():
        folder = folder / "parquet"
    read = {n: (folder / f"{n}.parquet").read_bytes() for n in NEEDED if (folder / f"{n}.parquet").is_file()}
    version, as_of = _stated((folder / "README.md").read_bytes() if (folder / "README.md").is_file() else None)
    if (folder / "manifest.json").is_file():
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        version, as_of = manifest.get("dataset_version"), manifest.get("data_as_of")
    return _snapshot(read, version, as_of, f"folder {folder.name}")


def _git(repo: Path, *args: str) -> bytes | None:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, timeout=30, check=False)
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
    manifest = json.loads(_git(repo, "show", f"{sha}:{BUILD}/manifest.json") or b"{}")
    return _snapshot(read, manifest.get("dataset_version"), manifest.get("data_as_of"),
                     f"git revision {revision}" + ("" if sha.startswith(revision) else f" ({sha[:7]})"))


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
