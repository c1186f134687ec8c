"""Patient -> the facts one trial needs, each with its evidence, or a reason it is unknown.

This is where dates become windows, units become the catalog's units, and history becomes yes/no/unknown:
rules never see a raw record. Each kind of fact has its reader: observations, derived, history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .derived import derived_fact
from .history import conditions_fact, therapies_fact
from .index import PatientIndex, sex_fact, unknown
from .model import (
    DerivedRequest,
    Evidence,
    Fact,
    FactRequest,
    HistoryRequest,
    JudgementRequest,
    ObservationRequest,
    SexRequest,
)
from .observations import observation

__all__ = ["PatientIndex", "extract_facts"]


def extract_facts(index: PatientIndex, requests: Iterable[FactRequest], trial: str) -> dict[FactRequest, Fact]:
    """Answer every request for one patient; never raises for data problems (they become reasons)."""
    return {r: _answer(index, r, trial) for r in requests}


def _answer(ix: PatientIndex, r: FactRequest, trial: str) -> Fact:
    reader = _READERS.get(type(r))
    if reader is None:
        raise TypeError(f"unknown request {r!r}")
    return reader(ix, r, trial)


def _history(ix: PatientIndex, r: HistoryRequest, trial: str) -> Fact:
    fact = ix.memo.get(r)  # trials ask the same questions ("active hepatitis B"): answered once per patient
    if fact is None:
        fact = ix.memo[r] = conditions_fact(ix, r) if r.domain == "conditions" else therapies_fact(ix, r)
    return fact


def _judgement(ix: PatientIndex, r: JudgementRequest, trial: str) -> Fact:
    if (trial.casefold(), r.criterion.casefold()) not in ix.attested:  # no answer on record: as for anyone
        return ix.shared_fact(("judgement", r), lambda: _attested(ix, r, trial))
    return _attested(ix, r, trial)


def _attested(ix: PatientIndex, r: JudgementRequest, trial: str) -> Fact:
    """The attested answer to a criterion's question, from attestations of this trial only (trial ids compared
    case-insensitively: criterion ids repeat across trials with different questions). Two different answers
    are a review."""
    answers = [
        (i, a)
        for i, a in enumerate(ix.patient.attestations)
        if a.criterion.casefold() == r.criterion.casefold() and a.trial.casefold() == trial.casefold()
    ]
    if not answers:
        return unknown(
            "judgement",
            r.question,
            f"needs a person to decide: {r.question}",
            f"the investigator's answer to {r.criterion}: {r.question}",
        )
    evidence = tuple(Evidence(a.where(i), a.answer, str(a.date) if a.date else None) for i, a in answers)
    said = ", ".join(f"'{a.answer}' by {a.by}" + (f" on {a.date}" if a.date else "") for _, a in answers)
    if len({a.answer for _, a in answers}) > 1:
        return unknown(
            "ambiguous",
            r.question,
            f"{r.criterion} has conflicting answers: {said}",
            f"one answer for {r.criterion}: {r.question}",
            evidence,
        )
    return Fact(answers[0][1].answer == "yes", f"answered {said}", evidence)


# One reader per kind of request, found by its type (one dictionary read per fact).
_READERS: dict[type, Callable[[PatientIndex, Any, str], Fact]] = {
    ObservationRequest: lambda ix, r, _: observation(ix, r.code, r.window, r.per_uln, r.extreme),
    DerivedRequest: lambda ix, r, _: derived_fact(ix, r),
    SexRequest: lambda ix, r, _: sex_fact(ix),
    HistoryRequest: _history,
    JudgementRequest: _judgement,
}
