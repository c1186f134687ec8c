from datetime import date

import pytest

from engine.dates import DateSpan, Duration, parse_partial_date, shift


def test_partial_dates_become_spans():
    assert parse_partial_date("2026-03-14") == DateSpan.exact(date(2026, 3, 14))
    assert parse_partial_date("2026-02") == DateSpan(date(2026, 2, 1), date(2026, 2, 28))
    assert parse_partial_date("2024") == DateSpan(date(2024, 1, 1), date(2024, 12, 31))


@pytest.mark.parametrize("bad", ["2026-13", "14/03/2026", "yesterday"])
def test_bad_dates_are_errors(bad):
    with pytest.raises(ValueError):
        parse_partial_date(bad)


def test_month_arithmetic_clamps_to_month_end():
    assert shift(date(2026, 8, 31), Duration(6, "months")) == date(2026, 2, 28)
    assert shift(date(2026, 3, 31), Duration(1, "months"), sign=+1) == date(2026, 4, 30)


def test_hours_are_whole_days():
    assert shift(date(2026, 12, 1), Duration(72, "hours")) == date(2026, 11, 28)
    assert shift(date(2026, 11, 28), Duration(72, "hours"), sign=+1) == date(2026, 12, 1)


def test_intervals_and_open_ends_round_trip_through_the_patient_model():
    from engine.patient import Condition

    c = Condition(code="acute GVHD", status="present", onset="2026-01", resolved="2026-02-10/..")
    assert c.resolved == DateSpan(date(2026, 2, 10), None)
    again = Condition.model_validate(c.model_dump())
    assert again == c and c.model_dump()["onset"] == "2026-01-01/2026-01-31"
