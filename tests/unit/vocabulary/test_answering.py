"""``Vocabulary.answering`` (the sets history facts read) agrees with ``relation`` and ``is_a`` record by record.

The sets are a cache of the per-record rules: for every question a shipped ruleset asks (with its excepted
kinds) and every concept a record could name, membership must say what the rules say.
"""

from __future__ import annotations

import pytest

from engine.facts.model import HistoryRequest
from engine.rules.loader import load_ruleset
from engine.screening import DEFAULT_RULESETS
from engine.vocabulary import get_vocabulary


def _questions() -> list[tuple[str, frozenset[str]]]:
    asked = {
        (r.name, r.excluding)
        for path in sorted(DEFAULT_RULESETS.glob("*.yaml"))
        for r in load_ruleset(path).requests
        if isinstance(r, HistoryRequest)
    }
    # Every question also with an excepted kind below it, as a protocol's "except" would give it.
    vocab = get_vocabulary()
    more = {(q, frozenset({min(vocab.children(q))})) for q, _ in asked if vocab.children(q)}
    return sorted(asked | more, key=lambda qe: (qe[0], sorted(qe[1])))


@pytest.mark.parametrize(("question", "excluding"), _questions())
def test_answering_sets_match_the_per_record_rules(question: str, excluding: frozenset[str]) -> None:
    vocab = get_vocabulary()
    answering = vocab.answering(question, excluding)
    for cid in vocab.concepts:
        skipped = any(vocab.is_a(cid, e) for e in excluding)
        relation = vocab.relation(cid, question)
        if relation == "is" and any(vocab.is_a(e, cid) for e in excluding):
            relation = "broader"
        present = not skipped and relation == "is"
        vague = not skipped and relation in ("broader", "unclassified")
        denies = not skipped and vocab.is_a(question, cid)
        assert (cid in answering.present, cid in answering.vague, cid in answering.denies) == (
            present,
            vague,
            denies,
        ), cid
        assert (cid in answering.said) == (present or vague or denies), cid
        assert (cid in answering.related) == (vocab.relation(cid, question) != "other"), cid
