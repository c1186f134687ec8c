"""Where partitions are screened: in this process, in a local process pool, or on a Dask cluster.

A runner takes partitions (:meth:`submit`, also while its results are being read) and yields each partition
with its :class:`~engine.population.work.PartOutcome`, or with the exception that stopped it, as they finish.
A worker process that dies shows as :class:`WorkerDied` (the caller splits the partition and resubmits it, so a
record that kills its worker costs only itself). durable-rules holds the GIL: parallel work is processes.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from ..errors import EngineError, InputError
from . import work
from .sources import Partition
from .work import Job, PartOutcome, screen_partition

__all__ = ["BatchError", "DaskRunner", "PoolRunner", "Runner", "SerialRunner", "WorkerDied", "parse_dask"]

Completed = tuple[Partition, PartOutcome | BaseException]


class BatchError(EngineError, RuntimeError):
    """A batch cannot go on (a part cannot be written, workers hold other rulesets): not one record's fault."""


class WorkerDied(RuntimeError):
    """The process screening a partition ended without an answer (killed, out of memory, a native crash)."""


class Runner(Protocol):
    def submit(self, part: Partition) -> None: ...

    def completed(self) -> Iterator[Completed]: ...

    def close(self, finished: bool) -> None: ...


class SerialRunner:
    """Partitions screened one after the other in this process."""

    def __init__(self, job: Job) -> None:
        self._job = job
        self._queue: deque[Partition] = deque()

    def submit(self, part: Partition) -> None:
        self._queue.append(part)

    def completed(self) -> Iterator[Completed]:
        while self._queue:
            part = self._queue.popleft()
            try:
                yield part, screen_partition(part, self._job)
            except Exception as exc:
                yield part, exc

    def close(self, finished: bool) -> None:
        self._queue.clear()


def _start_worker(stop: Any) -> None:
    # Ctrl-C reaches the whole process group, and only the parent decides: it sets ``stop``, and a worker
    # abandons the partition it is screening at the next record.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    work._stop = stop


class PoolRunner:
    """Partitions screened by a pool of worker processes; each builds its Screener on its first partition.

    When a worker dies, every partition still waiting fails with the pool, and any of them may be the cause.
    A partition of several records comes back as :class:`WorkerDied` (the caller splits it into one-record
    pieces); pieces, and single records caught in the failure, are then screened one at a time in a pool of
    their own, so that a record that kills its worker again is known to be the one.
    """

    def __init__(self, job: Job, workers: int) -> None:
        self._job = job
        self._workers = workers
        self._context = multiprocessing.get_context()
        self._stop = self._context.Event()
        self._pool = self._new_pool(workers)
        self._futures: dict[Future[PartOutcome], Partition] = {}
        self._suspects: deque[Partition] = deque()
        self._alone: ProcessPoolExecutor | None = None
        self._alone_future: tuple[Future[PartOutcome], Partition] | None = None

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(workers, mp_context=self._context, initializer=_start_worker, initargs=(self._stop,))

    def submit(self, part: Partition) -> None:
        if part.sub is not None:  # a piece of a partition whose worker died: screened alone
            self._suspects.append(part)
        else:
            self._futures[self._pool.submit(screen_partition, part, self._job)] = part

    def _next_alone(self) -> None:
        if self._alone_future is None and self._suspects:
            if self._alone is None:
                self._alone = self._new_pool(1)
            part = self._suspects.popleft()
            self._alone_future = (self._alone.submit(screen_partition, part, self._job), part)

    def completed(self) -> Iterator[Completed]:
        while self._futures or self._suspects or self._alone_future:
            self._next_alone()
            alone = self._alone_future
            waiting = list(self._futures) + ([alone[0]] if alone else [])
            done, _ = wait(waiting, return_when=FIRST_COMPLETED)
            if alone is not None and alone[0] in done:
                self._alone_future = None
                result = self._result(alone[0])
                if isinstance(result, WorkerDied) and self._alone is not None:  # the record is the cause
                    self._alone.shutdown(wait=True)
                    self._alone = None
                yield alone[1], result
            broken: list[Partition] = []
            for future in sorted((f for f in done if f in self._futures), key=lambda f: self._futures[f].key):
                part = self._futures.pop(future)
                result = self._result(future)
                if isinstance(result, WorkerDied):
                    broken.append(part)
                else:
                    yield part, result
            if broken:
                suspects = sorted([*broken, *self._futures.values()], key=lambda p: p.key)
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._futures.clear()
                self._pool = self._new_pool(self._workers)
                for part in suspects:
                    if part.count > 1:
                        yield part, WorkerDied("a worker process died while screening it")
                    else:
                        self._suspects.append(part)

    @staticmethod
    def _result(future: Future[PartOutcome]) -> PartOutcome | BaseException:
        try:
            return future.result()
        except BrokenProcessPool:
            return WorkerDied("a worker process died while screening it")
        except Exception as exc:  # e.g. a result that could not be sent back
            return exc

    def close(self, finished: bool) -> None:
        if not finished:  # stopped early: workers abandon their partitions; the queue is cancelled
            self._stop.set()
        for pool in (self._pool, self._alone):
            if pool is not None:
                pool.shutdown(wait=finished, cancel_futures=True)
        self._futures.clear()
        self._suspects.clear()


def parse_dask(spec: str) -> tuple[str, int | None]:
    """``local`` / ``local:N`` (a LocalCluster of N worker processes) or a scheduler address ``tcp://host:port``."""
    text = spec.strip()
    if text == "local":
        return "local", None
    if text.startswith("local:"):
        n = text.removeprefix("local:")
        if not n.isdigit() or not 1 <= int(n) <= 256:
            raise InputError(f"'{spec}': N in local:N must be a number of workers from 1 to 256", field="--dask")
        return "local", int(n)
    if text.startswith(("tcp://", "tls://")) and ":" in text.split("://", 1)[1]:
        return text, None
    raise InputError(f"'{spec}' is neither local[:N] nor a scheduler address tcp://host:port", field="--dask")


class DaskRunner:
    """Partitions screened on a Dask cluster: a LocalCluster started here, or an existing scheduler.

    Each worker compiles the rulesets once, when it starts, and checks they are the very rulesets the batch
    was planned with (:class:`~engine.population.dask_plugin.ScreenerPlugin`). Paths are sent, not records:
    workers read the inputs and write their parts themselves, so on a cluster the inputs, rulesets and output
    directory must be on storage every worker sees under the same path.
    """

    def __init__(self, job: Job, spec: str) -> None:
        from distributed import Client, LocalCluster, as_completed

        from .dask_plugin import ScreenerPlugin

        address, n = parse_dask(spec)
        self._job = job
        self._cluster = None
        try:
            if address == "local":
                self._cluster = LocalCluster(
                    n_workers=n or os.cpu_count() or 1,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self._client = Client(self._cluster)
            else:
                self._client = Client(address, timeout="20s")
        except OSError as exc:
            self.close(False)
            raise InputError(f"cannot reach the Dask scheduler {address} ({exc})", field="--dask") from None
        try:
            self._client.register_plugin(ScreenerPlugin(job), name="prescreen-screener")
        except Exception as exc:  # a worker could not build the Screener: every task would fail the same way
            self.close(False)
            raise BatchError(f"Dask workers cannot screen this batch ({type(exc).__name__}: {exc})") from exc
        self._as_completed = as_completed()
        self._parts: dict[str, Partition] = {}

    def submit(self, part: Partition) -> None:
        future = self._client.submit(screen_partition, part, self._job, pure=False)
        self._parts[future.key] = part
        self._as_completed.add(future)

    def completed(self) -> Iterator[Completed]:
        from distributed import KilledWorker

        for future in self._as_completed:
            part = self._parts.pop(future.key)
            try:
                yield part, future.result()
            except KilledWorker:
                yield part, WorkerDied("Dask workers died while screening it")
            except Exception as exc:
                yield part, exc

    def close(self, finished: bool) -> None:
        client = getattr(self, "_client", None)
        if client is not None:
            if not finished:
                client.cancel(list(self._as_completed.futures))
            client.close()
        if self._cluster is not None:
            self._cluster.close()
