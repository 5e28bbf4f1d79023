"""The collection hook in conftest.py marks the slow kinds of test by the names their code uses."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import _calls_used, _globals_used


def run() -> None:
    subprocess.run([sys.executable, "--version"], check=True)


def _calls_a_helper_that_spawns() -> None:
    run()


def _reads_an_attribute_named_run(thing) -> None:
    thing.run()


def _spawns_in_a_lambda() -> None:
    (lambda: subprocess.run(["true"]))()


# by name, so this test's own code does not name the helpers (a test that names one is marked as it would be)
@pytest.mark.parametrize("helper, spawns", [("run", True), ("_calls_a_helper_that_spawns", True),
                                            ("_spawns_in_a_lambda", True), ("_reads_an_attribute_named_run", False)])
def test_a_process_started_directly_in_a_lambda_or_through_a_helper_is_seen(helper, spawns):
    module = sys.modules[__name__]
    assert ("subprocess" in _globals_used(vars(module)[helper], module)) is spawns


def test_a_test_that_starts_a_process_is_marked_slow(request):
    run()
    assert request.node.get_closest_marker("subprocess") and request.node.get_closest_marker("slow")


def test_a_test_that_starts_none_stays_in_make_check(request):
    assert not request.node.get_closest_marker("slow")


def _makes_the_deck(report) -> None:
    report.slides_pptx({}, None)


def _through_a_helper(report) -> None:
    _makes_the_deck(report)


def test_a_test_that_draws_with_chromium_is_seen_by_the_call_it_makes_itself_or_through_a_helper():
    module = sys.modules[__name__]
    assert _calls_used(_makes_the_deck, module) == {"slides_pptx"}
    assert _calls_used(_through_a_helper, module) == {"slides_pptx"}
    assert _calls_used(_reads_an_attribute_named_run, module) == set()
