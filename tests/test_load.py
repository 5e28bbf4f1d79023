"""The protocol-level load generator (scripts/load_test.py): real sessions against the running app, and its guards."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("load_test", ROOT / "scripts" / "load_test.py")
load_test = importlib.util.module_from_spec(_spec)
sys.modules["load_test"] = load_test  # dataclasses look their module up while the file runs
_spec.loader.exec_module(load_test)

TRIAL_IDS = {p.stem for p in (ROOT / "data" / "trials").glob("*.yaml")}


@pytest.mark.parametrize("url", ["http://example.org:8501", "http://10.0.0.5:8501", "http://192.168.1.2",
                                 "http://127.0.0.1.example.org:8501", "http://localhost@example.org/",
                                 "ws://127.0.0.1:8501", "file:///etc/passwd", "127.0.0.1:8501"])
def test_refuses_any_url_that_is_not_loopback_http(url):
    with pytest.raises(ValueError, match="not a loopback"):
        load_test.loopback_base(url)
    with pytest.raises(SystemExit):
        load_test.parse_args(["--url", url])


@pytest.mark.parametrize(("url", "base"), [("http://127.0.0.1:8501/", "http://127.0.0.1:8501"),
                                           ("http://localhost:9000", "http://localhost:9000"),
                                           ("http://[::1]:8501", "http://[::1]:8501")])
def test_accepts_loopback(url, base):
    assert load_test.loopback_base(url) == base
    assert load_test.parse_args(["--url", url]).url == base


@pytest.mark.parametrize("argv", [["--clients", "0"], ["--clients", "201"], ["--seconds", "0"],
                                  ["--seconds", "601"], ["--think", "5", "1"], ["--soak", "0"],
                                  ["--soak", "5001"]])
def test_is_bounded_in_count_and_time(argv):
    with pytest.raises(SystemExit):
        load_test.parse_args(argv)


@pytest.fixture
def app(app_url):
    """The shared server (the browser tests' own) and its process id."""
    return app_url, app_url.pid


def _trials_named(session) -> set[str]:
    """Which trial ids appear in what the server drew in the page's main area (text and table bytes)."""
    return {t for t in TRIAL_IDS if any((t if isinstance(v, str) else t.encode()) in v for v in session.shown)}


async def _filter_round(base: str) -> list[tuple[str, set[str], set[str]]]:
    async with load_test.Session(base) as s:
        opened = await s.open("")
        assert opened.error is None and opened.seconds is not None
        everything = _trials_named(s)
        sidebar = [w for w in s.widgets.values() if w.kind == "multiselect" and w.main_script]
        assert sidebar, "the sidebar sent no filter widgets"
        first = sidebar[0]
        seen = []
        for option in first.options:
            run = await s.set_widget(first.id, [option])
            assert run.error is None and run.kind == "filter"
            seen.append((option, everything, _trials_named(s)))
        return seen


def off_the_loop(fn, *args):
    """fn in a thread of its own: the browser tests' Playwright, shared by the whole run, keeps an event loop
    running in this one, where asyncio.run cannot start another."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn, *args).result()


@pytest.mark.subprocess  # a real server
def test_a_filter_change_changes_which_trials_the_server_sends(app):
    seen = off_the_loop(asyncio.run, _filter_round(app[0]))
    everything = seen[0][1]
    assert everything == TRIAL_IDS  # unfiltered, the overview names every trial
    for option, _, kept in seen:
        assert kept <= everything, option  # a filter only ever narrows
    assert any(kept and kept < everything for _, _, kept in seen)  # and some value narrows to fewer trials


@pytest.mark.subprocess  # a real server and the generator
def test_two_clients_move_between_pages_and_filter_without_errors(app, tmp_path, capsys):
    base, pid = app
    out = tmp_path / "load.json"
    # think 1-2 s (not the default 1-5) so that even on a crowded machine each client acts several times in 10 s
    code = off_the_loop(load_test.main, ["--url", base, "--pid", str(pid), "--clients", "2", "--seconds", "10",
                                         "--think", "1", "2", "--json", str(out)])
    r = json.loads(out.read_text())
    assert code == 0 and r["errors"] == 0, r["error_samples"]
    assert "errors: 0" in capsys.readouterr().out
    for client in r["per_client"]:
        assert client["reruns"] >= 3  # each got script_finished for several reruns
        assert {"open", "page", "filter"} <= set(client["kinds"])
    filter_runs = [x for x in r["runs"] if x["kind"] == "filter"]
    assert any(x["changed"] for x in filter_runs)  # the server drew something else after the filter changed
    assert r["rerun_seconds"]["p95"] > 0
    assert r["server"]["rss_idle_mb"] > 50 and r["server"]["cpu_cores_mean"] > 0


@pytest.mark.subprocess  # a real server, the generator and a browser for the uploads
def test_a_soak_of_sessions_that_come_and_go_ends_without_errors(app, capsys):
    """Twenty sessions: one uploads a trial in a browser, one leaves in the middle of a rerun, the others open a
    page and act once (the server's memory over 1,000 of them is in docs/performance.md)."""
    base, pid = app
    r = off_the_loop(asyncio.run, load_test.soak(base, pid, 20, 4, seed=1))
    assert r["errors"] == 0, r["error_samples"]
    assert r["uploads"] == 1 and r["dropped_mid_run"] == 1 and r["reruns"] >= 19
    assert r["server"]["rss_start_mb"] > 50 and r["server"]["rss_end_mb"] > 50
