"""The rules of English every sentence follows (engine/words.py), each from a sentence users reported."""

import pytest

from engine.words import (
    a,
    count,
    evidence_text,
    join_and,
    join_or,
    join_settle,
    none_recorded,
    plural,
    quantity,
    settle_items,
    unit_text,
    units_in_text,
    unmapped_kinds,
)


@pytest.mark.parametrize(
    ("noun", "phrase"),
    [
        ("AXL positivity rate result", "an AXL positivity rate result"),  # reported: "a AXL"
        ("absolute neutrophil count result", "an absolute neutrophil count result"),  # reported
        ("ALT result", "an ALT result"),
        ("HBsAg result", "an HBsAg result"),
        ("SpO2 on room air result", "an SpO2 on room air result"),
        ("LVEF result", "an LVEF result"),
        ("CD7-positive blasts result", "a CD7-positive blasts result"),
        ("QT interval result", "a QT interval result"),
        ("68Ga-PSMA-11 PET result", "a 68Ga-PSMA-11 PET result"),
        ("8-week washout", "an 8-week washout"),
        ("hemoglobin result", "a hemoglobin result"),
        ("hour", "an hour"),
        ("urine test", "a urine test"),
        ("unit", "a unit"),
        ("expected lifespan result", "an expected lifespan result"),
    ],
)
def test_the_article_follows_the_sound(noun, phrase):
    assert a(noun) == phrase


def test_numbers_agree_with_their_nouns():
    assert count(1, "patient") == "1 patient"  # reported: "1 patients"
    assert count(0, "patient") == "0 patients"
    assert count(3, "result") == "3 results"
    assert count(1, "criterion") == "1 criterion" and count(55, "criterion") == "55 criteria"
    assert plural("therapy") == "therapies" and plural("day") == "days" and plural("analysis") == "analyses"


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (64.0, "10^9/L", "64 × 10⁹/L"),  # reported: "64 10^9/L"
        (1.5, "x10^9/L", "1.5 × 10⁹/L"),
        (3.0, "10^3/uL", "3 × 10³/µL"),
        (12.0, "month", "12 months"),  # reported: "12 month"
        (1.0, "month", "1 month"),
        (25.0, "%", "25%"),
        (120.0, "mm[Hg]", "120 mmHg"),
        (1.2, "ug/mL", "1.2 µg/mL"),
        (2.0, "1", "2"),
        ("0.57", "mg/dL", "0.57 mg/dL"),
    ],
)
def test_quantities_read_as_people_write_them(value, unit, shown):
    assert quantity(value, unit) == shown


def test_units_written_by_a_ruleset_are_shown_the_same_way():
    assert units_in_text("1.0 x10^9/L") == "1.0 × 10⁹/L"
    assert units_in_text("30 ×10^9/L") == "30 × 10⁹/L"
    assert units_in_text("> 25 %") == "> 25%"
    assert unit_text("10^9/L") == "× 10⁹/L" and unit_text("1") == "" and unit_text(None) == ""


def test_lists_read_as_lists_and_say_each_item_once():
    assert join_and([]) == "" and join_and(["a"]) == "a" and join_and(["a", "b"]) == "a and b"
    assert join_and(["a", "b", "c"]) == "a, b and c"
    assert join_or(["positive", "negative", "positive"]) == "positive or negative"


def test_a_negative_finding_reads_right_whatever_the_label_starts_with():
    where = "the complete condition history"
    assert none_recorded("eosinophilic leukemia", where) == "no eosinophilic leukemia in the complete condition history"
    # reported: "no no remission after ≥6 weeks", "no another malignancy"
    assert none_recorded("no remission after ≥6 weeks", where) == (
        "no remission after ≥6 weeks: none in the complete condition history"
    )
    assert none_recorded("another malignancy", where) == "another malignancy: none in the complete condition history"


def test_what_would_settle_a_fact_is_said_once_and_splits_into_its_items():
    # reported: "the enrollment date; the enrollment date"
    joined = join_settle(["the enrollment date", "a body weight result", "the enrollment date", ""])
    assert joined == "the enrollment date; a body weight result"
    assert settle_items(joined) == ["the enrollment date", "a body weight result"]


def test_evidence_does_not_repeat_its_value_as_its_date():
    # reported: "birth_date: 1992-04-17 (1992-04-17)"
    assert evidence_text("birth_date", "1992-04-17", "1992-04-17") == "birth_date: 1992-04-17"
    assert evidence_text("lab-plt", "64 × 10⁹/L", "2026-11-19") == "lab-plt: 64 × 10⁹/L (2026-11-19)"
    assert evidence_text("sex", "female") == "sex: female"


def test_unmapped_records_are_listed_once_per_code_with_their_count():
    unmapped = [
        "Condition/a http://snomed.info/sct|160903007 Full-time employment (finding)",
        "Observation/b http://loinc.org|72166-2 Tobacco smoking status NHIS",
        "Condition/c http://snomed.info/sct|160903007 Full-time employment (finding)",
        "conditions[3] |X99 mystery",
    ]
    assert unmapped_kinds(unmapped) == [
        "http://snomed.info/sct|160903007 Full-time employment (finding): 2 Condition records",
        "http://loinc.org|72166-2 Tobacco smoking status NHIS: 1 Observation record",
        "|X99 mystery: 1 record",
    ]
