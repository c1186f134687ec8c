"""One trial's population counts, added one patient at a time: verdicts, gates, candidates and attrition.

Attrition is counted as OHDSI ATLAS shows an inclusion-rule cascade: all screened patients enter the first
criterion, in protocol order; a patient leaves at the first criterion that makes them ineligible (an inclusion
not met, an exclusion that applies), so each inclusion keeps and each exclusion removes patients in sequence.
Beside the cascade each criterion also has its independent counts: how many patients it rules out alone and
how many need a review there, whatever the criteria before it say.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..errors import InputError
from .report_input import TrialLine

__all__ = ["CriterionStep", "TrialTally"]


@dataclass(frozen=True, slots=True)
class CriterionStep:
    """One criterion's line in the attrition table.

    ``before`` patients reach it, ``removed`` of them are ineligible there (the first criterion that rules them
    out), ``after`` go on; ``review`` of those reaching it need a review there. ``ineligible_alone`` and
    ``review_alone`` count every screened patient, as if this criterion were the only one.
    """

    criterion: str
    kind: str
    gate: bool
    text: str
    before: int
    removed: int
    after: int
    review: int
    ineligible_alone: int
    review_alone: int


class TrialTally:
    """Counters for one trial (one ruleset version), fed with :meth:`add`; memory grows with candidates only."""

    def __init__(self, first: TrialLine) -> None:
        self.trial = first.trial
        self.title = first.title
        self.short_title = first.short_title
        self.version = first.ruleset.version
        self.hash = first.ruleset.hash
        self.criteria = tuple(c.id for c in first.criteria)
        self._about = {c.id: (c.kind, c.gate, c.text) for c in first.criteria}
        self.screened = 0
        self.overall: Counter[str] = Counter()
        self.gates: Counter[str] = Counter()
        self.eligible: list[str] = []
        self.review_gates_met: list[str] = []
        self._removed = [0] * len(self.criteria)
        self._review = [0] * len(self.criteria)
        self._ineligible_alone = [0] * len(self.criteria)
        self._review_alone = [0] * len(self.criteria)

    def add(self, result: TrialLine, where: str) -> None:
        """Count one patient's result for this trial (``where`` names its line for errors)."""
        if result.ruleset.hash != self.hash:
            raise InputError(
                f"{self.trial} was screened with ruleset {result.ruleset.hash} here and {self.hash} on earlier"
                " lines: a report counts one version of each ruleset",
                path=where,
            )
        if tuple(c.id for c in result.criteria) != self.criteria:
            raise InputError(f"{self.trial} lists other criteria than on earlier lines of the same ruleset", path=where)
        self.screened += 1
        self.overall[result.overall] += 1
        self.gates[result.gates] += 1
        if result.overall == "eligible":
            self.eligible.append(result.patient)
        elif result.overall == "needs-review" and result.gates == "met":
            self.review_gates_met.append(result.patient)
        still_in = True
        for i, c in enumerate(result.criteria):
            if c.verdict == "ineligible":
                self._ineligible_alone[i] += 1
            elif c.verdict == "needs-review":
                self._review_alone[i] += 1
            if still_in:
                self._review[i] += c.verdict == "needs-review"
                if c.verdict == "ineligible":
                    self._removed[i] += 1
                    still_in = False

    def steps(self) -> list[CriterionStep]:
        """The attrition table, in protocol order."""
        steps = []
        left = self.screened
        for i, cid in enumerate(self.criteria):
            kind, gate, text = self._about[cid]
            steps.append(
                CriterionStep(
                    criterion=cid,
                    kind=kind,
                    gate=gate,
                    text=text,
                    before=left,
                    removed=self._removed[i],
                    after=left - self._removed[i],
                    review=self._review[i],
                    ineligible_alone=self._ineligible_alone[i],
                    review_alone=self._review_alone[i],
                )
            )
            left -= self._removed[i]
        return steps
