"""Small FHIR resources and bundles built in tests: one Patient ``p1`` (fullUrl ``urn:uuid:p1``) and its records."""

from __future__ import annotations

from engine.fhir import patient_from_bundle
from engine.patient import Patient

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
ATC = "http://www.whocc.no/atc"
CVX = "http://hl7.org/fhir/sid/cvx"


def patient(**extra):
    return {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1980-05-17", **extra}


def bundle(*resources, pat=None, btype="collection", bid="b1"):
    entries = [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in (pat or patient(), *resources)]
    return {"resourceType": "Bundle", "id": bid, "type": btype, "entry": entries}


def cc(system, code, display=None, text=None):
    out = {"coding": [{"system": system, "code": code, **({"display": display} if display else {})}]}
    return {**out, **({"text": text} if text else {})}


def obs(rid, loinc, *, status="final", when="2026-11-01", lab=True, **value):
    res = {
        "resourceType": "Observation",
        "id": rid,
        "status": status,
        "code": cc(LOINC, loinc),
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": when,
        **value,
    }
    if lab:
        res["category"] = [cc("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory")]
    return res


def qty(value, code=None, unit=None, **extra):
    q = {"value": value, **extra}
    if code is not None:
        q.update(system=UCUM, code=code)
    if unit is not None:
        q["unit"] = unit
    return q


def condition(rid, code, *, system=SNOMED, display=None, clinical="active", verification="confirmed", **extra):
    res = {
        "resourceType": "Condition",
        "id": rid,
        "code": cc(system, code, display),
        "subject": {"reference": "Patient/p1"},
        **extra,
    }
    if clinical:
        res["clinicalStatus"] = cc("http://terminology.hl7.org/CodeSystem/condition-clinical", clinical)
    if verification:
        res["verificationStatus"] = cc("http://terminology.hl7.org/CodeSystem/condition-ver-status", verification)
    return res


def read(*resources, **kw) -> Patient:
    return patient_from_bundle(bundle(*resources, **kw), source="test.json")


def med_statement(rid, concept, *, status="completed", dosage=None, **extra):
    res = {
        "resourceType": "MedicationStatement",
        "id": rid,
        "status": status,
        "medicationCodeableConcept": concept,
        "subject": {"reference": "Patient/p1"},
        **extra,
    }
    if dosage:
        res["dosage"] = [dosage]
    return res
