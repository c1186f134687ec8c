"""Derived facts: values computed by a named calculator from other facts, with every input as evidence.

Simple calculators are data (:data:`FORMULAS`: label, unit, inputs, formula). Inputs are catalog
observation codes read through the criterion's window, plus ``age`` (at screening) and ``sex``; values
arrive in catalog units (creatinine mg/dL, weight kg, height cm, QT ms, heart rate bpm). Age, MDRD's race
range, Child-Pugh from partial parts and the PSA series have their own functions below. A missing input
makes the fact unknown naming it; an impossible one makes it ambiguous, never a number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .. import calculators
from .. import calculators as calc
from ..errors import CalculatorInputError
from ..evaluate.nodes import round_sig
from .index import PatientIndex, _Reading, fmt, sex_fact, unknown
from .model import DerivedRequest, Evidence, Fact, Range, Reason, Window
from .observations import evidence_of, normalised, observation

__all__ = ["FORMULAS", "Formula", "derived_fact"]


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
    return lambda v: formula(qt_ms=v["qt"], rr_s=calc.rr_seconds_from_heart_rate(v["heart_rate"]))


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


def derived_fact(ix: PatientIndex, r: DerivedRequest) -> Fact:
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
    unusable = [f for f in parts.values() if f.reason is not None and f.reason.kind != "missing"]
    evidence = tuple(e for f in parts.values() for e in f.evidence)
    if unusable:
        return unknown(
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
        return unknown(
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
        v = normalised(ix, "psa", rd)
        if isinstance(v, Fact):
            return v
        series[rd.obs.date.latest].add(float(v))  # type: ignore[arg-type]
        readings[rd.obs.date.latest] = rd  # type: ignore[index]
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
    for (d0, a), (d1, b), (d2, c) in zip(points, points[1:], points[2:], strict=False):
        if a >= 2.0 and b > a and c > b and (d1 - d0).days >= 7 and (d2 - d1).days >= 7:
            return Fact(
                True,
                f"PSA rose {a:g} → {b:g} → {c:g} ng/mL ({d0}, {d1}, {d2})",
                tuple(evidence_of(readings[d]) for d in (d0, d1, d2)),
            )
    if len(points) < 3:
        return unknown(
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
    lacking = [f for f in inputs.values() if f.value is None]
    if lacking:
        kinds = {f.reason.kind for f in lacking if f.reason}
        kind = "missing" if kinds == {"missing"} else next(k for k in ("ambiguous", "stale", "missing") if k in kinds)
        return unknown(
            kind,
            label,
            f"{label} cannot be computed: " + "; ".join(f.reason.message for f in lacking if f.reason),
            "; ".join(f.reason.settle for f in lacking if f.reason),
            evidence,
        )
    try:
        value = round_sig(formula({k: f.value for k, f in inputs.items()}))
    except CalculatorInputError as exc:
        return unknown("ambiguous", label, str(exc), f"corrected inputs to {label}", evidence)
    changes = [f.changes_on for f in inputs.values() if f.changes_on]
    return Fact(
        value,
        f"{label} {fmt(value)} {unit} from " + ", ".join(f.shown for f in inputs.values()),
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
            f"birth date {born} is after screening ({on})",
            "a corrected birth date",
            (Evidence("birth_date", str(born)),),
        )
    if youngest != oldest:
        return unknown(
            "ambiguous",
            "age",
            f"birth date {born} gives age {youngest} or {oldest} at screening ({on})",
            "the exact birth date",
            (Evidence("birth_date", str(born)),),
        )
    return Fact(
        float(oldest), f"age {oldest} years at screening ({on})", (Evidence("birth_date", str(born), str(born)),)
    )
