"""Screening results: the JSON contract of DESIGN.md.

Plain frozen dataclasses, built on the hot path without re-validation; :func:`to_jsonable` gives the
contract's JSON shape (dates as ISO strings, verdicts as their exact strings), versioned by ``schema_version``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import TypeAdapter

from .facts.model import Evidence, Reason

__all__ = ["CriterionResult", "GateStatus", "RulesetInfo", "TrialResult", "Verdict", "to_jsonable"]

Verdict = Literal["eligible", "ineligible", "needs-review"]
GateStatus = Literal["met", "open", "unrecorded", "not met"]
"""How a trial's gate criteria (the disease and population ones) stand: all met; some open for reasons a person
can settle; some open only because the record does not mention the condition the trial is for at all (a
candidate nobody has reason to think of); or some not met."""


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One criterion's verdict, why (``explanation``), what would settle a review (``reasons``), from which data."""

    id: str
    kind: Literal["inclusion", "exclusion"]
    text: str
    verdict: Verdict
    reasons: tuple[Reason, ...]
    explanation: str
    evidence: tuple[Evidence, ...]
    changes_on: date | None = None
    gate: bool = False


@dataclass(frozen=True, slots=True)
class RulesetInfo:
    version: str
    hash: str
    path: str


@dataclass(frozen=True, slots=True)
class TrialResult:
    """One patient screened against one trial."""

    trial: str
    title: str
    ruleset: RulesetInfo
    patient: str
    as_of: date
    overall: Verdict
    criteria: tuple[CriterionResult, ...]
    missing_data: tuple[str, ...]
    unmapped: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    gates: GateStatus = "met"
    short_title: str = ""
    schema_version: str = "1"

    @property
    def candidate(self) -> bool:
        """Worth a coordinator's time: not ruled out, and its gates met or open for reasons a person can settle."""
        return self.overall != "ineligible" and self.gates in ("met", "open")

    def criterion(self, cid: str) -> CriterionResult:
        """The result of one criterion by id (KeyError naming the id and trial when absent)."""
        for c in self.criteria:
            if c.id == cid:
                return c
        raise KeyError(f"{self.trial} has no criterion '{cid}'")


_ADAPTER = TypeAdapter(list[TrialResult])


def to_jsonable(results: list[TrialResult]) -> list[dict[str, Any]]:
    """The results as JSON-ready dicts following the contract."""
    return _ADAPTER.dump_python(list(results), mode="json")
