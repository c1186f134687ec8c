"""Observations: the latest result inside a criterion's window, in the catalog's unit (or × its ULN).

A result dated before the window is stale; one that straddles it, or lacks a date where a window applies,
is ambiguous; results of one day that disagree are ambiguous; results dated after the as-of date are not
used. Every fact names the record it came from.
"""

from __future__ import annotations

from datetime import date

from ..dates import shift
from ..errors import UnitError
from ..evaluate.nodes import round_sig
from ..patient import Observation
from ..units import conversion_factor
from .index import PatientIndex, _Reading, fmt, open_reference, unknown
from .model import (
    Evidence,
    Fact,
    Window,
)

__all__ = ["evidence_of", "normalised", "observation", "shown_value"]


def _window_bounds(ix: PatientIndex, w: Window) -> tuple[date | None, date | None, str | None]:
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


def observation(ix: PatientIndex, code: str, window: Window | None, per_uln: bool) -> Fact:
    key = (code, window, per_uln)
    fact = ix.memo.get(key)
    if fact is None:
        fact = ix.memo[key] = _read_observation(ix, code, window, per_uln)
    return fact


def _read_observation(ix: PatientIndex, code: str, window: Window | None, per_uln: bool) -> Fact:
    spec = ix.catalog.observations[code]
    label = spec.label
    readings = [rd for rd in ix.readings.get(code, []) if rd.obs.date is None or rd.obs.date.earliest <= ix.as_of]
    future = len(ix.readings.get(code, [])) - len(readings)
    if not readings:
        why = f"no {label} result" + (" (only results dated after the as-of date)" if future else "")
        kind = "ambiguous" if future else "missing"
        return unknown(kind, label, why, f"a {label} result" + (f" {window}" if window else ""))
    usable, stale, undated = [], [], []
    if window is None:
        usable = [rd for rd in readings if rd.obs.date is not None] or readings
    else:
        lo, hi, missing_ref = _window_bounds(ix, window)
        for rd in readings:
            d = rd.obs.date
            if d is None:
                undated.append(rd)
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
                open_ref = open_reference(ix, window)
                if open_ref and newest.obs.date is not None:
                    return unknown(
                        "missing",
                        label,
                        f"{label} dated {newest.obs.date} counts only if the {open_ref} date, not yet given, is close "
                        f"enough ({window})",
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
                    f"a {label} result {window}",
                    (evidence_of(newest),),
                )
            latest = max(stale, key=lambda rd: rd.obs.date.latest)  # type: ignore[union-attr]
            return unknown(
                "stale",
                label,
                f"latest {label} ({shown_value(latest.obs)} on {latest.obs.date}) is too old: "
                f"the criterion needs one {window}",
                f"a new {label} result {window}",
                (evidence_of(latest),),
            )
    latest_day = max((rd.obs.date.latest for rd in usable if rd.obs.date), default=None)
    newest = [rd for rd in usable if rd.obs.date is None or rd.obs.date.latest == latest_day]
    values = []
    for rd in newest:
        v = normalised(ix, code, rd)
        if isinstance(v, Fact):
            return v
        values.append(v)
    if len(set(values)) > 1:
        return unknown(
            "ambiguous",
            label,
            f"conflicting {label} results on {newest[0].obs.date}: " + ", ".join(shown_value(rd.obs) for rd in newest),
            f"one confirmed {label} result",
            tuple(evidence_of(rd) for rd in newest),
        )
    rd, value = newest[0], values[0]
    changes_on = None
    if window is not None and window.reference not in ix.patient.reference_dates and rd.obs.date is not None:
        changes_on = shift(rd.obs.date.latest, window.duration, sign=+1)  # goes stale as the as-of date moves
    if per_uln:
        return _per_uln(ix, code, rd, value, changes_on)
    shown = f"{label} {shown_value(rd.obs)}"
    if isinstance(value, float) and rd.obs.unit and spec.unit and rd.obs.unit != spec.unit:
        shown += f" (= {fmt(value)} {spec.unit})"
    if rd.obs.date:
        shown += f" on {rd.obs.date}"
    return Fact(value, shown, (evidence_of(rd),), changes_on=changes_on)


def shown_value(obs: Observation) -> str:
    if not isinstance(obs.value, float):
        return str(obs.value)
    unit = "" if obs.unit in (None, "1") else obs.unit
    return f"{obs.value:g} {unit}".strip()


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
                f"a {label} reported as one of {', '.join(spec.scale)}",
                (evidence_of(rd),),
            )
        return rank
    if spec.values is not None:
        v = str(obs.value).strip().lower()
        if v not in spec.values:
            return unknown(
                "ambiguous",
                label,
                f"{label} value '{obs.value}' is not one of {', '.join(spec.values)}",
                f"a {label} result reported as {' or '.join(spec.values)}",
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
    unit = obs.unit or "1"
    try:
        value = obs.value * conversion_factor(unit, spec.unit, spec.mw)  # type: ignore[arg-type]
    except UnitError as exc:
        return unknown(
            "ambiguous", label, f"{label} unit: {exc}", f"a {label} result in {spec.unit}", (evidence_of(rd),)
        )
    if (spec.min is not None and value < spec.min) or (spec.max is not None and value > spec.max):
        return unknown(
            "ambiguous",
            label,
            f"{label} {shown_value(obs)} is outside the possible range",
            f"a corrected {label} result",
            (evidence_of(rd),),
        )
    return round_sig(value)


def _per_uln(ix: PatientIndex, code: str, rd: _Reading, value: float, changes_on: date | None) -> Fact:
    spec, obs = ix.catalog.observations[code], rd.obs
    rr = obs.reference_range
    if rr is None or rr.high is None:
        return unknown(
            "missing",
            f"{spec.label} ULN",
            f"{spec.label} {shown_value(obs)} has no upper limit of normal",
            f"the reference range (ULN) of the {spec.label} result",
            (evidence_of(rd),),
        )
    try:
        uln = rr.high * conversion_factor(rr.unit or obs.unit or "1", spec.unit, spec.mw)  # type: ignore[arg-type]
    except UnitError as exc:
        return unknown(
            "ambiguous",
            f"{spec.label} ULN",
            f"{spec.label} ULN unit: {exc}",
            f"the {spec.label} reference range in a compatible unit",
            (evidence_of(rd),),
        )
    if uln <= 0:
        return unknown(
            "ambiguous",
            f"{spec.label} ULN",
            f"{spec.label} ULN {rr.high:g} is not positive",
            f"a valid {spec.label} reference range",
            (evidence_of(rd),),
        )
    ratio = round_sig(value / uln)
    uln_unit = rr.unit or obs.unit
    uln_shown = f"{rr.high:g} {'' if uln_unit in (None, '1') else uln_unit}".strip()
    if rr.assumed:
        uln_shown += ", assumed from the default ULN table: the result carried no reference range"
    shown = f"{spec.label} {shown_value(obs)} = {fmt(ratio)} × ULN (ULN {uln_shown})"
    if obs.date:
        shown += f" on {obs.date}"
    return Fact(ratio, shown, (evidence_of(rd),), changes_on=changes_on)
