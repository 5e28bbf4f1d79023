"""`python -m trialdata watch`: the registry's current record against the curated one.

The comparison is tested on drafts of the recorded answers (tests/fixtures/ctgov_api/, test fixtures built from the
held records) with no network; the client and the command against a server on the loopback address that serves
those answers and the failures (404, 500 then success, a slow answer, malformed JSON, an oversized body).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import polars as pl
import pytest
import yaml

from trialdata import watch
from trialdata.ctgov import drafts
from trialdata.figures import PATTERNS
from trialdata.registry_client import USER_AGENT, Fetched, FetchFailed, Manners, RegistryClient
from trialdata.schema import Reported, State, Trial, TrialDate
from trialdata.views.findings import findings_figure
from trialdata.vocab import FINDING_COLOURS, SKY, FindingKind, Status

from .conftest import DATA, cli_run

RECORDED = Path(__file__).parent / "fixtures" / "ctgov_api"
TODAY = "2026-12-07"
QUICK = Manners(timeout=0.3, retries=2, backoff=0.01, max_wait=0.05, pause=0.0, max_bytes=200_000)


def registry_draft(name: str) -> Trial:
    made, problems = drafts(name, (RECORDED / name).read_bytes(), TODAY)
    assert problems == [] and len(made) == 1
    return made[0].trial


def verdicts(curated: Trial, registry: Trial) -> dict[str, str]:
    return {c.question: c.verdict for c in watch.compare(curated, registry)}


def moved(curated: Trial, registry: Trial) -> dict[str, str]:
    """The questions whose answer is not `unchanged`."""
    return {q: v for q, v in verdicts(curated, registry).items() if v != watch.UNCHANGED}


@pytest.fixture(scope="module")
def curated(trials) -> dict[str, Trial]:
    return {t.trial_id: t for t in trials}


# --- the comparison, with no network --------------------------------------------------------------------


@pytest.mark.parametrize("trial_id, new", [
    ("NCT06466850", {"results posted on the registry": "new"}),  # the held record is silent on results
    ("NCT00962923", {"results posted on the registry": "new"}),
    ("NCT06574581", {}),  # a secondary page says no results are posted, as the registry does
])
def test_the_record_as_held_is_unchanged_on_every_question_it_answers(curated, trial_id, new):
    assert moved(curated[trial_id], registry_draft(f"{trial_id}.json")) == new


def test_a_changed_record_is_marked_field_by_field_with_both_receipts(curated):
    trial = curated["NCT06466850"]
    rows = {c.question: c for c in watch.compare(trial, registry_draft("NCT06466850_changed.json"))}
    assert {q: c.verdict for q, c in rows.items() if c.verdict != watch.UNCHANGED} == {
        "overall status": "changed", "enrolment and its type": "changed", "primary completion date": "new",
        "completion date": "changed", "primary outcomes, measure and time frame": "changed",
        "results posted on the registry": "new", "last update posted": "new"}  # the mirror held shows no update
    status = rows["overall status"]
    assert (status.curated.value, status.curated.source, status.curated.locator, status.curated.quote) == (
        "recruiting", "veeva", "Status", "Status Enrolling")
    assert (status.registry.value, status.registry.locator) == (
        "completed", "protocolSection.statusModule.overallStatus")
    assert rows["enrolment and its type"].curated.value == "20 (anticipated)"
    assert rows["enrolment and its type"].registry.value == "18 (actual)"
    assert rows["completion date"].registry.value == "2026-09-30 (actual)"
    # the mirror held shows no last update (curated not reported); the registry now posts one
    last = rows["last update posted"]
    assert (last.curated.state, last.registry.value, last.registry.locator) == (
        "not_reported", "2026-11-02 (actual)", "protocolSection.statusModule.lastUpdatePostDateStruct.date")
    # the start date is the same day: the registry now calls it actual where the curated source gave no type
    assert rows["start date"].verdict == "unchanged"
    assert rows["start date"].note == "the same date; the registry labels it actual"


def test_results_posted_and_a_value_the_curated_record_already_holds(curated):
    rows = {c.question: c for c in watch.compare(curated["NCT00962923"], registry_draft("NCT00962923_results.json"))}
    assert rows["results posted on the registry"].verdict == "new"
    assert rows["results posted on the registry"].registry.value == "yes"
    assert rows["results posted on the registry"].registry.locator == "hasResults"
    enrolment = rows["enrolment and its type"]
    assert (enrolment.verdict, enrolment.registry.value) == ("changed", "14 (actual)")
    assert "already holds the registry's value" in enrolment.note  # the publication's 14, curated as unclear


def _claim(value=None, state=State.REPORTED) -> Reported:
    return Reported(state=state, value=value, source="s" if value is not None else None,
                    locator="x" if value is not None else None)


@pytest.mark.parametrize("old, new, expected", [
    (_claim("recruiting"), _claim("recruiting"), "unchanged"),
    (_claim(state=State.NOT_REPORTED), _claim(state=State.NOT_REPORTED), "unchanged"),
    (_claim(state=State.NOT_REPORTED), _claim("completed"), "new"),
    (_claim("recruiting"), _claim(state=State.NOT_REPORTED), "changed"),  # the registry no longer gives it
    (_claim("Safety  Profile"), _claim("safety profile"), "unchanged"),  # white space and case are not a change
    (_claim(TrialDate(date="2024-01", type="unlabelled")), _claim(TrialDate(date="2024-01", type="actual")),
     "unchanged"),
    (_claim(TrialDate(date="2026-12", type="expected")), _claim(TrialDate(date="2026-12", type="actual")),
     "changed"),  # an expected date that became actual
    (Reported(state=State.NOT_APPLICABLE), _claim(state=State.NOT_REPORTED), "changed"),
])
def test_the_verdict_of_two_claims(old, new, expected):
    assert watch.verdict(watch.side(old), watch.side(new)) == expected


def test_the_drafted_findings_validate_once_pasted_into_the_curated_record(curated, data_copy):
    trial = curated["NCT06466850"]
    result = watch.watch_one(trial, _fetched("NCT06466850_changed.json"), TODAY)
    assert len(result.findings) == 7 and {f["kind"] for f in result.findings} == {"registry_changed"}
    status = next(f for f in result.findings if f["field"] == "status")
    assert status["quotes"] == [
        {"source": "veeva", "locator": "Status", "quote": "Status Enrolling"},
        {"source": "ctgov-api", "locator": "protocolSection.statusModule.overallStatus"}]
    assert '"' not in status["message"] and "completed" in status["message"] and "recruiting" in status["message"]
    path = data_copy / "trials" / "NCT06466850.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["sources"].append(watch.api_source("NCT06466850", TODAY))
    record["findings"] += result.findings
    path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")
    ran = cli_run("validate", "--data", str(data_copy))
    assert ran.returncode == 0, ran.stderr


def _fetched(name: str) -> Fetched:
    body = (RECORDED / name).read_bytes()
    study = json.loads(body)
    return Fetched(study["protocolSection"]["identificationModule"]["nctId"], body, study, 1)


def test_irct_trials_are_not_watched_and_one_failure_does_not_stop_the_others(curated):
    asked, slept = [], []
    answers = {"NCT06466850": "NCT06466850_changed.json", "NCT06574581": "NCT06574581.json"}

    def fetch(trial_id: str) -> Fetched:
        asked.append(trial_id)
        if trial_id not in answers:
            raise FetchFailed("the registry answered HTTP 500 (3 tries)")
        return _fetched(answers[trial_id])

    results = watch.watch(sorted(curated.values(), key=lambda t: t.trial_id), fetch, TODAY, pause=0.5,
                          sleep=slept.append)
    outcome = {r.trial_id: (r.outcome, r.reason) for r in results}
    assert outcome["IRCT20130812014333N184"][0] == outcome["IRCT20160809029275N2"][0] == "not watched"
    assert "IRCT offers no public API" in outcome["IRCT20160809029275N2"][1]
    assert outcome["NCT00962923"] == ("failed", "the registry answered HTTP 500 (3 tries)")
    assert outcome["NCT06466850"][0] == outcome["NCT06574581"][0] == "watched"
    assert asked == ["NCT00962923", "NCT06466850", "NCT06574581"]  # IRCT is never asked
    assert slept == [0.5, 0.5]  # a pause between two requests, none before the first

    frame = watch.report_frame(results)
    assert frame.columns == list(watch.COLUMNS)
    assert frame.filter(pl.col("trial_id") == "NCT00962923")["watched"].to_list() == ["failed"]
    changed = frame.filter((pl.col("trial_id") == "NCT06466850") & (pl.col("verdict") != "unchanged"))
    assert changed["draft_finding"].null_count() == 0
    assert frame.filter(pl.col("verdict") == "unchanged")["draft_finding"].null_count() == frame.filter(
        pl.col("verdict") == "unchanged").height
    text = watch.summary(results, "http://api", TODAY)
    assert "NCT00962923: failed: the registry answered HTTP 500" in text
    assert "NCT06466850: 4 changed, 3 new, 8 unchanged" in text


def test_a_registry_change_is_a_finding_kind_with_its_own_colour_pattern_and_words():
    assert FINDING_COLOURS[FindingKind.REGISTRY_CHANGED] == SKY
    assert len(set(PATTERNS[:len(FindingKind)])) == len(FindingKind)  # every kind its own fill
    counts = pl.DataFrame({"trial_id": ["A", "A"], "kind": ["registry_changed", "typo"], "findings": [2, 1]})
    (bar,) = [tr for tr in findings_figure(counts).data if tr.name == "registry changed after curation"]
    assert bar.marker.color == SKY


# --- the client and the command, against a recorded registry on loopback -------------------------------


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b""
    delay: float = 0.0
    declare_length: bool = True
    headers: tuple[tuple[str, str], ...] = ()


def recorded(name: str) -> Answer:
    return Answer(body=(RECORDED / name).read_bytes())


class Registry:
    """A ClinicalTrials.gov stand-in on 127.0.0.1: each study path gives its answers in turn (the last repeats)."""

    def __init__(self):
        self.answers: dict[str, list[Answer]] = {}
        self.requests: list[tuple[str, str]] = []  # (path, User-Agent)
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the name http.server calls
                registry.requests.append((self.path, self.headers.get("User-Agent", "")))
                queue = registry.answers.get(self.path) or [Answer(404, b'{"message": "not found"}')]
                answer = queue.pop(0) if len(queue) > 1 else queue[0]
                time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json")
                    if answer.declare_length:
                        self.send_header("Content-Length", str(len(answer.body)))
                    for key, value in answer.headers:
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(answer.body)
                except OSError:  # the client gave up waiting: nothing to answer
                    pass

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v2"

    def answer(self, trial_id: str, *answers: Answer) -> None:
        self.answers[f"/api/v2/studies/{trial_id}"] = list(answers)

    def asked(self, trial_id: str) -> int:
        return sum(path == f"/api/v2/studies/{trial_id}" for path, _ in self.requests)


@pytest.fixture
def registry():
    reg = Registry()
    thread = threading.Thread(target=reg.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield reg
    reg.server.shutdown()
    reg.server.server_close()


def test_the_client_fetches_a_study_and_names_itself(registry):
    registry.answer("NCT06466850", recorded("NCT06466850.json"))
    with RegistryClient(registry.url, QUICK) as client:
        got = client.study("NCT06466850")
    assert (got.nct_id, got.tries, got.body) == ("NCT06466850", 1, (RECORDED / "NCT06466850.json").read_bytes())
    assert registry.requests == [("/api/v2/studies/NCT06466850", USER_AGENT)]
    assert "trialdata" in USER_AGENT


@pytest.mark.parametrize("answers, words, asked", [
    ([Answer(404, b'{"message": "not found"}')], "the registry has no study NCT06466850 (HTTP 404)", 1),
    ([Answer(500, b"{}")], "the registry answered HTTP 500 (3 tries)", 3),
    ([Answer(200, b"", delay=1.0)], "no answer within the timeout of 0.3 s (3 tries)", 3),
    ([Answer(200, b'{"protocolSection": {"identificationModule": ')], "the answer is not valid JSON", 1),
    ([Answer(200, b'{"studies": []}')], "the answer is JSON but not a study record", 1),
    ([Answer(200, b"x" * 300_000)], "larger than the limit of 200,000 bytes (300,000 declared)", 1),
    ([Answer(200, b"x" * 300_000, declare_length=False)], "larger than the limit of 200,000 bytes", 1),
    ([recorded("NCT06574581.json")], "the answer is the record of NCT06574581, not of NCT06466850", 1),
])
def test_each_failure_is_said_in_words(registry, answers, words, asked):
    registry.answer("NCT06466850", *answers)
    with RegistryClient(registry.url, QUICK) as client, pytest.raises(FetchFailed) as failed:
        client.study("NCT06466850")
    assert words in str(failed.value)
    assert registry.asked("NCT06466850") == asked  # retried on 5xx and timeouts only


def test_a_500_then_a_success_is_retried_and_a_429_waits_as_asked(registry):
    registry.answer("NCT06466850", Answer(500, b"{}"), Answer(429, b"{}", headers=(("Retry-After", "1"),)),
                    recorded("NCT06466850.json"))
    manners = Manners(timeout=0.3, retries=3, backoff=0.01, max_wait=0.2, pause=0.0)
    start = time.monotonic()
    with RegistryClient(registry.url, manners) as client:
        got = client.study("NCT06466850")
    assert got.tries == 3 and registry.asked("NCT06466850") == 3
    assert time.monotonic() - start >= 0.2  # Retry-After asked 1 s; the ceiling of 0.2 s holds it


def _hashes() -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((DATA / "trials").glob("*.yaml"))}


def _watch(registry, out: Path, *ids: str):
    return cli_run("watch", *ids, "--api", registry.url, "--out", str(out), "--timeout", "0.3", "--retries", "2",
                   "--backoff", "0.01", "--pause", "0")


def test_the_command_reports_every_trial_and_never_edits_a_curated_record(registry, tmp_path):
    registry.answer("NCT06466850", recorded("NCT06466850_changed.json"))
    registry.answer("NCT00962923", recorded("NCT00962923_results.json"))
    registry.answer("NCT06574581", Answer(500, b"{}"), recorded("NCT06574581.json"))  # 500, then success
    before = _hashes()
    ran = _watch(registry, tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert _hashes() == before
    assert "Watched 3 of 5 trial(s)" in ran.stdout and "IRCT20160809029275N2: not watched" in ran.stdout
    assert "NCT06574581: 0 changed, 0 new, 15 unchanged" in ran.stdout
    frame = pl.read_csv(tmp_path / "watch.csv", encoding="utf8-lossy")
    assert frame.columns == list(watch.COLUMNS)
    row = frame.filter((pl.col("trial_id") == "NCT00962923") & (pl.col("field") == "reporting.summary_results"))
    assert row.select("verdict", "curated_value", "curated_state", "registry_value", "registry_path").row(0) == (
        "new", "not reported", "not_reported", "yes", "hasResults")  # never an empty cell for not reported
    columns = pl.read_csv(tmp_path / "watch_columns.csv", encoding="utf8-lossy")
    assert columns["column"].to_list() == list(watch.COLUMNS) and columns["help"].null_count() == 0
    drafted = yaml.safe_load((tmp_path / "watch_findings.yaml").read_text(encoding="utf-8"))
    assert set(drafted) == {"NCT06466850", "NCT00962923"}
    assert drafted["NCT00962923"]["sources"][0]["id"] == "ctgov-api"
    assert (tmp_path / "watch_summary.txt").read_text(encoding="utf-8") in ran.stdout
    assert not list(tmp_path.glob(".*"))  # no temp file left behind


def test_a_failed_trial_makes_the_exit_status_non_zero_and_the_others_go_on(registry, tmp_path):
    registry.answer("NCT06466850", recorded("NCT06466850.json"))
    registry.answer("NCT00962923", Answer(200, b'{"protocolSection": '))  # malformed
    ran = _watch(registry, tmp_path, "NCT00962923", "NCT06466850")
    assert ran.returncode == 1
    assert "NCT00962923: failed: the answer is not valid JSON" in ran.stdout
    assert "NCT06466850: 0 changed, 1 new, 14 unchanged" in ran.stdout
    frame = pl.read_csv(tmp_path / "watch.csv", encoding="utf8-lossy")
    assert frame.filter(pl.col("trial_id") == "NCT06466850").height == len(watch.QUESTIONS)


def test_an_unknown_trial_is_a_usage_error(registry, tmp_path):
    ran = _watch(registry, tmp_path, "NCT99999999")
    assert ran.returncode == 2 and "not a curated trial: NCT99999999" in ran.stderr
    assert registry.requests == [] and not (tmp_path / "watch.csv").exists()


@pytest.mark.parametrize(("option", "value"), [("--retries", "-1"), ("--timeout", "0"), ("--pause", "-2"),
                                               ("--backoff", "soon")])
def test_watch_refuses_numbers_it_cannot_keep_to(option, value, tmp_path):
    ran = cli_run("watch", option, value, "--out", str(tmp_path))
    assert ran.returncode == 2 and f"argument {option}" in ran.stderr and not any(tmp_path.iterdir())


def test_a_coded_value_is_said_in_words_on_both_sides():
    status = Reported[str].model_validate({"state": "reported", "value": "active_not_recruiting", "source": "s",
                                           "locator": "l", "quote": "Active, not recruiting"})
    assert watch.side(status).value == "active_not_recruiting"  # free text stays as written
    coded = Reported[Status].model_validate({"state": "reported", "value": "active_not_recruiting", "source": "s",
                                             "locator": "l", "quote": "Active, not recruiting"})
    assert watch.side(coded).value == "active not recruiting"
