"""Observations a criterion may not decide on: impossible values, implausible reference ranges, and results
that conflict with another result that could equally be the latest. Each is a review naming the records."""

from datetime import date
from pathlib import Path

import pytest

from engine.catalog import get_catalog
from engine.evaluate.nodes import Truth
from engine.facts.extract import PatientIndex, extract_facts
from engine.facts.model import Range
from engine.patient import patient_from_data
from engine.rules.language import parse_sentence

AS_OF = date(2026, 11, 20)


def screen(sentence: str, *labs: dict, **patient):
    """The fact a criterion sentence reads for a patient with these labs, and the criterion's truth."""
    cat = get_catalog()
    node = parse_sentence(cat, sentence)
    data = {"id": "p", "reference_dates": {"screening": AS_OF}, "labs": list(labs)} | patient
    facts = extract_facts(PatientIndex(patient_from_data(data), cat, AS_OF), list(node.requests()), "NCT0")
    return facts[node.request], node.evaluate(facts).truth


def lab(code: str, value, unit: str | None = None, when: str | None = "2026-11-19", **extra) -> dict:
    return {"code": code, "value": value, "unit": unit, "date": when} | extra


def uln(high: float, unit: str | None = None, low: float | None = None) -> dict:
    return {"reference_range": {"high": high, "unit": unit, "low": low}}


# --- plausibility: a value outside the catalog's physiological bounds is never used -------------------------


@pytest.mark.parametrize(
    ("sentence", "record"),
    [
        ("hemoglobin >= 9 g/dL", lab("hemoglobin", 980, "g/L")),
        ("hemoglobin >= 9 g/dL", lab("hemoglobin", 1e12, "g/dL")),
        ("platelets >= 100 10^9/L", lab("platelets", 64000, "K/uL")),
        ("serum creatinine <= 1.5 mg/dL", lab("creatinine", 0, "mg/dL")),
        ("INR <= 1.5", lab("INR", 0.1, "1")),
        ("INR <= 1.5", lab("INR", 80, "1")),
        ("total bilirubin <= 1.5 mg/dL", lab("total bilirubin", 250, "mg/dL")),
        ("ALT <= 100 U/L", lab("ALT", 0, "U/L")),
        ("ECOG performance status <= 1", lab("ECOG", 0.5, "1")),
    ],
)
def test_an_impossible_value_is_ambiguous_naming_the_record(sentence, record):
    fact, truth = screen(sentence, record)
    assert truth is Truth.UNKNOWN
    assert fact.value is None and fact.reason.kind == "ambiguous"
    assert "labs[0]" in fact.reason.message and "is outside the possible range" in fact.reason.message


@pytest.mark.parametrize(
    ("sentence", "record"),
    [
        ("hemoglobin >= 9 g/dL", lab("hemoglobin", 98, "g/L")),
        ("platelets >= 100 10^9/L", lab("platelets", 1500, "K/uL")),
        ("serum creatinine <= 1.5 mg/dL", lab("creatinine", 0.2, "mg/dL")),
        ("INR <= 1.5", lab("INR", 1.1, "1")),
    ],
)
def test_a_real_value_is_used(sentence, record):
    fact, truth = screen(sentence, record)
    assert fact.reason is None and truth is not Truth.UNKNOWN


def test_every_numeric_observation_of_the_catalog_has_both_bounds():
    numeric = {k: v for k, v in get_catalog().observations.items() if v.unit is not None}
    assert numeric
    unbounded = [k for k, v in numeric.items() if v.min is None or v.max is None]
    assert unbounded == []
    assert all(v.min < v.max for v in numeric.values())  # type: ignore[operator]


# --- reference ranges are checked before a × ULN ratio is used -----------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "record", "says"),
    [
        (
            "ALT <= 3 x ULN",
            lab("ALT", 50, "U/L", **uln(41000, "U/L")),
            "labs[0]: reference range ULN 41000 U/L is implausible for ALT (usual ≈ 36 U/L)",
        ),
        (
            "total bilirubin <= 2 x ULN",
            lab("total bilirubin", 1.0, "mg/dL", **uln(21)),
            "labs[0]: reference range ULN 21 mg/dL is implausible for total bilirubin (usual ≈ 1.2 mg/dL)",
        ),
        (
            "ALT <= 3 x ULN",
            lab("ALT", 30, "U/L", **uln(40, "U/L", low=50)),
            "labs[0]: reference range low 50 is not below its high 40",
        ),
        (
            "serum creatinine <= 2 x ULN",
            lab("creatinine", 1.0, "mg/dL", **uln(1.2, "kg")),
            "labs[0]: reference range unit",
        ),
        (
            "ALT <= 3 x ULN",
            lab("ALT", 30, "U/L", **uln(0, "U/L")),
            "labs[0]: reference range ULN 0 U/L is not positive",
        ),
        ("ALT <= 3 x ULN", lab("ALT", 30, "U/L", **uln(-40, "U/L")), "is not positive"),
    ],
)
def test_an_implausible_reference_range_is_ambiguous(sentence, record, says):
    fact, truth = screen(sentence, record, sex="male")
    assert truth is Truth.UNKNOWN
    assert fact.value is None and fact.reason.kind == "ambiguous"
    assert says in fact.reason.message


def test_a_range_without_a_unit_takes_the_unit_of_the_result():
    fact, truth = screen("total bilirubin <= 2 x ULN", lab("total bilirubin", 17, "µmol/L", **uln(21)))
    assert fact.value == pytest.approx(17 / 21, rel=1e-4) and truth is Truth.TRUE


def test_creatinine_uln_is_checked_against_the_usual_value_for_either_sex_when_sex_is_unknown():
    fact, _ = screen("serum creatinine <= 2 x ULN", lab("creatinine", 1.0, "mg/dL", **uln(1.2, "mg/dL")))
    assert fact.value == pytest.approx(1 / 1.2, rel=1e-4)


# --- conflicts: every reading that could be the latest is considered -----------------------------------------


@pytest.mark.parametrize("other_date", ["2026-11", None, "2026-11-19"])
def test_results_that_could_each_be_the_latest_make_a_range_naming_both(other_date):
    records = (lab("hemoglobin", 98, "g/L"), lab("hemoglobin", 60, "g/L", other_date))
    fact, truth = screen("hemoglobin >= 9 g/dL", *records)
    assert fact.value == Range(6.0, 9.8)
    assert fact.reason.kind == "ambiguous"
    assert "labs[0]" in fact.reason.message and "labs[1]" in fact.reason.message
    assert {e.source for e in fact.evidence} == {"labs[0]", "labs[1]"}
    assert truth is Truth.UNKNOWN
    _, decided = screen("hemoglobin >= 5 g/dL", *records)
    assert decided is Truth.TRUE  # both values meet it
    _, decided = screen("hemoglobin >= 10 g/dL", *records)
    assert decided is Truth.FALSE  # neither does


def test_conflict_message_is_exact():
    fact, _ = screen("hemoglobin >= 9 g/dL", lab("hemoglobin", 98, "g/L"), lab("hemoglobin", 60, "g/L", "2026-11"))
    assert fact.reason.message == (
        "conflicting hemoglobin results, each possibly the latest: labs[1] 60 g/L = 6 g/dL dated between "
        "2026-11-01 and 2026-11-30; labs[0] 98 g/L = 9.8 g/dL dated 2026-11-19"
    )


def test_an_older_result_does_not_conflict_with_a_newer_one():
    fact, truth = screen(
        "hemoglobin >= 9 g/dL", lab("hemoglobin", 98, "g/L"), lab("hemoglobin", 60, "g/L", "2026-10-01")
    )
    assert fact.value == 9.8 and fact.reason is None and truth is Truth.TRUE


def test_the_same_result_twice_is_not_a_conflict():
    fact, truth = screen("hemoglobin >= 9 g/dL", lab("hemoglobin", 98, "g/L"), lab("hemoglobin", 9.8, "g/dL", None))
    assert fact.value == 9.8 and fact.reason is None and truth is Truth.TRUE
    assert {e.source for e in fact.evidence} == {"labs[0]", "labs[1]"}


def test_one_value_with_two_reference_ranges_gives_a_range_of_ratios():
    records = (lab("ALT", 50, "U/L", **uln(40, "U/L")), lab("ALT", 50, "U/L", **uln(60, "U/L")))
    fact, truth = screen("ALT <= 1 x ULN", *records)
    assert fact.value == Range(pytest.approx(50 / 60, rel=1e-4), 1.25)
    assert fact.reason.kind == "ambiguous" and "labs[0]" in fact.reason.message and "labs[1]" in fact.reason.message
    assert truth is Truth.UNKNOWN
    assert screen("ALT <= 3 x ULN", *records)[1] is Truth.TRUE


def test_an_implausible_result_that_could_be_the_latest_is_never_outvoted():
    fact, truth = screen(
        "hemoglobin >= 9 g/dL", lab("hemoglobin", 98, "g/L"), lab("hemoglobin", 980, "g/L", "2026-11-19", id="h2")
    )
    assert fact.value is None and "h2" in fact.reason.message and truth is Truth.UNKNOWN


def test_categorical_results_that_disagree_are_ambiguous_naming_both():
    fact, truth = screen("HBsAg is negative", lab("HBsAg", "positive"), lab("HBsAg", "negative", None))
    assert fact.value is None and fact.reason.kind == "ambiguous"
    assert "labs[0]" in fact.reason.message and "labs[1]" in fact.reason.message
    assert truth is Truth.UNKNOWN


def test_numeric_observation_requests_carry_low_and_high_fields():
    requests = {
        r.code + ("/uln" if r.per_uln else ""): r
        for text in ("hemoglobin >= 9 g/dL", "ALT <= 3 x ULN", "HBsAg is negative")
        for r in parse_sentence(get_catalog(), text).requests()
    }
    assert requests["hemoglobin"].ranged and requests["alt/uln"].ranged
    assert not requests["hbsag"].ranged


# --- a partial date decides a window only when its whole span is on one side ---------------------------------


@pytest.mark.parametrize("when", ["2026-10", "2026", "2026-10-20/2026-10-30"])
def test_a_partial_date_straddling_the_window_start_is_not_inside(when):
    fact, truth = screen("hemoglobin >= 9 g/dL within 28 days before screening", lab("hemoglobin", 10, "g/dL", when))
    assert fact.value is None and fact.reason.kind == "ambiguous" and truth is Truth.UNKNOWN


@pytest.mark.parametrize("when", ["2026-11", "2026-11-19/..", "2026"])
def test_a_partial_date_that_may_fall_after_the_as_of_date_is_not_inside(when):
    fact, truth = screen("hemoglobin >= 9 g/dL within 28 days before screening", lab("hemoglobin", 10, "g/dL", when))
    assert fact.value is None and fact.reason.kind == "ambiguous" and truth is Truth.UNKNOWN
    if when != "2026":
        assert (
            fact.reason.message
            == f"hemoglobin dated {fact.evidence[0].date} (labs[0]) may be after the as-of date 2026-11-20"
        )


def test_a_partial_date_wholly_inside_the_window_decides():
    fact, truth = screen(
        "hemoglobin >= 9 g/dL within 28 days before screening", lab("hemoglobin", 10, "g/dL", "2026-11-01/2026-11-19")
    )
    assert fact.value == 10 and truth is Truth.TRUE


def test_a_result_that_may_be_after_the_as_of_date_conflicts_with_the_newest():
    fact, truth = screen("hemoglobin >= 9 g/dL", lab("hemoglobin", 10, "g/dL"), lab("hemoglobin", 5, "g/dL", "2026-11"))
    assert fact.value == Range(5.0, 10.0) and truth is Truth.UNKNOWN


# --- through the screener (durable-rules and the reference evaluation both decide) ---------------------------

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def screener():
    from engine import Screener

    return Screener.from_directory(ROOT / "rulesets")


def hb_criterion(screener, *labs: dict):
    """NCT07245251 INC-07a requires hemoglobin ≥ 60 g/L."""
    patient = patient_from_data({"id": "p", "reference_dates": {"screening": AS_OF}, "labs": list(labs)})
    return screener.screen(patient, as_of=AS_OF, trials=["NCT07245251"])[0].criterion("INC-07a")


def test_a_conflict_that_decides_differently_needs_review_naming_both(screener):
    c = hb_criterion(screener, lab("hemoglobin", 98, "g/L", id="hb-1"), lab("hemoglobin", 50, "g/L", None, id="hb-2"))
    assert c.verdict == "needs-review" and c.reasons[0].kind == "ambiguous"
    assert "hb-1" in c.reasons[0].message and "hb-2" in c.reasons[0].message


def test_a_conflict_whose_values_all_meet_the_criterion_decides(screener):
    c = hb_criterion(screener, lab("hemoglobin", 98, "g/L"), lab("hemoglobin", 70, "g/L", "2026-11"))
    assert c.verdict == "eligible"


def test_an_impossible_value_never_makes_a_criterion_eligible(screener):
    c = hb_criterion(screener, lab("hemoglobin", 980, "g/L", id="hb-1"))
    assert c.verdict == "needs-review" and "hb-1" in c.reasons[0].message


def test_every_usual_uln_converts_to_its_catalog_unit_for_either_sex():
    from engine.facts.observations import _default_uln, _usual_uln

    ix = PatientIndex(patient_from_data({"id": "p"}), get_catalog(), AS_OF)
    for code in _default_uln():
        low, high, _ = _usual_uln(ix, code)
        assert isinstance(low, float) and 0 < low <= high, code


@pytest.mark.parametrize("unit", ["mg", "kg", "U/L", "µmol"])
def test_a_unit_that_cannot_be_converted_is_ambiguous_naming_the_record(unit):
    fact, truth = screen("serum creatinine <= 1.5 mg/dL", lab("creatinine", 1.0, unit, id="crea-1"))
    assert fact.value is None and fact.reason.kind == "ambiguous" and truth is Truth.UNKNOWN
    assert fact.reason.message.startswith("serum creatinine unit (crea-1): ")
