"""Patient -> the facts one trial needs, each with its evidence, or a reason it is unknown.

This is where dates become windows, units become the catalog's units, and history becomes yes/no/unknown.
Rules never see a raw record. Reference dates: a given date is exact; screening defaults to the as-of
date; an unknown enrollment or first dose lies on or after screening and the as-of date (open-ended), so a
washout that has already ended counts as ended, and one still running is unknown until the date is set.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .. import calculators
from ..catalog import Catalog
from ..dates import DateSpan, Duration, shift
from ..errors import CalculatorInputError, UnitError
from ..evaluate.nodes import round_sig
from ..patient import Condition, Observation, Patient, Therapy
from ..units import conversion_factor
from .derived import FORMULAS
from .model import (
    DerivedRequest,
    Evidence,
    Fact,
    FactRequest,
    HistoryRequest,
    JudgementRequest,
    ObservationRequest,
    Range,
    Reason,
    SexRequest,
    Window,
)

__all__ = ["PatientIndex", "extract_facts"]

_FAR_PAST = date(1, 1, 1)


def _unknown(kind: str, fact: str, message: str, settle: str, evidence: tuple[Evidence, ...] = ()) -> Fact:
    return Fact(None, message, evidence, Reason(kind, fact, message, settle))  # type: ignore[arg-type]


def _fmt(x: float) -> str:
    return f"{round_sig(x, 4):g}"


@dataclass(frozen=True)
class _Reading:
    """An observation resolved to a catalog code, with its record path for provenance."""

    obs: Observation
    path: str


class PatientIndex:
    """A patient's records grouped by catalog key, built once per patient and shared by every trial."""

    def __init__(self, patient: Patient, catalog: Catalog, as_of: date) -> None:
        self.patient = patient
        self.catalog = catalog
        self.as_of = as_of
        self.readings: dict[str, list[_Reading]] = defaultdict(list)
        for section in ("labs", "measurements"):
            for i, obs in enumerate(getattr(patient, section)):
                code = catalog.resolve("observations", obs.code)
                if code is not None:
                    self.readings[code].append(_Reading(obs, obs.id or f"{section}[{i}]"))
        self.conditions: dict[str, list[tuple[Condition, str]]] = defaultdict(list)
        for i, c in enumerate(patient.conditions):
            key = catalog.resolve("conditions", c.code)
            if key is not None:
                self.conditions[key].append((c, c.id or f"conditions[{i}]"))
        self.therapies = [(t, t.id or f"therapies[{i}]", self._classes(t)) for i, t in enumerate(patient.therapies)]
        self.memo: dict[tuple, Fact] = {}
        self.bounds: dict[
            Window, tuple[date | None, date | None, str | None]
        ] = {}  # facts shared by several requests (creatinine for ×ULN and CrCl)

    def _classes(self, t: Therapy) -> frozenset[str] | None:
        named = self.catalog.classes_of_drug(t.name)
        explicit = [self.catalog.resolve("therapy_classes", c) for c in t.classes]
        if named is None and not t.classes:
            return None  # an unmapped therapy could be anything
        return frozenset([*(named or ()), *(c for c in explicit if c)])

    def reference(self, name: str) -> DateSpan | None:
        """The span a reference date lies in, or None when it cannot be bounded (consent not given)."""
        given = self.patient.reference_dates
        if name in given:
            return DateSpan.exact(given[name])  # type: ignore[index]
        screening = given.get("screening", self.as_of)
        if name == "screening":
            return DateSpan.exact(screening)
        if name in ("enrollment", "first_dose"):
            return DateSpan(max(screening, self.as_of), None)
        return None


def extract_facts(index: PatientIndex, requests: Iterable[FactRequest], trial: str) -> dict[FactRequest, Fact]:
    """Answer every request for one patient; never raises for data problems (they become reasons)."""
    return {r: _answer(index, r, trial) for r in requests}


def _answer(ix: PatientIndex, r: FactRequest, trial: str) -> Fact:
    if isinstance(r, ObservationRequest):
        return _observation(ix, r.code, r.window, r.per_uln)
    if isinstance(r, DerivedRequest):
        return _derived(ix, r)
    if isinstance(r, SexRequest):
        sex = ix.patient.sex
        if sex is None:
            return _unknown("missing", "sex", "sex is not recorded", "the patient's sex")
        return Fact(sex, f"sex {sex}", (Evidence("sex", sex),))
    if isinstance(r, HistoryRequest):
        return _conditions(ix, r) if r.domain == "conditions" else _therapies(ix, r)
    if isinstance(r, JudgementRequest):
        return _judgement(ix, r, trial)
    raise TypeError(f"unknown request {r!r}")


# --- observations -------------------------------------------------------------------------------------


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


def _observation(ix: PatientIndex, code: str, window: Window | None, per_uln: bool) -> Fact:
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
        return _unknown(kind, label, why, f"a {label} result" + (f" {window}" if window else ""))
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
                    return _unknown("missing", label, f"{label} window needs the {missing_ref}", f"the {missing_ref}")
                open_ref = _open_reference(ix, window)
                if open_ref and newest.obs.date is not None:
                    return _unknown(
                        "missing",
                        label,
                        f"{label} dated {newest.obs.date} counts only if the {open_ref} date, not yet given, is close "
                        f"enough ({window})",
                        f"the {open_ref} date",
                        (_evidence(newest),),
                    )
                if newest.obs.date is None:
                    return _unknown(
                        "ambiguous",
                        label,
                        f"{label} result has no date; the criterion needs it {window}",
                        f"the date of the {label} result",
                        (_evidence(newest),),
                    )
                return _unknown(
                    "ambiguous",
                    label,
                    f"{label} dated {newest.obs.date} may or may not be {window}",
                    f"a {label} result {window}",
                    (_evidence(newest),),
                )
            latest = max(stale, key=lambda rd: rd.obs.date.latest)  # type: ignore[union-attr]
            return _unknown(
                "stale",
                label,
                f"latest {label} ({_shown_value(latest.obs)} on {latest.obs.date}) is older than {window}",
                f"a new {label} result {window}",
                (_evidence(latest),),
            )
    latest_day = max((rd.obs.date.latest for rd in usable if rd.obs.date), default=None)
    newest = [rd for rd in usable if rd.obs.date is None or rd.obs.date.latest == latest_day]
    values = []
    for rd in newest:
        v = _normalised(ix, code, rd)
        if isinstance(v, Fact):
            return v
        values.append(v)
    if len(set(values)) > 1:
        return _unknown(
            "ambiguous",
            label,
            f"conflicting {label} results on {newest[0].obs.date}: " + ", ".join(_shown_value(rd.obs) for rd in newest),
            f"one confirmed {label} result",
            tuple(_evidence(rd) for rd in newest),
        )
    rd, value = newest[0], values[0]
    changes_on = None
    if window is not None and window.reference not in ix.patient.reference_dates and rd.obs.date is not None:
        changes_on = shift(rd.obs.date.latest, window.duration, sign=+1)  # goes stale as the as-of date moves
    if per_uln:
        return _per_uln(ix, code, rd, value, changes_on)
    shown = f"{label} {_shown_value(rd.obs)}"
    if isinstance(value, float) and rd.obs.unit and spec.unit and rd.obs.unit != spec.unit:
        shown += f" (= {_fmt(value)} {spec.unit})"
    if rd.obs.date:
        shown += f" on {rd.obs.date}"
    return Fact(value, shown, (_evidence(rd),), changes_on=changes_on)


def _shown_value(obs: Observation) -> str:
    if not isinstance(obs.value, float):
        return str(obs.value)
    unit = "" if obs.unit in (None, "1") else obs.unit
    return f"{obs.value:g} {unit}".strip()


def _evidence(rd: _Reading) -> Evidence:
    return Evidence(rd.path, _shown_value(rd.obs), str(rd.obs.date) if rd.obs.date else None)


def _normalised(ix: PatientIndex, code: str, rd: _Reading) -> float | str | Fact:
    """The value in the catalog's unit or value set, or an unknown fact saying why it cannot be used."""
    spec = ix.catalog.observations[code]
    obs, label = rd.obs, spec.label
    if spec.scale is not None:
        rank = {s: float(i) for i, s in enumerate(spec.scale)}.get(str(obs.value).strip())
        if rank is None:
            return _unknown(
                "ambiguous",
                label,
                f"{label} '{obs.value}' is not on the scale {' < '.join(spec.scale)}",
                f"a {label} reported as one of {', '.join(spec.scale)}",
                (_evidence(rd),),
            )
        return rank
    if spec.values is not None:
        v = str(obs.value).strip().lower()
        if v not in spec.values:
            return _unknown(
                "ambiguous",
                label,
                f"{label} value '{obs.value}' is not one of {', '.join(spec.values)}",
                f"a {label} result reported as {' or '.join(spec.values)}",
                (_evidence(rd),),
            )
        return v
    if isinstance(obs.value, bool) or not isinstance(obs.value, float):
        return _unknown(
            "ambiguous",
            label,
            f"{label} value '{obs.value}' is not a number",
            f"a numeric {label} result",
            (_evidence(rd),),
        )
    unit = obs.unit or "1"
    try:
        value = obs.value * conversion_factor(unit, spec.unit, spec.mw)  # type: ignore[arg-type]
    except UnitError as exc:
        return _unknown(
            "ambiguous", label, f"{label} unit: {exc}", f"a {label} result in {spec.unit}", (_evidence(rd),)
        )
    if (spec.min is not None and value < spec.min) or (spec.max is not None and value > spec.max):
        return _unknown(
            "ambiguous",
            label,
            f"{label} {_shown_value(obs)} is outside the possible range",
            f"a corrected {label} result",
            (_evidence(rd),),
        )
    return round_sig(value)


def _per_uln(ix: PatientIndex, code: str, rd: _Reading, value: float, changes_on: date | None) -> Fact:
    spec, obs = ix.catalog.observations[code], rd.obs
    rr = obs.reference_range
    if rr is None or rr.high is None:
        return _unknown(
            "missing",
            f"{spec.label} ULN",
            f"{spec.label} {_shown_value(obs)} has no upper limit of normal",
            f"the reference range (ULN) of the {spec.label} result",
            (_evidence(rd),),
        )
    try:
        uln = rr.high * conversion_factor(rr.unit or obs.unit or "1", spec.unit, spec.mw)  # type: ignore[arg-type]
    except UnitError as exc:
        return _unknown(
            "ambiguous",
            f"{spec.label} ULN",
            f"{spec.label} ULN unit: {exc}",
            f"the {spec.label} reference range in a compatible unit",
            (_evidence(rd),),
        )
    if uln <= 0:
        return _unknown(
            "ambiguous",
            f"{spec.label} ULN",
            f"{spec.label} ULN {rr.high:g} is not positive",
            f"a valid {spec.label} reference range",
            (_evidence(rd),),
        )
    ratio = round_sig(value / uln)
    uln_unit = rr.unit or obs.unit
    uln_shown = f"{rr.high:g} {'' if uln_unit in (None, '1') else uln_unit}".strip()
    if rr.assumed:
        uln_shown += ", assumed from the default ULN table: the result carried no reference range"
    shown = f"{spec.label} {_shown_value(obs)} = {_fmt(ratio)} × ULN (ULN {uln_shown})"
    if obs.date:
        shown += f" on {obs.date}"
    return Fact(ratio, shown, (_evidence(rd),), changes_on=changes_on)


# --- derived --------------------------------------------------------------------------------------------


def _derived(ix: PatientIndex, r: DerivedRequest) -> Fact:
    if r.name == "age":
        return _age(ix)
    if r.name in FORMULAS:
        f = FORMULAS[r.name]
        inputs = {name: _input(ix, name, r.window) for name in f.inputs}
        return _calculate(ix, f.label, f.unit, inputs, f.compute)
    if r.name in ("egfr_mdrd", "egfr_mdrd_186"):
        return _egfr_mdrd(ix, r)
    if r.name in ("child_pugh_class", "child_pugh_class_albumin_3_0"):
        return _child_pugh(ix, r)
    if r.name == "psa_progression":
        return _psa_progression(ix)
    raise ValueError(f"no calculator for derived fact '{r.name}'")


def _input(ix: PatientIndex, name: str, window: Window | None) -> Fact:
    """One calculator input: age at screening, sex, or an observation read through the criterion's window."""
    if name == "age":
        return _age(ix)
    if name == "sex":
        return _answer(ix, SexRequest(), "")
    return _observation(ix, name, window, False)


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
        f"eGFR (MDRD) {_fmt(low.value)} to {_fmt(high.value)} mL/min/1.73 m² (race not recorded: without and "  # type: ignore[arg-type]
        f"with the race coefficient) from " + ", ".join(f.shown for f in inputs.values())
    )
    why = Reason(
        "missing",
        "race",
        f"eGFR (MDRD) is {_fmt(low.value)} without and {_fmt(high.value)} with the race "  # type: ignore[arg-type]
        "coefficient, and race is not recorded",
        "the patient's race (the MDRD formula has a race term)",
    )
    return Fact(Range(low.value, high.value), shown, low.evidence, why, low.changes_on)  # type: ignore[arg-type]


def _child_pugh(ix: PatientIndex, r: DerivedRequest) -> Fact:
    """Child-Pugh class from its five parts; missing parts are fine when they cannot change the class."""
    parts = {
        "total_bilirubin": _observation(ix, "total_bilirubin", r.window, False),
        "albumin": _observation(ix, "albumin", r.window, False),
        "inr": _observation(ix, "inr", r.window, False),
        "ascites": _observation(ix, "ascites", r.window, False),
        "hepatic_encephalopathy": _observation(ix, "hepatic_encephalopathy", r.window, False),
    }
    unusable = [f for f in parts.values() if f.reason is not None and f.reason.kind != "missing"]
    evidence = tuple(e for f in parts.values() for e in f.evidence)
    if unusable:
        return _unknown(
            unusable[0].reason.kind,
            "Child-Pugh class",  # type: ignore[union-attr]
            "Child-Pugh class cannot be computed: " + "; ".join(f.reason.message for f in unusable),  # type: ignore[union-attr]
            "; ".join(f.reason.settle for f in unusable),
            evidence,
        )  # type: ignore[union-attr]
    v = {k: f.value for k, f in parts.items()}
    result = calculators.child_pugh(
        bilirubin_mg_dl=v["total_bilirubin"],
        albumin_g_dl=v["albumin"],
        inr=v["inr"],
        ascites=v["ascites"],
        encephalopathy=v["hepatic_encephalopathy"],
        albumin_cut=3.0 if r.name == "child_pugh_class_albumin_3_0" else 3.5,
    )
    known = ", ".join(f.shown for f in parts.values() if f.value is not None)
    if result.klass is None:
        missing = [parts[k] for k in parts if parts[k].value is None]
        return _unknown(
            "missing",
            "Child-Pugh class",
            f"Child-Pugh score {result.points_min}-{result.points_max} points could be more than one class; "
            f"missing: " + ", ".join(f.reason.fact for f in missing if f.reason),  # type: ignore[union-attr]
            "; ".join(f.reason.settle for f in missing if f.reason),
            evidence,
        )  # type: ignore[union-attr]
    points = (
        f"{result.points_min}" if result.points_min == result.points_max else f"{result.points_min}-{result.points_max}"
    )
    return Fact(
        result.klass,
        f"Child-Pugh class {result.klass} ({points} points; albumin cut {result.albumin_cut} g/dL)"
        f" from {known or 'no measured parts'}",
        evidence,
    )


def _psa_progression(ix: PatientIndex) -> Fact:
    """Two consecutive PSA rises at least 1 week apart from a starting value of at least 2.0 ng/mL (PCWG)."""
    label = "PSA progression"
    series: dict[date, set[float]] = defaultdict(set)
    readings: dict[date, _Reading] = {}
    for rd in ix.readings.get("psa", []):
        if rd.obs.date is None or not rd.obs.date.is_exact or rd.obs.date.latest > ix.as_of:  # type: ignore[operator]
            continue
        v = _normalised(ix, "psa", rd)
        if isinstance(v, Fact):
            return v
        series[rd.obs.date.latest].add(float(v))  # type: ignore[arg-type]
        readings[rd.obs.date.latest] = rd  # type: ignore[index]
    conflicts = [d for d, vs in series.items() if len(vs) > 1]
    if conflicts:
        return _unknown(
            "ambiguous",
            label,
            f"conflicting PSA results on {conflicts[0]}",
            "one confirmed PSA per date",
            tuple(_evidence(readings[d]) for d in conflicts),
        )
    points = sorted((d, next(iter(vs))) for d, vs in series.items())
    evidence = tuple(_evidence(readings[d]) for d, _ in points)
    for (d0, a), (d1, b), (d2, c) in zip(points, points[1:], points[2:], strict=False):
        if a >= 2.0 and b > a and c > b and (d1 - d0).days >= 7 and (d2 - d1).days >= 7:
            return Fact(
                True,
                f"PSA rose {a:g} → {b:g} → {c:g} ng/mL ({d0}, {d1}, {d2})",
                tuple(_evidence(readings[d]) for d in (d0, d1, d2)),
            )
    if len(points) < 3:
        return _unknown(
            "missing",
            label,
            f"{len(points)} dated PSA result(s); two rises need at least three",
            "dated PSA results at least 1 week apart",
            evidence,
        )
    return Fact(
        False,
        "no two consecutive PSA rises ≥1 week apart from ≥2.0 ng/mL in " + ", ".join(f"{v:g} ({d})" for d, v in points),
        evidence,
    )


def _calculate(ix: PatientIndex, label: str, unit: str, inputs: dict[str, Fact], formula) -> Fact:
    evidence = tuple(e for f in inputs.values() for e in f.evidence)
    unknown = [f for f in inputs.values() if f.value is None]
    if unknown:
        kinds = {f.reason.kind for f in unknown if f.reason}
        kind = "missing" if kinds == {"missing"} else next(k for k in ("ambiguous", "stale", "missing") if k in kinds)
        return _unknown(
            kind,
            label,
            f"{label} cannot be computed: " + "; ".join(f.reason.message for f in unknown if f.reason),
            "; ".join(f.reason.settle for f in unknown if f.reason),
            evidence,
        )
    try:
        value = round_sig(formula({k: f.value for k, f in inputs.items()}))
    except CalculatorInputError as exc:
        return _unknown("ambiguous", label, str(exc), f"corrected inputs to {label}", evidence)
    changes = [f.changes_on for f in inputs.values() if f.changes_on]
    return Fact(
        value,
        f"{label} {_fmt(value)} {unit} from " + ", ".join(f.shown for f in inputs.values()),
        evidence,
        changes_on=min(changes) if changes else None,
    )


def _age(ix: PatientIndex) -> Fact:
    fact = ix.memo.get(("age",))
    if fact is None:
        fact = ix.memo["age",] = _read_age(ix)
    return fact


def _read_age(ix: PatientIndex) -> Fact:
    born = ix.patient.birth_date
    if born is None:
        return _unknown("missing", "age", "birth date is not recorded", "the patient's birth date")
    ref = ix.reference("screening")
    assert ref is not None and ref.earliest is not None  # screening always resolves (defaults to as-of)
    on = ref.earliest
    try:
        youngest = calculators.age_in_years(born.latest, on)  # type: ignore[arg-type]
        oldest = calculators.age_in_years(born.earliest, on)  # type: ignore[arg-type]
    except CalculatorInputError:
        return _unknown(
            "ambiguous",
            "age",
            f"birth date {born} is after screening ({on})",
            "a corrected birth date",
            (Evidence("birth_date", str(born)),),
        )
    if youngest != oldest:
        return _unknown(
            "ambiguous",
            "age",
            f"birth date {born} gives age {youngest} or {oldest} at screening ({on})",
            "the exact birth date",
            (Evidence("birth_date", str(born)),),
        )
    return Fact(
        float(oldest), f"age {oldest} years at screening ({on})", (Evidence("birth_date", str(born), str(born)),)
    )


# --- history --------------------------------------------------------------------------------------------


def _overlap(ix: PatientIndex, start: DateSpan | None, end: DateSpan | None, ongoing: bool, w: Window | str):
    """TRUE/FALSE/None: was a record with this start and end active in the window? Also when that changes."""
    if w == "ever":
        return True, None
    s_lo = start.earliest if start else None
    s_hi = start.latest if start else None
    if ongoing:
        e_lo, e_hi = ix.as_of, None
    elif end is not None:
        e_lo, e_hi = end.earliest, end.latest
    else:  # stopped at an unknown date no later than today
        e_lo, e_hi = (s_lo or _FAR_PAST), ix.as_of
    if w == "now":
        if ongoing or (end is None):
            return (True if ongoing else None), None
        return (False if e_hi is not None and e_hi < ix.as_of else None), None
    assert isinstance(w, Window)
    ref = ix.reference(w.reference)
    if ref is None:
        return None, None
    lo_cut = shift(ref.earliest, w.duration) if ref.earliest else None
    hi_cut = shift(ref.latest, w.duration) if ref.latest else None
    # "within N before REF": still active after REF - N (strictly: exactly N elapsed is outside) and begun by REF.
    clears = shift(e_hi, w.duration, sign=+1) if e_hi is not None else None
    if e_hi is not None and lo_cut is not None and e_hi <= lo_cut:
        return False, None
    if s_lo is not None and ref.latest is not None and s_lo > ref.latest:
        return False, None
    if (
        hi_cut is not None
        and e_lo > hi_cut
        and (s_hi is not None and ref.earliest is not None and s_hi <= ref.earliest)
    ):
        return True, clears
    return None, clears


def _conditions(ix: PatientIndex, r: HistoryRequest) -> Fact:
    label = ix.catalog.conditions[r.name].label
    when = f" {r.when}" if isinstance(r.when, Window) else (" ever" if r.when == "ever" else "")
    records = ix.conditions.get(r.name, [])
    present = [(c, p) for c, p in records if c.status == "present"]
    absent = [(c, p) for c, p in records if c.status == "absent"]
    ev = tuple(Evidence(p, f"{c.code}: {c.status}", str(c.onset) if c.onset else None) for c, p in records)
    unknown_one = None
    for c, _ in present:
        truth, _clears = _overlap(ix, c.onset, c.resolved, c.resolved is None, r.when)
        if truth is True:
            return Fact(True, f"{label}{when}: yes", ev)
        if truth is None:
            unknown_one = c
    if unknown_one is not None:
        return _unknown(
            "ambiguous",
            label,
            f"{label} recorded (onset {unknown_one.onset}, resolved "
            f"{unknown_one.resolved}) may or may not fall{when or ' now'}",
            f"dates of the {label} record",
            ev,
        )
    if absent:
        return Fact(False, f"{label} recorded absent", ev)
    complete = "conditions" in ix.patient.complete_history
    if present:  # every recorded episode resolved outside the time asked about
        c = present[0][0]
        episode = f"{label} recorded from {c.onset} to {c.resolved}"
        if complete:
            return Fact(False, f"{episode}; no other episode in the complete condition history", ev)
        return _unknown(
            "missing",
            label,
            f"{episode}; without a complete condition history another episode{when or ' now'} cannot be ruled out",
            f"whether the patient has {label}{when}",
            ev,
        )
    if complete:
        return Fact(False, f"no {label} in the complete condition history", ev)
    return _unknown(
        "missing", label, f"{label} is not recorded as present or absent", f"whether the patient has {label}{when}"
    )


def _therapies(ix: PatientIndex, r: HistoryRequest) -> Fact:
    cat = ix.catalog
    label = cat.therapy_classes[r.name].label
    wanted = cat.subclasses(r.name)
    excluded = frozenset().union(*(cat.subclasses(e) for e in r.excluding)) if r.excluding else frozenset()
    needs_route = any(cat.therapy_classes[c].route == "systemic" for c in wanted)
    when = f" {r.when}" if isinstance(r.when, Window) else (" now" if r.when == "now" else " ever")
    hits, maybes, unmapped = [], [], []
    clears_on: list[date] = []
    for t, path, classes in ix.therapies:
        if classes is None:
            unmapped.append((t, path))
            continue
        matching = classes & wanted
        if not matching or matching <= excluded:
            continue
        member = _route_and_dose(t, r, needs_route)
        window, unknown_half_life = _washout(r.when, t)
        truth, clears = _overlap(ix, t.start, t.end, t.ongoing, window)
        if truth is False and unknown_half_life:
            truth = None  # outside the day count, but K half-lives of an unknown half-life may be longer
        if truth is False or member is False:
            continue
        ev = Evidence(path, _therapy_shown(t), str(t.start) if t.start else None)
        if truth is True and member is True:
            hits.append(ev)
        elif member is None:
            maybes.append((ev, "dose or route not recorded"))
        elif truth is None and unknown_half_life:
            maybes.append((ev, f"half-life of {t.name} not known; give it on the therapy record"))
        else:
            maybes.append((ev, "dates do not settle the window"))
        if clears:
            clears_on.append(clears)
    changes_on = max(clears_on) if clears_on else None
    if hits:
        return Fact(
            True, f"received {label}{when}: " + "; ".join(e.value for e in hits), tuple(hits), changes_on=changes_on
        )
    if maybes:
        evs = tuple(e for e, _ in maybes)
        detail = "; ".join(f"{e.value} ({why})" for e, why in maybes)
        open_ref = _open_reference(ix, r.when)
        if open_ref and all(why.startswith("dates") for _, why in maybes):
            after = f" (settled if on or after {changes_on})" if changes_on else ""
            return Fact(
                None,
                "",
                evs,
                Reason(
                    "missing",
                    label,
                    f"{label}{when} depends on the {open_ref} date, not yet given: {detail}",
                    f"the {open_ref} date{after}",
                ),
                changes_on,
            )
        return Fact(
            None,
            "",
            evs,
            Reason(
                "ambiguous",
                label,
                f"{label}{when} is unclear: {detail}",
                f"exact dates, dose and route of {', '.join(e.value for e in evs)}",
            ),
            changes_on,
        )
    if "therapies" not in ix.patient.complete_history:
        return _unknown(
            "missing",
            label,
            f"therapy history is not declared complete, so {label}{when} cannot be ruled out",
            f"the complete therapy history ({label}{when})",
        )
    if unmapped:
        names = ", ".join(t.name for t, _ in unmapped)
        return _unknown(
            "ambiguous",
            label,
            f"therapy not in the catalog ({names}) may be {label}",
            f"the class of {names}",
            tuple(Evidence(p, t.name) for t, p in unmapped),
        )
    return Fact(False, f"no {label}{when} in the complete therapy history", ())


def _washout(when: Window | str, t: Therapy) -> tuple[Window | str, bool]:
    """The window for one record: "N days or K half-lives, whichever is longer" needs the drug's half-life.

    Returns the window to use and whether the half-life was unknown (the day count alone then only proves
    that a record falls inside the window, never that it falls outside).
    """
    if not isinstance(when, Window) or when.half_lives is None:
        return when, False
    base = when.duration.amount * (7 if when.duration.unit == "weeks" else 1)
    half_life = t.half_life_days or calculators.HALF_LIFE_DAYS.get(t.name.strip().lower())
    days = calculators.washout_days(days=base, half_life_days=half_life, half_lives=when.half_lives)
    if days is None:
        return Window(Duration(base, "days"), when.reference), True
    return Window(Duration(days, "days"), when.reference), False


def _open_reference(ix: PatientIndex, when: Window | str) -> str | None:
    """The name of the window's reference date when the patient file does not give it (and it is open-ended)."""
    if isinstance(when, Window) and when.reference not in ix.patient.reference_dates and when.reference != "screening":
        return when.reference.replace("_", " ")
    return None


def _therapy_shown(t: Therapy) -> str:
    dose = f" {t.dose.value:g} {t.dose.unit}" if t.dose else ""
    route = f" {t.route}" if t.route else ""
    span = f" from {t.start}" if t.start else ""
    span += " (ongoing)" if t.ongoing else (f" to {t.end}" if t.end else " (end date not recorded)")
    return f"{t.name}{dose}{route}{span}"


def _route_and_dose(t: Therapy, r: HistoryRequest, needs_route: bool) -> bool | None:
    """Does this record meet the request's route and dose conditions? None when the record cannot say."""
    if needs_route:
        systemic = calculators.is_systemic_route(t.route)
        if systemic is not True:
            return systemic
    if r.dose is None:
        return True
    if t.dose is None:
        return None
    try:
        mg_day = t.dose.value * conversion_factor(t.dose.unit, "mg/day")
    except UnitError:
        return None
    try:
        if r.dose.equivalent == "prednisone":
            mg_day = calculators.prednisone_equivalent_mg(drug=t.name, dose_mg=mg_day)
        elif r.dose.equivalent == "methylprednisolone":
            mg_day = calculators.methylprednisolone_equivalent_mg(drug=t.name, dose_mg=mg_day)
    except CalculatorInputError:  # no equivalence known for this drug: a person must judge the dose
        return None
    threshold = r.dose.threshold * conversion_factor(r.dose.unit, "mg/day")
    ops = {"<": mg_day < threshold, "<=": mg_day <= threshold, ">": mg_day > threshold, ">=": mg_day >= threshold}
    return ops[r.dose.op]


def _judgement(ix: PatientIndex, r: JudgementRequest, trial: str) -> Fact:
    for a in ix.patient.attestations:
        if a.criterion == r.criterion and a.trial in (None, trial):
            answer = a.answer == "yes"
            on = f" on {a.date}" if a.date else ""
            return Fact(
                answer,
                f"answered '{a.answer}' by {a.by}{on}",
                (Evidence(f"attestation {a.criterion}", a.answer, str(a.date) if a.date else None),),
            )
    return _unknown(
        "judgement",
        r.question,
        f"needs a person to decide: {r.question}",
        f"an attestation for {r.criterion}: {r.question}",
    )
