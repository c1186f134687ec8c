"""Screening steps in clinician language. Each step edits the patient data or checks a result; no logic.

Given a 45-year-old woman screened on 2026-11-20
And total bilirubin 2.5 mg/dL with ULN 1.2 mg/dL
And her Gilbert's syndrome status is unknown
When she is screened for NCT07245251
Then criterion INC-09c is needs-review because Gilbert's syndrome is missing
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_bdd import given, parsers, then, when

from ..dates import Duration, shift
from ..results import TrialResult
from ..screening import DEFAULT_RULESETS, Screener

__all__ = ["screener"]

_WHO = r"(?:she|he|the patient|they)"
_HER = r"(?:her|his|the patient's|their)"
_NUM = r"-?\d+(?:\.\d+)?"
_RESULT = rf"(?P<name>[A-Za-z][\w '/()-]*?) (?P<value>{_NUM}) (?P<unit>[^\s\d,]+)"  # "QT 460 ms"
_FINDING = r"positive|negative|detected|not detected|none|mild|moderate-severe|grade \d-\d|[0+]+"


def _ago(n: int, unit: str, reference: date) -> date:
    """``n`` hours/days/weeks/months/years before ``reference``, as the engine counts windows."""
    return shift(reference, Duration(n, unit if unit.endswith("s") else unit + "s"))


@pytest.fixture(scope="session")
def screener() -> Screener:
    """All rulesets of the directory in $PRESCREEN_RULESETS (default: the project's rulesets/)."""
    return Screener.from_directory(Path(os.environ.get("PRESCREEN_RULESETS", DEFAULT_RULESETS)))


def _screening(patient: dict[str, Any]) -> date:
    return patient["reference_dates"]["screening"]


def _new_patient(sex: str | None, screening: date, age: int | None = None) -> dict[str, Any]:
    p: dict[str, Any] = {
        "id": "scenario",
        "reference_dates": {"screening": screening},
        "labs": [],
        "measurements": [],
        "conditions": [],
        "therapies": [],
        "attestations": [],
        "complete_history": [],
    }
    if sex:
        p["sex"] = sex
    if age is not None:  # a birthday 30 days before screening: exactly `age` completed years
        p["birth_date"] = shift(screening, Duration(age, "years")) - timedelta(days=30)
    return p


_SEX = {"woman": "female", "man": "male", "girl": "female", "boy": "male", "female": "female", "male": "male"}


@given(
    parsers.re(r"an? (?P<age>\d+)-year-old (?P<who>woman|man|girl|boy) screened on (?P<day>\d{4}-\d\d-\d\d)"),
    target_fixture="patient",
)
def _(age: str, who: str, day: str) -> dict[str, Any]:
    return _new_patient(_SEX[who], date.fromisoformat(day), int(age))


@given(parsers.re(r"a patient screened on (?P<day>\d{4}-\d\d-\d\d)"), target_fixture="patient")
def _(day: str) -> dict[str, Any]:
    return _new_patient(None, date.fromisoformat(day))


@given(parsers.re(r'the patient in "(?P<path>[^"]+)"'), target_fixture="patient")
def _(request: pytest.FixtureRequest, path: str) -> dict[str, Any]:
    data = yaml.safe_load((request.config.rootpath / path).read_text(encoding="utf-8"))
    for key in ("labs", "measurements", "conditions", "therapies", "attestations", "complete_history"):
        data.setdefault(key, [])
    return data


@given(parsers.re(r"(?P<who>\w+) was born on (?P<day>\d{4}(?:-\d\d){0,2})"))
def _(patient: dict, day: str) -> None:
    patient["birth_date"] = day


@given(
    parsers.re(
        rf"{_HER} (?P<ref>first dose|enrollment|consent) (?:is|was) (?:planned )?(?:for|on) (?P<day>\d{{4}}-\d\d-\d\d)"
    )
)
def _(patient: dict, ref: str, day: str) -> None:
    patient["reference_dates"][ref.replace(" ", "_")] = date.fromisoformat(day)


@given(
    parsers.re(
        rf"(?!{_WHO} |an ECG )(?P<name>[A-Za-z][\w '/()-]*?) (?P<value>{_NUM})(?: (?P<unit>(?!with\b)[^\s\d]\S*))?"
        rf"(?: with ULN (?P<uln>{_NUM})(?: (?P<uln_unit>[^\s\d]\S*))?)?"
        rf"(?: (?P<n>\d+) (?P<ago>days?|weeks?|months?) before screening| on (?P<day>\d{{4}}-\d\d-\d\d))?$"
    )
)
def _(
    patient: dict,
    name: str,
    value: str,
    unit: str | None,
    uln: str | None,
    uln_unit: str | None,
    n: str | None,
    ago: str | None,
    day: str | None,
) -> None:
    when = date.fromisoformat(day) if day else _ago(int(n), ago, _screening(patient)) if n else _screening(patient)
    obs: dict[str, Any] = {"code": name, "value": float(value), "unit": unit or "1", "date": when}
    if uln:
        obs["reference_range"] = {"high": float(uln), "unit": uln_unit or unit or "1"}
    patient["labs"].append(obs)


@given(
    parsers.re(
        r"an ECG (?:(?P<n>\d+) (?P<ago>days?|weeks?|months?) before screening|on (?P<day>\d{4}-\d\d-\d\d)) shows "
        r"(?P<results>.+)$"
    )
)
def _(patient: dict, n: str | None, ago: str | None, day: str | None, results: str) -> None:
    """Results measured together on one ECG: they share one ``event``, so calculators may pair them."""
    when = date.fromisoformat(day) if day else _ago(int(n), ago, _screening(patient))
    event = str(1 + len({o.get("event") for o in patient["labs"] if o.get("event")}))  # numbered within the scenario
    for part in re.split(r", | and ", results):
        m = re.fullmatch(_RESULT, part)
        assert m, f"cannot read ECG result '{part}' (expected e.g. 'QT 460 ms')"
        patient["labs"].append(
            {"code": m["name"], "value": float(m["value"]), "unit": m["unit"], "date": when, "event": event}
        )


@given(
    parsers.re(
        rf"{_HER} (?P<name>[\w '/()+-]+?) (?:is|was) (?P<value>{_FINDING})"
        rf"(?: (?P<n>\d+) (?P<ago>days?|weeks?|months?) before screening| on (?P<day>\d{{4}}-\d\d-\d\d))?$"
    )
)
def _(patient: dict, name: str, value: str, n: str | None, ago: str | None, day: str | None) -> None:
    when = date.fromisoformat(day) if day else _ago(int(n), ago, _screening(patient)) if n else _screening(patient)
    patient["labs"].append({"code": name, "value": value, "date": when})


@given(parsers.re(rf"{_WHO} (?P<verb>has|does not have) (?P<name>.+?)(?: since (?P<day>\d{{4}}-\d\d-\d\d))?$"))
def _(patient: dict, verb: str, name: str, day: str | None) -> None:
    record: dict[str, Any] = {"code": name, "status": "present" if verb == "has" else "absent"}
    if day:
        record["onset"] = day
    patient["conditions"].append(record)


@given(parsers.re(rf"{_WHO} had (?P<name>.+?) from (?P<onset>\d{{4}}-\d\d-\d\d) to (?P<resolved>\d{{4}}-\d\d-\d\d)$"))
def _(patient: dict, name: str, onset: str, resolved: str) -> None:
    patient["conditions"].append({"code": name, "status": "present", "onset": onset, "resolved": resolved})


@given(parsers.re(rf"{_HER} (?P<name>.+?) status is unknown$"))
def _(patient: dict, name: str) -> None:
    assert not any(c["code"] == name for c in patient["conditions"])  # unknown means: no record at all


@given(
    parsers.re(
        rf"{_WHO} received (?P<drug>.+?)(?: as (?P<klass>.+?))?"
        rf"(?: (?P<dose>{_NUM}) (?P<dose_unit>\S+)(?: (?P<route>orally|intravenously|inhaled|topically))?)?"
        rf" (?:until |on )?(?P<n>\d+) (?P<unit>hours?|days?|weeks?|months?|years?)"
        rf" before (?P<ref>screening|consent|enrollment|the first dose)$"
    )
)
def _(
    patient: dict,
    drug: str,
    klass: str | None,
    dose: str | None,
    dose_unit: str | None,
    route: str | None,
    n: str,
    unit: str,
    ref: str,
) -> None:
    reference = patient["reference_dates"][ref.removeprefix("the ").replace(" ", "_")]
    end = _ago(int(n), unit, reference)
    therapy: dict[str, Any] = {"name": drug, "start": end - timedelta(days=5 if dose else 0), "end": end}
    if klass:  # "fludarabine as lymphodepleting chemotherapy": the record names the class it was given as
        therapy["classes"] = [klass]
    if dose:
        therapy["dose"] = {"value": float(dose), "unit": dose_unit}
        therapy["route"] = {
            "orally": "oral",
            "intravenously": "intravenous",
            "inhaled": "inhaled",
            "topically": "topical",
        }.get(route or "orally")
    patient["therapies"].append(therapy)


@given(parsers.re(rf"{_WHO} is receiving (?P<drug>.+?)(?: (?P<dose>{_NUM}) (?P<dose_unit>\S+))?$"))
def _(patient: dict, drug: str, dose: str | None, dose_unit: str | None) -> None:
    therapy: dict[str, Any] = {"name": drug, "start": _screening(patient) - timedelta(days=30), "ongoing": True}
    if dose:
        therapy |= {"dose": {"value": float(dose), "unit": dose_unit}, "route": "oral"}
    patient["therapies"].append(therapy)


@given(parsers.re(rf"{_HER} race is (?P<race>.+)$"))
def _(patient: dict, race: str) -> None:
    patient["race"] = race


@given(parsers.re(rf"{_HER} (?P<domain>therapy|condition) history is complete"))
def _(patient: dict, domain: str) -> None:
    patient["complete_history"].append("therapies" if domain == "therapy" else "conditions")


@given(parsers.re(rf"{_HER} therapy history is not recorded"))
def _(patient: dict) -> None:
    assert not patient["therapies"] and "therapies" not in patient["complete_history"]


@given(parsers.re(r'the investigator answers "(?P<answer>yes|no)" for (?P<cid>[A-Z]{3}-\d\d\w*)'))
def _(patient: dict, answer: str, cid: str) -> None:
    # The trial is the one the scenario screens for: the When step names it and fills it in.
    patient["attestations"].append({"criterion": cid, "answer": answer, "by": "investigator"})


@given(
    parsers.re(
        r'the investigator answers "(?P<answer>yes|no)" for (?P<cid>[A-Z]{3}-\d\d\w*) of (?P<trial>(?i:NCT)\d{8})$'
    )
)
def _(patient: dict, answer: str, cid: str, trial: str) -> None:
    patient["attestations"].append({"criterion": cid, "answer": answer, "by": "investigator", "trial": trial})


@when(
    parsers.re(rf"{_WHO} (?:is|are) screened for (?P<trial>NCT\d{{8}})(?: on (?P<day>\d{{4}}-\d\d-\d\d))?"),
    target_fixture="result",
)
def _(screener: Screener, patient: dict, trial: str, day: str | None) -> TrialResult:
    as_of = date.fromisoformat(day) if day else _screening(patient)
    for answer in patient["attestations"]:
        answer.setdefault("trial", trial)
    return screener.screen(patient, as_of=as_of, trials=[trial])[0]


@then(parsers.re(r"criterion (?P<cid>[A-Z]{3}-\d\d\w*) is (?P<verdict>eligible|ineligible|needs-review)$"))
def _(result: TrialResult, cid: str, verdict: str) -> None:
    c = result.criterion(cid)
    assert c.verdict == verdict, f"{cid}: {c.verdict} — {c.explanation}"


@then(
    parsers.re(
        r"criterion (?P<cid>[A-Z]{3}-\d\d\w*) is needs-review because (?P<fact>.+) is "
        r"(?P<kind>missing|stale|ambiguous|a judgement)$"
    )
)
def _(result: TrialResult, cid: str, fact: str, kind: str) -> None:
    c = result.criterion(cid)
    kind = kind.removeprefix("a ")
    assert c.verdict == "needs-review", f"{cid}: {c.verdict} — {c.explanation}"
    matching = [r for r in c.reasons if r.kind == kind and fact.lower() in (r.fact + " " + r.message).lower()]
    assert matching, f"{cid}: no '{kind}' reason about '{fact}' in {c.reasons}"


@then(parsers.re(r'the explanation of (?P<cid>[A-Z]{3}-\d\d\w*) (?:mentions|says) "(?P<text>.+)"$'))
def _(result: TrialResult, cid: str, text: str) -> None:
    c = result.criterion(cid)
    assert text.lower() in c.explanation.lower(), f"{cid}: '{text}' not in: {c.explanation}"


@then(parsers.re(r"criterion (?P<cid>[A-Z]{3}-\d\d\w*) changes on (?P<day>\d{4}-\d\d-\d\d)$"))
def _(result: TrialResult, cid: str, day: str) -> None:
    c = result.criterion(cid)
    assert c.changes_on == date.fromisoformat(day), f"{cid}: changes_on {c.changes_on}"


@then(parsers.re(r"the overall verdict is (?P<verdict>eligible|ineligible|needs-review)$"))
def _(result: TrialResult, verdict: str) -> None:
    bad = [f"{c.id}: {c.verdict}" for c in result.criteria if c.verdict != "eligible"]
    assert result.overall == verdict, f"overall {result.overall}; not eligible: {bad}"
