"""Bad patient input: a one-line error naming file and field, or a needs-review with its reason. Never eligible."""

from datetime import date
from pathlib import Path

import pytest

from engine import InputError, Screener, load_patient, patient_from_data

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 20)


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_directory(ROOT / "rulesets")


def base(**extra) -> dict:
    return {"id": "p", "sex": "female", "birth_date": "1980-01-01", "reference_dates": {"screening": AS_OF}} | extra


def error(data: dict) -> str:
    with pytest.raises(InputError) as err:
        patient_from_data(data, source="patient.yaml")
    return str(err.value)


def test_nan_value_names_the_field():
    msg = error(base(labs=[{"code": "hemoglobin", "value": float("nan"), "unit": "g/dL"}]))
    assert msg.startswith("patient.yaml field 'labs[0].value':")


def test_unknown_code_is_an_error_not_a_silent_drop():
    assert error(base(labs=[{"code": "unobtainium", "value": 1, "unit": "g/dL"}])) == (
        "patient.yaml field 'labs[0].code': unknown observation 'unobtainium' (not in the catalog)"
    )


def test_unknown_field_is_named():
    assert error(base(labz=[])) == "patient.yaml field 'labz': Extra inputs are not permitted"


def test_bad_date_is_named():
    assert "field 'labs[0].date'" in error(
        base(labs=[{"code": "hemoglobin", "value": 9, "unit": "g/dL", "date": "11/20/26"}])
    )


def test_malformed_files(tmp_path):
    bad_json = tmp_path / "p.json"
    bad_json.write_text("{not json")
    with pytest.raises(InputError, match=r"p.json: not valid JSON"):
        load_patient(bad_json)
    with pytest.raises(InputError, match=r"cannot read file"):
        load_patient(tmp_path / "missing.yaml")


def test_negative_count_is_needs_review_ambiguous(screener):
    p = base(labs=[{"code": "platelets", "value": -40, "unit": "10^9/L", "date": AS_OF}])
    c = screener.screen(p, as_of=AS_OF, trials=["NCT07245251"])[0].criterion("INC-07b")
    assert c.verdict == "needs-review" and c.reasons[0].kind == "ambiguous"
    assert "outside the possible range" in c.reasons[0].message


def test_wrong_dimension_unit_is_needs_review_ambiguous(screener):
    p = base(labs=[{"code": "hemoglobin", "value": 9.5, "unit": "U/L", "date": AS_OF}])
    c = screener.screen(p, as_of=AS_OF, trials=["NCT07245251"])[0].criterion("INC-07a")
    assert c.verdict == "needs-review" and c.reasons[0].kind == "ambiguous"
    assert "cannot convert 'U/L'" in c.reasons[0].message


def test_unknown_unit_is_needs_review_ambiguous(screener):
    p = base(labs=[{"code": "hemoglobin", "value": 9.5, "unit": "gm%", "date": AS_OF}])
    c = screener.screen(p, as_of=AS_OF, trials=["NCT07245251"])[0].criterion("INC-07a")
    assert c.verdict == "needs-review" and "unknown unit 'gm%'" in c.reasons[0].message


def test_lab_without_date_where_recency_is_needed(screener):
    p = base(labs=[{"code": "hemoglobin", "value": 9.5, "unit": "g/dL"}])
    c = screener.screen(p, as_of=AS_OF, trials=["NCT07245251"])[0].criterion("INC-07a")
    assert c.verdict == "needs-review" and c.reasons[0].kind == "ambiguous" and "no date" in c.reasons[0].message


def test_future_dated_result_is_not_used(screener):
    p = base(labs=[{"code": "hemoglobin", "value": 9.5, "unit": "g/dL", "date": "2027-01-01"}])
    c = screener.screen(p, as_of=AS_OF, trials=["NCT07245251"])[0].criterion("INC-07a")
    assert c.verdict == "needs-review" and "after the as-of date" in c.reasons[0].message


def test_conflicting_results_on_one_day_are_ambiguous(screener):
    p = base(
        labs=[
            {"code": "hemoglobin", "value": 9.5, "unit": "g/dL", "date": AS_OF},
            {"code": "hemoglobin", "value": 5.0, "unit": "g/dL", "date": AS_OF},
        ]
    )
    c = screener.screen(p, as_of=AS_OF, trials=["NCT07245251"])[0].criterion("INC-07a")
    assert c.verdict == "needs-review" and "conflicting" in c.reasons[0].message


def test_the_same_value_in_two_units_on_one_day_is_not_a_conflict(screener):
    p = base(
        labs=[
            {"code": "hemoglobin", "value": 9.5, "unit": "g/dL", "date": AS_OF},
            {"code": "hemoglobin", "value": 95, "unit": "g/L", "date": AS_OF},
        ]
    )
    assert screener.screen(p, as_of=AS_OF, trials=["NCT07245251"])[0].criterion("INC-07a").verdict == "eligible"


def test_screening_date_after_as_of_is_an_error(screener):
    with pytest.raises(InputError, match="screening date 2026-12-01 is after the as-of date 2026-11-20"):
        screener.screen(base(reference_dates={"screening": date(2026, 12, 1)}), as_of=AS_OF)


def test_unknown_trial_lists_the_known_ones(screener):
    with pytest.raises(InputError, match=r"unknown trial 'NCT99999999' \(known: NCT"):
        screener.screen(base(), as_of=AS_OF, trials=["NCT99999999"])
