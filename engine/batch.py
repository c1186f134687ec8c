"""Screening many patients, in worker processes when asked (durable-rules holds the GIL: threads add nothing).

Each worker builds its own Screener once; every patient becomes one JSON-ready dict: its results, or the
one-line error that stopped it. Nothing one file does stops the batch: bad input is an ``error`` line, and
an unexpected failure is an ``error`` line marked ``internal``. Workers ignore Ctrl-C; the caller stops
the pool (see :func:`run_batch`), so an interrupt leaves no process behind and waits only for the patients
being screened at that moment, not for the queue.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from multiprocessing.synchronize import Event as EventType
from pathlib import Path
from typing import Any

from .errors import EngineError, EvaluationError
from .results import to_jsonable
from .screening import Screener

__all__ = ["run_batch"]

_screener: Screener | None = None
_options: dict[str, Any] = {}
_stop: EventType | None = None


def _start(
    rulesets: Path, vocabulary: Sequence[Path], as_of: date, trials: Sequence[str] | None, stop: EventType | None
) -> None:
    global _screener, _stop
    if stop is not None:  # a worker: Ctrl-C reaches the whole process group, and only the parent decides
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _stop = stop
    _screener = Screener.from_directory(rulesets, vocabulary)
    _options.update(as_of=as_of, trials=trials)


def _one(path: Path) -> dict[str, Any]:
    assert _screener is not None
    if _stop is not None and _stop.is_set():  # queued before the batch stopped: nobody reads this any more
        return {"file": str(path), "error": f"{path}: not screened (the batch stopped)", "internal": True}
    try:
        results = _screener.screen(path, as_of=_options["as_of"], trials=_options["trials"])
        return {"file": str(path), "results": to_jsonable(results)}
    except EvaluationError as exc:  # the engine disagreed with itself: not the file's fault
        return _internal(path, exc)
    except EngineError as exc:
        return {"file": str(path), "error": _naming(path, str(exc))}
    except Exception as exc:  # a bug met on one file must not cost the other files their screening
        return _internal(path, exc)


def _internal(path: Path, exc: BaseException) -> dict[str, Any]:
    return {
        "file": str(path),
        "error": _naming(path, f"internal error ({type(exc).__name__}: {exc})"),
        "internal": True,
    }


def _naming(path: Path, message: str) -> str:
    """The message on one line, starting with the file it is about."""
    line = " ".join(message.split())
    return line if line.startswith(str(path)) else f"{path}: {line}"


def run_batch(
    files: Sequence[Path],
    *,
    rulesets: Path,
    as_of: date,
    trials: Sequence[str] | None,
    workers: int = 1,
    vocabulary: Sequence[Path] = (),
) -> Iterator[dict[str, Any]]:
    """Screen each file; yield one dict per file, in input order.

    A worker process that dies (killed, out of memory, a crash in native code) costs only the first file
    still waiting for it, reported as an internal error: the files after it are screened in a fresh pool.
    Closing the iterator early (or an exception such as KeyboardInterrupt while it waits) cancels the work
    not yet started; the workers finish only the patient each is screening.
    """
    if workers <= 1:
        _start(rulesets, vocabulary, as_of, trials, None)
        yield from (_one(f) for f in files)
        return
    pending = list(files)
    while pending:
        pending = yield from _pool_round(pending, (rulesets, vocabulary, as_of, trials), workers)


def _pool_round(files: list[Path], setup: tuple, workers: int) -> Generator[dict[str, Any], None, list[Path]]:
    """Screen ``files`` in one process pool, in order; return the files left when the pool broke."""
    context = multiprocessing.get_context()
    stop = context.Event()
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(*setup, stop))
    finished = False
    try:
        futures: list[Future[dict[str, Any]]] = [pool.submit(_one, f) for f in files]
        for i, (path, future) in enumerate(zip(files, futures, strict=True)):
            try:
                yield future.result()
            except BrokenProcessPool as exc:  # this file or one beside it killed its worker
                yield _internal(path, exc)
                finished = True
                return files[i + 1 :]
            except Exception as exc:  # e.g. a result that could not be sent back
                yield _internal(path, exc)
        finished = True
        return []
    finally:
        if not finished:  # stopped early: only the patients being screened right now are finished
            stop.set()
        pool.shutdown(wait=finished, cancel_futures=True)
