"""Progress a person can follow on a long batch: n/N patients, rate, ETA and a running tally of verdicts.

On a terminal it is one live line (rich); elsewhere (a log file, a scheduler's output) the same line is printed
every :data:`LOG_EVERY_S` seconds. :meth:`BatchProgress.summary` is the closing line with the counts.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn

from ..words import count
from .work import PartOutcome

__all__ = ["LOG_EVERY_S", "BatchProgress"]

LOG_EVERY_S = 10.0
VERDICTS = ("eligible", "needs-review", "ineligible")


def _duration(seconds: float) -> str:
    s = round(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


class BatchProgress:
    """Counts what a batch has screened and shows it on ``console`` (standard error)."""

    def __init__(
        self,
        console: Console,
        total: int,
        before: tuple[int, int, int, Counter[str]] = (0, 0, 0, Counter()),
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``before``: (patients, bad, internal, verdicts) of the parts a previous run finished (resume)."""
        self.console = console
        self.total = total
        self.resumed, self.bad, self.internal, self.verdicts = before[0], before[1], before[2], Counter(before[3])
        self._pairs_before = sum(before[3].values())
        self.patients = 0
        self._clock = clock
        self._start = clock()
        self._logged = self._start
        self._live = Progress(
            TextColumn("screening"), BarColumn(), TextColumn("{task.description}"), console=console, transient=True
        )
        self._task = self._live.add_task(self.line(), total=total or None, completed=self.resumed)

    def __enter__(self) -> BatchProgress:
        if self.console.is_terminal:
            self._live.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.console.is_terminal:
            self._live.stop()

    def print(self, text: str) -> None:
        """A line above the live progress (an error, a note)."""
        (self._live.console if self.console.is_terminal else self.console).print(text, markup=False, highlight=False)

    def advance(self, outcome: PartOutcome) -> None:
        """Count a partition's outcome and show the new state."""
        self.patients += outcome.patients
        self.bad += outcome.bad
        self.internal += outcome.internal
        self.verdicts.update(outcome.verdicts)
        for message in outcome.errors:
            self.print(f"error: {message}")
        self._live.update(self._task, completed=self.resumed + self.patients, description=self.line())
        now = self._clock()
        if not self.console.is_terminal and now - self._logged >= LOG_EVERY_S:
            self._logged = now
            self.print(f"screening {self.line()}")

    @property
    def pairs(self) -> int:
        """Patient-trials screened in this run."""
        return sum(self.verdicts.values()) - self._pairs_before

    def line(self) -> str:
        """``n/N patients, rate, ETA, tally``: the state in one line."""
        elapsed = max(self._clock() - self._start, 1e-9)
        n = self.resumed + self.patients
        parts = [f"{n}/{self.total} patients" if self.total else f"{n} patients"]
        if self.patients:
            parts.append(f"{self.pairs / elapsed:.0f} patient-trials/s")
            left = self.total - n
            if left > 0:
                parts.append(f"ETA {_duration(left * elapsed / self.patients)}")
        tally = ", ".join(f"{self.verdicts[v]} {v}" for v in VERDICTS)
        parts.append(f"{tally}, {self.bad + self.internal} errors")
        return " | ".join(parts)

    def summary(self) -> str:
        """The closing line: patients and errors, verdicts, time and rate."""
        elapsed = max(self._clock() - self._start, 1e-9)
        tally = ", ".join(f"{self.verdicts[v]} {v}" for v in VERDICTS)
        resumed = f" ({self.resumed} of them screened before this run)" if self.resumed else ""
        n = self.resumed + self.patients
        return (
            f"{count(n, 'patient')}, {self.bad} with bad input, {self.internal} with an internal error{resumed}; "
            f"{count(sum(self.verdicts.values()), 'patient-trial')}: {tally}; "
            f"this run {_duration(elapsed)}, {self.pairs / elapsed:.0f} patient-trials/s"
        )
