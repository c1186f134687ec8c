"""Calendar arithmetic for windows and imprecise dates. The engine never reads the clock: "as of" is an input.

A record's date may be precise (``2026-03-14``) or partial (``2026-03`` or ``2026``). Both become a
:class:`DateSpan` (earliest, latest), so a washout that ends inside an imprecise month is *unknown*, not
guessed. An open bound (``..`` in input, ``None`` when built) means unbounded: it is stored as the first or
last representable day (``date.min``, ``date.max``), so every span has two dates that compare, and
:func:`shift` saturates at those limits instead of overflowing.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

__all__ = ["DateSpan", "Duration", "parse_partial_date", "shift"]

_PARTIAL = re.compile(r"^([0-9]{4})(?:-([0-9]{2}))?(?:-([0-9]{2}))?$")  # ASCII digits only


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A date known to lie in [earliest, latest]. Built with ``None`` for an open bound, which is stored as
    ``date.min`` or ``date.max``: both attributes are always dates."""

    earliest: date
    latest: date

    def __init__(self, earliest: date | None, latest: date | None) -> None:
        object.__setattr__(self, "earliest", date.min if earliest is None else earliest)
        object.__setattr__(self, "latest", date.max if latest is None else latest)

    @classmethod
    def exact(cls, d: date) -> DateSpan:
        return cls(d, d)

    @property
    def is_exact(self) -> bool:
        return self.earliest == self.latest

    @property
    def is_open(self) -> bool:
        """True when either end is unbounded (an exact day is never open, even the first or last one)."""
        return not self.is_exact and (self.earliest == date.min or self.latest == date.max)

    def isoformat(self) -> str:
        """The input spelling: ``2026-03-14``, or ``2026-01-01/2026-01-31`` with ``..`` for an open end."""
        if self.is_exact:
            return self.earliest.isoformat()
        lo = ".." if self.earliest == date.min else self.earliest.isoformat()
        hi = ".." if self.latest == date.max else self.latest.isoformat()
        return f"{lo}/{hi}"

    def __str__(self) -> str:
        if self.is_exact:
            return self.earliest.isoformat()
        if self.earliest == date.min:
            return f"on or before {self.latest.isoformat()}"
        if self.latest == date.max:
            return f"on or after {self.earliest.isoformat()}"
        return f"between {self.earliest.isoformat()} and {self.latest.isoformat()}"


def parse_partial_date(text: str) -> DateSpan:
    """``2026-03-14`` -> exact; ``2026-03`` -> the month; ``2026`` -> the year; ``2026-01/2026-03`` or
    ``2026-01-05/..`` -> an interval (``..`` open; not both). Raises ValueError otherwise."""
    if "/" in text:
        parts = [p.strip() for p in text.strip().split("/")]
        if len(parts) == 3 and all(p.isdigit() for p in parts):  # 14/03/2026: a date written another way
            raise ValueError(f"'{text}' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
        if len(parts) != 2 or "" in parts or "/" in parts[1]:  # "a/b/c", "a//b", "/b": not one interval
            raise ValueError(f"'{text}' is not an interval (START/END, either end a date or '..')")
        left, right = parts
        lo = None if left == ".." else _one_date(left).earliest
        hi = None if right == ".." else _one_date(right).latest
        if lo is None and hi is None:
            raise ValueError(f"'{text}' has neither a start nor an end")
        if lo and hi and lo > hi:
            raise ValueError(f"'{text}' ends before it starts")
        return DateSpan(lo, hi)
    return _one_date(text)


def _one_date(text: str) -> DateSpan:
    m = _PARTIAL.match(text.strip())
    if not m:
        raise ValueError(f"'{text}' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if month is None:
            return DateSpan(date(year, 1, 1), date(year, 12, 31))
        mon = int(month)
        if day is None:
            if not 1 <= mon <= 12:
                raise ValueError(f"month must be in 1..12, not {mon}")
            return DateSpan(date(year, mon, 1), date(year, mon, calendar.monthrange(year, mon)[1]))
        return DateSpan.exact(date(year, mon, int(day)))
    except ValueError as exc:  # year 0, month 13, 30 February
        raise ValueError(f"'{text.strip()}' is not a calendar date ({exc})") from None


@dataclass(frozen=True, slots=True)
class Duration:
    """A calendar length as protocols write it; hours must be whole days (records carry dates, not times)."""

    amount: int
    unit: str  # "hours" | "days" | "weeks" | "months" | "years"

    def __str__(self) -> str:
        unit = self.unit[:-1] if self.amount == 1 else self.unit
        return f"{self.amount} {unit}"


def shift(d: date, duration: Duration, sign: int = -1) -> date:
    """``d`` moved by ``duration`` (backwards by default). Months and years keep the day, clamped to month end.

    The result saturates at ``date.min`` and ``date.max``: nothing lies beyond them, so a window reaching past
    year 1 starts at year 1, and a washout from an open end never clears.
    """
    n = duration.amount * sign
    if duration.unit in ("hours", "days", "weeks"):
        whole_days_of_hours = n // 24 if n >= 0 else -((-n) // 24)  # toward 0: 36 hours is one whole day
        days = {"hours": whole_days_of_hours, "days": n, "weeks": 7 * n}[duration.unit]
        return date.fromordinal(min(max(d.toordinal() + days, 1), _LAST_ORDINAL))
    months = n * (12 if duration.unit == "years" else 1)
    total = d.year * 12 + (d.month - 1) + months
    year, month = divmod(total, 12)
    if year < date.min.year:
        return date.min
    if year > date.max.year:
        return date.max
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


_LAST_ORDINAL = date.max.toordinal()
