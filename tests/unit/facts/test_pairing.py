"""Derived measures combine only results that belong together: QT with the heart rate (or RR interval) of the
same ECG, lab results and body measures close enough in time, and a PSA series whose rises are current."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.catalog import get_catalog
from engine.facts.extract import PatientIndex, extract_facts
from engine.facts.model import DerivedRequest, Fact
from engine.patient import patient_from_data
from engine.rules.language import parse_sentence, parse_window

AS_OF = date(2026, 11, 20)
UNITS = {
    "qt": "ms",
    "heart_rate": "bpm",
    "rr_interval": "ms",
    "creatinine": "mg/dL",
    "weight": "kg",
    "height": "cm",
    "PSA": "ng/mL",
    "total bilirubin": "mg/dL",
    "albumin": "g/dL",
    "INR": "1",
}


def fact(sentence: str, *records: dict, **patient) -> Fact:
    cat = get_catalog()
    node = parse_sentence(cat, sentence)
    data = {"id": "p", "reference_dates": {"screening": AS_OF}, "labs": list(records)} | patient
    return extract_facts(PatientIndex(patient_from_data(data), cat, AS_OF), [node.request], "T")[node.request]


def psa_fact(*records: dict, within: str | None = None, **patient) -> Fact:
    """PSA progression as a ruleset with a default window asks for it (``within`` that window), or without one."""
    cat = get_catalog()
    request = DerivedRequest("psa_progression", parse_window(f"within {within}") if within else None)
    data = {"id": "p", "reference_dates": {"screening": AS_OF}, "labs": list(records)} | patient
    return extract_facts(PatientIndex(patient_from_data(data), cat, AS_OF), [request], "T")[request]


def lab(code: str, value: float | str, day: str, event: str | None = None, **extra) -> dict:
    record = {"code": code, "value": value, "date": day} | ({"unit": UNITS[code]} if code in UNITS else {}) | extra
    return record | ({"event": event} if event else {})


def born(age: int) -> str:
    return f"{AS_OF.year - age - 1}-12-31"


# --- QTc: QT and rate from one ECG ---------------------------------------------------------------------------


def test_reviewer_case_a_later_pulse_does_not_lower_the_qtc_of_the_ecg():
    # QT 460 ms at 100 bpm on one ECG: RR 0.6 s, QTcB 460 / sqrt(0.6) = 593.9 ms. A pulse of 55 four days later
    # is not that ECG's rate (it would give QTcB 440 ms, below the 480 ms limit).
    ecg = [lab("qt", 460, "2026-11-12", "ecg-1"), lab("heart_rate", 100, "2026-11-12", "ecg-1")]
    pulse = lab("heart_rate", 55, "2026-11-16")
    f = fact("QTcB >= 480 ms", *ecg, pulse)
    assert f.value == pytest.approx(593.9, abs=0.05)
    assert "ECG ecg-1" in f.shown and "heart rate 100 bpm" in f.shown and "2026-11-12" in f.shown
    assert {e.value for e in f.evidence} == {"460 ms", "100 bpm"}


def test_reviewer_case_without_events_is_ambiguous_never_440():
    f = fact(
        "QTcB >= 480 ms",
        lab("qt", 460, "2026-11-12"),
        lab("heart_rate", 100, "2026-11-12"),
        lab("heart_rate", 55, "2026-11-16"),
    )
    assert f.value is None and f.reason.kind == "ambiguous"
    assert f.reason.message == (
        "QT interval 460 ms on 2026-11-12 has no heart rate from the same ECG (heart rate 55 bpm is from 2026-11-16)"
    )
    assert f.reason.settle == "QT and heart rate from one ECG (the same event on both results)"
    assert f.reason.fact == "QTcB (Bazett)"


def test_a_rate_on_the_same_day_but_not_the_same_ecg_is_not_paired():
    f = fact("QTcF >= 470 ms", lab("qt", 460, "2026-11-12", "ecg-1"), lab("heart_rate", 100, "2026-11-12"))
    assert f.value is None and f.reason.kind == "ambiguous"
    assert "has no heart rate from the same ECG (heart rate 100 bpm on 2026-11-12 is not from that ECG)" in (
        f.reason.message
    )


def test_a_newer_qt_without_its_rate_is_not_replaced_by_an_older_paired_ecg():
    old = [lab("qt", 380, "2026-11-01", "ecg-old"), lab("heart_rate", 70, "2026-11-01", "ecg-old")]
    f = fact("QTcB >= 480 ms", *old, lab("qt", 500, "2026-11-15"))
    assert f.value is None and f.reason.kind == "ambiguous"
    assert f.reason.message.startswith("QT interval 500 ms on 2026-11-15 has no heart rate from the same ECG")


def test_no_rate_at_all_is_missing():
    f = fact("QTcB >= 480 ms", lab("qt", 460, "2026-11-12", "ecg-1"))
    assert f.value is None and f.reason.kind == "missing"
    assert f.reason.message == (
        "QT interval 460 ms on 2026-11-12 has no heart rate from the same ECG (no heart rate or RR interval recorded)"
    )


def test_rr_interval_of_the_ecg_is_used():
    # RR 750 ms: QTcF = 400 / 0.75^(1/3) = 440.3 ms
    ecg = [lab("qt", 400, "2026-11-12", "e"), lab("rr_interval", 750, "2026-11-12", "e")]
    f = fact("QTcF >= 470 ms", *ecg)
    assert f.value == pytest.approx(440.3, abs=0.05) and "RR interval 750 ms" in f.shown


def test_two_ecgs_on_the_newest_day_that_disagree_are_ambiguous_naming_both():
    records = [
        lab("qt", 420, "2026-11-12", "ecg-a"),
        lab("heart_rate", 60, "2026-11-12", "ecg-a"),
        lab("qt", 420, "2026-11-12", "ecg-b"),
        lab("heart_rate", 100, "2026-11-12", "ecg-b"),
    ]
    f = fact("QTcB >= 480 ms", *records)
    assert f.value is None and f.reason.kind == "ambiguous"
    assert f.reason.message == (
        "ECGs that may each be the newest give different QTcB (Bazett): 420 ms (ECG ecg-a on 2026-11-12: QT "
        "interval 420 ms, heart rate 60 bpm); 542.2 ms (ECG ecg-b on 2026-11-12: QT interval 420 ms, heart rate "
        "100 bpm)"
    )
    assert f.reason.settle == "one confirmed newest ECG"
    assert len(f.evidence) == 4


def test_two_ecgs_on_the_newest_day_that_agree_decide():
    records = [
        lab("qt", 400, "2026-11-12", "ecg-a"),
        lab("heart_rate", 60, "2026-11-12", "ecg-a"),
        lab("qt", 400, "2026-11-12", "ecg-b"),
        lab("heart_rate", 60, "2026-11-12", "ecg-b"),
    ]
    assert fact("QTcB >= 480 ms", *records).value == 400


def test_conflicting_rates_in_one_ecg_are_ambiguous():
    records = [
        lab("qt", 400, "2026-11-12", "e"),
        lab("heart_rate", 60, "2026-11-12", "e"),
        lab("heart_rate", 90, "2026-11-12", "e"),
    ]
    f = fact("QTcB >= 480 ms", *records)
    assert f.value is None and f.reason.kind == "ambiguous" and "ECG e" in f.reason.message


# --- dates of combined inputs ----------------------------------------------------------------------------------

CRCL = "creatinine clearance (Cockcroft-Gault) >= 60 mL/min"


def test_creatinine_and_weight_more_than_30_days_apart_are_refused():
    f = fact(
        CRCL, lab("creatinine", 1.0, "2026-11-15"), lab("weight", 70, "2026-10-01"), sex="male", birth_date=born(60)
    )
    assert f.value is None and f.reason.kind == "ambiguous"
    assert f.reason.message == (
        "creatinine clearance (Cockcroft-Gault) combines results at most 30 days apart, but body weight is "
        "dated 2026-10-01 and serum creatinine 2026-11-15 (45 days apart)"
    )
    assert f.reason.settle == "serum creatinine and body weight measured within 30 days of each other"


def test_creatinine_and_weight_within_30_days_say_their_dates():
    f = fact(
        CRCL, lab("creatinine", 1.0, "2026-11-15"), lab("weight", 70, "2026-10-16"), sex="male", birth_date=born(60)
    )
    assert f.value == pytest.approx(77.8, abs=0.05)
    assert "serum creatinine 1 mg/dL on 2026-11-15" in f.shown and "body weight 70 kg on 2026-10-16" in f.shown
    assert "(results 30 days apart; at most 30 days apart allowed)" in f.shown


def test_an_adults_height_may_be_older():
    records = [lab("creatinine", 1.0, "2026-11-15"), lab("weight", 70, "2026-11-10"), lab("height", 175, "2020-05-01")]
    f = fact("crcl ideal body weight >= 60 mL/min", *records, sex="male", birth_date=born(60))
    assert f.value is not None, f.reason


def test_a_childs_height_must_be_as_recent_as_the_weight():
    records = [lab("weight", 30, "2026-11-10"), lab("height", 130, "2026-06-01")]
    f = fact("body surface area (Mosteller) >= 1 m2", *records, birth_date=born(9))
    assert f.value is None and f.reason.kind == "ambiguous"
    assert "body height is dated 2026-06-01 and body weight 2026-11-10" in f.reason.message
    adult = fact("body surface area (Mosteller) >= 1 m2", *records, birth_date=born(40))
    assert adult.value == pytest.approx(1.041, abs=0.0005)


def test_an_undated_input_cannot_be_paired():
    records = [lab("creatinine", 1.0, "2026-11-15"), {"code": "weight", "value": 70, "unit": "kg"}]
    f = fact(CRCL, *records, sex="male", birth_date=born(60))
    assert f.value is None and f.reason.kind == "ambiguous" and "body weight has no date" in f.reason.message


def child_pugh_parts(bilirubin_day: str) -> list[dict]:
    return [
        lab("total bilirubin", 1.0, bilirubin_day),
        lab("albumin", 4.0, "2026-11-15"),
        lab("INR", 1.0, "2026-11-15"),
        lab("ascites", "none", "2026-11-15"),
        lab("hepatic encephalopathy", "none", "2026-11-15"),
    ]


def test_child_pugh_parts_more_than_14_days_apart_are_refused():
    f = fact("Child-Pugh class is C", *child_pugh_parts("2026-10-20"))
    assert f.value is None and f.reason.kind == "ambiguous"
    assert "at most 14 days apart" in f.reason.message and "total bilirubin is dated 2026-10-20" in f.reason.message
    assert fact("Child-Pugh class is C", *child_pugh_parts("2026-11-02")).value == "A"


# --- PSA progression is current ----------------------------------------------------------------------------------


def psa(*points: tuple[str, float]) -> list[dict]:
    return [lab("PSA", v, d) for d, v in points]


def test_rises_years_ago_while_psa_falls_now_are_not_current():
    f = fact(
        "has PSA progression", *psa(("2023-01-10", 2.1), ("2023-02-10", 2.6), ("2023-03-10", 3.4), ("2026-11-01", 1.0))
    )
    assert f.value is False
    assert f.shown == "PSA is falling now: the latest, 1 ng/mL on 2026-11-01, is below 3.4 ng/mL on 2023-03-10"


def test_latest_lower_than_the_one_before_is_not_current_even_if_rises_remain():
    f = fact(
        "has PSA progression", *psa(("2026-08-01", 2.1), ("2026-08-20", 2.6), ("2026-09-10", 3.4), ("2026-10-01", 3.0))
    )
    assert f.value is False and f.shown.startswith("PSA is falling now")


def test_an_extra_psa_less_than_a_week_apart_does_not_hide_progression():
    f = fact(
        "has PSA progression", *psa(("2026-09-01", 2.1), ("2026-09-10", 2.6), ("2026-09-14", 2.7), ("2026-09-21", 3.4))
    )
    assert f.value is True
    assert f.shown == (
        "PSA rose 2.1 → 2.6 → 3.4 ng/mL (2026-09-01, the reference; 2026-09-10; 2026-09-21, the latest): each rise "
        "at least 1 week after the value before it, and every result in between within its rise (repeat draws aside)"
    )
    assert [e.date for e in f.evidence] == ["2026-09-01", "2026-09-10", "2026-09-21"]


def test_a_dip_below_the_reference_breaks_the_series():
    f = fact(
        "has PSA progression", *psa(("2026-08-01", 2.1), ("2026-08-20", 1.5), ("2026-09-10", 2.6), ("2026-10-01", 3.4))
    )
    assert f.value is False and f.shown.startswith("no two consecutive PSA rises")


MONTHLY = ("2026-07-01", "2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01")


@pytest.mark.parametrize(
    "values",
    [
        (2.0, 8.0, 2.1, 2.2),  # a 74% fall, then an uptick: not two rises from 2.0
        (3.0, 4.0, 10.0, 5.0, 6.0),  # 10 lies above the latest: 3 → 4 → 6 did not rise consecutively
    ],
)
def test_rises_must_be_consecutive(values):
    f = fact("has PSA progression", *psa(*zip(MONTHLY, values, strict=False)))
    assert f.value is False and f.shown.startswith("no two consecutive PSA rises")


def test_a_repeat_draw_within_a_week_does_not_break_the_rises():
    # 3.0 two days after 3.2 is a repeat of that time point; 2.0 → 3.2 → 4.0 still rose consecutively
    f = fact(
        "has PSA progression", *psa(("2026-09-01", 2.0), ("2026-09-08", 3.2), ("2026-09-10", 3.0), ("2026-09-20", 4.0))
    )
    assert f.value is True and f.shown.startswith("PSA rose 2 → 3.2 → 4 ng/mL (2026-09-01, the reference;")


def test_a_run_of_close_results_is_not_one_long_repeat():
    # daily 1.0 ng/mL for 9 days after the rise to 3.0: a week on, they are a new time point below the rise
    daily = [(str(date(2026, 9, 11) + timedelta(days=k)), 1.0) for k in range(9)]
    f = fact("has PSA progression", *psa(("2026-09-01", 2.0), ("2026-09-10", 3.0), *daily, ("2026-09-20", 3.5)))
    assert f.value is False and f.shown.startswith("no two consecutive PSA rises")


def test_a_lower_repeat_draw_of_the_latest_is_ambiguous_not_falling():
    series = psa(("2026-09-01", 2.0), ("2026-09-15", 3.0), ("2026-10-01", 4.0), ("2026-10-03", 3.95))
    f = fact("has PSA progression", *series)
    assert f.value is None and f.reason.kind == "ambiguous"
    assert f.reason.message == (
        "latest PSA 3.95 ng/mL on 2026-10-03 is 2 days after 4 ng/mL: a repeat draw; confirm which stands"
    )
    assert [e.date for e in f.evidence] == ["2026-10-01", "2026-10-03"]
    week_later = psa(("2026-09-01", 2.0), ("2026-09-15", 3.0), ("2026-10-01", 4.0), ("2026-10-08", 3.95))
    assert fact("has PSA progression", *week_later).shown.startswith("PSA is falling now")


def test_with_a_window_the_latest_psa_must_be_recent():
    old_rises = psa(("2024-01-10", 2.5), ("2024-02-10", 3.0), ("2024-03-10", 4.0))
    f = psa_fact(*old_rises, within="28 days before screening")
    assert f.value is None and f.reason.kind == "stale"
    assert f.reason.message == (
        "latest PSA (4 ng/mL on 2024-03-10) is too old: the criterion needs one within 28 days before screening"
    )
    assert f.reason.settle == "a new PSA result within 28 days before screening"
    assert psa_fact(*old_rises).value is True  # no window: the whole record, as a ruleset without one reads it
    recent = psa(("2026-09-10", 2.5), ("2026-10-10", 3.0), ("2026-10-23", 4.0))
    assert psa_fact(*recent, within="28 days before screening").value is True


def test_a_window_on_a_reference_date_not_given():
    rising = psa(("2026-09-10", 2.5), ("2026-10-10", 3.0), ("2026-11-10", 4.0))
    no_consent = psa_fact(*rising, within="28 days before consent")
    assert no_consent.value is None and no_consent.reason.kind == "missing"
    assert no_consent.reason.message == "PSA progression window needs the consent date"
    open_end = psa_fact(*rising, within="28 days before first dose")
    assert open_end.value is None and open_end.reason.kind == "missing"
    assert open_end.reason.message == (
        "latest PSA dated 2026-11-10 counts only if it is within 28 days before first dose; the first dose date "
        "is not yet given"
    )
    given = psa_fact(*rising, within="28 days before consent", reference_dates={"screening": AS_OF, "consent": AS_OF})
    assert given.value is True


def test_rises_less_than_a_week_apart_do_not_count():
    f = fact("has PSA progression", *psa(("2026-09-01", 2.1), ("2026-09-05", 2.6), ("2026-09-20", 3.4)))
    assert f.value is False


def test_a_reference_below_2_does_not_count_but_a_later_one_may():
    low = psa(("2026-08-01", 1.5), ("2026-08-20", 2.6), ("2026-09-10", 3.4))
    assert fact("has PSA progression", *low).value is False
    later = psa(("2026-08-01", 1.5), ("2026-08-20", 2.6), ("2026-09-10", 3.4), ("2026-09-20", 4.0))
    f = fact("has PSA progression", *later)
    assert f.value is True and "PSA rose 2.6 → 3.4 → 4 ng/mL (2026-08-20, the reference;" in f.shown


def test_a_psa_that_cannot_be_placed_in_the_series_is_ambiguous():
    rising = psa(("2026-09-01", 2.1), ("2026-09-10", 2.6), ("2026-09-20", 3.4))
    f = fact("has PSA progression", *rising, lab("PSA", 1.0, "2026-09"))
    assert f.value is None and f.reason.kind == "ambiguous"
    assert f.reason.message == (
        "PSA 1 ng/mL dated between 2026-09-01 and 2026-09-30 cannot be placed in the series: it may lie after "
        "the reference (2.1 ng/mL on 2026-09-01)"
    )
    assert f.reason.settle == "the exact date of every PSA result"


def test_open_ended_dates_never_break_the_pairing():
    rising = psa(("2026-09-01", 2.1), ("2026-09-10", 2.6), ("2026-09-20", 3.4))
    f = fact("has PSA progression", *rising, lab("PSA", 1.0, "2026-09-05/.."))
    assert f.value is None and f.reason.kind == "ambiguous" and "cannot be placed" in f.reason.message
    qt = fact("QTcB >= 480 ms", lab("qt", 400, "2026-11-12", "e"), lab("heart_rate", 60, "2026-11-01/.."))
    assert qt.value is None and "(heart rate 60 bpm is dated on or after 2026-11-01)" in qt.reason.message
    crcl = fact(
        CRCL, lab("creatinine", 1.0, "2026-11-15"), lab("weight", 70, "../2026-11-01"), sex="male", birth_date=born(60)
    )
    assert crcl.value is None and crcl.reason.kind == "ambiguous"
    assert crcl.reason.message.startswith("body weight has no bounded date (")


def test_conflicting_results_of_one_day_never_reach_a_formula():
    crcl = fact(
        CRCL,
        lab("creatinine", 1.0, "2026-11-15"),
        lab("creatinine", 2.0, "2026-11-15"),
        lab("weight", 70, "2026-11-15"),
        sex="male",
        birth_date=born(60),
    )
    assert crcl.value is None and crcl.reason.kind == "ambiguous"
    parts = [*child_pugh_parts("2026-11-15"), lab("INR", 2.5, "2026-11-15")]
    pugh = fact("Child-Pugh class is C", *parts)
    assert pugh.reason is not None and pugh.reason.kind == "ambiguous" and not isinstance(pugh.value, str)
    ecgs = [
        lab("qt", 400, "2026-11-12", "a"),
        lab("heart_rate", 60, "2026-11-12", "a"),
        lab("qt", 500, "2026-11-12", "b"),
        lab("heart_rate", 60, "2026-11-12", "b"),
    ]
    qtc = fact("QTcB >= 480 ms", *ecgs)
    assert qtc.value is None and qtc.reason.kind == "ambiguous"


def progression_by_definition(points: list[tuple[date, float]]) -> bool | None:
    """Every (reference, first rise) pair tried: the definition the engine must agree with (None: unknown)."""
    (d2, c), n = points[-1], len(points)
    if n >= 2 and c < points[-2][1]:
        return None if (d2 - points[-2][0]).days < 7 else False
    if n < 3:
        return None
    repeat, start = [], points[0][0]  # a result less than a week after its time point's first one is a repeat
    for d, _ in points:
        repeat.append((d - start).days < 7 and d != start)
        start = start if repeat[-1] else d

    def within(first: int, last: int, low: float, high: float) -> bool:
        return all(low <= points[k][1] <= high for k in range(first + 1, last) if not repeat[k])

    return any(
        2.0 <= a < b < c
        and (d1 - d0).days >= 7
        and (d2 - d1).days >= 7
        and within(i, j, a, b)
        and within(j, n - 1, b, c)
        for i, (d0, a) in enumerate(points)
        for j, (d1, b) in enumerate(points[: n - 1])
        if j > i
    )


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.integers(0, 120), st.sampled_from([1.5, 2.0, 2.1, 2.5, 3.0, 3.0, 4.0, 6.0]), min_size=3, max_size=12
    )
)
def test_psa_progression_agrees_with_its_definition(series):
    points = sorted((date(2026, 7, 1) + timedelta(days=d), v) for d, v in series.items())
    f = fact("has PSA progression", *psa(*((str(d), v) for d, v in points)))
    assert f.value is progression_by_definition(points), f.shown


def test_an_ecg_with_a_partial_date_that_may_be_the_newest_is_read_too():
    records = [
        lab("qt", 420, "2026-11-12", "ecg-a"),
        lab("heart_rate", 60, "2026-11-12", "ecg-a"),
        lab("qt", 420, "2026-11", "ecg-b"),
        lab("heart_rate", 100, "2026-11", "ecg-b"),
    ]
    f = fact("QTcB >= 480 ms", *records)
    assert f.value is None and f.reason.kind == "ambiguous" and "542.2 ms (ECG ecg-b" in f.reason.message


def test_the_ecgs_rr_interval_is_preferred_to_its_heart_rate():
    ecg = [
        lab("qt", 400, "2026-11-12", "e"),
        lab("rr_interval", 1000, "2026-11-12", "e"),
        lab("heart_rate", 75, "2026-11-12", "e"),
    ]
    f = fact("QTcB >= 480 ms", *ecg)
    assert f.value == 400 and "RR interval 1000 ms" in f.shown and "heart rate" not in f.shown


def test_a_height_without_a_birth_date_must_be_recent():
    records = [lab("weight", 70, "2026-11-10"), lab("height", 175, "2025-01-01")]
    f = fact("body surface area (Mosteller) >= 1 m2", *records)
    assert f.value is None and f.reason.kind == "ambiguous" and "body height is dated 2025-01-01" in f.reason.message
