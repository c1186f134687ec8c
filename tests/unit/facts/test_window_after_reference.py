"""'Within N days before the first dose' ends at the first dose: a result taken after it does not count."""

from __future__ import annotations

from datetime import date

from engine.catalog import get_catalog
from engine.dates import Duration
from engine.facts.extract import PatientIndex
from engine.facts.model import Window
from engine.facts.observations import observation
from engine.patient import patient_from_data

WINDOW = Window(Duration(3, "days"), "first_dose")


def _fact(test_day: str, first_dose: str | None, *more: dict):
    data = {
        "id": "p",
        "reference_dates": {"screening": "2026-11-15", **({"first_dose": first_dose} if first_dose else {})},
        "labs": [{"id": "hcg", "code": "pregnancy test", "value": "negative", "date": test_day}, *more],
    }
    return observation(
        PatientIndex(patient_from_data(data), get_catalog(), date(2026, 11, 25)), "pregnancy_test", WINDOW, False
    )


def test_a_result_after_the_first_dose_does_not_count_before_it():
    fact = _fact("2026-11-22", "2026-11-21")
    assert fact.value is None and fact.reason.kind == "missing"
    assert fact.reason.message == (
        "pregnancy test dated 2026-11-22 (hcg) is after the first dose date 2026-11-21: "
        "the criterion needs one within 3 days before first dose"
    )


def test_a_result_on_the_day_of_the_first_dose_counts():
    assert _fact("2026-11-21", "2026-11-21").value == "negative"


def test_a_month_that_reaches_past_the_first_dose_is_undecided():
    fact = _fact("2026-11", "2026-11-21")
    assert fact.value is None and fact.reason.kind == "ambiguous"


def test_a_newer_result_after_the_first_dose_that_disagrees_leaves_it_to_a_person():
    fact = _fact(
        "2026-11-19", "2026-11-21", {"id": "late", "code": "pregnancy test", "value": "positive", "date": "2026-11-23"}
    )
    assert fact.value is None and fact.reason.kind == "ambiguous"
    assert "late" in fact.reason.message and "hcg" in fact.reason.message


def test_a_newer_result_after_the_first_dose_that_agrees_does_not_stand_in_the_way():
    fact = _fact("2026-11-19", "2026-11-21", {"code": "pregnancy test", "value": "negative", "date": "2026-11-23"})
    assert fact.value == "negative"


def test_with_the_first_dose_not_yet_given_nothing_is_after_it():
    fact = _fact("2026-11-22", None)
    assert fact.value is None and fact.reason.kind == "missing"
    assert "the first dose date is not yet given" in fact.reason.message
