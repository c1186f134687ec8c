"""The hot path's shortcuts give what the long way gives: shared "nothing on record" facts, the fast JSON writer,
the remembered compile (renewed for a changed ruleset), unit factors and concept spellings read from a dictionary.

Patients come from the property tests' strategy (gaps and bad data included) and the benchmark's generator.
"""

from __future__ import annotations

import math
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from engine.errors import EvaluationError, UnitError
from engine.evaluate import durable_adapter
from engine.evaluate.nodes import COMPARE_DIGITS, round_sig
from engine.facts import history, observations
from engine.facts.extract import PatientIndex, _attested, extract_facts
from engine.facts.model import HistoryRequest, JudgementRequest, ObservationRequest
from engine.patient import patient_from_data
from engine.rules.loader import ruleset_from_text
from engine.screening import DEFAULT_RULESETS, Screener
from engine.units import conversion_factor
from engine.vocabulary import get_vocabulary

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "properties"))
from patients import AS_OF, patient

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from screening import generate


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_directory(DEFAULT_RULESETS)


def _long_way(ix: PatientIndex, r, trial: str):
    """The reader each shortcut stands in front of, called directly (never through the shared store)."""
    if isinstance(r, HistoryRequest) and r.domain == "conditions":
        return history._conditions_fact(ix, r, ix.vocab.answering(r.name, r.excluding))
    if isinstance(r, HistoryRequest):
        return history._therapies_fact(ix, r)
    if isinstance(r, JudgementRequest):
        return _attested(ix, r, trial)
    if isinstance(r, ObservationRequest) and r.extreme:
        return observations._read_extreme(ix, r.code, r.extreme)
    if isinstance(r, ObservationRequest):
        return observations._read_observation(ix, r.code, r.window, r.per_uln)
    return None


def _check_patient(screener: Screener, data: dict, as_of: date) -> None:
    p = patient_from_data(data)
    ix = PatientIndex(p, screener.catalog, as_of, screener.vocabulary)
    for rs in screener.rulesets.values():
        for r, fact in extract_facts(ix, rs.requests, rs.trial).items():
            direct = _long_way(ix, r, rs.trial)
            assert direct is None or direct == fact, (rs.trial, r)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=patient())
def test_every_fact_equals_its_reader_called_directly(screener, data):
    _check_patient(screener, data, AS_OF)


def test_benchmark_patients_facts_equal_their_readers(screener):
    for data in generate(40, seed=3):
        _check_patient(screener, data, AS_OF)


def test_shared_facts_are_shared_only_when_nothing_is_on_record(screener):
    rs = screener.rulesets["NCT07245251"]
    empty = PatientIndex(patient_from_data({"id": "a"}), screener.catalog, AS_OF, screener.vocabulary)
    other = PatientIndex(patient_from_data({"id": "b"}), screener.catalog, AS_OF, screener.vocabulary)
    a, b = extract_facts(empty, rs.requests, rs.trial), extract_facts(other, rs.requests, rs.trial)
    shared = [r for r in rs.requests if a[r] is b[r]]
    assert len(shared) > len(rs.requests) // 2  # an empty record reads the same for everyone
    gilbert = next(r for r in rs.requests if isinstance(r, HistoryRequest) and r.domain == "conditions")
    label = screener.vocabulary[gilbert.name].label
    recorded = PatientIndex(
        patient_from_data({"id": "c", "conditions": [{"code": label, "status": "present"}]}),
        screener.catalog,
        AS_OF,
        screener.vocabulary,
    )
    fact = extract_facts(recorded, (gilbert,), rs.trial)[gilbert]
    assert fact is not a[gilbert] and fact.value is True and fact.evidence


def test_fast_json_writes_what_the_general_writer_writes(screener):
    rs, session = screener.rulesets["NCT07245251"], screener._sessions["NCT07245251"]
    for data in generate(30, seed=5):
        ix = PatientIndex(patient_from_data(data), screener.catalog, AS_OF, screener.vocabulary)
        message = session.message(extract_facts(ix, rs.requests, rs.trial))
        assert durable_adapter.to_json(message) == durable_adapter._json(message)
    odd = {"kind": "patient", "a": 1e-05, "b": -2.5e22, "c": "x:1e5", "d": 'é"', "e": 3, "f": 0.1}
    assert durable_adapter.to_json(odd) == durable_adapter._json(odd)
    for x in (0.1, 12.3, 1e-05, 2.5e22, 0.553658536585, -0.0, 0.0, 59.0):
        for _ in range(2):  # written once, then remembered: the same text, -0.0 and 0.0 kept apart
            assert durable_adapter._number(x) == durable_adapter._write_number(x) == _written(x)
    with pytest.raises(EvaluationError):
        durable_adapter._number(float("nan"))


def _written(x: float) -> str:
    """A number written in full by hand: no exponent, the shortest round-trip digits."""
    text = format(Decimal(repr(x)), "f")
    return text if "." in text else text + ".0"


_RULESET = """
trial: NCT00000001
title: Cache test
source: a test
version: "1"
criteria:
  - id: INC-01
    kind: inclusion
    text: Hemoglobin at least {threshold} g/dL
    require: hemoglobin >= {threshold} g/dL
"""


def test_compile_is_remembered_per_content_and_renewed_when_the_ruleset_changes():
    first = ruleset_from_text(_RULESET.format(threshold=9))
    again = ruleset_from_text(_RULESET.format(threshold=9))
    changed = ruleset_from_text(_RULESET.format(threshold=10))
    assert first.name == again.name and first.name != changed.name

    def compiled(rs):
        return durable_adapter._compile(rs.name, {c.id: c.condition for c in rs.criteria}, rs.requests)

    fields, _, rules = compiled(first)
    fields.clear()  # a caller's copy: the remembered one is untouched
    assert compiled(first)[0] and compiled(first)[2] == rules
    assert ":9.0}" in rules and ":10.0}" not in rules
    assert ":10.0}" in compiled(changed)[2] and ":9.0}" not in compiled(changed)[2]
    criteria = {c.id: c.condition for c in changed.criteria}
    session = durable_adapter.DurableSession(changed.name, criteria, changed.requests)
    assert session.rules_json == compiled(changed)[2]


def test_unit_factors_remembered_only_for_good_pairs():
    assert conversion_factor("mg/dL", "g/L") == pytest.approx(0.01)
    assert conversion_factor("mg/dL", "g/L") == conversion_factor("mg/dL", "g/L")
    for _ in range(2):  # an error is never remembered as a factor
        with pytest.raises(UnitError):
            conversion_factor("mg/dL", "mmol/L")
        with pytest.raises(UnitError):
            conversion_factor(12, "g/L")  # type: ignore[arg-type]
        with pytest.raises(UnitError):
            conversion_factor("mg/dL", "mmol/L", float("nan"))


def test_spellings_remembered_without_their_domain():
    vocab = get_vocabulary()
    concept = vocab.resolve("epilepsy", "condition")
    assert concept is not None and vocab.resolve("Epilepsy", "condition") is concept
    assert vocab.resolve("epilepsy", "therapy") is None and vocab.resolve("epilepsy") is concept
    assert vocab.resolve("no such thing at all") is None and vocab.resolve("no such thing at all") is None


def test_rounding_remembered_gives_what_rounding_gives():
    for x in (0.1, 1 / 3, 2.400002 / 1.2, 1.4999999999999998, 123456.7890123456, -7.25e-9, 5.0):
        for _ in range(2):
            assert round_sig(x) == round(x, COMPARE_DIGITS - 1 - math.floor(math.log10(abs(x))))
    assert type(round_sig(5)) is int and type(round_sig(5.0)) is float  # an int is never answered from a float
    assert math.copysign(1, round_sig(-0.0)) == -1 and round_sig(0.0) == 0.0
