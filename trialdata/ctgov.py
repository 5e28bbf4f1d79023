"""ClinicalTrials.gov API v2 study records (JSON) -> draft trial records that pass `validate`.

Each imported value's receipt is its JSON path (locator) and JSON string (quote); the study's JSON,
saved beside the curated records, is the source. What the registry has no structured field for
(product type, tissue, donor, dose, schedule) is only ever `unclear`, with the words that suggest it,
for a curator to confirm. Missing modules become `not_reported`; unknown codes become `unclear`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import yaml
from pydantic import ValidationError

from trialdata.checks import json_text, receipt_problems
from trialdata.load import MAX_FILE_BYTES, Problem, dotted, load_trial_text
from trialdata.schema import Trial, TrialDate
from trialdata.vocab import (
    Allocation,
    Control,
    FunderType,
    InterventionModel,
    MaskedRole,
    Masking,
    Phase,
    Purpose,
    Sex,
    Status,
)

SOURCE = "ctgov"
HEADER = "# yaml-language-server: $schema=../trials.schema.json\n"

def _upper(vocabulary: type[StrEnum]) -> dict[str, StrEnum]:
    """ClinicalTrials.gov spells most codes as this dataset does, in capitals: "SINGLE_GROUP" -> single_group."""
    return {code.value.upper(): code for code in vocabulary}


# a registry code not in a map becomes `unclear`, with the code quoted, for a curator to decide
STATUS = _upper(Status)  # RECRUITMENT_COMPLETE is IRCT's; ClinicalTrials.gov never sends it
ALLOCATION = _upper(Allocation)
MODEL = _upper(InterventionModel)
MASKING = _upper(Masking)
WHO_MASKED = _upper(MaskedRole)
PURPOSE = _upper(Purpose)
SEX = _upper(Sex)
# where ClinicalTrials.gov spells a code differently, or groups several into one of ours
PHASES = {("EARLY_PHASE1",): Phase.EARLY_PHASE_1, ("PHASE1",): Phase.PHASE_1, ("PHASE1", "PHASE2"): Phase.PHASE_1_2,
          ("PHASE2",): Phase.PHASE_2, ("PHASE2", "PHASE3"): Phase.PHASE_2_3, ("PHASE3",): Phase.PHASE_3,
          ("PHASE4",): Phase.PHASE_4}
FUNDER = {"NIH": FunderType.GOVERNMENT, "FED": FunderType.GOVERNMENT, "OTHER_GOV": FunderType.GOVERNMENT,
          "INDUSTRY": FunderType.INDUSTRY, "OTHER": FunderType.OTHER, "NETWORK": FunderType.OTHER,
          "INDIV": FunderType.OTHER, "UNKNOWN": FunderType.OTHER}
CONTROL_ARMS = {"PLACEBO_COMPARATOR": Control.PLACEBO, "SHAM_COMPARATOR": Control.PLACEBO,
                "ACTIVE_COMPARATOR": Control.ACTIVE, "NO_INTERVENTION": Control.STANDARD_OF_CARE}

# words that suggest a cell-therapy value (the match makes it `unclear`, never `reported`)
HINTS = {
    "product_type": [(r"exosom|extracellular vesicle|secretome|\bEVs?\b", "exosomes"),
                     (r"stem cell|stromal cell|\bMSCs?\b", "cells")],
    "cell_source": [(r"adipose", "adipose"), (r"bone marrow", "bone_marrow"),
                    (r"umbilical|wharton", "umbilical_cord"), (r"placenta", "placenta"),
                    (r"dental pulp", "dental_pulp"), (r"menstrual", "menstrual_blood")],
    "donor": [(r"allogen", "allogeneic"), (r"autolog", "autologous")],
    "routes": [(r"intravenous|\binfusion|\bIV\b", "intravenous"), (r"intrathecal", "intrathecal"),
               (r"intra-?articular", "intra_articular"), (r"intramuscular", "intramuscular"),
               (r"subcutaneous", "subcutaneous"), (r"inhal|nebuli", "inhaled")],
}
DOSE_WORDS = re.compile(r"\d\s*(x|×|\*)\s*10\^?\s*\d|\d+(\.\d+)?\s*(million|billion)|cells\s*/\s*kg", re.I)
DOMAINS = [(r"safety|adverse|toxicit|tolerab", "safety"), (r"surviv|mortal|death", "survival"),
           (r"\bFVC\b|DLCO|lung function|spirometr|pulmonary function", "pulmonary_function"),
           (r"\bCT\b|\bMRI\b|imaging|radiograph|ultrasound", "imaging"),
           (r"quality of life|SF-36|questionnaire|\bpain\b|\bVAS\b|WOMAC|patient-reported", "patient_reported"),
           (r"cytokine|biomarker|\bCD\d|\bIL-|serum|plasma level|antibod", "immunological_biomarker"),
           (r"disabilit|functional|ALSFRS|walk", "functional_disability"), (r"score|index|scale", "clinical_score")]
AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(year|month|week|day)s?\s*$", re.I)


@dataclass(frozen=True)
class Draft:
    trial: Trial
    yaml_text: str
    source_name: str  # the study's JSON, saved as the source
    source_json: str


class _Study:
    """Reads one study object; every value comes back with its claim (JSON path, JSON string)."""

    def __init__(self, study: dict):
        self.study = study

    def at(self, path: str):
        node: Any = self.study  # a JSON value: an object, array, string, number or null
        for part in path.split("."):
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                node = node.get(part) if isinstance(node, dict) else None
        return node

    def claim(self, path: str, value=None, *, mapping: dict | None = None, note: str | None = None) -> dict:
        """A reported claim for the JSON value at `path` (mapped through `mapping` when given)."""
        raw = self.at(path)
        if raw is None or raw == "" or raw == []:
            return {"state": "not_reported"}
        quote = str(raw[0] if isinstance(raw, list) else raw)
        if mapping is not None:
            if raw in ("NA", ["NA"]):
                return {"state": "not_applicable", "source": SOURCE, "locator": path, "quote": quote}
            if raw not in mapping:
                return {"state": "unclear", "source": SOURCE, "locator": path, "quote": quote,
                        "note": f"Registry code {quote!r} is not in this dataset's vocabulary."}
            value = mapping[raw]
        out = {"state": "reported", "value": raw if value is None else value, "source": SOURCE, "locator": path,
               "quote": quote}
        return out | ({"note": note} if note else {})


def _hint(field: str, texts: list[tuple[str, str]], many: bool = False) -> dict:
    """An `unclear` claim when the intervention's words suggest a value; otherwise not reported."""
    # the first pattern that matches anywhere wins (exosomes before cells), then the first text it is in
    for pattern, value in HINTS[field]:
        for path, text in texts:
            if re.search(pattern, text, re.I):
                found = sorted({v for p, v in HINTS[field] if re.search(p, text, re.I)}) if many else value
                return {"state": "unclear", "value": found, "source": SOURCE, "locator": path, "quote": text,
                        "note": "Suggested by the registry's words; a curator confirms."}
    return {"state": "not_reported", "note": "The registry has no field for this; nothing in its text suggests it."}


def _date(s: _Study, path: str) -> dict:
    raw = s.at(f"{path}.date")
    if not raw:
        return {"state": "not_reported"}
    kind = {"ACTUAL": "actual", "ESTIMATED": "expected"}.get(s.at(f"{path}.type"), "unlabelled")
    try:
        TrialDate(date=raw, type=kind)
    except ValidationError:
        return {"state": "unclear", "source": SOURCE, "locator": f"{path}.date", "quote": str(raw),
                "note": "Not a valid date."}
    return {"state": "reported", "value": {"date": raw, "type": kind}, "source": SOURCE, "locator": f"{path}.date",
            "quote": raw}


def _age(s: _Study, path: str) -> dict:
    raw = s.at(path)
    m = AGE.match(raw) if isinstance(raw, str) else None
    if raw is None:
        return {"state": "not_reported"}
    if raw == "N/A":  # the registry's way of saying there is no limit
        return {"state": "not_applicable", "source": SOURCE, "locator": path, "quote": raw}
    if not m:
        return {"state": "unclear", "source": SOURCE, "locator": path, "quote": str(raw), "note": "Age not readable."}
    per_year = {"year": 1, "month": 12, "week": 52.1775, "day": 365.25}[m.group(2).lower()]
    return {"state": "reported", "value": round(float(m.group(1)) / per_year, 3), "source": SOURCE, "locator": path,
            "quote": raw}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _intervention(s: _Study, i: int, item: dict) -> dict:
    base = f"protocolSection.armsInterventionsModule.interventions.{i}"
    texts = [(f"{base}.{k}", item[k]) for k in ("name", "description") if isinstance(item.get(k), str)]
    description = item.get("description")
    if not isinstance(description, str):
        description = ""
    dose = ({"state": "unclear", "source": SOURCE, "locator": f"{base}.description", "quote": description,
             "note": "The description mentions a dose; a curator enters amount, unit and basis."}
            if DOSE_WORDS.search(description) else {"state": "not_reported"})
    return {
        "name": s.claim(f"{base}.name") if item.get("name") else {"state": "not_reported"},
        "product_type": _hint("product_type", texts), "cell_source": _hint("cell_source", texts),
        "donor": _hint("donor", texts), "routes": _hint("routes", texts, many=True), "dose": dose,
        "n_administrations": {"state": "not_reported"}, "co_therapy": {"state": "not_reported"},
        "schedule": [{"label": "all participants", "participants": {"state": "not_reported"}, "administrations": [
            {"number": 1, "time": {"state": "unclear", "value": {"text": "first administration", "amount": 0,
                                                                 "unit": "weeks", "anchor": "first_dose"},
                                   "note": "Week 0 by convention; the schedule is not in the registry's fields."}}]}],
    }


def _outcome(s: _Study, kind: str, i: int, item: dict) -> dict:
    base = f"protocolSection.outcomesModule.{kind}Outcomes.{i}"
    words = " ".join(str(item.get(k, "")) for k in ("measure", "description"))
    domain = next((d for pattern, d in DOMAINS if re.search(pattern, words, re.I)), "other")
    return {"kind": kind, "domain": domain, "measure": s.claim(f"{base}.measure"),
            "method": s.claim(f"{base}.description"), "time_frame": s.claim(f"{base}.timeFrame")}


def trial_dict(study: dict, today: str) -> dict:
    """The draft trial as a plain dict (validated by the caller)."""
    s = _Study(study)
    ident = "protocolSection.identificationModule"
    nct = s.at(f"{ident}.nctId")
    design, arms = "protocolSection.designModule", "protocolSection.armsInterventionsModule"
    conditions = _list(s.at("protocolSection.conditionsModule.conditions"))
    locations = _list(s.at("protocolSection.contactsLocationsModule.locations"))
    arm_groups = _list(s.at(f"{arms}.armGroups"))
    interventions = _list(s.at(f"{arms}.interventions"))
    phases = tuple(x for x in _list(s.at(f"{design}.phases")) if isinstance(x, str))
    enrollment_type = s.at(f"{design}.enrollmentInfo.type")
    enrollment = s.claim(f"{design}.enrollmentInfo.count")
    control_types = {CONTROL_ARMS[t] for a in arm_groups
                     if isinstance(a, dict) and (t := a.get("type")) in CONTROL_ARMS}
    ids = [x.get("id") for x in [s.at(f"{ident}.orgStudyIdInfo") or {}, *_list(s.at(f"{ident}.secondaryIdInfos"))]
           if isinstance(x, dict) and isinstance(x.get("id"), str)]
    countries = sorted({loc["country"] for loc in locations
                        if isinstance(loc, dict) and isinstance(loc.get("country"), str)})
    collaborators = _list(s.at("protocolSection.sponsorCollaboratorsModule.collaborators"))
    references = [(i, r) for i, r in enumerate(_list(s.at("protocolSection.referencesModule.references")))
                  if isinstance(r, dict) and r.get("type") in ("RESULT", "DERIVED")
                  and isinstance(r.get("citation"), str)]
    sponsor_path = "protocolSection.sponsorCollaboratorsModule"

    def organisation(path: str, role: str) -> dict:
        return {"name": s.claim(f"{path}.name"), "role": role,
                "funder_type": s.claim(f"{path}.class", mapping=FUNDER),
                "sector": {"state": "not_reported"}, "funding_share_percent": {"state": "not_reported"}}

    return {
        "registry": "ClinicalTrials.gov", "trial_id": nct, "registry_url": f"https://clinicaltrials.gov/study/{nct}",
        "public_title": s.claim(f"{ident}.briefTitle"), "scientific_title": s.claim(f"{ident}.officialTitle"),
        "secondary_ids": ({"state": "reported", "value": ids, "source": SOURCE, "locator": f"{ident}.orgStudyIdInfo.id",
                           "quote": ids[0]} if ids else {"state": "not_reported"}),
        "conditions": [{"name": s.claim(f"protocolSection.conditionsModule.conditions.{i}"),
                        "category": str(c).strip().lower()[:80] or "not reported", "icd10": {"state": "not_reported"}}
                       for i, c in enumerate(conditions) if isinstance(c, str)]
        or [{"name": {"state": "not_reported"}, "category": "not reported", "icd10": {"state": "not_reported"}}],
        "organisations": [organisation(f"{sponsor_path}.leadSponsor", "lead_sponsor")]
        + [organisation(f"{sponsor_path}.collaborators.{i}", "sponsor") for i, c in enumerate(collaborators)
           if isinstance(c, dict)],
        "countries": ({"state": "reported", "value": countries, "source": SOURCE,
                       "locator": "protocolSection.contactsLocationsModule.locations[].country", "quote": countries[0]}
                      if countries else {"state": "not_reported"}),
        "sites": [{"name": s.claim(f"protocolSection.contactsLocationsModule.locations.{i}.facility"),
                   "city": s.claim(f"protocolSection.contactsLocationsModule.locations.{i}.city"),
                   "country": s.claim(f"protocolSection.contactsLocationsModule.locations.{i}.country")}
                  for i, loc in enumerate(locations[:50]) if isinstance(loc, dict)],
        "status": s.claim("protocolSection.statusModule.overallStatus", mapping=STATUS),
        "dates": {"registration": _date(s, "protocolSection.statusModule.studyFirstPostDateStruct"),
                  "ethics_approval": {"state": "not_reported"},
                  "start": _date(s, "protocolSection.statusModule.startDateStruct"),
                  "recruitment_end": {"state": "not_reported"},
                  "primary_completion": _date(s, "protocolSection.statusModule.primaryCompletionDateStruct"),
                  "completion": _date(s, "protocolSection.statusModule.completionDateStruct"),
                  "last_update": _date(s, "protocolSection.statusModule.lastUpdatePostDateStruct"),
                  "update_count": {"state": "not_reported",
                                   "note": "ClinicalTrials.gov records carry no update count."}},
        "phase": ({"state": "not_reported"} if not phases else
                  {"state": "not_applicable", "source": SOURCE, "locator": f"{design}.phases", "quote": "NA"}
                  if phases == ("NA",) else
                  {"state": "reported", "value": PHASES[phases], "source": SOURCE, "locator": f"{design}.phases",
                   "quote": phases[0]} if phases in PHASES else
                  {"state": "unclear", "source": SOURCE, "locator": f"{design}.phases", "quote": phases[0],
                   "note": f"Phases {', '.join(phases)} are not in this dataset's vocabulary."}),
        "design": {
            "study_type": s.claim(f"{design}.studyType", mapping={"INTERVENTIONAL": "interventional",
                                                                  "OBSERVATIONAL": "observational"}),
            "allocation": s.claim(f"{design}.designInfo.allocation", mapping=ALLOCATION),
            "intervention_model": s.claim(f"{design}.designInfo.interventionModel", mapping=MODEL),
            "n_arms": ({"state": "reported", "value": len(arm_groups), "source": SOURCE, "locator": f"{arms}.armGroups",
                        "quote": "armGroups"} if arm_groups else {"state": "not_reported"}),
            "masking": s.claim(f"{design}.designInfo.maskingInfo.masking", mapping=MASKING),
            "masked_roles": _masked(s, f"{design}.designInfo.maskingInfo.whoMasked"),
            "control": ({"state": "reported", "value": sorted(control_types)[0], "source": SOURCE,
                         "locator": f"{arms}.armGroups[].type", "quote": "armGroups"} if control_types else
                        {"state": "unclear", "value": "none", "source": SOURCE, "locator": f"{arms}.armGroups[].type",
                         "quote": "armGroups", "note": "No comparator arm type is listed."} if arm_groups else
                        {"state": "not_reported"}),
            "placebo": ({"state": "reported", "value": "placebo" in control_types, "source": SOURCE,
                         "locator": f"{arms}.armGroups[].type", "quote": "armGroups"} if arm_groups
                        else {"state": "not_reported"}),
            "purpose": s.claim(f"{design}.designInfo.primaryPurpose", mapping=PURPOSE),
        },
        "eligibility": {
            "min_age_years": _age(s, "protocolSection.eligibilityModule.minimumAge"),
            "max_age_years": _age(s, "protocolSection.eligibilityModule.maximumAge"),
            "sex": s.claim("protocolSection.eligibilityModule.sex", mapping=SEX),
            "healthy_volunteers": (s.claim("protocolSection.eligibilityModule.healthyVolunteers")
                                   if isinstance(s.at("protocolSection.eligibilityModule.healthyVolunteers"), bool)
                                   else {"state": "not_reported"}),
            "inclusion": [], "exclusion": [],
        },
        "enrollment": {"target": enrollment if enrollment_type != "ACTUAL" else {"state": "not_reported"},
                       "actual": enrollment if enrollment_type == "ACTUAL" else {"state": "not_reported"}},
        "interventions": [_intervention(s, i, item) for i, item in enumerate(interventions[:20])
                          if isinstance(item, dict)] or [_intervention(s, 0, {})],
        "outcomes": [_outcome(s, kind, i, item) for kind in ("primary", "secondary")
                     for i, item in enumerate(_list(s.at(f"protocolSection.outcomesModule.{kind}Outcomes"))[:50])
                     if isinstance(item, dict) and item.get("measure")],
        "follow_up": {"end": {"state": "not_reported", "note": "Not a structured field; see the outcome time frames."}},
        "publications": [{"source": f"ref{i}", "pmid": r.get("pmid") if str(r.get("pmid", "")).isdigit() else None,
                          "link": "cites_registration",
                          "reports": f"Listed by the registry as a {r['type'].lower()} reference; not curated."}
                         for i, r in references],
        "reporting": {
            "public_contact": _present(s, "protocolSection.contactsLocationsModule.centralContacts", "centralContacts"),
            "scientific_contact": _present(s, "protocolSection.contactsLocationsModule.overallOfficials",
                                           "overallOfficials"),
            "ipd_sharing": s.claim("protocolSection.ipdSharingStatementModule.ipdSharing",
                                   mapping={"YES": "yes", "NO": "no", "UNDECIDED": "undecided"}),
            "summary_results": (s.claim("hasResults") if isinstance(s.at("hasResults"), bool)
                                else {"state": "not_reported"}),
        },
        "sources": [{"id": SOURCE, "kind": "registry_record", "role": "primary",
                     "title": f"ClinicalTrials.gov API v2 record {nct}", "url": f"https://clinicaltrials.gov/study/{nct}",
                     "file": f"{nct}.json", "accessed": today}]
        + [{"id": f"ref{i}", "kind": "publication", "role": "secondary", "title": r["citation"][:200],
            "citation": r["citation"], "url": f"https://pubmed.ncbi.nlm.nih.gov/{r['pmid']}/"
            if str(r.get("pmid", "")).isdigit() else None} for i, r in references],
        "curation": {"extracted_by": "automatic import (python -m trialdata import-ctgov)",
                     "reviewed_by": "not yet reviewed", "checked_on": today,
                     "notes": "Draft: the cell-therapy fields are unclear until a curator confirms them."},
    }


def _masked(s: _Study, path: str) -> dict:
    raw = [r for r in _list(s.at(path)) if isinstance(r, str)]
    if not raw:
        return {"state": "not_reported"}
    known = [WHO_MASKED[r] for r in raw if r in WHO_MASKED]
    if len(known) < len(raw):
        return {"state": "unclear", "source": SOURCE, "locator": path, "quote": raw[0],
                "note": "Some masked roles are not in this dataset's vocabulary."}
    return {"state": "reported", "value": known, "source": SOURCE, "locator": path, "quote": raw[0]}


def _present(s: _Study, path: str, key: str) -> dict:
    """Whether the record gives a contact: the people themselves are never copied."""
    if not s.at(path):
        return {"state": "not_reported"}
    return {"state": "reported", "value": True, "source": SOURCE, "locator": path, "quote": key,
            "note": "Contact details are in the record and deliberately not copied."}


def _studies(doc) -> list[dict]:
    if isinstance(doc, dict) and isinstance(doc.get("studies"), list):
        return doc["studies"]
    if isinstance(doc, dict) and "protocolSection" in doc:
        return [doc]
    raise ValueError('expected a study object (with "protocolSection") or {"studies": [...]}')


def _line_of(raw: str, locator: str | None) -> int:
    """Line of the last key of a JSON path in the file (1 when it cannot be found)."""
    if not locator:
        return 1
    key = next((p for p in reversed(re.split(r"[.\[\]]", locator)) if p and not p.isdigit()), None)
    at = raw.find(f'"{key}"') if key else -1
    return raw.count("\n", 0, at) + 1 if at >= 0 else 1


def drafts(name: str, raw_bytes: bytes, today: str | None = None) -> tuple[list[Draft], list[Problem]]:
    """Every study in a JSON file as a validated draft, or the problems that stop it (never an exception)."""
    today = today or datetime.now(UTC).strftime("%Y-%m-%d")
    if len(raw_bytes) > MAX_FILE_BYTES:
        return [], [Problem(name, 1, "(file)", f"larger than {MAX_FILE_BYTES:,} bytes")]
    try:
        raw = raw_bytes.decode("utf-8")
        studies = _studies(json.loads(raw))
    except UnicodeDecodeError as e:
        return [], [Problem(name, 1, "(file)", f"not UTF-8 text ({e.reason} at byte {e.start})")]
    except json.JSONDecodeError as e:
        return [], [Problem(name, e.lineno, "(json)", e.msg)]
    except (ValueError, RecursionError) as e:
        return [], [Problem(name, 1, "(json)", str(e) if isinstance(e, ValueError) else "nested too deeply")]
    out, problems = [], []
    for n, study in enumerate(studies):
        where = f"studies[{n}]" if len(studies) > 1 else "(study)"
        nct = study.get("protocolSection", {}).get("identificationModule", {}).get("nctId") \
            if isinstance(study, dict) and isinstance(study.get("protocolSection"), dict) else None
        if not isinstance(nct, str) or not re.fullmatch(r"NCT\d{8}", nct):
            problems.append(Problem(name, _line_of(raw, "nctId"), f"{where}.protocolSection.identificationModule.nctId",
                                    "missing or not an NCT number (NCT followed by 8 digits)"))
            continue
        data = trial_dict(study, today)
        source_json = json.dumps(study, ensure_ascii=False, indent=2)
        try:
            Trial.model_validate(data)
        except ValidationError as e:
            for err in e.errors():
                loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
                claim = _lookup(data, loc)
                locator = claim.get("locator") if isinstance(claim, dict) else None
                problems.append(Problem(name, _line_of(raw, locator), locator or dotted(loc),
                                        err["msg"].removeprefix("Value error, ")))
            continue
        text = HEADER + yaml.safe_dump(Trial.model_validate(data).model_dump(mode="json", exclude_defaults=True),
                                       sort_keys=False, allow_unicode=True, width=110)
        rec, errs = load_trial_text(f"{nct}.yaml", text.encode("utf-8"))
        errs += receipt_problems(rec, {f"{nct}.json": json_text(source_json)}) if rec else []
        if errs or rec is None:  # rules across fields (such as dates that run backwards): reported, never written
            problems += [Problem(name, 1, p.field, p.message) for p in errs]
            continue
        out.append(Draft(rec.trial, text, f"{nct}.json", source_json))
    return out, problems


def _lookup(data, loc: tuple):
    """The deepest dict along `loc` that is a claim (has a state), for its locator."""
    node, found = data, None
    for part in loc:
        if isinstance(node, dict) and "state" in node:
            found = node
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    return node if isinstance(node, dict) and "state" in node else found
