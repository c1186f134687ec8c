"""Codes outside their FHIR value set are never guessed: an input error for the Patient, else not read and warned."""

from __future__ import annotations

from datetime import date

import pytest
from fhir_builders import RXNORM, SNOMED, cc, condition, med_statement, obs, patient, qty, read

from engine.dates import DateSpan
from engine.errors import InputError


@pytest.mark.parametrize("gender", ["F", "M", "Female", "woman"])
def test_invalid_gender_is_an_input_error_naming_the_field(gender):
    with pytest.raises(InputError) as err:
        read(pat=patient(gender=gender))
    assert str(err.value) == (
        f"test.json field 'entry[0].resource.gender': {gender!r} is not a FHIR administrative gender "
        "(male, female, other, unknown)"
    )


def test_empty_or_non_text_gender_is_an_input_error_naming_the_field():
    for gender in ("", 1, ["female"]):
        with pytest.raises(InputError) as err:
            read(pat=patient(gender=gender))
        assert str(err.value).startswith("test.json field 'entry[0].resource.gender': ")


@pytest.mark.parametrize("gender", ["other", "unknown"])
def test_gender_other_or_unknown_leaves_sex_unrecorded_with_a_warning(gender):
    p = read(pat=patient(gender=gender))
    assert p.sex is None
    assert any(f"Patient.gender is '{gender}'" in w for w in p.warnings)


@pytest.mark.parametrize("status", ["final", "amended", "corrected", "appended"])
def test_result_statuses_are_read(status):
    p = read(obs("o1", "718-7", status=status, valueQuantity=qty(12, "g/dL")))
    assert [o.code for o in p.labs] == ["hemoglobin"]


@pytest.mark.parametrize("status", ["preliminary", "registered", "unknown"])
def test_statuses_that_are_not_a_result_are_not_used_and_warned(status):
    p = read(obs("o1", "718-7", status=status, valueQuantity=qty(12, "g/dL")))
    assert p.labs == ()
    assert any(w.startswith(f"Observation/o1 has status {status} (") and w.endswith("; not used") for w in p.warnings)


@pytest.mark.parametrize("status", ["done", "FINAL", "complete"])
def test_an_invalid_observation_status_is_not_read_and_warned(status):
    p = read(obs("o1", "718-7", status=status, valueQuantity=qty(12, "g/dL")))
    assert p.labs == ()
    assert f"Observation/o1: status '{status}' is not a FHIR Observation status; not read" in p.warnings


def test_a_panels_status_applies_to_its_components():
    bp = obs(
        "bp",
        "85354-9",
        status="preliminary",
        lab=False,
        component=[{"code": cc("http://loinc.org", "8480-6"), "valueQuantity": qty(142, "mm[Hg]")}],
    )
    assert read(bp).measurements == ()


@pytest.mark.parametrize(
    ("field", "code", "kind"),
    [
        ("verification", "confirmd", "Condition verificationStatus"),
        ("verification", "yes", "Condition verificationStatus"),
        ("clinical", "current", "Condition clinicalStatus"),
        ("clinical", "entered-in-error", "Condition clinicalStatus"),
    ],
)
def test_an_invalid_condition_status_is_read_as_suspected_and_warned(field, code, kind):
    # not guessed, and not dropped either: with a complete history a dropped diagnosis would read as absent
    p = read(condition("c1", "22298006", **{field: code}))
    assert [(c.code, c.status) for c in p.conditions] == [("myocardial infarction", "suspected")]
    assert (
        f"Condition/c1: myocardial infarction has {field}Status '{code}', which is not a {kind} code; "
        "read as suspected (neither present nor ruled out)"
    ) in p.warnings


def test_refuted_is_absent_and_resolved_or_inactive_keep_their_end():
    p = read(
        condition("c1", "22298006", display="Myocardial infarction (disorder)", verification="refuted"),
        condition("c2", "27503000", clinical="resolved", onsetDateTime="2020-01", abatementDateTime="2021-03-04"),
        condition("c3", "840539006", clinical="inactive", onsetDateTime="2026-01-05"),
    )
    by_id = {c.id: c for c in p.conditions}
    assert by_id["Condition/c1"].status == "absent"
    assert (by_id["Condition/c2"].status, str(by_id["Condition/c2"].resolved)) == ("present", "2021-03-04")
    c3 = by_id["Condition/c3"]
    assert (c3.status, c3.resolved) == ("present", DateSpan(date(2026, 1, 5), None))  # ended at an unknown date


@pytest.mark.parametrize(
    ("res", "what"),
    [
        (
            med_statement("m1", cc(RXNORM, "8640"), status="taken", effectiveDateTime="2026-11-01"),
            "MedicationStatement",
        ),
        (
            {
                "resourceType": "Procedure",
                "id": "m1",
                "status": "done",
                "subject": {"reference": "Patient/p1"},
                "code": cc(SNOMED, "116859006"),
            },
            "Procedure",
        ),
        (
            {
                "resourceType": "Immunization",
                "id": "m1",
                "status": "given",
                "patient": {"reference": "Patient/p1"},
                "occurrenceDateTime": "2026-10-20",
                "vaccineCode": cc("http://hl7.org/fhir/sid/cvx", "03"),
            },
            "Immunization",
        ),
    ],
)
def test_an_invalid_therapy_status_is_not_read_and_warned(res, what):
    p = read(res)
    assert p.therapies == ()
    status = res["status"]
    assert f"{what}/m1: status '{status}' is not a FHIR {what} status; not read" in p.warnings


@pytest.mark.parametrize(("intent", "read_it"), [("order", True), ("option", False), ("suggestion", False)])
def test_medication_request_intent(intent, read_it):
    req = {
        "resourceType": "MedicationRequest",
        "id": "r1",
        "status": "active",
        "intent": intent,
        "medicationCodeableConcept": cc(RXNORM, "3002"),
        "subject": {"reference": "Patient/p1"},
        "authoredOn": "2026-11-01",
    }
    p = read(req)
    assert bool(p.therapies) is read_it
    if intent == "suggestion":
        assert (
            "MedicationRequest/r1: intent 'suggestion' is not a FHIR MedicationRequest intent; not read" in p.warnings
        )
