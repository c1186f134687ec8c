"""durable-rules and the reference evaluation agree on every criterion of every ruleset, for random facts:
values on, just beside and far from every threshold the rules compare against, ranges, and unknowns."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import Screener
from engine.catalog import get_catalog
from engine.evaluate.nodes import All, Any, Between, Compare, Not, OneOf
from engine.facts.model import DerivedRequest, Fact, ObservationRequest, Range, Reason, SexRequest

ROOT = Path(__file__).resolve().parents[2]
SCREENER = Screener.from_directory(ROOT / "rulesets")
UNKNOWN = Fact(None, "", reason=Reason("missing", "x", "random gap", "x"))


def _interesting(rs) -> dict:
    """Per fact request: the numbers and categories its criteria compare against."""
    seen: dict = defaultdict(set)

    def walk(node):
        if isinstance(node, All | Any):
            for c in node.children:
                walk(c)
        elif isinstance(node, Not):
            walk(node.child)
        elif isinstance(node, Compare):
            seen[node.request] |= {node.threshold, node.threshold - 0.01, node.threshold + 0.01, 0.0}
        elif isinstance(node, Between):
            seen[node.request] |= {node.low, node.high, node.low - 1, node.high + 1}
        elif isinstance(node, OneOf):
            seen[node.request] |= set(node.values)

    for c in rs.criteria:
        walk(c.condition)
    return seen


def _categories(request) -> tuple[str, ...] | None:
    cat = get_catalog()
    if isinstance(request, SexRequest):
        return ("female", "male")
    if isinstance(request, ObservationRequest) and not request.per_uln:
        return cat.observations[request.code].values
    if isinstance(request, DerivedRequest) and cat.derived[request.name].values:
        return cat.derived[request.name].values
    return None


@st.composite
def facts_for(draw, trial: str) -> dict:
    rs = SCREENER.rulesets[trial]
    interesting = _interesting(rs)
    out = {}
    for r in rs.requests:
        if draw(st.integers(0, 3)) == 0:
            out[r] = UNKNOWN
            continue
        values = _categories(r)
        if values:
            out[r] = Fact(draw(st.sampled_from(values)), "v")
        elif r in interesting and any(isinstance(v, float) for v in interesting[r]):
            numbers = sorted(v for v in interesting[r] if isinstance(v, float))
            pick = st.sampled_from(numbers) | st.floats(-1, 2 * max(numbers) + 1, allow_nan=False)
            if getattr(r, "ranged", False) and draw(st.booleans()):
                lo, hi = sorted((draw(pick), draw(pick)))
                out[r] = Fact(Range(lo, hi), "r", reason=Reason("missing", "race", "m", "s"))
            else:
                out[r] = Fact(draw(pick), "v")
        else:  # yes/no facts: history, judgements, computed flags
            out[r] = Fact(draw(st.booleans()), "v")
    return out


@pytest.mark.parametrize("trial", sorted(SCREENER.rulesets))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_durable_rules_and_the_reference_agree_on_random_facts(trial, data):
    facts = data.draw(facts_for(trial))
    rs, session = SCREENER.rulesets[trial], SCREENER._sessions[trial]
    engine = session.evaluate(facts)
    for c in rs.criteria:
        assert engine[c.id] is c.condition.evaluate(facts).truth, c.id
