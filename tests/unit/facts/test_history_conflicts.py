"""Conditions and answers that contradict each other, answers scoped to their trial, and partial dates at
the edge of a history window: each is a review naming the records, never a silent pick."""

from datetime import date

import pytest

from engine.catalog import get_catalog
from engine.evaluate.nodes import Truth
from engine.facts.extract import PatientIndex, extract_facts
from engine.facts.model import JudgementRequest
from engine.patient import patient_from_data
from engine.rules.language import parse_sentence

AS_OF = date(2026, 11, 20)
TRIAL = "NCT07245251"


def index(**patient) -> PatientIndex:
    data = {"id": "p", "reference_dates": {"screening": AS_OF}} | patient
    return PatientIndex(patient_from_data(data), get_catalog(), AS_OF)


def screen(sentence: str, **patient):
    node = parse_sentence(get_catalog(), sentence)
    facts = extract_facts(index(**patient), list(node.requests()), TRIAL)
    return facts[node.request], node.evaluate(facts).truth


# --- a condition recorded both present and absent ------------------------------------------------------------


def test_a_condition_present_and_absent_is_ambiguous_naming_both():
    fact, truth = screen(
        "has Gilbert's syndrome",
        conditions=[
            {"code": "Gilbert's syndrome", "status": "present", "id": "c1"},
            {"code": "gilbert syndrome", "status": "absent", "id": "c2"},
        ],
    )
    assert truth is Truth.UNKNOWN and fact.value is None and fact.reason.kind == "ambiguous"
    assert fact.reason.message == ("Gilbert's syndrome is recorded both present (c1) and absent (c2)")
    assert {e.source for e in fact.evidence} == {"c1", "c2"}


def test_an_episode_that_ended_before_the_window_does_not_contradict_absent():
    fact, truth = screen(
        "has Gilbert's syndrome",
        conditions=[
            {"code": "Gilbert's syndrome", "status": "present", "onset": "2020-01-01", "resolved": "2021-01-01"},
            {"code": "Gilbert's syndrome", "status": "absent"},
        ],
    )
    assert fact.value is False and truth is Truth.FALSE


def test_a_condition_recorded_absent_alone_is_false():
    fact, _ = screen("has Gilbert's syndrome", conditions=[{"code": "Gilbert's syndrome", "status": "absent"}])
    assert fact.value is False


# --- answers: one trial's answer never answers another's question, and two answers conflict -----------------


def judge(*attestations: dict, trial: str = TRIAL):
    r = JudgementRequest("INC-01", "Is the statement true?")
    return extract_facts(index(attestations=list(attestations)), [r], trial)[r]


def answer(ans: str, trial: str = TRIAL, **extra) -> dict:
    return {"criterion": "INC-01", "answer": ans, "by": "Dr A", "trial": trial} | extra


def test_an_answer_counts_for_its_own_trial_only():
    assert judge(answer("yes", "nct07245251")).value is True  # trial ids compare case-insensitively
    other = judge(answer("yes", "NCT07310355"))
    assert other.value is None and other.reason.kind == "judgement"


def test_two_different_answers_to_one_question_are_ambiguous_naming_both():
    fact = judge(answer("yes", date="2026-11-01"), answer("no", by="Dr B", date="2026-11-02"))
    assert fact.value is None and fact.reason.kind == "ambiguous"
    assert fact.reason.message == (
        "INC-01 has conflicting answers: 'yes' by Dr A on 2026-11-01, 'no' by Dr B on 2026-11-02"
    )
    assert len(fact.evidence) == 2


def test_the_same_answer_twice_is_fine():
    fact = judge(answer("no"), answer("no", by="Dr B"))
    assert fact.value is False and len(fact.evidence) == 2


def test_another_trials_different_answer_does_not_conflict():
    assert judge(answer("yes"), answer("no", "NCT07310355")).value is True


# --- partial dates at the edge of a history window -----------------------------------------------------------


@pytest.mark.parametrize(
    "therapy",
    [
        {"name": "cyclophosphamide", "start": "2026-09-01", "end": "2026-10"},  # ended 1-31 Oct; window opens 23 Oct
        {"name": "cyclophosphamide", "start": "2026-10", "end": "2026-10"},
        {"name": "cyclophosphamide", "end": "2026"},
    ],
)
def test_a_therapy_ending_on_a_partial_date_that_straddles_the_window_start_is_undecided(therapy):
    fact, truth = screen(
        "received chemotherapy within 28 days before screening",
        therapies=[therapy],
        complete_history=["therapies"],
    )
    assert truth is Truth.UNKNOWN and fact.reason.kind == "ambiguous"


@pytest.mark.parametrize(
    "condition",
    [
        {"code": "Gilbert's syndrome", "status": "present", "onset": "2026-11"},  # may begin after screening
        {"code": "Gilbert's syndrome", "status": "present", "onset": "2026"},
    ],
)
def test_a_condition_whose_onset_straddles_the_reference_date_is_undecided(condition):
    fact, truth = screen("has Gilbert's syndrome within 28 days before screening", conditions=[condition])
    assert truth is Truth.UNKNOWN and fact.reason.kind == "ambiguous"


@pytest.mark.parametrize("onset", ["2026-11", "2026-11-19/.."])
def test_a_condition_whose_onset_may_fall_after_the_as_of_date_is_undecided_now(onset):
    fact, truth = screen(
        "has Gilbert's syndrome", conditions=[{"code": "Gilbert's syndrome", "status": "present", "onset": onset}]
    )
    assert truth is Truth.UNKNOWN and fact.reason.kind == "ambiguous"


def test_a_condition_beginning_after_the_as_of_date_is_not_present_now():
    fact, truth = screen(
        "has Gilbert's syndrome", conditions=[{"code": "Gilbert's syndrome", "status": "present", "onset": "2026-12"}]
    )
    assert truth is Truth.UNKNOWN and fact.reason.kind == "missing"  # another, current episode is not ruled out
    fact, truth = screen(
        "has Gilbert's syndrome",
        conditions=[{"code": "Gilbert's syndrome", "status": "present", "onset": "2026-12"}],
        complete_history=["conditions"],
    )
    assert truth is Truth.FALSE
