"""One test per durable-rules pitfall fenced in engine/evaluate/durable_adapter.py."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.dates import Duration
from engine.errors import EvaluationError
from engine.evaluate import durable_adapter
from engine.evaluate.durable_adapter import MAX_FIELDS, DurableSession
from engine.evaluate.logic import Truth
from engine.evaluate.nodes import All, Any, Between, Compare, Flag, Not, OneOf
from engine.facts.model import DerivedRequest, Fact, HistoryRequest, ObservationRequest, Range, Reason, Window

BILI = ObservationRequest("total_bilirubin", per_uln=True)
DIRECT = ObservationRequest("direct_bilirubin", per_uln=True)
GILBERT = HistoryRequest("conditions", "gilbert_syndrome")
HBSAG = ObservationRequest("hbsag")
CART = HistoryRequest("therapies", "car_t", Window(Duration(6, "months"), "screening"))
REQUESTS = (BILI, DIRECT, GILBERT, HBSAG, CART)

BILIRUBIN = Any(
    (
        Compare(BILI, "total bilirubin", "<=", 2.0, "2 × ULN"),
        All(
            (
                Flag(GILBERT, "has Gilbert's syndrome"),
                Compare(BILI, "total bilirubin", "<=", 3.0, "3 × ULN"),
                Compare(DIRECT, "direct bilirubin", "<=", 1.5, "1.5 × ULN"),
            )
        ),
    )
)
CRITERIA = {"INC-01": BILIRUBIN, "EXC-01": OneOf(HBSAG, "HBsAg", ("positive",)), "EXC-02": Not(Flag(CART, "CAR-T"))}


def facts(**values) -> dict:
    names = {"bili": BILI, "direct": DIRECT, "gilbert": GILBERT, "hbsag": HBSAG, "cart": CART}
    out = {}
    for key, req in names.items():
        v = values.get(key)
        out[req] = Fact(v, str(v)) if v is not None else Fact(None, "", reason=Reason("missing", key, "m", "s"))
    return out


@pytest.fixture(scope="module")
def session() -> DurableSession:
    return DurableSession("adapter-test@1", CRITERIA, REQUESTS)


def test_gilbert_example_from_design(session):
    # 1.2 × ULN is eligible whatever Gilbert status; 2.5 × ULN with Gilbert unknown is unknown.
    assert session.evaluate(facts(bili=1.2))["INC-01"] is Truth.TRUE
    assert session.evaluate(facts(bili=2.5))["INC-01"] is Truth.UNKNOWN
    assert session.evaluate(facts(bili=2.5, gilbert=True, direct=1.0))["INC-01"] is Truth.TRUE
    assert session.evaluate(facts(bili=2.5, gilbert=False))["INC-01"] is Truth.FALSE


def test_every_rule_carries_the_discriminator(session):
    # A rule without it could match the engine's own state fact and loop forever.
    rules = json.loads(session.rules_json)
    assert len(rules) == 1 + 2 * len(CRITERIA)
    for name, rule in rules.items():
        assert '"kind": "patient"' in json.dumps(rule), name


def test_none_is_stripped_and_booleans_become_numbers(session):
    msg = session.message(facts(gilbert=True, cart=False))
    assert msg[session.fields[GILBERT]] == 1 and msg[session.fields[CART]] == 0
    assert session.fields[BILI] not in msg  # unknown, so absent: never {"f0": None}, which durable treats as present


def test_untyped_values_are_refused(session):
    bad = facts()
    bad[BILI] = Fact(["2"], "list")  # type: ignore[arg-type]
    with pytest.raises(EvaluationError, match="untyped value"):
        session.message(bad)


def test_or_branches_firing_twice_give_one_verdict(session):
    # bili 1.0 with Gilbert and direct normal makes both $or branches true: still one TRUE.
    assert session.evaluate(facts(bili=1.0, gilbert=True, direct=1.0))["INC-01"] is Truth.TRUE


def test_float_noise_is_rounded_before_comparison(session):
    assert session.evaluate(facts(bili=2.0000000000004))["INC-01"] is Truth.TRUE
    assert session.evaluate(facts(bili=2.000001))["INC-01"] is Truth.UNKNOWN  # measured, not noise


def test_too_many_fields_is_a_clear_error():
    reqs = tuple(ObservationRequest(f"x{i}") for i in range(MAX_FIELDS + 1))
    with pytest.raises(EvaluationError, match="exceed"):
        DurableSession("too-wide@1", {}, reqs)


def test_a_name_compiles_once(session):
    again = DurableSession(session.name, CRITERIA, REQUESTS)  # same name: reused, not registered twice
    assert again._handle == session._handle
    assert again.evaluate(facts(hbsag="positive"))["EXC-01"] is Truth.TRUE


def test_a_patient_matching_no_criterion_rule_is_handled(session):
    # Without the catch-all, durable raises MessageNotHandled and delete_state then segfaults.
    assert set(session.evaluate(facts()).values()) == {Truth.UNKNOWN}


def test_no_state_leaks_between_patients_across_more_than_1024_sessions(session):
    for i in range(1100):
        hb = "positive" if i % 2 else "negative"
        got = session.evaluate(facts(hbsag=hb))["EXC-01"]
        assert got is (Truth.TRUE if i % 2 else Truth.FALSE)
    assert session.evaluate(facts())["EXC-01"] is Truth.UNKNOWN  # the previous patient's HBsAg is gone


def test_compiling_and_evaluating_start_no_background_threads():
    before = threading.active_count()
    s = DurableSession("no-threads@1", CRITERIA, REQUESTS)
    s.evaluate(facts(bili=1.0))
    assert threading.active_count() == before


def test_concurrent_callers_get_their_own_answers(session):
    cases = [facts(hbsag="positive" if i % 3 else "negative", bili=float(i % 4)) for i in range(300)]
    expected = [session.evaluate(c) for c in cases]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(session.evaluate, cases))
    assert got == expected


def test_engine_errors_surface_instead_of_being_swallowed(session, monkeypatch):
    def broken(handle, payload):
        raise RuntimeError("boom")

    monkeypatch.setattr(durable_adapter._core, "assert_fact", broken)
    with pytest.raises(EvaluationError, match="durable-rules failed: boom"):
        session.evaluate(facts())


def test_delete_after_unhandled_assert_would_crash_so_the_catch_all_matters():
    # Documents the measured segfault the catch-all prevents, in a child process so the suite survives it.
    code = (
        "import json, durable_rules_engine as c\n"
        "hd = c.create_ruleset('bare', json.dumps({'r': {'all': [{'m': {'kind': 'other'}}]}}))\n"
        "r = c.assert_fact(hd, json.dumps({'kind': 'patient', 'sid': '1'}))\n"
        "print('code', r[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "code 1" in out.stdout  # 1 = not handled: exactly what the catch-all rule rules out


# A fact that may be a Range (MDRD eGFR without race) uses two fields; both evaluations must agree on it.
EGFR = DerivedRequest("egfr_mdrd")
RANGED_CRITERIA = {
    f"INC-{i:02d}": node
    for i, node in enumerate(
        [Compare(EGFR, "eGFR", op, 50.0, "50") for op in ("<", "<=", ">", ">=", "==")]
        + [Between(EGFR, "eGFR", 40.0, 60.0, "40 and 60")]
    )
}


@pytest.fixture(scope="module")
def ranged_session() -> DurableSession:
    return DurableSession("ranged-test@1", RANGED_CRITERIA, (EGFR,))


@given(
    st.one_of(
        st.none(),
        st.sampled_from([35.0, 40.0, 45.0, 50.0, 55.0, 60.0, 65.0]),
        st.tuples(st.sampled_from([35.0, 40.0, 50.0, 55.0]), st.sampled_from([0.0, 5.0, 10.0, 20.0])),
    )
)
def test_ranged_facts_agree_with_the_reference(ranged_session, value):
    if isinstance(value, tuple):
        fact = Fact(Range(value[0], value[0] + value[1]), "r", reason=Reason("missing", "race", "m", "s"))
    elif value is None:
        fact = Fact(None, "", reason=Reason("missing", "egfr", "m", "s"))
    else:
        fact = Fact(value, "v")
    got = ranged_session.evaluate({EGFR: fact})
    for cid, node in RANGED_CRITERIA.items():
        assert got[cid] is node.evaluate({EGFR: fact}).truth, (cid, value)


def test_numbers_are_written_without_exponents(session):
    # durable-rules rejects "1e-05" (error 204); the adapter writes 0.00001.
    payload = durable_adapter.to_json({"kind": "patient", "a": 1e-05, "b": 1e22, "c": -2.5, "d": "x"})
    assert payload == '{"kind":"patient","a":0.00001,"b":10000000000000000000000.0,"c":-2.5,"d":"x"}'
    assert session.evaluate(facts(bili=1e-05))["INC-01"] is Truth.TRUE


@pytest.mark.parametrize("threshold", [float("inf"), float("-inf"), float("nan")])
def test_a_threshold_that_is_not_a_finite_number_is_a_compile_error(threshold):
    bad = {"INC-01": Compare(BILI, "total bilirubin", "<=", threshold, "∞")}
    with pytest.raises(EvaluationError, match=r"bad@1: the number .* cannot be given to durable-rules"):
        DurableSession("bad@1", bad, (BILI,))


def test_deleting_a_session_with_pending_actions_would_crash_so_the_queue_is_drained():
    # Documents the measured segfault the adapter's cleanup avoids, in a child process so the suite survives it.
    # It shows once durable's own Python layer is loaded (as any other user of the package in a process would).
    code = (
        "import json, durable_rules_engine as c\n"
        "import durable.engine\n"
        "hd = c.create_ruleset('pending', json.dumps({'r': {'all': [{'m': {'kind': 'patient'}}]}}))\n"
        'r = c.assert_fact(hd, \'{"kind": "patient", "sid": "1"}\')\n'
        "c.delete_state(hd, '1')\n"
        "print('survived')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "survived" not in out.stdout


@pytest.mark.parametrize(("tests", "outcome"), [(64, "code 0"), (65, "error code: 303")])
def test_more_than_64_matching_tests_at_one_node_overflow_durable_rules(tests, outcome):
    # The measured limit the criterion groups fence: durable-rules walks its network with a 64-entry stack.
    # In a child process, as the raw core is used here without the adapter's cleanup.
    code = (
        "import json, durable_rules_engine as c\n"
        f"n = {tests}\n"
        "rules = {f'r{i}': {'all': [{'m': {'$and': [{'kind': 'patient'}, {f'x{i}': 1}]}}]} for i in range(n)}\n"
        "h = c.create_ruleset('stack', json.dumps(rules))\n"
        "fact = {'kind': 'patient', 'sid': '1', **{f'x{i}': 1 for i in range(n)}}\n"
        "try:\n"
        "    print('code', c.assert_fact(h, json.dumps(fact))[0], flush=True)\n"
        "except Exception as exc:\n"
        "    print(exc, flush=True)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert outcome in out.stdout


def test_a_patient_matching_every_test_of_many_criteria_is_evaluated():
    reqs = tuple(ObservationRequest(f"x{i}") for i in range(150))
    criteria = {f"C{i}": Compare(r, f"x{i}", "<=", 1.0, "1") for i, r in enumerate(reqs)}
    wide = DurableSession("wide@1", criteria, reqs)
    got = wide.evaluate({r: Fact(0.5, "0.5") for r in reqs})
    assert set(got.values()) == {Truth.TRUE} and len(got) == 150


def test_criteria_too_wide_for_the_network_are_a_compile_error():
    # One criterion that is an $or of 70 tests: its FALSE rule alone needs more stack than durable-rules has.
    reqs = tuple(ObservationRequest(f"y{i}") for i in range(70))
    wide = {"C": Any(tuple(Compare(r, f"y{i}", "<=", 1.0, "1") for i, r in enumerate(reqs)))}
    with pytest.raises(EvaluationError, match="too many or too wide"):
        durable_adapter.check_compilable("too-wide@1", wide, reqs)
