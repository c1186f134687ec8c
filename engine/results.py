"""Screening results: the JSON contract of DESIGN.md as pydantic models (versioned by ``schema_version``)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = ["CriterionResult", "EvidenceItem", "ReasonItem", "RulesetInfo", "TrialResult", "Verdict"]

Verdict = Literal["eligible", "ineligible", "needs-review"]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class ReasonItem(_Out):
    """Why a criterion needs review: ``kind`` is missing, stale, judgement or ambiguous."""

    kind: Literal["missing", "stale", "judgement", "ambiguous"]
    fact: str
    message: str
    settle: str


class EvidenceItem(_Out):
    """A source record used for a verdict: record id or path, its value as written, and its date."""

    source: str
    value: str
    date: str | None = None


class CriterionResult(_Out):
    id: str
    kind: Literal["inclusion", "exclusion"]
    text: str
    verdict: Verdict
    reasons: list[ReasonItem]
    explanation: str
    evidence: list[EvidenceItem]
    changes_on: date | None = None


class RulesetInfo(_Out):
    version: str
    hash: str
    path: str


class TrialResult(_Out):
    schema_version: Literal["1"] = "1"
    trial: str
    title: str
    ruleset: RulesetInfo
    patient: str
    as_of: date
    overall: Verdict
    criteria: list[CriterionResult]
    missing_data: list[str]

    def criterion(self, cid: str) -> CriterionResult:
        """The result of one criterion by id (KeyError naming the id and trial when absent)."""
        for c in self.criteria:
            if c.id == cid:
                return c
        raise KeyError(f"{self.trial} has no criterion '{cid}'")
