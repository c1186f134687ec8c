"""Observations: the latest result inside a criterion's window, in the catalog's unit (or × its ULN).

A result dated before the window is stale; one that straddles it, or lacks a date where a window applies,
is ambiguous; results dated after the as-of date are not used. Every result that could be the latest (the
newest day, or an imprecise or missing date reaching it) is read: when they disagree the fact is a
:class:`Range` with an ambiguous reason naming each record, so a criterion decides only where all agree. A
value outside the catalog's physiological bounds, or a ratio to an implausible reference range, is never
used. Every fact names the record it came from.
"""

from __future__ import annotations

import math
from datetime import date
from functools import cache, lru_cache
from importlib import resources

import yaml

from ..catalog import Catalog, ObservationDef
from ..dates import shift
from ..errors import UnitError
from ..evaluate.nodes import round_sig
from ..patient import Observation
from ..units import conversion_factor
from ..words import a, count, join_or, quantity, unit_text
from .index import PatientIndex, _Reading, fmt, open_reference, unknown
from .model import (
    Evidence,
    Fact,
    Range,
    Reason,
    Window,
)

__all__ = ["evidence_of", "normalised", "observation", "shown_value", "window_bounds"]


def window_bounds(ix: PatientIndex, w: Window) -> tuple[date | None, date | None, str | None]:
    """(earliest start, latest start) of the window, or a reason why it cannot be placed."""
    bounds = ix.bounds.get(w)
    if bounds is None:
        bounds = ix.bounds[w] = _place_window(ix, w)
    return bounds


def _place_window(ix: PatientIndex, w: Window) -> tuple[date | None, date | None, str | None]:
    ref = ix.reference(w.reference)
    if ref is None:
        return None, None, f"{w.reference.replace('_', ' ')} date"
    lo = shift(ref.earliest, w.duration) if ref.earliest else None
    hi = shift(ref.latest, w.duration) if ref.latest else None
    return lo, hi, None


def observation(ix: PatientIndex, code: str, window: Window | None, per_uln: bool, extreme: str | None = None) -> Fact:
    key = (code, window, per_uln, extreme)
    fact = ix.memo.get(key)
    if fact is None:

        def read() -> Fact:
            return _read_extreme(ix, code, extreme) if extreme else _read_observation(ix, code, window, per_uln)

        # No result on record reads the same for every patient.
        fact = ix.memo[key] = ix.shared_fact(("observation", *key), read) if not ix.readings.get(code) else read()
    return fact


def _read_extreme(ix: PatientIndex, code: str, extreme: str) -> Fact:
    """The highest (or lowest) result ever recorded up to the as-of date: a history reads every result, so a
    normal ECG today does not hide a prolonged QTc last year. Any unusable result leaves it unknown."""
    spec = ix.catalog.observations[code]
    label = spec.label
    # A result that may predate the as-of date counts: "ever" has no window to straddle.
    readings = [rd for rd in ix.readings.get(code, []) if rd.obs.date is None or rd.obs.date.earliest <= ix.as_of]
    if not readings:
        return unknown("missing", label, f"no {label} result", f"the {label} results on record", results=(code,))
    values: list[tuple[float, _Reading]] = []
    for rd in readings:
        value = normalised(ix, code, rd)
        if isinstance(value, Fact):
            return value  # an unusable result might be the highest: never outvoted
        values.append((value, rd))  # type: ignore[arg-type]
    pick = max if extreme == "highest" else min
    value, rd = pick(values, key=lambda vr: vr[0])
    shown = f"{extreme} {label} ever {shown_value(rd.obs)}{_dated(rd)} ({rd.path}), of {count(len(values), 'result')}"
    return Fact(value, shown, tuple(evidence_of(r) for _, r in values))


def _read_observation(ix: PatientIndex, code: str, window: Window | None, per_uln: bool) -> Fact:
    spec = ix.catalog.observations[code]
    label = spec.label
    readings = [rd for rd in ix.readings.get(code, []) if rd.obs.date is None or rd.obs.date.earliest <= ix.as_of]
    future = len(ix.readings.get(code, [])) - len(readings)
    if not readings:
        why = f"no {label} result" + (" (only results dated after the as-of date)" if future else "")
        kind = "ambiguous" if future else "missing"
        return unknown(kind, label, why, a(f"{label} result") + (f" {window}" if window else ""), results=(code,))
    usable, stale, undated, after = [], [], [], []
    if window is None:
        for rd in readings:  # a date that may fall after the as-of date places a result no better than none
            (undated if rd.obs.date is None or rd.obs.date.latest > ix.as_of else usable).append(rd)
        if not usable:
            usable, undated = undated, []
    else:
        lo, hi, missing_ref = window_bounds(ix, window)
        ref = ix.reference(window.reference)
        ref_end = ref.latest if ref is not None else None  # "before first dose": a result after it is not before
        for rd in readings:
            d = rd.obs.date
            if d is None or d.latest > ix.as_of:
                undated.append(rd)  # no date, or one that may fall after the as-of date
            elif ref_end is not None and d.earliest > ref_end:
                after.append(rd)
            elif ref_end is not None and d.latest > ref_end:
                undated.append(rd)  # may be after the reference date
            elif hi is not None and d.earliest >= hi:
                usable.append(rd)  # inside the window whatever the exact reference date
            elif lo is not None and d.latest < lo:
                stale.append(rd)
            else:
                undated.append(rd)  # straddles the boundary or the reference date is open
        if not usable:
            if undated:
                dated = [rd for rd in undated if rd.obs.date is not None]
                newest = max(dated, key=lambda rd: rd.obs.date.latest) if dated else undated[-1]  # type: ignore[union-attr]
                if missing_ref:
                    return unknown("missing", label, f"{label} window needs the {missing_ref}", f"the {missing_ref}")
                if newest.obs.date is not None and newest.obs.date.latest > ix.as_of:
                    return unknown(
                        "ambiguous",
                        label,
                        f"{label} dated {newest.obs.date} ({newest.path}) may be after the as-of date {ix.as_of}",
                        f"the exact date of the {label} result",
                        (evidence_of(newest),),
                    )
                open_ref = open_reference(ix, window)
                if open_ref and newest.obs.date is not None:
                    return unknown(
                        "missing",
                        label,
                        f"{label} dated {newest.obs.date} counts only if it is {window}; the {open_ref} "
                        "date is not yet given",
                        f"the {open_ref} date",
                        (evidence_of(newest),),
                    )
                if newest.obs.date is None:
                    return unknown(
                        "ambiguous",
                        label,
                        f"{label} result has no date; the criterion needs it {window}",
                        f"the date of the {label} result",
                        (evidence_of(newest),),
                    )
                return unknown(
                    "ambiguous",
                    label,
                    f"{label} dated {newest.obs.date} may or may not be {window}",
                    a(f"{label} result") + f" {window}",
                    (evidence_of(newest),),
                    results=(code,),
                )
            if after and not stale:
                first = min(after, key=lambda rd: rd.obs.date.earliest)  # type: ignore[union-attr]
                ref_name = window.reference.replace("_", " ")
                return unknown(
                    "missing",
                    label,
                    f"{label} dated {first.obs.date} ({first.path}) is after the {ref_name} date {ref}: the criterion "
                    f"needs one {window}",
                    a(f"{label} result") + f" {window}",
                    (evidence_of(first),),
                    results=(code,),
                )
            latest = max(stale, key=lambda rd: rd.obs.date.latest)  # type: ignore[union-attr]
            return unknown(
                "stale",
                label,
                f"latest {label} ({shown_value(latest.obs)} on {latest.obs.date}) is too old: "
                f"the criterion needs one {window}",
                f"a new {label} result {window}",
                (evidence_of(latest),),
                results=(code,),
            )
    read: list[tuple[_Reading, float | str, str]] = []
    # A result after the reference date cannot show the value before it, but it is newer information: where it
    # disagrees with the window's latest, the criterion is left to a person rather than decided on older data.
    for rd in _could_be_latest(ix, usable, undated + after):
        value = normalised(ix, code, rd)
        if isinstance(value, Fact):
            return value  # an unusable result that could be the latest is never outvoted by another
        if per_uln:
            ratio = _per_uln(ix, code, rd, value)  # type: ignore[arg-type]
            if isinstance(ratio, Fact):
                return ratio
            read.append((rd, *ratio))
        else:
            shown = shown_value(rd.obs)
            if isinstance(value, float) and rd.obs.unit and spec.unit and rd.obs.unit != spec.unit:
                shown += f" = {quantity(fmt(value), spec.unit)}"
            read.append((rd, value, shown))
    evidence = tuple(evidence_of(rd) for rd, _, _ in read)
    changes_on = None
    if window is not None and window.reference not in ix.patient.reference_dates:
        # goes stale (or a conflict narrows) as the as-of date moves past the first result's window
        ends = [shift(rd.obs.date.latest, window.duration, sign=+1) for rd, _, _ in read if rd.obs.date]
        changes_on = min(ends, default=None)
    if len({v for _, v, _ in read}) == 1:
        rd, value, shown = read[0]
        on = f" on {rd.obs.date}" if rd.obs.date else ""
        return Fact(value, f"{label} {shown}{on}", evidence, changes_on=changes_on)
    what = f"{label} × ULN" if per_uln else label
    message = f"conflicting {what} results, each possibly the latest: " + "; ".join(
        f"{rd.path} {shown}{_dated(rd)}" for rd, _, shown in read
    )
    settle = f"which {label} result is the latest (or a new one)"
    values = [v for _, v, _ in read]
    if not all(isinstance(v, float) for v in values):
        return unknown("ambiguous", label, message, settle, evidence)
    low, high = min(values), max(values)  # type: ignore[type-var]
    return Fact(
        Range(low, high),  # type: ignore[arg-type]
        f"{what} {fmt(low)} to {fmt(high)}: {message}",  # type: ignore[arg-type]
        evidence,
        Reason("ambiguous", label, message, settle),
        changes_on,
    )


def _could_be_latest(ix: PatientIndex, usable: list[_Reading], maybe: list[_Reading]) -> list[_Reading]:
    """Every result that may be the latest, newest first: none of them is surely older than another.

    A result is surely older only when its whole date span ends before another's begins; an imprecise date
    that reaches the newest day, or no date at all, may be the latest (``maybe`` holds results whose date
    does not place them inside the window: they count only if they could be newer than every usable one).
    """
    if len(usable) + len(maybe) == 1:  # one result is the latest (usable: its date reaches its own start)
        return [*usable, *maybe]
    newest_start = max((rd.obs.date.earliest for rd in usable if rd.obs.date), default=None)

    def last_day(rd: _Reading) -> date | None:
        return min(rd.obs.date.latest, ix.as_of) if rd.obs.date else None

    out = [
        rd for rd in (*usable, *maybe) if newest_start is None or (day := last_day(rd)) is None or day >= newest_start
    ]
    return sorted(out, key=lambda rd: -(d.toordinal() if (d := last_day(rd)) else 0))


def _dated(rd: _Reading) -> str:
    return f" dated {rd.obs.date}" if rd.obs.date else " (no date)"


def shown_value(obs: Observation) -> str:
    return quantity(obs.value, obs.unit) if isinstance(obs.value, float) else str(obs.value)


def evidence_of(rd: _Reading) -> Evidence:
    return Evidence(rd.path, shown_value(rd.obs), str(rd.obs.date) if rd.obs.date else None)


def normalised(ix: PatientIndex, code: str, rd: _Reading) -> float | str | Fact:
    """The value in the catalog's unit or value set, or an unknown fact saying why it cannot be used."""
    spec = ix.catalog.observations[code]
    obs, label = rd.obs, spec.label
    if spec.scale is not None:
        rank = {s: float(i) for i, s in enumerate(spec.scale)}.get(str(obs.value).strip())
        if rank is None:
            return unknown(
                "ambiguous",
                label,
                f"{label} '{obs.value}' is not on the scale {' < '.join(spec.scale)}",
                a(label) + f" reported as one of {join_or(spec.scale)}",
                (evidence_of(rd),),
            )
        return rank
    if spec.values is not None:
        v = str(obs.value).strip().lower()
        if v not in spec.values:
            return unknown(
                "ambiguous",
                label,
                f"{label} value '{obs.value}' is not {join_or(spec.values)}",
                a(f"{label} result") + f" reported as {join_or(spec.values)}",
                (evidence_of(rd),),
            )
        return v
    if isinstance(obs.value, bool) or not isinstance(obs.value, float):
        return unknown(
            "ambiguous",
            label,
            f"{label} value '{obs.value}' is not a number",
            f"a numeric {label} result",
            (evidence_of(rd),),
        )
    value = _convert(obs.value, obs.unit or "1", spec)
    if isinstance(value, str):
        return unknown(
            "ambiguous",
            label,
            f"{label} unit ({rd.path}): {value}",
            a(f"{label} result") + f" in {unit_text(spec.unit)}",
            (evidence_of(rd),),
        )
    if not _possible(value, spec):
        return unknown(
            "ambiguous",
            label,
            f"{label} {shown_value(obs)} ({rd.path}) is outside the possible range ({_possible_range(spec)})",
            f"a corrected {label} result",
            (evidence_of(rd),),
        )
    return round_sig(value)


def _convert(value: float, unit: str, spec: ObservationDef) -> float | str:
    """``value`` in the catalog unit of ``spec``, or why it cannot be converted (never an exception)."""
    try:
        converted = value * conversion_factor(unit, spec.unit, spec.mw)  # type: ignore[arg-type]
    except UnitError as exc:
        return str(exc)
    except Exception:  # any failure of a unit the converter mishandles is a review, never a crash
        return f"cannot convert '{unit}' to '{spec.unit}'"
    return converted if math.isfinite(converted) else f"{value:g} {unit} is not a finite number of {spec.unit}"


def _possible(value: float, spec: ObservationDef) -> bool:
    return (
        (spec.min is None or value >= spec.min)
        and (spec.max is None or value <= spec.max)
        and (not spec.integer or value == int(value))
    )


def _possible_range(spec: ObservationDef) -> str:
    whole = "whole numbers " if spec.integer else ""
    if spec.min is not None and spec.max is not None:
        return f"{whole}{spec.min:g} to {quantity(spec.max, spec.unit)}"
    if spec.min is not None:
        return f"{whole}at least {quantity(spec.min, spec.unit)}"
    return f"{whole}at most {quantity(spec.max, spec.unit)}"  # type: ignore[arg-type]


@cache
def _default_uln() -> dict[str, dict]:
    text = (resources.files("engine") / "data" / "default_uln.yaml").read_text(encoding="utf-8")
    return dict((yaml.safe_load(text) or {}).get("analytes") or {})


def _usual_uln(ix: PatientIndex, code: str) -> tuple[float, float, str] | None:
    """The usual ULN of ``code`` as (lowest, highest) in the catalog unit over the patient's possible sexes,
    and as shown, from the default ULN table; None when the table does not list it."""
    return _usual_uln_of(ix.catalog, code, ix.patient.sex)


@lru_cache(maxsize=1024)
def _usual_uln_of(catalog: Catalog, code: str, sex: str | None) -> tuple[float, float, str] | None:
    spec = catalog.observations[code]
    entry = _default_uln().get(code)
    if entry is None:
        return None
    sexes = ("female", "male") if sex is None else (sex,)
    highs = sorted({entry["high"]} if entry.get("high") is not None else {entry[s] for s in sexes})
    unit = str(entry.get("unit") or "1")
    converted = [_convert(float(h), unit, spec) for h in highs]
    shown = "-".join(f"{h:g}" for h in highs) + ("" if unit == "1" else f" {unit}")
    return converted[0], converted[-1], shown  # type: ignore[return-value]  (units checked: test_observation_checks)


_ULN_FACTOR = 4.0  # a lab ULN this far from the usual one is a unit slip or a typo, not another lab's range


def _per_uln(ix: PatientIndex, code: str, rd: _Reading, value: float) -> tuple[float, str] | Fact:
    """The result as a multiple of its reference range's ULN, with how it is shown; or why it cannot be."""
    spec, obs = ix.catalog.observations[code], rd.obs
    label = spec.label
    rr = obs.reference_range
    if rr is None or rr.high is None:
        return unknown(
            "missing",
            f"{label} ULN",
            f"{label} {shown_value(obs)} has no upper limit of normal",
            f"the reference range (ULN) of the {label} result",
            (evidence_of(rd),),
        )
    uln_unit = rr.unit or obs.unit or "1"
    uln_shown = quantity(rr.high, uln_unit)
    uln = _convert(rr.high, uln_unit, spec)
    problem = None
    if rr.high <= 0:
        problem = f"reference range ULN {uln_shown} is not positive"
    elif rr.low is not None and rr.low >= rr.high:
        problem = f"reference range low {rr.low:g} is not below its high {rr.high:g}"
    elif isinstance(uln, str):
        problem = f"reference range unit: {uln}"
    elif (usual := _usual_uln(ix, code)) is not None:
        if not usual[0] / _ULN_FACTOR <= uln <= usual[1] * _ULN_FACTOR:
            problem = f"reference range ULN {uln_shown} is implausible for {label} (usual ≈ {usual[2]})"
    elif not _possible(uln, spec):
        problem = f"reference range ULN {uln_shown} is outside the possible range of {label} ({_possible_range(spec)})"
    if problem is not None:
        return unknown(
            "ambiguous",
            f"{label} ULN",
            f"{rd.path}: {problem}",
            f"a valid reference range for the {label} result",
            (evidence_of(rd),),
        )
    ratio = round_sig(value / uln)  # type: ignore[operator]
    if rr.assumed:
        uln_shown += " (assumed from the default ULN table: the result carried no reference range)"
    return ratio, f"{shown_value(obs)} = {fmt(ratio)} × ULN of {uln_shown}"
