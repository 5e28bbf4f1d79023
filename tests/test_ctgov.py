"""ClinicalTrials.gov import: documented fields mapped with JSON-path receipts; odd input handled, never crashed on."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from trialdata import ctgov
from trialdata.ctgov import drafts
from trialdata.schema import State
from trialdata.vocab import (
    Allocation,
    CellSource,
    Control,
    Domain,
    Donor,
    FunderType,
    InterventionModel,
    MaskedRole,
    Masking,
    Phase,
    ProductType,
    Purpose,
    Route,
    Sex,
    Status,
)

from .conftest import cli_run

FIXTURES = Path(__file__).parent / "fixtures" / "ctgov"
FULL = FIXTURES / "NCT09000001.json"
SPARSE = FIXTURES / "two_studies_sparse_and_odd.json"


def one(path: Path):
    made, problems = drafts(str(path), path.read_bytes(), today="2026-11-21")
    assert problems == []
    return made


def test_a_full_record_maps_the_documented_fields():
    (draft,) = one(FULL)
    t = draft.trial
    assert (t.trial_id, t.status.value.value, t.phase.value.value) == ("NCT09000001", "recruiting", "phase_1_2")
    assert t.public_title.locator == "protocolSection.identificationModule.briefTitle"
    assert t.dates.start.value.date == "2025-03-01" and t.dates.start.value.type.value == "actual"
    assert t.dates.completion.value.type.value == "expected"
    assert t.enrollment.target.value == 24 and t.enrollment.actual.state is State.NOT_REPORTED
    assert t.design.allocation.state is State.NOT_APPLICABLE and t.design.masking.value.value == "none"
    assert [o.name.value for o in t.organisations] == ["Example University Medical Center", "Example Biotech Ltd"]
    assert t.organisations[1].funder_type.value.value == "industry"
    assert [(s.name.value, s.city.value, s.country.value) for s in t.sites] == [
        ("Example University Medical Center", "Utrecht", "Netherlands")]
    assert (t.eligibility.min_age_years.value, t.eligibility.max_age_years.value) == (40, 75)
    assert [(o.kind.value, o.domain.value) for o in t.outcomes] == [
        ("primary", "safety"), ("secondary", "patient_reported"), ("secondary", "imaging")]
    assert [p.pmid for p in t.publications] == ["39000001"]  # background references are not results


def test_the_last_update_posted_is_read_with_its_json_path_and_no_update_count_is_made_up():
    dates = one(FULL)[0].trial.dates
    assert dates.last_update.value.date == "2025-07-02" and dates.last_update.value.type.value == "actual"
    assert dates.last_update.locator == "protocolSection.statusModule.lastUpdatePostDateStruct.date"
    assert dates.last_update.quote == "2025-07-02"  # the JSON's string, checked against the saved JSON
    # the registry has no count: never 0, never a guess from the dates
    assert dates.update_count.state is State.NOT_REPORTED and dates.update_count.value is None
    assert "no update count" in dates.update_count.note
    sparse = one(SPARSE)[0].trial.dates  # a record without the date: not reported, never another date in its place
    assert sparse.last_update.state is State.NOT_REPORTED and sparse.last_update.value is None


def test_cell_therapy_fields_are_only_ever_unclear_with_the_words_behind_them():
    iv = one(FULL)[0].trial.interventions[0]
    for claim, value in [(iv.product_type, "exosomes"), (iv.cell_source, "umbilical_cord"),
                         (iv.donor, "allogeneic")]:
        assert claim.state is State.UNCLEAR and claim.value.value == value and claim.quote
    assert iv.routes.state is State.UNCLEAR and [r.value for r in iv.routes.value] == ["intra_articular"]
    assert iv.dose.state is State.UNCLEAR and "2 x 10^9 particles" in iv.dose.quote
    assert iv.schedule[0].administrations[0].time.state is State.UNCLEAR


def test_no_contact_details_are_copied():
    text = one(FULL)[0].yaml_text
    for personal in ["Jane Example", "jane@example.org", "+1 555 0100", "John Example", "site@example.org"]:
        assert personal not in text
    assert "centralContacts" in text  # only that the record has a contact


def test_unknown_codes_bad_dates_and_missing_modules_are_handled():
    sparse, bare = one(SPARSE)
    t = sparse.trial
    assert t.status.state is State.UNCLEAR and t.status.quote == "ENROLLING_BY_INVITATION"
    assert t.phase.state is State.UNCLEAR and t.phase.quote == "PHASE5"
    assert t.dates.start.state is State.UNCLEAR and t.dates.start.quote == "2024-13-40"
    assert t.design.masked_roles.state is State.UNCLEAR
    assert t.enrollment.actual.value == 40 and t.enrollment.target.state is State.NOT_REPORTED
    assert t.eligibility.max_age_years.state is State.NOT_APPLICABLE and t.eligibility.min_age_years.value == 0.5
    assert t.design.control.value.value == "placebo" and t.design.placebo.value is True
    assert bare.trial.public_title.state is State.NOT_REPORTED and len(bare.trial.interventions) == 1


def test_every_quote_is_a_string_of_the_json():
    from trialdata.checks import collapse, json_text
    from trialdata.schema import iter_claims

    for draft in one(FULL) + one(SPARSE):
        index = json_text(draft.source_json)
        quotes = [c.quote for _, c, _ in iter_claims(draft.trial) if c.quote and c.source == "ctgov"]
        assert all(collapse(q) in index for q in quotes)
        assert quotes or draft.trial.trial_id == "NCT09000003"  # the bare study has nothing to quote
        assert all(c.locator for _, c, _ in iter_claims(draft.trial) if c.source == "ctgov")


@pytest.mark.parametrize("content, message", [
    (b"{", "Expecting property name"), (b"[1, 2]", "expected a study object"), (b"\xff\xfe", "not UTF-8"),
    (json.dumps({"studies": [{"protocolSection": {"identificationModule": {"nctId": "../../etc"}}}]}).encode(),
     "not an NCT number"),
    (json.dumps({"protocolSection": {"identificationModule": {"nctId": "NCT09000009", "briefTitle": "=1+1"}}}).encode(),
     "spreadsheet formula"),
])
def test_bad_files_end_in_a_clear_message(content, message):
    made, problems = drafts("bad.json", content)
    assert made == [] and problems and message in " ".join(p.message for p in problems)
    assert all(p.file == "bad.json" and p.line >= 1 for p in problems)


run = cli_run  # in-process: the command line's code, without a process of its own


def test_cli_import_writes_drafts_that_validate_and_never_overwrites(data_copy):
    r = run("import-ctgov", str(FULL), "--data", str(data_copy))
    assert r.returncode == 0, r.stderr
    assert (data_copy / "trials" / "NCT09000001.yaml").exists()
    assert (data_copy / "sources" / "NCT09000001.json").exists()
    assert run("validate", "--data", str(data_copy)).returncode == 0
    again = run("import-ctgov", str(FULL), "--data", str(data_copy))
    assert again.returncode == 1 and "use --force" in again.stderr
    assert run("import-ctgov", str(FULL), "--data", str(data_copy), "--force").returncode == 0


def test_cli_import_to_another_folder(data_copy, tmp_path):
    out = tmp_path / "drafts"
    assert run("import-ctgov", str(SPARSE), "--data", str(data_copy), "--out", str(out)).returncode == 0
    assert sorted(p.name for p in out.iterdir()) == ["NCT09000002.yaml", "NCT09000003.yaml"]
    assert run("validate", str(out), "--data", str(data_copy)).returncode == 0
    shutil.rmtree(out)


@pytest.mark.parametrize(("mapping", "vocabulary"), [
    (ctgov.STATUS, Status), (ctgov.ALLOCATION, Allocation), (ctgov.MODEL, InterventionModel),
    (ctgov.MASKING, Masking), (ctgov.WHO_MASKED, MaskedRole), (ctgov.PURPOSE, Purpose), (ctgov.SEX, Sex),
    (ctgov.PHASES, Phase), (ctgov.FUNDER, FunderType), (ctgov.CONTROL_ARMS, Control),
    (dict(ctgov.HINTS["product_type"]), ProductType), (dict(ctgov.HINTS["cell_source"]), CellSource),
    (dict(ctgov.HINTS["donor"]), Donor), (dict(ctgov.HINTS["routes"]), Route), (dict(ctgov.DOMAINS), Domain),
], ids=lambda x: getattr(x, "__name__", ""))
def test_every_registry_code_maps_onto_a_code_of_the_schema(mapping, vocabulary):
    assert mapping and all(value in set(vocabulary) for value in mapping.values())


@pytest.mark.parametrize(("code", "expected"), [
    ("NON_RANDOMIZED", "non_randomized"), ("SINGLE_GROUP", "single_group"), ("OUTCOMES_ASSESSOR", "outcomes_assessor"),
    ("SUPPORTIVE_CARE", "supportive_care"), ("ACTIVE_NOT_RECRUITING", "active_not_recruiting"),
])
def test_codes_spelled_as_ours_in_capitals_map_without_a_typed_entry(code, expected):
    maps = (ctgov.STATUS, ctgov.ALLOCATION, ctgov.MODEL, ctgov.WHO_MASKED, ctgov.PURPOSE)
    assert [m[code] for m in maps if code in m] == [expected]
