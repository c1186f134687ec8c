"""Screening many patients, in worker processes when asked (durable-rules holds the GIL: threads add nothing).

Each worker builds its own Screener once; every patient becomes one JSON-ready dict: its results, or the
one-line error that stopped it (bad input in one file never stops the batch).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

from .errors import InputError
from .results import to_jsonable
from .screening import Screener

__all__ = ["run_batch"]

_screener: Screener | None = None
_options: dict[str, Any] = {}


def _start(rulesets: Path, as_of: date, trials: Sequence[str] | None) -> None:
    global _screener
    _screener = Screener.from_directory(rulesets)
    _options.update(as_of=as_of, trials=trials)


def _one(path: Path) -> dict[str, Any]:
    assert _screener is not None
    try:
        results = _screener.screen(path, as_of=_options["as_of"], trials=_options["trials"])
    except InputError as exc:
        return {"file": str(path), "error": str(exc)}
    return {"file": str(path), "results": to_jsonable(results)}


def run_batch(
    files: Sequence[Path], *, rulesets: Path, as_of: date, trials: Sequence[str] | None, workers: int = 1
) -> Iterator[dict[str, Any]]:
    """Screen each file; yield one dict per file, in input order."""
    if workers <= 1:
        _start(rulesets, as_of, trials)
        yield from (_one(f) for f in files)
        return
    with ProcessPoolExecutor(workers, initializer=_start, initargs=(rulesets, as_of, trials)) as pool:
        yield from pool.map(_one, files, chunksize=8)
