"""The closed vocabularies, with their display labels, symbols and colours, in one place.

The lowest layer: no I/O and no imports from the rest of `trialdata`. The schema's fields, the
ClinicalTrials.gov code maps, the tables, the transforms and the figures all take their codes,
labels and colours from here, so a code is spelled once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# --- colours: Okabe-Ito (safe for the common colour-vision deficiencies), and a grey that reads on white ---

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION, YELLOW, BLACK = OKABE_ITO
GREY = "#767676"  # 4.5:1 on white


# --- the dataset's vocabularies (closed lists; display labels live in `LABELS`) ----------------------------


class State(StrEnum):
    REPORTED = "reported"
    NOT_REPORTED = "not_reported"
    NOT_APPLICABLE = "not_applicable"
    UNCLEAR = "unclear"


class Registry(StrEnum):
    IRCT = "IRCT"
    CTGOV = "ClinicalTrials.gov"


class SourceKind(StrEnum):
    REGISTRY_RECORD = "registry_record"
    REGISTRY_MIRROR = "registry_mirror"
    PUBLICATION = "publication"


class SourceRole(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"


class Status(StrEnum):
    NOT_YET_RECRUITING = "not_yet_recruiting"
    RECRUITING = "recruiting"
    RECRUITMENT_COMPLETE = "recruitment_complete"
    ACTIVE_NOT_RECRUITING = "active_not_recruiting"
    COMPLETED = "completed"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    WITHDRAWN = "withdrawn"
    UNKNOWN = "unknown"


class Phase(StrEnum):
    EARLY_PHASE_1 = "early_phase_1"
    PHASE_1 = "phase_1"
    PHASE_1_2 = "phase_1_2"
    PHASE_2 = "phase_2"
    PHASE_2_3 = "phase_2_3"
    PHASE_3 = "phase_3"
    PHASE_4 = "phase_4"


class Allocation(StrEnum):
    RANDOMIZED = "randomized"
    NON_RANDOMIZED = "non_randomized"


class InterventionModel(StrEnum):
    SINGLE_GROUP = "single_group"
    PARALLEL = "parallel"
    CROSSOVER = "crossover"
    SEQUENTIAL = "sequential"
    FACTORIAL = "factorial"


class Masking(StrEnum):
    NONE = "none"
    SINGLE = "single"
    DOUBLE = "double"
    TRIPLE = "triple"
    QUADRUPLE = "quadruple"


class MaskedRole(StrEnum):
    PARTICIPANT = "participant"
    CARE_PROVIDER = "care_provider"
    INVESTIGATOR = "investigator"
    OUTCOMES_ASSESSOR = "outcomes_assessor"


class Control(StrEnum):
    NONE = "none"
    PLACEBO = "placebo"
    ACTIVE = "active"
    STANDARD_OF_CARE = "standard_of_care"
    DOSE_COMPARISON = "dose_comparison"


class Purpose(StrEnum):
    TREATMENT = "treatment"
    PREVENTION = "prevention"
    SUPPORTIVE_CARE = "supportive_care"
    BASIC_SCIENCE = "basic_science"
    OTHER = "other"


class Sex(StrEnum):
    ALL = "all"
    FEMALE = "female"
    MALE = "male"


class FunderType(StrEnum):
    ACADEMIC = "academic"
    GOVERNMENT = "government"
    INDUSTRY = "industry"
    OTHER = "other"


class Sector(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"


class ProductType(StrEnum):
    CELLS = "cells"
    EXOSOMES = "exosomes"  # exosomes / extracellular vesicles


class CellSource(StrEnum):
    BONE_MARROW = "bone_marrow"
    ADIPOSE = "adipose"
    PLACENTA = "placenta"
    UMBILICAL_CORD = "umbilical_cord"
    DENTAL_PULP = "dental_pulp"
    MENSTRUAL_BLOOD = "menstrual_blood"
    OTHER = "other"


class Donor(StrEnum):
    AUTOLOGOUS = "autologous"
    ALLOGENEIC = "allogeneic"


class Route(StrEnum):
    INTRAVENOUS = "intravenous"
    INTRATHECAL = "intrathecal"
    INTRA_ARTICULAR = "intra_articular"
    INTRAMUSCULAR = "intramuscular"
    SUBCUTANEOUS = "subcutaneous"
    INHALED = "inhaled"
    LOCAL = "local"


class DoseUnit(StrEnum):
    CELLS = "cells"
    CELLS_PER_KG = "cells/kg"
    PARTICLES = "particles"
    UG_PROTEIN = "µg protein"
    ML = "mL"


class DoseBasis(StrEnum):
    PER_ADMINISTRATION = "per_administration"
    PER_ROUTE_PER_ADMINISTRATION = "per_route_per_administration"
    TOTAL = "total"
    NOT_STATED = "not_stated"


class OutcomeKind(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"


class Domain(StrEnum):
    SAFETY = "safety"
    CLINICAL_SCORE = "clinical_score"
    PULMONARY_FUNCTION = "pulmonary_function"
    IMAGING = "imaging"
    FUNCTIONAL = "functional_disability"
    PATIENT_REPORTED = "patient_reported"
    BIOMARKER = "immunological_biomarker"
    SURVIVAL = "survival"
    OTHER = "other"


class TimeUnit(StrEnum):
    DAYS = "days"
    STUDY_DAY = "study_day"  # "day 1" = the day of the first administration
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


class Anchor(StrEnum):
    BASELINE = "baseline"  # before the first administration
    FIRST_DOSE = "first_dose"
    LAST_DOSE = "last_dose"
    END_OF_INTERVENTION = "end_of_intervention"


class DateType(StrEnum):
    ACTUAL = "actual"
    EXPECTED = "expected"
    UNLABELLED = "unlabelled"


class FindingKind(StrEnum):
    INTERNAL_CONTRADICTION = "internal_contradiction"
    SOURCE_CONFLICT = "source_conflict"
    AMBIGUITY = "ambiguity"
    IMPLAUSIBLE_VALUE = "implausible_value"
    TYPO = "typo"
    OMISSION = "omission"  # something the record leaves out, e.g. a value given without its unit
    RENDERING_ARTEFACT = "rendering_artefact"  # how a mirror displayed the record, not what the registrant wrote
    # the registry's current record says something other than the record curated: an update, not a contradiction
    # (drafted by `python -m trialdata watch` for a curator to review)
    REGISTRY_CHANGED = "registry_changed"


LABELS: dict[str, str] = {
    "not_reported": "not reported",
    "not_applicable": "not applicable",
    "phase_1": "Phase 1",
    "phase_1_2": "Phase 1/2",
    "phase_2": "Phase 2",
    "phase_2_3": "Phase 2/3",
    "phase_3": "Phase 3",
    "phase_4": "Phase 4",
    "early_phase_1": "Early phase 1",
    "bone_marrow": "bone marrow",
    "umbilical_cord": "umbilical cord",
    "intra_articular": "intra-articular",
    "immunological_biomarker": "immunological / biomarker",
    "functional_disability": "functional / disability",
    "clinical_score": "clinical score",
    "pulmonary_function": "pulmonary function",
    "patient_reported": "patient-reported",
    "supportive_care": "supportive care",
    "single_group": "single group",
    "non_randomized": "non-randomised",
    "randomized": "randomised",
    "recruitment_complete": "recruitment complete",
    "standard_of_care": "standard of care",
    "not_stated": "per administration or total not stated",
    "full_text": "full text",
    "registry_changed": "registry changed after curation",
    # a finding's origin (checks.RULES): who found it, in words
    "rule:claims_disagree": "computed: the sources' claims differ",
    "rule:randomised_single_arm": "computed: randomised with a single arm",
    "rule:registration_timing_disagrees": "computed: the registry's word and the dates disagree",
}


# what a result's ± figure is (schema: Result.spread_kind); its "not_stated" is not the dose basis's above
SPREAD_KINDS: dict[str, str] = {"SD": "SD", "SE": "SE", "IQR": "IQR", "not_stated": "SD or SE not stated"}


def label(code: str) -> str:
    """Display label of a vocabulary code ("bone_marrow" -> "bone marrow")."""
    return LABELS.get(code, code.replace("_", " "))


def code_labels() -> dict[str, str]:
    """Every code of every vocabulary here -> its label: codes in a column of free text become words, the
    text itself is never touched."""
    return {m.value: label(m.value) for enum in StrEnum.__subclasses__() if enum.__module__ == __name__
            for m in enum} | LABELS


# --- the WHO Trial Registration Data Set scorecard ------------------------------------------------------


class ReportingStatus(StrEnum):
    """Where a WHO TRDS item is found, best first (a trial's item takes the best status any claim gives it)."""

    IN_RECORD = "in_record"  # reported in the primary registry record
    SECONDARY_ONLY = "secondary_only"  # reported only by a secondary source
    UNCLEAR = "unclear"
    NOT_APPLICABLE = "not_applicable"
    NOT_REPORTED = "not_reported"


@dataclass(frozen=True)
class Look:
    """How a code is shown: its words, a text symbol for tables, and a plotly marker shape and colour for charts
    (shape and colour both carry the meaning, so colour is never the only cue)."""

    label: str
    symbol: str
    marker: str
    colour: str


STATUS_LOOKS: dict[ReportingStatus, Look] = {
    ReportingStatus.IN_RECORD: Look("in the registry record", "✓", "square", BLUE),
    ReportingStatus.SECONDARY_ONLY: Look("secondary source only", "2°", "diamond", SKY),
    ReportingStatus.UNCLEAR: Look("unclear / implied", "?", "circle-open", ORANGE),
    ReportingStatus.NOT_APPLICABLE: Look("not applicable", "–", "line-ew", GREY),
    ReportingStatus.NOT_REPORTED: Look("not reported", "✗", "x", VERMILLION),
}

# the findings chart: one colour per kind of finding (the bars also carry the kind's name in the legend)
FINDING_COLOURS: dict[FindingKind, str] = {
    FindingKind.INTERNAL_CONTRADICTION: VERMILLION,
    FindingKind.SOURCE_CONFLICT: BLUE,
    FindingKind.AMBIGUITY: YELLOW,
    FindingKind.IMPLAUSIBLE_VALUE: PURPLE,
    FindingKind.TYPO: GREEN,
    FindingKind.OMISSION: ORANGE,
    FindingKind.RENDERING_ARTEFACT: BLACK,
    FindingKind.REGISTRY_CHANGED: SKY,
}


# --- what changed between two versions of the dataset (trialdata.changes) -----------------------------


class ChangeKind(StrEnum):
    TRIAL_ADDED = "trial_added"
    TRIAL_REMOVED = "trial_removed"
    VALUE_CHANGED = "value_changed"  # its state or value
    RECEIPT_CHANGED = "receipt_changed"  # same state and value; another source, locator or quote
    VALUE_ADDED = "value_added"  # a field (or a further source's claim) the older version did not hold
    VALUE_REMOVED = "value_removed"
    FINDING_ADDED = "finding_added"
    FINDING_REMOVED = "finding_removed"
    FINDING_REWORDED = "finding_reworded"


# the changes chart: one colour per kind (its bars also carry the kind's name in the legend and a fill pattern)
CHANGE_COLOURS: dict[ChangeKind, str] = {
    ChangeKind.TRIAL_ADDED: BLACK,
    ChangeKind.TRIAL_REMOVED: GREY,
    ChangeKind.VALUE_CHANGED: VERMILLION,
    ChangeKind.RECEIPT_CHANGED: SKY,
    ChangeKind.VALUE_ADDED: GREEN,
    ChangeKind.VALUE_REMOVED: ORANGE,
    ChangeKind.FINDING_ADDED: PURPLE,
    ChangeKind.FINDING_REMOVED: YELLOW,
    ChangeKind.FINDING_REWORDED: BLUE,
}


# --- design features: an answer per trial and feature; not a risk-of-bias judgement ---------------


class FeatureAnswer(StrEnum):
    YES = "yes"
    NO = "no"
    UNCLEAR = "unclear"
    NOT_REPORTED = "not_reported"
    NOT_APPLICABLE = "not_applicable"


# a glyph in each cell as well as a colour (robvis style), so colour is never the only cue; "no" is a design fact
# here (a single-group trial is not randomised), not a judgement, so it is not drawn in an alarm colour
FEATURE_LOOKS: dict[FeatureAnswer, Look] = {
    FeatureAnswer.YES: Look("yes", "✓", "circle", BLUE),
    FeatureAnswer.NO: Look("no", "✗", "circle", ORANGE),
    FeatureAnswer.UNCLEAR: Look("unclear", "?", "circle", YELLOW),
    FeatureAnswer.NOT_REPORTED: Look("not reported", "NR", "circle", GREY),
    FeatureAnswer.NOT_APPLICABLE: Look("not applicable", "–", "circle-open", GREY),
}

# registry against publication: how each compared aspect came out, shape and colour both carry it
VERDICT_LOOKS: dict[str, Look] = {
    "agrees": Look("agrees", "=", "circle", BLUE),
    "registered_reported": Look("registered, result reported", "✓", "square", SKY),
    "differs": Look("differs", "≠", "diamond", VERMILLION),
    "registry_silent": Look("registry gives none", "–", "line-ew", GREY),
    "registered_partly": Look("registered, result reported in part", "◐", "square-open", SKY),
    "registered_not_reported": Look("registered, no result in the full text", "∅", "x", ORANGE),
    "registered_cannot_check": Look("registered, cannot be checked (summary held)", "?", "circle-open", YELLOW),
    "reported_not_registered": Look("reported, not registered", "+", "triangle-up", PURPLE),
}
