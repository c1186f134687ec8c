"""Derived facts: values computed by a named calculator from other facts, with every input as evidence.

Simple calculators are data (:data:`FORMULAS`: label, unit, inputs, formula). Inputs are catalog
observation codes read through the criterion's window, plus ``age`` (at screening) and ``sex``; values
arrive in catalog units (creatinine mg/dL, weight kg, height cm, QT ms, heart rate bpm). Age, MDRD's race
range, Child-Pugh from partial parts, QTc and the PSA series have their own functions below. A missing input
makes the fact unknown naming it; an impossible one makes it ambiguous, never a number. Results taken at
different times are combined only within :data:`MAX_SPREAD_DAYS`, and QT only with the rate of its own ECG.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .. import calculators
from .. import calculators as calc
from ..dates import DateSpan, Duration, shift
from ..errors import CalculatorInputError
from ..evaluate.nodes import round_sig
from ..words import count, join_and, join_settle, quantity
from .index import PatientIndex, _Reading, fmt, sex_fact, unknown
from .model import DerivedRequest, Evidence, Fact, Range, Reason, Window
from .observations import evidence_of, normalised, observation, shown_value, window_bounds

__all__ = ["ADULT_YEARS", "FORMULAS", "MAX_SPREAD_DAYS", "Formula", "derived_fact"]

_WEEK = Duration(7, "days")


@dataclass(frozen=True)
class Formula:
    label: str
    unit: str
    inputs: tuple[str, ...]
    compute: Callable[[dict], float]


def _crcl(basis: calc.WeightBasis) -> Callable[[dict], float]:
    return lambda v: calc.cockcroft_gault(
        age_years=v["age"],
        weight_kg=v["weight"],
        creatinine_mg_dl=v["creatinine"],
        female=v["sex"] == "female",
        weight_basis=basis,
        height_cm=v.get("height"),
    )


def _qtc(formula: Callable[..., float]) -> Callable[[dict], float]:
    """QTc from QT and the rate of the same ECG: its RR interval (ms) when recorded, else 60 / heart rate."""

    def compute(v: dict) -> float:
        rr_s = v["rr_interval"] / 1000.0 if "rr_interval" in v else calc.rr_seconds_from_heart_rate(v["heart_rate"])
        return formula(qt_ms=v["qt"], rr_s=rr_s)

    return compute


FORMULAS: dict[str, Formula] = {
    "creatinine_clearance_cockcroft_gault": Formula(
        "creatinine clearance (Cockcroft-Gault)", "mL/min", ("creatinine", "weight", "age", "sex"), _crcl("actual")
    ),
    "creatinine_clearance_cockcroft_gault_ideal": Formula(
        "creatinine clearance (Cockcroft-Gault, ideal body weight)",
        "mL/min",
        ("creatinine", "weight", "height", "age", "sex"),
        _crcl("ideal"),
    ),
    "creatinine_clearance_cockcroft_gault_adjusted": Formula(
        "creatinine clearance (Cockcroft-Gault, adjusted body weight)",
        "mL/min",
        ("creatinine", "weight", "height", "age", "sex"),
        _crcl("adjusted"),
    ),
    "egfr_ckd_epi_2021": Formula(
        "eGFR (CKD-EPI 2021)",
        "mL/min/1.73 m²",
        ("creatinine", "age", "sex"),
        lambda v: calc.egfr_ckd_epi_2021(
            creatinine_mg_dl=v["creatinine"], age_years=v["age"], female=v["sex"] == "female"
        ),
    ),
    "qtc_bazett": Formula("QTcB (Bazett)", "ms", ("qt", "heart_rate"), _qtc(calc.qtc_bazett)),
    "qtc_fridericia": Formula("QTcF (Fridericia)", "ms", ("qt", "heart_rate"), _qtc(calc.qtc_fridericia)),
    "bsa_mosteller": Formula(
        "body surface area (Mosteller)",
        "m²",
        ("height", "weight"),
        lambda v: calc.bsa_mosteller(height_cm=v["height"], weight_kg=v["weight"]),
    ),
}

# Largest gap (days) between the dates of the results a calculator combines; farther apart, they describe
# the patient at different times and the result is refused (ambiguous). Creatinine and weight drift over
# weeks (a month keeps CrCl to one clinical state); liver function can change within days, so the Child-Pugh
# parts must come from one two-week work-up. eGFR reads one result (creatinine), so it has no entry; QTc pairs
# QT only with the rate of its own ECG (the same event), never by date.
MAX_SPREAD_DAYS: dict[str, int] = {
    "creatinine_clearance_cockcroft_gault": 30,
    "creatinine_clearance_cockcroft_gault_ideal": 30,
    "creatinine_clearance_cockcroft_gault_adjusted": 30,
    "bsa_mosteller": 30,
    "child_pugh_class": 14,
    "child_pugh_class_albumin_3_0": 14,
}
# An adult's height hardly changes: a height measured at this age or later may be of any date (the criterion's
# window still applies); a child's height must lie within the spread like any other input.
ADULT_YEARS = 18

_QTC = frozenset({"qtc_bazett", "qtc_fridericia"})
_ONE_ECG = "QT and heart rate from one ECG (the same event on both results)"


def derived_fact(ix: PatientIndex, r: DerivedRequest) -> Fact:
    """The value of a derived fact for this patient, or unknown with the reason."""
    if r.name == "age":
        return _age(ix)
    if r.name in _QTC:
        return _qtc_fact(ix, r, FORMULAS[r.name])
    if r.name in FORMULAS:
        f = FORMULAS[r.name]
        inputs = {name: _input(ix, name, r.window) for name in f.inputs}
        return _calculate(ix, f.label, f.unit, inputs, f.compute, MAX_SPREAD_DAYS.get(r.name))
    if r.name in ("egfr_mdrd", "egfr_mdrd_186"):
        return _egfr_mdrd(ix, r)
    if r.name in ("child_pugh_class", "child_pugh_class_albumin_3_0"):
        return _child_pugh(ix, r)
    if r.name == "psa_progression":
        return _psa_progression(ix, r.window)
    raise ValueError(f"no calculator for derived fact '{r.name}'")


def _input(ix: PatientIndex, name: str, window: Window | None) -> Fact:
    """One calculator input: age at screening, sex, or an observation read through the criterion's window."""
    if name == "age":
        return _age(ix)
    if name == "sex":
        return sex_fact(ix)
    return observation(ix, name, window, False)


_BLACK = frozenset({"black", "black or african american", "african american"})


def _egfr_mdrd(ix: PatientIndex, r: DerivedRequest) -> Fact:
    """eGFR by MDRD, IDMS-traceable (175) or original (186), with the race term as the formula has it."""
    inputs = {name: _input(ix, name, r.window) for name in ("creatinine", "age", "sex")}
    idms = r.name == "egfr_mdrd"
    race = ix.patient.race
    black = None if race is None else race.strip().lower() in _BLACK

    def mdrd(v: dict, is_black: bool) -> float:
        return calculators.egfr_mdrd(
            creatinine_mg_dl=v["creatinine"], age_years=v["age"], female=v["sex"] == "female", black=is_black, idms=idms
        )

    if black is not None:
        return _calculate(ix, "eGFR (MDRD)", "mL/min/1.73 m²", inputs, lambda v: mdrd(v, black))
    # Race not given: both branches of the formula; a criterion is decided only where they agree.
    low = _calculate(ix, "eGFR (MDRD, non-Black coefficient)", "mL/min/1.73 m²", inputs, lambda v: mdrd(v, False))
    high = _calculate(ix, "eGFR (MDRD, Black coefficient)", "mL/min/1.73 m²", inputs, lambda v: mdrd(v, True))
    if low.value is None or high.value is None:
        return low
    shown = (
        f"eGFR (MDRD) {fmt(low.value)} to {fmt(high.value)} mL/min/1.73 m² (race not recorded: without and "  # type: ignore[arg-type]
        f"with the race coefficient) from " + ", ".join(f.shown for f in inputs.values())
    )
    why = Reason(
        "missing",
        "race",
        f"eGFR (MDRD) is {fmt(low.value)} without and {fmt(high.value)} with the race "  # type: ignore[arg-type]
        "coefficient, and race is not recorded",
        "the patient's race (the MDRD formula has a race term)",
    )
    return Fact(Range(low.value, high.value), shown, low.evidence, why, low.changes_on)  # type: ignore[arg-type]


def _child_pugh(ix: PatientIndex, r: DerivedRequest) -> Fact:
    """Child-Pugh class from its five parts; missing parts are fine when they cannot change the class."""
    parts = {
        "total_bilirubin": observation(ix, "total_bilirubin", r.window, False),
        "albumin": observation(ix, "albumin", r.window, False),
        "inr": observation(ix, "inr", r.window, False),
        "ascites": observation(ix, "ascites", r.window, False),
        "hepatic_encephalopathy": observation(ix, "hepatic_encephalopathy", r.window, False),
    }
    # A part known only as a Range (results that disagree) cannot be scored, whatever its reason's kind.
    unusable = [
        f for f in parts.values() if f.reason is not None and (f.reason.kind != "missing" or f.value is not None)
    ]
    evidence = tuple(e for f in parts.values() for e in f.evidence)
    if unusable:
        return unknown(
            unusable[0].reason.kind,
            "Child-Pugh class",  # type: ignore[union-attr]
            "Child-Pugh class cannot be computed: " + "; ".join(f.reason.message for f in unusable),  # type: ignore[union-attr]
            join_settle(f.reason.settle for f in unusable if f.reason),
            evidence,
            results=_results_of(unusable),
        )  # type: ignore[union-attr]
    spread = _spread(ix, "Child-Pugh class", parts, MAX_SPREAD_DAYS[r.name])
    if isinstance(spread, Fact):
        return spread
    v = {k: f.value for k, f in parts.items()}
    result = calculators.child_pugh(
        bilirubin_mg_dl=v["total_bilirubin"],
        albumin_g_dl=v["albumin"],
        inr=v["inr"],
        ascites=v["ascites"],
        encephalopathy=v["hepatic_encephalopathy"],
        albumin_cut=3.0 if r.name == "child_pugh_class_albumin_3_0" else 3.5,
    )
    known = join_and(f.shown for f in parts.values() if f.value is not None)
    if result.klass is None:
        missing = [parts[k] for k in parts if parts[k].value is None]
        return unknown(
            "missing",
            "Child-Pugh class",
            f"Child-Pugh score {result.points_min}-{result.points_max} points could be more than one class; "
            f"missing: " + join_and(f.reason.fact for f in missing if f.reason),  # type: ignore[union-attr]
            join_settle(f.reason.settle for f in missing if f.reason),
            evidence,
            results=_results_of(missing),
        )  # type: ignore[union-attr]
    points = (
        f"{result.points_min}" if result.points_min == result.points_max else f"{result.points_min}-{result.points_max}"
    )
    return Fact(
        result.klass,
        f"class {result.klass}: {points} points (albumin cut {result.albumin_cut} g/dL)"
        f" from {known or 'no measured parts'}{spread}",
        evidence,
    )


def _psa_progression(ix: PatientIndex, window: Window | None) -> Fact:
    """Current PSA progression (PCWG): two consecutive rises, each ≥1 week after the value before it, from a
    reference ≥2.0 ng/mL, the second rise being the latest PSA (inside ``window`` when the criterion has one).

    Consecutive: every result between the reference and the first rise lies within [reference, first rise],
    every one between the first rise and the latest within [first rise, latest], so a fall and an uptick are
    not a rise. A result less than a week after the first result of its time point is a repeat draw and breaks
    nothing; a run of close results is a new time point a week on. A latest PSA below the one before it means
    PSA is falling now, unless it is less than a week after it (a repeat draw: which stands is unknown).
    """
    label = "PSA progression"
    series: dict[date, set[float]] = defaultdict(set)
    readings: dict[date, _Reading] = {}
    unplaced: list[_Reading] = []  # undated or imprecisely dated: cannot be ordered in the series
    for rd in ix.readings.get("psa", []):
        when = rd.obs.date
        if when is not None and when.earliest is not None and when.earliest > ix.as_of:
            continue
        v = normalised(ix, "psa", rd)
        if isinstance(v, Fact):
            return v
        if when is None or not when.is_exact:
            unplaced.append(rd)
            continue
        series[when.latest].add(float(v))
        readings[when.latest] = rd
    conflicts = [d for d, vs in series.items() if len(vs) > 1]
    if conflicts:
        return unknown(
            "ambiguous",
            label,
            f"conflicting PSA results on {conflicts[0]}",
            "one confirmed PSA per date",
            tuple(evidence_of(readings[d]) for d in conflicts),
        )
    points = sorted((d, next(iter(vs))) for d, vs in series.items())
    evidence = tuple(evidence_of(readings[d]) for d, _ in points)
    changes_on = None
    if window is not None and points:
        recent = _psa_recent(ix, window, readings[points[-1][0]])
        if isinstance(recent, Fact):
            return recent
        changes_on = recent
    if len(points) >= 2 and points[-1][1] < points[-2][1]:
        (d1, b), (d2, c) = points[-2:]
        pair = (evidence_of(readings[d1]), evidence_of(readings[d2]))
        days = (d2 - d1).days
        if days < 7:
            return unknown(
                "ambiguous",
                label,
                f"latest PSA {shown_value(readings[d2].obs)} on {d2} is {count(days, 'day')} after "
                f"{shown_value(readings[d1].obs)}: a repeat draw; confirm which stands",
                "which of the two PSA results stands, or a PSA at least 1 week later",
                pair,
            )
        falling = f"PSA is falling now: the latest, {c:g} ng/mL on {d2}, is below {b:g} ng/mL on {d1}"
        return Fact(False, falling, pair, changes_on=changes_on)
    if len(points) < 3:
        return unknown(
            "missing",
            label,
            (count(len(points), "dated PSA result") if points else "no dated PSA result")
            + "; two rises need at least three",
            "dated PSA results at least 1 week apart",
            evidence,
        )
    rises = _psa_rises(points)
    if rises is None:
        return Fact(
            False,
            "no two consecutive PSA rises ≥1 week apart from a reference ≥2.0 ng/mL up to the latest PSA (every "
            "result in between within its rise, repeat draws aside) in " + ", ".join(f"{v:g} ({d})" for d, v in points),
            evidence,
            changes_on=changes_on,
        )
    (d0, a), (d1, b), (d2, c) = rises
    late = next((rd for rd in unplaced if rd.obs.date is None or (rd.obs.date.latest or date.max) >= d0), None)
    if late is not None:
        dated = f"dated {late.obs.date}" if late.obs.date else "with no date"
        return unknown(
            "ambiguous",
            label,
            f"PSA {shown_value(late.obs)} {dated} cannot be placed in the series: it may lie after the reference "
            f"({a:g} ng/mL on {d0})",
            "the exact date of every PSA result",
            (*evidence, evidence_of(late)),
        )
    return Fact(
        True,
        f"PSA rose {a:g} → {b:g} → {c:g} ng/mL ({d0}, the reference; {d1}; {d2}, the latest): each rise at least "
        "1 week after the value before it, and every result in between within its rise (repeat draws aside)",
        tuple(evidence_of(readings[d]) for d in (d0, d1, d2)),
        changes_on=changes_on,
    )


def _psa_recent(ix: PatientIndex, window: Window, latest: _Reading) -> Fact | date | None:
    """Why the latest (exactly dated) PSA does not count inside ``window``, or the day it goes stale when
    the window's reference date is not in the patient file (None when it is)."""
    label, day = "PSA progression", latest.obs.date.latest  # type: ignore[union-attr]
    lo, hi, missing_ref = window_bounds(ix, window)
    if missing_ref:
        return unknown("missing", label, f"{label} window needs the {missing_ref}", f"the {missing_ref}")
    if lo is not None and day < lo:
        return unknown(
            "stale",
            label,
            f"latest PSA ({shown_value(latest.obs)} on {day}) is too old: the criterion needs one {window}",
            f"a new PSA result {window}",
            (evidence_of(latest),),
        )
    if hi is None or day < hi:  # only an open-ended reference date (not in the patient file) leaves it unplaced
        ref = window.reference.replace("_", " ")
        return unknown(
            "missing",
            label,
            f"latest PSA dated {day} counts only if it is {window}; the {ref} date is not yet given",
            f"the {ref} date",
            (evidence_of(latest),),
        )
    return None if window.reference in ix.patient.reference_dates else shift(day, window.duration, sign=+1)


def _psa_rises(points: list[tuple[date, float]]) -> tuple[tuple[date, float], ...] | None:
    """(reference, first rise, latest) of a current progression, or None; O(n log n) in the series.

    For a first rise j (v_j < latest c, ≥1 week before it), every non-repeat after j must lie in [v_j, c]:
    suffix minima and maxima tell. A reference i then needs v_i < v_j, a date ≥1 week before j, 2.0 ≤ v_i ≤
    every non-repeat after it (after j this holds already, as they are ≥ v_j), and no non-repeat between it
    and j above v_j: it lies after the nearest such result before j, and the lowest reference there is tried.
    """
    n = len(points)
    days = [d for d, _ in points]
    values = [v for _, v in points]
    d2, c = points[-1]
    repeat, start = [False] * n, days[0]
    for k in range(1, n):
        repeat[k] = (days[k] - start).days < 7
        start = start if repeat[k] else days[k]
    above_low = [math.inf] * n  # the lowest non-repeat after k, before the latest
    above_high = [-math.inf] * n  # the highest one
    for k in range(n - 3, -1, -1):
        nxt = k + 1
        low, high = (values[nxt], values[nxt]) if not repeat[nxt] else (math.inf, -math.inf)
        above_low[k], above_high[k] = min(low, above_low[nxt]), max(high, above_high[nxt])
    reference = [2.0 <= values[k] <= above_low[k] for k in range(n)]
    higher: list[int] = []  # non-repeats so far, values falling: the nearest one above a value is found by bisection
    higher_keys: list[float] = []  # their negated values, rising
    refs: list[int] = []  # references ≥1 week before j, values not falling: the first after an index is lowest
    next_ref = 0
    for j in range(n - 1):
        b = values[j]
        week_before = shift(days[j], _WEEK)  # stops at year 1 rather than overflowing
        while next_ref < j and days[next_ref] <= week_before:
            if reference[next_ref]:
                while refs and values[refs[-1]] > values[next_ref]:
                    refs.pop()
                refs.append(next_ref)
            next_ref += 1
        tail_fits = b < c and (d2 - days[j]).days >= 7 and b <= above_low[j] and above_high[j] <= c
        if tail_fits and refs:
            above = bisect_left(higher_keys, -b)  # non-repeats before j with values above b
            after = higher[above - 1] if above else -1
            k = bisect_right(refs, after)
            if k < len(refs) and values[refs[k]] < b:
                return points[refs[k]], points[j], points[-1]
        if not repeat[j]:
            while higher and values[higher[-1]] <= b:
                higher.pop()
                higher_keys.pop()
            higher.append(j)
            higher_keys.append(-b)
    return None


def _results_of(facts: list[Fact]) -> tuple[str, ...]:
    """The results that would settle a calculated value: those that would settle its inputs, each once."""
    return tuple(dict.fromkeys(code for f in facts if f.reason for code in f.reason.results))


def _calculate(
    ix: PatientIndex, label: str, unit: str, inputs: dict[str, Fact], formula, spread_days: int | None = None
) -> Fact:
    evidence = tuple(e for f in inputs.values() for e in f.evidence)
    lacking = [f for f in inputs.values() if f.reason is not None]  # unknown, or only a Range: not one number
    if lacking:
        kinds = {f.reason.kind for f in lacking if f.reason}
        kind = "missing" if kinds == {"missing"} else next(k for k in ("ambiguous", "stale", "missing") if k in kinds)
        return unknown(
            kind,
            label,
            f"{label} cannot be computed: " + "; ".join(f.reason.message for f in lacking if f.reason),
            join_settle(f.reason.settle for f in lacking if f.reason),
            evidence,
            results=_results_of(lacking),
        )
    spread = _spread(ix, label, inputs, spread_days)
    if isinstance(spread, Fact):
        return spread
    try:
        value = round_sig(formula({k: f.value for k, f in inputs.items()}))
    except CalculatorInputError as exc:
        return unknown("ambiguous", label, str(exc), f"corrected inputs to {label}", evidence)
    changes = [f.changes_on for f in inputs.values() if f.changes_on]
    return Fact(
        value,
        f"{label} {quantity(fmt(value), unit)} from " + join_and(f.shown for f in inputs.values()) + spread,
        evidence,
        changes_on=min(changes) if changes else None,
    )


def _reading_of(ix: PatientIndex, code: str, f: Fact) -> _Reading | None:
    """The record an observation fact was read from (its evidence names it)."""
    return next((rd for rd in ix.readings.get(code, []) if f.evidence and evidence_of(rd) == f.evidence[0]), None)


def _adult_on(ix: PatientIndex, day: date) -> bool:
    born = ix.patient.birth_date
    if born is None or born.latest is None:
        return False
    try:
        return calculators.age_in_years(born.latest, day) >= ADULT_YEARS
    except CalculatorInputError:
        return False


def _spread(ix: PatientIndex, label: str, inputs: dict[str, Fact], days: int | None) -> Fact | str:
    """The dated inputs' spread as a note for the shown text, or an ambiguous fact when it exceeds ``days``."""
    if days is None:
        return ""
    dated: list[tuple[str, DateSpan]] = []
    for code, f in inputs.items():
        if code not in ix.catalog.observations or f.value is None:
            continue  # age and sex are not results; a missing Child-Pugh part has no date
        name = ix.catalog.observations[code].label
        rd = _reading_of(ix, code, f)
        span = rd.obs.date if rd is not None else None
        if span is None or span.earliest in (None, date.min) or span.latest in (None, date.max):  # open-ended
            return unknown(
                "ambiguous",
                label,
                f"{name} has no {'date' if span is None else f'bounded date ({span})'}: {label} combines results "
                f"at most {days} days apart",
                f"the date of the {name} result",
                f.evidence,
            )
        if code == "height" and _adult_on(ix, span.earliest):
            continue
        dated.append((name, span))
    if len(dated) < 2:
        return ""
    first = min(dated, key=lambda d: d[1].earliest)
    last = max((d for d in dated if d is not first), key=lambda d: d[1].latest)
    gap = (last[1].latest - first[1].earliest).days
    apart = f"{count(gap, 'day')} apart"
    if not all(s.is_exact for _, s in dated):
        apart = "up to " + apart
    if gap > days:
        return unknown(
            "ambiguous",
            label,
            f"{label} combines results at most {days} days apart, but {first[0]} is dated {first[1]} and "
            f"{last[0]} {last[1]} ({apart})",
            f"{join_and(n for n, _ in dated)} measured within {days} days of each other",
            tuple(e for f in inputs.values() for e in f.evidence),
        )
    if gap == 0:
        return " (results of the same day)"
    return f" (results {apart}; at most {days} days apart allowed)"


def _qtc_fact(ix: PatientIndex, r: DerivedRequest, f: Formula) -> Fact:
    """QTc from the newest QT in the window and the rate (RR interval or heart rate) of the same ECG.

    Every QT of the newest day is read with its own ECG's rate; ECGs of that day that disagree are ambiguous.
    An older, fully recorded ECG never stands in for a newer QT (a newer prolonged QT must not be hidden).
    """
    qt = observation(ix, "qt", r.window, False)
    chosen = _reading_of(ix, "qt", qt)
    if qt.reason is not None:
        return _calculate(ix, f.label, f.unit, {"qt": qt}, f.compute)
    if chosen is None:  # the fact's evidence names its record; without it there is nothing to pair
        return unknown("ambiguous", f.label, f"{qt.shown}: its record cannot be found to pair", _ONE_ECG, qt.evidence)
    ecgs: list[tuple[float, str, str, tuple[Evidence, ...]]] = []  # (QTc, ECG, its QT and rate, evidence)
    for rd in _as_new_as(ix, "qt", chosen):
        paired = _paired_rate(ix, rd, f.label)
        if isinstance(paired, Fact):
            return paired
        code, rates = paired
        qt_value = normalised(ix, "qt", rd)
        if isinstance(qt_value, Fact):
            return qt_value
        evidence = (evidence_of(rd), *(evidence_of(m) for m in rates))
        try:
            value = round_sig(f.compute({"qt": qt_value, code: normalised(ix, code, rates[0])}))
        except CalculatorInputError as exc:
            return unknown("ambiguous", f.label, str(exc), f"corrected inputs to {f.label}", evidence)
        rate = f"{ix.catalog.observations[code].label} {shown_value(rates[0].obs)}"
        what = f"{ix.catalog.observations['qt'].label} {shown_value(rd.obs)}, {rate}"
        ecgs.append((value, f"ECG {rd.obs.event}{_on(rd)}", what, evidence))
    evidence = tuple(e for *_, ev in ecgs for e in ev)
    if len({v for v, *_ in ecgs}) > 1:
        return unknown(
            "ambiguous",
            f.label,
            f"ECGs that may each be the newest give different {f.label}: "
            + "; ".join(f"{fmt(v)} {f.unit} ({ecg}: {what})" for v, ecg, what, _ in ecgs),
            "one confirmed newest ECG",
            evidence,
        )
    value, ecg, what, _ = ecgs[0]
    return Fact(value, f"{f.label} {fmt(value)} {f.unit} from {ecg}: {what}", evidence, changes_on=qt.changes_on)


def _on(rd: _Reading) -> str:
    day = rd.obs.date
    return "" if day is None else f" on {day}" if day.is_exact else f" dated {day}"


def _as_new_as(ix: PatientIndex, code: str, chosen: _Reading) -> list[_Reading]:
    """The results of ``code`` that may be as new as the chosen latest one (itself included), none future."""
    day = chosen.obs.date
    if day is None:
        return [rd for rd in ix.readings[code] if rd.obs.date is None]
    return [
        rd
        for rd in ix.readings[code]
        if rd.obs.date is not None and rd.obs.date.earliest <= ix.as_of and rd.obs.date.latest >= day.earliest
    ]


def _paired_rate(ix: PatientIndex, qt: _Reading, qtc: str) -> tuple[str, list[_Reading]] | Fact:
    """The RR interval (preferred: the formula's own input) or heart rate recorded in the QT's own ECG."""
    event, label, on = qt.obs.event, ix.catalog.observations["qt"].label, _on(qt)
    for code in ("rr_interval", "heart_rate"):
        members = [m for m in ix.readings.get(code, []) if event is not None and m.obs.event == event]
        if not members:
            continue
        values = [normalised(ix, code, m) for m in members]
        bad = next((v for v in values if isinstance(v, Fact)), None)
        if bad is not None:
            return bad
        rate = ix.catalog.observations[code].label
        evidence = (evidence_of(qt), *(evidence_of(m) for m in members))
        if len(set(values)) > 1:
            return unknown(
                "ambiguous",
                qtc,
                f"conflicting {rate} results in ECG {event}: " + ", ".join(shown_value(m.obs) for m in members),
                f"one confirmed {rate} for ECG {event}",
                evidence,
            )
        elsewhere = next((m for m in members if m.obs.date != qt.obs.date), None)
        if elsewhere is not None:
            dated = f"dated {elsewhere.obs.date}" if elsewhere.obs.date else "undated"
            return unknown(
                "ambiguous",
                qtc,
                f"{rate} {shown_value(elsewhere.obs)} is recorded in ECG {event} but {dated}, unlike its "
                f"{label}{on or ' (undated)'}",
                f"the dates of ECG {event}",
                evidence,
            )
        return code, members
    return _no_rate(ix, qt, qtc, f"{label} {shown_value(qt.obs)}{on}")


def _no_rate(ix: PatientIndex, qt: _Reading, qtc: str, what: str) -> Fact:
    others = [
        (code, m)
        for code in ("rr_interval", "heart_rate")
        for m in ix.readings.get(code, [])
        if m.obs.date is None or m.obs.date.earliest <= ix.as_of
    ]
    if not others:
        detail = "no heart rate or RR interval recorded"
        return unknown("missing", qtc, f"{what} has no heart rate from the same ECG ({detail})", _ONE_ECG)
    code, m = max(others, key=lambda cm: cm[1].obs.date.latest or date.min if cm[1].obs.date else date.min)
    rate = f"{ix.catalog.observations[code].label} {shown_value(m.obs)}"
    if m.obs.date is None:
        detail = f"{rate} has no date"
    elif m.obs.date == qt.obs.date:
        detail = f"{rate}{_on(m)} is not from that ECG"
    else:
        detail = f"{rate} is {'from' if m.obs.date.is_exact else 'dated'} {m.obs.date}"
    return unknown(
        "ambiguous",
        qtc,
        f"{what} has no heart rate from the same ECG ({detail})",
        _ONE_ECG,
        (evidence_of(qt), evidence_of(m)),
    )


def _age(ix: PatientIndex) -> Fact:
    fact = ix.memo.get(("age",))
    if fact is None:
        fact = ix.memo["age",] = _read_age(ix)
    return fact


def _read_age(ix: PatientIndex) -> Fact:
    born = ix.patient.birth_date
    if born is None:
        return unknown("missing", "age", "birth date is not recorded", "the patient's birth date")
    ref = ix.reference("screening")
    assert ref is not None and ref.earliest is not None  # screening always resolves (defaults to as-of)
    on = ref.earliest
    try:
        youngest = calculators.age_in_years(born.latest, on)  # type: ignore[arg-type]
        oldest = calculators.age_in_years(born.earliest, on)  # type: ignore[arg-type]
    except CalculatorInputError:
        return unknown(
            "ambiguous",
            "age",
            f"birth date {born} is after screening on {on}",
            "a corrected birth date",
            (Evidence("birth_date", str(born)),),
        )
    if youngest != oldest:
        return unknown(
            "ambiguous",
            "age",
            f"birth date {born} gives age {youngest} or {oldest} at screening on {on}",
            "the exact birth date",
            (Evidence("birth_date", str(born)),),
        )
    return Fact(float(oldest), f"age {oldest} years at screening on {on}", (Evidence("birth_date", str(born)),))
