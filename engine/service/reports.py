"""Reports kept for a short time so that a card can link to the full screening: ``GET /reports/{token}``.

The token is random (``secrets.token_urlsafe``, 192 bits), the only key, and carries nothing of the patient. The
store is bounded in count (oldest dropped first) and in time. It lives in the worker's memory, or, when several
workers serve one port (a request may reach any of them), in a private directory they share (``report_dir``).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

__all__ = ["ReportStore"]

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


class ReportStore:
    """At most ``capacity`` reports (HTML pages), each for ``ttl`` seconds. Thread-safe; process-safe with a
    ``directory`` (files named by token, written whole then renamed into place)."""

    def __init__(
        self, capacity: int, ttl: float, directory: Path | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        self.capacity = capacity
        self.ttl = ttl
        self.directory = directory
        self._clock = clock
        self._items: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, html: str) -> str:
        """Keep one report; the token that fetches it."""
        token = secrets.token_urlsafe(24)
        now = self._clock()
        if self.directory is not None:
            partial = self.directory / f".{token}.part"
            partial.write_text(html, encoding="utf-8")
            os.replace(partial, self.directory / token)
            self._sweep(self.directory, now)
            return token
        with self._lock:
            self._items[token] = (now + self.ttl, html)
            self._expire(now)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
        return token

    def get(self, token: str) -> str | None:
        """The report kept under ``token``, or None when unknown or expired."""
        if not _TOKEN.match(token):
            return None
        now = self._clock()
        if self.directory is not None:
            path = self.directory / token
            try:
                if path.stat().st_mtime + self.ttl <= now:
                    return None
                return path.read_text(encoding="utf-8")
            except FileNotFoundError:
                return None
        with self._lock:
            self._expire(now)
            item = self._items.get(token)
        return item[1] if item else None

    def _expire(self, now: float) -> None:
        # One ttl for all, kept in insertion order: the oldest are at the front, stop at the first still valid.
        while self._items:
            token, (expires, _) = next(iter(self._items.items()))
            if expires > now:
                break
            del self._items[token]

    def _sweep(self, directory: Path, now: float) -> None:
        """Remove expired reports, then the oldest beyond capacity (another worker may remove them first)."""
        files = []
        with os.scandir(directory) as entries:
            for entry in entries:
                if _TOKEN.match(entry.name):
                    try:
                        files.append((entry.stat().st_mtime, entry.path))
                    except FileNotFoundError:
                        continue
        files.sort()
        stale = [p for m, p in files if m + self.ttl <= now]
        stale += [p for _, p in files[len(stale) : max(len(stale), len(files) - self.capacity)]]
        for path in stale:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
