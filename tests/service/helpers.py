"""What the service tests compute on their side: hook requests, and the answers the library gives in-process."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from engine.fhir import patient_from_bundle
from engine.render.cds_hooks import render_cards
from engine.screening import Screener

__all__ = ["SERVICE", "expected_cards", "hook_request", "normalized", "patient_id"]

SERVICE = "/cds-services/trial-prescreening"


def patient_id(bundle: dict) -> str:
    return next(e["resource"]["id"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")


def hook_request(pid: str, prefetch: dict | None = None, fhir_server: str | None = None, token: str | None = None):
    """A patient-view request as an EHR sends it."""
    request: dict[str, Any] = {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/example", "patientId": pid},
    }
    if prefetch is not None:
        request["prefetch"] = prefetch
    if fhir_server is not None:
        request["fhirServer"] = fhir_server
        request["fhirAuthorization"] = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "user/*.read",
            "subject": "cds-service",
        }
    return request


def expected_cards(screener: Screener, prefetch: dict, pid: str) -> dict:
    """The cards the library gives in-process for the resources of ``prefetch``, screened today."""
    entries = []
    for value in prefetch.values():
        entries.extend(value["entry"] if value["resourceType"] == "Bundle" else [{"resource": value}])
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": entries}
    patient = patient_from_bundle(bundle, source="request body", vocabulary=screener.vocabulary)
    results = screener.screen(patient, as_of=date.today())
    return render_cards(results, catalog=screener.catalog, report_url="http://x/reports/t", fhir_patient_id=pid)


def normalized(value: Any) -> Any:
    """Cards without what differs on every call: uuids, and the report link's token."""
    if isinstance(value, dict):
        return {k: normalized(v) for k, v in value.items() if k != "uuid"}
    if isinstance(value, list):
        return [normalized(v) for v in value]
    if isinstance(value, str) and "/reports/" in value:
        return "<report link>"
    return value
