"""engine.calculators against published worked examples (each cited) and properties that must always hold.

Tolerances follow the source's rounding: a value printed to 0.1 is checked to ±0.05, an integer to ±0.5.
"""

from __future__ import annotations

import itertools
import math
from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from engine import calculators as calc
from engine.errors import CalculatorInputError

INCH = 2.54  # cm

ages = st.floats(min_value=18, max_value=100)
weights = st.floats(min_value=30, max_value=250)
creatinines = st.floats(min_value=0.2, max_value=15)


# --- age ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "on", "years"),
    [
        (date(1980, 6, 15), date(2026, 6, 14), 45),  # the day before the birthday
        (date(1980, 6, 15), date(2026, 6, 15), 46),  # on the birthday
        (date(2000, 2, 29), date(2023, 2, 28), 22),  # leap-day birthday not yet reached in a common year
        (date(2000, 2, 29), date(2023, 3, 1), 23),  # ... reached on 1 March
        (date(2000, 2, 29), date(2024, 2, 29), 24),  # ... and on the day itself in a leap year
        (date(2026, 1, 1), date(2026, 1, 1), 0),
    ],
)
def test_age_in_years_counts_completed_years(born: date, on: date, years: int) -> None:
    assert calc.age_in_years(born, on) == years


def test_age_in_years_rejects_a_date_before_birth() -> None:
    with pytest.raises(CalculatorInputError) as err:
        calc.age_in_years(date(2000, 1, 2), date(2000, 1, 1))
    assert str(err.value) == "age_in_years: input 'on' 2000-01-01 is before the birth date 2000-01-02"


@given(st.dates(max_value=date(2100, 1, 1)), st.integers(0, 40000), st.integers(0, 400))
def test_age_never_decreases_as_time_passes(born: date, days: int, more: int) -> None:
    on = born + timedelta(days=days)
    assert 0 <= calc.age_in_years(born, on) <= calc.age_in_years(born, on + timedelta(days=more))


# --- body size ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("height_in", "female", "kg"),
    [
        (70, False, 73.0),  # worldlycalc.com/ideal-body-weight-calculator worked example: 5'10" man, 73 kg
        (66, True, 59.3),  # same page: 5'6" woman, 59.3 kg
        (64, False, 59.2),  # healthaide.info/2018/07/02/ideal-body-weight/ Example 1: 64 in man, 59.2 kg
    ],
)
def test_devine_ideal_body_weight_worked_examples(height_in: float, female: bool, kg: float) -> None:
    assert calc.ideal_body_weight_kg(height_in * INCH, female) == pytest.approx(kg, abs=0.05)


def test_adjusted_body_weight_worked_example() -> None:
    # theprimecalculator.com/health/adult-dosing-weight/formula: 70 in man, 110 kg -> IBW 73, AdjBW 87.8 kg
    ideal = calc.ideal_body_weight_kg(70 * INCH, female=False)
    assert calc.adjusted_body_weight_kg(110, ideal) == pytest.approx(87.8, abs=0.05)


def test_ideal_body_weight_rejects_heights_outside_the_formula() -> None:
    with pytest.raises(CalculatorInputError, match="height_cm"):
        calc.ideal_body_weight_kg(0, female=True)
    with pytest.raises(CalculatorInputError, match="outside the Devine formula"):
        calc.ideal_body_weight_kg(90, female=True)  # 45.5 + 2.3 × (35.4 − 60) < 0


@pytest.mark.parametrize(
    ("height_cm", "weight_kg", "m2", "tol"),
    [
        (175, 70, 1.845, 0.0005),  # omnicalc-8ti.pages.dev/health/body-surface-area-calculator: 1.845 m²
        (61 * INCH, 90.7, 1.98, 0.005),  # ehow.co.uk how_5718169: 61 in, 90.7 kg, Mosteller 1.98 m²
    ],
)
def test_mosteller_bsa_worked_examples(height_cm: float, weight_kg: float, m2: float, tol: float) -> None:
    assert calc.bsa_mosteller(height_cm=height_cm, weight_kg=weight_kg) == pytest.approx(m2, abs=tol)


@given(st.floats(50, 250), weights)
def test_mosteller_is_the_geometric_mean_form(height: float, weight: float) -> None:
    bsa = calc.bsa_mosteller(height_cm=height, weight_kg=weight)
    assert bsa**2 * 3600 == pytest.approx(height * weight)


# --- Cockcroft-Gault ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "weight", "scr", "female", "crcl"),
    [
        # Published checks in the project's reference notes (shared/notes/clinical-references.md), formula of
        # Cockcroft & Gault, Nephron 1976;16:31-41.
        (65, 70, 1.4, False, 52.1),
        (45, 60, 0.9, True, 74.8),
        (60, 80, 1.2, False, 74.1),
    ],
)
def test_cockcroft_gault_published_checks(age: int, weight: int, scr: float, female: bool, crcl: float) -> None:
    value = calc.cockcroft_gault(age_years=age, weight_kg=weight, creatinine_mg_dl=scr, female=female)
    assert value == pytest.approx(crcl, abs=0.05)


def test_cockcroft_gault_weight_bases() -> None:
    common = {
        "age_years": 60,
        "weight_kg": 110,
        "creatinine_mg_dl": 1.0,
        "female": False,
        "height_cm": 70 * INCH,
    }
    assert calc.cockcroft_gault(**common, weight_basis="ideal") == pytest.approx(80 * 73 / 72)
    assert calc.cockcroft_gault(**common, weight_basis="adjusted") == pytest.approx(80 * 87.8 / 72)
    assert calc.cockcroft_gault(**common) == pytest.approx(80 * 110 / 72)  # actual is the default


def test_cockcroft_gault_needs_height_for_ideal_weight() -> None:
    with pytest.raises(CalculatorInputError) as err:
        calc.cockcroft_gault(age_years=60, weight_kg=80, creatinine_mg_dl=1, female=False, weight_basis="ideal")
    assert str(err.value) == "cockcroft_gault: input 'height_cm' is required for weight_basis 'ideal'"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("age_years", -1),
        ("age_years", 140),
        ("age_years", math.nan),
        ("weight_kg", 0),
        ("weight_kg", -70),
        ("weight_kg", math.inf),
        ("creatinine_mg_dl", 0),
        ("creatinine_mg_dl", -1.0),
        ("creatinine_mg_dl", math.nan),
        ("weight_basis", "lean"),
    ],
)
def test_cockcroft_gault_rejects_impossible_inputs(field: str, value: object) -> None:
    inputs = {"age_years": 60, "weight_kg": 80, "creatinine_mg_dl": 1.0, "female": False, field: value}
    with pytest.raises(CalculatorInputError) as err:
        calc.cockcroft_gault(**inputs)
    assert err.value.field == field and err.value.calculator == "cockcroft_gault"


@given(ages, weights, creatinines, st.floats(0.01, 5), st.booleans())
def test_cockcroft_gault_strictly_decreases_as_creatinine_rises(
    age: float, weight: float, scr: float, rise: float, female: bool
) -> None:
    low = calc.cockcroft_gault(age_years=age, weight_kg=weight, creatinine_mg_dl=scr, female=female)
    high = calc.cockcroft_gault(age_years=age, weight_kg=weight, creatinine_mg_dl=scr + rise, female=female)
    assert high < low


# --- eGFR ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scr", "egfr"),
    [
        # Worked examples in the tabletools R package documentation (github.com/JMLuther/tabletools,
        # R/calculate_egfr_mdrd.R), IDMS-traceable MDRD (175) as published by the NKF: 50-year-old man.
        (0.6, 142.6),
        (2.0, 35.5),
    ],
)
def test_mdrd_idms_worked_examples(scr: float, egfr: float) -> None:
    value = calc.egfr_mdrd(creatinine_mg_dl=scr, age_years=50, female=False, black=False)
    assert value == pytest.approx(egfr, abs=0.05)


def test_mdrd_coefficients_and_original_constant() -> None:
    # Coefficients as published (kidney.org/content/mdrd-study-equation): 0.742 female, 1.212 Black, and
    # 186 for non-IDMS creatinine (Levey 1999/2000) instead of 175 (Levey 2006).
    base = calc.egfr_mdrd(creatinine_mg_dl=1.2, age_years=60, female=False, black=False)
    assert calc.egfr_mdrd(creatinine_mg_dl=1.2, age_years=60, female=True, black=True) == pytest.approx(
        base * 0.742 * 1.212
    )
    original = calc.egfr_mdrd(creatinine_mg_dl=1.2, age_years=60, female=False, black=False, idms=False)
    assert original == pytest.approx(base * 186 / 175)


@pytest.mark.parametrize(
    ("scr", "age", "female", "egfr", "tol"),
    [
        # NKF eGFR calculator (kidney.org/professionals/kdoqi/gfr_calculator) results recorded in
        # github.com/ml4oncology/ml4oncology scripts/unit_test.py: age 70, creatinine 200 and 100 µmol/L
        # (÷ 88.4 to mg/dL), reported as integers.
        (200 / 88.4, 70, False, 30, 0.5),
        (200 / 88.4, 70, True, 23, 0.5),
        (100 / 88.4, 70, False, 70, 0.5),
        (100 / 88.4, 70, True, 52, 0.5),
        # tabletools R package documentation (calculate_egfr_ckdepi), checked against the same NKF calculator.
        (0.8, 70, False, 95.2, 0.05),
        (0.8, 70, True, 79.2, 0.05),
    ],
)
def test_ckd_epi_2021_matches_the_nkf_calculator(scr: float, age: int, female: bool, egfr: float, tol: float) -> None:
    value = calc.egfr_ckd_epi_2021(creatinine_mg_dl=scr, age_years=age, female=female)
    assert value == pytest.approx(egfr, abs=tol)


def test_ckd_epi_2021_at_the_knot() -> None:
    # At Scr = κ both spline terms are 1 (Inker et al., NEJM 2021): eGFR = 142 × 0.9938^age (× 1.012 female).
    assert calc.egfr_ckd_epi_2021(creatinine_mg_dl=0.9, age_years=40, female=False) == pytest.approx(142 * 0.9938**40)
    assert calc.egfr_ckd_epi_2021(creatinine_mg_dl=0.7, age_years=40, female=True) == pytest.approx(
        142 * 0.9938**40 * 1.012
    )


@pytest.mark.parametrize("scr", [0, -0.5, math.nan, math.inf])
def test_egfr_rejects_impossible_creatinine(scr: float) -> None:
    with pytest.raises(CalculatorInputError, match="creatinine_mg_dl"):
        calc.egfr_mdrd(creatinine_mg_dl=scr, age_years=50, female=False, black=False)
    with pytest.raises(CalculatorInputError, match="creatinine_mg_dl"):
        calc.egfr_ckd_epi_2021(creatinine_mg_dl=scr, age_years=50, female=False)


def test_egfr_rejects_impossible_age() -> None:
    with pytest.raises(CalculatorInputError, match="age_years"):
        calc.egfr_mdrd(creatinine_mg_dl=1, age_years=0, female=False, black=False)  # age^−0.203
    with pytest.raises(CalculatorInputError, match="age_years"):
        calc.egfr_ckd_epi_2021(creatinine_mg_dl=1, age_years=-1, female=True)


@given(ages, creatinines, st.floats(0.01, 5), st.booleans(), st.booleans())
def test_egfr_strictly_decreases_as_creatinine_rises(
    age: float, scr: float, rise: float, female: bool, black: bool
) -> None:
    mdrd = [calc.egfr_mdrd(creatinine_mg_dl=s, age_years=age, female=female, black=black) for s in (scr, scr + rise)]
    epi = [calc.egfr_ckd_epi_2021(creatinine_mg_dl=s, age_years=age, female=female) for s in (scr, scr + rise)]
    assert mdrd[1] < mdrd[0] and epi[1] < epi[0]


# --- QTc ----------------------------------------------------------------------------------------------------

# Sci Rep 2021, doi:10.1038/s41598-021-93774-9 (PMC8275798), Figure 1 legend: three 10-s ECGs of one subject
# with heart rates 52.7, 52.6 and 85.9 bpm and QT 405, 405 and 395 ms gave Bazett QTc 379.4, 379.2, 472.7 ms
# and Fridericia QTc 387.7, 387.6, 445.2 ms. Heart rates are printed to 0.1 bpm (±0.05 bpm moves QTc by up to
# ±0.2 ms), hence the tolerance.
QTC_FIGURE_1 = [(52.7, 405, 379.4, 387.7), (52.6, 405, 379.2, 387.6), (85.9, 395, 472.7, 445.2)]


@pytest.mark.parametrize(("bpm", "qt", "bazett", "fridericia"), QTC_FIGURE_1)
def test_qtc_published_example(bpm: float, qt: float, bazett: float, fridericia: float) -> None:
    rr = calc.rr_seconds_from_heart_rate(bpm)
    assert calc.qtc_bazett(qt_ms=qt, rr_s=rr) == pytest.approx(bazett, abs=0.25)
    assert calc.qtc_fridericia(qt_ms=qt, rr_s=rr) == pytest.approx(fridericia, abs=0.25)


@given(st.floats(100, 1000))
def test_qtc_equals_qt_at_one_second(qt: float) -> None:
    assert calc.qtc_bazett(qt_ms=qt, rr_s=1.0) == qt
    assert calc.qtc_fridericia(qt_ms=qt, rr_s=1.0) == qt


@pytest.mark.parametrize(
    ("field", "qt", "rr"),
    [("qt_ms", 0, 1), ("qt_ms", 1000.5, 1), ("qt_ms", math.nan, 1), ("rr_s", 400, 0), ("rr_s", 400, -1)],
)
def test_qtc_rejects_impossible_inputs(field: str, qt: float, rr: float) -> None:
    for formula in (calc.qtc_bazett, calc.qtc_fridericia):
        with pytest.raises(CalculatorInputError) as err:
            formula(qt_ms=qt, rr_s=rr)
        assert err.value.field == field


@pytest.mark.parametrize("bpm", [0, -60, math.nan])
def test_heart_rate_must_be_positive(bpm: float) -> None:
    with pytest.raises(CalculatorInputError, match="'bpm'"):
        calc.rr_seconds_from_heart_rate(bpm)


def test_qt_limit_is_inclusive() -> None:
    assert calc.qtc_bazett(qt_ms=1000, rr_s=1) == 1000


# --- Child-Pugh ---------------------------------------------------------------------------------------------

FULL = {"bilirubin_mg_dl": 1.0, "albumin_g_dl": 4.0, "inr": 1.0, "ascites": "none", "encephalopathy": "none"}


@pytest.mark.parametrize(
    ("changes", "points", "klass"),
    [
        # Cut-offs of the published table, Cleveland Clinic J Med (ccjm.org, Child-Pugh Table 1): bilirubin
        # < 2 / 2-3 / > 3 mg/dL, albumin > 3.5 / 2.8-3.5 / < 2.8 g/dL, INR < 1.7 / 1.7-2.3 / > 2.3, ascites
        # absent / mild / moderate, encephalopathy none / grade 1-2 / grade 3-4; A 5-6, B 7-9, C ≥ 10.
        ({}, 5, "A"),
        ({"bilirubin_mg_dl": 2.0}, 6, "A"),  # 2 is in the 2-point band
        ({"bilirubin_mg_dl": 3.0, "albumin_g_dl": 3.5}, 7, "B"),  # 3 and 3.5 are band edges
        ({"bilirubin_mg_dl": 3.1, "albumin_g_dl": 2.8, "inr": 1.7}, 9, "B"),
        ({"bilirubin_mg_dl": 3.1, "albumin_g_dl": 2.7, "inr": 2.3}, 10, "C"),
        ({"inr": 2.4, "ascites": "mild", "encephalopathy": "grade 1-2"}, 9, "B"),
        (
            {
                "bilirubin_mg_dl": 4,
                "albumin_g_dl": 2,
                "inr": 3,
                "ascites": "moderate-severe",
                "encephalopathy": "grade 3-4",
            },
            15,
            "C",
        ),
    ],
)
def test_child_pugh_published_table(changes: dict[str, object], points: int, klass: str) -> None:
    result = calc.child_pugh(**(FULL | changes))
    assert (result.points_min, result.points_max, result.klass, result.missing) == (points, points, klass, ())
    assert result.albumin_cut == 3.5


@pytest.mark.parametrize(("albumin", "points_35", "points_30"), [(3.6, 1, 1), (3.2, 2, 2), (2.9, 2, 3)])
def test_child_pugh_albumin_variants(albumin: float, points_35: int, points_30: int) -> None:
    # 3.0 variant: albumin > 3.5 / 3.0-3.5 / < 3.0 g/dL, as in Harrison's and Durand & Valla's table
    # (pmc.ncbi.nlm.nih.gov/articles/PMC3017746, Table 1); the 3.5 default keeps Pugh's 2.8 g/dL lower cut.
    assert calc.child_pugh(**(FULL | {"albumin_g_dl": albumin})).points_min == 4 + points_35
    assert calc.child_pugh(**(FULL | {"albumin_g_dl": albumin}), albumin_cut=3.0).points_min == 4 + points_30


def test_child_pugh_partial_inputs() -> None:
    severe = calc.child_pugh(
        bilirubin_mg_dl=5, albumin_g_dl=2.0, inr=None, ascites="moderate-severe", encephalopathy=None
    )
    assert (severe.points_min, severe.points_max, severe.klass) == (11, 15, "C")  # C whatever is missing
    assert severe.missing == ("inr", "encephalopathy")
    undecided = calc.child_pugh(bilirubin_mg_dl=1, albumin_g_dl=None, inr=1, ascites="none", encephalopathy="none")
    assert (undecided.points_min, undecided.points_max, undecided.klass) == (5, 7, None)  # A or B: undecided
    nothing = calc.child_pugh(bilirubin_mg_dl=None, albumin_g_dl=None, inr=None, ascites=None, encephalopathy=None)
    assert (nothing.points_min, nothing.points_max, nothing.klass) == (5, 15, None)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("bilirubin_mg_dl", -0.1),
        ("albumin_g_dl", 0),
        ("inr", math.nan),
        ("ascites", "severe"),
        ("encephalopathy", "grade 2"),
        ("albumin_cut", 2.8),
    ],
)
def test_child_pugh_rejects_impossible_inputs(field: str, value: object) -> None:
    with pytest.raises(CalculatorInputError) as err:
        calc.child_pugh(**(FULL | {field: value}))
    assert err.value.field == field


GRADES = {
    "ascites": ["none", "mild", "moderate-severe"],
    "encephalopathy": ["none", "grade 1-2", "grade 3-4"],
}
maybe = st.none() | st.floats(0.1, 10)
inputs = st.fixed_dictionaries(
    {
        "bilirubin_mg_dl": maybe,
        "albumin_g_dl": maybe,
        "inr": maybe,
        "ascites": st.none() | st.sampled_from(GRADES["ascites"]),
        "encephalopathy": st.none() | st.sampled_from(GRADES["encephalopathy"]),
    }
)
CLASS_ORDER = {"A": 0, "B": 1, "C": 2}


def _worse(field: str, value: object) -> object:
    """A value one notch more abnormal than ``value`` for ``field``."""
    if field in GRADES:
        grades = GRADES[field]
        return grades[min(grades.index(value) + 1, 2)]
    return value - 0.5 if field == "albumin_g_dl" else value + 0.5


@given(inputs, st.sampled_from(list(FULL)), st.sampled_from([3.5, 3.0]))
def test_child_pugh_is_monotone_in_each_input(values: dict, field: str, cut: float) -> None:
    assume(values[field] is not None and not (field == "albumin_g_dl" and values[field] <= 0.5))
    before = calc.child_pugh(**values, albumin_cut=cut)
    after = calc.child_pugh(**(values | {field: _worse(field, values[field])}), albumin_cut=cut)
    assert after.points_min >= before.points_min and after.points_max >= before.points_max
    if before.klass and after.klass:
        assert CLASS_ORDER[after.klass] >= CLASS_ORDER[before.klass]


# One value per points band (1, 2, 3), valid for both albumin variants.
BAND_VALUES = {
    "bilirubin_mg_dl": (1.0, 2.5, 4.0),
    "albumin_g_dl": (4.0, 3.2, 2.0),
    "inr": (1.0, 2.0, 3.0),
    **{field: tuple(grades) for field, grades in GRADES.items()},
}


@given(inputs, st.sampled_from([3.5, 3.0]))
def test_child_pugh_class_is_decided_only_when_every_completion_agrees(values: dict, cut: float) -> None:
    result = calc.child_pugh(**values, albumin_cut=cut)
    assert 5 <= result.points_min <= result.points_max <= 15
    assert result.missing == tuple(field for field in FULL if values[field] is None)
    completions = [
        calc.child_pugh(**(values | dict(zip(result.missing, choice, strict=True))), albumin_cut=cut)
        for choice in itertools.product(*(BAND_VALUES[field] for field in result.missing))
    ]
    assert min(c.points_min for c in completions) == result.points_min
    assert max(c.points_max for c in completions) == result.points_max
    classes = {c.klass for c in completions}
    assert result.klass == (classes.pop() if len(classes) == 1 else None)


# --- corticosteroids ----------------------------------------------------------------------------------------


def test_steroid_equivalents() -> None:
    # Equivalences of Meikle & Tyler, Am J Med 1977;63:200 (GlobalRPh corticosteroid converter):
    # prednisone 5 mg = dexamethasone 0.75 mg = methylprednisolone 4 mg, so dexamethasone 4 mg ≈ 26.67 mg
    # prednisone and prednisone 10 mg = 8 mg methylprednisolone.
    assert calc.prednisone_equivalent_mg(drug="dexamethasone", dose_mg=4) == pytest.approx(26.67, abs=0.005)
    assert calc.methylprednisolone_equivalent_mg(drug="prednisone", dose_mg=10) == pytest.approx(8)
    assert calc.prednisone_equivalent_mg(drug="  Hydrocortisone ", dose_mg=20) == pytest.approx(5)
    assert calc.prednisone_equivalent_mg(drug="betamethasone", dose_mg=0) == 0


@pytest.mark.parametrize(("drug", "dose", "field"), [("budesonide", 9, "drug"), ("prednisone", -5, "dose_mg")])
def test_steroid_equivalents_reject_unknown_drugs_and_negative_doses(drug: str, dose: float, field: str) -> None:
    for convert in (calc.prednisone_equivalent_mg, calc.methylprednisolone_equivalent_mg):
        with pytest.raises(CalculatorInputError) as err:
            convert(drug=drug, dose_mg=dose)
        assert err.value.field == field


@given(st.sampled_from(sorted(calc.STEROID_EQUIVALENT_MG)), st.floats(0, 1000))
def test_steroid_conversions_agree_with_each_other(drug: str, dose: float) -> None:
    prednisone = calc.prednisone_equivalent_mg(drug=drug, dose_mg=dose)
    methylpred = calc.methylprednisolone_equivalent_mg(drug=drug, dose_mg=dose)
    assert methylpred == pytest.approx(prednisone * 4 / 5)


@pytest.mark.parametrize(
    ("route", "systemic"),
    [
        ("oral", True),
        ("PO", True),
        (" IV ", True),
        ("intramuscular", True),
        ("sc", True),
        ("inhaled", False),
        ("topical", False),
        ("intra-articular", False),
        ("ophthalmic", False),
        ("nasal", False),
        (None, None),
        ("", None),
        ("rectal", None),  # not recognised: a person decides
    ],
)
def test_is_systemic_route(route: str | None, systemic: bool | None) -> None:
    assert calc.is_systemic_route(route) is systemic


# --- washout ------------------------------------------------------------------------------------------------


def test_washout_takes_the_longer_of_days_and_half_lives() -> None:
    # NCT07310355: "within 28 days or 5 half-lives prior to consent (whichever is longer)".
    assert calc.washout_days(days=28, half_life_days=calc.HALF_LIFE_DAYS["enzalutamide"], half_lives=5) == 29
    assert calc.washout_days(days=28, half_life_days=calc.HALF_LIFE_DAYS["abiraterone"], half_lives=5) == 28
    assert calc.washout_days(days=28, half_life_days=calc.HALF_LIFE_DAYS["pembrolizumab"], half_lives=5) == 110
    assert calc.washout_days(days=28, half_life_days=None, half_lives=5) is None
    assert calc.washout_days(days=0, half_life_days=0.6, half_lives=5) == 3  # 5 × 0.6 is 3.0000000000000004


@pytest.mark.parametrize(
    ("days", "half_life", "half_lives", "field"),
    [
        (-1, 1.0, 5, "days"),
        (28, 0.0, 5, "half_life_days"),
        (28, 1.0, -5, "half_lives"),
        (28.5, None, 5, "days"),
    ],
)
def test_washout_rejects_impossible_inputs(days: int, half_life: float, half_lives: int, field: str) -> None:
    with pytest.raises(CalculatorInputError) as err:
        calc.washout_days(days=days, half_life_days=half_life, half_lives=half_lives)
    assert err.value.field == field


@given(st.integers(0, 365), st.floats(0.01, 60), st.integers(1, 10))
def test_washout_is_at_least_both_rules(days: int, half_life: float, half_lives: int) -> None:
    result = calc.washout_days(days=days, half_life_days=half_life, half_lives=half_lives)
    assert result >= days and result >= half_lives * half_life - 1e-6 and result - 1 < max(days, half_lives * half_life)


def test_half_life_table_is_lower_case_and_positive() -> None:
    assert all(name == name.strip().lower() and days > 0 for name, days in calc.HALF_LIFE_DAYS.items())
    assert all(name == name.strip().lower() for name in calc.STEROID_EQUIVALENT_MG)
