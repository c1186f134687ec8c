"""The worker's side of a batch: screen one partition, with a Screener built once per process.

The same function runs in the parent (serial), in a process pool and on Dask workers; each keeps its Screener in
:data:`_screeners` (a Dask :class:`ScreenerPlugin` fills it when the worker starts). Every record becomes one
output line: its results (the JSON contract), or the error that stopped it. Nothing one record holds stops the
others: bad input is an ``error`` line, and an unexpected failure is an ``error`` line marked ``internal``.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from ..errors import EngineError, EvaluationError
from ..patient import patient_from_data
from ..results import TrialResult
from ..screening import Screener
from .output import PartWriter, Rows
from .sources import Partition, Record, read_records

__all__ = ["Job", "PartOutcome", "adopt", "count_error", "error_line", "screen_partition", "screener_for"]

_RESULTS = TypeAdapter(list[TrialResult])

_screeners: dict[tuple[str, tuple[str, ...]], Screener] = {}
_lock = threading.Lock()
_stop: Any = None  # the process pool's Event: once set, a worker abandons the partition it is screening


@dataclass(frozen=True, slots=True)
class Job:
    """What every partition of one batch is screened with; small and picklable (paths, not objects)."""

    rulesets: str
    vocabulary: tuple[str, ...]
    as_of: date
    trials: tuple[str, ...]
    hashes: tuple[tuple[str, str], ...]  # (trial, ruleset hash) the parent compiled: workers must agree
    compact: bool = False
    out: str | None = None  # a batch output directory: workers write whole parts there


@dataclass
class PartOutcome:
    """What a partition gave: its lines and table rows (unless a worker wrote them as a part), counts, errors."""

    partition: Partition
    lines: list[str] | None
    rows: Rows | None = None
    patients: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)  # overall verdict per patient-trial
    bad: int = 0
    internal: int = 0
    errors: list[str] = field(default_factory=list)
    stopped: bool = False


def adopt(job: Job, screener: Screener) -> None:
    """Screen ``job`` with ``screener`` (compiled by the caller from the job's rulesets and vocabulary) in this
    process, and in the pool's workers, which are forked from it: nobody compiles the rulesets twice."""
    with _lock:
        _screeners[(job.rulesets, job.vocabulary)] = screener


def screener_for(job: Job) -> Screener:
    """This process's Screener for ``job`` (built once), checked to hold the very rulesets the parent compiled."""
    key = (job.rulesets, job.vocabulary)
    with _lock:
        screener = _screeners.get(key)
        if screener is None:
            screener = _screeners[key] = Screener.from_directory(Path(job.rulesets), list(job.vocabulary))
    ours = {t: screener.rulesets[t].content_hash for t in job.trials if t in screener.rulesets}
    if ours != dict(job.hashes):
        differ = sorted(t for t, h in job.hashes if ours.get(t) != h)
        raise EngineError(f"this worker's rulesets in {job.rulesets} differ from the batch's: {', '.join(differ)}")
    return screener


def screen_partition(part: Partition, job: Job) -> PartOutcome:
    """Screen every record of a partition; write it as a part when the job has an output directory and the
    partition is whole (the pieces of a split partition come back as lines, and the parent writes the part)."""
    screener = screener_for(job)
    writer = PartWriter(Path(job.out), part.index) if job.out is not None and part.sub is None else None
    # streamed lines need no tables; a piece's rows go back with its lines
    outcome = PartOutcome(part, [], None if job.out is None else writer.rows if writer else Rows())
    lines: list[str] = []
    try:
        for record in read_records(part):
            if _stop is not None and _stop.is_set():
                outcome.stopped = True
                return outcome
            line = _screen_record(screener, record, job, outcome)
            if writer is not None:
                writer.add(line)
            else:
                lines.append(line)
        if writer is not None:
            writer.finish()
            outcome.lines = outcome.rows = None
            writer = None
        else:
            outcome.lines = lines
        return outcome
    finally:
        if writer is not None:  # stopped, or failed: no half-written part is left behind
            writer.abandon()


def count_error(outcome: PartOutcome, line: dict[str, Any]) -> str:
    """Count an error line into an outcome; return it as JSON."""
    outcome.patients += 1
    outcome.internal += bool(line["internal"])
    outcome.bad += not line["internal"]
    outcome.errors.append(line["error"])
    return json.dumps(line, ensure_ascii=False)


def _screen_record(screener: Screener, record: Record, job: Job, outcome: PartOutcome) -> str:
    """One record's output line, counted into ``outcome`` (its table rows too)."""
    if record.error is not None:
        return count_error(outcome, error_line(record.source, record.patient, record.error))
    try:
        data = record.data
        if isinstance(data, dict) and data.get("resourceType") == "Bundle":
            from ..fhir import patient_from_bundle  # only FHIR input needs the FHIR mapping

            patient = patient_from_bundle(data, source=record.source, vocabulary=screener.vocabulary)
        elif isinstance(data, dict):
            patient = patient_from_data(data, source=record.source, vocabulary=screener.vocabulary)
        else:
            patient = data  # a file path: the Screener reads it and names it in its errors
        results = screener.screen(patient, as_of=job.as_of, trials=list(job.trials))
        text = _RESULTS.dump_json(results, exclude=_compacted(results) if job.compact else None).decode()
    except EvaluationError as exc:  # the engine disagreed with itself: not the record's fault
        return count_error(outcome, internal_line(record, exc))
    except EngineError as exc:
        return count_error(outcome, error_line(record.source, record.patient, naming(record.source, str(exc))))
    except Exception as exc:  # a bug met on one record must not cost the other records their screening
        return count_error(outcome, internal_line(record, exc))
    outcome.patients += 1
    outcome.verdicts.update(r.overall for r in results)
    if outcome.rows is not None:
        outcome.rows.add(results)
    pid = results[0].patient if results else record.patient
    # the contract's JSON (results.to_jsonable), serialised in one step: the lines are most of a batch's output
    head = (
        f'{{"patient": {json.dumps(pid, ensure_ascii=False)}, "source": {json.dumps(record.source, ensure_ascii=False)}'
    )
    return f'{head}, "results": {text}}}'


def _compacted(results: list[TrialResult]) -> dict[int, Any]:
    """``--compact``: leave out the explanation and evidence of eligible criteria."""
    return {
        i: {"criteria": {j: {"explanation", "evidence"} for j, c in enumerate(r.criteria) if c.verdict == "eligible"}}
        for i, r in enumerate(results)
    }


def error_line(source: str, patient: str | None, message: str, internal: bool = False) -> dict[str, Any]:
    """The output line of a record that could not be screened."""
    return {"source": source, "patient": patient, "error": naming(source, message), "internal": internal}


def internal_line(record: Record, exc: BaseException) -> dict[str, Any]:
    """The line of a record met by a failure that is not its input's fault."""
    return error_line(record.source, record.patient, f"internal error ({type(exc).__name__}: {exc})", internal=True)


def naming(source: str, message: str) -> str:
    """The message on one line, starting with the source it is about."""
    line = " ".join(message.split())
    return line if line.startswith(source) else f"{source}: {line}"
