"""The patients the service tests send: the FHIR bundles of ../shared/data/fhir, native patient files, and small
FHIR records of adults with B-ALL who are candidates for a trial (so that the service has cards to show)."""

from __future__ import annotations

import json
from pathlib import Path

from engine.files import load_yaml

__all__ = ["BUNDLES", "NATIVE", "candidate_bundle", "load_bundle", "native_patient"]

ROOT = Path(__file__).resolve().parents[2]
SHARED_FHIR = ROOT.parent / "shared" / "data" / "fhir"
BUNDLES = sorted(p.name for p in SHARED_FHIR.glob("*.json"))
NATIVE = [ROOT / "examples" / "patient.yaml", *sorted((ROOT / "features" / "patients").glob("*.yaml"))]


def load_bundle(name: str) -> dict:
    return json.loads((SHARED_FHIR / name).read_text())


def native_patient(path: Path) -> dict:
    """A native patient file as JSON-ready data (dates stay strings, as the engine's YAML reader keeps them)."""
    return load_yaml(path.read_text(), str(path))


def _observation(pid: str, n: int, loinc: str, display: str, value: float, unit: str, when: str) -> dict:
    return {
        "resourceType": "Observation",
        "id": f"{pid}-obs-{n}",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": loinc, "display": display}]},
        "subject": {"reference": f"Patient/{pid}"},
        "effectiveDateTime": when,
        "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit},
    }


def candidate_bundle(pid: str, hemoglobin: float = 10.1, birth: str = "1990-05-01") -> dict:
    """A woman with B-ALL and two recent labs: a candidate for the B-ALL trial with items to check (a transaction
    Bundle as an EHR would export it, with ``urn:uuid`` full URLs)."""
    resources = [
        {"resourceType": "Patient", "id": pid, "gender": "female", "birthDate": birth},
        {
            "resourceType": "Condition",
            "id": f"{pid}-dx",
            "clinicalStatus": {
                "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]
            },
            "verificationStatus": {
                "coding": [
                    {"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"}
                ]
            },
            "code": {"text": "B-cell acute lymphoblastic leukemia"},
            "subject": {"reference": f"urn:uuid:{pid}"},
            "onsetDateTime": "2025-03-01",
        },
        _observation(pid, 1, "718-7", "Hemoglobin", hemoglobin, "g/dL", "2026-11-19"),
        _observation(pid, 2, "777-3", "Platelets", 80, "10*3/uL", "2026-11-19"),
    ]
    entries = [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources]
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}
