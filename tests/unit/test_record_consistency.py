"""Records that contradict themselves or the screening date are refused, and nothing is silently dropped."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from engine import InputError, Screener, patient_from_data
from engine.files import load_yaml

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 23)


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_directory(ROOT / "rulesets")


def example() -> dict:
    return yaml.safe_load((ROOT / "examples" / "patient.yaml").read_text(encoding="utf-8"))


def test_yaml_numbers_read_as_json_reads_them():
    data = load_yaml("a: 0150\nb: 6:32\nc: 041\nd: 1_000\n", "x.yaml")
    assert data == {"a": 150, "b": "6:32", "c": 41, "d": 1000}  # never octal 104 or base-60 392


def test_a_zero_padded_alt_is_not_read_as_octal(screener):
    text = (
        (ROOT / "examples" / "patient.yaml")
        .read_text(encoding="utf-8")
        .replace("value: 45, unit: U/L", "value: 0150, unit: U/L")
    )
    data = load_yaml(text, "patient.yaml")
    result = screener.screen(data, as_of=AS_OF, trials=["NCT07245251"])[0]
    assert result.criterion("INC-09b").verdict == "ineligible"  # 150 U/L is 3.66 × ULN 41


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        (
            lambda d: d["conditions"].append({"code": "CNS leukemia", "status": "absent", "onset": "2026-11-01"}),
            "conditions[4]",
            "absent has no onset",
        ),
        (
            lambda d: d["labs"].append({"id": "lab-hb", "code": "hemoglobin", "value": 5, "unit": "g/dL"}),
            "labs[21].id",
            "also the id of labs[2]",
        ),
        (
            lambda d: d["labs"][3].update(reference_range={"high": 40, "unit": "U/L", "assumed": True}),
            "labs[3].reference_range.assumed",
            "is not assumed",
        ),
        (lambda d: d["attestations"][0].update(by="  "), "attestations[0].by", "at least 1 character"),
        (
            lambda d: d["therapies"][2].update(dose={"value": 0, "unit": "mg/day"}),
            "therapies[2].dose.value",
            "greater than 0",
        ),
    ],
)
def test_records_that_contradict_themselves_are_input_errors(change, field, problem):
    data = example()
    change(data)
    with pytest.raises(InputError) as err:
        patient_from_data(data, source="patient.yaml")
    assert f"field '{field}'" in str(err.value) and problem in str(err.value)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            lambda d: d["conditions"].append({"code": "acute GVHD", "status": "present", "onset": "2027-01-01"}),
            "conditions[4].onset",
        ),
        (lambda d: d["attestations"][0].update(date="2027-01-01"), "attestations[0].date"),
    ],
)
def test_a_diagnosis_or_an_answer_dated_after_the_as_of_date_is_refused(screener, change, field):
    data = example()
    change(data)
    with pytest.raises(InputError) as err:
        screener.screen(data, as_of=AS_OF, trials=["NCT07245251"])
    assert f"field '{field}'" in str(err.value) and "after the as-of date" in str(err.value)


def test_overlapping_doses_that_each_stay_below_the_limit_go_to_a_person(screener):
    data = example()
    data["therapies"].append(
        {
            "id": "rx-pred2",
            "name": "prednisone",
            "start": "2026-11-10",
            "end": "2026-11-27",
            "dose": {"value": 7.5, "unit": "mg/day"},
            "route": "oral",
        }
    )
    c = screener.screen(data, as_of=AS_OF, trials=["NCT07245251"])[0].criterion("EXC-05")
    assert c.verdict == "needs-review" and "their doses may add up" in c.explanation


def test_an_answer_to_a_criterion_the_trial_does_not_have_is_named_in_the_warnings(screener):
    data = example()
    data["attestations"].append({"trial": "NCT07245251", "criterion": "INC-99", "answer": "yes", "by": "Dr. B"})
    result = screener.screen(data, as_of=AS_OF, trials=["NCT07245251"])[0]
    assert "attestations[5]: NCT07245251 has no criterion INC-99; the answer is not used" in result.warnings


def test_a_criterion_id_in_lower_case_still_answers_its_criterion(screener):
    data = example()
    data["attestations"][0]["criterion"] = "inc-01"
    assert screener.screen(data, as_of=AS_OF, trials=["NCT07245251"])[0].criterion("INC-01").verdict == "eligible"


def test_trials_given_as_something_else_than_ids_is_an_input_error(screener):
    with pytest.raises(InputError, match="trials must be a trial id or a list of them, not int"):
        screener.screen(example(), as_of=AS_OF, trials=5)  # type: ignore[arg-type]
