from datetime import date

import pytest

from engine.dates import DateSpan, Duration, parse_partial_date, shift


def test_partial_dates_become_spans():
    assert parse_partial_date("2026-03-14") == DateSpan.exact(date(2026, 3, 14))
    assert parse_partial_date("2026-02") == DateSpan(date(2026, 2, 1), date(2026, 2, 28))
    assert parse_partial_date("2024") == DateSpan(date(2024, 1, 1), date(2024, 12, 31))


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        ("2026-13", "'2026-13' is not a calendar date (month must be in 1..12, not 13)"),
        ("1960-02-30", "'1960-02-30' is not a calendar date (day is out of range for month)"),
        ("0000", "'0000' is not a calendar date (year 0 is out of range)"),
        ("14/03/2026", "'14/03/2026' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"),
        ("yesterday", "'yesterday' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"),
        ("٢٠٢٦", "is not a date"),  # Arabic-Indic digits: ISO dates are ASCII
        ("../..", "'../..' has neither a start nor an end"),
        ("2026-03/2026-01", "'2026-03/2026-01' ends before it starts"),
    ],
)
def test_bad_dates_are_errors(bad, problem):
    with pytest.raises(ValueError) as err:
        parse_partial_date(bad)
    assert problem in str(err.value)


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


def test_open_ends_are_the_first_and_last_day_of_the_calendar():
    before = parse_partial_date("../2026-11-19")
    after = parse_partial_date("2026-11-01/..")
    assert before == DateSpan(None, date(2026, 11, 19)) == DateSpan(date.min, date(2026, 11, 19))
    assert after == DateSpan(date(2026, 11, 1), date.max)
    assert before.is_open and after.is_open and not parse_partial_date("2026").is_open
    assert str(before) == "on or before 2026-11-19" and str(after) == "on or after 2026-11-01"
    assert before.isoformat() == "../2026-11-19" and after.isoformat() == "2026-11-01/.."
    assert parse_partial_date(before.isoformat()) == before


def test_the_first_and_last_day_themselves_are_exact_not_open():
    assert not DateSpan.exact(date.min).is_open and not DateSpan.exact(date.max).is_open
    assert DateSpan.exact(date.max).isoformat() == "9999-12-31"


@pytest.mark.parametrize(
    ("start", "duration", "sign", "expected"),
    [
        (date(1, 1, 5), Duration(10, "days"), -1, date.min),
        (date(1, 3, 1), Duration(2, "weeks"), -1, date(1, 2, 15)),
        (date(1, 3, 1), Duration(1, "years"), -1, date.min),
        (date(2, 3, 31), Duration(13, "months"), -1, date(1, 2, 28)),
        (date(2, 3, 31), Duration(14, "months"), -1, date(1, 1, 31)),
        (date(2, 1, 31), Duration(14, "months"), -1, date.min),
        (date(9999, 12, 31), Duration(1, "days"), +1, date.max),
        (date(9999, 6, 30), Duration(1, "years"), +1, date.max),
        (date(9999, 11, 30), Duration(1, "months"), +1, date(9999, 12, 30)),
        (date(2026, 1, 1), Duration(10**15, "weeks"), -1, date.min),
        (date(2026, 1, 1), Duration(10**15, "months"), +1, date.max),
        (date(9999, 12, 31), Duration(48, "hours"), +1, date.max),
    ],
)
def test_shift_saturates_at_the_ends_of_the_calendar(start, duration, sign, expected):
    assert shift(start, duration, sign=sign) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-01/2026-09-01/2026-11-19",
        "2026-11-10/../2026-11-12",
        "2026-11-10//2026-11-12",
        "/2026-11-12",
    ],
)
def test_a_malformed_interval_is_refused_not_shortened(text):
    with pytest.raises(ValueError, match="is not an interval"):
        parse_partial_date(text)


def test_a_date_written_with_slashes_is_named_as_not_a_date():
    with pytest.raises(ValueError, match="'2026/11/19' is not a date"):
        parse_partial_date("2026/11/19")
