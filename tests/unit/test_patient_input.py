"""Bad patient input: a one-line error naming file and field, or a needs-review with its reason. Never eligible."""

import copy
import gzip
import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from engine import InputError, Screener, load_patient, patient_from_data
from engine.files import load_yaml

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


# --- files on disk -----------------------------------------------------------------------------------------

EXAMPLE = ROOT / "examples" / "patient.yaml"


def file_error(path: Path) -> str:
    with pytest.raises(InputError) as err:
        load_patient(path)
    message = str(err.value)
    assert "\n" not in message and message.startswith(str(path))
    return message


def test_attestation_without_trial_is_an_error_naming_the_field(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace("{trial: NCT07245251, criterion: EXC-10i", "{criterion: EXC-10i")
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    assert file_error(path) == f"{path} field 'attestations[2].trial': Field required"


def test_an_attestation_answers_only_its_own_trial(screener):
    """The example's NCT07245251 consent answer must not answer NCT07310355's different INC-01 question."""
    patient = load_patient(EXAMPLE)
    assert patient.attestations[0].criterion == "INC-01" and patient.attestations[0].trial == "NCT07245251"
    own = screener.screen(patient, as_of=date(2026, 11, 23), trials=["NCT07245251"])[0].criterion("INC-01")
    other = screener.screen(patient, as_of=date(2026, 11, 23), trials=["NCT07310355"])[0].criterion("INC-01")
    assert own.verdict == "eligible"
    assert other.verdict == "needs-review" and [r.kind for r in other.reasons] == ["judgement"]


@pytest.mark.parametrize(
    ("lab", "field", "problem"),
    [
        ({"code": "pregnancy test", "value": "negative", "unit": "mg/dL"}, "labs[0].unit", "categorical"),
        ({"code": "HBsAg", "value": "positive", "unit": "IU/mL"}, "labs[0].unit", "categorical"),
    ],
)
def test_categorical_result_with_a_unit_is_an_error(lab, field, problem):
    msg = error(base(labs=[lab]))
    assert msg == f"patient.yaml field '{field}': '{lab['code']}' is {problem} and takes no unit (got '{lab['unit']}')"


def test_scale_result_with_a_unit_is_an_error():
    msg = error(base(labs=[{"code": "AXL intensity", "value": "++", "unit": "%"}]))
    assert msg == "patient.yaml field 'labs[0].unit': 'AXL intensity' is a scale and takes no unit (got '%')"


def test_categorical_and_scale_results_without_unit_are_fine():
    p = patient_from_data(
        base(labs=[{"code": "HBsAg", "value": "negative", "unit": ""}, {"code": "AXL intensity", "value": "++"}])
    )
    assert [lab.value for lab in p.labs] == ["negative", "++"]


@pytest.mark.parametrize(
    ("yaml_line", "field", "problem"),
    [
        ("birth_date: 1960-02-30", "birth_date", "'1960-02-30' is not a calendar date (day is out of range for month)"),
        ("birth_date: ../1960", "birth_date", "a birth date needs both ends (got '../1960-12-31')"),
        ("birth_date: 0000-01-01", "birth_date", "'0000-01-01' is not a calendar date (year 0 is out of range)"),
        (
            "therapies: [{name: rituximab, end: 2026-01-01, half_life_days: 1e300}]",
            "therapies[0].half_life_days",
            "Input should be less than or equal to 36500",
        ),
        ("labs: [{code: hemoglobin, value: 9, unit: g/dL, date: ../..}]", "labs[0].date", "neither a start nor an end"),
    ],
)
def test_impossible_dates_and_numbers_name_the_field(tmp_path, yaml_line, field, problem):
    path = tmp_path / "p.yaml"
    path.write_text(f"id: p\nsex: male\n{yaml_line}\n", encoding="utf-8")
    msg = file_error(path)
    assert msg.startswith(f"{path} field '{field}': ") and problem in msg


def test_duplicate_key_in_a_patient_file_names_key_and_line(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"id": "p",\n "labs": [{"code": "hemoglobin", "value": 9.8, "unit": "g/dL",\n "value": 6.0}]}')
    assert file_error(path) == f"{path}: duplicate key 'value' (line 3)"


def test_patient_files_in_other_encodings_are_refused_and_gzip_is_read(tmp_path):
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("id: José\n".encode("latin-1"))
    assert file_error(latin1) == f"{latin1}: not UTF-8 text (byte 0xe9 at offset 7)"
    zipped = tmp_path / "p.json.gz"
    zipped.write_bytes(gzip.compress(json.dumps(base(reference_dates={})).encode()))
    assert load_patient(zipped).id == "p"


def test_oversized_yaml_and_devices_are_refused(tmp_path):
    big = tmp_path / "big.yaml"
    lab = "  - {code: hemoglobin, value: 12.5, unit: g/dL, date: 2026-01-05}\n"
    big.write_text("id: p\nlabs:\n" + lab * (5 * 1024 * 1024 // len(lab)), encoding="utf-8")
    assert file_error(big) == f"{big}: file is larger than 4 MB"
    with pytest.raises(InputError, match="not a regular file"):
        load_patient("/dev/zero")


# --- open and extreme dates --------------------------------------------------------------------------------


def _shifted(data: dict, **changes: str) -> dict:
    """The example patient with every lab/measurement/therapy/present-condition date field set as given."""
    out = copy.deepcopy(data)
    for section, key in (("labs", "date"), ("measurements", "date"), ("therapies", "start"), ("therapies", "end")):
        for record in out.get(section, []):
            if key in changes:
                record[key] = changes[key]
    for c in out.get("conditions", []):
        for key in ("onset", "resolved"):
            if key in changes and c["status"] == "present":  # an absent condition has no dates
                c[key] = changes[key]
    return out


@pytest.mark.parametrize(
    "changes",
    [
        {"date": "../2026-11-19"},
        {"date": "2026-11-01/.."},
        {"start": "../2026-01-01", "end": "2026-02-01/.."},
        {"end": "9999-12-31"},
        {"onset": "../2020", "resolved": "2021/.."},
    ],
)
def test_open_spans_and_the_last_day_screen_without_error(screener, changes):
    data = _shifted(load_yaml(EXAMPLE.read_text(encoding="utf-8"), "example"), **changes)
    results = screener.screen(data, as_of=date(2026, 11, 23))
    assert len(results) == len(screener.trials)
    assert all(c.verdict in ("eligible", "ineligible", "needs-review") for r in results for c in r.criteria)


def test_a_therapy_that_may_still_run_never_clears_its_washout(screener):
    data = _shifted(load_yaml(EXAMPLE.read_text(encoding="utf-8"), "example"), end="2026-11-01/..")
    result = screener.screen(data, as_of=date(2026, 11, 23), trials=["NCT07245251"])[0]
    assert result.overall != "eligible"


def test_windows_at_the_end_of_the_calendar_do_not_overflow(screener):
    as_of = date(9999, 12, 31)
    data = base(
        birth_date=str(as_of.replace(month=1, day=1)),
        reference_dates={"screening": as_of, "first_dose": as_of},
        labs=[{"code": "hemoglobin", "value": 12, "unit": "g/dL", "date": as_of}],
        therapies=[{"name": "rituximab", "start": str(as_of), "end": str(as_of), "half_life_days": 36500}],
    )
    for result in screener.screen(data, as_of=as_of):
        assert result.overall in ("ineligible", "needs-review")  # a newborn is no adult


def test_windows_at_the_start_of_the_calendar_do_not_overflow(screener):
    for result in screener.screen({"id": "p"}, as_of=date(1, 2, 1)):  # every window reaches back past year 1
        assert result.overall in ("ineligible", "needs-review")


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"labs": [{"code": "PSA", "value": 3, "unit": "ng/mL", "date": "0001-03-01"}]}, "labs[0].date"),
        ({"reference_dates": {"screening": "1899-12-31"}}, "reference_dates.screening"),
        ({"therapies": [{"name": "dasatinib", "start": "1850", "end": "1850"}]}, "therapies[0].start"),
    ],
)
def test_a_date_before_1900_is_not_a_date_of_a_living_patient(record, field):
    data = base() | record
    data.pop("birth_date", None)
    with pytest.raises(InputError, match=rf"field '{re.escape(field)}': .* is before 1900"):
        patient_from_data(data)


def test_a_birth_date_over_130_years_back_is_an_error(screener):
    with pytest.raises(InputError, match=r"field 'birth_date': birth date 1890-01-01 would make the patient older"):
        screener.screen(base(birth_date="1890-01-01"), as_of=AS_OF)


# --- library entry checks ----------------------------------------------------------------------------------


def test_as_of_as_a_datetime_is_its_date(screener):
    patient = load_patient(EXAMPLE)
    by_date = screener.screen(patient, as_of=date(2026, 11, 23), trials=["NCT07245251"])
    by_datetime = screener.screen(patient, as_of=datetime(2026, 11, 23, 16, 45), trials=["NCT07245251"])
    assert by_datetime == by_date and by_datetime[0].as_of == date(2026, 11, 23)


@pytest.mark.parametrize("as_of", ["2026-11-23", None, 20261123])
def test_as_of_that_is_not_a_date_is_an_error(screener, as_of):
    with pytest.raises(InputError, match=r"^field 'as_of': as_of must be a date, not "):
        screener.screen(base(), as_of=as_of)


def test_each_trial_is_screened_once_and_ids_match_in_any_case(screener):
    results = screener.screen(base(), as_of=AS_OF, trials=["NCT07245251", "nct07245251", "NCT07245251"])
    assert [r.trial for r in results] == ["NCT07245251"]
    assert [r.trial for r in screener.screen(base(), as_of=AS_OF, trials="NCT07245251")] == ["NCT07245251"]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ([1], "Input should be a valid number or a valid boolean or a valid string"),
        (10**400, "Input should be a valid number"),
        ("x" * 10_001, "String should have at most 10000 characters"),
    ],
)
def test_a_value_of_no_accepted_kind_names_the_field_not_the_union_member(value, problem):
    assert error(base(labs=[{"code": "hemoglobin", "value": value, "unit": "g/dL"}])) == (
        f"patient.yaml field 'labs[0].value': {problem}"
    )


def test_text_fields_are_bounded_so_a_huge_unit_never_reaches_the_unit_parser():
    assert error(base(labs=[{"code": "hemoglobin", "value": 9, "unit": "g/" + "L" * 10_000_000}])) == (
        "patient.yaml field 'labs[0].unit': String should have at most 64 characters"
    )


def test_an_end_before_its_start_is_an_error_naming_the_end():
    therapy = {"name": "dasatinib", "start": "2026-10-30", "end": "2026-10-01"}
    assert error(base(therapies=[therapy])) == (
        "patient.yaml field 'therapies[0].end': end 2026-10-01 is before start 2026-10-30"
    )
    condition = {"code": "b-all", "status": "present", "onset": "2026-03", "resolved": "2026-02"}
    assert error(base(conditions=[condition])) == (
        "patient.yaml field 'conditions[0].resolved': resolved between 2026-02-01 and 2026-02-28 is before"
        " onset between 2026-03-01 and 2026-03-31"
    )
    overlapping = {"name": "dasatinib", "start": "2026-10", "end": "2026-10-05"}  # may well be in order
    assert patient_from_data(base(therapies=[overlapping])).therapies[0].end is not None


@pytest.mark.parametrize(
    ("extra", "field", "problem"),
    [
        ({"labs": [{"code": "PSA", "value": 3, "unit": "ng/mL", "date": "0001-01-02"}]}, "labs[0].date", "0001-01-02"),
        ({"therapies": [{"name": "dasatinib", "start": "1979"}]}, "therapies[0].start", "between 1979-01-01 and"),
        ({"reference_dates": {"consent": date(1970, 5, 1)}}, "reference_dates.consent", "1970-05-01"),
    ],
)
def test_a_date_wholly_before_birth_is_an_error(extra, field, problem):
    assert error(base(**extra)).startswith(f"patient.yaml field '{field}': {problem}")
    assert error(base(**extra)).endswith("is before the birth date 1980-01-01")


def test_a_date_that_may_fall_after_birth_is_kept():
    p = patient_from_data(base(conditions=[{"code": "b-all", "status": "present", "onset": "../1980-06"}]))
    assert p.conditions[0].onset is not None
