"""Calendar arithmetic for windows and imprecise dates. The engine never reads the clock: "as of" is an input.

A record's date may be precise (``2026-03-14``) or partial (``2026-03`` or ``2026``). Both become a
:class:`DateSpan` (earliest, latest), so a washout that ends inside an imprecise month is *unknown*, not
guessed. ``None`` as a bound means open-ended.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["DateSpan", "Duration", "parse_partial_date", "shift"]

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A date known to lie in [earliest, latest]; ``None`` bounds are open (unknown past or future)."""

    earliest: date | None
    latest: date | None

    @classmethod
    def exact(cls, d: date) -> DateSpan:
        return cls(d, d)

    @property
    def is_exact(self) -> bool:
        return self.earliest is not None and self.earliest == self.latest

    def __str__(self) -> str:
        if self.is_exact:
            return self.earliest.isoformat()  # type: ignore[union-attr]
        lo = self.earliest.isoformat() if self.earliest else "…"
        hi = self.latest.isoformat() if self.latest else "…"
        return f"between {lo} and {hi}"


def parse_partial_date(text: str) -> DateSpan:
    """``2026-03-14`` -> exact; ``2026-03`` -> the month; ``2026`` -> the year; ``2026-01/2026-03`` or
    ``2026-01-05/..`` -> an interval (``..`` open). Raises ValueError otherwise."""
    if "/" in text:
        left, _, right = text.strip().partition("/")
        lo = None if left.strip() in ("", "..") else parse_partial_date(left).earliest
        hi = None if right.strip() in ("", "..") else parse_partial_date(right).latest
        if lo and hi and lo > hi:
            raise ValueError(f"'{text}' ends before it starts")
        return DateSpan(lo, hi)
    m = _PARTIAL.match(text.strip())
    if not m:
        raise ValueError(f"'{text}' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if month is None:
        return DateSpan(date(year, 1, 1), date(year, 12, 31))
    mon = int(month)
    if day is None:
        if not 1 <= mon <= 12:
            raise ValueError(f"'{text}' has no month {mon}")
        return DateSpan(date(year, mon, 1), date(year, mon, calendar.monthrange(year, mon)[1]))
    return DateSpan.exact(date(year, mon, int(day)))


@dataclass(frozen=True, slots=True)
class Duration:
    """A calendar length as protocols write it; hours must be whole days (records carry dates, not times)."""

    amount: int
    unit: str  # "hours" | "days" | "weeks" | "months" | "years"

    def __str__(self) -> str:
        unit = self.unit[:-1] if self.amount == 1 else self.unit
        return f"{self.amount} {unit}"


def shift(d: date, duration: Duration, sign: int = -1) -> date:
    """``d`` moved by ``duration`` (backwards by default). Months and years keep the day, clamped to month end."""
    n = duration.amount * sign
    if duration.unit == "hours":
        return d + timedelta(days=n // 24 if n >= 0 else -((-n) // 24))
    if duration.unit == "days":
        return d + timedelta(days=n)
    if duration.unit == "weeks":
        return d + timedelta(weeks=n)
    months = n * (12 if duration.unit == "years" else 1)
    total = d.year * 12 + (d.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))
