"""Perturbing an eligible patient with bad data never leaves the criteria that data touches eligible.

Starting from the shipped eligible patients (examples/patient.yaml for NCT07245251, the NCT07310355 feature
patient), each property adds one kind of bad data the engine must fence:

* a conflicting result (same day, same month or undated, another value): the criteria the other value would
  decide differently are not eligible;
* a value outside the vocabulary's physiological bounds: the criteria that need that result are not eligible;
* an attestation without its trial is an input error naming the field; one for another trial answers nothing;
* a FHIR Observation about someone else (another patient, a Group, no subject) is not read at all;

and an exact respelling of a unit (K/µL, 10^9/L, 10*9/L, G/L, ×10⁹/L; U/L, IU/L; µmol/L, umol/L) never changes a
verdict.
"""

from __future__ import annotations

import copy
import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from patients import AS_OF, TRIAL, fhir_bundle, fhir_observation, patient

from engine import InputError, Screener
from engine.catalog import get_catalog

ROOT = Path(__file__).resolve().parents[2]
BASES = {
    "NCT07245251": ROOT / "examples" / "patient.yaml",
    "NCT07310355": ROOT / "features" / "patients" / "NCT07310355-eligible.yaml",
}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Spellings of one unit: a respelling must read as exactly the same unit.
SPELLINGS = {
    "10^9/L": ["10^9/L", "K/µL", "10*9/L", "G/L", "×10⁹/L", "K/mm3", "10^3/µL"],
    "K/µL": ["10^9/L", "K/µL", "10*9/L", "G/L", "×10⁹/L", "K/mm3", "10^3/µL"],
    "U/L": ["U/L", "IU/L"],
    "µmol/L": ["µmol/L", "umol/L", "μmol/L"],
}
FOREIGN_SUBJECTS = [
    {"reference": "Patient/p2"},
    {"reference": "urn:uuid:p2"},
    {"reference": "Group/g1"},
    {"reference": "https://ehr.example.org/fhir/Patient/p2"},
    {"display": "Jane Doe"},
    None,
]


@cache
def screener() -> Screener:
    return Screener.from_directory(ROOT / "rulesets")


@cache
def _base(trial: str) -> tuple[dict, date]:
    text = BASES[trial].read_text(encoding="utf-8")
    found = re.search(r"--as-of (\d{4}-\d{2}-\d{2})", text)
    data = yaml.safe_load(text)
    return data, date.fromisoformat(found.group(1)) if found else data["reference_dates"]["screening"]


def base(trial: str) -> tuple[dict, date]:
    """A fresh copy of the trial's eligible patient, and the date to screen it on."""
    data, when = _base(trial)
    return copy.deepcopy(data), when


def verdicts(data: dict, trial: str, as_of: date) -> dict[str, str]:
    return {c.id: c.verdict for c in screener().screen(data, as_of=as_of, trials=[trial])[0].criteria}


@cache
def base_verdicts(trial: str) -> dict[str, str]:
    data, when = base(trial)
    return verdicts(data, trial, when)


def test_the_bases_are_eligible() -> None:
    for trial in BASES:
        assert set(base_verdicts(trial).values()) == {"eligible"}, trial


def _numeric(data: dict) -> list[tuple[str, int]]:
    """(section, index) of every numeric result with a unit."""
    return [
        (section, i)
        for section in ("labs", "measurements")
        for i, obs in enumerate(data.get(section, []))
        if isinstance(obs["value"], int | float) and not isinstance(obs["value"], bool)
    ]


def _losing(trial: str, changed: dict, as_of: date) -> set[str]:
    """Criteria eligible for the base that ``changed`` (the base with the bad datum made plain) does not pass."""
    after = verdicts(changed, trial, as_of)
    return {cid for cid, v in base_verdicts(trial).items() if v == "eligible" and after[cid] != "eligible"}


def _assert_fenced(data: dict, trial: str, as_of: date, touched: set[str], what: str) -> None:
    try:
        now = verdicts(data, trial, as_of)
    except InputError:
        return  # refusing the input is as safe as a review
    eligible = sorted(cid for cid in touched if now[cid] == "eligible")
    assert not eligible, f"{what}: {eligible} still eligible"


@SETTINGS
@given(
    trial=st.sampled_from(sorted(BASES)),
    pick=st.integers(0, 10_000),
    factor=st.one_of(st.floats(0.05, 0.97), st.floats(1.03, 20.0)),
    when=st.sampled_from(["same day", "same month", "undated"]),
)
def test_a_conflicting_result_never_leaves_what_it_decides_eligible(trial, pick, factor, when) -> None:
    data, as_of = base(trial)
    section, i = _numeric(data)[pick % len(_numeric(data))]
    obs = data[section][i]
    other = {**obs, "id": "conflicting", "value": round(obs["value"] * factor, 3)}
    if other["value"] == obs["value"]:
        return
    if when == "undated":
        other.pop("date", None)
    elif when == "same month" and obs.get("date"):
        other["date"] = str(obs["date"])[:7]
    replaced = copy.deepcopy(data)
    replaced[section][i] = {**other, "date": obs.get("date")} if obs.get("date") else other
    touched = _losing(trial, replaced, as_of)  # what the other value, taken alone, would not pass
    event(f"the conflict touches {'some' if touched else 'no'} criteria")
    data[section].append(other)
    _assert_fenced(data, trial, as_of, touched, f"{obs['code']} {obs['value']} and {other['value']} ({when})")


@SETTINGS
@given(trial=st.sampled_from(sorted(BASES)), pick=st.integers(0, 10_000), side=st.sampled_from(["high", "low"]))
def test_an_implausible_value_never_leaves_what_needs_it_eligible(trial, pick, side) -> None:
    data, as_of = base(trial)
    cat = get_catalog()
    candidates = []
    for section, i in _numeric(data):
        spec = cat.observations[cat.resolve("observations", data[section][i]["code"])]
        if (side == "high" and spec.max is not None) or (side == "low" and spec.min and spec.min > 0):
            candidates.append((section, i, spec))
    if not candidates:
        return
    section, i, spec = candidates[pick % len(candidates)]
    obs = data[section][i]
    without = copy.deepcopy(data)
    del without[section][i]
    touched = _losing(trial, without, as_of)  # what cannot be decided without this result
    event(f"the result is needed by {'some' if touched else 'no'} criteria")
    value = spec.max * (1.5 + pick % 1000) if side == "high" else spec.min / (1.5 + pick % 1000)
    obs["value"], obs["unit"] = value, spec.unit
    _assert_fenced(data, trial, as_of, touched, f"{obs['code']} {value:g} {spec.unit}")


@SETTINGS
@given(trial=st.sampled_from(sorted(BASES)), pick=st.integers(0, 10_000), other=st.sampled_from(sorted(BASES)))
def test_an_attestation_answers_only_its_own_trial(trial, pick, other) -> None:
    data, as_of = base(trial)
    attestations = data.get("attestations") or []
    if not attestations:
        return
    i = pick % len(attestations)
    unscoped = copy.deepcopy(data)
    del unscoped["attestations"][i]["trial"]
    with pytest.raises(InputError) as caught:
        verdicts(unscoped, trial, as_of)
    assert f"attestations[{i}]" in str(caught.value) and "trial" in str(caught.value)
    if other != trial:
        cid = attestations[i]["criterion"]
        attestations[i]["trial"] = other
        assert verdicts(data, trial, as_of)[cid] != "eligible", f"an answer for {other} settled {trial} {cid}"


@cache
def _bundle() -> dict:
    data, _ = base(TRIAL)
    return fhir_bundle(data)


@SETTINGS
@given(pick=st.integers(0, 10_000), factor=st.floats(0.01, 100.0), subject=st.sampled_from(FOREIGN_SUBJECTS))
def test_a_resource_about_someone_else_is_never_read(pick, factor, subject) -> None:
    bundle = copy.deepcopy(_bundle())
    as_of = base(TRIAL)[1]
    before = verdicts(copy.deepcopy(bundle), TRIAL, as_of)
    results = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"]
    model = results[pick % len(results)]
    obs = {"value": model["valueQuantity"]["value"] * factor, "unit": model["valueQuantity"]["unit"]}
    obs["date"] = model.get("effectiveDateTime")
    foreign = fhir_observation("foreign", model["code"]["coding"][0]["code"], obs, "p1")
    if subject is None:
        del foreign["subject"]
    else:
        foreign["subject"] = subject
    bundle["entry"].append({"resource": foreign})
    result = screener().screen(bundle, as_of=as_of, trials=[TRIAL])[0]
    assert {c.id: c.verdict for c in result.criteria} == before
    assert any("Observation/foreign" in w for w in result.warnings), result.warnings


def _respell(data: dict, choose) -> dict:
    out = copy.deepcopy(data)
    for section in ("labs", "measurements"):
        for obs in out.get(section, []):
            if obs.get("unit") in SPELLINGS:
                obs["unit"] = choose(SPELLINGS[obs["unit"]])
            rr = obs.get("reference_range") or {}
            if rr.get("unit") in SPELLINGS:
                rr["unit"] = choose(SPELLINGS[rr["unit"]])
    return out


@SETTINGS
@given(trial=st.sampled_from(sorted(BASES)), draw=st.data())
def test_an_exact_respelling_of_a_unit_never_changes_an_eligible_patient(trial, draw) -> None:
    data, as_of = base(trial)
    respelled = _respell(data, lambda options: draw.draw(st.sampled_from(options)))
    assert verdicts(respelled, trial, as_of) == base_verdicts(trial)


@SETTINGS
@given(patient(), st.data())
def test_an_exact_respelling_of_a_unit_never_changes_a_verdict(data, draw) -> None:
    respelled = _respell(data, lambda options: draw.draw(st.sampled_from(options)))
    assert verdicts(respelled, TRIAL, AS_OF) == verdicts(data, TRIAL, AS_OF)
