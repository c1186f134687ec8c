"""Patient -> the facts one trial needs, each with its evidence, or a reason it is unknown.

This is where dates become windows, units become the catalog's units, and history becomes yes/no/unknown:
rules never see a raw record. Each kind of fact has its reader: observations, derived, history.
"""

from __future__ import annotations

from collections.abc import Iterable

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
    if isinstance(r, ObservationRequest):
        return observation(ix, r.code, r.window, r.per_uln)
    if isinstance(r, DerivedRequest):
        return derived_fact(ix, r)
    if isinstance(r, SexRequest):
        return sex_fact(ix)
    if isinstance(r, HistoryRequest):
        return conditions_fact(ix, r) if r.domain == "conditions" else therapies_fact(ix, r)
    if isinstance(r, JudgementRequest):
        return _judgement(ix, r, trial)
    raise TypeError(f"unknown request {r!r}")


def _judgement(ix: PatientIndex, r: JudgementRequest, trial: str) -> Fact:
    for a in ix.patient.attestations:
        if a.criterion == r.criterion and a.trial in (None, trial):
            answer = a.answer == "yes"
            on = f" on {a.date}" if a.date else ""
            return Fact(
                answer,
                f"answered '{a.answer}' by {a.by}{on}",
                (Evidence(f"attestation {a.criterion}", a.answer, str(a.date) if a.date else None),),
            )
    return unknown(
        "judgement",
        r.question,
        f"needs a person to decide: {r.question}",
        f"an attestation for {r.criterion}: {r.question}",
    )
