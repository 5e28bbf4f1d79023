"""Load test: N Streamlit sessions speak the app's own websocket protocol on loopback, no browsers.

    .venv/bin/python scripts/load_test.py --clients 30 --seconds 60 [--json FILE] [--seed 1]
    .venv/bin/python scripts/load_test.py --browser --clients 3 --seconds 30   # what only a browser shows
    .venv/bin/python scripts/load_test.py --soak 1000 --clients 10   # sessions come and go; memory after

Each client opens `/_stcore/stream` as Streamlit's frontend does (subprotocol "streamlit"), sends the
BackMsg `rerun_script` with a ClientState (page name from a link, then the page_script_hash of the page
it moves to, the query string the app last set, the widget states of the sidebar filters) and reads
ForwardMsgs until `script_finished`. Pages, widget ids and filter options come from what the server
sends (the `navigation` message and the multiselect deltas), never from the app's code. People are
imitated: each client starts on a page, then, after a think time of 1-5 s (seeded), either moves to
another page or adds or removes one value of one filter.

Reported: errors (exceptions the app sends, compile errors, page not found, disconnects, a rerun that
does not finish within 30 s), p50/p95 seconds from a rerun request to its `script_finished`, the server
process's CPU and resident memory from /proc, and memory per session = (RSS with N sessions connected -
RSS idle) / N, where "idle" is after one warm-up session has opened every page and left.

Loopback only (127.0.0.1, localhost, ::1), at most 200 clients and 600 s; it stops by itself. It starts
the app (`streamlit run app.py`, headless, on a free loopback port) unless --url names one already
running on loopback; pass that server's --pid too to get its CPU and memory.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import random
import resource
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = ("127.0.0.1", "localhost", "::1")
MAX_CLIENTS, MAX_SECONDS, MAX_SOAK = 200, 600, 5_000
RERUN_TIMEOUT = 30.0  # a rerun that takes longer counts as an error
FINISHED = ForwardMsg.ScriptFinishedStatus
MAIN_AREA, SIDEBAR = 0, 1  # first index of a delta path: the page's main container or the sidebar


def loopback_base(url: str) -> str:
    """The app's http base URL, refusing any host that is not this machine's loopback."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or parsed.hostname not in LOOPBACK:
        raise ValueError(f"not a loopback http URL: {url!r} (allowed hosts: {', '.join(LOOPBACK)})")
    return url.rstrip("/")


def check_bounds(clients: int, seconds: float) -> None:
    if not 1 <= clients <= MAX_CLIENTS or not 1 <= seconds <= MAX_SECONDS:
        raise ValueError(f"--clients 1..{MAX_CLIENTS} and --seconds 1..{MAX_SECONDS} (the test is bounded)")


# ---------------------------------------------------------------- one session, as the frontend holds it


@dataclass
class Run:
    """One rerun a client asked for, and what came back."""

    kind: str  # "open" (first load from a link), "page" (moved to another page), "filter" (changed a filter)
    page: str  # the page's url path ("" is the default page)
    seconds: float | None = None  # rerun request -> script_finished; None when it never finished
    messages: int = 0
    bytes: int = 0
    table_rows: int = 0  # rows of every table in the page's main area (Arrow streams)
    content: str = ""  # digest of the main area's text, numbers, tables and charts
    changed: bool | None = None  # filter changes: did the main area differ from the run before?
    error: str | None = None


@dataclass
class Widget:
    id: str
    kind: str  # "multiselect" or "checkbox"
    label: str
    options: list[str]
    value: list[str] | bool
    main_script: bool  # drawn by the entry script (kept across page changes), not by the page


def _arrow_rows(data: bytes) -> int:
    import pyarrow.ipc  # a dependency of streamlit

    return pyarrow.ipc.open_stream(data).read_all().num_rows if data else 0


class Session:
    """One Streamlit session over the app's websocket, speaking the frontend's protobuf messages."""

    def __init__(self, base: str):
        self.base = base
        self.ws = None
        self.pages: dict[str, str] = {}  # url path -> page_script_hash (from the navigation message)
        self.page_hash = ""
        self.main_hash = ""
        self.query = ""  # the query string the app last set (what the address bar shows)
        self.widgets: dict[str, Widget] = {}
        self.cache: dict[str, ForwardMsg] = {}  # messages the server marked cacheable, by hash
        self.last_content = ""
        self.shown: list[str | bytes] = []  # what the last run drew in the page's main area

    async def __aenter__(self) -> Session:
        url = "ws" + self.base.removeprefix("http") + "/_stcore/stream"
        # the frontend's subprotocol header: "streamlit", then an XSRF token and a session id to resume (none)
        self.ws = await connect(url, subprotocols=["streamlit"], max_size=64 * 2**20, ping_interval=None,
                                proxy=None, open_timeout=RERUN_TIMEOUT)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    def _client_state(self, msg: BackMsg, page_name: str = "", widgets: list[Widget] | None = None) -> None:
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        state.page_name = page_name
        state.cached_message_hashes.extend(self.cache)
        info = state.context_info
        info.timezone, info.timezone_offset, info.locale = "UTC", 0, "en-GB"
        info.url, info.is_embedded, info.color_scheme = self.base + "/", False, "light"
        for w in widgets if widgets is not None else self.widgets.values():
            ws = state.widget_states.widgets.add()
            ws.id = w.id
            if w.kind == "multiselect":
                ws.string_array_value.data.extend(w.value)
            else:
                ws.bool_value = bool(w.value)

    async def open(self, page: str) -> Run:
        """Load a page from a link (its url path), as a browser's first rerun does."""
        msg = BackMsg()
        self._client_state(msg, page_name=page, widgets=[])
        msg.rerun_script.context_info.url = f"{self.base}/{page}"
        return await self._rerun(msg, Run("open", page))

    async def go_to(self, page: str) -> Run:
        """Move to another page through the navigation: the entry script's widgets keep their values."""
        self.page_hash, self.query = self.pages[page], ""
        msg = BackMsg()
        self._client_state(msg, widgets=[w for w in self.widgets.values() if w.main_script])
        return await self._rerun(msg, Run("page", page))

    async def set_widget(self, widget_id: str, value: list[str] | bool) -> Run:
        """Change one widget's value, as a click in the browser does; every other widget keeps its value."""
        self.widgets[widget_id].value = value
        msg = BackMsg()
        self._client_state(msg)
        return await self._rerun(msg, Run("filter", self.page))

    @property
    def page(self) -> str:
        return next((p for p, h in self.pages.items() if h == self.page_hash), "")

    async def _rerun(self, msg: BackMsg, run: Run) -> Run:
        started = time.monotonic()
        self.shown = []
        digest = hashlib.sha256()
        widgets: dict[str, Widget] = {}
        try:
            await self.ws.send(msg.SerializeToString())
            async with asyncio.timeout(RERUN_TIMEOUT):
                while not self._take(await self.ws.recv(), run, digest, widgets):
                    pass
        except TimeoutError:
            run.error = f"no script_finished within {RERUN_TIMEOUT:.0f} s on {run.page or 'the default page'}"
            return run
        except ConnectionClosed as e:
            run.error = f"disconnected on {run.page or 'the default page'}: {e}"
            return run
        run.seconds = time.monotonic() - started
        # widgets the page drew replace the page's old ones; the entry script's stay (they are on every page)
        kept = {} if run.kind == "open" else {k: w for k, w in self.widgets.items() if w.main_script}
        self.widgets = {**kept, **widgets}
        run.content = digest.hexdigest()[:16]
        if run.kind == "filter":
            run.changed = run.content != self.last_content
        self.last_content = run.content
        return run

    def _take(self, data: bytes, run: Run, digest, widgets: dict[str, Widget]) -> bool:
        """Read one ForwardMsg into the run; True once the script has finished."""
        run.messages += 1
        run.bytes += len(data)
        fwd = ForwardMsg()
        fwd.ParseFromString(data)
        if fwd.WhichOneof("type") == "ref_hash":  # a message this client said it has cached: use that copy
            cached = ForwardMsg()
            cached.CopyFrom(self.cache[fwd.ref_hash])
            cached.metadata.CopyFrom(fwd.metadata)
            fwd = cached
        elif fwd.metadata.cacheable:
            self.cache[fwd.hash] = fwd
        kind = fwd.WhichOneof("type")
        if kind == "new_session":
            self.page_hash = fwd.new_session.page_script_hash
            self.main_hash = fwd.new_session.main_script_hash
        elif kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
            self.page_hash = fwd.navigation.page_script_hash or self.page_hash
            run.page = self.page
        elif kind == "page_info_changed":
            self.query = fwd.page_info_changed.query_string
        elif kind == "page_not_found":
            run.error = run.error or f"page not found: {fwd.page_not_found.page_name!r}"
        elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            self._element(fwd, run, digest, widgets)
        elif kind == "script_finished":
            if fwd.script_finished == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                run.error = run.error or "the script did not compile"
            # a run that ends early for a rerun (st.rerun, a callback) is followed by the run that counts
            return fwd.script_finished != FINISHED.FINISHED_EARLY_FOR_RERUN
        return False

    def _element(self, fwd: ForwardMsg, run: Run, digest, widgets: dict[str, Widget]) -> None:
        el = fwd.delta.new_element
        kind = el.WhichOneof("type")
        main_script = fwd.metadata.active_script_hash in ("", self.main_hash)
        if kind == "exception":
            e = el.exception
            run.error = run.error or f"exception on {run.page or 'the default page'}: {e.type}: {e.message[:160]}"
        elif kind == "multiselect":
            m = el.multiselect
            old = self.widgets.get(m.id)
            if m.set_value:  # the app set the value (from the link, or a "clear" button)
                value = list(m.raw_values)
            elif old is not None:
                value = list(old.value)
            else:
                value = [m.options[i] for i in m.default]
            widgets[m.id] = Widget(m.id, "multiselect", m.label, list(m.options), value, main_script)
        elif kind == "checkbox":
            c = el.checkbox
            old = self.widgets.get(c.id)
            value = c.value if c.set_value else (old.value if old is not None else c.default)
            widgets[c.id] = Widget(c.id, "checkbox", c.label, [], value, main_script)
        if fwd.metadata.delta_path[:1] != [MAIN_AREA]:
            return
        # what the page shows: its text, numbers, tables and charts (not ids, which change every run)
        shown = {"markdown": lambda: el.markdown.body, "heading": lambda: el.heading.body,
                 "metric": lambda: f"{el.metric.label}={el.metric.body}", "alert": lambda: el.alert.body,
                 "plotly_chart": lambda: el.plotly_chart.spec, "dataframe": lambda: el.dataframe.arrow_data.data}
        value = shown.get(kind, lambda: "")()
        self.shown.append(value)
        digest.update(value.encode() if isinstance(value, str) else value)
        if kind == "dataframe":
            lazy = el.dataframe.lazy_data
            run.table_rows += lazy.row_count if lazy.source_id else _arrow_rows(el.dataframe.arrow_data.data)


# ---------------------------------------------------------------- people


def next_action(session: Session, rng: random.Random, done: list[str]) -> tuple[str, object]:
    """What a person does next: mostly move to another page, sometimes narrow or widen one filter.

    The first two actions are one page change and one filter change, in random order, so even a short
    run exercises both."""
    filters = [w for w in session.widgets.values() if w.kind == "multiselect" and w.main_script and w.options]
    want = [k for k in ("page", "filter") if k not in done]
    kind = rng.choice(want) if want else ("filter" if rng.random() < 0.35 else "page")
    if kind == "filter" and filters:
        w = rng.choice(filters)
        chosen = list(w.value)
        rest = [o for o in w.options if o not in chosen]
        if chosen and (len(chosen) >= 2 or not rest or rng.random() < 0.5):
            chosen.remove(rng.choice(chosen))  # widen again
        else:
            chosen.append(rng.choice(rest))  # narrow
        return "filter", (w.id, chosen)
    return "page", rng.choice([p for p in session.pages if p != session.page])


async def person(n: int, base: str, deadline: float, seed: int, think: tuple[float, float],
                 arrive: float, start_pages: list[str]) -> list[Run]:
    """One visitor: arrives, opens a page from a link, then moves and filters until the time is up."""
    rng = random.Random(seed * 1_000 + n)  # noqa: S311 - a reproducible walk, not a secret
    runs: list[Run] = []
    await asyncio.sleep(rng.uniform(0, arrive))
    try:
        async with Session(base) as s:
            runs.append(await s.open(rng.choice(start_pages)))
            done: list[str] = []
            while not runs[-1].error:
                pause = rng.uniform(*think)
                if time.monotonic() + pause >= deadline:
                    break
                await asyncio.sleep(pause)
                kind, what = next_action(s, rng, done)
                done.append(kind)
                runs.append(await (s.go_to(what) if kind == "page" else s.set_widget(*what)))
            if deadline - time.monotonic() > 0:  # stay connected until the end: the sessions are concurrent
                await asyncio.sleep(deadline - time.monotonic())
    except (OSError, ConnectionClosed, TimeoutError) as e:
        runs.append(Run("open" if not runs else "page", "", error=f"connection: {type(e).__name__}: {e}"))
    return runs


async def warm_up(base: str) -> list[str]:
    """One session opens every page once (imports, caches), then leaves; returns the pages' url paths."""
    async with Session(base) as s:
        run = await s.open("")
        if run.error:
            raise RuntimeError(f"warm-up failed: {run.error}")
        for page in list(s.pages):
            run = await s.go_to(page)
            if run.error:
                raise RuntimeError(f"warm-up failed: {run.error}")
        return list(s.pages)


# ---------------------------------------------------------------- the server, from /proc


def rss_mb(pid: int, field_name: str = "VmRSS") -> float | None:
    """Resident memory (VmRSS) or its peak (VmHWM) of a process, in MB, from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time a process has used, from /proc/PID/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Watch:
    """The server's CPU and memory, sampled twice a second while the clients run."""

    pid: int | None
    rss: list[tuple[float, float]] = field(default_factory=list)  # (monotonic time, MB)
    busiest_second: float = 0.0  # the most CPU the server used in one second, in cores

    async def run(self, stop: asyncio.Event) -> None:
        last = (time.monotonic(), cpu_seconds(self.pid)) if self.pid else None
        while self.pid and not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.5)
            if (mb := rss_mb(self.pid)) is not None:
                self.rss.append((time.monotonic(), mb))
            now, cpu = time.monotonic(), cpu_seconds(self.pid)
            if cpu is not None and last[1] is not None and now - last[0] >= 1:
                self.busiest_second = max(self.busiest_second, (cpu - last[1]) / (now - last[0]))
                last = (now, cpu)


# ---------------------------------------------------------------- one measured run


def percentile(values: list[float], q: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


async def measure(base: str, pid: int | None, clients: int, seconds: float, seed: int,
                  think: tuple[float, float]) -> dict:
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    pages = await warm_up(base)
    await asyncio.sleep(1.0)  # let the warm-up session's messages drain
    idle = rss_mb(pid) if pid else None
    cpu0, wall0, own0 = (cpu_seconds(pid) if pid else None), time.monotonic(), resource.getrusage(
        resource.RUSAGE_SELF)
    load_before = os.getloadavg()
    stop = asyncio.Event()
    watch = Watch(pid)
    watcher = asyncio.create_task(watch.run(stop))
    deadline = time.monotonic() + seconds
    arrive = min(5.0, seconds / 4)  # people arrive over the first seconds, not in one instant
    people = [person(n, base, deadline, seed, think, arrive, pages) for n in range(clients)]
    async with asyncio.timeout(seconds + RERUN_TIMEOUT + 30):  # stops by itself whatever happens
        results = await asyncio.gather(*people)
    # "RSS with N sessions connected": the last sample before the clients left
    loaded = max((t, mb) for t, mb in watch.rss if t <= deadline)[1] if watch.rss else None
    stop.set()
    await watcher
    wall = time.monotonic() - wall0
    cpu = (cpu_seconds(pid) - cpu0) if pid and cpu0 is not None else None
    await asyncio.sleep(2.0)
    after = rss_mb(pid) if pid else None  # the sessions have gone (Streamlit may keep them a while to resume)
    own = resource.getrusage(resource.RUSAGE_SELF)
    runs = [r for rs in results for r in rs]
    times = [r.seconds for r in runs if r.seconds is not None]
    by_kind = {k: [r.seconds for r in runs if r.kind == k and r.seconds is not None]
               for k in ("open", "page", "filter")}
    errors = [r.error for r in runs if r.error]
    return {
        "clients": clients, "seconds": seconds, "seed": seed, "think_seconds": list(think),
        "started_utc": started,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "reruns": len(times), "errors": len(errors), "error_samples": errors[:10],
        "rerun_seconds": {"p50": _round(percentile(times, 50)), "p95": _round(percentile(times, 95)),
                          "max": _round(max(times, default=None))},
        "rerun_seconds_by_kind": {k: {"n": len(v), "p50": _round(percentile(v, 50)),
                                      "p95": _round(percentile(v, 95))} for k, v in by_kind.items()},
        "rerun_seconds_by_page": {p or "(default)": {"n": len(v), "p50": _round(percentile(v, 50))}
                                  for p in pages if (v := [r.seconds for r in runs if r.page == p and r.seconds])},
        "filter_changes_that_changed_the_page": sum(1 for r in runs if r.changed),
        "bytes_received": sum(r.bytes for r in runs),
        "server": {
            "pid_measured": pid is not None,
            "cpu_cores_mean": _round(cpu / wall) if cpu is not None else None,
            "cpu_cores_busiest_second": _round(watch.busiest_second) if pid else None,
            "rss_idle_mb": _round(idle, 1), "rss_with_sessions_mb": _round(loaded, 1),
            "rss_2s_after_they_left_mb": _round(after, 1),
            "rss_peak_mb": _round(max([*(mb for _, mb in watch.rss), rss_mb(pid, "VmHWM") or 0]), 1) if pid else None,
            "mb_per_session": _round((loaded - idle) / clients, 2) if idle is not None and loaded else None,
        },
        "generator_cpu_seconds": _round(own.ru_utime + own.ru_stime - own0.ru_utime - own0.ru_stime),
        "per_client": [{"reruns": sum(1 for r in rs if r.seconds is not None),
                        "kinds": [r.kind for r in rs if r.seconds is not None],
                        "filter_changes_that_changed_the_page": sum(1 for r in rs if r.changed),
                        "errors": sum(1 for r in rs if r.error)} for rs in results],
        "runs": [asdict(r) for r in runs] if clients <= 10 else None,  # every rerun, for small runs only
    }


def _round(x: float | None, digits: int = 3) -> float | None:
    return None if x is None else round(x, digits)


# ---------------------------------------------------------------- browser mode (what only a browser shows)


async def browser_load(base: str, clients: int, seconds: float) -> dict:
    """N headless Chromium pages walk the pages; page time = navigation until title, charts and footer drawn.

    The browsers share the machine with the server, so this measures the browsers more than the server;
    it is for what only a browser shows (the frontend drawing, console errors), not for capacity."""
    from playwright.async_api import async_playwright

    from trialdata.local_app import CHROMIUM
    from trialdata.local_app import CHROMIUM_ARGS as ARGS

    async with Session(base) as s:
        await s.open("")
        pages = list(s.pages)
    times: list[float] = []
    errors: list[str] = []

    async def walk(n: int, context, deadline: float) -> None:
        page = await context.new_page()
        page.on("pageerror", lambda e: errors.append(f"client {n}: page error {e}"))
        i = n
        while time.monotonic() < deadline:
            path = pages[i % len(pages)]
            started = time.monotonic()
            try:
                await page.goto(f"{base}/{path}", wait_until="domcontentloaded", timeout=120_000)
                await page.get_by_text("Dataset version").first.wait_for(timeout=120_000)
                if await page.locator(".js-plotly-plot").count():
                    await page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=120_000)
                if await page.get_by_test_id("stException").count():
                    raise RuntimeError(f"the app showed an exception on /{path}")
                times.append(time.monotonic() - started)
            except Exception as e:  # noqa: BLE001 - every failure is counted, none stops the run
                errors.append(f"client {n} /{path}: {str(e).splitlines()[0][:160]}")
            i += 1
        await page.close()

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = await browser.new_context(viewport={"width": 1280, "height": 1000})
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(walk(n, context, deadline) for n in range(clients)))
        await browser.close()
    return {"mode": "browser", "clients": clients, "seconds": seconds, "page_views": len(times),
            "errors": len(errors), "error_samples": errors[:10],
            "page_seconds": {"p50": _round(percentile(times, 50)), "p95": _round(percentile(times, 95))}}


# ---------------------------------------------------------------- soak: sessions come and go


SOAK_TTL = 5  # seconds the soak's own server keeps a closed session for its return (Streamlit's default is 120)
# a trial and the record its quotes come from (without it, the quotes cannot be checked and it is not added)
EXAMPLES = ROOT / "tests" / "examples"
UPLOAD = [EXAMPLES / "valid_minimal.yaml", EXAMPLES / "sources" / "example_record.txt"]


async def visitor(base: str, pages: list[str], rng: random.Random, drop: bool) -> list[Run]:
    """One session that opens a page, acts once, and leaves; with `drop`, it leaves in the middle of that act."""
    runs: list[Run] = []
    try:
        async with Session(base) as s:
            runs.append(await s.open(rng.choice(pages)))
            if runs[-1].error:
                return runs
            kind, what = next_action(s, rng, [])
            act = s.go_to(what) if kind == "page" else s.set_widget(*what)
            if drop:  # the connection goes while the server is still running the rerun
                task = asyncio.create_task(act)
                await asyncio.sleep(rng.uniform(0.0, 0.2))
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            else:
                runs.append(await act)
    except (OSError, ConnectionClosed, TimeoutError) as e:
        runs.append(Run("open", "", error=f"connection: {type(e).__name__}: {e}"))
    return runs


async def uploader(base: str, browser, n: int) -> str | None:
    """A browser session that uploads a trial on Add trials, sees it added, and leaves; its error, if any."""
    context = await browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = await context.new_page()
        await page.goto(f"{base}/add", timeout=60_000)
        await page.locator("input[type=file]").set_input_files([str(f) for f in UPLOAD], timeout=60_000)
        await page.get_by_role("button", name="Check and add to the comparison").click(timeout=60_000)
        await page.get_by_text("Added to this session's comparison").wait_for(timeout=60_000)
        return None
    except Exception as e:  # noqa: BLE001 - every failure is counted, none stops the run
        return f"upload {n}: {str(e).splitlines()[0][:160]}"
    finally:
        await context.close()


async def soak(base: str, pid: int | None, sessions: int, at_once: int, seed: int) -> dict:
    """`sessions` sessions open and close, `at_once` at a time: one in ten leaves in the middle of a rerun, one
    in twenty uploads a trial in a browser. The server's memory is read before, throughout and after they have
    all gone (once the server has let go of the closed sessions)."""
    from playwright.async_api import async_playwright

    from trialdata.local_app import CHROMIUM
    from trialdata.local_app import CHROMIUM_ARGS as ARGS

    rng = random.Random(seed)  # noqa: S311 - a reproducible run, not a secret
    pages = await warm_up(base)
    await asyncio.sleep(1.0)
    start_mb, started = (rss_mb(pid) if pid else None), time.monotonic()
    watch, stop = Watch(pid), asyncio.Event()
    watcher = asyncio.create_task(watch.run(stop))
    gate = asyncio.Semaphore(at_once)
    runs: list[Run] = []
    errors: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        async def one(n: int) -> None:
            async with gate:
                if n % 20 == 19:
                    if error := await uploader(base, browser, n):
                        errors.append(error)
                else:
                    runs.extend(await visitor(base, pages, random.Random(rng.random()), drop=n % 10 == 9))  # noqa: S311

        await asyncio.gather(*(one(n) for n in range(sessions)))
        await browser.close()
    stop.set()
    await watcher
    seconds = time.monotonic() - started
    await asyncio.sleep(SOAK_TTL + 5)  # the closed sessions are let go of after their time to return
    end_mb = rss_mb(pid) if pid else None
    errors += [r.error for r in runs if r.error]
    return {"mode": "soak", "sessions": sessions, "at_once": at_once, "seconds": _round(seconds, 1),
            "uploads": sum(n % 20 == 19 for n in range(sessions)),
            "dropped_mid_run": sum(n % 10 == 9 and n % 20 != 19 for n in range(sessions)),
            "reruns": sum(1 for r in runs if r.seconds is not None), "errors": len(errors),
            "error_samples": errors[:10],
            "server": {"pid_measured": pid is not None, "rss_start_mb": _round(start_mb, 1),
                       "rss_peak_mb": _round(max((mb for _, mb in watch.rss), default=None), 1),
                       "rss_end_mb": _round(end_mb, 1),
                       "end_vs_start": _round(end_mb / start_mb - 1, 3) if start_mb and end_mb else None}}


# ---------------------------------------------------------------- command line


def report(r: dict) -> str:
    if r.get("mode") == "soak":
        s = r["server"]
        memory = (f"server RSS: start {s['rss_start_mb']} MB, peak {s['rss_peak_mb']} MB, end {s['rss_end_mb']} MB "
                  f"({s['end_vs_start']:+.1%} against the start)" if s["end_vs_start"] is not None
                  else "server RSS: not measured (give --pid of the server started elsewhere)")
        return "\n".join([f"soak: {r['sessions']} sessions, {r['at_once']} at a time, in {r['seconds']} s "
                          f"({r['uploads']} uploaded a trial, {r['dropped_mid_run']} left in the middle of a "
                          f"rerun); {r['reruns']} reruns, {r['errors']} errors", memory,
                          *[f"  {e}" for e in r["error_samples"]]])
    if r.get("mode") == "browser":
        return (f"browser mode: {r['clients']} clients for {r['seconds']:.0f} s: {r['page_views']} page views, "
                f"{r['errors']} errors, page time p50 {r['page_seconds']['p50']} s p95 {r['page_seconds']['p95']} s")
    s, t = r["server"], r["rerun_seconds"]
    lines = [f"{r['clients']} sessions for {r['seconds']:.0f} s (load average before {r['load_average_before'][0]}, "
             f"after {r['load_average_after'][0]})",
             f"reruns: {r['reruns']}  errors: {r['errors']}  "
             f"({r['filter_changes_that_changed_the_page']} filter changes changed the page)",
             f"rerun request -> script_finished: p50 {t['p50']} s  p95 {t['p95']} s  max {t['max']} s",
             "  by kind: " + ", ".join(f"{k} n={v['n']} p50 {v['p50']} p95 {v['p95']}"
                                       for k, v in r["rerun_seconds_by_kind"].items())]
    if s["pid_measured"]:
        lines += [f"server CPU: {s['cpu_cores_mean']} cores on average, {s['cpu_cores_busiest_second']} in the "
                  f"busiest second (this machine has {os.cpu_count()})",
                  f"server RSS: idle {s['rss_idle_mb']} MB, with the sessions {s['rss_with_sessions_mb']} MB, "
                  f"peak {s['rss_peak_mb']} MB; {s['mb_per_session']} MB per session"]
    else:
        lines.append("server CPU and memory: not measured (give --pid of the server started elsewhere)")
    lines.append(f"the generator itself used {r['generator_cpu_seconds']} CPU seconds")
    lines += [f"  {e}" for e in r["error_samples"]]
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=30, help=f"concurrent sessions, 1..{MAX_CLIENTS}")
    ap.add_argument("--seconds", type=float, default=60, help=f"how long they stay, 1..{MAX_SECONDS}")
    ap.add_argument("--json", type=Path, help="write every figure to this file")
    ap.add_argument("--seed", type=int, default=1, help="think times, pages and filters are drawn from it")
    ap.add_argument("--think", type=float, nargs=2, default=(1.0, 5.0), metavar=("MIN", "MAX"),
                    help="seconds a person waits between actions (default 1 5)")
    ap.add_argument("--url", help="an app already running on loopback (default: start one)")
    ap.add_argument("--pid", type=int, help="with --url: that server's process id, to read its CPU and memory")
    ap.add_argument("--browser", action="store_true", help="headless Chromium pages instead (what a browser shows)")
    ap.add_argument("--soak", type=int, metavar="SESSIONS",
                    help="sessions that come and go (--clients at a time); the server's memory before and after")
    args = ap.parse_args(argv)
    try:
        check_bounds(args.clients, args.seconds)
        if args.url:
            args.url = loopback_base(args.url)
        if not 0 <= args.think[0] <= args.think[1] <= 60:
            raise ValueError("--think MIN MAX with 0 <= MIN <= MAX <= 60")
        if args.soak is not None and not 1 <= args.soak <= MAX_SOAK:
            raise ValueError(f"--soak 1..{MAX_SOAK} sessions (the test is bounded)")
    except ValueError as e:
        ap.error(str(e))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def go(base: str, pid: int | None) -> dict:
        if args.soak:
            return asyncio.run(soak(base, pid, args.soak, args.clients, args.seed))
        if args.browser:
            return asyncio.run(browser_load(base, args.clients, args.seconds))
        return asyncio.run(measure(base, pid, args.clients, args.seconds, args.seed, tuple(args.think)))

    if args.url:
        result = go(args.url, args.pid)
    else:
        from trialdata.local_app import running_app

        # a soak waits for the server to let go of closed sessions: its own server keeps them briefly
        ttl = {"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SOAK_TTL)} if args.soak else {}
        with running_app(**ttl) as url:
            result = go(url, url.pid)
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # trialdata.local_app starts the app and names Chromium
    sys.exit(main())
