"""The ``prescreen`` command: parse options, call the library, pick a renderer. No screening logic here.

Exit codes: 0 ran fine (whatever the verdicts), 2 bad input (patient, ruleset, option, unknown trial),
1 an internal error (the engine disagreed with itself, or a failure in ``batch``), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import signal
import sys
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.progress import Progress

from .batch import run_batch
from .errors import EngineError, EvaluationError, InputError
from .render.cds_hooks import render_cards
from .render.html import render_html
from .render.json_out import render_json
from .render.table import render_table
from .render.vocabulary import describe_concept, lookup
from .rules.loader import compile_ruleset
from .screening import DEFAULT_RULESETS, Screener
from .vocabulary import get_vocabulary

__all__ = ["app", "main"]

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Prescreen patients against clinical-trial rulesets."
)
BAD_INPUT = 2
INTERRUPTED = 130  # the shell's code for a process stopped by SIGINT

RulesetsOption = Annotated[Path, typer.Option("--rulesets", help="Directory of ruleset files.")]
VocabularyOption = Annotated[
    list[Path] | None,
    typer.Option("--vocabulary", help="Site vocabulary directory (repeat for several); also $PRESCREEN_VOCABULARY."),
]


def _fail(exc: Exception) -> None:
    Console(stderr=True, soft_wrap=True).print(f"error: {exc}", markup=False, highlight=False)
    raise typer.Exit(1 if isinstance(exc, EvaluationError) else BAD_INPUT)


@app.command()
def screen(
    patient: Annotated[Path, typer.Argument(help="Patient file (JSON or YAML) or FHIR R4 Bundle.", readable=False)],
    trial: Annotated[
        list[str] | None, typer.Option("--trial", help="NCT id; repeat for several. Default: all.")
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Evaluation date YYYY-MM-DD. Default: today.")] = None,
    fmt: Annotated[
        Literal["table", "json", "html", "cds-hooks"], typer.Option("--format", help="Output format.")
    ] = "table",
    details: Annotated[
        bool, typer.Option("--details", help="Also list each trial's criteria not met or needing review.")
    ] = False,
    rulesets: RulesetsOption = DEFAULT_RULESETS,
    vocabulary_dirs: VocabularyOption = None,
) -> None:
    """Screen one patient (a native JSON/YAML file or a FHIR R4 Bundle) against one or all trials."""
    when = _as_of(as_of)
    try:
        screener = Screener.from_directory(rulesets, vocabulary_dirs or ())
        results = screener.screen(patient, as_of=when, trials=trial or None)
    except EngineError as exc:
        _fail(exc)
    if fmt == "json":
        typer.echo(render_json(results))
    elif fmt == "html":
        typer.echo(render_html(results))
    elif fmt == "cds-hooks":
        typer.echo(json.dumps(render_cards(results), indent=2, ensure_ascii=False))
    else:  # the terminal's own width; one trial asked for is shown in detail
        render_table(results, Console(), details=details or len(results) == 1)


@app.command()
def batch(
    patients: Annotated[
        list[Path],
        typer.Argument(help="Patient files, or directories of them (*.json, *.yaml, searched below).", readable=False),
    ],
    trial: Annotated[
        list[str] | None, typer.Option("--trial", help="NCT id; repeat for several. Default: all.")
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Evaluation date YYYY-MM-DD. Default: today.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="JSON Lines output file. Default: standard output.")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Processes screening in parallel.")] = 1,
    rulesets: RulesetsOption = DEFAULT_RULESETS,
    vocabulary_dirs: VocabularyOption = None,
) -> None:
    """Screen many patients: one JSON line per patient (its trial results, or the error that stopped it).

    Every file is screened whatever the others hold; each bad one is also named on standard error. Exit 0
    when all were screened, 2 when some had bad input, 1 when some met an internal error, 130 on Ctrl-C
    (the lines written by then are complete).
    """
    when = _as_of(as_of)
    try:
        _check_out(out)  # before any work: a typo in --out must not cost a whole run
        # bad rulesets, vocabulary or trials fail fast, before any work
        chosen = Screener.from_directory(rulesets, vocabulary_dirs or ()).select_trials(trial)
    except EngineError as exc:
        _fail(exc)
    files, unreadable, skipped = _collect_files(patients)
    if not files and not unreadable:
        _fail(
            InputError(
                "no patient files (*.json, *.yaml, *.yml, or gzip of them) found", path=" ".join(map(str, patients))
            )
        )
    for f in skipped:  # a file in a named directory that is not a patient file: said, not silently passed over
        Console(stderr=True, soft_wrap=True).print(f"skipped: {f} (not a patient file)", markup=False, highlight=False)
    try:
        sink = out.open("w", encoding="utf-8") if out else sys.stdout
    except OSError as exc:
        _fail(InputError(f"cannot write ({exc.strerror or exc})", path=str(out), field="--out"))
    total, bad, internal = len(files) + len(unreadable), 0, 0
    jobs = run_batch(
        files, rulesets=rulesets, as_of=when, trials=chosen, workers=workers, vocabulary=tuple(vocabulary_dirs or ())
    )
    guard = _LineGuard()
    console = Console(stderr=True, soft_wrap=True, highlight=False)
    try:
        with guard, Progress(console=console, transient=True) as progress:
            task = progress.add_task("screening", total=total)
            for line in itertools.chain(unreadable, jobs):
                if "error" in line:
                    internal += bool(line.get("internal"))
                    bad += not line.get("internal")
                    progress.console.print(f"error: {line['error']}", markup=False)
                with guard.writing():
                    sink.write(json.dumps(line, ensure_ascii=False) + "\n")
                    sink.flush()
                progress.advance(task)
    except KeyboardInterrupt:
        console.print("interrupted: the output holds the patients screened so far")
        raise typer.Exit(INTERRUPTED) from None
    finally:
        jobs.close()  # cancels the work not started, without waiting for it
        if out:
            sink.close()
    console.print(f"{total} patients, {bad} with bad input, {internal} with an internal error")
    if internal:
        raise typer.Exit(1)
    if bad:
        raise typer.Exit(BAD_INPUT)


class _LineGuard:
    """Ctrl-C during a batch stops it between two output lines, never inside one: the file stays JSON Lines."""

    def __init__(self) -> None:
        self._busy = False
        self._pending = False
        self._previous: Any = None

    def __enter__(self) -> _LineGuard:
        if threading.current_thread() is threading.main_thread():  # signal handlers live in the main thread
            self._previous = signal.signal(signal.SIGINT, self._on_interrupt)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)

    def _on_interrupt(self, signum: int, frame: object) -> None:
        if self._busy:
            self._pending = True
        else:
            raise KeyboardInterrupt

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        self._busy = True
        try:
            yield
        finally:
            self._busy = False
        if self._pending:
            raise KeyboardInterrupt


def _check_out(out: Path | None) -> None:
    """``--out`` must name a file that can be written, in a directory that exists."""
    if out is None:
        return
    if out.is_dir():
        raise InputError("is a directory, not a file", path=str(out), field="--out")
    parent = out.parent
    if not parent.is_dir():
        raise InputError(f"directory {parent} does not exist", path=str(out), field="--out")
    if not os.access(out if out.exists() else parent, os.W_OK):
        raise InputError("cannot write here (permission denied)", path=str(out), field="--out")


_PATIENT_SUFFIXES = (".json", ".yaml", ".yml")


def _collect_files(paths: list[Path]) -> tuple[list[Path], list[dict[str, Any]], list[Path]]:
    """Patient files named or found in the named directories and below (each once, sorted), a line for each
    directory that cannot be listed, and the other files found there. A named file is always kept: screening
    reports one that is missing or unreadable."""
    files: set[Path] = set()
    unreadable: list[dict[str, Any]] = []
    skipped: set[Path] = set()
    for p in paths:
        if not p.is_dir():
            files.add(p)
            continue
        for folder, dirs, names in os.walk(p, onerror=lambda exc: unreadable.append(_unlisted(exc))):
            dirs.sort()
            for name in names:
                found = Path(folder) / name
                patient_file = name.lower().removesuffix(".gz").endswith(_PATIENT_SUFFIXES)
                (files if patient_file else skipped).add(found)
    return sorted(files), unreadable, sorted(skipped)


def _unlisted(exc: OSError) -> dict[str, Any]:
    return {"file": str(exc.filename), "error": f"{exc.filename}: cannot list directory ({exc.strerror or exc})"}


def _as_of(text: str | None) -> date:
    if text is None:  # the CLI is the only place that reads the clock, and says so
        today = date.today()
        Console(stderr=True, soft_wrap=True).print(
            f"as of {today} (today; --as-of YYYY-MM-DD screens as of another date)", markup=False, highlight=False
        )
        return today
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):  # fromisoformat also takes 20261123, 2026-W48-1
            raise ValueError(text)
        return date.fromisoformat(text.strip())
    except ValueError:
        _fail(InputError(f"'{text}' is not a date (YYYY-MM-DD)", field="--as-of"))
        raise  # unreachable: _fail exits


@app.command()
def trials(
    fmt: Annotated[Literal["text", "json"], typer.Option("--format", help="Output format.")] = "text",
    rulesets: RulesetsOption = DEFAULT_RULESETS,
    vocabulary_dirs: VocabularyOption = None,
) -> None:
    """List the trials that have a ruleset."""
    try:
        screener = Screener.from_directory(rulesets, vocabulary_dirs or ())
    except EngineError as exc:
        _fail(exc)
    if fmt == "json":
        listed = [
            {
                "trial": t,
                "title": rs.title,
                "version": rs.version,
                "hash": rs.content_hash,
                "criteria": len(rs.criteria),
            }
            for t, rs in ((t, screener.rulesets[t]) for t in screener.trials)
        ]
        typer.echo(json.dumps(listed, indent=2, ensure_ascii=False))
        return
    for t in screener.trials:
        rs = screener.rulesets[t]
        typer.echo(f"{t}  {len(rs.criteria):3d} criteria  v{rs.version} {rs.content_hash}  {rs.title}")


@app.command()
def lint(
    paths: Annotated[list[Path] | None, typer.Argument(help="Ruleset files. Default: all.")] = None,
    vocabulary_dirs: VocabularyOption = None,
) -> None:
    """Load and validate ruleset files; report every problem in each, one line per problem."""
    files = paths or sorted(DEFAULT_RULESETS.glob("*.yaml"))
    try:
        vocab = get_vocabulary(vocabulary_dirs or ())
    except EngineError as exc:
        _fail(exc)
    bad = 0
    for p in files:
        try:
            rs, problems = compile_ruleset(p, vocabulary=vocab)
        except EngineError as exc:  # the catalog itself does not load
            rs, problems = None, [exc]
        for problem in problems:
            typer.echo(f"error: {problem}", err=True)
        if rs is None:
            bad += 1
        else:
            typer.echo(f"ok: {p} ({len(rs.criteria)} criteria)")
    if bad:
        raise typer.Exit(BAD_INPUT)


@app.command()
def vocabulary(
    term: Annotated[str, typer.Argument(help="A name or code to look up: 'pd-1 inhibitor', 'epilepsy', 'L01FF02'.")],
    vocabulary_dirs: VocabularyOption = None,
) -> None:
    """Find the concept to name: one concept with its ancestors, kinds and codes when TERM names it (a label,
    alias, id or code), else the concepts whose names contain TERM."""
    try:
        vocab = get_vocabulary(vocabulary_dirs or ())
    except EngineError as exc:
        _fail(exc)
    concept = lookup(vocab, term)
    if concept is not None:
        typer.echo("\n".join(describe_concept(vocab, concept)))
        return
    hits = vocab.search(term)
    typer.echo("\n".join(f"{c.label}  [{c.domain}: {c.id}]" for c in hits) or f"no concept matches '{term}'")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: the process arguments); return the exit code."""
    try:
        code = app(args=argv if argv is not None else sys.argv[1:], standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except KeyboardInterrupt:
        return INTERRUPTED
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as other command-line tools do
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit flush cannot fail again
        return 1
    except Exception as exc:
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # usage errors (typer's click exceptions)
            exc.show()
            return BAD_INPUT
        # A bug, not bad input: one line that says so (the library call shows the traceback), never a dump.
        message = " ".join(f"internal error ({type(exc).__name__}: {exc})".split())
        Console(stderr=True, soft_wrap=True).print(f"error: {message}", markup=False, highlight=False)
        return 1
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
