"""Build the corpus's inputs from the shipped base files, run them through the CLI and the library, and judge
the outcome a case asks for (see badinput_cases)."""

from __future__ import annotations

import atexit
import copy
import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from badinput_cases import FHIR_BASE, Case

from engine import EngineError, Screener, load_ruleset
from engine.catalog import get_catalog
from engine.cli import main
from engine.results import to_jsonable
from engine.vocabulary import get_vocabulary

ROOT = Path(__file__).resolve().parents[2]
BASE_FILES = {"example": ROOT / "examples" / "patient.yaml", "ruleset": ROOT / "examples" / "patient.yaml"}
BASE_FILES["NCT07310355"] = ROOT / "features" / "patients" / "NCT07310355-eligible.yaml"
_AS_OF = re.compile(r"--as-of (\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Base:
    data: Any
    text: str  # the file as shipped (patient bases) or as serialised (FHIR)
    trial: str
    as_of: str


@cache
def base(name: str) -> Base:
    """The valid input a case starts from, read from the shipped files at run time."""
    if name == "fhir":
        return Base(FHIR_BASE, json.dumps(FHIR_BASE, indent=2), "NCT07245251", "2026-11-23")
    text = BASE_FILES[name].read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    found = _AS_OF.search(text)
    as_of = found.group(1) if found else str(data["reference_dates"]["screening"])
    trial = "NCT07245251" if name in ("example", "ruleset") else name
    return Base(data, text, trial, as_of)


# ------------------------------------------------------------------------------------------------ edits


def _pick(container: Any, key: str) -> Any:
    """The list index or mapping key a path segment names: a number, or a record's id / criterion / code."""
    if isinstance(container, list):
        if key.isdigit():
            return int(key)
        for i, item in enumerate(container):
            if isinstance(item, dict) and key in (item.get("id"), item.get("criterion"), item.get("code")):
                return i
        raise KeyError(f"no record {key!r} in the base: fix the case")
    return key


def _walk(data: Any, path: str) -> tuple[Any, Any]:
    """The parent container of the path's last segment, and that segment's key."""
    parts = path.split("/")
    node = data
    for part in parts[:-1]:
        node = node[_pick(node, part)]
    return node, _pick(node, parts[-1])


def shown_field(data: Any, path: str) -> str:
    """How an error names the field at ``path``: ``labs[4].unit``, ``reference_dates.screening``."""
    out, node = "", data
    for part in path.split("/"):
        key = _pick(node, part) if isinstance(node, list | dict) else part
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else key)
        node = node[key] if isinstance(node, list | dict) and (isinstance(key, int) or key in node) else None
    return out


def apply_edits(data: Any, edits: tuple) -> Any:
    """The base data with the case's data edits applied (text edits are applied later, to the file)."""
    data = copy.deepcopy(data)
    for op, path, *rest in edits:
        if op == "set":
            parent, key = _walk(data, path)
            parent[key] = rest[0]
        elif op == "del":
            parent, key = _walk(data, path)
            if isinstance(parent, list) or key in parent:  # absent already: nothing to take away
                del parent[key]
        elif op == "add":
            data.setdefault(path, []).append(rest[0])
    return data


def _serialise(data: Any, suffix: str) -> str:
    if suffix == ".json":
        return json.dumps(data, indent=2, ensure_ascii=False, default=str)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


@dataclass
class Built:
    """One case's input on disk, and what its outcome is judged against."""

    path: Path
    data: Any  # the parsed input the file holds (before text edits), or None
    lines: tuple[int, ...] = ()  # lines a duplicate-key message may name
    ruleset_dir: Path | None = None
    extra: dict = field(default_factory=dict)


def build(c: Case, tmp: Path) -> Built:
    """Write the case's input files under ``tmp``."""
    b = base(c.base)
    if c.base == "ruleset":
        rs_dir = tmp / "rulesets"
        rs_dir.mkdir()
        text = (ROOT / "rulesets" / f"{b.trial}.yaml").read_text(encoding="utf-8")
        text, _ = _text_edits(text, c.edits)
        rs = rs_dir / f"{b.trial}.yaml"
        rs.write_bytes(c.raw(text) if c.raw else text.encode())
        patient = tmp / "patient.yaml"
        patient.write_text(b.text, encoding="utf-8")
        return Built(patient, b.data, ruleset_dir=rs_dir, extra={"ruleset": rs})
    rs_dir = ruleset_dir(b.trial)
    if c.path == "<dir>":
        return Built(tmp, None, ruleset_dir=rs_dir)
    if c.path == "<missing>":
        return Built(tmp / "no-such-patient.yaml", None, ruleset_dir=rs_dir)
    if c.path:
        return Built(Path(c.path), None, ruleset_dir=rs_dir)
    data = apply_edits(b.data, c.edits)
    as_shipped = c.raw is not None and not c.edits and c.suffix == ".yaml" and c.base != "fhir"
    text = b.text if as_shipped else _serialise(data, c.suffix)  # file-level damage: to the file as shipped
    text, lines = _text_edits(text, c.edits)
    path = tmp / f"{re.sub(r'[^A-Za-z0-9]+', '-', c.name).strip('-')[:60] or 'case'}{c.suffix}"
    path.write_bytes(c.raw(text) if c.raw else text.encode())
    return Built(path, data, lines, ruleset_dir=rs_dir)


def _text_edits(text: str, edits: tuple) -> tuple[str, tuple[int, ...]]:
    lines: tuple[int, ...] = ()
    for op, *rest in edits:
        if op == "text":
            before, after = rest
            assert text.count(before) == 1, f"{before!r} must occur once in the base text: fix the case"
            at = text.index(before)
            line = text.count("\n", 0, at) + 1 + before[:1].count("\n")
            lines = (line, line + 1)
            text = text.replace(before, after)
        elif op == "after":
            start, new = rest
            rows = text.splitlines(keepends=True)
            i = next(i for i, r in enumerate(rows) if r.startswith(start))
            rows.insert(i + 1, new + "\n")
            text = "".join(rows)
            lines = (i + 1, i + 2)
    return text, lines


_RULESET_DIRS: dict[str, Path] = {}


def ruleset_dir(trial: str) -> Path:
    """A directory holding only the trial's ruleset, so that each CLI run compiles one ruleset, not five."""
    if trial not in _RULESET_DIRS:
        d = Path(tempfile.mkdtemp(prefix=f"rulesets-{trial}-"))
        atexit.register(shutil.rmtree, d, True)
        shutil.copy(ROOT / "rulesets" / f"{trial}.yaml", d)
        _RULESET_DIRS[trial] = d
    return _RULESET_DIRS[trial]


# ------------------------------------------------------------------------------------------------ verdicts


@cache
def screener(trial: str) -> Screener:
    return Screener.from_directory(ruleset_dir(trial))


def library_verdicts(base_name: str, data: Any) -> dict[str, str]:
    b = base(base_name)
    result = screener(b.trial).screen(copy.deepcopy(data), as_of=date.fromisoformat(b.as_of), trials=[b.trial])[0]
    return {c.id: c.verdict for c in result.criteria}


@cache
def base_verdicts(base_name: str) -> dict[str, str]:
    return library_verdicts(base_name, base(base_name).data)


def _drop(data: Any, path: str, *, exact: bool) -> None:
    """Remove what ``path`` names (``exact``) or the whole record it is in; a removed condition or therapy also
    leaves its domain incomplete, so that its absence is unknown rather than implied."""
    parts = path.split("/")
    try:
        parent, key = _walk(data, path if exact or len(parts) <= 2 else "/".join(parts[:2]))
    except (KeyError, IndexError):
        return  # already removed by an earlier edit of the same record
    if isinstance(parent, list) or key in parent:
        del parent[key]
    if parts[0] in ("conditions", "therapies") and "complete_history" in data:
        data["complete_history"] = [d for d in data["complete_history"] if d != parts[0]]


def _same_fact(section: str, a: dict, b: dict) -> bool:
    if section == "attestations":
        return a.get("criterion") == b.get("criterion")
    if section == "entry":  # FHIR: resources of one type and code
        ra, rb = a.get("resource") or {}, b.get("resource") or {}
        return (ra.get("resourceType"), ra.get("code")) == (rb.get("resourceType"), rb.get("code"))
    if section == "conditions":
        vocab = get_vocabulary()
        return vocab.resolve(str(a.get("code")), "condition") == vocab.resolve(str(b.get("code")), "condition")
    if section not in ("labs", "measurements"):
        return a.get("name") == b.get("name")
    cat = get_catalog()
    return cat.resolve("observations", str(a.get("code"))) == cat.resolve("observations", str(b.get("code")))


_TOUCHED: dict[str, frozenset[str]] = {}


def touched(c: Case) -> frozenset[str]:
    """Criteria the base passes only thanks to the data the case makes bad: named by ``touches``
    ("criterion:EXC-04b", or a path whose removal makes them lose eligible), else found by removing the records
    the edits change, or by letting an added record replace the records of the same fact (the other side of a
    conflict)."""
    if c.name not in _TOUCHED:
        _TOUCHED[c.name] = _touched(c)
    return _TOUCHED[c.name]


def _touched(c: Case) -> frozenset[str]:
    name = "example" if c.base == "ruleset" else c.base
    named = frozenset(t.removeprefix("criterion:") for t in c.touches if t.startswith("criterion:"))
    if named:
        return named
    data = copy.deepcopy(base(name).data)
    for path in c.touches:
        _drop(data, path, exact=True)
    edits = () if c.touches else c.edits
    records = dict.fromkeys("/".join(e[1].split("/")[:2]) for e in edits if e[0] in ("set", "del"))
    for path in sorted(records, key=lambda p: -int(p.split("/")[-1]) if p.split("/")[-1].isdigit() else 0):
        _drop(data, path, exact=False)  # each record once, the last first: removing one shifts those after it
    for op, path, *rest in edits:
        if op == "add" and isinstance(rest[0], dict):
            records = data.setdefault(path, [])
            for r in [r for r in records if isinstance(r, dict) and _same_fact(path, r, rest[0])]:
                records.remove(r)
            records.append(rest[0])
    before = base_verdicts(name)
    after = library_verdicts(name, data)
    return frozenset(cid for cid, v in before.items() if v == "eligible" and after[cid] != "eligible")


# ------------------------------------------------------------------------------------------------ running


@dataclass
class Run:
    """What one run produced: an exit code (or a crash), the output, and the results when screened."""

    code: int | None
    out: str = ""
    err: str = ""
    results: list[dict] | None = None
    crash: str | None = None


def as_of_arg(c: Case) -> str:
    return base(c.base).as_of if c.as_of is None else c.as_of


def cli_args(c: Case, built: Built) -> list[str]:
    b = base(c.base)
    trials = c.trials if c.trials is not None else (b.trial,)
    args = ["screen", str(built.path), "--as-of", as_of_arg(c), "--format", "json"]
    args += [a for t in trials for a in ("--trial", t)]
    return [*args, "--rulesets", str(built.ruleset_dir)]


def run_cli(argv: list[str], capsys) -> Run:
    """``engine.cli.main`` in-process; an exception escaping it is recorded as a crash."""
    capsys.readouterr()
    try:
        code = main(argv)
    except BaseException as exc:
        out, err = capsys.readouterr()
        return Run(None, out, err, crash=f"{type(exc).__name__}: {str(exc)[:300]}")
    out, err = capsys.readouterr()
    results = None
    if code == 0 and argv[0] == "screen":
        results = json.loads(out)
    return Run(code, out, err, results)


def run_library(c: Case, built: Built) -> Run:
    """``Screener.screen`` on the file (or ``load_ruleset`` for a ruleset case); EngineError is exit 2."""
    b = base(c.base)
    try:
        if built.ruleset_dir is not None and c.base == "ruleset":
            rs = load_ruleset(built.extra["ruleset"])
            s = Screener([rs])
        else:
            s = screener(b.trial)
        results = s.screen(built.path, as_of=_library_as_of(as_of_arg(c)), trials=list(c.trials or (b.trial,)))
    except EngineError as exc:
        return Run(2, err=f"error: {exc}")
    except BaseException as exc:
        return Run(None, crash=f"{type(exc).__name__}: {str(exc)[:300]}")
    return Run(0, results=json.loads(json.dumps(to_jsonable(results), default=str)))


def _library_as_of(text: str) -> Any:
    """The date a library caller would pass: a date, a datetime when the text has a time, else the text."""
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            return parse(text)
        except ValueError:
            continue
    return text
