"""Regenerate invalid_*.yaml from valid_minimal.yaml: each breaks exactly one rule.

Each file's second line records where the validator must report it (line, field, message words),
which tests/test_examples.py checks. Run after editing valid_minimal.yaml:
    python tests/examples/generate_invalid.py
"""

from pathlib import Path

HERE = Path(__file__).parent
SRC = (HERE / "valid_minimal.yaml").read_text()


def sub(old: str, new: str) -> str:
    assert SRC.count(old) == 1, old
    return SRC.replace(old, new)


ACTUAL = "  actual: {state: not_reported}"
DOSE = "{min: 2000000, max: 2000000,"
N_ADM = ("n_administrations: {state: unclear, value: 1, source: rec, locator: Route, "
         "quote: 2 x 10^6 cells/kg on day 1}")
START = '  start: {state: reported, value: {date: "2024-02-30", type: actual}, source: rec, locator: Route}'

RESULT = """results:
  - source: rec
    outcome: adverse events
    time_point: 6 months
    group: all participants
    n_analysed: {state: not_reported}
    baseline: {state: reported, value: {estimate: mean, value: 2.0, spread: 1.0}, source: rec, locator: Results}
    follow_up: {state: not_reported}
    p_value: {state: not_reported}
    statement: {state: not_applicable}
"""

# rule -> (text, start of the line the problem must point at (None: any), field, words of the message)
CASES = {
    "unknown_key": (sub(ACTUAL, ACTUAL + "\n  actaul: 3"), "  actaul: 3", "enrollment.actaul", "Extra inputs"),
    "reported_without_source": (sub("value: 12\n    source: rec\n", "value: 12\n"), "  target:",
                                "enrollment.target", "needs source"),
    "not_reported_with_value": (sub(ACTUAL, "  actual: {state: not_reported, value: 0}"),
                                "  actual: {state: not_reported, value: 0}", "enrollment.actual",
                                "must not carry a value"),
    "unclear_without_quote": (sub(N_ADM, "n_administrations: {state: unclear, value: 1}"),
                              "    n_administrations: {state: unclear, value: 1}",
                              "interventions[0].n_administrations", "needs the quote"),
    "quote_not_in_source": (sub('quote: "Target sample size: 12"', 'quote: "Target sample size: 21"'),
                            '    quote: "Target sample size: 21"', "enrollment.target.quote", "quote not found"),
    "unknown_source": (sub("value: 12\n    source: rec\n", "value: 12\n    source: nowhere\n"),
                       "    source: nowhere", "enrollment.target.source", "unknown source"),
    "enum_value": (sub("value: [intravenous]", "value: [intravenously]"),
                   "    routes: {state: reported, value: [intravenously]", "interventions[0].routes.value[0]",
                   "Input should be"),
    "impossible_date": (sub("  start: {state: not_reported}", START), "  start: {state: reported",
                        "dates.start.value.date", "day is out of range"),
    "duplicate_key": (sub(ACTUAL, ACTUAL + "\n" + ACTUAL), ACTUAL + "\n" + ACTUAL, "(yaml)", "duplicate key"),
    "yaml_syntax": (sub(ACTUAL, ACTUAL[:-1]), ACTUAL[:-1], "(yaml)", "did not find expected"),
    "id_format": (sub("trial_id: NCT01234567", "trial_id: NCT1234"), "trial_id: NCT1234", "trial_id",
                  "is not a ClinicalTrials.gov id"),
    "dose_range": (sub(DOSE, "{min: 3000000, max: 2000000,"), "    dose: {state: reported",
                   "interventions[0].dose.value", "min is larger than max"),
    "missing_field": (sub("phase: {state: not_reported}\n", ""), "registry: ClinicalTrials.gov", "phase",
                      "Field required"),
    "wrong_type": (sub("    value: 12\n", "    value: twelve\n"), "    value: twelve", "enrollment.target.value",
                   "valid integer"),
    "negative_dose": (sub(DOSE, "{min: -5, max: 2000000,"), "    dose: {state: reported",
                      "interventions[0].dose.value.min", "greater than 0"),
    # a published result's "+/-" figure must say what it is (SD, SE, IQR or not_stated)
    "spread_without_kind": (SRC + RESULT, "    baseline: {state: reported", "results[0].baseline.value",
                            "spread and spread_kind go together"),
}

# a characterisation block with every item of the cell catalogue, and one misspelt item id ("viabilty")
CELL_ITEMS = [
    "isct_plastic_adherence", "isct_positive_markers", "isct_negative_markers", "isct_trilineage", "tissue_source",
    "donor_type", "donor_age_sex", "passage", "fresh_or_cryopreserved", "viability", "potency_release",
    "dose_per_kg", "doses_and_interval", "route", "vehicle", "manufacturer",
]
CHARACTERISATION = "characterisation:\n  cells:\n" + "".join(
    f"    {item}: {{state: not_reported}}\n" for item in CELL_ITEMS) + "    viabilty: {state: not_reported}\n"
CASES["characterisation_item"] = (SRC + CHARACTERISATION, "    viabilty:", "characterisation.cells.viabilty",
                                  "Extra inputs")

OFFSET = {"duplicate_key": 1, "yaml_syntax": 1}  # PyYAML notices these on the line after the marker


def main() -> None:
    for rule, (text, marker, field, message) in CASES.items():
        lines = text.splitlines()
        start = text.index(marker)
        line = text[:start].count("\n") + 1 + 2 + OFFSET.get(rule, 0)  # 2 header lines go on top
        header = [f"# invalid: breaks one rule ({rule.replace('_', ' ')})",
                  f"# expect: line={line} field={field} message={message}"]
        (HERE / f"invalid_{rule}.yaml").write_text("\n".join(header + lines) + "\n")


if __name__ == "__main__":
    main()
