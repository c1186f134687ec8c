"""The Dask worker plugin of a batch (imported only when ``--dask`` is used: dask is the ``population`` extra)."""

from __future__ import annotations

from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from .work import Job, screener_for

__all__ = ["ScreenerPlugin"]


class ScreenerPlugin(WorkerPlugin):
    """Each worker builds the batch's Screener once, when it starts (or joins), before any partition."""

    idempotent = True

    def __init__(self, job: Job) -> None:
        self.job = job

    def setup(self, worker: Any) -> None:
        screener_for(self.job)
