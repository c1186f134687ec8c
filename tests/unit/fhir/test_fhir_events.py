"""Observation.event: results measured together (one ECG, one panel, one moment) share an event; others do not."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from fhir_builders import LOINC, cc, obs, qty, read

from engine import Screener
from engine.patient import load_patient

ROOT = Path(__file__).resolve().parents[3]


def ecg(rid, when="2026-11-01T08:30:00Z", qt=460, hr=100):
    return obs(
        rid,
        "11524-6",  # EKG study
        lab=False,
        when=when,
        component=[
            {"code": cc(LOINC, "8634-8"), "valueQuantity": qty(qt, "ms")},
            {"code": cc(LOINC, "8867-4"), "valueQuantity": qty(hr, "/min")},
        ],
    )


def events(p):
    return {(o.id, o.code): o.event for o in p.observations}


def test_components_of_one_observation_share_its_event():
    p = read(ecg("ecg", when="2026-11-01"))
    assert events(p) == {
        ("Observation/ecg", "qt"): "Observation/ecg",
        ("Observation/ecg", "heart_rate"): "Observation/ecg",
    }


def test_two_ecgs_on_one_day_are_two_events():
    p = read(ecg("e1", when="2026-11-01"), ecg("e2", when="2026-11-01", qt=400, hr=60))
    ev = events(p)
    assert ev[("Observation/e1", "qt")] == ev[("Observation/e1", "heart_rate")] == "Observation/e1"
    assert ev[("Observation/e2", "qt")] == ev[("Observation/e2", "heart_rate")] == "Observation/e2"


def test_members_of_a_panel_share_the_panel_id():
    panel = obs("cbc", "58410-2", hasMember=[{"reference": "Observation/m1"}, {"reference": "urn:uuid:m2"}])
    m1 = obs("m1", "777-3", when="2026-11-01", valueQuantity=qty(210, "10*3/uL"))
    m2 = obs("m2", "718-7", when="2026-11-01", valueQuantity=qty(12, "g/dL"))
    lone = obs("m3", "6690-2", when="2026-11-01", valueQuantity=qty(5, "10*3/uL"))
    p = read(panel, m1, m2, lone)
    assert events(p) == {
        ("Observation/m1", "platelets"): "Observation/cbc",
        ("Observation/m2", "hemoglobin"): "Observation/cbc",
        ("Observation/m3", "wbc"): None,
    }


def test_contained_panel_members_share_the_panel_id():
    panel = obs(
        "panel",
        "58410-2",
        hasMember=[{"reference": "#a"}, {"reference": "#b"}],
        contained=[
            obs("a", "777-3", valueQuantity=qty(210, "10*3/uL")),
            obs("b", "718-7", valueQuantity=qty(12, "g/dL")),
        ],
    )
    assert set(events(read(panel)).values()) == {"Observation/panel"}


def test_results_of_one_diagnostic_report_share_the_report_id():
    report = {
        "resourceType": "DiagnosticReport",
        "id": "r1",
        "status": "final",
        "code": cc(LOINC, "24323-8"),
        "subject": {"reference": "Patient/p1"},
        "result": [{"reference": "urn:uuid:m1"}, {"reference": "Observation/m2"}],
    }
    m1 = obs("m1", "1742-6", when="2026-11-01", valueQuantity=qty(30, "U/L"))
    m2 = obs("m2", "1920-8", when="2026-11-01", valueQuantity=qty(28, "U/L"))
    assert set(events(read(report, m1, m2)).values()) == {"DiagnosticReport/r1"}


@pytest.mark.parametrize(("subject", "status"), [("Patient/p2", "final"), ("Patient/p1", "entered-in-error")])
def test_a_report_about_another_patient_or_in_error_groups_nothing(subject, status):
    report = {
        "resourceType": "DiagnosticReport",
        "id": "r1",
        "status": status,
        "code": cc(LOINC, "24323-8"),
        "subject": {"reference": subject},
        "result": [{"reference": "Observation/m1"}, {"reference": "Observation/m2"}],
    }
    m1 = obs("m1", "1742-6", when="2026-11-01", valueQuantity=qty(30, "U/L"))
    m2 = obs("m2", "1920-8", when="2026-11-01", valueQuantity=qty(28, "U/L"))
    assert set(events(read(report, m1, m2)).values()) == {None}


def test_separate_observations_at_the_same_instant_share_it():
    qt = obs("qt", "8634-8", lab=False, when="2026-11-01T09:30:00+01:00", valueQuantity=qty(460, "ms"))
    hr = obs("hr", "8867-4", lab=False, when="2026-11-01T08:30:00Z", valueQuantity=qty(100, "/min"))
    later = obs("hr2", "8867-4", lab=False, when="2026-11-01T08:31:00Z", valueQuantity=qty(55, "/min"))
    ev = events(read(qt, hr, later))
    assert ev[("Observation/qt", "qt")] == ev[("Observation/hr", "heart_rate")] == "2026-11-01T08:30:00+00:00"
    assert ev[("Observation/hr2", "heart_rate")] == "2026-11-01T08:31:00+00:00"


def test_observations_with_only_a_date_share_nothing():
    qt = obs("qt", "8634-8", lab=False, when="2026-11-01", valueQuantity=qty(460, "ms"))
    hr = obs("hr", "8867-4", lab=False, when="2026-11-01", valueQuantity=qty(55, "/min"))
    assert set(events(read(qt, hr)).values()) == {None}


def test_an_ecg_and_a_pulse_taken_at_its_instant_join_one_event():
    pulse = obs("hr", "8867-4", lab=False, when="2026-11-01T08:30:00Z", valueQuantity=qty(100, "/min"))
    p = read(ecg("ecg"), pulse)
    assert set(events(p).values()) == {"Observation/ecg"}


SYNTHEA = (
    Path(__file__).resolve().parents[3].parent
    / "shared"
    / "data"
    / "fhir"
    / ("Milton509_Ortiz186_d66b5418-06cb-fc8a-8c13-85685b6ac939.json")
)


@pytest.mark.skipif(not SYNTHEA.is_file(), reason=f"shared FHIR test bundle not found at {SYNTHEA}")
def test_results_of_each_synthea_report_share_one_event_and_reports_of_other_instants_do_not():
    data = json.loads(SYNTHEA.read_text())
    by_url = {e["fullUrl"]: e["resource"] for e in data["entry"]}
    p = load_patient(SYNTHEA)
    event_of = {o.id: o.event for o in p.observations}
    reports = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "DiagnosticReport"]
    checked = 0
    for report in reports:
        members = [by_url[r["reference"]] for r in report.get("result", ())]
        read_ids = [f"Observation/{m['id']}" for m in members if f"Observation/{m['id']}" in event_of]
        if len(read_ids) > 1:
            assert len({event_of[i] for i in read_ids}) == 1, report["id"]
            checked += 1
    assert checked >= 5
    assert all(o.event for o in p.observations)  # Synthea stamps every result with a time of day
    assert len({o.event for o in p.observations}) > 10  # many encounters, not one event


def test_an_ecg_bundle_screens_qtcb_from_its_own_heart_rate_not_a_later_pulse():
    """QT 460 ms at heart rate 100 (QTcB 594 ms) with a pulse of 55 four days later: QTcB is never 440 ms."""
    pulse = obs("hr", "8867-4", lab=False, when="2026-11-23T10:00:00Z", valueQuantity=qty(55, "/min"))
    p = read(ecg("ecg", when="2026-11-19T09:00:00Z"), pulse)
    (result,) = Screener.from_directory(ROOT / "rulesets").screen(p, as_of=date(2026, 11, 23), trials=["NCT07245251"])
    (qtc,) = [c for c in result.criteria if c.id == "EXC-10d"]
    assert qtc.verdict == "ineligible"
    assert "593.9 ms from ECG Observation/ecg" in qtc.explanation and "55 /min" not in qtc.explanation
