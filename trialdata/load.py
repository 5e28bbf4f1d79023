"""YAML files -> validated `Trial` records. Every problem names its file, line and field."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from trialdata.schema import Trial

REPO_DATA = Path(os.environ.get("TRIALDATA_DATA", Path(__file__).resolve().parent.parent / "data"))
MAX_FILE_BYTES = 2_000_000  # the largest curated record is ~20 kB
MAX_NODES = 50_000  # YAML nodes after expanding aliases: stops "billion laughs" files
MAX_DEPTH = 40  # nesting levels; a trial needs fewer than 10
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, printed as `file:line: field: message`."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


@dataclass(frozen=True)
class Loaded:
    trial: Trial
    path: Path
    lines: dict[tuple, int]  # field path -> line, for problems found after loading


def safe_loader(base: type[yaml.resolver.BaseResolver]) -> type:
    """A safe loader on `base` (libyaml's CSafeLoader or PyYAML's pure-Python SafeLoader) that keeps
    dates as text. Both must read every data file alike, so a file never depends on libyaml."""
    resolvers = {
        ch: [(tag, rx) for tag, rx in rs if tag != "tag:yaml.org,2002:timestamp"]
        for ch, rs in base.yaml_implicit_resolvers.items()
    }
    return type(f"Trial{base.__name__}", (base,), {"yaml_implicit_resolvers": resolvers})


_Loader = safe_loader(_BASE_LOADER)  # duplicate keys are refused by _line_map, which PyYAML does not


def _compose(text: str, loader: type) -> yaml.Node | None:
    return yaml.compose(text, Loader=loader)


def _check_size(root: yaml.Node | None) -> None:
    """Refuse documents whose aliases expand past MAX_NODES or that nest past MAX_DEPTH."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        if depth > MAX_DEPTH:
            raise yaml.MarkedYAMLError(problem=f"nested more than {MAX_DEPTH} levels deep",
                                       problem_mark=node.start_mark)
        if id(node) not in sizes:
            children = ([n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode)
                        else node.value if isinstance(node, yaml.SequenceNode) else [])
            sizes[id(node)] = 1 + sum(size(child, depth + 1) for child in children)
        if sizes[id(node)] > MAX_NODES:
            raise yaml.MarkedYAMLError(problem=f"expands to more than {MAX_NODES} values (aliases repeated "
                                       "over and over?)", problem_mark=node.start_mark)
        return sizes[id(node)]

    if root is not None:
        size(root, 0)


def _line_map(node: yaml.Node | None) -> dict[tuple, int]:
    """Every path in the document -> 1-based line of its node; raises on a duplicate key."""
    lines: dict[tuple, int] = {}

    def walk(n: yaml.Node, path: tuple) -> None:
        lines.setdefault(path, n.start_mark.line + 1)  # a key's own line wins over its value's
        if isinstance(n, yaml.MappingNode):
            seen: set[str] = set()
            for key, val in n.value:
                if key.value in seen:
                    raise yaml.MarkedYAMLError(
                        problem=f"duplicate key {key.value!r}", problem_mark=key.start_mark
                    )
                seen.add(key.value)
                lines[path + (key.value,)] = key.start_mark.line + 1
                walk(val, path + (key.value,))
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, path + (i,))

    if node is not None:
        walk(node, ())
    return lines


def line_of(lines: dict[tuple, int], loc: tuple) -> int:
    """Line of the deepest part of `loc` present in the file (a missing key -> its parent)."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1


def dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def _clean_loc(loc: tuple) -> tuple:
    # pydantic puts the generic type name into the path ("Reported[int]"), which is not a field
    return tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))


def load_trial(path: Path) -> tuple[Loaded | None, list[Problem]]:
    """Parse and validate one YAML file. Returns the record, or the problems that stop it."""
    name = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None, [Problem(name, 1, "(file)", f"larger than {MAX_FILE_BYTES:,} bytes")]
        raw = path.read_bytes()
    except OSError as e:
        return None, [Problem(name, 1, "(file)", f"cannot read: {e.strerror}")]
    return load_trial_text(name, raw)


def load_trial_text(name: str, raw: bytes, loader: type = _Loader) -> tuple[Loaded | None, list[Problem]]:
    """Parse and validate one YAML document given as bytes (a file, or an upload kept in memory).

    `loader` is for tests that read a file with both PyYAML loaders (see `safe_loader`)."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(name, 1, "(file)", f"larger than {MAX_FILE_BYTES:,} bytes")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return None, [Problem(name, 1, "(file)", f"not UTF-8 text ({e.reason} at byte {e.start})")]
    try:
        node = _compose(text, loader)
        _check_size(node)
        lines = _line_map(node)
        data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe_loader, built on a SafeLoader
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        line = mark.line + 1 if mark else 1
        where = f" ({e.context} on line {e.context_mark.line + 1})" if e.context and e.context_mark else ""
        return None, [Problem(name, line, "(yaml)", f"{e.problem}{where}")]
    except yaml.YAMLError as e:
        return None, [Problem(name, 1, "(yaml)", str(e).splitlines()[0])]
    except RecursionError:
        return None, [Problem(name, 1, "(yaml)", "nested too deeply to read")]
    if not isinstance(data, dict):
        return None, [Problem(name, 1, "(file)", "expected a mapping of trial fields")]
    try:
        trial = Trial.model_validate(data)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            loc = _clean_loc(err["loc"])
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(Problem(name, line_of(lines, loc), dotted(loc), msg))
        return None, _dedupe(problems)
    return Loaded(trial, Path(name), lines), []


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def trial_files(paths: list[Path]) -> list[Path]:
    """YAML files named by the given files and folders, sorted."""
    out: list[Path] = []
    for p in paths:
        out.extend(sorted(p.glob("*.yaml")) if p.is_dir() else [p])
    return out


def load_trials(data_dir: Path = REPO_DATA) -> list[Trial]:
    """The curated trials in `data_dir/trials`; raises ValueError listing every problem."""
    loaded, problems = [], []
    for path in trial_files([data_dir / "trials"]):
        rec, errs = load_trial(path)
        problems += errs
        if rec:
            loaded.append(rec.trial)
    if problems:
        raise ValueError("\n".join(map(str, problems)))
    return loaded


def dataset_version(data_dir: Path = REPO_DATA) -> str:
    """Content hash of the curated YAML (names and bytes): changes whenever any record changes."""
    digest = hashlib.sha256()
    for path in sorted((data_dir / "trials").glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]
