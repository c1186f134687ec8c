"""Clinical formulas on plain floats in conventional units: pure functions, no units, no I/O, no clock.

The caller converts units (pint, ``engine.units``) and wraps each result with provenance; this module only
does the arithmetic, checks that the inputs are physically possible, and names the source of each formula
(``docs/calculators.md`` lists them all). An impossible input (age below 0, weight 0, creatinine ≤ 0, QT over
1000 ms, NaN, an unknown drug or option) raises :class:`~engine.errors.CalculatorInputError` naming the
calculator and the field; no function ever returns a number for such an input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Literal

from .errors import CalculatorInputError

__all__ = [
    "HALF_LIFE_DAYS",
    "STEROID_EQUIVALENT_MG",
    "SYSTEMIC_ROUTES",
    "ChildPugh",
    "WeightBasis",
    "adjusted_body_weight_kg",
    "age_in_years",
    "bsa_mosteller",
    "child_pugh",
    "cockcroft_gault",
    "egfr_ckd_epi_2021",
    "egfr_mdrd",
    "ideal_body_weight_kg",
    "is_systemic_route",
    "methylprednisolone_equivalent_mg",
    "prednisone_equivalent_mg",
    "qtc_bazett",
    "qtc_fridericia",
    "rr_seconds_from_heart_rate",
    "washout_days",
]


def _number(
    calculator: str,
    field: str,
    value: float,
    *,
    above: float | None = None,
    at_least: float | None = None,
    at_most: float | None = None,
) -> float:
    """Return ``value`` as a float if it is a finite number within the given bounds, else raise."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CalculatorInputError(calculator, field, f"must be a number (got {value!r})")
    number = float(value) if abs(value) < 1e300 else math.inf  # a huge int would overflow float()
    if not math.isfinite(number):
        raise CalculatorInputError(calculator, field, f"must be a finite number (got {number})")
    if above is not None and not number > above:
        raise CalculatorInputError(calculator, field, f"must be > {above:g} (got {number:g})")
    if at_least is not None and not number >= at_least:
        raise CalculatorInputError(calculator, field, f"must be ≥ {at_least:g} (got {number:g})")
    if at_most is not None and not number <= at_most:
        raise CalculatorInputError(calculator, field, f"must be ≤ {at_most:g} (got {number:g})")
    return number


# --- age --------------------------------------------------------------------------------------------------


def age_in_years(birth_date: date, on: date) -> int:
    """Completed years of age on ``on``.

    Birthday-aware: the year counts once the birthday is reached. A 29 February birthday counts as reached on
    1 March in non-leap years (the usual legal convention, and what month/day comparison gives).
    ``on`` before ``birth_date`` raises :class:`CalculatorInputError` (field ``on``).
    """
    if on < birth_date:
        raise CalculatorInputError("age_in_years", "on", f"{on} is before the birth date {birth_date}")
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - int(before_birthday)


# --- body size --------------------------------------------------------------------------------------------

WeightBasis = Literal["actual", "ideal", "adjusted"]
_CM_PER_INCH = 2.54


def ideal_body_weight_kg(height_cm: float, female: bool) -> float:
    """Ideal body weight (kg), Devine formula: 50 kg (men) or 45.5 kg (women) + 2.3 kg per inch over 60 in.

    Source: Devine BJ. Gentamicin therapy. Drug Intell Clin Pharm 1974;8:650-5. Below 60 in the same line
    is extended downwards (2.3 kg less per inch), as most calculators do; a height so short that the result
    is not positive raises :class:`CalculatorInputError`.
    """
    height = _number("ideal_body_weight_kg", "height_cm", height_cm, above=0)
    ibw = (45.5 if female else 50.0) + 2.3 * (height / _CM_PER_INCH - 60.0)
    if ibw <= 0:
        raise CalculatorInputError("ideal_body_weight_kg", "height_cm", f"{height:g} cm is outside the Devine formula")
    return ibw


def adjusted_body_weight_kg(actual_kg: float, ideal_kg: float) -> float:
    """Adjusted body weight (kg) = IBW + 0.4 × (actual − IBW), the 40 % correction used for drug dosing.

    Source: Bauer LA, Applied Clinical Pharmacokinetics (McGraw-Hill); the factor ClinCalc and GlobalRPh use.
    """
    actual = _number("adjusted_body_weight_kg", "actual_kg", actual_kg, above=0)
    ideal = _number("adjusted_body_weight_kg", "ideal_kg", ideal_kg, above=0)
    return ideal + 0.4 * (actual - ideal)


def bsa_mosteller(*, height_cm: float, weight_kg: float) -> float:
    """Body surface area (m²), Mosteller: sqrt(height cm × weight kg / 3600).

    Source: Mosteller RD. Simplified calculation of body-surface area. N Engl J Med 1987;317:1098.
    """
    height = _number("bsa_mosteller", "height_cm", height_cm, above=0)
    weight = _number("bsa_mosteller", "weight_kg", weight_kg, above=0)
    return math.sqrt(height * weight / 3600.0)


# --- kidney -----------------------------------------------------------------------------------------------


def cockcroft_gault(
    *,
    age_years: float,
    weight_kg: float,
    creatinine_mg_dl: float,
    female: bool,
    weight_basis: WeightBasis = "actual",
    height_cm: float | None = None,
) -> float:
    """Creatinine clearance (mL/min), Cockcroft-Gault: (140 − age) × weight / (72 × Scr), × 0.85 if female.

    ``weight_basis`` picks the weight: ``actual`` (default, as in the original paper), ``ideal`` (Devine
    IBW) or ``adjusted`` (IBW + 0.4 × (actual − IBW)); the last two need ``height_cm``. The basis is applied
    as asked, with no automatic switching (e.g. to actual weight when it is below IBW): the caller decides.
    Source: Cockcroft DW, Gault MH. Prediction of creatinine clearance from serum creatinine.
    Nephron 1976;16:31-41.
    """
    name = "cockcroft_gault"
    age = _number(name, "age_years", age_years, at_least=0)
    if age >= 140:  # (140 − age) would make the clearance zero or negative
        raise CalculatorInputError(name, "age_years", f"must be < 140 (got {age:g})")
    actual = _number(name, "weight_kg", weight_kg, above=0)
    scr = _number(name, "creatinine_mg_dl", creatinine_mg_dl, above=0)
    if weight_basis == "actual":
        weight = actual
    elif weight_basis in ("ideal", "adjusted"):
        if height_cm is None:
            raise CalculatorInputError(name, "height_cm", f"is required for weight_basis '{weight_basis}'")
        ideal = ideal_body_weight_kg(_number(name, "height_cm", height_cm, above=0), female)
        weight = ideal if weight_basis == "ideal" else adjusted_body_weight_kg(actual, ideal)
    else:
        raise CalculatorInputError(name, "weight_basis", f"unknown option {weight_basis!r} (actual, ideal, adjusted)")
    crcl = (140.0 - age) * weight / (72.0 * scr)
    return crcl * 0.85 if female else crcl


def egfr_mdrd(*, creatinine_mg_dl: float, age_years: float, female: bool, black: bool, idms: bool = True) -> float:
    """eGFR (mL/min/1.73 m²), 4-variable MDRD Study equation.

    175 (IDMS-traceable creatinine) or 186 (original, non-standardised assays) × Scr^−1.154 × age^−0.203
    × 0.742 if female × 1.212 if Black. The race term is part of the published equation; the caller decides
    what to do when race is unknown (e.g. compute both branches).
    Sources: Levey AS et al. Ann Intern Med 1999;130:461-70 (original); Levey AS et al. Ann Intern Med
    2006;145:247-54 (175, IDMS re-expression); National Kidney Foundation, "MDRD Study Equation".
    """
    name = "egfr_mdrd"
    scr = _number(name, "creatinine_mg_dl", creatinine_mg_dl, above=0)
    age = _number(name, "age_years", age_years, above=0)  # age^−0.203 is undefined at 0
    egfr = (175.0 if idms else 186.0) * scr**-1.154 * age**-0.203
    if female:
        egfr *= 0.742
    if black:
        egfr *= 1.212
    return egfr


def egfr_ckd_epi_2021(*, creatinine_mg_dl: float, age_years: float, female: bool) -> float:
    """eGFR (mL/min/1.73 m²), race-free CKD-EPI 2021 creatinine equation.

    142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 × 0.9938^age × 1.012 if female;
    κ = 0.7 (female) / 0.9 (male), α = −0.241 (female) / −0.302 (male).
    Source: Inker LA et al. New creatinine- and cystatin C-based equations to estimate GFR without race.
    N Engl J Med 2021;385:1737-49; National Kidney Foundation, "CKD-EPI Creatinine Equation (2021)".
    """
    name = "egfr_ckd_epi_2021"
    scr = _number(name, "creatinine_mg_dl", creatinine_mg_dl, above=0)
    age = _number(name, "age_years", age_years, at_least=0)
    kappa, alpha = (0.7, -0.241) if female else (0.9, -0.302)
    ratio = scr / kappa
    egfr = 142.0 * min(ratio, 1.0) ** alpha * max(ratio, 1.0) ** -1.200 * 0.9938**age
    return egfr * 1.012 if female else egfr


# --- ECG --------------------------------------------------------------------------------------------------


def rr_seconds_from_heart_rate(bpm: float) -> float:
    """RR interval (s) = 60 / heart rate (beats per minute)."""
    return 60.0 / _number("rr_seconds_from_heart_rate", "bpm", bpm, above=0)


def _qt_rr(calculator: str, qt_ms: float, rr_s: float) -> tuple[float, float]:
    qt = _number(calculator, "qt_ms", qt_ms, above=0, at_most=1000)
    rr = _number(calculator, "rr_s", rr_s, above=0)
    return qt, rr


def qtc_bazett(*, qt_ms: float, rr_s: float) -> float:
    """QTc (ms), Bazett: QT / sqrt(RR), RR in seconds.

    Source: Bazett HC. An analysis of the time-relations of electrocardiograms. Heart 1920;7:353-70.
    """
    qt, rr = _qt_rr("qtc_bazett", qt_ms, rr_s)
    return qt / math.sqrt(rr)


def qtc_fridericia(*, qt_ms: float, rr_s: float) -> float:
    """QTc (ms), Fridericia: QT / RR^(1/3), RR in seconds.

    Source: Fridericia LS. Die Systolendauer im Elektrokardiogramm bei normalen Menschen und bei Herzkranken.
    Acta Med Scand 1920;53:469-86.
    """
    qt, rr = _qt_rr("qtc_fridericia", qt_ms, rr_s)
    return qt / rr ** (1.0 / 3.0)


# --- liver ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildPugh:
    """A Child-Pugh result that may be partial: the range of totals the known inputs allow."""

    points_min: int  # lowest total consistent with the known inputs (unknown inputs count 1)
    points_max: int  # highest total (unknown inputs count 3)
    klass: Literal["A", "B", "C"] | None  # decided only when points_min and points_max fall in the same class
    missing: tuple[str, ...]  # names of the inputs that were None
    albumin_cut: float  # the albumin variant used (3.5 or 3.0 g/dL)


_ASCITES = {"none": 1, "mild": 2, "moderate-severe": 3}
_ENCEPHALOPATHY = {"none": 1, "grade 1-2": 2, "grade 3-4": 3}
# Lower albumin cut (g/dL) between 2 and 3 points for each variant; above 3.5 is 1 point in both.
_ALBUMIN_LOWER_CUT = {3.5: 2.8, 3.0: 3.0}


def _child_pugh_class(points: int) -> Literal["A", "B", "C"]:
    return "A" if points <= 6 else "B" if points <= 9 else "C"


def _band(value: float, low: float, high: float) -> int:
    """1 point below ``low``, 2 from ``low`` to ``high`` inclusive, 3 above ``high``."""
    return 1 if value < low else 2 if value <= high else 3


def child_pugh(
    *,
    bilirubin_mg_dl: float | None,
    albumin_g_dl: float | None,
    inr: float | None,
    ascites: Literal["none", "mild", "moderate-severe"] | None,
    encephalopathy: Literal["none", "grade 1-2", "grade 3-4"] | None,
    albumin_cut: float = 3.5,
) -> ChildPugh:
    """Child-Pugh score and class, also from partial inputs.

    Each input scores 1/2/3 points: total bilirubin < 2 / 2-3 / > 3 mg/dL; INR < 1.7 / 1.7-2.3 / > 2.3;
    ascites none / mild / moderate-severe; encephalopathy none / grade 1-2 / grade 3-4; albumin by variant:
    ``albumin_cut=3.5`` (Pugh 1973, g/L converted): > 3.5 / 2.8-3.5 / < 2.8 g/dL; ``albumin_cut=3.0``
    (Harrison's and other textbook tables): > 3.5 / 3.0-3.5 / < 3.0 g/dL. Class A 5-6, B 7-9, C 10-15.
    A missing input (None) counts 1 for ``points_min`` and 3 for ``points_max``; the class is decided only
    when both ends fall in the same class (e.g. ``points_min`` 10 → C whatever is missing).
    Source: Pugh RNH et al. Transection of the oesophagus for bleeding oesophageal varices.
    Br J Surg 1973;60:646-9.
    """
    name = "child_pugh"
    if albumin_cut not in _ALBUMIN_LOWER_CUT:
        raise CalculatorInputError(name, "albumin_cut", f"unknown option {albumin_cut!r} (3.5 or 3.0)")
    points: list[int] = []
    missing: list[str] = []
    if bilirubin_mg_dl is None:
        missing.append("bilirubin_mg_dl")
    else:
        points.append(_band(_number(name, "bilirubin_mg_dl", bilirubin_mg_dl, at_least=0), 2.0, 3.0))
    if albumin_g_dl is None:
        missing.append("albumin_g_dl")
    else:
        albumin = _number(name, "albumin_g_dl", albumin_g_dl, above=0)
        points.append(1 if albumin > 3.5 else 2 if albumin >= _ALBUMIN_LOWER_CUT[albumin_cut] else 3)
    if inr is None:
        missing.append("inr")
    else:
        points.append(_band(_number(name, "inr", inr, above=0), 1.7, 2.3))
    graded = (("ascites", ascites, _ASCITES), ("encephalopathy", encephalopathy, _ENCEPHALOPATHY))
    for field, value, scale in graded:
        if value is None:
            missing.append(field)
        elif value in scale:
            points.append(scale[value])
        else:
            raise CalculatorInputError(name, field, f"unknown option {value!r} ({', '.join(scale)})")
    low, high = sum(points) + len(missing), sum(points) + 3 * len(missing)
    klass = _child_pugh_class(low) if _child_pugh_class(low) == _child_pugh_class(high) else None
    return ChildPugh(low, high, klass, tuple(missing), albumin_cut)


# --- corticosteroids --------------------------------------------------------------------------------------

# Anti-inflammatory (glucocorticoid) dose equivalent to prednisone 5 mg, oral or IV. Source: Meikle AW,
# Tyler FH. Potency and duration of action of glucocorticoids. Am J Med 1977;63:200-7, as tabulated by the
# GlobalRPh corticosteroid converter (betamethasone 0.6-0.75 there; the lower figure is used).
STEROID_EQUIVALENT_MG: dict[str, float] = {
    "prednisone": 5.0,
    "prednisolone": 5.0,
    "methylprednisolone": 4.0,
    "dexamethasone": 0.75,
    "hydrocortisone": 20.0,
    "cortisone": 25.0,
    "triamcinolone": 4.0,
    "betamethasone": 0.6,
}

# Routes that deliver a systemic dose, with their common abbreviations.
SYSTEMIC_ROUTES: frozenset[str] = frozenset(
    {"oral", "po", "intravenous", "iv", "intramuscular", "im", "subcutaneous", "sc", "sq", "subcut"}
)
# Local routes that protocols exclude from "systemic steroids" ("excluding inhaled or local use").
_LOCAL_ROUTES: frozenset[str] = frozenset(
    {
        "inhaled",
        "inhalation",
        "topical",
        "cutaneous",
        "intra-articular",
        "intraarticular",
        "ophthalmic",
        "nasal",
        "intranasal",
    }
)


def _steroid_mg(calculator: str, drug: str, dose_mg: float) -> tuple[float, float]:
    """The dose and the drug's prednisone-5-mg equivalent, after checking both."""
    dose = _number(calculator, "dose_mg", dose_mg, at_least=0)
    key = drug.strip().lower() if isinstance(drug, str) else None
    if key not in STEROID_EQUIVALENT_MG:
        raise CalculatorInputError(calculator, "drug", f"has no known corticosteroid equivalence ({drug!r})")
    return dose, STEROID_EQUIVALENT_MG[key]


def prednisone_equivalent_mg(*, drug: str, dose_mg: float) -> float:
    """Prednisone-equivalent dose (mg) of a corticosteroid dose, e.g. dexamethasone 4 mg → 26.67 mg."""
    dose, equivalent = _steroid_mg("prednisone_equivalent_mg", drug, dose_mg)
    return dose * STEROID_EQUIVALENT_MG["prednisone"] / equivalent


def methylprednisolone_equivalent_mg(*, drug: str, dose_mg: float) -> float:
    """Methylprednisolone-equivalent dose (mg) of a corticosteroid dose, e.g. prednisone 10 mg → 8 mg."""
    dose, equivalent = _steroid_mg("methylprednisolone_equivalent_mg", drug, dose_mg)
    return dose * STEROID_EQUIVALENT_MG["methylprednisolone"] / equivalent


def is_systemic_route(route: str | None) -> bool | None:
    """True for oral/IV/IM/SC routes, False for inhaled, topical, intra-articular, ophthalmic or nasal use.

    None when the route is not recorded or not recognised: the caller then cannot tell and needs review.
    """
    if route is None:
        return None
    key = route.strip().lower()
    if key in SYSTEMIC_ROUTES:
        return True
    if key in _LOCAL_ROUTES:
        return False
    return None


# --- washout ----------------------------------------------------------------------------------------------


def washout_days(*, days: int, half_life_days: float | None, half_lives: int) -> int | None:
    """Washout for "N days or K half-lives, whichever is longer": max(days, ceil(K × t½)) in whole days.

    None when the half-life is unknown: the caller then needs review. Inputs are checked even then.
    """
    name = "washout_days"
    for field, value in (("days", days), ("half_lives", half_lives)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise CalculatorInputError(name, field, f"must be a whole number ≥ 0 (got {value!r})")
    if half_life_days is None:
        return None
    half_life = _number(name, "half_life_days", half_life_days, above=0)
    # Round before ceil so float noise (5 × 0.6 = 3.0000000000000004) does not add a day.
    return max(days, math.ceil(round(half_lives * half_life, 9)))


# Terminal elimination half-lives (days) of drugs the seed protocols name or commonly meet, each from the US
# prescribing information (section 12.3, Pharmacokinetics): the label's mean value, or the upper end where the
# label states only a typical range (dasatinib, hydroxyurea), so that a washout is not cut short.
HALF_LIFE_DAYS: dict[str, float] = {
    "imatinib": 18 / 24,  # Gleevec: ~18 h (active N-desmethyl metabolite ~40 h)
    "dasatinib": 5 / 24,  # Sprycel: mean terminal half-life 3-5 h
    "nilotinib": 17 / 24,  # Tasigna: apparent elimination half-life ~17 h
    "ponatinib": 24 / 24,  # Iclusig: mean terminal half-life ~24 h (range 12-66 h)
    "hydroxyurea": 4 / 24,  # Hydrea/Droxia: a few hours (about 2-4 h); the upper end is used
    "enzalutamide": 5.8,  # Xtandi: mean terminal half-life 5.8 days (range 2.8-10.2)
    "abiraterone": 12 / 24,  # Zytiga: mean terminal half-life 12 ± 5 h
    "docetaxel": 11.1 / 24,  # Taxotere: terminal (gamma) half-life 11.1 h
    "cabazitaxel": 95 / 24,  # Jevtana: terminal half-life 95 h
    "pembrolizumab": 22.0,  # Keytruda: terminal half-life 22 days
    "nivolumab": 25.0,  # Opdivo: elimination half-life 25 days
    "olaparib": 14.9 / 24,  # Lynparza tablets: mean terminal half-life 14.9 h
}
