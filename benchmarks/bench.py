"""Benchmarks: page script time, browser time against a bare Streamlit page, scale, exports.

    .venv/bin/python benchmarks/bench.py [--quick] [--json FILE]
    .venv/bin/python benchmarks/bench.py --profile PAGE [--trials N]   # where a page's script run spends its time

Prints a table and writes the same figures as JSON:
{"pages": {page: ms}, "browser": {"ratio": ours_over_bare, ...}, "scale": {...}, "exports": {...}}.
Each scale size runs in its own process so its peak memory is its own. `--quick` keeps to about a minute.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# calling the ui's cached loaders outside a running app makes Streamlit warn that there is no runtime ("missing
# ScriptRunContext! This warning can be ignored when running in bare mode"): here it can be, so it is not printed
# (a filter, as Streamlit resets its loggers' levels when it reads its config)
for _name in ("streamlit.runtime.scriptrunner_utils.script_run_context", "streamlit.runtime.caching.cache_data_api"):
    logging.getLogger(_name).addFilter(lambda record: record.levelno > logging.WARNING)

import numpy as np  # noqa: E402
import polars as pl  # noqa: E402

from trialdata import standards, store, views  # noqa: E402
from trialdata import transforms as tf  # noqa: E402
from trialdata.changes import NEEDED, changes  # noqa: E402
from trialdata.export import csv_bytes, read_parquet  # noqa: E402
from trialdata.filters import Filters  # noqa: E402
from trialdata.report.bundle import bundle_zip  # noqa: E402
from trialdata.report.content import Meta  # noqa: E402
from trialdata.report.deck import slides_pptx  # noqa: E402
from trialdata.report.handout import handout_html  # noqa: E402
from trialdata.report.pdf import handout_pdf  # noqa: E402
from trialdata.schema import FindingKind, ProductType  # noqa: E402
from trialdata.snapshot import from_folder, known_versions  # noqa: E402
from trialdata.tables import TABLES, WHO_TRDS  # noqa: E402
from trialdata.ui.navigation import site_map  # noqa: E402

SITE = site_map()
PAGES = [e.url_path for e in SITE]  # every page, by its URL path
URLS = {e.url_path: "" if e.url_path == "overview" else e.url_path for e in SITE
        if e.url_path not in ("present", "add")}
# What changed draws its chart once it compares: opened with a link made with the previous build's version
PREVIOUS = next(iter(list(known_versions(ROOT))[1:]), None)
if PREVIOUS:
    URLS["what-changed"] = f"what-changed?v={PREVIOUS}"
else:  # not a git checkout: nothing to compare with
    URLS.pop("what-changed", None)
QUICK_PAGES = ["dosing"]  # --quick: the page run at scale (the slowest there); in the browser only sample sizes
CHARTS = {e.url_path: views.charts_on(e.view.key) for e in SITE if e.view}
SELECTION = 25  # views that compare trials one by one draw at most this many
OVERVIEW_TABLES = ("trials", "interventions", "outcomes", "flags")  # read whole: overviews use every trial


# --- synthetic data --------------------------------------------------------------------------------------

VOCAB = {
    "product_type": (["cells", "exosomes", None], [0.7, 0.25, 0.05]),
    "cell_source": (["bone_marrow", "umbilical_cord", "adipose", "placenta", "dental_pulp", None],
                    [0.3, 0.3, 0.2, 0.05, 0.03, 0.12]),
    "donor_type": (["allogeneic", "autologous", None], [0.6, 0.3, 0.1]),
    "phase": (["phase_1", "phase_1_2", "phase_2", "phase_3", None], [0.3, 0.3, 0.25, 0.05, 0.1]),
    "status": (["recruiting", "completed", "unknown", "not_yet_recruiting", "terminated"], [0.3, 0.3, 0.2, 0.15, 0.05]),
    "registry": (["ClinicalTrials.gov", "IRCT"], [0.85, 0.15]),
    "condition_categories": (["knee osteoarthritis", "ARDS", "graft-versus-host disease", "systemic sclerosis",
                              "spinal cord injury", "Crohn disease", "heart failure", "ALS"], None),
    "countries": (["China", "United States", "Iran", "Spain", "Korea", "Brazil", "India", None], None),
    "routes": (["intravenous", "intra_articular", "intrathecal", "intramuscular", None], [0.5, 0.2, 0.1, 0.1, 0.1]),
    "dose_unit": (["cells/kg", "cells", "particles", None], [0.45, 0.25, 0.1, 0.2]),
    "dose_basis": (["per_administration", "total", "not_stated"], [0.7, 0.1, 0.2]),
    "masking": (["none", "single", "double", "quadruple"], [0.6, 0.1, 0.15, 0.15]),
    "allocation": (["randomized", "non_randomized", None], [0.4, 0.2, 0.4]),
    "intervention_model": (["single_group", "parallel", "sequential"], [0.55, 0.4, 0.05]),
    "control": (["none", "placebo", "active"], [0.6, 0.3, 0.1]),
    "kind": (["primary", "secondary"], [0.4, 0.6]),
    "domain": (["safety", "clinical_score", "pulmonary_function", "imaging", "functional_disability",
                "patient_reported", "immunological_biomarker", "survival", "other"], None),
    "anchor": (["first_dose", "last_dose", "baseline", None], [0.7, 0.1, 0.15, 0.05]),
    "spread_kind": (["SD", "SE", "IQR", "not_stated", None], [0.4, 0.2, 0.1, 0.1, 0.2]),
    "panel": (["intravenous_cells", "other_cells", "vesicles"], [0.5, 0.3, 0.2]),
    "answer": (["yes", "no", "unclear", "not_reported", "not_applicable"], [0.4, 0.2, 0.1, 0.2, 0.1]),
}
REPORTING_STATUS = (["in_record", "secondary_only", "unclear", "not_applicable", "not_reported"],
                    [0.6, 0.05, 0.1, 0.05, 0.2])
FINDING_KINDS = ([k.value for k in FindingKind], None)
STATES = (["reported", "not_reported", "unclear", "not_applicable"], [0.75, 0.15, 0.07, 0.03])


def _pick(rng, values, p, n):
    idx = rng.choice(len(values), size=n, p=p)
    return [values[i] for i in idx]


def _frame(rng, table: str, n: int, trial_ids: list[str]) -> pl.DataFrame:
    """A frame with the table's exact columns and dtypes, filled with a realistic mix and missing values."""
    cols = {}
    for c in TABLES[table]:
        if c.name == "trial_id":
            cols[c.name] = trial_ids
        elif c.name.endswith("_state"):
            base = cols.get(c.name.removesuffix("_state"))
            cols[c.name] = ["not_reported" if base is not None and base[i] is None else s
                            for i, s in enumerate(_pick(rng, *STATES, n))]
        elif c.name in VOCAB:
            cols[c.name] = _pick(rng, VOCAB[c.name][0], VOCAB[c.name][1], n)
        elif c.dtype == pl.Float64:
            v = rng.gamma(2.0, 10.0, n)
            cols[c.name] = [None if x < 3 else float(x) for x in v]
        elif c.dtype == pl.Int64:
            cols[c.name] = [int(x) if x > 0 else None for x in rng.integers(-3, 120, n)]
        elif c.dtype == pl.Boolean:
            cols[c.name] = list(rng.random(n) > 0.3)
        else:
            cols[c.name] = [f"{c.name} {i % 97}" for i in range(n)]
    return pl.DataFrame(cols, schema={c.name: c.dtype for c in TABLES[table]})


def synthetic_tables(n: int, seed: int = 7) -> dict[str, pl.DataFrame]:
    """Every table for n synthetic trials (children per trial as in real registries; provenance for the
    fields the views read, not all ~70 per trial)."""
    rng = np.random.default_rng(seed)
    ids = [f"NCT{10_000_000 + i:08d}" for i in range(n)]

    def children(table: str, per_trial: float, at_least: int = 1) -> pl.DataFrame:
        counts = rng.poisson(per_trial, n) + at_least
        owners = [t for t, k in zip(ids, counts, strict=True) for _ in range(k)]
        frame = _frame(rng, table, len(owners), owners)
        for col in ("number", "outcome", "intervention"):
            if frame.schema.get(col) == pl.Int64:  # results.outcome is the outcome's name, not its number
                frame = frame.with_columns(pl.int_range(pl.len()).over("trial_id").add(1).alias(col))
        return frame

    trials = _frame(rng, "trials", n, ids).with_columns(pl.lit("curated").alias("origin"))
    trials = trials.with_columns(pl.col("target_enrollment").clip(1, 500))
    administrations = children("administrations", 1.5).with_columns(
        (pl.col("number") - 1).cast(pl.Float64).mul(4).alias("week"),
        pl.format("{} cells/kg", pl.col("dose_min")).alias("dose"))
    fields = ["enrollment.target", "enrollment.actual", "interventions[0].product_type",
              "interventions[0].cell_source", "interventions[0].donor"]
    provenance = _frame(rng, "provenance", n * len(fields), [t for t in ids for _ in fields]).with_columns(
        pl.Series("field", fields * n), pl.lit("headline").alias("claim"),
        pl.Series("value", [str(x) for x in rng.integers(5, 200, n * len(fields))]))
    # every trial reports on the 24 WHO TRDS items, with a realistic mix of statuses
    reporting = _frame(rng, "reporting", n * len(WHO_TRDS), [t for t in ids for _ in WHO_TRDS]).with_columns(
        pl.Series("item_no", [no for no, _, _ in WHO_TRDS] * n), pl.Series("item", [i for _, i, _ in WHO_TRDS] * n),
        pl.Series("status", _pick(rng, *REPORTING_STATUS, n * len(WHO_TRDS))))
    # many trials have no finding at all; the kinds are the checks' kinds
    flags = children("flags", 1.2, at_least=0)
    flags = flags.with_columns(pl.Series("kind", _pick(rng, *FINDING_KINDS, flags.height)))
    # every trial is read against the characterisation items of its product; most are not reported
    products = [p if p in ("cells", "exosomes") else "cells" for p in trials["product_type"].to_list()]
    items = [(t, p, i) for t, p in zip(ids, products, strict=True) for i in standards.items_of(ProductType(p))]
    characterisation = _frame(rng, "characterisation", len(items), [t for t, _, _ in items]).with_columns(
        pl.Series("product_type", [p for _, p, _ in items]),
        pl.Series("standard", [standards.STANDARDS[i.standard].name for *_, i in items]),
        pl.Series("item_no", [standards.ITEMS.index(i) + 1 for *_, i in items], dtype=pl.Int64),
        pl.Series("item", [i.id for *_, i in items]), pl.Series("item_label", [i.label for *_, i in items]),
        pl.Series("state", _pick(rng, ["not_reported", "reported", "unclear"], [0.75, 0.2, 0.05], len(items))),
        pl.Series("source_role", _pick(rng, ["primary", "secondary"], [0.7, 0.3], len(items))))
    made = {
        "trials": trials, "interventions": children("interventions", 0.1),
        "administrations": administrations, "outcomes": children("outcomes", 3),
        "assessments": children("assessments", 5), "sources": children("sources", 1),
        "publications": children("publications", 0.2), "reporting": reporting,
        "provenance": provenance, "flags": flags, "characterisation": characterisation,
    }
    # the tables with no generator of their own (the appraisal tables): about one row per trial
    return made | {name: children(name, 0.5, at_least=0) for name in TABLES if name not in made}


# --- scale --------------------------------------------------------------------------------------------------


def _timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def make_synthetic(n: int, folder: Path) -> dict:
    """Generate n trials and write their Parquet (in a process of its own, so the generator's Python lists
    never count toward the measured process's memory)."""
    tables = synthetic_tables(n)
    start = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.write_parquet(folder / f"{name}.parquet")
    return {"write_parquet_s": round(time.perf_counter() - start, 3)}


def page_transforms(t: dict[str, pl.DataFrame], selection: int = SELECTION) -> list:
    """What the pages compute after a filter change: the filter itself, the overview, and every view's frame and
    sections (a view that draws trials one by one over the bounded selection it draws, the others over every
    matching trial)."""
    view = store.filtered(t, Filters.of(product=["cells"]))
    shown = store.restrict(view, view["trials"]["trial_id"].sort().head(selection).to_list())
    out = [tf.headline_numbers(view["trials"]), tf.comparison_table(shown["trials"]), view["outcomes"].head(1_000)]
    for v in views.VIEWS:
        out.append(v.frame(shown if v.one_by_one else view))
        out += [s.table(view) for s in v.sections]
    return out


def per_trial_transforms_on_every_trial(t: dict[str, pl.DataFrame]) -> list:
    """The one-by-one views' transforms over every trial: what drawing all of them would cost (the app does not)."""
    return [v.frame(t) for v in views.VIEWS if v.one_by_one]


def view_times(t: dict[str, pl.DataFrame], selection: int = SELECTION) -> dict[str, dict[str, float]]:
    """Each view's transform and figure, timed on the trials it draws (from the registry: a new view is timed
    without being named here)."""
    shown = store.restrict(t, t["trials"]["trial_id"].sort().head(selection).to_list())
    times = {}
    for v in views.VIEWS:
        tables = shown if v.one_by_one else t
        frame, transform_s = _timed(lambda: v.frame(tables))  # noqa: B023
        _, figure_s = _timed(lambda: None if frame.is_empty() else v.figure(frame, tables))  # noqa: B023
        times[v.key] = {"transform_s": round(transform_s, 3), "figure_s": round(figure_s, 3)}
    return times


def scale_one(n: int, folder: Path) -> dict:
    """Read the Parquet of n synthetic trials as the app does, run the pages' transforms, draw every view's
    figure. Peak memory is taken before the extra all-trial run, which loads every table."""
    t = store.ParquetStore(folder)
    _, read_s = _timed(lambda: [t[name] for name in OVERVIEW_TABLES])
    _, transforms_s = _timed(lambda: page_transforms(t))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the all-trial extra below
    times = view_times(t)
    _, every_s = _timed(lambda: per_trial_transforms_on_every_trial(t))
    return {"trials": n, "read_parquet_s": round(read_s, 3), "transforms_s": round(transforms_s, 3),
            "figures_s": round(sum(v["figure_s"] for v in times.values()), 3), "peak_mb": round(peak_mb),
            "per_trial_transforms_on_every_trial_s": round(every_s, 3), "views": times}


def _run_self(*args: str, env: dict | None = None) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, timeout=900, check=True,
                         env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def scale(sizes: list[int]) -> dict:
    rows = []
    for n in sizes:  # processes of their own, so each peak memory is that size's own
        with tempfile.TemporaryDirectory() as tmp:
            made = _run_self("--make-synthetic", str(n), tmp)
            rows.append({**_run_self("--scale-one", str(n), tmp), **made})
    for prev, row in zip(rows, rows[1:], strict=False):
        row["growth_transforms"] = round(row["transforms_s"] / max(prev["transforms_s"], 1e-9), 1)
    return {str(r["trials"]): r for r in rows}


# --- what changed between two versions, at scale ------------------------------------------------------------

DIFF_TARGET_S, DIFF_TARGET_MB = 2.0, 1024


def make_versions(n: int, folder: Path, seed: int = 7) -> dict:
    """Two versions of n synthetic trials, as a curator's next release looks: 1 % of trials removed and 1 % added,
    5 % of values and 1 % of quotes changed, 2 % of findings removed and 2 % reworded (Parquet folders old/, new/)."""
    rng = np.random.default_rng(seed)
    tables = synthetic_tables(n, seed)
    ids = tables["trials"]["trial_id"]
    gone, added = ids.sample(fraction=0.01, seed=seed), ids.sample(fraction=0.01, seed=seed + 1)
    picked = lambda frame, p: pl.Series(rng.random(frame.height) < p)  # noqa: E731
    prov, flags = tables["provenance"], tables["flags"]
    edited = {"trials": tables["trials"],
              "provenance": prov.with_columns(
                  pl.when(picked(prov, 0.05)).then(pl.col("value") + " (revised)").otherwise("value").alias("value"),
                  pl.when(picked(prov, 0.01)).then(pl.col("quote") + " [re-read]").otherwise("quote").alias("quote")),
              "flags": (kept := flags.filter(~picked(flags, 0.02))).with_columns(
                  pl.when(picked(kept, 0.02)).then(pl.col("message") + " (reworded)").otherwise("message")
                  .alias("message"))}
    for name, version, kept in (("old", "0ld000000000", added), ("new", "new000000000", gone)):
        out = folder / name
        out.mkdir(parents=True, exist_ok=True)
        for table in NEEDED:
            frame = (tables if name == "old" else edited)[table]
            frame.filter(~pl.col("trial_id").is_in(kept.implode())).write_parquet(out / f"{table}.parquet")
        (out / "manifest.json").write_text(json.dumps({"dataset_version": version, "data_as_of": "2026-12-06"}))
    return {"trials": n}


def diff_one(folder: Path) -> dict:
    """Open both versions and compare them, as `python -m trialdata diff old new` does (with its CSV)."""
    start = time.perf_counter()
    old, new = from_folder(folder / "old"), from_folder(folder / "new")
    table = changes(old, new)
    csv = csv_bytes(table)
    seconds = time.perf_counter() - start
    return {"diff_s": round(seconds, 3), "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "changes": table.height, "csv_mb": round(len(csv) / 1e6, 1),
            "by_kind": dict(table.group_by("change").len().sort("change").iter_rows())}


def diff_at_scale(n: int) -> dict:
    """The diff of two n-trial versions, in a process of its own (so its peak memory is the diff's), with the
    targets."""
    with tempfile.TemporaryDirectory() as tmp:
        _run_self("--make-versions", str(n), tmp)
        row = _run_self("--diff-one", tmp)
    return {"trials": n, **row, "target_s": DIFF_TARGET_S, "target_mb": DIFF_TARGET_MB}


# --- pages (AppTest) ----------------------------------------------------------------------------------------


def _warm_app(name: str):
    """An AppTest session on the page, its first runs done."""
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at._page_hash = calc_hash(name)  # st.Page hashes the URL path; a view's generic page has no file to switch to
    return at.run()


def pages(repeats: int, names: list[str] = PAGES) -> dict:
    out = {}
    for name in names:
        at = _warm_app(name)
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            at.run()
            runs.append((time.perf_counter() - start) * 1000)
        out[name] = round(statistics.median(runs), 1)
    return out


@contextlib.contextmanager
def synthetic_app_env(n: int):
    """Environment variables that point the app at a folder of n synthetic trials (removed afterwards)."""
    import os

    from trialdata.export import write_parquet
    from trialdata.load import dataset_version

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        (data / "sources").mkdir(parents=True)
        (data / "trials").mkdir()
        # the version of its (empty) curated folder: the app serves a build only when it matches
        write_parquet(synthetic_tables(n), data / "parquet", dataset_version(data), "synthetic")
        yield {**os.environ, "TRIALDATA_DATA": str(data)}


def pages_at_scale(n: int, repeats: int, names: list[str]) -> dict:
    """Every page's warm script run with n synthetic trials loaded (the app pointed at a synthetic data folder)."""
    with synthetic_app_env(n) as env:
        return _run_self("--pages-only", str(repeats), *names, env=env)


# --- profile (py-spy) ---------------------------------------------------------------------------------------

FRAME = re.compile(r"^(?P<func>.*) \((?P<path>.*):\d+\)$")
PAGE_FILES = {p.name for p in (ROOT / "app_pages").glob("*.py")}
LIBRARY_OF = {"_plotly_utils": "plotly"}  # a top-level package -> the library it belongs to, where they differ


def _ours(path: str) -> str | None:
    """Our module for a py-spy frame's path (py-spy shortens paths to the sys.path entry), else None."""
    if path.startswith("trialdata/") or path == "app.py":
        return path
    return f"app_pages/{path}" if path in PAGE_FILES else None


def summarise_stacks(lines: list[str]) -> tuple[int, dict[str, int], dict[str, int]]:
    """From py-spy's raw stacks ("frame;frame;... count"), keep the script thread's samples; count, per function
    of ours, the samples it is anywhere on the stack of (once each), and per library the samples spent in it
    right below our deepest frame."""
    ours: dict[str, int] = {}
    below: dict[str, int] = {}
    total = 0
    for line in lines:
        stack_text, count = line.rsplit(" ", 1)
        frames = [m.groupdict() for f in stack_text.split(";") if (m := FRAME.match(f))]
        if not any(f["func"] == "exec_func_with_error_handling" for f in frames):
            continue  # not the script thread (the server, AppTest's waiting, start-up)
        total += int(count)
        mine = [(i, f"{module}:{f['func']}") for i, f in enumerate(frames) if (module := _ours(f["path"]))]
        for name in {name for _, name in mine}:
            ours[name] = ours.get(name, 0) + int(count)
        if mine and mine[-1][0] + 1 < len(frames):
            package = frames[mine[-1][0] + 1]["path"].split("/")[0]
            library = LIBRARY_OF.get(package, package)
            below[library] = below.get(library, 0) + int(count)
    return total, ours, below


def _profile_target(name: str, runs: int) -> None:
    """The profiled process: warm the page, say so, wait for py-spy, then run it."""
    at = _warm_app(name)
    print("warm", flush=True)
    sys.stdin.readline()
    for _ in range(runs):
        at.run()


def profile(name: str, trials: int | None, runs: int = 30) -> str:
    """Sample a page's warm script runs with py-spy (it sees the script thread, which in-process profilers
    miss) and say where the time goes: our functions, inclusive, and the library doing the work below them."""
    py_spy = Path(sys.executable).with_name("py-spy")
    with contextlib.ExitStack() as stack:
        env = stack.enter_context(synthetic_app_env(trials)) if trials else None
        raw = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "stacks.txt"
        target = subprocess.Popen([sys.executable, __file__, "--profile-target", name, str(runs)], env=env,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        if target.stdout.readline().strip() != "warm":  # only the warm runs are sampled
            raise RuntimeError(f"the page {name} did not run; try: python benchmarks/bench.py --pages-only 1 {name}")
        spy = subprocess.Popen([str(py_spy), "record", "--rate", "250", "--format", "raw", "--output", str(raw),
                                "--pid", str(target.pid)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1)  # py-spy attaches
        target.communicate("go\n")
        spy.wait(timeout=60)
        lines = raw.read_text().splitlines()
    total, ours, below = summarise_stacks(lines)
    out = [f"{name}{f' with {trials:,} synthetic trials' if trials else ''}: {runs} warm script runs, "
           f"{total} samples in the script thread (4 ms each). Our functions, inclusive share:"]
    out += [f"  {100 * n / total:5.1f} %  {k}" for k, n in sorted(ours.items(), key=lambda kv: -kv[1])[:15]]
    out.append("Under our deepest frame, the library doing the work:")
    out += [f"  {100 * n / total:5.1f} %  {k}" for k, n in sorted(below.items(), key=lambda kv: -kv[1])[:8]]
    return "\n".join(out)


# --- browser ------------------------------------------------------------------------------------------------

BARE = '''import plotly.graph_objects as go
import polars as pl
import streamlit as st


def bare():
    st.title("Bare")
    st.dataframe(pl.DataFrame({"a": list(range(20)), "b": [str(i) for i in range(20)]}))
    st.plotly_chart(go.Figure(go.Bar(x=list(range(20)), y=list(range(20)))), theme=None)


bare()
'''


def _edited(script: str, *edits: tuple[str, str]) -> str:
    """The script with each (old, new) edit made; an edit that finds nothing to replace is an error, not a no-op."""
    for old, new in edits:
        if old not in script:
            raise ValueError(f"bench script: {old!r} not found")
        script = script.replace(old, new)
    return script


# the same page inside our shell: navigation with as many pages, and the sidebar filters
SHELL = _edited(BARE, ("\nbare()\n", '''
from trialdata.ui.filters import sidebar_filters

pages = [st.Page(bare, title="Bare", url_path="bare", default=True)]
pages += [st.Page(lambda: None, title=f"Page {i}", url_path=f"p{i}") for i in range(10)]
page = st.navigation(pages)
sidebar_filters(page.url_path)
page.run()
'''))
# the bare page in our shell with a chart that follows the filters, as ours does (a changed chart is drawn anew):
# the least a filter change can cost on a page whose chart must change
SHELL_REDRAWING = _edited(
    SHELL, ("    st.plotly_chart(go.Figure(go.Bar(x=list(range(20)), y=list(range(20)))), theme=None)",
            "    n = 10 if FILTERED else 20\n"
            "    st.plotly_chart(go.Figure(go.Bar(x=list(range(n)), y=list(range(n)))), theme=None)"),
    ("sidebar_filters(page.url_path)\n", "FILTERED = sidebar_filters(page.url_path).active\n"))
# what single elements cost the browser: the bare page plus three more tables, or plus one of our charts
PLUS_TABLES = _edited(BARE, ("\nbare()\n", """
bare()
for i in range(3):
    st.dataframe(pl.DataFrame({"a": list(range(20)), "b": [str(i) for i in range(20)]}), key=f"more-{i}")
"""))
PLUS_CHART = _edited(BARE, ("\nbare()\n", """
bare()
import pathlib
import plotly.io as pio
st.plotly_chart(pio.from_json((pathlib.Path(__file__).parent / "chart.json").read_text()), theme=None)
"""))
STATE = "document.querySelector('[data-testid=stApp]')?.dataset.testScriptState"
# turns of filter changes a round in a full run (one change on each page compared): rounds give the range
CHANGES = 5


TABLES_DRAWN = "[...document.querySelectorAll('[data-testid=stDataFrame]')].every(t => t.querySelector('td'))"


def _drawn_ms(page, url: str, charts: int, marker: str) -> tuple[float | None, float]:
    """Navigation until the first chart is drawn (None on a page without one), and until the marker text (the
    footer, the page's last element), every chart and every table's cells are drawn."""
    start = time.perf_counter()
    page.goto(url)
    first_chart = None
    if charts:
        page.wait_for_function("document.querySelector('.js-plotly-plot .main-svg')", timeout=60_000)
        first_chart = (time.perf_counter() - start) * 1000
    page.get_by_text(marker).first.wait_for(timeout=60_000)
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}",
                           timeout=60_000)
    page.wait_for_function(TABLES_DRAWN, timeout=60_000)
    return first_chart, (time.perf_counter() - start) * 1000


# records each change of the app's script state ("running" / "notRunning") with its time
WATCH_RUNS = """window.__runs = [];
new MutationObserver(() => {
  const s = document.querySelector('[data-testid=stApp]')?.dataset.testScriptState, r = window.__runs;
  if (!r.length || r[r.length - 1][0] !== s) r.push([s, performance.now()]);
}).observe(document, {subtree: true, attributes: true, childList: true});"""
RERUN_DONE = """(() => { const r = window.__runs, i = r.findIndex(x => x[0] === 'running');
                return i >= 0 && r.slice(i).some(x => x[0] === 'notRunning'); })()"""


def _rerun_after(page, action) -> tuple[float, float] | None:
    """Do the action; ms until the rerun it causes has ended and been painted, and ms until that rerun began.
    None when the rerun was too quick for the observer to see it start (rare: then there is nothing to time)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.evaluate("window.__runs = []")
    clicked = page.evaluate("performance.now()")
    start = time.perf_counter()
    action()
    try:
        page.wait_for_function(RERUN_DONE, timeout=15_000)
    except PlaywrightTimeout:
        page.wait_for_function(f"{STATE} === 'notRunning'", timeout=60_000)
        return None
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")  # painted
    total = (time.perf_counter() - start) * 1000
    began = page.evaluate("window.__runs.find(x => x[0] === 'running')[1]") - clicked
    return total, began


def _filter_change(page) -> tuple[float, float] | None:
    """Choose a product type in the sidebar: (ms until the page has rerun and is painted again, ms until that
    rerun began), as _rerun_after; then clear it."""
    from playwright.sync_api import expect

    page.bring_to_front()  # a tab in the background draws late
    page.get_by_test_id("stSidebar").get_by_text("Choose filters").click()
    page.get_by_test_id("stMultiSelect").filter(has_text="Product type").click()
    option = page.get_by_role("option", name="exosomes", exact=True)
    option.wait_for()
    page.wait_for_timeout(200)  # the list has opened: its animation is not part of the change
    timed = _rerun_after(page, option.click)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    clear = page.get_by_role("button", name="Clear filters")
    clear.click()
    expect(clear).to_be_disabled(timeout=60_000)
    page.wait_for_function(f"{STATE} === 'notRunning'", timeout=60_000)
    return timed


def _filter_changes(context, ours: str, bare: str, redrawing: str, rounds: int, turns: int) -> list[list[tuple]]:
    """The same filter change on our sample-sizes page, on the bare page in our shell, and on that page with a
    chart that follows the filters, each open in its own tab and taken in turns so that the changes of a turn
    are seconds apart (the machine's speed drifts within minutes); each turn starts on the next tab, so no page
    always comes first. Per round, `turns` turns (ours, bare, redrawing), after one that warms up; a turn
    with a change too quick to see is left out."""
    tabs = []
    for url, marker in [(f"{ours}/sample-sizes", "Dataset version"), (bare, "Bare"), (redrawing, "Bare")]:
        tab = context.new_page()
        _drawn_ms(tab, url, 1, marker)
        tab.evaluate(WATCH_RUNS)
        tabs.append(tab)

    def turn(first: int) -> tuple:
        timed = {i: _filter_change(tabs[i]) for i in [(first + k) % len(tabs) for k in range(len(tabs))]}
        return tuple(timed[i] for i in range(len(tabs)))

    turn(0)
    made = [[turn(r * turns + k) for k in range(turns)] for r in range(rounds)]
    return [[t for t in turns if None not in t] for turns in made]


def _next_slide(page, url: str, repeats: int) -> int | None:
    """Presentation mode from its first slide: the Right arrow until the next slide has been drawn (median ms
    over the moves after the first; None when every move was too quick to see)."""
    page.goto(f"{url}/present?slide=1")
    page.get_by_text("Slide 1 of").wait_for(timeout=60_000)
    page.wait_for_function(f"{STATE} === 'notRunning'", timeout=60_000)
    count = int(re.search(r"Slide 1 of (\d+)", page.get_by_text("Slide 1 of").first.inner_text()).group(1))
    page.evaluate(WATCH_RUNS)
    page.get_by_role("heading", level=1).first.click()  # the page has the focus, as a presenter's would
    timed = []
    for slide in range(2, min(repeats + 3, count + 1)):  # never past the last slide
        timed.append(_rerun_after(page, lambda: page.keyboard.press("ArrowRight")))
        page.get_by_text(f"Slide {slide} of").wait_for(timeout=60_000)
    seen = [t[0] for t in timed[1:] if t is not None]
    return round(statistics.median(seen)) if seen else None


def browser(repeats: int, names: list[str], elements: bool = False, turns: int = CHANGES) -> dict:
    """Our pages, each followed by the bare page and the bare page in our shell; with elements, also the bare
    page plus three tables and plus one of our charts, once a round. Page load times on this machine drift by
    ±20 % within minutes, so each ratio pairs a page with the bare page loaded right after it. Then the filter
    changes (_filter_changes) and presentation mode's next slide."""
    from playwright.sync_api import sync_playwright

    from trialdata.local_app import CHROMIUM, running_app
    from trialdata.local_app import CHROMIUM_ARGS as ARGS

    extra = {"bare_plus_three_tables": PLUS_TABLES, "bare_plus_our_chart": PLUS_CHART} if elements else {}
    runs: dict[str, list[float]] = {name: [] for name in [*names, "bare", "bare_in_our_shell"]}
    first_chart: dict[str, list[float]] = {name: [] for name in names if CHARTS.get(name)}
    paired: dict[str, list[float]] = {name: [] for name in [*names, "bare_in_our_shell"]}  # ms / the bare page's
    added: dict[str, list[float]] = {name: [] for name in extra}  # ms over the round's median bare page
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p, contextlib.ExitStack() as apps:
        scripts = {"bare": BARE, "bare_in_our_shell": SHELL, "bare_redrawing": SHELL_REDRAWING, **extra}
        for name, text in scripts.items():
            (Path(tmp) / f"{name}.py").write_text(text)
        tables = read_parquet(ROOT / "data" / "parquet")
        (Path(tmp) / "chart.json").write_text(
            views.sample_sizes.sample_size_figure(views.sample_sizes.sample_size_points(tables["provenance"])).to_json())
        browser_ = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser_.new_page(viewport={"width": 1400, "height": 1400})
        ours = apps.enter_context(running_app())
        url = {name: apps.enter_context(running_app(script=str(Path(tmp) / f"{name}.py"))) for name in scripts}
        for i in range(repeats + 1):  # the first round warms every server and cache
            bare_this_round = []
            for name in names:
                chart_ms, ms = _drawn_ms(page, f"{ours}/{URLS[name]}", CHARTS.get(name, 0), "Dataset version")
                _, bare_ms = _drawn_ms(page, url["bare"], 1, "Bare")
                _, shell_ms = _drawn_ms(page, url["bare_in_our_shell"], 1, "Bare")
                bare_this_round.append(bare_ms)
                if i:
                    for key, value in [(name, ms), ("bare", bare_ms), ("bare_in_our_shell", shell_ms)]:
                        runs[key].append(value)
                    if chart_ms is not None:
                        first_chart[name].append(chart_ms)
                    paired[name].append(ms / bare_ms)
                    paired["bare_in_our_shell"].append(shell_ms / bare_ms)
            for name in extra:
                _, ms = _drawn_ms(page, url[name], 1 + (name == "bare_plus_our_chart"), "Bare")
                if i:
                    added[name].append(ms - statistics.median(bare_this_round))
        context = browser_.new_context(viewport={"width": 1400, "height": 1400})
        changes = _filter_changes(context, ours, url["bare_in_our_shell"], url["bare_redrawing"], repeats, turns)
        next_slide = _next_slide(page, ours, repeats)
        browser_.close()
    return {**browser_summary(runs, paired, first_chart, added, changes), "next_slide_ms": next_slide}


def browser_summary(runs: dict[str, list[float]], paired: dict[str, list[float]], first_chart: dict[str, list[float]],
                    added: dict[str, list[float]], changes: list[list[tuple]]) -> dict:
    """The browser figures from the samples: medians per page, the paired ratios (each page over the bare page
    loaded right after it, median over rounds; `ratio` is the median page's), the first chart drawn per page,
    and the filter change over the same change on the bare page in our shell made right after it (median of
    the turns' ratios; `changes` holds the turns of each round, and the range is that of the rounds' medians),
    and over the change on that page when its chart follows the filters (and that page over the bare page's:
    the floor of any change that redraws a chart)."""
    ms = {name: round(statistics.median(values)) for name, values in runs.items()}
    by_round = [statistics.median(ours[0] / shell[0] for ours, shell, _ in turns) for turns in changes if turns]
    changes = [turn for turns in changes for turn in turns]
    ratio = {name: round(statistics.median(values), 2) for name, values in paired.items()
             if name != "bare_in_our_shell"}
    names = list(ratio)
    return {"pages_ms": {name: ms[name] for name in names}, "bare_ms": ms["bare"],
            "bare_ms_range": [round(min(runs["bare"])), round(max(runs["bare"]))],
            "bare_in_our_shell_ms": ms["bare_in_our_shell"], "ratio_by_page": ratio,
            "ratio_range_by_page": {name: [round(min(paired[name]), 2), round(max(paired[name]), 2)] for name in names},
            "rounds": min(len(paired[name]) for name in names),
            "ratio": round(statistics.median(ratio.values()), 2), "ratio_worst_page": max(ratio.values()),
            "shell_ratio": round(statistics.median(paired["bare_in_our_shell"]), 2),
            "first_chart_ms": {name: round(statistics.median(values)) for name, values in first_chart.items()},
            **({"three_more_tables_add_ms": round(statistics.median(added["bare_plus_three_tables"])),
                "one_of_our_charts_adds_ms": round(statistics.median(added["bare_plus_our_chart"]))}
               if added else {}),
            **(_change_figures(changes, by_round) if changes else {"filter_change_turns": 0})}


def _change_figures(changes: list[tuple], by_round: list[float]) -> dict:
    """The filter-change figures from the turns that were timed (none when every change was too quick to see)."""
    return {"filter_change_ms": round(statistics.median(ours[0] for ours, _, _ in changes)),
            "filter_change_until_rerun_began_ms": round(statistics.median(ours[1] for ours, _, _ in changes)),
            "filter_change_bare_in_our_shell_ms": round(statistics.median(shell[0] for _, shell, _ in changes)),
            "filter_change_turns": len(changes),
            "filter_change_ratio": round(statistics.median(ours[0] / shell[0] for ours, shell, _ in changes), 2),
            "filter_change_ratio_range": [round(min(by_round), 2), round(max(by_round), 2)],
            "filter_change_bare_redrawing_ms": round(statistics.median(drawn[0] for _, _, drawn in changes)),
            "filter_change_over_bare_redrawing": round(statistics.median(
                ours[0] / drawn[0] for ours, _, drawn in changes), 2),
            # the least any page pays for a chart that follows the filters: the redrawing bare page over the bare
            # page whose chart stays, turn by turn (what filter_change_ratio would be for a page that is one chart)
            "filter_change_redrawing_floor": round(statistics.median(
                drawn[0] / shell[0] for _, shell, drawn in changes), 2)}


def _load_with_cpu(context, url: str, charts: int) -> tuple[float, float]:
    """A page load in a new tab: wall time until drawn (as _drawn_ms), and the tab's main-thread task time
    (Chrome's TaskDuration: script, style, layout, paint), which waiting for a busy CPU does not inflate."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    _, ms = _drawn_ms(page, url, charts, "Dataset version")
    task = next(m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] == "TaskDuration")
    page.close()
    return ms, task * 1000


def compare(other: Path, repeats: int, names: list[str]) -> dict:
    """A/B in the browser: each page of this checkout (B) over the same page of another checkout of the app (A)
    loaded right after it (who goes first alternates), median of the paired ratios over rounds with their
    spread; both for the wall time and for the browser's main-thread task time (the machine is shared: wall
    times of single loads spread over 2x there, task time much less)."""
    from playwright.sync_api import sync_playwright

    from trialdata.local_app import CHROMIUM, running_app
    from trialdata.local_app import CHROMIUM_ARGS as ARGS

    wall: dict[str, list[tuple[float, float]]] = {name: [] for name in names}  # (A, B) per round
    cpu: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    with sync_playwright() as p, contextlib.ExitStack() as apps:
        browser_ = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser_.new_context(viewport={"width": 1400, "height": 1400})
        b = apps.enter_context(running_app())
        a = apps.enter_context(running_app(script=str(other / "app.py"), PYTHONPATH=str(other)))
        for i in range(repeats + 1):  # the first round warms both
            for name in names:
                order = [("a", a), ("b", b)] if i % 2 else [("b", b), ("a", a)]
                got = {k: _load_with_cpu(context, f"{u}/{URLS[name]}", CHARTS.get(name, 0)) for k, u in order}
                if i:
                    wall[name].append((got["a"][0], got["b"][0]))
                    cpu[name].append((got["a"][1], got["b"][1]))
        browser_.close()

    def summary(pairs: list[tuple[float, float]]) -> dict:
        r = [b_ / a_ for a_, b_ in pairs]
        return {"b_over_a": round(statistics.median(r), 2), "range": [round(min(r), 2), round(max(r), 2)],
                "a_ms": round(statistics.median(a_ for a_, _ in pairs)),
                "b_ms": round(statistics.median(b_ for _, b_ in pairs))}
    return {name: {"wall": summary(wall[name]), "browser_task": summary(cpu[name])} for name in names}


# --- exports ----------------------------------------------------------------------------------------------


def exports(quick: bool) -> dict:
    tables = read_parquet(ROOT / "data" / "parquet")
    meta = Meta("bench", "bench")
    _, bundle_s = _timed(lambda: bundle_zip(tables, meta))
    page, html_s = _timed(lambda: handout_html(tables, meta))
    out = {"bundle_zip_s": round(bundle_s, 3), "handout_html_s": round(html_s, 3)}
    if not quick:
        _, out["handout_pdf_s"] = _timed(lambda: handout_pdf(page))
        _, out["slides_pptx_s"] = _timed(lambda: slides_pptx(tables, meta))
        out = {k: round(v, 3) for k, v in out.items()}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer repeats and sizes: about a minute")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    ap.add_argument("--make-synthetic", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--scale-one", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--make-versions", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--diff-one", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--diff-only", type=int, metavar="TRIALS", help="only the diff of two synthetic versions")
    ap.add_argument("--pages-only", nargs="+", help=argparse.SUPPRESS)
    ap.add_argument("--profile", metavar="PAGE", choices=PAGES, help="only profile this page's script runs (py-spy)")
    ap.add_argument("--trials", type=int, help="with --profile: load this many synthetic trials instead")
    ap.add_argument("--profile-target", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--compare", type=Path, metavar="DIR",
                    help="only A/B the browser page loads against another checkout of the app in DIR")
    ap.add_argument("--browser-only", action="store_true", help="only the browser figures (to JSON with --json)")
    ap.add_argument("--rounds", type=int, help="with --compare or --browser-only: paired rounds (default 5)")
    ap.add_argument("--page", action="append", choices=list(URLS), help="with --compare or --browser-only: "
                    "only these pages (repeatable)")
    args = ap.parse_args()
    if args.compare:
        out = compare(args.compare.resolve(), args.rounds or 5, args.page or list(URLS))
        for name, rows in out.items():
            print(f"  {name:<14} " + "; ".join(
                f"{kind} B/A x{r['b_over_a']} (rounds {r['range'][0]}-{r['range'][1]}, A {r['a_ms']} ms, "
                f"B {r['b_ms']} ms)" for kind, r in rows.items()))
        if args.json:
            args.json.write_text(json.dumps(out, indent=2) + "\n")
        return 0
    if args.browser_only:
        out = browser(args.rounds or 5, args.page or list(URLS))
        print(json.dumps(out, indent=2))
        if args.json:
            args.json.write_text(json.dumps(out, indent=2) + "\n")
        return 0
    if args.profile_target:
        _profile_target(args.profile_target[0], int(args.profile_target[1]))
        return 0
    if args.profile:
        print(profile(args.profile, args.trials))
        return 0
    if args.make_synthetic:
        print(json.dumps(make_synthetic(int(args.make_synthetic[0]), Path(args.make_synthetic[1]))))
        return 0
    if args.scale_one:
        print(json.dumps(scale_one(int(args.scale_one[0]), Path(args.scale_one[1]))))
        return 0
    if args.make_versions:
        print(json.dumps(make_versions(int(args.make_versions[0]), Path(args.make_versions[1]))))
        return 0
    if args.diff_one:
        print(json.dumps(diff_one(args.diff_one)))
        return 0
    if args.diff_only:
        print(json.dumps(diff_at_scale(args.diff_only)))
        return 0
    if args.pages_only:
        print(json.dumps(pages(int(args.pages_only[0]), args.pages_only[1:])))
        return 0
    quick = args.quick  # fewer repeats, sizes and pages in the browser and at scale: under a minute
    result = {
        "pages": pages(2 if quick else 7),
        "browser": browser(1 if quick else 5, ["sample-sizes"] if quick else list(URLS), elements=not quick,
                           turns=1 if quick else CHANGES),
        "scale": scale([1_000, 10_000] if quick else [1_000, 10_000, 100_000]),
        "pages_at_scale": {"trials": (n := 2_000 if quick else 10_000),
                           "ms": pages_at_scale(n, 1 if quick else 3, QUICK_PAGES if quick else PAGES)},
        "exports": exports(quick),
        "diff": diff_at_scale(10_000 if quick else 100_000),
    }
    print("pages (AppTest, warm script run, median ms):")
    for name, ms in result["pages"].items():
        print(f"  {name:<14} {ms:>8.1f}")
    b = result["browser"]
    print(f"browser (navigation to every chart and the first table drawn, median ms): bare page {b['bare_ms']} "
          f"(single loads {b['bare_ms_range'][0]}-{b['bare_ms_range'][1]}); ratio ours/bare {b['ratio']}, each page "
          f"over the bare page loaded right after it (worst page {b['ratio_worst_page']}); the bare page inside our "
          f"navigation and sidebar filters {b['bare_in_our_shell_ms']} (x{b['shell_ratio']})")
    if not b["filter_change_turns"]:
        print("  a filter change: every change was too quick to time (run again, or without --quick)")
    else:
        print(f"  a filter change redrawn in {b['filter_change_ms']} ms (the rerun began after "
              f"{b['filter_change_until_rerun_began_ms']} ms; the same change on the bare page in our shell: "
              f"{b['filter_change_bare_in_our_shell_ms']} ms: x{b['filter_change_ratio']} over "
              f"{b['filter_change_turns']} turns, rounds {b['filter_change_ratio_range'][0]}-"
              f"{b['filter_change_ratio_range'][1]}; on that page "
              f"with a chart that follows the filters: {b['filter_change_bare_redrawing_ms']} ms, ours "
              f"x{b['filter_change_over_bare_redrawing']} of it; that page itself: "
              f"x{b['filter_change_redrawing_floor']} of the bare page's change)")
    print(f"  presentation: the next slide drawn {b['next_slide_ms'] or '(too quick to time)'} ms after the arrow key")
    if "three_more_tables_add_ms" in b:
        print(f"  on the bare page, three more tables add {b['three_more_tables_add_ms']} ms, one of our charts "
              f"(sample sizes) adds {b['one_of_our_charts_adds_ms']} ms")
    for name, ms in b["pages_ms"].items():
        first = b["first_chart_ms"].get(name)
        print(f"  {name:<14} {ms:>8}  x{b['ratio_by_page'][name]} (rounds {b['ratio_range_by_page'][name][0]}-"
              f"{b['ratio_range_by_page'][name][1]}){f'; first chart drawn at {first} ms' if first else ''}")
    print("scale (synthetic trials; seconds; peak MB of the process that reads and transforms; growth of the pages'\n"
          "  transforms from the previous size; last: per-trial transforms over every trial, never done by the app):")
    for row in result["scale"].values():
        print(f"  {row['trials']:>7} trials: write Parquet {row['write_parquet_s']} s, read {row['read_parquet_s']} s, "
              f"transforms {row['transforms_s']} s, figures {row['figures_s']} s, peak {row['peak_mb']} MB, "
              f"growth x{row.get('growth_transforms', '-')}; "
              f"every trial {row['per_trial_transforms_on_every_trial_s']} s")
    print(f"pages with {result['pages_at_scale']['trials']:,} synthetic trials (AppTest, warm script run, ms):")
    for name, ms in result["pages_at_scale"]["ms"].items():
        print(f"  {name:<14} {ms:>8.1f}")
    print(f"exports: {result['exports']}")
    d = result["diff"]
    print(f"diff of two versions of {d['trials']:,} synthetic trials (python -m trialdata diff): {d['diff_s']} s "
          f"(target {d['target_s']} s), peak {d['peak_mb']} MB (target {d['target_mb']} MB), {d['changes']:,} "
          f"changes")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
