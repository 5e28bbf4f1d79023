"""A small, polite client for ClinicalTrials.gov's API v2: one study record at a time, checked before use.

Built on urllib3 (pinned in requirements.txt): it is what requests stands on, it is typed, it streams a body so
a size limit can stop it early, and it reads no proxy or credentials from the environment. The rules:

- a timeout on connecting and on every read;
- a few tries on 429 and 5xx answers and on timeouts or dropped connections before an answer begins (a body cut
  off half way is reported, not fetched again), waiting longer each time (and at
  least what the server's Retry-After asks, up to a ceiling); any other answer is final;
- a User-Agent that names the tool, so the registry can tell who asks;
- a size limit on the body, checked against Content-Length and again while reading;
- the body must be JSON: a study object whose NCT number is the one asked for.

A study that cannot be fetched raises `FetchFailed` with the reason in words; the caller decides what the other
studies do (the watch command goes on with them). The pause between studies is the caller's, too
(`Manners.pause`). No import from the rest of trialdata: this module only talks to the network.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from urllib.parse import quote

import urllib3
from urllib3.exceptions import DecodeError, HTTPError, MaxRetryError, ProtocolError, TimeoutError
from urllib3.util.retry import Retry

DEFAULT_API = "https://clinicaltrials.gov/api/v2"
USER_AGENT = "trialdata-watch/0.1.0 (MSC trials evidence dashboard; python -m trialdata watch)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Manners:
    """How hard the client tries and how long it waits (the tests make every wait short)."""

    timeout: float = 20.0  # seconds to connect, and for each read
    retries: int = 3  # tries after the first, on 429, 5xx, a timeout or a dropped connection
    backoff: float = 2.0  # seconds before the first retry; doubled before each next one
    max_wait: float = 60.0  # the longest wait before a retry, whatever Retry-After asks
    pause: float = 1.0  # seconds between two studies
    max_bytes: int = 2_000_000  # the largest body read (a study with posted results is a few hundred kB)


class FetchFailed(Exception):
    """A study could not be fetched; the message says why, in words."""


@dataclass(frozen=True)
class Fetched:
    nct_id: str
    body: bytes  # the JSON as the registry sent it
    study: dict  # the same, parsed and checked
    tries: int


class RegistryClient:
    def __init__(self, api: str = DEFAULT_API, manners: Manners | None = None):
        self.api = api.rstrip("/")
        self.manners = manners or Manners()
        # redirects are followed (a few); every other retry is ours, so waits and reasons are in one place
        self.pool = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=self.manners.timeout, read=self.manners.timeout),
            retries=Retry(total=None, connect=0, read=0, status=0, other=0, redirect=3),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        )

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.clear()

    def study_url(self, nct_id: str) -> str:
        return f"{self.api}/studies/{quote(nct_id, safe='')}"

    def study(self, nct_id: str) -> Fetched:
        """The study's record, or FetchFailed saying why not (after the retries the manners allow)."""
        m, url = self.manners, self.study_url(nct_id)
        for attempt in range(m.retries + 1):
            tries = attempt + 1
            last = attempt == m.retries
            try:
                response = self.pool.request("GET", url, preload_content=False)
            except (MaxRetryError, TimeoutError, ProtocolError) as e:
                reason = _transport_reason(e, m.timeout)
                if last:
                    raise FetchFailed(f"{reason} ({_tries(tries)})") from None
                time.sleep(self._wait(attempt, None))
                continue
            except HTTPError as e:  # anything else urllib3 raises: not worth another try
                raise FetchFailed(f"the request failed: {e}") from None
            read = False
            try:
                if response.status in RETRY_STATUSES and not last:
                    retry_after = response.headers.get("Retry-After")
                else:
                    if response.status == 404:
                        raise FetchFailed(f"the registry has no study {nct_id} (HTTP 404)")
                    if response.status != 200:
                        raise FetchFailed(f"the registry answered HTTP {response.status} ({_tries(tries)})")
                    body = _read_limited(response, m.max_bytes, m.timeout)
                    read = True
            finally:  # a connection whose answer was not read to the end is closed, never reused
                if read:
                    response.release_conn()
                else:
                    response.close()
            if not read:
                time.sleep(self._wait(attempt, retry_after))
                continue
            return Fetched(nct_id, body, _checked_study(body, nct_id), tries)
        raise AssertionError("unreachable: the last try returns or raises")  # pragma: no cover

    def _wait(self, attempt: int, retry_after: str | None) -> float:
        """Seconds before the next try: the backoff doubled per try, at least what Retry-After asks, capped."""
        wait = self.manners.backoff * 2**attempt
        if retry_after and retry_after.strip().isdigit():  # the seconds form; a date form is left to the backoff
            wait = max(wait, float(retry_after.strip()))
        return min(wait, self.manners.max_wait)


def _tries(n: int) -> str:
    return "1 try" if n == 1 else f"{n} tries"


def _transport_reason(e: Exception, timeout: float) -> str:
    cause = e.reason if isinstance(e, MaxRetryError) and e.reason is not None else e
    if isinstance(cause, TimeoutError):
        return f"no answer within the timeout of {timeout:g} s"
    return f"could not reach the registry ({type(cause).__name__})"


def _read_limited(response: urllib3.BaseHTTPResponse, max_bytes: int, timeout: float) -> bytes:
    """The body, refused as soon as it is known to exceed `max_bytes` (by its Content-Length, or while reading)."""
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchFailed(f"the answer is larger than the limit of {max_bytes:,} bytes ({int(declared):,} declared)")
    parts, size = [], 0
    try:
        for chunk in response.stream(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise FetchFailed(f"the answer is larger than the limit of {max_bytes:,} bytes")
            parts.append(chunk)
    except (TimeoutError, ProtocolError, DecodeError) as e:  # reported, not tried again: the answer had begun
        reason = f"no answer within the timeout of {timeout:g} s" if isinstance(e, TimeoutError) else \
            "the connection broke while reading the answer" if isinstance(e, ProtocolError) else \
            "the answer's compressed body cannot be read"
        raise FetchFailed(reason) from None
    return b"".join(parts)


def _checked_study(body: bytes, nct_id: str) -> dict:
    """The body as a study object for `nct_id`, or FetchFailed naming what is wrong with it."""
    try:
        doc = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise FetchFailed("the answer is not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise FetchFailed(f"the answer is not valid JSON ({e.msg} at line {e.lineno}, column {e.colno})") from None
    except RecursionError:
        raise FetchFailed("the answer's JSON is nested too deeply") from None
    protocol = doc.get("protocolSection") if isinstance(doc, dict) else None
    ident = protocol.get("identificationModule") if isinstance(protocol, dict) else None
    found = ident.get("nctId") if isinstance(ident, dict) else None
    if not isinstance(doc, dict) or found is None:
        raise FetchFailed("the answer is JSON but not a study record (no protocolSection.identificationModule.nctId)")
    if found != nct_id:
        raise FetchFailed(f"the answer is the record of {found}, not of {nct_id}")
    return doc
