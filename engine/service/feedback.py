"""CDS Hooks feedback (``POST /cds-services/{id}/feedback``): what clinicians did with the cards, recorded.

Recorded append-only: to a JSON Lines file when one is configured (one line per feedback item, written in one
append, so concurrent requests and workers never interleave within a line), else in memory (the latest items).
"""

from __future__ import annotations

import json
import os
import threading
from collections import deque
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["FeedbackItem", "FeedbackLog", "FeedbackRequest"]


class _Spec(BaseModel):
    # Fields the specification may add later are kept, not refused (CDS Hooks clients add extensions).
    model_config = ConfigDict(extra="allow")


class Coding(_Spec):
    code: str
    system: str | None = None
    display: str | None = None


class OverrideReason(_Spec):
    reason: Coding | None = None
    userComment: str | None = Field(default=None, max_length=10_000)


class AcceptedSuggestion(_Spec):
    id: str


class FeedbackItem(_Spec):
    """What the clinician did with one card (CDS Hooks 2.0 "Feedback")."""

    card: str = Field(min_length=1, max_length=200)
    outcome: Literal["accepted", "overridden"]
    acceptedSuggestions: list[AcceptedSuggestion] | None = None
    overrideReason: OverrideReason | None = None
    outcomeTimestamp: datetime


class FeedbackRequest(_Spec):
    feedback: list[FeedbackItem] = Field(min_length=1, max_length=1_000)


class FeedbackLog:
    """Append-only record of feedback: a JSON Lines file, or the last ``capacity`` items in memory."""

    def __init__(self, path: Path | None = None, capacity: int = 10_000) -> None:
        self.path = path
        self._memory: deque[dict[str, Any]] = deque(maxlen=capacity)
        self._lock = threading.Lock()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)

    def record(self, service: str, items: list[FeedbackItem], received: datetime) -> None:
        """Append one entry per item, with the service id and when it was received."""
        entries = [
            {"service": service, "received": received.isoformat(), **item.model_dump(mode="json", exclude_none=True)}
            for item in items
        ]
        with self._lock:
            if self.path is None:
                self._memory.extend(entries)
                return
            # One write() in append mode: lines from several workers sharing the file never interleave.
            data = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries).encode("utf-8")
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)

    def entries(self) -> list[dict[str, Any]]:
        """What is recorded (read back from the file when there is one)."""
        with self._lock:
            if self.path is None:
                return list(self._memory)
            if not self.path.exists():
                return []
            return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line]
