"""Safety invariants as properties over random patients (NCT07245251's ruleset, the richest one).

* durable-rules and the independent reference evaluation agree on every criterion;
* removing information never turns a verdict into eligible;
* the same values in other units give the same verdicts;
* at the fact level, Kleene monotonicity: making any fact unknown never makes a criterion decided.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from patients import ALTERNATE_UNITS, AS_OF, patient

from engine import Screener
from engine.catalog import get_catalog
from engine.evaluate.logic import Truth
from engine.facts.extract import PatientIndex, extract_facts
from engine.facts.model import Fact, Reason
from engine.patient import patient_from_data

ROOT = Path(__file__).resolve().parents[2]
TRIAL = "NCT07245251"
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_directory(ROOT / "rulesets")


def verdicts(screener: Screener, data: dict) -> dict[str, str]:
    result = screener.screen(data, as_of=AS_OF, trials=[TRIAL])[0]
    return {c.id: c.verdict for c in result.criteria}


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patient())
def test_durable_rules_agrees_with_the_reference_evaluation(screener, data):
    rs, session = screener.rulesets[TRIAL], screener._sessions[TRIAL]
    p = patient_from_data(data)
    facts = extract_facts(PatientIndex(p, get_catalog(), AS_OF), rs.requests, TRIAL)
    engine = session.evaluate(facts)
    for c in rs.criteria:
        assert engine[c.id] is c.condition.evaluate(facts).truth, c.id


def _removals(data: dict) -> list[tuple[str, dict]]:
    """Every way to take information away from a patient (one at a time)."""
    out = []
    for key in ("sex", "birth_date"):
        if key in data:
            out.append((f"drop {key}", {k: v for k, v in data.items() if k != key}))
    if "first_dose" in data["reference_dates"]:
        d = copy.deepcopy(data)
        del d["reference_dates"]["first_dose"]
        out.append(("drop first dose date", d))
    for code in {o["code"] for o in data["labs"]}:
        d = copy.deepcopy(data)
        d["labs"] = [o for o in d["labs"] if o["code"] != code]
        out.append((f"drop all {code}", d))
    for i in range(len(data["labs"])):
        if "reference_range" in data["labs"][i] or "date" in data["labs"][i]:
            d = copy.deepcopy(data)
            d["labs"][i].pop("reference_range", None)
            d["labs"][i].pop("date", None)
            out.append((f"drop ULN and date of labs[{i}]", d))
    for domain in data["complete_history"]:
        d = copy.deepcopy(data)
        d["complete_history"] = [x for x in d["complete_history"] if x != domain]
        out.append((f"history of {domain} no longer complete", d))
    if "conditions" not in data["complete_history"]:
        for i in range(len(data["conditions"])):
            d = copy.deepcopy(data)
            del d["conditions"][i]
            out.append((f"drop conditions[{i}]", d))
    if "therapies" not in data["complete_history"]:
        for i in range(len(data["therapies"])):
            d = copy.deepcopy(data)
            del d["therapies"][i]
            out.append((f"drop therapies[{i}]", d))
    for i in range(len(data["attestations"])):
        d = copy.deepcopy(data)
        del d["attestations"][i]
        out.append((f"drop attestations[{i}]", d))
    return out


@SETTINGS
@given(patient())
def test_removing_information_never_makes_a_criterion_eligible(screener, data):
    before = verdicts(screener, data)
    for what, smaller in _removals(data):
        after = verdicts(screener, smaller)
        for cid, verdict in after.items():
            if verdict == "eligible":
                assert before[cid] == "eligible", f"{what}: {cid} became eligible (was {before[cid]})"


@SETTINGS
@given(patient())
def test_the_same_values_in_other_units_give_the_same_verdicts(screener, data):
    converted = copy.deepcopy(data)
    for obs in converted["labs"]:
        if obs["code"] in ALTERNATE_UNITS and isinstance(obs["value"], float):
            unit, factor = ALTERNATE_UNITS[obs["code"]]
            obs["value"] = obs["value"] * factor
            obs["unit"] = unit  # the reference range keeps its own unit: the engine converts both
    assert verdicts(screener, converted) == verdicts(screener, data)


@SETTINGS
@given(patient(), st.data())
def test_an_unknown_fact_never_decides_a_criterion(screener, data, draw):
    rs = screener.rulesets[TRIAL]
    facts = extract_facts(PatientIndex(patient_from_data(data), get_catalog(), AS_OF), rs.requests, TRIAL)
    known = [r for r, f in facts.items() if f.value is not None]
    if not known:
        return
    hidden = draw.draw(st.sampled_from(known))
    fewer = dict(facts)
    fewer[hidden] = Fact(None, "", reason=Reason("missing", "x", "hidden", "x"))
    for c in rs.criteria:
        after = c.condition.evaluate(fewer).truth
        if after is not Truth.UNKNOWN:
            assert after is c.condition.evaluate(facts).truth, c.id
