"""The ``prescreen`` command: parse options, call the library, pick a renderer. No screening logic here.

Exit codes: 0 ran fine (whatever the verdicts), 2 bad input (patient, ruleset, option, unknown trial).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.progress import Progress

from .batch import run_batch
from .errors import EngineError, EvaluationError, UnknownTrialError
from .render.cds_hooks import render_cards
from .render.html import render_html
from .render.json_out import render_json
from .render.table import render_table
from .rules.loader import load_ruleset
from .screening import DEFAULT_RULESETS, Screener

__all__ = ["app", "main"]

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Prescreen patients against clinical-trial rulesets."
)
BAD_INPUT = 2

RulesetsOption = Annotated[Path, typer.Option("--rulesets", help="Directory of ruleset files.")]


def _fail(exc: Exception) -> None:
    Console(stderr=True, soft_wrap=True).print(f"error: {exc}", markup=False, highlight=False)
    raise typer.Exit(1 if isinstance(exc, EvaluationError) else BAD_INPUT)


@app.command()
def screen(
    patient: Annotated[Path, typer.Argument(help="Patient file (JSON or YAML).")],
    trial: Annotated[
        list[str] | None, typer.Option("--trial", help="NCT id; repeat for several. Default: all.")
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Evaluation date YYYY-MM-DD. Default: today.")] = None,
    fmt: Annotated[
        Literal["table", "json", "html", "cds-hooks"], typer.Option("--format", help="Output format.")
    ] = "table",
    rulesets: RulesetsOption = DEFAULT_RULESETS,
) -> None:
    """Screen one patient against one or all trials."""
    when = _as_of(as_of)
    try:
        results = Screener.from_directory(rulesets).screen(patient, as_of=when, trials=trial or None)
    except EngineError as exc:
        _fail(exc)
    if fmt == "json":
        typer.echo(render_json(results))
    elif fmt == "html":
        typer.echo(render_html(results))
    elif fmt == "cds-hooks":
        typer.echo(json.dumps(render_cards(results), indent=2, ensure_ascii=False))
    else:
        render_table(results, Console(width=160))


@app.command()
def batch(
    patients: Annotated[list[Path], typer.Argument(help="Patient files, or directories of them (*.json, *.yaml).")],
    trial: Annotated[
        list[str] | None, typer.Option("--trial", help="NCT id; repeat for several. Default: all.")
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Evaluation date YYYY-MM-DD. Default: today.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="JSON Lines output file. Default: standard output.")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Processes screening in parallel.")] = 1,
    rulesets: RulesetsOption = DEFAULT_RULESETS,
) -> None:
    """Screen many patients: one JSON line per patient (its trial results, or the error that stopped it)."""
    when = _as_of(as_of)
    files = sorted(f for p in patients for f in (_patient_files(p) if p.is_dir() else [p]))
    try:
        known = Screener.from_directory(rulesets).trials  # fail fast on bad rulesets or trials, before any work
        for t in trial or []:
            if t not in known:
                raise UnknownTrialError(t, known)
        jobs = run_batch(files, rulesets=rulesets, as_of=when, trials=trial or None, workers=workers)
        sink = out.open("w", encoding="utf-8") if out else sys.stdout
        bad = 0
        with Progress(console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("screening", total=len(files))
            for line in jobs:
                bad += "error" in line
                sink.write(json.dumps(line, ensure_ascii=False) + "\n")
                progress.advance(task)
        if out:
            sink.close()
    except EngineError as exc:
        _fail(exc)
    Console(stderr=True).print(f"{len(files)} patients, {bad} with bad input", highlight=False)
    if bad:
        raise typer.Exit(BAD_INPUT)


def _patient_files(directory: Path) -> list[Path]:
    return [f for f in directory.iterdir() if f.suffix.lower() in (".json", ".yaml", ".yml")]


def _as_of(text: str | None) -> date:
    try:
        return date.fromisoformat(text) if text else date.today()  # the CLI is the only place that reads the clock
    except ValueError:
        _fail(ValueError(f"--as-of '{text}' is not a date (YYYY-MM-DD)"))
        raise  # unreachable: _fail exits


@app.command()
def trials(rulesets: RulesetsOption = DEFAULT_RULESETS) -> None:
    """List the trials that have a ruleset."""
    try:
        screener = Screener.from_directory(rulesets)
    except EngineError as exc:
        _fail(exc)
    for t in screener.trials:
        rs = screener.rulesets[t]
        typer.echo(f"{t}  {len(rs.criteria):3d} criteria  v{rs.version} {rs.content_hash}  {rs.title}")


@app.command()
def lint(paths: Annotated[list[Path] | None, typer.Argument(help="Ruleset files. Default: all.")] = None) -> None:
    """Load and validate ruleset files; report the first problem in each."""
    files = paths or sorted(DEFAULT_RULESETS.glob("*.yaml"))
    bad = 0
    for p in files:
        try:
            rs = load_ruleset(p)
        except EngineError as exc:
            bad += 1
            typer.echo(f"error: {exc}", err=True)
        else:
            typer.echo(f"ok: {p} ({len(rs.criteria)} criteria)")
    if bad:
        raise typer.Exit(BAD_INPUT)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: the process arguments); return the exit code."""
    try:
        code = app(args=argv if argv is not None else sys.argv[1:], standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except Exception as exc:
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # usage errors (typer's click exceptions)
            exc.show()
            return BAD_INPUT
        raise
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
