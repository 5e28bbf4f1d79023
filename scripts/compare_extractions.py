"""Compare the curated YAML with an independent second extraction, field by field (docs/curation.md, 'Dual
extraction').

The second reviewer fills `docs/review/TEMPLATE.yaml` for each trial from the record, the supplementary facts and
the protocol alone (never the curated YAML), into `docs/review/<TRIAL_ID>.yaml`. This script reads both and prints,
as Markdown: the agreement on the state of each field (per cent and Cohen's kappa), the agreement on the value
where both give one and the field is coded (a vocabulary code, a number, a date), and every disagreement, for the
curator to settle against the record's words. Free-text values (titles, names, co-therapy) are compared by state
only: their wording differs without their meaning differing.

    python scripts/compare_extractions.py [--review docs/review] [--data data]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from trialdata.load import load_trials  # noqa: E402
from trialdata.schema import Claim, Trial, display  # noqa: E402


def _read(trial: Trial, path: str) -> tuple[str, object]:
    """The state and value of the claim at a dotted path ("interventions.0.dose"); a list that is empty is
    not reported."""
    node: object = trial
    for part in path.split("."):
        if isinstance(node, list):
            if not node:
                return "not_reported", None
            node = node[int(part)]
        else:
            node = getattr(node, part)
    assert isinstance(node, Claim), path
    return node.state.value, node.value


def _char(trial: Trial, item: str) -> tuple[str, object] | None:
    block = trial.characterisation
    for part in (block.cells, block.exosomes) if block else ():
        if part is not None and item in type(part).model_fields:
            claim = getattr(part, item)
            return claim.state.value, claim.value
    return None  # the item does not fit the product: not compared


DATES = ("registration", "ethics_approval", "start", "recruitment_end", "primary_completion", "completion")
DESIGN = ("study_type", "allocation", "intervention_model", "n_arms", "masking", "masked_roles", "control", "placebo",
          "purpose")
# template field -> (dotted path in a curated trial, whether its value is coded and so compared)
FIELDS: dict[str, tuple[str, bool]] = {
    "public_title": ("public_title", False), "scientific_title": ("scientific_title", False),
    "secondary_ids": ("secondary_ids", False), "condition": ("conditions.0.name", False),
    "sponsor": ("organisations.0.name", False), "funder_type": ("organisations.0.funder_type", True),
    "funding_share": ("organisations.0.funding_share_percent", False), "countries": ("countries", True),
    "site_city": ("sites.0.city", True), "status": ("status", True),
    **{f"date_{d}": (f"dates.{d}", True) for d in DATES},
    "phase": ("phase", True),
    **{k: (f"design.{k}", True) for k in DESIGN},
    **{k: (f"eligibility.{k}", True) for k in ("min_age_years", "max_age_years", "sex", "healthy_volunteers")},
    "enrollment_target": ("enrollment.target", True), "enrollment_actual": ("enrollment.actual", True),
    "intervention_name": ("interventions.0.name", False),
    **{k: (f"interventions.0.{k}", True) for k in ("product_type", "cell_source", "donor", "routes",
                                                    "n_administrations")},
    "dose": ("interventions.0.dose", False), "co_therapy": ("interventions.0.co_therapy", False),
    "follow_up_end": ("follow_up.end", False),
    "public_contact": ("reporting.public_contact", True), "scientific_contact": ("reporting.scientific_contact", True),
    "ipd_sharing": ("reporting.ipd_sharing", False), "summary_results_posted": ("reporting.summary_results", True),
    "prospectively_registered": ("dates.registration_timing", False),
}
CHARACTERISATION = ("isct_plastic_adherence", "isct_positive_markers", "isct_negative_markers", "isct_trilineage",
                    "tissue_source", "donor_type", "donor_age_sex", "passage", "fresh_or_cryopreserved", "viability",
                    "potency_release", "dose_per_kg", "doses_and_interval", "route", "vehicle", "manufacturer",
                    "ev_source_cells", "ev_source_amount", "ev_isolation", "ev_quantity_two_measures",
                    "ev_quantity_ratio", "ev_markers", "ev_contaminants", "ev_imaging", "ev_non_imaging",
                    "ev_dose_unit")


def normal(value: object) -> str:
    """A value in a form two extractions can be compared in: codes and words lower-cased, lists sorted, dates with
    their type, numbers without a trailing .0."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(sorted(normal(v) for v in value))
    if hasattr(value, "date") and hasattr(value, "type"):
        return f"{value.date} {value.type.value}"
    text = display(value) if not isinstance(value, str | bool | int | float) else str(value)
    text = re.sub(r"\.0$", "", text.strip().lower())
    return {"true": "true", "false": "false", "intra-articular": "intra_articular"}.get(text, text)


def kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of two raters' categories (here, the four states)."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first) / n ** 2
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def compare(trial: Trial, review: dict) -> list[dict]:
    rows = []
    fields = review["fields"]
    read = [(name, _read(trial, path), coded) for name, (path, coded) in FIELDS.items()]
    read += [(item, _char(trial, item), False) for item in CHARACTERISATION]
    for name, ours, coded in read:
        theirs = fields.get(name) or {}
        if ours is None:
            continue  # a characterisation item that does not fit the product
        state, value = ours
        their_state = theirs.get("state", "(none)")
        row = {"trial": trial.trial_id, "field": name, "ours": state, "theirs": their_state,
               "state_agrees": state == their_state, "value_agrees": None,
               "our_value": normal(value), "their_value": normal(theirs.get("value"))}
        if coded and value is not None and theirs.get("value") is not None:
            row["value_agrees"] = row["our_value"] == row["their_value"]
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--review", type=Path, default=ROOT / "docs" / "review")
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    args = parser.parse_args(argv)
    trials = {t.trial_id: t for t in load_trials(args.data)}
    rows = []
    for path in sorted(args.review.glob("*.yaml")):
        if path.stem in trials:
            rows += compare(trials[path.stem], yaml.safe_load(path.read_text(encoding="utf-8")))
    if not rows:
        print(f"no second extraction in {args.review} matches a trial in {args.data}", file=sys.stderr)
        return 1
    states = [(r["ours"], r["theirs"]) for r in rows]
    valued = [r for r in rows if r["value_agrees"] is not None]
    print("| trial | fields | state agrees | value agrees (coded, both given) |")
    print("|---|---|---|---|")
    for tid in sorted({r["trial"] for r in rows}):
        mine = [r for r in rows if r["trial"] == tid]
        vals = [r for r in mine if r["value_agrees"] is not None]
        print(f"| {tid} | {len(mine)} | {sum(r['state_agrees'] for r in mine)} "
              f"| {sum(r['value_agrees'] for r in vals)} of {len(vals)} |")
    agree = sum(r["state_agrees"] for r in rows)
    print(f"| all | {len(rows)} | {agree} ({100 * agree / len(rows):.0f} %, kappa {kappa(states):.2f}) "
          f"| {sum(r['value_agrees'] for r in valued)} of {len(valued)} "
          f"({100 * sum(r['value_agrees'] for r in valued) / len(valued):.0f} %) |")
    print("\nDisagreements (curated / second reviewer):\n")
    for r in rows:
        if not r["state_agrees"] or r["value_agrees"] is False:
            what = (f"state {r['ours']} / {r['theirs']}" if not r["state_agrees"] else
                    f"value {r['our_value']!r} / {r['their_value']!r}")
            print(f"- {r['trial']} `{r['field']}`: {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
