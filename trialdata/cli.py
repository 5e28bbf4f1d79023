"""`python -m trialdata validate | build | export | handout | bundle | import-ctgov | watch`: every problem as
file:line: field: message."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from trialdata.changes import Snapshot, changes, summary
from trialdata.checks import validate
from trialdata.columns import field_label
from trialdata.export import csv_bytes, write_atomic, write_csvs, write_parquet
from trialdata.load import REPO_DATA, Loaded, dataset_version
from trialdata.registry_client import DEFAULT_API, Manners
from trialdata.schema import json_schema
from trialdata.snapshot import NotAVersion, open_version
from trialdata.store import Beside
from trialdata.tables import build_tables

FORMATS = ("html", "pdf", "pptx")


def _valid_records(paths: list[Path], data: Path) -> list[Loaded] | None:
    records, problems = validate(paths, data / "sources")
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {len({p.file for p in problems})} file(s)", file=sys.stderr)
        return None
    return records


def cmd_validate(args) -> int:
    paths = [Path(p) for p in args.paths] or [args.data / "trials"]
    records = _valid_records(paths, args.data)
    if records is None:
        return 1
    print(f"ok: {len(records)} trial(s) valid, every quote found in its source")
    return 0


def cmd_build(args) -> int:
    records = _valid_records([args.data / "trials"], args.data)
    if records is None:
        return 1
    trials = [r.trial for r in records]
    as_of = max(t.curation.checked_on for t in trials)
    write_parquet(build_tables(trials), args.data / "parquet", dataset_version(args.data), as_of)
    schema_path = args.data / "trials.schema.json"
    write_atomic(schema_path, (json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    print(f"built {args.data / 'parquet'} and {schema_path} from {len(trials)} trial(s)")
    return 0


def cmd_export(args) -> int:
    records = _valid_records([args.data / "trials"], args.data)
    if records is None:
        return 1
    written = write_csvs(build_tables([r.trial for r in records]), args.out_dir)
    print(f"wrote {len(written)} CSV files to {args.out_dir}")
    return 0


def _tables_and_meta(args):
    from trialdata.report.content import Meta  # imported here: the dataset commands do not need plotly

    records = _valid_records([args.data / "trials"], args.data)
    if records is None:
        return None, None
    trials = [r.trial for r in records]
    meta = Meta(dataset_version(args.data), max(t.curation.checked_on for t in trials),
                link=getattr(args, "app_url", None), filters="all trials (made with python -m trialdata)")
    return build_tables(trials), meta


def _with_since(tables, meta, args):
    """The tables with the changes since `--since OLD` beside them (the handout's and deck's "What changed since
    the last talk", the bundle's changes.csv); the same tables without it."""
    if not args.since:
        return tables
    older = open_version(args.since, args.data.resolve().parent)
    now = Snapshot.of(tables, meta.version, meta.as_of, "the curated data")
    return Beside(tables, {"changes": changes(older, now)})


def cmd_handout(args) -> int:
    from trialdata.report.deck import slides_pptx
    from trialdata.report.handout import handout_html
    from trialdata.report.pdf import handout_pdf

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or not formats:
        print(f"error: --format takes a comma-separated list of {', '.join(FORMATS)}; got {args.format!r}",
              file=sys.stderr)
        return 2
    tables, meta = _tables_and_meta(args)
    if tables is None:
        return 1
    try:
        tables = _with_since(tables, meta, args)
    except NotAVersion as e:
        print(f"error: --since: {e}", file=sys.stderr)
        return 2
    args.out_dir.mkdir(parents=True, exist_ok=True)
    page = handout_html(tables, meta, paper=args.paper)
    makers = {"html": lambda: page.encode("utf-8"), "pdf": lambda: handout_pdf(page),
              "pptx": lambda: slides_pptx(tables, meta)}
    for fmt in formats:
        name = f"{meta.stem}_{'slides' if fmt == 'pptx' else 'handout'}.{fmt}"
        print(f"making {name} ...", flush=True)
        write_atomic(args.out_dir / name, makers[fmt]())
    print(f"wrote {len(formats)} file(s) to {args.out_dir}")
    return 0


def cmd_bundle(args) -> int:
    from trialdata.report.bundle import bundle_zip

    tables, meta = _tables_and_meta(args)
    if tables is None:
        return 1
    try:
        tables = _with_since(tables, meta, args)
    except NotAVersion as e:
        print(f"error: --since: {e}", file=sys.stderr)
        return 2
    args.out_dir.mkdir(parents=True, exist_ok=True)
    path = args.out_dir / f"{meta.stem}_bundle.zip"
    write_atomic(path, bundle_zip(tables, meta))
    print(f"wrote {path}")
    return 0


def cmd_diff(args) -> int:
    repo = args.data.resolve().parent
    try:
        old = open_version(args.old, repo)
        if args.new:
            new = open_version(args.new, repo)
        else:  # the curated data as it is now: built from its YAML, so an edit not yet built counts
            tables, meta = _tables_and_meta(args)
            if tables is None:
                return 1
            new = Snapshot.of(tables, meta.version, meta.as_of, "the curated data")
    except NotAVersion as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    table = changes(old, new)
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / "changes.csv"
    write_atomic(out, csv_bytes(table))
    print("\n".join(summary(table, old, new, field_label)))
    print(f"wrote {out} ({len(table)} row{'s' if len(table) != 1 else ''})")
    return 0


def cmd_import_ctgov(args) -> int:
    from trialdata.ctgov import drafts

    try:
        raw = args.file.read_bytes()
    except OSError as e:
        print(f"{args.file}:1: (file): cannot read: {e.strerror}", file=sys.stderr)
        return 1
    made, problems = drafts(str(args.file), raw)
    for p in problems:
        print(p, file=sys.stderr)
    out = args.out or args.data / "trials"
    targets = [(out / f"{d.trial.trial_id}.yaml", args.data / "sources" / d.source_name) for d in made]
    clash = [str(t) for pair in targets for t in pair if t.exists()] if not args.force else []
    if clash:  # never overwrite what is saved without being asked to
        print(f"error: would replace {', '.join(clash)}; use --force to replace", file=sys.stderr)
        return 1
    for draft, (yaml_path, source_path) in zip(made, targets, strict=True):
        out.mkdir(parents=True, exist_ok=True)
        source_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(source_path, draft.source_json.encode("utf-8"))
        write_atomic(yaml_path, draft.yaml_text.encode("utf-8"))
        print(f"wrote {yaml_path} (source: {source_path})")
    if problems:
        print(f"{len(problems)} problem(s); {len(made)} draft(s) written", file=sys.stderr)
    return 1 if problems else 0


def cmd_watch(args) -> int:
    from trialdata import watch
    from trialdata.registry_client import RegistryClient

    records = _valid_records([args.data / "trials"], args.data)
    if records is None:
        return 1
    curated = {r.trial.trial_id: r.trial for r in records}
    unknown = [t for t in args.trial_ids if t not in curated]
    if unknown:
        print(f"error: not a curated trial: {', '.join(unknown)} (the curated ones are in {args.data / 'trials'})",
              file=sys.stderr)
        return 2
    chosen = [curated[t] for t in args.trial_ids] if args.trial_ids else sorted(curated.values(),
                                                                                 key=lambda t: t.trial_id)
    manners = Manners(timeout=args.timeout, retries=args.retries, pause=args.pause, backoff=args.backoff)
    today = watch.today_utc()
    with RegistryClient(args.api, manners) as client:
        results = watch.watch(chosen, client.study, today, pause=manners.pause)
    written = watch.write_report(results, args.out, args.api, today)
    print(watch.summary(results, args.api, today), end="")
    print(f"wrote {', '.join(p.name for p in written)} to {args.out}")
    return 1 if any(r.outcome == watch.FAILED for r in results) else 0


def _number(kind: type, ok, words: str):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not ok(value):
            raise argparse.ArgumentTypeError(f"{text!r}: give {words}")
        return value
    return parse


_positive = _number(float, lambda v: v > 0, "a number of seconds above 0")
_not_negative_float = _number(float, lambda v: v >= 0, "a number of seconds, 0 or more")
_not_negative = _number(int, lambda v: v >= 0, "a whole number, 0 or more")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m trialdata", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    data = argparse.ArgumentParser(add_help=False)
    data.add_argument("--data", type=Path, default=REPO_DATA,
                      help="data folder with trials/ and sources/ (default: the repository's data/)")
    v = sub.add_parser("validate", parents=[data], help="validate trial YAML files or folders")
    v.add_argument("paths", nargs="*", help="YAML files or folders (default: DATA/trials)")
    v.set_defaults(func=cmd_validate)
    b = sub.add_parser("build", parents=[data], help="write DATA/parquet/*.parquet and the JSON schema")
    b.set_defaults(func=cmd_build)
    e = sub.add_parser("export", parents=[data], help="write one CSV per table and data_dictionary.csv")
    e.add_argument("out_dir", type=Path)
    e.set_defaults(func=cmd_export)
    h = sub.add_parser("handout", parents=[data], help="write the journal-club handout (HTML, PDF) and slides (PPTX)")
    h.add_argument("out_dir", type=Path)
    h.add_argument("--format", default="html,pdf,pptx", help="comma-separated: html, pdf, pptx (default: all)")
    h.add_argument("--paper", choices=("a4", "letter"), default="a4", help="the handout's paper size (default: a4)")
    h.add_argument("--app-url", help="the app's address: the handout links to it (with the dataset version) and "
                                     "prints its QR code")
    h.add_argument("--since", metavar="OLD", help="add \"What changed since the last talk\" against an older version: "
                                                  "a bundle zip, a folder of Parquet tables or a git revision")
    h.set_defaults(func=cmd_handout)
    z = sub.add_parser("bundle", parents=[data], help="write the citable zip: CSV, Parquet, dictionary, README, CFF")
    z.add_argument("out_dir", type=Path)
    z.add_argument("--since", metavar="OLD", help="add changes.csv: what changed since an older version (a bundle "
                                                  "zip, a folder of Parquet tables or a git revision)")
    z.set_defaults(func=cmd_bundle)
    d = sub.add_parser("diff", parents=[data], help="what changed between two versions of the dataset: changes.csv "
                                                    "and a summary")
    d.add_argument("old", help="the older version: a bundle zip, a folder of Parquet tables or a git revision")
    d.add_argument("new", nargs="?", help="the newer version, the same kinds (default: the curated data in DATA)")
    d.add_argument("--out", type=Path, default=Path("out/diff"), help="folder for changes.csv (default: out/diff)")
    d.set_defaults(func=cmd_diff)
    g = sub.add_parser("import-ctgov", parents=[data],
                       help="turn a ClinicalTrials.gov API v2 JSON study (or {studies: [...]}) into draft YAML")
    g.add_argument("file", type=Path)
    g.add_argument("--out", type=Path, help="folder for the draft YAML (default: DATA/trials)")
    g.add_argument("--force", action="store_true", help="replace drafts or sources that already exist")
    g.set_defaults(func=cmd_import_ctgov)
    w = sub.add_parser(
        "watch", parents=[data],
        help="compare each curated ClinicalTrials.gov trial with the registry's current record",
        description="Fetch each trial's current ClinicalTrials.gov record (API v2), draft it with the importer and "
                    "compare it with the curated record: status, enrolment, dates, arms, interventions, outcomes, "
                    "eligibility, results posted, last update. Writes OUT/watch.csv (one row per trial and "
                    "question; watch_columns.csv says what each column holds), OUT/watch_findings.yaml (a drafted "
                    "finding of kind registry_changed per change, for a curator to review) and "
                    "OUT/watch_summary.txt, and prints the summary. Never edits a curated record. IRCT trials are "
                    "listed as not watched: IRCT has no API.",
        epilog="exit status: 0 when every watched trial was fetched and read; 1 when any failed (the others are "
               "still compared and reported) or the curated records do not validate; 2 on a usage error.")
    w.add_argument("trial_ids", nargs="*", metavar="TRIAL_ID", help="curated trials to watch (default: all)")
    w.add_argument("--api", default=DEFAULT_API, help=f"the API's base address (default: {DEFAULT_API})")
    w.add_argument("--out", type=Path, default=Path("out/watch"), help="folder for the report (default: out/watch)")
    w.add_argument("--timeout", type=_positive, default=Manners.timeout,
                   help=f"seconds to connect, and for each read (default: {Manners.timeout:g})")
    w.add_argument("--retries", type=_not_negative, default=Manners.retries,
                   help=f"tries after the first on 429, 5xx, a timeout or a dropped connection (default: "
                        f"{Manners.retries})")
    w.add_argument("--backoff", type=_not_negative_float, default=Manners.backoff,
                   help=f"seconds before the first retry, doubled before each next (default: {Manners.backoff:g})")
    w.add_argument("--pause", type=_not_negative_float, default=Manners.pause,
                   help=f"seconds between two trials (default: {Manners.pause:g})")
    w.set_defaults(func=cmd_watch)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except OSError as e:  # an unwritable or missing folder is the user's input, not a crash
        print(f"error: {e.filename or ''}: {e.strerror}", file=sys.stderr)
        return 1
