"""The numeric calculators a ruleset can name, as data: label, unit, the facts they read, and the formula.

Inputs are catalog observation codes read through the criterion's window, plus ``age`` (at screening) and
``sex``; values arrive in catalog units (creatinine mg/dL, weight kg, height cm, QT ms, heart rate bpm).
Calculators with their own logic (age, MDRD's race range, Child-Pugh from partial parts, the PSA series)
live in :mod:`engine.facts.extract`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import calculators as calc

__all__ = ["FORMULAS", "Formula"]


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
