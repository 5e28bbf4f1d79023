"""The dataset's schema: pydantic models, one trial per YAML file. No I/O here.

Every fact is a `Reported` value: a state (reported / not_reported / not_applicable / unclear),
the value when there is one, and its receipt (source id, locator, verbatim quote). When another
place in the record, or another source, says something else, that claim is kept in `also`, so a
contradiction is data and never overwritten.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, create_model, field_validator, model_validator

from trialdata import standards

# The vocabularies live in trialdata/vocab.py; they are imported here for the models, and callers may keep
# importing them from the schema.
from trialdata.vocab import (  # noqa: F401
    LABELS,
    Allocation,
    Anchor,
    CellSource,
    Control,
    DateType,
    Domain,
    Donor,
    DoseBasis,
    DoseUnit,
    FindingKind,
    FunderType,
    InterventionModel,
    MaskedRole,
    Masking,
    OutcomeKind,
    Phase,
    ProductType,
    Purpose,
    Registry,
    Route,
    Sector,
    Sex,
    SourceKind,
    SourceRole,
    State,
    Status,
    TimeUnit,
    label,
)

T = TypeVar("T")

DAYS_PER_MONTH = 30.4375  # the dataset's convention: a month is 365.25 / 12 days
DAYS_PER_WEEK = 7.0


# Text that would act rather than read: script-capable HTML, event handlers, script URLs, markdown
# links and images. Registry text has none of these; a file that carries them is rejected.
_ACTIVE = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style|svg|math|link|meta|img|form|input|base)\b"
    r"|\bon[a-z]+\s*=|(java|vb)script\s*:|data\s*:\s*text/html|!?\[[^\]]*\]\([^)]*\)",
    re.IGNORECASE,
)
# What a spreadsheet runs as a formula: text starting with one of OWASP's characters. The one exception is a
# plain signed decimal ("-5", "-0.5", "+3"): a spreadsheet reads it as that number and runs nothing, and
# quoting it would turn a number into the text "'-5". Anything else ("-2+3", "-1e5", "- 5") counts as a formula.
# The same rule refuses text at validation (below) and neutralises CSV cells (export.neutralise_formulas).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = r"[+-]?[0-9]+(\.[0-9]+)?"


def is_formula(text: str) -> bool:
    """Whether a spreadsheet would run this text as a formula."""
    return text.startswith(FORMULA_START) and re.fullmatch(PLAIN_NUMBER, text) is None


def check_text(text: str, verbatim: bool = False) -> None:
    """Raise ValueError for text that could turn into markup or a formula; quotes may start with anything."""
    if "\x00" in text:
        raise ValueError("contains a NUL character")
    if _ACTIVE.search(text):
        raise ValueError(f"contains markup or a link that could act in a page: {text[:60]!r}")
    if not verbatim and is_formula(text):
        raise ValueError(f"starts like a spreadsheet formula: {text[:60]!r}")


# markup the registry mirrors leave in their text (bold marks, heading marks, line breaks, TeX Greek letters): a
# quote keeps it, verbatim as the source has it and as the validator checks it; pages, hovers, handouts and slides
# show the words without it
MARKUP = ((r"\*\*", ""), (r"(^|\s)#{1,6}(\s)", "$1$2"), (r"<br\s*/?>", " "), (r"\$\\alpha\$", "α"),
           (r"\$\\beta\$", "β"), (r"\$\\gamma\$", "γ"), (r"[ \t]{2,}", " "))


def plain(text: str) -> str:
    """A quote as a reader sees it: the registry's markup taken out ("**15**" -> "15")."""
    for pattern, repl in MARKUP:
        text = re.sub(pattern, repl.replace("$", "\\"), text)
    return text.strip()



class Strict(BaseModel):
    """Base for every model: unknown keys, NaN/infinity and active text are errors, not silently kept."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False, allow_inf_nan=False)

    @model_validator(mode="after")
    def _safe_text(self):
        for name in type(self).model_fields:
            value = getattr(self, name)
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str) and not isinstance(text, StrEnum):
                    try:
                        check_text(text, verbatim=name == "quote")
                    except ValueError as e:
                        raise ValueError(f"{name}: {e}") from None
        return self


# --- the reported value ----------------------------------------------------------------------------


class Claim(Strict, Generic[T]):
    """One claim about a fact, with its receipt."""

    state: State = Field(description="reported, not_reported, not_applicable or unclear.")
    value: T | None = Field(
        default=None,
        description="The value. Empty unless reported; for unclear, the value the words imply.",
    )
    source: str | None = Field(default=None, description="Id of the source record (see `sources`).")
    locator: str | None = Field(
        default=None, description="Where in the source: section and field, or a page address."
    )
    quote: str | None = Field(
        default=None, description="Verbatim words of the source (white space may differ)."
    )
    note: str | None = Field(default=None, description="Curator's remark: why this state or value.")

    @model_validator(mode="after")
    def _state_matches_value(self):
        if self.state is State.REPORTED:
            missing = [k for k in ("value", "source", "locator") if getattr(self, k) is None]
            if missing:
                raise ValueError(f"a reported value needs {', '.join(missing)}")
        elif self.state is State.UNCLEAR:
            if self.quote is None and self.note is None:
                raise ValueError("an unclear value needs the quote (or note) that suggests it")
        elif self.value is not None:
            raise ValueError(f"a value that is {self.state.value} must not carry a value")
        if (self.quote or self.locator) and self.source is None:
            raise ValueError("a quote or locator needs the source it comes from")
        return self


class Reported(Claim[T], Generic[T]):
    """The headline claim of a fact, plus every other claim about it (kept, never overwritten)."""

    also: list[Claim[T]] = Field(
        default_factory=list,
        description="Other claims about the same fact: elsewhere in the record or in other sources.",
    )


# --- value types -----------------------------------------------------------------------------------

Participants = Annotated[int, Field(ge=0, le=10_000_000)]
Count = Annotated[int, Field(ge=1, le=10_000)]
# how many times a registry says its record was updated: 0 is a value ("Update count: 0"), not an absence
UpdateCount = Annotated[int, Field(ge=0, le=10_000)]
Percent = Annotated[float, Field(ge=0, le=100)]
AgeYears = Annotated[float, Field(ge=0, le=120)]

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class TrialDate(Strict):
    date: str = Field(description="ISO date at its precision: YYYY, YYYY-MM or YYYY-MM-DD.")
    type: DateType = Field(description="actual, expected, or unlabelled in the source.")

    @field_validator("date")
    @classmethod
    def _iso(cls, v: str) -> str:
        if not _DATE.match(v):
            raise ValueError(f"{v!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        parts = [int(p) for p in v.split("-")] + [1, 1]
        dt.date(parts[0], parts[1], parts[2])  # raises on an impossible date such as 2024-02-30
        return v

    @property
    def precision(self) -> str:
        return {4: "year", 7: "month", 10: "day"}[len(self.date)]


class Dose(Strict):
    min: float = Field(gt=0, le=1e15, description="Smallest amount stated (equals max for a single amount).")
    max: float = Field(gt=0, le=1e15, description="Largest amount stated.")
    unit: DoseUnit = Field(description="Unit of the amount; units are never converted.")
    basis: DoseBasis = Field(description="Whether the amount is per administration, per route or total.")

    @model_validator(mode="after")
    def _ordered(self):
        if self.min > self.max:
            raise ValueError("dose min is larger than max")
        return self


class TimePoint(Strict):
    text: str = Field(description="The source's own words for this time.")
    amount: float | None = Field(default=None, ge=0, le=10_000, description="Number of units after the anchor.")
    amount_max: float | None = Field(default=None, ge=0, le=10_000, description="Upper end when a range is given.")
    unit: TimeUnit | None = Field(default=None, description="Unit of amount.")
    anchor: Anchor = Field(description="What the time is counted from, as the record says.")
    anchor_stated: bool = Field(
        default=True, description="False when the source names no anchor and the curator assumed one."
    )

    @model_validator(mode="after")
    def _amount_has_unit(self):
        if (self.amount is None) != (self.unit is None):
            raise ValueError("amount and unit go together")
        if self.amount_max is not None and (self.amount is None or self.amount_max < self.amount):
            raise ValueError("amount_max needs an amount no larger than it")
        return self


# --- the trial -------------------------------------------------------------------------------------


class Source(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", description="Short id that claims cite.")
    kind: SourceKind = Field(description="registry_record, registry_mirror or publication.")
    role: SourceRole = Field(description="primary (the curated record) or secondary.")
    title: str = Field(description="Title of the source.")
    url: str | None = Field(default=None, pattern=r"^https?://[^\s]+$", description="Address of the source.")
    file: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.(txt|json)$",
        description="File under data/sources/ holding the record's text (a plain file name, primary only).",
    )
    accessed: str | None = Field(default=None, description="Date the source was read or rendered.")
    citation: str | None = Field(default=None, description="Full citation, for a publication.")


class Condition(Strict):
    name: Reported[str] = Field(description="Condition studied.")
    category: str = Field(
        min_length=1, description="Curator's grouping for filters and totals (e.g. 'systemic sclerosis')."
    )
    icd10: Reported[str] = Field(description="ICD-10 code given by the registry.")


class Organisation(Strict):
    name: Reported[str] = Field(description="Organisation (never a person).")
    role: Literal["lead_sponsor", "sponsor", "funder"] = Field(description="Its role in the trial.")
    funder_type: Reported[FunderType] = Field(description="Type of organisation providing funds.")
    sector: Reported[Sector] = Field(description="Public or private sector.")
    funding_share_percent: Reported[Percent] = Field(description="Share of funding it provides, %.")


class Site(Strict):
    name: Reported[str] = Field(description="Recruitment centre (organisation, never a person).")
    city: Reported[str] = Field(description="City of the site.")
    country: Reported[str] = Field(description="Country of the site.")


class Dates(Strict):
    registration: Reported[TrialDate] = Field(description="Date of registration.")
    ethics_approval: Reported[TrialDate] = Field(description="Date of ethics approval.")
    start: Reported[TrialDate] = Field(description="Recruitment or study start.")
    recruitment_end: Reported[TrialDate] = Field(description="End of recruitment.")
    primary_completion: Reported[TrialDate] = Field(description="Primary completion.")
    completion: Reported[TrialDate] = Field(description="Study completion.")
    registration_timing: Reported[Literal["prospective", "retrospective"]] = Field(
        default_factory=lambda: Reported(state=State.NOT_REPORTED),
        description="Whether a registry says, in its own words, that the trial was registered prospectively "
                    "(before the first participant) or retrospectively: the receipt for that answer. The dates "
                    "are a check beside it, never a substitute.")
    # both default to not reported, so a file written before they existed still loads (and says so, never a date)
    last_update: Reported[TrialDate] = Field(
        default_factory=lambda: Reported(state=State.NOT_REPORTED),
        description="When the registry last posted a change to the record, as the record held shows it "
                    "(\"Last update\" on IRCT, \"last update posted\" on ClinicalTrials.gov).")
    update_count: Reported[UpdateCount] = Field(
        default_factory=lambda: Reported(state=State.NOT_REPORTED),
        description="How many times the registry says the record was updated (IRCT's \"Update count\"). "
                    "ClinicalTrials.gov gives no count: not reported, with a note.")


class Design(Strict):
    study_type: Reported[Literal["interventional", "observational"]] = Field(description="Study type.")
    allocation: Reported[Allocation] = Field(description="Randomised or not; N/A for a single group.")
    intervention_model: Reported[InterventionModel] = Field(description="Assignment model.")
    n_arms: Reported[Count] = Field(description="Number of arms or groups.")
    masking: Reported[Masking] = Field(description="Blinding level.")
    masked_roles: Reported[list[MaskedRole]] = Field(description="Who is masked.")
    masked_to: Reported[str] = Field(
        default_factory=lambda: Reported(state=State.NOT_REPORTED),
        description="What the masked people are kept blind to, as the record says (the dose, the treatment).")
    control: Reported[Control] = Field(description="Kind of control group.")
    placebo: Reported[bool] = Field(description="Whether a placebo is used.")
    purpose: Reported[Purpose] = Field(description="Primary purpose.")


class Eligibility(Strict):
    min_age_years: Reported[AgeYears] = Field(description="Minimum age, years.")
    max_age_years: Reported[AgeYears] = Field(description="Maximum age, years.")
    sex: Reported[Sex] = Field(description="Sexes eligible.")
    healthy_volunteers: Reported[bool] = Field(description="Whether healthy volunteers are accepted.")
    inclusion: list[Reported[str]] = Field(description="Key inclusion criteria (curated short labels).")
    exclusion: list[Reported[str]] = Field(description="Key exclusion criteria (curated short labels).")


class Enrollment(Strict):
    target: Reported[Participants] = Field(description="Planned number of participants.")
    actual: Reported[Participants] = Field(description="Number actually enrolled.")


class Administration(Strict):
    number: int = Field(ge=1, description="1 for the first administration of the cohort, and so on.")
    time: Reported[TimePoint] = Field(description="When it is given, counted from the first dose.")


class Cohort(Strict):
    label: str = Field(description="Cohort name; 'all participants' when there is one schedule.")
    participants: Reported[str] = Field(description="Who is in the cohort, as the source says.")
    administrations: list[Administration] = Field(min_length=1, description="Planned administrations.")


class Intervention(Strict):
    name: Reported[str] = Field(description="Product name as the source gives it.")
    product_type: Reported[ProductType] = Field(description="MSC cells, or MSC-derived exosomes/EVs.")
    cell_source: Reported[CellSource] = Field(description="Tissue the MSCs come from.")
    donor: Reported[Donor] = Field(description="Autologous or allogeneic.")
    routes: Reported[list[Route]] = Field(description="Route(s) of administration.")
    dose: Reported[Dose] = Field(description="Amount given, with unit and basis.")
    n_administrations: Reported[Count] = Field(description="Planned number of administrations.")
    co_therapy: Reported[str] = Field(description="Background or co-therapy given with the product.")
    schedule: list[Cohort] = Field(min_length=1, description="Cohorts and their administration times.")


class Outcome(Strict):
    kind: OutcomeKind = Field(description="primary or secondary.")
    domain: Domain = Field(description="Curator's classification of the measure (closed list).")
    measure: Reported[str] = Field(description="What is measured.")
    method: Reported[str] = Field(description="How it is measured.")
    time_frame: Reported[str] = Field(description="The time frame as the source words it.")
    time_points: list[TimePoint] = Field(
        default_factory=list, description="The time frame as time points (normalised to weeks)."
    )


class FollowUp(Strict):
    end: Reported[TimePoint] = Field(description="End of follow-up.")


class Publication(Strict):
    source: str = Field(description="Id of the publication in `sources`.")
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$", description="DOI.")
    pmid: str | None = Field(default=None, pattern=r"^\d{1,9}$", description="PubMed id.")
    link: Literal["cites_registration", "unconfirmed"] = Field(
        description="Whether the publication names this registration."
    )
    reports: str = Field(description="What it reports (curator's summary).")
    text_held: Literal["full_text", "summary"] = Field(
        default="full_text",
        description="How much of the publication the dataset's sources hold: its full text, or only a summary. "
                    "From a summary, a registered outcome without a result cannot be called unreported.")


# --- product characterisation (items from trialdata/standards.py) -------------------------


def _items_model(product: ProductType, name: str) -> type[Strict]:
    """One field per catalogue item of this kind of product, each a claim like every other fact: so an unknown
    item id is an unknown key and a missing item a missing field, each reported at its file, line and field."""
    fields: dict[str, Any] = {  # passed as **keywords, which mypy also checks against __doc__, __base__, ...
        item.id: (Reported[str], Field(description=f"{item.label} ({standards.STANDARDS[item.standard].name}). "
                                                  f"Reported when {item.reported_when}."))
        for item in standards.items_of(product)
    }
    doc = f"Characterisation items of a {product.value} product: every item has a state (see trialdata/standards.py)."
    return create_model(name, __base__=Strict, __doc__=doc, **fields)


CellCharacterisation = _items_model(ProductType.CELLS, "CellCharacterisation")
EVCharacterisation = _items_model(ProductType.EXOSOMES, "EVCharacterisation")


class Characterisation(Strict):
    """How far the sources characterise the product, item by item, against the standard that fits it."""

    cells: CellCharacterisation | None = Field(  # type: ignore[valid-type]
        default=None, description="ISCT 2006 criteria and MSC product items, for a cell product.")
    exosomes: EVCharacterisation | None = Field(  # type: ignore[valid-type]
        default=None, description="MISEV2018 items and the dose unit, for an EV / exosome product.")
    note: str | None = Field(default=None, description="Curator's remark: what was read, what was not held.")

    @model_validator(mode="after")
    def _some_product(self):
        if self.cells is None and self.exosomes is None:
            raise ValueError("a characterisation needs a `cells` or an `exosomes` block")
        return self


class QuoteRef(Strict):
    source: str = Field(description="Source id.")
    locator: str = Field(description="Where in the source.")
    quote: str | None = Field(default=None, description="Verbatim words (for a primary source).")


class Finding(Strict):
    """A data-quality finding: a contradiction, conflict, ambiguity, implausible value or typo."""

    kind: FindingKind = Field(description="Kind of finding.")
    field: str = Field(description="Dotted path of the field concerned.")
    message: str = Field(description="What is wrong, in one or two sentences.")
    quotes: list[QuoteRef] = Field(min_length=1, description="The words involved, with receipts.")


class Reporting(Strict):
    """WHO Trial Registration Data Set items the other fields do not hold (never the people themselves)."""

    public_contact: Reported[bool] = Field(description="Whether the record gives a contact for public queries.")
    scientific_contact: Reported[bool] = Field(
        description="Whether the record gives a contact for scientific queries."
    )
    ipd_sharing: Reported[str] = Field(description="Individual participant data sharing statement.")
    summary_results: Reported[bool] = Field(description="Whether summary results are posted on the registry.")


class Curation(Strict):
    extracted_by: str = Field(description="Role of the person who extracted the data (not a name).")
    reviewed_by: str = Field(description="Role of the reviewer (not a name).")
    checked_on: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="Date of the last check.")
    notes: str | None = Field(default=None, description="Curation notes.")


# --- appraisal: published results, registry against publication, dose-finding items ----------


class Measurement(Strict):
    """A summary value as a publication reports it: the estimate, the value and its spread."""

    estimate: Literal["mean", "median", "count", "proportion"] = Field(description="What the value is.")
    value: float = Field(description="The value as reported, in the outcome's own unit.")
    spread: float | None = Field(default=None, ge=0, description="The +/- figure given with it, if any.")
    spread_kind: Literal["SD", "SE", "IQR", "not_stated"] | None = Field(
        default=None, description="What the spread is (SD, SE, IQR), or not_stated when the source gives only '+/-'.")

    @model_validator(mode="after")
    def _spread_has_kind(self):
        if (self.spread is None) != (self.spread_kind is None):
            raise ValueError("spread and spread_kind go together")
        return self


class Result(Strict):
    """One published result: an outcome at a time point in a group, with every number as its own claim."""

    source: str = Field(description="Id of the publication in `sources`.")
    outcome: str = Field(description="The outcome as the publication names it.")
    registered_outcome: int | None = Field(
        default=None, ge=1, description="Number (1-based) of the registered outcome it reports; empty when none.")
    time_point: str = Field(description="When it was measured, in the publication's words.")
    group: str = Field(description="Who was analysed (all participants, a subgroup).")
    n_analysed: Reported[Participants] = Field(description="Participants analysed.")
    baseline: Reported[Measurement] = Field(description="Value before treatment.")
    follow_up: Reported[Measurement] = Field(description="Value at the time point.")
    p_value: Reported[str] = Field(description="P value as reported (e.g. '< 0.001').")
    statement: Reported[str] = Field(description="A result given in words only (e.g. a subgroup's improvement).")
    coverage: Literal["whole", "part"] = Field(
        default="whole",
        description="Whether the result covers the whole registered outcome, or only part of it (some of its "
                    "measures, or a subgroup of the participants it was registered for).")


class Discrepancy(Strict):
    """Registry against publication on one aspect, worded no stronger than the sources."""

    aspect: str = Field(description="What is compared (intervention, follow-up, ...).")
    registry: str = Field(description="What the registry sources give, in words no stronger than theirs.")
    publication: str = Field(description="What the publication reports.")
    verdict: Literal["differs", "registry_silent"] = Field(
        default="differs",
        description="differs: the two sides give values that differ; registry_silent: the registry gives no value "
                    "to compare (not registered is not a difference).")
    quotes: list[QuoteRef] = Field(min_length=2, description="The receipts on both sides.")


class DoseFinding(Strict):
    """SPIRIT-DEFINE items a dose-finding (dose- or schedule-escalation) design should state."""

    dose_levels: Reported[str] = Field(description="The dose levels (or numbers of doses) compared.")
    escalation_rule: Reported[str] = Field(description="When the next level opens.")
    dlt_defined: Reported[bool] = Field(description="Whether a dose-limiting toxicity is defined.")


REGISTRY_ID_PATTERNS = {
    Registry.IRCT: r"^IRCT\d{11,14}N\d+$",
    Registry.CTGOV: r"^NCT\d{8}$",
}


class Trial(Strict):
    registry: Registry = Field(description="IRCT or ClinicalTrials.gov.")
    trial_id: str = Field(description="Registry id; also the file name.")
    registry_url: str = Field(pattern=r"^https://[^\s]+$", description="Address of the registry entry.")
    public_title: Reported[str] = Field(description="Brief or public title.")
    scientific_title: Reported[str] = Field(description="Official or scientific title.")
    secondary_ids: Reported[list[str]] = Field(description="Other ids of the trial.")
    conditions: list[Condition] = Field(min_length=1, description="Conditions studied.")
    organisations: list[Organisation] = Field(min_length=1, description="Sponsors and funders.")
    countries: Reported[list[str]] = Field(description="Countries where the trial runs.")
    sites: list[Site] = Field(default_factory=list, description="Recruitment sites.")
    status: Reported[Status] = Field(description="Recruitment status.")
    dates: Dates
    phase: Reported[Phase] = Field(description="Trial phase.")
    design: Design
    eligibility: Eligibility
    enrollment: Enrollment
    interventions: list[Intervention] = Field(min_length=1, description="The MSC products given.")
    outcomes: list[Outcome] = Field(default_factory=list, description="Primary and secondary outcomes.")
    follow_up: FollowUp
    publications: list[Publication] = Field(default_factory=list, description="Linked results.")
    reporting: Reporting
    sources: list[Source] = Field(min_length=1, description="Every source cited in this file.")
    curation: Curation
    findings: list[Finding] = Field(default_factory=list, description="Curated data-quality findings.")
    characterisation: Characterisation | None = Field(
        default=None, description="Product characterisation: one claim per item of the standard that fits the product."
    )
    results: list[Result] = Field(default_factory=list, description="Published results, one row per outcome, "
                                  "time point and group, as reported.")
    discrepancies: list[Discrepancy] = Field(
        default_factory=list, description="Registry against publication where it cannot be derived from the other "
        "fields (what the registry lists against what the publication reports).")
    dose_finding: DoseFinding | None = Field(
        default=None, description="SPIRIT-DEFINE items of a dose-finding design; absent when the design is not one.")

    @field_validator("trial_id")
    @classmethod
    def _id_matches_registry(cls, v: str, info: ValidationInfo) -> str:
        registry = info.data.get("registry")
        if registry and not re.match(REGISTRY_ID_PATTERNS[registry], v):
            raise ValueError(f"{v!r} is not a {registry.value} id")
        return v

    @field_validator("characterisation")
    @classmethod
    def _characterisation_fits_the_products(cls, v: Characterisation | None, info: ValidationInfo):
        """A block for each kind of product the interventions give, and none for a kind they do not."""
        if v is None or "interventions" not in info.data:
            return v
        given = {iv.product_type.value for iv in info.data["interventions"] if iv.product_type.value is not None}
        for product in ProductType:
            has_block = getattr(v, product.value) is not None
            if product in given and not has_block:
                raise ValueError(f"the trial gives {product.value}: add a `{product.value}` block")
            if has_block and given and product not in given:
                raise ValueError(f"no intervention gives {product.value}: remove the `{product.value}` block "
                                 "(its items do not apply)")
        return v
    @model_validator(mode="after")
    def _results_point_at_known_outcomes_and_sources(self):
        ids = {s.id for s in self.sources}
        for i, r in enumerate(self.results):
            if r.registered_outcome is not None and r.registered_outcome > len(self.outcomes):
                raise ValueError(f"results[{i}].registered_outcome: there is no outcome {r.registered_outcome}")
            if r.source not in ids:
                raise ValueError(f"results[{i}].source: unknown source {r.source!r}")
        return self


def iter_claims(model: BaseModel, path: tuple = ()):
    """Every claim inside `model`, depth first, as (path, claim, is_headline).

    `path` is a tuple of field names and list indexes; `also` claims carry the index in `also`.
    """
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for i, item in items:
            here = path + ((name,) if i is None else (name, i))
            if isinstance(item, Claim):
                yield here, item, True
                for j, other in enumerate(getattr(item, "also", [])):
                    yield here + ("also", j), other, False
            elif isinstance(item, BaseModel):
                yield from iter_claims(item, here)


def to_weeks(amount: float, unit: TimeUnit) -> float:
    """A duration in weeks (a month is 30.4375 days; study day 1 is week 0)."""
    days = {
        TimeUnit.DAYS: amount,
        TimeUnit.STUDY_DAY: amount - 1,
        TimeUnit.WEEKS: amount * DAYS_PER_WEEK,
        TimeUnit.MONTHS: amount * DAYS_PER_MONTH,
        TimeUnit.YEARS: amount * 12 * DAYS_PER_MONTH,
    }[unit]
    return days / DAYS_PER_WEEK


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def format_number(x: float) -> str:
    """6000000 -> '6×10⁶', 1.5e6 -> '1.5×10⁶', 48 -> '48'."""
    if x >= 1e5:
        exp = len(str(int(x))) - 1
        return f"{x / 10**exp:g}×10{str(exp).translate(_SUPERSCRIPT)}"
    return f"{x:g}"


def display(value: object) -> str | None:
    """One value as text for tables, exports and hover (codes stay codes; None stays None)."""
    return None if value is None else value_text(value)


def value_text(value: object) -> str:
    """A value that is there as text, as `display` gives it (for callers that know it is not None)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, float | int):
        return format_number(value)
    if isinstance(value, list):
        return "; ".join(value_text(v) for v in value)
    if isinstance(value, Dose):
        amount = format_number(value.min) + ("" if value.max == value.min else f"-{format_number(value.max)}")
        return f"{amount} {value.unit.value} ({label(value.basis.value)})"
    if isinstance(value, TimePoint):
        return f"{value.text} [{value.anchor.value.replace('_', ' ')}]"
    if isinstance(value, TrialDate):
        return f"{value.date} ({value.type.value})"
    return str(value)


def json_schema() -> dict:
    """The JSON Schema of one trial file (committed as data/trials.schema.json for editors)."""
    schema = Trial.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "MSC trial record"
    return schema


# --- appraisal: dates at their precision -------------------------------------------------------


def date_bounds(d: TrialDate) -> tuple[dt.date, dt.date]:
    """The first and last day a date can mean at its precision ("2009-08" -> 1 and 31 August 2009)."""
    parts = [int(p) for p in d.date.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        first = dt.date(parts[0], parts[1], 1)
        following = dt.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def on_or_before(a: TrialDate | None, b: TrialDate | None) -> Literal["yes", "no", "unclear"]:
    """Whether date a is on or before date b, as far as their precisions decide it ("unclear" when a date is
    missing, or when the days either may mean overlap: 2009-08-19 against "2009-08")."""
    if a is None or b is None:
        return "unclear"
    (a_first, a_last), (b_first, b_last) = date_bounds(a), date_bounds(b)
    if a_last <= b_first:
        return "yes"
    if a_first > b_last:
        return "no"
    return "unclear"
