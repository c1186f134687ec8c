"""``prescreen batch``: a population screened, one JSON line per patient; nothing one record holds stops the others."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console

from ..batch import (
    MAX_PARTITION_SIZE,
    PARTITIONS,
    STREAM_PARTITION_SIZE,
    Batch,
    BatchError,
    make_runner,
    prepare_batch,
    run_batch,
)
from ..errors import EngineError, InputError
from ..population.progress import BatchProgress
from ..screening import DEFAULT_RULESETS, Screener
from .app import BAD_INPUT, INTERRUPTED, RulesetsOption, VocabularyOption, app, as_of_option, fail


@app.command()
def batch(
    patients: Annotated[
        list[Path],
        typer.Argument(
            help="Patient files (*.json, *.yaml), JSON Lines of patients (*.jsonl), FHIR Bulk Data export "
            "directories (*.ndjson), or directories of patient files (searched below).",
            readable=False,
        ),
    ],
    trial: Annotated[
        list[str] | None, typer.Option("--trial", help="NCT id; repeat for several. Default: all.")
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Evaluation date YYYY-MM-DD. Default: today.")] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Output directory (JSON Lines and Parquet parts, resumable), or a *.jsonl file. "
            "Default: JSON Lines on standard output.",
        ),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Processes screening in parallel.")] = 1,
    dask: Annotated[
        str | None,
        typer.Option("--dask", help="Screen on Dask: local[:N] starts N worker processes; tcp://host:8786 a cluster."),
    ] = None,
    compact: Annotated[
        bool, typer.Option("--compact", help="Omit the explanation and evidence of eligible criteria.")
    ] = False,
    partition_size: Annotated[
        int | None,
        typer.Option(
            "--partition-size",
            min=1,
            max=100_000,
            help=f"Patients per partition. Default: in an output directory, the population in {PARTITIONS} parts "
            f"of {STREAM_PARTITION_SIZE} to {MAX_PARTITION_SIZE} patients; {STREAM_PARTITION_SIZE} when lines are "
            "streamed.",
        ),
    ] = None,
    rulesets: RulesetsOption = DEFAULT_RULESETS,
    vocabulary_dirs: VocabularyOption = None,
) -> None:
    """Screen a population: one JSON line per patient (its trial results, or the error that stopped it).

    Every record is screened whatever the others hold; each bad one is also named on standard error, with
    progress (n/N, rate, ETA, verdicts so far). An output directory gets a manifest, then parts written whole;
    rerunning the same command resumes it. Exit 0 when all were screened, 2 when some had bad input, 1 when
    some met an internal error, 130 on Ctrl-C (the lines and parts written by then are complete).
    """
    when = as_of_option(as_of)
    directory = out is not None and not out.name.endswith(".jsonl")
    vocabulary = tuple(vocabulary_dirs or ())
    try:
        if out is not None and not directory:
            _check_out(out)  # before any work: a typo in --out must not cost a whole run
        # bad rulesets, vocabulary or trials fail fast, before any work
        screener = Screener.from_directory(rulesets, vocabulary)
        chosen = screener.select_trials(trial)
        planned = prepare_batch(
            patients,
            screener=screener,
            rulesets=rulesets,
            as_of=when,
            trials=chosen,
            out=out if directory else None,
            vocabulary=vocabulary,
            compact=compact,
            partition_size=partition_size,
        )
    except EngineError as exc:
        fail(exc)
    console = Console(stderr=True, soft_wrap=True, highlight=False)
    if not planned.plan.partitions:
        fail(
            InputError(
                "no patient files (*.json, *.yaml, *.yml, or gzip of them), JSON Lines (*.jsonl) "
                "or Bulk Data export (*.ndjson) found",
                path=" ".join(map(str, patients)),
            )
        )
    bulk = set(planned.inputs.bulk)
    for f in planned.inputs.skipped:  # a file in a named directory that is not a patient file: said, not passed over
        why = "not NDJSON, not read with the export" if f.parent in bulk else "not a patient file"
        console.print(f"skipped: {f} ({why})", markup=False)
    for note in planned.plan.notes:
        console.print(f"note: {note}", markup=False)
    if directory and planned.finished:
        console.print(f"resuming {out}: {len(planned.finished)} parts already finished", markup=False)
    try:
        sink = None if directory else (out.open("w", encoding="utf-8") if out else sys.stdout)
    except OSError as exc:
        fail(InputError(f"cannot write ({exc.strerror or exc})", path=str(out), field="--out"))
    try:
        progress = _screen(planned, sink, console, workers, dask)
    except BatchError as exc:  # not the input's fault: the batch itself could not go on
        console.print(f"error: {exc}", markup=False)
        raise typer.Exit(1) from None
    except EngineError as exc:
        fail(exc)
    finally:
        if sink is not None and out is not None:
            sink.close()
    console.print(progress.summary(), markup=False)
    if progress.internal:
        raise typer.Exit(1)
    if progress.bad:
        raise typer.Exit(BAD_INPUT)


def _screen(planned: Batch, sink: TextIO | None, console: Console, workers: int, dask: str | None) -> BatchProgress:
    """Run the batch, writing lines to ``sink`` (when not an output directory), with progress on ``console``."""
    guard = _LineGuard()
    progress = BatchProgress(console, planned.plan.total, planned.before())
    try:
        with guard, progress, make_runner(planned.job, workers=workers, dask=dask) as runner:
            for outcome in run_batch(planned, runner):
                if sink is not None:
                    with guard.writing():
                        sink.write("".join(line + "\n" for line in outcome.lines or ()))
                        sink.flush()
                progress.advance(outcome)
    except KeyboardInterrupt:
        sys.unraisablehook = _quiet_pool_exit
        done = "the output holds the patients screened so far" if sink is not None else "finished parts are kept"
        again = "" if sink is not None else "; the same command resumes"
        console.print(f"interrupted: {done}{again}", markup=False)
        raise typer.Exit(INTERRUPTED) from None
    return progress


def _quiet_pool_exit(unraisable: sys.UnraisableHookArgs) -> None:
    """After an interrupt the process pool is left without waiting; on Python 3.11 the interpreter's exit may then
    wake its manager through a pipe already closed (EBADF in concurrent.futures, fixed in 3.12). That is no
    error of the batch: say nothing of it, and everything else as usual."""
    exc = unraisable.exc_value
    tb = unraisable.exc_traceback
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame.f_code.co_filename)
        tb = tb.tb_next
    if isinstance(exc, OSError) and exc.errno == errno.EBADF and any("concurrent/futures" in f for f in frames):
        return
    sys.__unraisablehook__(unraisable)


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


def _check_out(out: Path) -> None:
    """A ``*.jsonl`` ``--out`` must name a file that can be written, in a directory that exists."""
    if out.is_dir():
        raise InputError("is a directory, not a file", path=str(out), field="--out")
    parent = out.parent
    if not parent.is_dir():
        raise InputError(f"directory {parent} does not exist", path=str(out), field="--out")
    if not os.access(out if out.exists() else parent, os.W_OK):
        raise InputError("cannot write here (permission denied)", path=str(out), field="--out")
