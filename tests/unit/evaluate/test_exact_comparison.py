"""Exact comparison at thresholds.

Every compared number is rounded to 12 significant digits, in the reference evaluation and in the
durable-rules fact alike: enough to absorb the error of a float unit conversion (~1e-16 relative), never
enough to move a measured value across a threshold. durable-rules reads the numbers the adapter writes with
``atof``, so both evaluations compare the very same doubles, however small or large.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.catalog import get_catalog
from engine.evaluate.durable_adapter import DurableSession, to_json
from engine.evaluate.logic import Truth
from engine.evaluate.nodes import Between, Compare, Node, OneOf, round_sig
from engine.facts.model import DerivedRequest, Fact, ObservationRequest, Range, Reason
from engine.rules.language import SentenceError, parse_sentence
from engine.units import convert

SINGLE = DerivedRequest("qtcb")  # one field in the durable-rules fact
RANGED = DerivedRequest("egfr_mdrd")  # two fields: low and high
OPS = ("<", "<=", ">", ">=", "==")
_DECIMAL_OP = {
    "<": Decimal.__lt__,
    "<=": Decimal.__le__,
    ">": Decimal.__gt__,
    ">=": Decimal.__ge__,
    "==": Decimal.__eq__,
}


def _criteria(request, threshold: float) -> dict[str, Node]:
    nodes: dict[str, Node] = {f"C{i}": Compare(request, "x", op, threshold, "t") for i, op in enumerate(OPS)}
    nodes["B"] = Between(request, "x", *sorted((threshold / 2, threshold)), "b")
    return nodes


_sessions: dict[tuple, DurableSession] = {}


def _session(request, threshold: float) -> DurableSession:
    key = (request, threshold)
    if key not in _sessions:
        name = f"exact-{'r' if request is RANGED else 's'}-{threshold!r}@1"
        _sessions[key] = DurableSession(name, _criteria(request, threshold), (request,))
    return _sessions[key]


def _both(request, threshold: float, value: float | Range) -> dict[str, Truth]:
    """Verdicts of both evaluations, asserted equal."""
    session = _session(request, threshold)
    reason = Reason("missing", "race", "m", "s") if isinstance(value, Range) else None
    facts = {request: Fact(value, "v", reason=reason)}
    engine = session.evaluate(facts)
    for cid, node in _criteria(request, threshold).items():
        assert engine[cid] is node.evaluate(facts).truth, (cid, threshold, value)
    return engine


# value given -> the number it must be compared as: conversion noise compares as the converted value, a
# measured difference (however small) is kept.
BOUNDARY = [
    (2.0, "2"),
    (convert(convert(1.5, "mg/dL", "µmol/L", 113.12), "µmol/L", "mg/dL", 113.12) + 0.5, "2"),  # 1.9999999999999998
    (2.0000000000000004, "2"),  # one ulp above
    (2.0000000000004, "2"),  # 13th significant digit: beyond any measurement
    (2.000001, "2.000001"),
    (2.400002 / 1.2, "2.0000016666666667"),  # 2.400002 mg/dL with ULN 1.2 mg/dL
    (2.0000000001, "2.0000000001"),
    (2.00000000001, "2.00000000001"),  # 12 significant digits: still a measured difference
    (1.9999999, "1.9999999"),
    (1.99999999999, "1.99999999999"),
]


@pytest.mark.parametrize("request_", [SINGLE, RANGED], ids=["single", "ranged"])
@pytest.mark.parametrize(("value", "compared_as"), BOUNDARY)
def test_boundary_values_decide_as_measured_in_both_evaluations(request_, value, compared_as):
    got = _both(request_, 2.0, value)
    exact = Decimal(compared_as)
    for i, op in enumerate(OPS):
        expected = Truth.TRUE if _DECIMAL_OP[op](exact, Decimal(2)) else Truth.FALSE
        assert got[f"C{i}"] is expected, (op, value)
    assert got["B"] is (Truth.TRUE if Decimal(1) <= exact <= Decimal(2) else Truth.FALSE)


def test_a_value_just_above_twice_the_uln_does_not_pass_at_most_twice_the_uln():
    # The reported case: 2.400002 mg/dL with ULN 1.2 mg/dL is 2.0000017 × ULN, above 2 × ULN.
    bili = ObservationRequest("total_bilirubin", per_uln=True)
    node = Compare(bili, "total bilirubin", "<=", 2.0, "2 × ULN")
    assert node.evaluate({bili: Fact(2.400002 / 1.2, "v")}).truth is Truth.FALSE
    assert node.evaluate({bili: Fact(2.4 / 1.2, "v")}).truth is Truth.TRUE


@pytest.mark.parametrize("mg_dl", [0.3, 0.7, 1.3, 1.5, 1.7, 2.3, 2.9])
def test_rounding_absorbs_the_error_of_a_unit_conversion(mg_dl):
    there_and_back = convert(convert(mg_dl, "mg/dL", "µmol/L", 113.12), "µmol/L", "mg/dL", 113.12)
    assert round_sig(there_and_back) == mg_dl
    assert round_sig(convert(mg_dl * 10, "g/L", "g/dL")) == mg_dl


def test_rounding_keeps_every_measured_digit():
    assert round_sig(2.400002 / 1.2) > 2
    assert round_sig(2.0000000001) > 2 > round_sig(1.9999999)
    assert round_sig(123456.789012) == 123456.789012


EXTREME = [1e-10, 1e-7, -2.5e-8, 123456.789, 1e22, 5e-324, 1e-300, 1.7976931348623157e308]


@pytest.mark.parametrize("threshold", EXTREME)
def test_tiny_and_huge_thresholds_compile_without_exponents_and_agree(threshold):
    # "hemoglobin >= 0.0000000001 g/dL" used to fail at screening: durable-rules reads no exponents.
    session = _session(SINGLE, threshold)
    assert re.search(r"\d[eE][-+]?\d", session.rules_json) is None
    step = abs(threshold) * 1e-6
    for value in (threshold, math.nextafter(threshold, math.inf), threshold - step, threshold + step):
        if math.isfinite(value):
            got = _both(SINGLE, threshold, value)
            assert got["C1"] is (Truth.TRUE if round_sig(value) <= round_sig(threshold) else Truth.FALSE)
    assert _both(SINGLE, threshold, threshold)["C4"] is Truth.TRUE  # equal to itself, in both evaluations


def test_a_tiny_threshold_is_written_in_full():
    assert "0.0000000001" in _session(SINGLE, 1e-10).rules_json


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_finite_float_is_written_exactly_and_without_exponent(x):
    text = to_json({"a": x})
    assert re.search(r"[eE]", text) is None
    assert json.loads(text)["a"] == x


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([2.0, 1e-10, 1e22, 45.0]),
    st.floats(min_value=-1e-12, max_value=1e-12, allow_nan=False),
    st.floats(min_value=0, max_value=1e-6, allow_nan=False),
)
def test_both_evaluations_agree_next_to_a_threshold(threshold, relative, width):
    low = threshold * (1 + relative)
    assert _both(SINGLE, threshold, low)
    assert _both(RANGED, threshold, Range(low, low * (1 + width)))


def test_a_non_ascii_category_matches_in_both_evaluations():
    req = ObservationRequest("hbsag")
    nodes: dict[str, Node] = {"C": OneOf(req, "HBsAg", ("négatif", "positive"))}
    session = DurableSession("non-ascii@1", nodes, (req,))
    for value, expected in (("négatif", Truth.TRUE), ("negatif", Truth.FALSE)):
        facts = {req: Fact(value, value)}
        assert session.evaluate(facts)["C"] is expected is nodes["C"].evaluate(facts).truth
    missing = {req: Fact(None, "", reason=Reason("missing", "hbsag", "m", "s"))}
    assert session.evaluate(missing)["C"] is Truth.UNKNOWN


def test_a_tiny_threshold_in_a_ruleset_sentence_screens_in_both_evaluations():
    node = parse_sentence(get_catalog(), "PSA >= 0.0000000001 ng/mL")
    assert isinstance(node, Compare)
    (request,) = node.requests()
    session = DurableSession("tiny-sentence@1", {"INC-01": node}, (request,))
    for value, expected in ((4.2, Truth.TRUE), (1e-10, Truth.TRUE), (9.9999999e-11, Truth.FALSE)):
        facts = {request: Fact(value, str(value))}
        assert session.evaluate(facts)["INC-01"] is expected is node.evaluate(facts).truth


def test_a_unit_that_lost_its_superscript_is_refused_in_a_sentence():
    # "100 109/L" is 100 × 10⁹/L with the superscript lost; read as a unit, 109/L would scale silently.
    with pytest.raises(SentenceError, match="is not a unit: it contains arithmetic"):
        parse_sentence(get_catalog(), "platelets >= 100 109/L")
