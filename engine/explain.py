"""Every sentence a person reads about a verdict, written here from the trace: the criterion's verdict, the leaves
that decided it, their facts and evidence.

Rules the wording follows (docs/architecture.md, "Explanations"): one statement per leaf, "<what the protocol
asks>: yes | no | unknown (<what the record shows>)", those that decided the verdict first, the record's part
without repeating the subject; a question for a person is said once; each item that would settle a review once
per criterion and once per trial, and only for a trial a review can still change; English from
:mod:`engine.words` (articles, plurals, units, lists).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .evaluate.logic import Truth
from .evaluate.nodes import All, Not, Trace
from .facts.model import Evidence, Fact, JudgementRequest, Reason
from .results import CriterionResult, Verdict
from .words import OTHER_PARTS, settle_items

__all__ = ["Explained", "explain", "missing_data", "statement", "walk"]

_PHRASE = {
    ("inclusion", "eligible"): "Met",
    ("inclusion", "ineligible"): "Not met",
    ("exclusion", "eligible"): "Exclusion does not apply",
    ("exclusion", "ineligible"): "Exclusion applies",
}
_EXCEPT = re.compile(r" \(except [^)]*\)")
_NONE_IN = re.compile(r"no .+ in (the complete (?:condition|therapy) history)")
_VERBS = ("has ", "received ", "receiving ", "is receiving ", "currently receiving ")


@dataclass(frozen=True, slots=True)
class Explained:
    """What a criterion's trace says to a person: why, what would settle it, from which data."""

    explanation: str
    reasons: tuple[Reason, ...]
    evidence: tuple[Evidence, ...]
    changes_on: date | None
    leaves: tuple[Trace, ...]


def walk(trace: Trace, deciding: bool, leaves: list[Trace], decided_by: list[Trace]) -> None:
    """Walk a trace once: every leaf in written order, and the leaves that decided it (Kleene).

    A decisive child alone explains its group (one FALSE in an ALL, one TRUE in an ANY); otherwise every
    child matters (for an unknown group, the settled children show why the unknown ones decide it).
    """
    children = trace.children
    if not children:
        leaves.append(trace)
        if deciding and trace.fact is not None:
            decided_by.append(trace)
        return
    node = trace.node
    if isinstance(node, Not):
        walk(children[0], deciding, leaves, decided_by)
        return
    decisive = Truth.FALSE if isinstance(node, All) else Truth.TRUE
    only_decisive = trace.truth is decisive
    for child in children:
        walk(child, deciding and (not only_decisive or child.truth is decisive), leaves, decided_by)


def statement(leaf: Trace) -> str:
    """One leaf as a person reads it: "platelets ≥ 30 × 10⁹/L: yes (64 K/µL = 64 × 10⁹/L on 2026-11-19)".

    A question for a person is said once ("… not yet answered"), never as the label and again as the reason.
    """
    fact: Fact = leaf.fact  # type: ignore[assignment]
    request = getattr(leaf.node, "request", None)
    if isinstance(request, JudgementRequest):
        if leaf.truth is Truth.UNKNOWN and fact.reason is not None and fact.reason.kind == "judgement":
            return f"for the investigator: {request.question} (not yet answered)"
        answer = {Truth.TRUE: "yes", Truth.FALSE: "no"}.get(leaf.truth, "unknown")
        return f"for the investigator: {request.question} {answer} ({_detail(leaf, fact.shown)})"
    if leaf.truth is Truth.UNKNOWN:  # the reason stands alone in the JSON reasons; here after its subject
        message: str = fact.reason.message  # type: ignore[union-attr]
        if message == f"no {fact.reason.fact} result":  # type: ignore[union-attr]
            message = "no result on record"
        return f"{leaf.node.describe()}: unknown ({message})"
    answer = "yes" if leaf.truth is Truth.TRUE else "no"
    return f"{leaf.node.describe()}: {answer} ({_detail(leaf, fact.shown)})"


def _detail(leaf: Trace, shown: str) -> str:
    """What the record shows, without repeating the subject the statement has just named
    ("age 34 years at screening" after "age between 2 and 18 years" is "34 years at screening"; "no X in the
    complete condition history" after "has X" is "none in the complete condition history")."""
    nothing = _NONE_IN.fullmatch(shown)  # "has X: no (no X in the complete condition history)"
    if nothing:
        return f"none in {nothing.group(1)}"
    for head in _heads(getattr(leaf.node, "label", "")):
        if shown.startswith(head) and len(shown) > len(head):
            return shown[len(head) :]
    return shown


@lru_cache(maxsize=8192)  # one entry per leaf label of the compiled rulesets
def _heads(label: str) -> tuple[str, ...]:
    """The ways a fact's shown text may begin by naming the statement's subject, each with its separator."""
    subject = next((label[len(v) :] for v in _VERBS if label.startswith(v)), label)
    subject = _EXCEPT.sub("", subject)  # "malignant neoplasm (except …) within 5 years": the record names no exception
    heads = (
        subject + " now",
        subject,
        subject.split(" within ")[0],
        subject.removesuffix(" ever"),
        subject.removesuffix(" at any time"),
    )
    return tuple(head + sep for head in dict.fromkeys(heads) if head for sep in (": ", " "))


def explain(kind: str, verdict: Verdict, trace: Trace) -> Explained:
    """The explanation of one criterion's verdict from its trace, and what would settle it."""
    leaves: list[Trace] = []
    deciding_traces: list[Trace] = []
    if not trace.children:  # a single leaf (most criteria): it is every leaf, and it decides
        leaves.append(trace)
        if trace.fact is not None:
            deciding_traces.append(trace)
    else:
        walk(trace, True, leaves, deciding_traces)
    deciding = [t.fact for t in deciding_traces if t.fact is not None]
    reasons: list[Reason] = []
    if verdict == "needs-review":
        seen = set()
        for t in deciding_traces:
            f = t.fact
            if t.truth is Truth.UNKNOWN and f and f.reason and (f.reason.kind, f.reason.message) not in seen:
                seen.add((f.reason.kind, f.reason.message))
                reasons.append(f.reason)
    records = [e for leaf in leaves if leaf.fact for e in leaf.fact.evidence]
    evidence = tuple(records) if len(records) < 2 else tuple(dict.fromkeys(records))  # one needs no de-duplication
    changes = [f.changes_on for f in deciding if f.changes_on]
    phrase = _PHRASE.get((kind, verdict), "Needs review")
    # What decided the verdict comes first (a summary quotes the first statement); the rest after "Other parts".
    decided_by = {id(t) for t in deciding_traces}
    said = [(id(leaf) in decided_by, statement(leaf)) for leaf in leaves if leaf.fact is not None]
    first = dict.fromkeys(s for deciding_leaf, s in said if deciding_leaf)
    rest = dict.fromkeys(s for deciding_leaf, s in said if not deciding_leaf and s not in first)
    explanation = f"{phrase}: " + "; ".join(first or rest) + "."
    if first and rest:
        explanation += f" {OTHER_PARTS} " + "; ".join(rest) + "."
    if changes and verdict != "eligible":
        explanation += f" Could change on {min(changes)}."
    elif changes:
        explanation += f" Holds until {min(changes)}."
    return Explained(explanation, tuple(reasons), evidence, min(changes) if changes else None, tuple(leaves))


def missing_data(overall: Verdict, criteria: tuple[CriterionResult, ...] | list[CriterionResult]) -> tuple[str, ...]:
    """What would settle a trial's reviews, each item once, in criterion order; only for a trial still in review:
    a trial ineligible on a settled criterion stays ineligible whatever the open items say."""
    if overall != "needs-review":
        return ()
    items = (i for c in criteria if c.verdict == "needs-review" for r in c.reasons for i in settle_items(r.settle))
    return tuple(dict.fromkeys(items))
