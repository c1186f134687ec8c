"""Gates: the disease and population criteria that decide whether a trial is worth a person's time."""

from datetime import date
from pathlib import Path

import pytest
from ruleset_text import text_of

from engine import Screener
from engine.files import load_yaml
from engine.results import to_jsonable

AS_OF = date(2026, 11, 23)
B_ALL = "NCT07245251"  # gates: INC-02 age 18-65, INC-03 B-ALL (relapsed or refractory)


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_directory()


def _gates(screener: Screener, **patient) -> tuple[str, bool]:
    result = screener.screen({"id": "p", **patient}, as_of=AS_OF, trials=B_ALL)[0]
    return result.gates, result.candidate


def test_a_man_without_leukaemia_is_no_candidate_for_a_leukaemia_trial(screener):
    # The reviewer's Synthea case: a 52-year-old man whose record never mentions B-ALL.
    gates, candidate = _gates(screener, sex="male", birth_date="1974-05-01")
    assert (gates, candidate) == ("unrecorded", False)


def test_a_recorded_b_all_with_its_relapse_undated_is_open_and_a_candidate(screener):
    gates, candidate = _gates(
        screener,
        sex="female",
        birth_date="1990-01-01",
        conditions=[{"code": "B-cell acute lymphoblastic leukemia", "status": "present", "onset": "2024-03"}],
    )
    assert (gates, candidate) == ("open", True)


def test_an_age_outside_the_trial_closes_the_gate_whatever_the_disease(screener):
    gates, candidate = _gates(
        screener,
        sex="female",
        birth_date="1950-01-01",
        conditions=[{"code": "B-cell acute lymphoblastic leukemia", "status": "present", "onset": "2024-03"}],
    )
    assert (gates, candidate) == ("not met", False)


def test_a_leukaemia_recorded_absent_is_a_gate_not_met(screener):
    gates, _ = _gates(
        screener,
        sex="female",
        birth_date="1990-01-01",
        conditions=[{"code": "B-cell acute lymphoblastic leukemia", "status": "absent"}],
    )
    assert gates == "not met"


def test_the_example_patient_meets_every_gate_and_the_json_says_which_criteria_are_gates(screener):
    example = Path(__file__).parents[3] / "examples" / "patient.yaml"
    result = screener.screen(example, as_of=AS_OF, trials=B_ALL)[0]
    assert result.gates == "met" and result.candidate
    data = to_jsonable([result])[0]
    assert data["gates"] == "met"
    assert [c["id"] for c in data["criteria"] if c["gate"]] == ["INC-02", "INC-03"]


def test_an_ineligible_trial_is_never_a_candidate_even_with_its_gates_met(screener):
    path = Path(__file__).parents[3] / "examples" / "patient.yaml"
    example = load_yaml(path.read_text(), str(path))
    example["labs"] = [lab for lab in example["labs"] if lab["code"] != "hemoglobin"]
    example["labs"].append({"code": "hemoglobin", "value": 50, "unit": "g/L", "date": "2026-11-19"})
    result = screener.screen(example, as_of=AS_OF, trials=B_ALL)[0]
    assert result.gates == "met" and result.overall == "ineligible" and not result.candidate


def test_a_ruleset_that_marks_no_gate_gates_on_every_inclusion(tmp_path):
    (tmp_path / "NCT00000001.yaml").write_text(
        text_of(
            """
            - {id: INC-01, kind: inclusion, text: Hemoglobin ≥ 9 g/dL, require: hemoglobin >= 9 g/dL}
            - {id: EXC-01, kind: exclusion, text: Epilepsy, exclude if: has epilepsy}
            """
        )
    )
    s = Screener.from_directory(tmp_path)
    result = s.screen({"id": "p"}, as_of=AS_OF)[0]
    assert [c.gate for c in result.criteria] == [True, False]
    assert result.gates == "open"  # the missing hemoglobin is for a person to settle


def test_every_trial_has_a_short_title_people_know_it_by(screener):
    for rs in screener.rulesets.values():
        assert 3 <= len(rs.short_title) <= 60 and rs.short_title != rs.title
    assert screener.screen({"id": "p"}, as_of=AS_OF, trials=B_ALL)[0].short_title == "STR-P004 (B-ALL)"
