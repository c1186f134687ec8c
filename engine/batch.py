"""Screening a population: inputs planned as partitions, screened by a runner, written as parts or lines.

::

    screener = Screener.from_directory(rulesets)
    batch = prepare_batch(inputs, screener=screener, rulesets=rulesets, as_of=day, trials=screener.trials, out=out)
    with make_runner(batch.job, workers=2, dask=None) as runner:
        for outcome in run_batch(batch, runner):  # one per partition (or piece of one)
            ...

With an output directory, workers write each partition as a part (``engine.population.output``) and a rerun
resumes; without one, each outcome carries its JSON lines, in input order, for the caller to write. Nothing one
record holds stops the others; a worker process that dies costs only the record it was screening (its
partition is screened again one record at a time). The caller stops a batch by closing the runner: workers
then abandon their partitions, and no part is left half written.
"""

from __future__ import annotations

import contextlib
import math
import shutil
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .population.output import Rows, open_output, part_counts, remove_temporaries, work_dir, write_part
from .population.runners import BatchError, DaskRunner, PoolRunner, Runner, SerialRunner, WorkerDied
from .population.sources import Inputs, Partition, Plan, find_inputs, plan_inputs, read_records, split_partition
from .population.work import Job, PartOutcome, adopt, count_error, error_line
from .screening import Screener

__all__ = [
    "MAX_PARTITION_SIZE",
    "PARTITIONS",
    "STREAM_PARTITION_SIZE",
    "Batch",
    "BatchError",
    "default_partition_size",
    "make_runner",
    "prepare_batch",
    "run_batch",
]

MAX_PARTITION_SIZE = 250
"""Patients per part file at most: enough that per-part costs vanish, few enough to resume cheaply."""
PARTITIONS = 64
"""Parts a population is cut into when that keeps them under the maximum: enough to share among workers."""
STREAM_PARTITION_SIZE = 16
"""Patients per partition when lines are streamed: each comes once its partition is screened."""


def default_partition_size(patients: int, streamed: bool) -> int:
    """Patients per partition: fixed for streamed lines; for parts, the population in :data:`PARTITIONS`
    parts of at least :data:`STREAM_PARTITION_SIZE`, at most :data:`MAX_PARTITION_SIZE` (it depends on the
    inputs only, so the same command resumes the same parts)."""
    if streamed:
        return STREAM_PARTITION_SIZE
    return max(STREAM_PARTITION_SIZE, min(MAX_PARTITION_SIZE, math.ceil(patients / PARTITIONS)))


@dataclass
class Batch:
    """A planned batch: what to screen, with what, and which parts a previous run already finished."""

    inputs: Inputs
    plan: Plan
    job: Job
    finished: set[int]
    manifest: dict[str, Any]
    scratch: Path

    @property
    def todo(self) -> list[Partition]:
        return [p for p in self.plan.partitions if p.index not in self.finished]

    def before(self) -> tuple[int, int, int, Counter[str]]:
        """(patients, bad input, internal errors, overall verdicts) of the parts a previous run finished."""
        patients = bad = internal = 0
        verdicts: Counter[str] = Counter()
        if self.job.out is not None:
            for index in sorted(self.finished):
                n, b, i, v = part_counts(Path(self.job.out), index)
                patients, bad, internal = patients + n, bad + b, internal + i
                verdicts.update(v)
        return patients, bad, internal, verdicts


def prepare_batch(
    inputs: Sequence[Path],
    *,
    screener: Screener,
    rulesets: Path,
    as_of: date,
    trials: Sequence[str],
    out: Path | None = None,
    vocabulary: Sequence[Path] = (),
    compact: bool = False,
    partition_size: int | None = None,
) -> Batch:
    """Plan a batch over ``inputs`` for ``screener``'s rulesets (loaded from ``rulesets``); with ``out``, open the
    output directory (resuming the same batch, refusing another). Bulk exports are bucketed here. Without
    ``partition_size``, :func:`default_partition_size`."""
    chosen = screener.select_trials(list(trials))
    found = find_inputs(inputs)
    if partition_size is None:
        partition_size = default_partition_size(found.patients(), streamed=out is None)
    manifest: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "trials": chosen,
        "rulesets": {
            t: {"version": screener.rulesets[t].version, "hash": screener.rulesets[t].content_hash} for t in chosen
        },
        "inputs": found.described(),
        "partition_size": partition_size,
        "compact": compact,
    }
    job = Job(
        rulesets=str(rulesets.resolve()),
        vocabulary=tuple(str(Path(v).resolve()) for v in vocabulary),
        as_of=as_of,
        trials=tuple(chosen),
        hashes=tuple((t, manifest["rulesets"][t]["hash"]) for t in chosen),
        compact=compact,
        out=str(out.resolve()) if out is not None else None,
    )
    adopt(job, screener)
    if out is None:
        scratch = Path(tempfile.gettempdir()) / f"prescreen-batch-{uuid.uuid4().hex}"  # made only for a bulk export
        return Batch(found, plan_inputs(found, size=partition_size, work=scratch), job, set(), manifest, scratch)
    finished = open_output(out, manifest)
    plan = plan_inputs(found, size=partition_size, work=work_dir(out), finished=finished.__contains__)
    return Batch(found, plan, job, finished, manifest, work_dir(out))


@contextlib.contextmanager
def make_runner(job: Job, *, workers: int = 1, dask: str | None = None) -> Iterator[Runner]:
    """The runner a batch asks for: a Dask cluster, a process pool, or this process. Closing it without having
    read every result (an exception, Ctrl-C) stops the work not finished."""
    runner: Runner
    if dask is not None:
        runner = DaskRunner(job, dask)
    elif workers > 1:
        runner = PoolRunner(job, workers)
    else:
        runner = SerialRunner(job)
    finished = False
    try:
        yield runner
        finished = True
    finally:
        runner.close(finished)


def run_batch(batch: Batch, runner: Runner) -> Iterator[PartOutcome]:
    """Screen the partitions not yet finished; yield an outcome for each (or for each piece of a partition
    that was split after its worker died): in input order without an output directory, else as they finish."""
    job = batch.job
    out = Path(job.out) if job.out is not None else None
    sequence = [p.key for p in batch.todo]
    pieces: dict[int, dict[int, PartOutcome | None]] = {}
    ready: dict[tuple[int, int], PartOutcome] = {}
    cursor = 0
    try:
        for part in batch.todo:
            runner.submit(part)
        for part, result in runner.completed():
            if isinstance(result, WorkerDied) and part.count > 1:
                subs = split_partition(part)
                at = sequence.index(part.key)
                sequence[at : at + 1] = [s.key for s in subs]
                pieces[part.index] = {s.sub: None for s in subs if s.sub is not None}
                for s in subs:
                    runner.submit(s)
                continue
            outcome = _died(part, result) if isinstance(result, WorkerDied) else result
            if isinstance(outcome, BaseException):
                raise BatchError(f"part {part.index:05d} failed ({type(outcome).__name__}: {outcome})") from outcome
            if outcome.stopped:
                continue
            if out is None:
                ready[part.key] = outcome
                while cursor < len(sequence) and sequence[cursor] in ready:
                    yield ready.pop(sequence[cursor])
                    cursor += 1
            else:
                _write_whole(out, outcome, pieces)
                yield outcome
    finally:  # buckets are rebuilt by a resumed run: they never outlive the run that wrote them
        shutil.rmtree(batch.scratch, ignore_errors=True)
        if out is not None:  # a worker killed while writing leaves its temporary files
            remove_temporaries(out)


def _died(part: Partition, exc: WorkerDied) -> PartOutcome:
    """The outcome of a one-record partition whose worker died: an internal error line naming the record."""
    records = list(read_records(part))
    source, patient = (records[0].source, records[0].patient) if records else (part.paths[0], None)
    outcome = PartOutcome(part, [], Rows())
    outcome.lines = [count_error(outcome, error_line(source, patient, f"internal error ({exc})", internal=True))]
    return outcome


def _write_whole(out: Path, outcome: PartOutcome, pieces: dict[int, dict[int, PartOutcome | None]]) -> None:
    """Write the part of a partition the parent holds the lines of: a split one once every piece is in, or a
    one-record one whose worker died."""
    part = outcome.partition
    if part.sub is None:
        if outcome.lines is not None and outcome.rows is not None:
            write_part(out, part.index, outcome.lines, outcome.rows)
        return
    got = pieces[part.index]
    got[part.sub] = outcome
    if all(piece is not None for piece in got.values()):
        lines: list[str] = []
        rows = Rows()
        for k in sorted(got):
            piece = got[k]
            assert piece is not None and piece.lines is not None and piece.rows is not None
            lines += piece.lines
            rows.extend(piece.rows)
        write_part(out, part.index, lines, rows)
        del pieces[part.index]
