"""Regenerate the hostile corpus: every file here must be rejected with a clear message, never a traceback.

    python tests/hostile/generate.py

YAML files are built from tests/examples/valid_minimal.yaml, JSON files from the ClinicalTrials.gov
fixture, each changed in one hostile way. (The file too large to commit is made by the tests.)
"""

import json
from pathlib import Path

HERE = Path(__file__).parent
BASE = (HERE.parent / "examples" / "valid_minimal.yaml").read_text()
STUDY = json.loads((HERE.parent / "fixtures" / "ctgov" / "NCT09000001.json").read_text())
TITLE = "public_title: {state: reported, value: Bone marrow cells in example disease, source: rec, " \
        "locator: Public title, quote: Bone marrow cells in example disease}"


def sub(old: str, new: str) -> str:
    assert BASE.count(old) == 1, old
    return BASE.replace(old, new)


def title(value: str) -> str:
    return sub(TITLE, "public_title: {state: reported, value: " + json.dumps(value) + ", source: rec, "
               "locator: Public title, quote: Bone marrow cells in example disease}")


TARGET = "    value: 12\n"
DOSE = "{min: 2000000, max: 2000000,"
START = "  start: {state: not_reported}"
COMPLETION = "  completion: {state: not_reported}"
BOMB = "\n".join(["a: &a [x, x, x, x, x, x, x, x, x, x]"]
                 + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
                    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
                    f"*{chr(97 + i)}, *{chr(97 + i)}]" for i in range(8)]) + "\n"

YAML = {
    "syntax_unclosed_flow": sub("  actual: {state: not_reported}", "  actual: {state: not_reported"),
    "syntax_bad_indent": sub("  actual: {state: not_reported}", "   actual: {state: not_reported}\n bad: 1"),
    "syntax_tab_indent": sub("  actual: {state: not_reported}", "\tactual: {state: not_reported}"),
    "empty": "",
    "only_a_comment": "# nothing here\n",
    "top_level_list": "- a\n- b\n",
    "top_level_scalar": "just text\n",
    "wrong_type_target": sub(TARGET, "    value: twelve\n"),
    "wrong_type_state": sub("  actual: {state: not_reported}", "  actual: {state: [not_reported]}"),
    "wrong_type_conditions": sub("conditions:\n", "conditions: 7\nx_conditions:\n"),
    "unknown_key_top": BASE + "colour: red\n",
    "unknown_key_nested": sub("  actual: {state: not_reported}", "  actual: {state: not_reported, guess: 3}"),
    "duplicate_key": sub("  actual: {state: not_reported}",
                         "  actual: {state: not_reported}\n  actual: {state: not_reported}"),
    "alias_bomb": BOMB,
    "deep_nesting": "x: " + "[" * 200 + "]" * 200 + "\n",
    "negative_enrollment": sub(TARGET, "    value: -5\n"),
    "huge_enrollment": sub(TARGET, "    value: 1000000000000\n"),
    "nan_dose": sub(DOSE, "{min: .nan, max: 2000000,"),
    "infinite_dose": sub(DOSE, "{min: 2000000, max: .inf,"),
    "inverted_dates": sub(START, '  start: {state: reported, value: {date: "2024-05-01", type: actual}, source: rec, '
                          'locator: Route, quote: on day 1}').replace(
        COMPLETION, '  completion: {state: reported, value: {date: "2020-01-01", type: actual}, source: rec, '
                    'locator: Route, quote: on day 1}'),
    "impossible_date": sub(START, '  start: {state: reported, value: {date: "2023-02-29", type: actual}, '
                           'source: rec, locator: Route}'),
    "quote_not_in_source": sub('quote: "Target sample size: 12"', 'quote: "Target sample size: 120"'),
    "unknown_source_id": sub("    value: 12\n    source: rec\n", "    value: 12\n    source: elsewhere\n"),
    "impossible_unit": sub("unit: cells/kg", "unit: furlongs"),
    "impossible_time_unit": sub("amount: 6, unit: months, anchor: last_dose", "amount: 6, unit: fortnights, anchor: last_dose"),
    "path_traversal_source_file": sub("file: example_record.txt", "file: ../../../etc/passwd"),
    "path_traversal_trial_id": sub("trial_id: NCT01234567", "trial_id: ../NCT01234567"),
    "javascript_source_url": sub("title: Example registry record, file:", "title: Example registry record, url: 'javascript:alert(1)', file:"),
    "html_script_title": title("<script>alert(1)</script>"),
    "html_img_onerror_title": title('<img src=x onerror="alert(1)">'),
    "html_event_handler_note": sub("  actual: {state: not_reported}", '  actual: {state: not_reported, note: "<b onmouseover=alert(1)>x</b>"}'),
    "markdown_link_title": title("[see here](javascript:alert(1))"),
    "markdown_image_title": title("![x](http://tracker.example/pixel.png)"),
    "formula_equals_title": title('=HYPERLINK("http://evil.example","click")'),
    "formula_plus_title": title("+cmd|' /C calc'!A0"),
    "formula_minus_title": title("-2+3+cmd|' /C calc'!A0"),
    "formula_at_title": title("@SUM(1+1)*cmd|' /C calc'!A0"),
    "formula_tab_title": title("\t=1+1"),
    "formula_cr_title": title("\r=1+1"),
    "python_object_tag": sub("  actual: {state: not_reported}", "  actual: !!python/object/apply:os.system [echo pwned]"),
    "nul_in_text": title("Bone marrow\u0000cells"),
    "negative_age": sub("  min_age_years: {state: not_reported}", "  min_age_years: {state: reported, value: -3, source: rec, locator: Route}"),
}

# file -> words its rejection must contain (the reason, not just any failure)
EXPECT = {
    "syntax_unclosed_flow": "did not find expected", "syntax_bad_indent": "did not find expected key",
    "syntax_tab_indent": "cannot start any token", "empty": "expected a mapping", "only_a_comment": "expected a mapping",
    "top_level_list": "expected a mapping", "top_level_scalar": "expected a mapping",
    "wrong_type_target": "valid integer", "wrong_type_state": "Input should be 'reported'",
    "wrong_type_conditions": "valid list", "unknown_key_top": "Extra inputs", "unknown_key_nested": "Extra inputs",
    "duplicate_key": "duplicate key", "alias_bomb": "expands to more than", "deep_nesting": "nested more than",
    "negative_enrollment": "greater than or equal to 0", "huge_enrollment": "less than or equal to",
    "nan_dose": "finite number", "infinite_dose": "finite number", "inverted_dates": "is before start",
    "impossible_date": "day is out of range", "quote_not_in_source": "quote not found",
    "unknown_source_id": "unknown source", "impossible_unit": "Input should be 'cells'",
    "impossible_time_unit": "Input should be 'days'", "path_traversal_source_file": "should match pattern",
    "path_traversal_trial_id": "is not a ClinicalTrials.gov id", "javascript_source_url": "should match pattern",
    "html_script_title": "markup", "html_img_onerror_title": "markup", "html_event_handler_note": "markup",
    "markdown_link_title": "markup or a link", "markdown_image_title": "markup or a link",
    "formula_equals_title": "formula", "formula_plus_title": "formula", "formula_minus_title": "formula",
    "formula_at_title": "formula", "formula_tab_title": "formula", "formula_cr_title": "formula",
    "python_object_tag": "could not determine a constructor", "nul_in_text": "NUL",
    "negative_age": "greater than or equal to 0",
    "binary": "not UTF-8", "latin1": "not UTF-8", "utf16": "not UTF-8",
    "json_syntax_error": "Expecting", "json_empty": "Expecting value", "json_top_level_array": "expected a study",
    "json_studies_not_a_list": "expected a study", "json_wrong_nct": "not an NCT number",
    "json_path_traversal_nct": "not an NCT number", "json_script_title": "markup", "json_formula_title": "formula",
    "json_markdown_image_measure": "markup or a link", "json_negative_count": "greater than or equal to 0",
    "json_huge_count": "less than or equal to", "json_nan_count": "finite number",
    "json_inverted_dates": "is before start", "json_deep_nesting": "nested too deeply",
}

BINARY = {
    "binary.yaml": bytes(range(256)) * 4,
    "latin1.yaml": BASE.replace("example disease", "maladie exemple é").encode("latin-1"),
    "utf16.yaml": BASE.encode("utf-16"),
}


def study(**changes) -> dict:
    doc = json.loads(json.dumps(STUDY))
    for path, value in changes.items():
        node = doc
        *parents, last = path.split(".")
        for p in parents:
            node = node[p]
        node[last] = value
    return doc


JSON_FILES = {
    "json_syntax_error": '{"protocolSection": {',
    "json_empty": "",
    "json_top_level_array": [1, 2, 3],
    "json_studies_not_a_list": {"studies": 5},
    "json_wrong_nct": study(**{"protocolSection.identificationModule.nctId": "NCT123"}),
    "json_path_traversal_nct": study(**{"protocolSection.identificationModule.nctId": "../../etc/passwd"}),
    "json_script_title": study(**{"protocolSection.identificationModule.briefTitle": "<script>alert(1)</script>"}),
    "json_formula_title": study(**{"protocolSection.identificationModule.briefTitle": "=1+1"}),
    "json_markdown_image_measure": study(**{"protocolSection.outcomesModule.primaryOutcomes": [
        {"measure": "![x](http://tracker.example/p.png)", "timeFrame": "12 weeks"}]}),
    "json_negative_count": study(**{"protocolSection.designModule.enrollmentInfo": {"count": -1, "type": "ESTIMATED"}}),
    "json_huge_count": study(**{"protocolSection.designModule.enrollmentInfo": {"count": 10**30, "type": "ESTIMATED"}}),
    "json_nan_count": '{"protocolSection": {"identificationModule": {"nctId": "NCT09000001"}, '
                      '"designModule": {"enrollmentInfo": {"count": NaN, "type": "ESTIMATED"}}}}',
    "json_inverted_dates": study(**{"protocolSection.statusModule.startDateStruct": {"date": "2026-01-01", "type": "ACTUAL"},
                                    "protocolSection.statusModule.completionDateStruct": {"date": "2020-01-01"}}),
    "json_deep_nesting": '{"protocolSection": ' + "[" * 5000 + "]" * 5000 + "}",
}


def main() -> None:
    for old in HERE.glob("*.yaml"):
        old.unlink()
    for old in HERE.glob("*.json"):
        old.unlink()
    for name, text in YAML.items():
        (HERE / f"{name}.yaml").write_text(text, encoding="utf-8", newline="")
    for name, raw in BINARY.items():
        (HERE / name).write_bytes(raw)
    for name, doc in JSON_FILES.items():
        text = doc if isinstance(doc, str) else json.dumps(doc, indent=1)
        (HERE / f"{name}.json").write_text(text, encoding="utf-8")
    dup = HERE / "duplicate_ids"
    dup.mkdir(exist_ok=True)
    for name in ("NCT01234567.yaml", "also_NCT01234567.yaml"):
        (dup / name).write_text(BASE, encoding="utf-8")
    lines = [f"{name}\t{words}" for name, words in sorted(EXPECT.items())]
    (HERE / "EXPECTED.tsv").write_text("file\twords\n" + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
