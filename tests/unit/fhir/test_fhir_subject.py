"""Only the bundle's own Patient's records are read: a record about anyone or anything else is listed, not used."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fhir_builders import LOINC, RXNORM, SNOMED, bundle, cc, condition, med_statement, obs, patient, qty, read

from engine import Screener
from engine.errors import InputError
from engine.fhir import patient_from_bundle

ROOT = Path(__file__).resolve().parents[3]


def hemoglobin(subject):
    res = obs("o1", "718-7", valueQuantity=qty(9.0, "g/dL"))
    if subject is None:
        del res["subject"]
    else:
        res["subject"] = subject
    return res


@pytest.mark.parametrize(
    "reference",
    [
        "Patient/p1",
        "urn:uuid:p1",  # the Patient entry's fullUrl
        "Patient/p1/_history/3",
    ],
)
def test_records_about_the_bundles_patient_are_read(reference):
    p = read(hemoglobin({"reference": reference}))
    assert [(o.code, o.value) for o in p.labs] == [("hemoglobin", 9.0)]
    assert not any("Observation/o1" in w for w in p.warnings)


def test_patient_full_url_that_differs_from_its_id_resolves():
    data = bundle(hemoglobin({"reference": "urn:uuid:0b7e-44"}))
    data["entry"][0]["fullUrl"] = "urn:uuid:0b7e-44"
    p = patient_from_bundle(data, source="t.json")
    assert [o.code for o in p.labs] == ["hemoglobin"]


@pytest.mark.parametrize(
    ("subject", "why"),
    [
        ({"reference": "Patient/p2"}, "subject is Patient/p2, not this bundle's patient"),
        (
            {"reference": "https://ehr.example.org/fhir/Patient/p2"},
            "subject is https://ehr.example.org/fhir/Patient/p2",
        ),
        (  # the Patient's fullUrl is urn:uuid:p1: this is a record on another server
            {"reference": "https://ehr.example.org/fhir/Patient/p1"},
            "subject is https://ehr.example.org/fhir/Patient/p1, not this bundle's patient",
        ),
        ({"reference": "Group/g1"}, "subject is Group/g1, not this bundle's patient"),
        ({"reference": "urn:uuid:nobody"}, "subject is urn:uuid:nobody, not this bundle's patient"),
        ({"reference": "#p"}, "subject is #p, not this bundle's patient"),
        ({"display": "Jane Doe"}, "subject has no reference"),
        ({"identifier": {"system": "urn:mrn", "value": "123"}}, "subject has no reference"),
        (None, "has no subject"),
    ],
)
def test_records_about_someone_else_or_no_one_are_listed_not_read(subject, why):
    p = read(hemoglobin(subject))
    assert p.labs == () and p.measurements == ()
    warning = next(w for w in p.warnings if w.startswith("Observation/o1"))
    assert why in warning and warning.endswith("not read")
    (u,) = p.unmapped
    assert (u.source, u.system, u.code) == ("Observation/o1", LOINC, "718-7")
    assert why in u.display


def test_an_observation_whose_focus_is_someone_else_is_not_read():
    fetal = hemoglobin({"reference": "Patient/p1"}) | {"focus": [{"reference": "Patient/fetus"}]}
    own = obs("o2", "777-3", valueQuantity=qty(210, "10*3/uL")) | {"focus": [{"reference": "urn:uuid:p1"}]}
    p = read(fetal, own)
    assert [o.id for o in p.labs] == ["Observation/o2"]
    assert "Observation/o1: focus is Patient/fetus, not this bundle's patient; not read" in p.warnings


def test_subject_resolved_through_a_bundle_entry_of_another_type_is_not_the_patient():
    group = {"resourceType": "Group", "id": "g1", "type": "person", "actual": True}
    p = read(group, hemoglobin({"reference": "urn:uuid:g1"}))
    assert p.labs == ()
    assert any(w.startswith("Observation/o1: subject is urn:uuid:g1") for w in p.warnings)


def other(res, field="subject"):
    res[field] = {"reference": "Patient/p2"}
    return res


def test_every_resource_type_is_checked():
    proc = {
        "resourceType": "Procedure",
        "id": "x1",
        "status": "completed",
        "code": cc(SNOMED, "116859006"),
        "performedDateTime": "2026-11-02",
    }
    imm = {
        "resourceType": "Immunization",
        "id": "i1",
        "status": "completed",
        "occurrenceDateTime": "2026-10-20",
        "vaccineCode": cc("http://hl7.org/fhir/sid/cvx", "03"),
    }
    req = {
        "resourceType": "MedicationRequest",
        "id": "r1",
        "status": "active",
        "intent": "order",
        "medicationCodeableConcept": cc(RXNORM, "3002"),
        "authoredOn": "2026-11-01",
    }
    admin = dict(req, resourceType="MedicationAdministration", id="a1", status="completed", effectiveDateTime="2026-11")
    del admin["intent"], admin["authoredOn"]
    p = read(
        other(condition("c1", "22298006")),
        other(med_statement("m1", cc(RXNORM, "8640"), effectiveDateTime="2026-11-01")),
        other(req),
        other(admin),
        other(proc),
        other(imm, "patient"),
        other(obs("o1", "8867-4", lab=False, valueQuantity=qty(70, "/min"))),
    )
    assert (p.labs, p.measurements, p.conditions, p.therapies) == ((), (), (), ())
    ignored = sorted(w.split(":")[0] for w in p.warnings if "not this bundle's patient" in w)
    assert ignored == [
        "Condition/c1",
        "Immunization/i1",
        "MedicationAdministration/a1",
        "MedicationRequest/r1",
        "MedicationStatement/m1",
        "Observation/o1",
        "Procedure/x1",
    ]
    assert sorted(u.source for u in p.unmapped) == ignored


def test_contained_panel_member_about_another_patient_is_not_read():
    mine = obs("m1", "777-3", valueQuantity=qty(210, "10*3/uL"))
    theirs = other(obs("m2", "718-7", valueQuantity=qty(8, "g/dL")))
    panel = obs("panel", "58410-2", hasMember=[{"reference": "#m1"}, {"reference": "#m2"}], contained=[mine, theirs])
    p = read(panel)
    assert [(o.code, o.id) for o in p.labs] == [("platelets", "Observation/panel#m1")]
    assert any(w.startswith("Observation/panel#m2: subject is Patient/p2") for w in p.warnings)


def test_two_patient_resources_are_an_input_error_even_with_one_id():
    with pytest.raises(InputError) as err:
        patient_from_bundle(bundle(patient(gender="male")), source="dup.json")
    assert str(err.value) == (
        "dup.json field 'entry': the bundle has 2 Patient resources; one patient per bundle is expected"
    )


def test_records_about_others_change_no_verdict():
    own = [
        obs("hb", "718-7", when="2026-11-20", valueQuantity=qty(12.5, "g/dL")),
        obs("plt", "777-3", when="2026-11-20", valueQuantity=qty(210, "10*3/uL")),
    ]
    foreign = [
        hemoglobin(subject) | {"id": f"x{n}", "effectiveDateTime": "2026-11-21", "valueQuantity": qty(5.0, "g/dL")}
        for n, subject in enumerate(
            [{"reference": "Patient/p2"}, {"reference": "Group/g1"}, {"display": "Jane Doe"}, None]
        )
    ]
    foreign += [
        other(condition("mi", "22298006", onsetDateTime="2026-10-01")),
        other(med_statement("cy", cc(RXNORM, "3002"), status="active", effectiveDateTime="2026-11-01")),
    ]
    screener = Screener.from_directory(ROOT / "rulesets")

    def verdicts(*resources):
        results = screener.screen(read(*resources), as_of=date(2026, 11, 23))
        return {(r.trial, c.id): (c.verdict, c.explanation) for r in results for c in r.criteria}

    assert verdicts(*own, *foreign) == verdicts(*own)
