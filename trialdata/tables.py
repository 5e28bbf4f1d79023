"""Validated records -> tidy Polars tables with fixed column names, dtypes and descriptions.

A value that is not reported is null, never 0; the `*_state` column next to it says why, and
`provenance` holds the receipt of every value.
"""

from __future__ import annotations

import polars as pl

from trialdata import standards
from trialdata.appraisal import APPRAISAL_TABLES, appraisal_frames, appraisal_rows
from trialdata.changes import CHANGES
from trialdata.checks import Flag, findings
from trialdata.load import dotted
from trialdata.rows import (
    BOOL,
    FLOAT,
    INT,
    STR,
    Column,
    cell,
    cohorts_of,
    cols,
    joined,
    text_of,
    time_window,
    with_state,
)
from trialdata.schema import (
    Intervention,
    ProductType,
    SourceRole,
    State,
    Trial,
    iter_claims,
    label,
    to_weeks,
)
from trialdata.vocab import ReportingStatus

ADMINISTRATIONS_DOC = ("The planned administrations in words: the number with its state, the number in each cohort "
                       "when cohorts differ (and whether their interval is stated), and the routes each is given "
                       "by when there are several.")

_WEEKS = "weeks since the first administration (a month is 30.4375 days)"

TABLES: dict[str, list[Column]] = {
    "trials": cols(
        ("trial_id", STR, "Registry id of the trial."),
        ("origin", STR, "curated (this dataset) or user-supplied (uploaded in one browser session, not curated)."),
        ("registry", STR, "IRCT or ClinicalTrials.gov."),
        ("registry_url", STR, "Address of the registry entry."),
        ("title", STR, "Public (brief) title.", "+state"),
        ("scientific_title", STR, "Scientific (official) title.", "+state"),
        ("conditions", STR, "Conditions studied, '; '-separated."),
        ("condition_categories", STR, "Curator's grouping of the conditions, '; '-separated (used by filters)."),
        ("icd10", STR, "ICD-10 codes given, '; '-separated."),
        ("phase", STR, "Phase (empty when not applicable or not reported).", "+state"),
        ("status", STR, "Recruitment status.", "+state"),
        ("start_date", STR, "Start date at its precision (YYYY, YYYY-MM or YYYY-MM-DD).", "+state"),
        ("completion_date", STR, "Completion date at its precision.", "+state"),
        ("last_update", STR, "When the registry last posted a change to the record, as the record held shows it, at "
                             "its precision (YYYY, YYYY-MM or YYYY-MM-DD); empty when the held record shows none.",
         "+state"),
        ("update_count", INT, "How many times the registry says the record was updated (IRCT's update count; 0 is a "
                              "count, not an absence; ClinicalTrials.gov gives none).", "+state"),
        ("record_kind", STR, "What the primary source held is: registry_record (the registry's own page or data) or "
                             "registry_mirror (another site's rendering of it)."),
        ("record_read_on", STR, "When the primary source's text held in data/sources/ was read from the registry or "
                                "mirror (its accessed date, as given); empty when not recorded."),
        ("target_enrollment", INT, "Planned participants (the headline claim; conflicts in flags).", "+state"),
        ("actual_enrollment", INT, "Participants actually enrolled.", "+state"),
        ("enrollment_claims", STR, "Every claim about the target enrollment with its source."),
        ("product_type", STR, "cells or exosomes.", "+state"),
        ("cell_source", STR, "Tissue the MSCs come from.", "+state"),
        ("donor_type", STR, "autologous or allogeneic.", "+state"),
        ("routes", STR, "Route(s) of administration, '; '-separated.", "+state"),
        ("n_administrations", INT, "Planned number of administrations.", "+state"),
        ("administrations", STR, ADMINISTRATIONS_DOC),
        ("dose", STR, "Dose as text: amount, unit and basis (e.g. 1×10⁶ cells/kg (per administration))."),
        ("dose_min", FLOAT, "Smallest dose amount stated, in dose_unit.", "+state"),
        ("dose_max", FLOAT, "Largest dose amount stated, in dose_unit."),
        ("dose_unit", STR, "Unit of the dose; doses in different units are not comparable."),
        ("dose_basis", STR, "per_administration, per_route_per_administration, total or not_stated."),
        ("follow_up_text", STR, "End of follow-up in the source's words.", "+state"),
        ("follow_up_weeks", FLOAT, f"Earliest end of follow-up, {_WEEKS}."),
        ("follow_up_weeks_max", FLOAT, "Latest end of follow-up, weeks; empty when it cannot be placed."),
        ("follow_up_anchor", STR, "What the source counts follow-up from."),
        ("follow_up_anchor_stated", BOOL, "False when the source names no anchor and the curator assumed one."),
        ("follow_up_source", STR, "Source id of the end of follow-up."),
        ("follow_up_locator", STR, "Where in the source the end of follow-up is."),
        ("follow_up_quote", STR, "Verbatim words behind the end of follow-up."),
        ("masking", STR, "Blinding level.", "+state"),
        ("allocation", STR, "randomized or non_randomized (empty and not_applicable for one group).", "+state"),
        ("intervention_model", STR, "Assignment model.", "+state"),
        ("n_arms", INT, "Number of arms or groups.", "+state"),
        ("control", STR, "Kind of control group.", "+state"),
        ("purpose", STR, "Primary purpose.", "+state"),
        ("min_age_years", FLOAT, "Minimum age in years.", "+state"),
        ("max_age_years", FLOAT, "Maximum age in years.", "+state"),
        ("sex", STR, "Sexes eligible.", "+state"),
        ("countries", STR, "Countries, '; '-separated.", "+state"),
        ("sponsor", STR, "Lead sponsor organisation.", "+state"),
        ("n_findings", INT, "Number of data-quality findings about this trial."),
        ("secondary_fields", STR, "Fields whose value comes from a secondary source only, as |path|path| (the "
                                  "summary marks them 2°)."),
        ("disputed_fields", STR, "Fields the record or its sources give conflicting values for (a contradiction or "
                                 "a source conflict among the findings), as |path|path|."),
        ("extracted_by", STR, "Role of the person who extracted the data."),
        ("reviewed_by", STR, "Role of the reviewer."),
        ("checked_on", STR, "Date the curation was last checked."),
        ("curation_notes", STR, "Curation notes."),
    ),
    "interventions": cols(
        ("trial_id", STR, "Registry id of the trial."),
        ("intervention", INT, "1-based number of the intervention within the trial."),
        ("name", STR, "Product name as the source gives it.", "+state"),
        ("product_type", STR, "cells or exosomes.", "+state"),
        ("cell_source", STR, "Tissue the MSCs come from.", "+state"),
        ("donor_type", STR, "autologous or allogeneic.", "+state"),
        ("routes", STR, "Route(s), '; '-separated.", "+state"),
        ("dose", STR, "Dose as text: amount, unit and basis."),
        ("dose_min", FLOAT, "Smallest dose amount.", "+state"),
        ("dose_max", FLOAT, "Largest dose amount."),
        ("dose_unit", STR, "Unit of the dose."),
        ("dose_basis", STR, "Whether the amount is per administration, per route or total."),
        ("n_administrations", INT, "Planned number of administrations.", "+state"),
        ("administrations", STR, ADMINISTRATIONS_DOC),
        ("n_cohorts", INT, "Number of dose or schedule cohorts."),
        ("co_therapy", STR, "Background or co-therapy.", "+state"),
    ),
    "administrations": cols(
        ("trial_id", STR, "Registry id of the trial."),
        ("intervention", INT, "1-based number of the intervention."),
        ("cohort", STR, "Cohort label ('all participants' when there is one schedule)."),
        ("cohort_participants", STR, "Who is in the cohort."),
        ("number", INT, "1 for the cohort's first administration, and so on."),
        ("week", FLOAT, f"When it is given, {_WEEKS}; empty when not reported.", "+state"),
        ("time_text", STR, "The source's words for the time."),
        ("dose", STR, "Dose as text (amount, unit, basis); empty when not reported.", "+state"),
        ("dose_min", FLOAT, "Smallest dose amount."),
        ("dose_max", FLOAT, "Largest dose amount."),
        ("unit", STR, "Unit of the dose."),
        ("route", STR, "Route(s), '; '-separated."),
        ("source", STR, "Source id of the time."),
        ("locator", STR, "Where in the source the time is."),
        ("quote", STR, "Verbatim words behind the time."),
        ("dose_source", STR, "Source id of the dose."),
        ("dose_locator", STR, "Where in the source the dose is."),
        ("dose_quote", STR, "Verbatim words behind the dose."),
    ),
    "outcomes": cols(
        ("trial_id", STR, "Registry id of the trial."),
        ("outcome", INT, "1-based number of the outcome within the trial."),
        ("kind", STR, "primary or secondary."),
        ("domain", STR, "Outcome domain (closed list; curator's classification)."),
        ("measure", STR, "What is measured.", "+state"),
        ("method", STR, "How it is measured.", "+state"),
        ("time_frame", STR, "Time frame in the source's words.", "+state"),
        ("n_time_points", INT, "Number of time points the time frame gives."),
        ("source", STR, "Source id of the measure."),
        ("locator", STR, "Where in the source."),
        ("quote", STR, "Verbatim words behind the measure."),
    ),
    "assessments": cols(
        ("trial_id", STR, "Registry id of the trial."),
        ("outcome", INT, "Outcome number (see outcomes)."),
        ("kind", STR, "primary or secondary."),
        ("domain", STR, "Outcome domain."),
        ("measure", STR, "What is measured."),
        ("time_text", STR, "The time point in the source's words (the time frame when none is given)."),
        ("anchor", STR, "What the source counts from: baseline, first_dose, last_dose, end_of_intervention."),
        ("anchor_stated", BOOL, "False when the source names no anchor and the curator assumed one."),
        ("weeks", FLOAT, f"Earliest time of the assessment, {_WEEKS}; empty when unknown."),
        ("weeks_max", FLOAT, "Latest time of the assessment, weeks; empty when it cannot be placed."),
        ("source", STR, "Source id of the time frame."),
        ("locator", STR, "Where in the source the time frame is."),
        ("quote", STR, "Verbatim words of the time frame."),
    ),
    "sources": cols(
        ("trial_id", STR, "Registry id of the trial."),
        ("source_id", STR, "Id that receipts cite."),
        ("kind", STR, "registry_record, registry_mirror or publication."),
        ("role", STR, "primary (the curated record) or secondary."),
        ("title", STR, "Title of the source."),
        ("url", STR, "Address."),
        ("file", STR, "File under data/sources/ (primary only)."),
        ("accessed", STR, "Date read or rendered."),
        ("citation", STR, "Full citation (publications)."),
    ),
    "publications": cols(
        ("trial_id", STR, "Registry id of the trial."),
        ("source_id", STR, "Id of the publication in sources."),
        ("citation", STR, "Full citation."),
        ("doi", STR, "Digital Object Identifier of the publication."),
        ("pmid", STR, "PubMed identifier of the publication."),
        ("link", STR, "cites_registration, or unconfirmed."),
        ("reports", STR, "What the publication reports (curator's summary)."),
        ("text_held", STR, "full_text, or summary when the sources hold only a summary of the publication."),
    ),
    "reporting": cols(
        ("trial_id", STR, "Registry id of the trial."),
        ("item_no", INT, "Number of the item in the WHO Trial Registration Data Set (v1.3.1, 24 items)."),
        ("item", STR, "Name of the WHO TRDS item."),
        ("status", STR, "in_record (primary record), secondary_only, unclear, not_applicable or not_reported."),
        ("evidence", STR, "Fields and sources behind the status."),
    ),
    "provenance": cols(
        ("trial_id", STR, "Registry id of the trial."),
        ("field", STR, "Dotted path of the field in the trial record (interventions[0].dose); the app's tables show "
                        "it in words (Intervention 1 · dose)."),
        ("claim", STR, "headline (the value used) or also (another claim kept beside it)."),
        ("state", STR, "reported, not_reported, not_applicable or unclear."),
        ("value", STR, "The value as text."),
        ("source", STR, "Source id."),
        ("source_role", STR, "primary or secondary."),
        ("locator", STR, "Where in the source."),
        ("quote", STR, "Verbatim words of the source, with the registry's markup as the source has it (such as "
                       "**15**); the app, the handout and the slides show the words without the markup."),
        ("note", STR, "Curator's remark."),
    ),
    "flags": cols(
        ("trial_id", STR, "Registry id of the trial."),
        ("field", STR, "Dotted path of the field concerned, as in provenance; the app's tables show it in words."),
        ("kind", STR, "internal_contradiction, source_conflict, ambiguity, implausible_value or typo."),
        ("origin", STR, "rule:<name> when computed, curated when recorded by a curator."),
        ("message", STR, "What is wrong."),
        ("sources", STR, "Source ids involved, '; '-separated."),
        ("quotes", STR, "The words involved with their receipts, ' | '-separated."),
    ),
}


# one row per trial and characterisation item of the standard that fits its product
TABLES["characterisation"] = cols(
    ("trial_id", STR, "Registry id of the trial."),
    ("product_type", STR, "cells or exosomes: which catalogue the items come from (trialdata/standards.py)."),
    ("standard", STR, "The standard the item comes from (ISCT 2006 minimal criteria, MSC product items, MISEV2018, "
                      "EV dose unit)."),
    ("item_no", INT, "Position of the item in the catalogue (the grid's row order)."),
    ("item", STR, "Item id, as the key in the YAML's characterisation block."),
    ("item_label", STR, "The item in words."),
    ("reported_when", STR, "What counts as reported for this item."),
    ("state", STR, "reported, not_reported, not_applicable or unclear (implied by the words quoted)."),
    ("value", STR, "What the source says about the item; empty when not reported."),
    ("source", STR, "Source id of the headline claim."),
    ("source_role", STR, "primary (the registry record) or secondary."),
    ("locator", STR, "Where in the source (a page address for a secondary source)."),
    ("quote", STR, "Verbatim words of the source (primary sources only)."),
    ("note", STR, "Curator's remark: why this state or value."),
    ("other_claims", STR, "Other claims about the item (other sources), ' | '-separated: state, value (source)."),
)
TABLES |= APPRAISAL_TABLES  # after the record tables, in the order the outputs list them


def empty(table: str) -> pl.DataFrame:
    return pl.DataFrame(schema={c.name: c.dtype for c in TABLES[table]})


def _frame(table: str, rows: list[dict]) -> pl.DataFrame:
    schema = {c.name: c.dtype for c in TABLES[table]}
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else empty(table)


# --- the tables --------------------------------------------------------------------------------------


def _bars(paths) -> str | None:
    """Field paths as one text a path can be found in exactly ("|phase|dates.start|")."""
    paths = sorted(set(paths))
    return "|" + "|".join(paths) + "|" if paths else None


def trial_row(trial: Trial, flags: list[Flag], origin: str = "curated") -> dict:
    iv = trial.interventions
    first = iv[0]
    fu = trial.follow_up.end
    fu_lo, fu_hi = time_window(fu.value, cohorts_of(trial)) if fu.value else (None, None)
    dose = first.dose
    lead = next((o for o in trial.organisations if o.role == "lead_sponsor"), trial.organisations[0])
    target = trial.enrollment.target
    roles = {s.id: s.role.value for s in trial.sources}
    primary = next((s for s in trial.sources if s.role is SourceRole.PRIMARY), None)
    row = {
        "trial_id": trial.trial_id,
        "origin": origin,
        "registry": trial.registry.value,
        "registry_url": trial.registry_url,
        **with_state("title", trial.public_title),
        **with_state("scientific_title", trial.scientific_title),
        "conditions": joined([cell(c.name) for c in trial.conditions]),
        "condition_categories": joined([c.category for c in trial.conditions]),
        "icd10": joined([cell(c.icd10) for c in trial.conditions]),
        **with_state("phase", trial.phase),
        **with_state("status", trial.status),
        **with_state("start_date", trial.dates.start, trial.dates.start.value and trial.dates.start.value.date),
        **with_state("completion_date", trial.dates.completion,
                      trial.dates.completion.value and trial.dates.completion.value.date),
        **with_state("last_update", trial.dates.last_update,
                      trial.dates.last_update.value and trial.dates.last_update.value.date),
        **with_state("update_count", trial.dates.update_count),
        "record_kind": primary.kind.value if primary else None,
        "record_read_on": primary.accessed if primary else None,
        **with_state("target_enrollment", target),
        **with_state("actual_enrollment", trial.enrollment.actual),
        "enrollment_claims": "; ".join(
            f"{text_of(c) or c.state.value} ({c.source or 'no source'})" for c in [target, *target.also]
        ),
        **with_state("product_type", first.product_type, joined([cell(i.product_type) for i in iv])),
        **with_state("cell_source", first.cell_source, joined([cell(i.cell_source) for i in iv])),
        **with_state("donor_type", first.donor, joined([cell(i.donor) for i in iv])),
        **with_state("routes", first.routes, joined([text_of(i.routes) for i in iv])),
        **with_state("n_administrations", first.n_administrations),
        "administrations": "; ".join(administrations_text(i) for i in iv),
        "dose": text_of(dose),
        "dose_min": dose.value.min if dose.value else None,
        "dose_min_state": dose.state.value,
        "dose_max": dose.value.max if dose.value else None,
        "dose_unit": dose.value.unit.value if dose.value else None,
        "dose_basis": dose.value.basis.value if dose.value else None,
        **with_state("follow_up_text", fu, fu.value.text if fu.value else None),
        "follow_up_weeks": fu_lo,
        "follow_up_weeks_max": fu_hi,
        "follow_up_anchor": fu.value.anchor.value if fu.value else None,
        "follow_up_anchor_stated": fu.value.anchor_stated if fu.value else None,
        "follow_up_source": fu.source,
        "follow_up_locator": fu.locator,
        "follow_up_quote": fu.quote,
        **with_state("masking", trial.design.masking),
        **with_state("allocation", trial.design.allocation),
        **with_state("intervention_model", trial.design.intervention_model),
        **with_state("n_arms", trial.design.n_arms),
        **with_state("control", trial.design.control),
        **with_state("purpose", trial.design.purpose),
        **with_state("min_age_years", trial.eligibility.min_age_years),
        **with_state("max_age_years", trial.eligibility.max_age_years),
        **with_state("sex", trial.eligibility.sex),
        **with_state("countries", trial.countries, text_of(trial.countries)),
        **with_state("sponsor", lead.name),
        "n_findings": len(flags),
        "secondary_fields": _bars(dotted(path) for path, claim, headline in iter_claims(trial)
                                  if headline and roles.get(claim.source) == "secondary"),
        "disputed_fields": _bars(f.field for f in flags if f.kind in ("source_conflict", "internal_contradiction")),
        "extracted_by": trial.curation.extracted_by,
        "reviewed_by": trial.curation.reviewed_by,
        "checked_on": trial.curation.checked_on,
        "curation_notes": trial.curation.notes,
    }
    return {c.name: row[c.name] for c in TABLES["trials"]}


def intervention_rows(trial: Trial) -> list[dict]:
    rows = []
    for n, iv in enumerate(trial.interventions, 1):
        d = iv.dose.value
        rows.append({
            "trial_id": trial.trial_id, "intervention": n,
            **with_state("name", iv.name), **with_state("product_type", iv.product_type),
            **with_state("cell_source", iv.cell_source), **with_state("donor_type", iv.donor),
            **with_state("routes", iv.routes, text_of(iv.routes)),
            "dose": text_of(iv.dose), "dose_min": d.min if d else None, "dose_min_state": iv.dose.state.value,
            "dose_max": d.max if d else None, "dose_unit": d.unit.value if d else None,
            "dose_basis": d.basis.value if d else None,
            **with_state("n_administrations", iv.n_administrations), "administrations": administrations_text(iv),
            "n_cohorts": len(iv.schedule), **with_state("co_therapy", iv.co_therapy),
        })
    return rows


def administrations_text(iv: Intervention) -> str:
    """How many administrations, in words a reader can use: "3", "1 (unclear), by 2 routes: intravenous and
    intrathecal", "by cohort: 1, 2 or 3 (interval not stated)"."""
    counts = [len(c.administrations) for c in iv.schedule]
    if len(set(counts)) > 1:
        later = [a for c in iv.schedule for a in c.administrations if a.number > 1]
        unplaced = any(a.time.value is None or a.time.value.amount is None for a in later)
        shown = sorted(set(counts))
        text = (f"by cohort: {', '.join(map(str, shown[:-1]))} or {shown[-1]}"
                + (" (interval not stated)" if unplaced else ""))
    else:
        n = iv.n_administrations
        text = (str(n.value) + (" (unclear)" if n.state is State.UNCLEAR else "")) if n.value else label(n.state.value)
    routes = [label(r.value) for r in iv.routes.value or []]
    if len(routes) > 1:
        text += f", by {len(routes)} routes: {' and '.join(routes)}"
    return text


def administration_rows(trial: Trial) -> list[dict]:
    rows = []
    for n, iv in enumerate(trial.interventions, 1):
        d = iv.dose.value
        for cohort in iv.schedule:
            for adm in cohort.administrations:
                t = adm.time
                tp = t.value  # the schema keeps amount and unit together
                week = to_weeks(tp.amount, tp.unit) if tp and tp.amount is not None and tp.unit is not None else None
                rows.append({
                    "trial_id": trial.trial_id, "intervention": n, "cohort": cohort.label,
                    "cohort_participants": cell(cohort.participants), "number": adm.number,
                    "week": week, "week_state": t.state.value,
                    "time_text": t.value.text if t.value else t.note,
                    "dose": text_of(iv.dose), "dose_state": iv.dose.state.value, "dose_min": d.min if d else None,
                    "dose_max": d.max if d else None, "unit": d.unit.value if d else None,
                    "route": text_of(iv.routes), "source": t.source, "locator": t.locator, "quote": t.quote,
                    "dose_source": iv.dose.source, "dose_locator": iv.dose.locator, "dose_quote": iv.dose.quote,
                })
    return rows


def outcome_rows(trial: Trial) -> list[dict]:
    return [{
        "trial_id": trial.trial_id, "outcome": n, "kind": o.kind.value, "domain": o.domain.value,
        **with_state("measure", o.measure), **with_state("method", o.method),
        **with_state("time_frame", o.time_frame), "n_time_points": len(o.time_points),
        "source": o.measure.source, "locator": o.measure.locator, "quote": o.measure.quote,
    } for n, o in enumerate(trial.outcomes, 1)]


def assessment_rows(trial: Trial) -> list[dict]:
    rows, cohorts = [], cohorts_of(trial)
    for n, o in enumerate(trial.outcomes, 1):
        tf = o.time_frame
        base = {"trial_id": trial.trial_id, "outcome": n, "kind": o.kind.value, "domain": o.domain.value,
                "measure": cell(o.measure), "source": tf.source, "locator": tf.locator, "quote": tf.quote}
        if not o.time_points:  # keep the outcome visible with its unplaced time frame
            rows.append({**base, "time_text": cell(o.time_frame), "anchor": None, "anchor_stated": None,
                         "weeks": None, "weeks_max": None})
        for tp in o.time_points:
            lo, hi = time_window(tp, cohorts)
            rows.append({**base, "time_text": tp.text, "anchor": tp.anchor.value,
                         "anchor_stated": tp.anchor_stated, "weeks": lo, "weeks_max": hi})
    return rows


def source_rows(trial: Trial) -> list[dict]:
    return [{"trial_id": trial.trial_id, "source_id": s.id, "kind": s.kind.value, "role": s.role.value,
             "title": s.title, "url": s.url, "file": s.file, "accessed": s.accessed,
             "citation": s.citation} for s in trial.sources]


def provenance_rows(trial: Trial) -> list[dict]:
    roles = {s.id: s.role for s in trial.sources}
    rows = []
    for path, claim, is_headline in iter_claims(trial):
        role = roles.get(claim.source)
        rows.append({
            "trial_id": trial.trial_id, "field": dotted(path if is_headline else path[:-2]),
            "claim": "headline" if is_headline else "also",
            "state": claim.state.value, "value": text_of(claim), "source": claim.source,
            "source_role": role.value if isinstance(role, SourceRole) else None,
            "locator": claim.locator, "quote": claim.quote, "note": claim.note,
        })
    return rows


def publication_rows(trial: Trial) -> list[dict]:
    cites = {s.id: s.citation or s.title for s in trial.sources}
    return [{"trial_id": trial.trial_id, "source_id": p.source, "citation": cites.get(p.source), "doi": p.doi,
             "pmid": p.pmid, "link": p.link, "reports": p.reports, "text_held": p.text_held}
            for p in trial.publications]


# WHO Trial Registration Data Set v1.3.1: item number, name, and the fields (dotted-path prefixes) behind it
WHO_TRDS: list[tuple[int, str, tuple[str, ...]]] = [
    (1, "Primary registry and trial identifying number", ()),
    (2, "Date of registration in primary registry", ("dates.registration",)),
    (3, "Secondary identifying numbers", ("secondary_ids",)),
    (4, "Source(s) of monetary or material support", ("organisations[*].funder_type", "organisations[*].sector")),
    (5, "Primary sponsor", ("organisations[0].name",)),
    (6, "Secondary sponsor(s)", ("organisations[1].name", "organisations[2].name")),
    (7, "Contact for public queries", ("reporting.public_contact",)),
    (8, "Contact for scientific queries", ("reporting.scientific_contact",)),
    (9, "Public title", ("public_title",)),
    (10, "Scientific title", ("scientific_title",)),
    (11, "Countries of recruitment", ("countries",)),
    (12, "Health condition(s) or problem(s) studied", ("conditions[*].name",)),
    (13, "Intervention(s)", ("interventions[*].name", "interventions[*].dose", "interventions[*].routes")),
    (14, "Key inclusion and exclusion criteria", ("eligibility.inclusion", "eligibility.exclusion")),
    (15, "Study type", ("design.study_type", "design.allocation", "design.masking")),
    (16, "Date of first enrollment", ("dates.start",)),
    (17, "Sample size", ("enrollment.target",)),
    (18, "Recruitment status", ("status",)),
    (19, "Primary outcome(s)", ("outcomes[primary].measure",)),
    (20, "Key secondary outcomes", ("outcomes[secondary].measure",)),
    (21, "Ethics review", ("dates.ethics_approval",)),
    (22, "Completion date", ("dates.completion",)),
    (23, "Summary results", ("reporting.summary_results",)),
    (24, "IPD sharing statement", ("reporting.ipd_sharing",)),
]


def _field_key(trial: Trial, path: tuple) -> str:
    """Dotted path with list indexes generalised: organisations[*] / outcomes[primary] for matching."""
    out = dotted(path)
    if path[0] == "outcomes":
        out = out.replace(f"outcomes[{path[1]}]", f"outcomes[{trial.outcomes[path[1]].kind.value}]", 1)
    return out


def reporting_rows(trial: Trial) -> list[dict]:
    """One row per WHO TRDS item: is it in the primary record, only in a secondary source, or missing?"""
    roles = {s.id: s.role for s in trial.sources}
    claims = [(_field_key(trial, p), c) for p, c, _ in iter_claims(trial)]
    rows = []
    for no, name, fields in WHO_TRDS:
        def matches(key: str, pattern: str) -> bool:
            if "[*]" in pattern:
                head, tail = pattern.split("[*]")
                return key.startswith(head + "[") and key.split("]", 1)[1].startswith(tail)
            return key == pattern or key.startswith(pattern + ".") or key.startswith(pattern + "[")
        hits = [c for key, c in claims if any(matches(key, f) for f in fields)]
        statuses = set()
        for c in hits:
            if c.state is State.REPORTED:
                primary = roles.get(c.source) is SourceRole.PRIMARY
                statuses.add(ReportingStatus.IN_RECORD if primary else ReportingStatus.SECONDARY_ONLY)
            else:  # unclear, not_applicable and not_reported are spelled the same in both vocabularies
                statuses.add(ReportingStatus(c.state.value))
        # the trial's id (item 1) is in every record; otherwise the best status any claim gives the item
        status = ReportingStatus.IN_RECORD if no == 1 else min(statuses, default=ReportingStatus.NOT_REPORTED,
                                                               key=list(ReportingStatus).index)
        evidence = joined([f"{c.source}" for c in hits if c.state is State.REPORTED]) or None
        rows.append({"trial_id": trial.trial_id, "item_no": no, "item": name, "status": status.value,
                     "evidence": f"sources: {evidence}" if evidence else None})
    return rows


def flag_rows(flags: list[Flag]) -> list[dict]:
    return [{
        "trial_id": f.trial_id, "field": f.field, "kind": f.kind, "origin": f.origin, "message": f.message,
        "sources": joined([q.source for q in f.quotes]),
        "quotes": " | ".join(f'{q.source} · {q.locator}' + (f': "{q.quote}"' if q.quote else "")
                             for q in f.quotes),
    } for f in flags]


def characterisation_rows(trial: Trial) -> list[dict]:
    """One row per characterisation item of each product block the trial has (none when it has no block)."""
    if trial.characterisation is None:
        return []
    roles = {s.id: s.role.value for s in trial.sources}
    rows = []
    for product in ProductType:
        block = getattr(trial.characterisation, product.value)
        if block is None:
            continue
        for item in standards.items_of(product):
            claim = getattr(block, item.id)
            rows.append({
                "trial_id": trial.trial_id, "product_type": product.value,
                "standard": standards.STANDARDS[item.standard].name, "item_no": standards.ITEMS.index(item) + 1,
                "item": item.id, "item_label": item.label, "reported_when": item.reported_when,
                "state": claim.state.value, "value": claim.value, "source": claim.source,
                "source_role": roles.get(claim.source), "locator": claim.locator, "quote": claim.quote,
                "note": claim.note,
                "other_claims": " | ".join(f"{label(c.state.value)}{f', {c.value}' if c.value else ''} ({c.source})"
                                           for c in claim.also) or None,
            })
    return rows


def build_tables(trials: list[Trial], user_supplied: frozenset[str] = frozenset()) -> dict[str, pl.DataFrame]:
    """Every table of the dataset, keyed by name (the Parquet and CSV file names)."""
    trials = sorted(trials, key=lambda t: t.trial_id)
    flags = {t.trial_id: findings(t) for t in trials}
    rows = {
        "trials": [trial_row(t, flags[t.trial_id], "user-supplied" if t.trial_id in user_supplied else "curated")
                   for t in trials],
        "interventions": [r for t in trials for r in intervention_rows(t)],
        "administrations": [r for t in trials for r in administration_rows(t)],
        "outcomes": [r for t in trials for r in outcome_rows(t)],
        "assessments": [r for t in trials for r in assessment_rows(t)],
        "sources": [r for t in trials for r in source_rows(t)],
        "publications": [r for t in trials for r in publication_rows(t)],
        "reporting": [r for t in trials for r in reporting_rows(t)],
        "provenance": [r for t in trials for r in provenance_rows(t)],
        "flags": flag_rows([f for t in trials for f in flags[t.trial_id]]),
        "characterisation": [r for t in trials for r in characterisation_rows(t)],
    }
    rows |= appraisal_rows(trials)
    frames = {name: _frame(name, rows[name]) for name in TABLES}
    return frames | appraisal_frames(frames)


def data_dictionary() -> pl.DataFrame:
    """table, column, type, description: one row per column of every table, and of changes.csv (what changed
    between two versions: `python -m trialdata diff`, the bundle, the What changed page)."""
    return pl.DataFrame(
        [(t, c.name, str(c.dtype), c.doc) for t, cols in (TABLES | {"changes": CHANGES}).items() for c in cols],
        schema={"table": STR, "column": STR, "type": STR, "description": STR}, orient="row",
    )



