"""The bad-input corpus (badinput_cases) through the CLI and the library.

For every case: never a traceback, never ``eligible`` for a criterion the bad data touches; and the outcome the
case asks for — exit 2 with one line naming the file and the field, a review with its reason, or exactly the
verdicts of the valid input it was made from.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from badinput_cases import CASES, Case
from badinput_harness import (
    ROOT,
    Built,
    Run,
    base,
    base_verdicts,
    build,
    cli_args,
    ruleset_dir,
    run_cli,
    run_library,
    shown_field,
    touched,
)

FAST = [c for c in CASES if not c.slow]
SLOW = [c for c in CASES if c.slow]
# A few ordinary cases also run as a real process: the traceback would show on its standard error.
AS_PROCESS = [
    "latin-1 export",
    "labs/lab-crea: no unit",
    "lab date '../2026-11-19'",
    "deep nesting JSON",
    "FHIR reference range in kg",
    "as-of empty",
    "unscoped attestation",
    "lab date '9999-12-31'",
]
TIME_LIMIT_S = 15
MEMORY_LIMIT = 3 * 1024**3


def _id(c: Case) -> str:
    return f"{c.group}: {c.name}"


def test_the_corpus_is_large_and_its_names_are_unique():
    assert len(CASES) >= 300
    assert len({c.name for c in CASES}) == len(CASES)
    assert set(AS_PROCESS) <= {c.name for c in CASES}


@pytest.mark.parametrize("c", FAST, ids=_id)
def test_cli(c: Case, tmp_path: Path, capsys) -> None:
    built = build(c, tmp_path)
    if c.base == "ruleset":
        _judge_lint(c, built, run_cli(["lint", str(built.extra["ruleset"])], capsys))
    _judge(c, built, run_cli(cli_args(c, built), capsys), "prescreen screen")


@pytest.mark.parametrize("c", FAST, ids=_id)
def test_library(c: Case, tmp_path: Path) -> None:
    built = build(c, tmp_path)
    _judge(c, built, run_library(c, built), "Screener.screen")


def _limits() -> None:  # runs in the child: a runaway input must not take the machine's memory
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.parametrize("c", SLOW + [c for c in CASES if c.name in AS_PROCESS], ids=_id)
def test_as_a_process(c: Case, tmp_path: Path) -> None:
    built = build(c, tmp_path)
    argv = [sys.executable, "-m", "engine.cli", *cli_args(c, built)]
    try:
        p = subprocess.run(
            argv, capture_output=True, text=True, timeout=TIME_LIMIT_S, cwd=ROOT, preexec_fn=_limits, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"no answer within {TIME_LIMIT_S} s")
    results = json.loads(p.stdout) if p.returncode == 0 else None
    _judge(c, built, Run(p.returncode, p.stdout, p.stderr, results), "prescreen (process)")


def test_batch_screens_every_good_file_among_broken_ones(tmp_path: Path, capsys) -> None:
    """``prescreen batch`` over a directory of broken files and two good ones: one line each, the good screened."""
    folder = tmp_path / "patients"
    folder.mkdir()
    broken = [c for c in FAST if c.outcome == "error" and c.base == "example" and c.path is None and not c.as_of]
    for i, c in enumerate(broken[:40]):
        (tmp_path / str(i)).mkdir()
        built = build(c, tmp_path / str(i))
        built.path.rename(folder / f"{i:03d}{built.path.suffix}")
    b = base("example")
    (folder / "good-1.yaml").write_text(b.text, encoding="utf-8")
    (folder / "good-2.yaml").write_text(b.text, encoding="utf-8")
    out = tmp_path / "results.jsonl"
    argv = ["batch", str(folder), "--trial", b.trial, "--as-of", b.as_of, "--out", str(out)]
    run = run_cli([*argv, "--rulesets", str(ruleset_dir(b.trial))], capsys)
    assert run.crash is None, run.crash
    assert "Traceback" not in run.out + run.err
    assert run.code == 2
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    files = sorted(f.name for f in folder.iterdir())
    assert len(lines) == len(files), "every file gets exactly one line"
    screened = [line for line in lines if "error" not in line]
    assert len(screened) == 2, f"the two good files are screened: {screened}"
    assert len(lines) - len(screened) == len(files) - 2


@pytest.mark.parametrize("where", ["missing directory", "directory"])
def test_batch_checks_its_output_before_screening(where: str, tmp_path: Path, capsys) -> None:
    """``--out`` into a missing directory or onto a directory: exit 2 naming it, before any patient is screened."""
    b = base("example")
    (tmp_path / "p.yaml").write_text(b.text, encoding="utf-8")
    out = tmp_path / "no-such-dir" / "out.jsonl" if where == "missing directory" else tmp_path
    argv = ["batch", str(tmp_path / "p.yaml"), "--as-of", b.as_of, "--out", str(out)]
    run = run_cli([*argv, "--rulesets", str(ruleset_dir(b.trial))], capsys)
    assert run.crash is None, run.crash
    assert "Traceback" not in run.out + run.err
    assert run.code == 2
    lines = [ln for ln in run.err.splitlines() if ln.strip()]
    assert len(lines) == 1 and str(out.name) in lines[0], run.err
    assert run.out == ""


# ------------------------------------------------------------------------------------------------ judging


def _names(c: Case, built: Built) -> tuple[str, ...]:
    """What the error must name (any one of): the file, or the option when the option may be the bad input."""
    name = "NCT07245251.yaml" if c.base == "ruleset" else built.path.name
    if c.as_of is not None:
        return (name, "--as-of", "as_of")
    return (name, "--trial", "trial") if c.trials is not None else (name,)


def _judge(c: Case, built: Built, run: Run, where: str) -> None:
    assert run.crash is None, f"{where} crashed: {run.crash}"
    assert "Traceback" not in run.out + run.err, f"{where} printed a traceback: {run.err[-600:]}"
    assert run.code in (0, 2), f"{where} exited {run.code}: {run.err.strip()[:300]}"
    outcome = c.outcome
    if c.base == "ruleset" and c.raw is not None and outcome == "same_or_error":
        outcome = "survive"  # another ruleset altogether: no verdicts to compare with
    if outcome == "error" or (run.code == 2 and outcome in ("reject", "same_or_error", "survive")):
        assert run.code == 2, f"{where}: expected an input error, got {_summary(c, run)}"
        _check_error(c, built, run, where, need_field=outcome in ("error", "reject"))
    elif outcome in ("review", "reject"):
        assert run.code == 0, f"{where}: expected screening with a review, got error {run.err.strip()}"
        _check_touched(c, run, where)
    elif outcome in ("same", "same_or_error"):
        assert run.code == 0, f"{where}: expected the base verdicts, got error {run.err.strip()}"
        if c.trials:
            asked = {t.upper() for t in c.trials}
            assert len(run.results or []) == len(asked), f"{where}: {len(run.results or [])} results for {asked}"
        expected = base_verdicts("example" if c.base == "ruleset" else c.base)
        got = _verdicts(c, run)
        diff = {k: (expected.get(k), v) for k, v in got.items() if expected.get(k) != v}
        assert not diff and set(got) == set(expected), f"{where}: verdicts moved (base, now): {diff}"


def _check_error(c: Case, built: Built, run: Run, where: str, *, need_field: bool) -> None:
    msg = run.err.strip()
    assert msg, f"{where}: exit 2 with no message"
    assert "\n" not in msg, f"{where}: the error is not one line: {msg[:400]!r}"
    assert run.out.strip() == "", f"{where}: output written despite the error: {run.out[:200]!r}"
    names = _names(c, built)
    assert any(n in msg for n in names), f"{where}: the error does not name {' or '.join(names)}: {msg[:300]}"
    name = names[0]
    if need_field and c.field and built.data is not None:
        shown = shown_field(built.data, c.field)
        assert shown in msg, f"{where}: the error does not name the field {shown}: {msg[:300]}"
    for s in c.contains:
        assert s in msg, f"{where}: the error does not say {s!r}: {msg[:300]}"
    if c.group == "duplicates" and built.lines:
        assert any(f"{n}" in msg.replace(name, "") for n in built.lines), (
            f"{where}: the error does not name line {built.lines[-1]}: {msg[:300]}"
        )


def _criteria(c: Case, run: Run) -> dict[str, dict]:
    trial = base(c.base).trial
    result = next(r for r in run.results or [] if r["trial"] == trial)
    return {cr["id"]: cr for cr in result["criteria"]}


def _verdicts(c: Case, run: Run) -> dict[str, str]:
    return {cid: cr["verdict"] for cid, cr in _criteria(c, run).items()}


def _check_touched(c: Case, run: Run, where: str) -> None:
    hit = touched(c)
    assert hit, "the case touches no criterion of the base (fix the case)"
    criteria = _criteria(c, run)
    eligible = sorted(cid for cid in hit if criteria[cid]["verdict"] == "eligible")
    assert not eligible, f"{where}: bad data left {eligible} eligible"
    if c.outcome != "review":
        return
    kinds = {r["kind"] for cid in hit for r in criteria[cid]["reasons"] if criteria[cid]["verdict"] == "needs-review"}
    assert c.reason in kinds, (
        f"{where}: no review of kind {c.reason!r} among {sorted(hit)} "
        f"(verdicts {[criteria[cid]['verdict'] for cid in sorted(hit)]}, reason kinds {sorted(kinds)})"
    )
    said = json.dumps([criteria[cid] for cid in hit], ensure_ascii=False)
    for s in c.contains:
        assert s in said, f"{where}: the review does not name {s!r}"


def _summary(c: Case, run: Run) -> str:
    if run.results is None:
        return f"exit {run.code}"
    hit = touched(c) if c.base != "ruleset" else frozenset()
    verdicts = _verdicts(c, run)
    shown = {cid: verdicts[cid] for cid in sorted(hit)} or {"overall": run.results[0]["overall"]}
    return f"exit {run.code}, screened: {shown}"


def _judge_lint(c: Case, built: Built, run: Run) -> None:
    """``prescreen lint``: a ruleset it cannot read exactly is an error naming the file (every problem, a line each)."""
    assert run.crash is None, f"prescreen lint crashed: {run.crash}"
    assert "Traceback" not in run.out + run.err
    lines = [ln for ln in run.err.splitlines() if ln.strip()]
    if c.outcome in ("same", "review"):
        assert run.code == 0, f"prescreen lint refused a ruleset it can read: {run.err.strip()[:300]}"
    if run.code == 0 and c.outcome != "error":
        return
    assert run.code == 2, f"prescreen lint accepted the ruleset: {run.out.strip()[:300]}"
    assert lines and all(ln.startswith("error:") for ln in lines), f"lint output: {run.err[:400]!r}"
    name = _names(c, built)[0]
    naming = [ln for ln in lines if name in ln]
    assert naming, f"no lint error names {name}: {lines[:3]}"
    for s in c.contains:
        assert any(s in ln for ln in naming), f"no lint error says {s!r}: {naming[:3]}"
