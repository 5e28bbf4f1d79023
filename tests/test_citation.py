"""How to cite and under which terms: the root CITATION.cff and the bundle's come from one function; the code's
licence, the data's licence and the registry texts' terms are stated in the README and in the bundle."""

from __future__ import annotations

import io
import zipfile

import yaml

from trialdata.export import read_manifest
from trialdata.provenance import DATA_LICENCE, citation_cff
from trialdata.report.bundle import bundle_zip
from trialdata.report.content import Meta

from .conftest import DATA, ROOT

MANIFEST = read_manifest(DATA / "parquet")


def bundle_files(tables) -> dict[str, str]:
    meta = Meta(MANIFEST["dataset_version"], MANIFEST["data_as_of"])
    z = zipfile.ZipFile(io.BytesIO(bundle_zip(tables, meta)))
    return {name.split("/", 1)[1]: z.read(name).decode("utf-8")
            for name in z.namelist() if name.endswith((".cff", ".md"))}


def test_the_root_citation_file_is_the_one_the_function_gives():
    assert (ROOT / "CITATION.cff").read_text(encoding="utf-8") == citation_cff()


def test_the_bundle_cites_the_committed_dataset_version_and_shares_everything_else_with_the_root(tables):
    bundle = yaml.safe_load(bundle_files(tables)["CITATION.cff"])
    root = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert bundle.pop("version") == MANIFEST["dataset_version"]
    assert str(bundle.pop("date-released")) == MANIFEST["data_as_of"]
    assert bundle == root
    assert root["license"] == "CC-BY-4.0" and root["cff-version"] == "1.2.0"


def test_the_bundle_and_the_readme_state_the_licences(tables):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert DATA_LICENCE in bundle_files(tables)["README.md"]
    for words in ("CC BY 4.0", "data/sources/", "registries' own terms", "MIT", "LICENSE", "CITATION.cff",
                  "CHANGELOG.md"):
        assert words in readme, words
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")
    assert "Copyright (c) 2026 MSC trials evidence dashboard contributors" in licence


def test_the_changelog_names_the_committed_dataset_version():
    assert f"`{MANIFEST['dataset_version']}`" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
