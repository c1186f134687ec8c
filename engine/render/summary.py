"""What a reader needs first about each trial, computed once from finished results for any summary: the order
(candidates first), the counts, the criterion that decided an ineligible trial, what would settle an open one,
and the patient-level notices (unmapped records, warnings) gathered across trials."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..results import CriterionResult, TrialResult
from ..words import OTHER_PARTS, settle_items

__all__ = [
    "Counts",
    "Notice",
    "WorkItem",
    "about_record",
    "counts",
    "deciding",
    "first_statement",
    "notices",
    "ordered",
    "worklist",
]

_RANK = {"eligible": 0, "needs-review": 1, "ineligible": 2}


def ordered(results: Sequence[TrialResult]) -> list[TrialResult]:
    """Candidates first (worth a coordinator's time), then by verdict: eligible, to review, ineligible; then id."""
    return sorted(results, key=lambda r: (not r.candidate, _RANK[r.overall], r.trial))


@dataclass(frozen=True, slots=True)
class Counts:
    """How many of a trial's criteria are met, not met, and need review."""

    met: int
    not_met: int
    review: int


def counts(r: TrialResult) -> Counts:
    """The criteria of one trial counted by verdict."""
    verdicts = [c.verdict for c in r.criteria]
    return Counts(verdicts.count("eligible"), verdicts.count("ineligible"), verdicts.count("needs-review"))


def deciding(r: TrialResult) -> CriterionResult | None:
    """The criterion that rules the patient out: a gate (not the trial's disease or population) before any other,
    as that is the reason a reader grasps at once. None unless the trial is ineligible."""
    not_met = [c for c in r.criteria if c.verdict == "ineligible"]
    return next((c for c in not_met if c.gate), not_met[0]) if not_met else None


def first_statement(c: CriterionResult, limit: int | None = None) -> str:
    """The explanation's first statement (one that decided the verdict) without its verdict phrase ("Not met:
    …"): the gist for a summary, cut to ``limit`` characters."""
    first = c.explanation.split(": ", 1)[-1].split(f" {OTHER_PARTS} ")[0].split("; ")[0].rstrip(".")
    return first if limit is None or len(first) <= limit else first[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class WorkItem:
    """One piece of data or one decision that would settle reviews, and the criteria it would settle."""

    text: str
    criteria: tuple[str, ...]


def worklist(r: TrialResult) -> tuple[WorkItem, ...]:
    """What would settle a trial's reviews, each item once, in ``missing_data`` order; empty for a decided trial
    (an ineligible one stays ineligible whatever is settled, so nothing in it is worth chasing)."""
    if r.overall != "needs-review":
        return ()
    settles: dict[str, list[str]] = {}
    for c in r.criteria:
        if c.verdict == "needs-review":
            for item in (i for reason in c.reasons for i in settle_items(reason.settle)):  # as missing_data splits
                ids = settles.setdefault(item, [])
                if c.id not in ids:
                    ids.append(c.id)
    return tuple(WorkItem(text, tuple(settles.get(text, ()))) for text in dict.fromkeys(r.missing_data))


@dataclass(frozen=True, slots=True)
class Notice:
    """A record left unused or a warning, once, with the trials whose results carry it."""

    text: str
    trials: tuple[str, ...]


def notices(results: Sequence[TrialResult], field: Literal["unmapped", "warnings"]) -> tuple[Notice, ...]:
    """Each distinct text of ``field`` across trials, in first-seen order: most are
    about the patient's record, so they repeat in every trial's result and are shown once."""
    seen: dict[str, list[str]] = {}
    for r in results:
        for text in getattr(r, field):
            trials = seen.setdefault(text, [])
            if r.trial not in trials:
                trials.append(r.trial)
    return tuple(Notice(text, tuple(trials)) for text, trials in seen.items())


def about_record(notice: Notice, results: Sequence[TrialResult]) -> bool:
    """True for a notice every one of several trials carries: it is about the record, not about one trial."""
    return len(results) > 1 and len(notice.trials) == len(results)
