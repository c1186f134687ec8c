"""Data-age warnings: results older than the windows a trial's criteria read them through, and a record whose
newest entry is years before the as-of date.

The verdicts already say "stale" criterion by criterion; these warnings say it once per result kind and once
per patient, in words a coordinator acts on ("hemoglobin: the newest result (2021-03-02) is older than the 28
days before screening that INC-07a needs"). A result kind is named only when every result of it is dated and
the newest is before the window wherever the reference date falls: undated or imprecise results are the
reviews' to explain.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from ..calculators import age_in_years
from ..dates import DateSpan
from ..patient import Patient
from ..words import count, join_and
from .derived import FORMULAS
from .index import PatientIndex
from .model import DerivedRequest, FactRequest, ObservationRequest, Window
from .observations import window_bounds

if TYPE_CHECKING:  # facts do not depend on how rulesets load; only the type is named
    from ..rules.loader import CompiledRuleset

__all__ = [
    "DISTANT_REFERENCE_DAYS",
    "OLD_RECORD_YEARS",
    "calculator_observations",
    "distant_reference_dates",
    "old_record",
    "stale_results",
]

OLD_RECORD_YEARS = 1
"""A record whose newest entry is at least this many whole years before the as-of date is warned about."""

_PARTS = {  # the observations of calculators that are not simple formulas (derived.py reads them by these codes)
    "egfr_mdrd": ("creatinine",),
    "egfr_mdrd_186": ("creatinine",),
    "child_pugh_class": ("total_bilirubin", "albumin", "inr", "ascites", "hepatic_encephalopathy"),
    "child_pugh_class_albumin_3_0": ("total_bilirubin", "albumin", "inr", "ascites", "hepatic_encephalopathy"),
    "psa_progression": ("psa",),
}
_NOT_OBSERVED = frozenset({"age", "sex"})


def calculator_observations(name: str) -> tuple[str, ...]:
    """The observation codes a derived fact is computed from (none for age)."""
    if name in FORMULAS:
        return tuple(i for i in FORMULAS[name].inputs if i not in _NOT_OBSERVED)
    return _PARTS.get(name, ())


def _windowed(request: FactRequest) -> Iterator[tuple[str, Window]]:
    if isinstance(request, ObservationRequest) and request.window is not None and request.extreme is None:
        yield request.code, request.window
    elif isinstance(request, DerivedRequest) and request.window is not None:
        for code in calculator_observations(request.name):
            yield code, request.window


@lru_cache(maxsize=64)
def _needs(rs: CompiledRuleset) -> dict[str, dict[Window, tuple[str, ...]]]:
    """Per observation code, each window a criterion reads it through and the criteria that do, in order."""
    needs: dict[str, dict[Window, dict[str, None]]] = {}
    for c in rs.criteria:
        for request in c.condition.requests():
            for code, window in _windowed(request):
                needs.setdefault(code, {}).setdefault(window, {})[c.id] = None
    return {code: {w: tuple(ids) for w, ids in windows.items()} for code, windows in needs.items()}


def _span(window: Window) -> str:
    d = window.duration
    length = d.unit[:-1] if d.amount == 1 else str(d)  # "the week before", "the 28 days before"
    longer = f" (or {window.half_lives} half-lives, whichever is longer)" if window.half_lives else ""
    return f"the {length}{longer} before {window.reference.replace('_', ' ')}"


def stale_results(ix: PatientIndex, rs: CompiledRuleset) -> tuple[str, ...]:
    """One warning per result kind whose newest result is older than a window this trial reads it through."""
    warnings = []
    for code, windows in _needs(rs).items():
        readings = [rd for rd in ix.readings.get(code, ()) if rd.obs.date is None or rd.obs.date.earliest <= ix.as_of]
        if not readings or any(rd.obs.date is None for rd in readings):
            continue
        newest: DateSpan = max((rd.obs.date for rd in readings), key=lambda d: d.latest)  # type: ignore[union-attr]
        clauses = []
        for window, ids in windows.items():
            start, _, unplaced = window_bounds(ix, window)
            if unplaced is None and start is not None and newest.latest < start:
                clauses.append(f"{_span(window)} that {join_and(ids)} need{'s' if len(ids) == 1 else ''}")
        if clauses:
            label = ix.catalog.observations[code].label
            warnings.append(f"{label}: the newest result ({newest}) is older than {join_and(clauses)}")
    return tuple(warnings)


def _record_dates(patient: Patient) -> Iterator[DateSpan]:
    """The dates of the clinical records (results, diagnoses, therapies); not of answers or reference dates."""
    for obs in patient.observations:
        if obs.date is not None:
            yield obs.date
    for c in patient.conditions:
        yield from (d for d in (c.onset, c.resolved) if d is not None)
    for t in patient.therapies:
        yield from (d for d in (t.start, t.end) if d is not None)


DISTANT_REFERENCE_DAYS = 90
"""A screening or consent date further than this before the as-of date is said: windows count back from it, so a
mistyped year would let results that old count as current."""


def distant_reference_dates(patient: Patient, as_of: date) -> tuple[str, ...]:
    """A warning for each past reference date (screening, consent) long before the as-of date."""
    said = []
    for name in ("screening", "consent"):
        day = patient.reference_dates.get(name)
        if day is not None and (as_of - day).days > DISTANT_REFERENCE_DAYS:
            said.append(
                f"the {name} date {day} is {(as_of - day).days} days before the as-of date {as_of}: windows before "
                f"{name} count back from it, so results that old count as current; check the date"
            )
    return tuple(said)


def old_record(patient: Patient, as_of: date) -> tuple[str, ...]:
    """A warning when the newest dated record is at least :data:`OLD_RECORD_YEARS` years before ``as_of``."""
    dates = [d for d in _record_dates(patient) if d.earliest <= as_of]
    if not dates:
        return ()
    newest = max(dates, key=lambda d: d.latest)
    years = age_in_years(min(newest.latest, as_of), as_of)
    if years < OLD_RECORD_YEARS:
        return ()
    return (
        f"the newest record is from {newest}, {count(years, 'year')} before the as-of date {as_of}: "
        "newer results, diagnoses or therapies may be missing",
    )
