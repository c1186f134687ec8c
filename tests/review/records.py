"""Small FHIR records the review tests send: B-ALL candidates (from the service tests) and what rules them out."""

from __future__ import annotations

from typing import Any

from service.records import candidate_bundle

__all__ = ["candidate_bundle", "hcv_positive", "refuted_disease", "resources"]


def hcv_positive(pid: str, reference: str | None = None, n: int = 1) -> dict[str, Any]:
    """A positive hepatitis C antibody result: settles the B-ALL trial's exclusion EXC-08c for this patient."""
    return {
        "resourceType": "Observation",
        "id": f"{pid}-hcv-{n}",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "13955-0", "display": "HCV Ab"}]},
        "subject": {"reference": reference or f"Patient/{pid}"},
        "effectiveDateTime": "2026-11-19",
        "valueCodeableConcept": {
            "coding": [{"system": "http://snomed.info/sct", "code": "10828004", "display": "Positive"}],
            "text": "Positive",
        },
    }


def refuted_disease(bundle: dict[str, Any]) -> dict[str, Any]:
    """The candidate's bundle with the B-ALL diagnosis recorded as refuted (the disease is absent)."""
    out = {**bundle, "entry": [dict(e) for e in bundle["entry"]]}
    for entry in out["entry"]:
        res = entry["resource"]
        if res["resourceType"] == "Condition":
            entry["resource"] = {
                **res,
                "verificationStatus": {
                    "coding": [
                        {"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "refuted"}
                    ]
                },
            }
            entry["resource"].pop("clinicalStatus")  # a refuted condition carries no clinical status (con-5)
    return out


def resources(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"]]
