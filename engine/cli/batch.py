"""``prescreen batch``: many patients, one JSON line each; nothing one file holds stops the others."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress

from ..batch import run_batch
from ..errors import EngineError, InputError
from ..screening import DEFAULT_RULESETS, Screener
from ..words import count
from .app import BAD_INPUT, INTERRUPTED, RulesetsOption, VocabularyOption, app, as_of_option, fail


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
    when = as_of_option(as_of)
    try:
        _check_out(out)  # before any work: a typo in --out must not cost a whole run
        # bad rulesets, vocabulary or trials fail fast, before any work
        chosen = Screener.from_directory(rulesets, vocabulary_dirs or ()).select_trials(trial)
    except EngineError as exc:
        fail(exc)
    files, unreadable, skipped = _collect_files(patients)
    if not files and not unreadable:
        fail(
            InputError(
                "no patient files (*.json, *.yaml, *.yml, or gzip of them) found", path=" ".join(map(str, patients))
            )
        )
    for f in skipped:  # a file in a named directory that is not a patient file: said, not silently passed over
        Console(stderr=True, soft_wrap=True).print(f"skipped: {f} (not a patient file)", markup=False, highlight=False)
    try:
        sink = out.open("w", encoding="utf-8") if out else sys.stdout
    except OSError as exc:
        fail(InputError(f"cannot write ({exc.strerror or exc})", path=str(out), field="--out"))
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
    console.print(f"{count(total, 'patient')}, {bad} with bad input, {internal} with an internal error")
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
