"""Subsumption safety over every shipped ruleset: a kind of what a criterion asks about counts as it.

For every criterion that asks about a condition or therapy concept C, and where recording C itself (in a
patient whose condition and therapy histories are otherwise complete and empty) keeps the patient from
being eligible on that criterion: recording any concept below C instead never makes it eligible, and
recording a concept above C (less specific) never does either. A kind of C that the criterion itself
treats differently (an excepted class, or another concept the same criterion names) is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import Screener
from engine.facts.model import HistoryRequest, Window
from engine.vocabulary import get_vocabulary

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 6, 10)
REFERENCES = {"consent": date(2026, 5, 31), "screening": date(2026, 6, 1), "enrollment": date(2026, 6, 5)}
REFERENCES["first_dose"] = date(2026, 6, 8)


@dataclass(frozen=True)
class Question:
    trial: str
    criterion: str
    request: HistoryRequest
    others: frozenset[str]  # every other concept the criterion names (asked about or excepted)


def _questions(screener: Screener) -> list[Question]:
    out = []
    for trial, rs in screener.rulesets.items():
        for c in rs.criteria:
            asked = [r for r in c.condition.requests() if isinstance(r, HistoryRequest)]
            named = {r.name for r in asked} | {e for r in asked for e in r.excluding}
            out += [Question(trial, c.id, r, frozenset(named - {r.name})) for r in asked]
    return out


def _record(domain: str, label: str, request: HistoryRequest) -> dict:
    """A record of ``label`` inside the time the request asks about."""
    when = request.when
    day = REFERENCES[when.reference] - timedelta(days=1) if isinstance(when, Window) else AS_OF - timedelta(days=30)
    if domain == "conditions":
        return {"conditions": [{"code": label, "status": "present", "onset": day.isoformat()}]}
    therapy: dict = {"name": label, "start": day.isoformat(), "route": "oral"}
    therapy |= {"ongoing": True} if when == "now" else {"end": day.isoformat()}
    return {"therapies": [therapy]}


def _verdict(screener: Screener, q: Question, label: str) -> str:
    patient = {
        "id": "subsumption",
        "reference_dates": {k: v.isoformat() for k, v in REFERENCES.items()},
        "complete_history": ["conditions", "therapies"],
        **_record(q.request.domain, label, q.request),
    }
    return screener.screen(patient, as_of=AS_OF, trials=[q.trial])[0].criterion(q.criterion).verdict


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_directory(ROOT / "rulesets")


@pytest.fixture(scope="module")
def cases(screener: Screener) -> list[tuple[Question, str, str]]:
    """(question, label of a related concept, how it relates) where recording the asked concept itself
    keeps the criterion from eligible."""
    vocab = get_vocabulary()
    out = []
    for q in _questions(screener):
        asked = q.request.name
        if _verdict(screener, q, vocab[asked].label) == "eligible":
            continue  # its presence does not count against the patient here (an inclusion, a conjunction)
        for d in sorted(vocab.descendants(asked) - {asked}):
            if not any(vocab.is_a(d, other) for other in q.others):
                out.append((q, vocab[d].label, "below"))
        for a in sorted(vocab.ancestors(asked) - {asked}):
            if vocab[a].parents and not any(vocab.is_a(a, other) for other in q.others):  # not the domain root
                out.append((q, vocab[a].label, "above"))
    return out


def test_the_shipped_rulesets_ask_about_concepts_with_kinds(cases):
    assert len({(q.trial, q.request.name) for q, _, how in cases if how == "below"}) >= 20
    assert {q.trial for q, _, _ in cases} == {"NCT06849401", "NCT07245251", "NCT07257640", "NCT07310355", "NCT07333573"}


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_kind_of_what_is_asked_or_a_broader_record_never_makes_a_criterion_eligible(screener, cases, data):
    q, label, how = data.draw(st.sampled_from(cases))
    verdict = _verdict(screener, q, label)
    assert verdict != "eligible", f"{q.trial} {q.criterion}: '{label}' ({how} {q.request.name}) gave eligible"
