"""CDS Hooks 2.0 ``patient-view``: the service's discovery entry, the hook request, and the patient's record as one
FHIR Bundle built from prefetch and, for what prefetch left out, from the EHR's FHIR server.

Each prefetch value is a resource, a searchset Bundle, or null (the client did not fetch it); a key absent or null
is read from ``fhirServer`` with ``fhirAuthorization``'s bearer token, and when the service can do neither the
hook is answered 412, as the specification says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InputError
from .errors import ApiError
from .fhir_fetch import FhirFetcher, next_link
from .validation import validated

__all__ = ["HOOK", "PREFETCH", "SERVICE_ID", "HookRequest", "discovery", "located", "parse_hook", "record_bundle"]

SERVICE_ID = "trial-prescreening"
HOOK = "patient-view"
PREFETCH: dict[str, str] = {
    "patient": "Patient/{{context.patientId}}",
    "conditions": "Condition?patient={{context.patientId}}",
    "observations": "Observation?patient={{context.patientId}}",
    "medicationRequests": "MedicationRequest?patient={{context.patientId}}&_include=MedicationRequest:medication",
    "medicationStatements": "MedicationStatement?patient={{context.patientId}}",
    "medicationAdministrations": (
        "MedicationAdministration?patient={{context.patientId}}&_include=MedicationAdministration:medication"
    ),
    "procedures": "Procedure?patient={{context.patientId}}",
    "immunizations": "Immunization?patient={{context.patientId}}",
}
"""What the service needs of the patient, as FHIR queries the EHR fills in (``{{context.patientId}}``)."""

_RESOURCE = {key: query.split("/", 1)[0].split("?", 1)[0] for key, query in PREFETCH.items()}
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


def discovery() -> dict[str, Any]:
    """The ``GET /cds-services`` answer: one patient-view service."""
    return {
        "services": [
            {
                "hook": HOOK,
                "id": SERVICE_ID,
                "title": "Clinical-trial prescreening",
                "description": (
                    "Trials this patient may be a candidate for, with the items a person must check and the data "
                    "(often a lab order) that would settle them. Ineligible trials are not shown."
                ),
                "prefetch": PREFETCH,
                "usageRequirements": "Prefetch or FHIR server access to the patient's record.",
            }
        ]
    }


class _Open(BaseModel):
    # CDS Hooks clients add extension fields; the ones named here are checked, others kept.
    model_config = ConfigDict(extra="allow")


class PatientViewContext(_Open):
    userId: str = Field(min_length=1, max_length=1_000)
    patientId: str = Field(pattern=_FHIR_ID.pattern)
    encounterId: str | None = Field(default=None, max_length=1_000)


class FhirAuthorization(_Open):
    access_token: str = Field(min_length=1, max_length=20_000)
    token_type: Literal["Bearer"]
    expires_in: int | None = None
    scope: str | None = None
    subject: str | None = None


class HookRequest(_Open):
    """A CDS Hooks 2.0 request for ``patient-view``."""

    hook: str
    hookInstance: str = Field(min_length=1, max_length=200)
    context: PatientViewContext
    fhirServer: str | None = Field(default=None, pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$")
    fhirAuthorization: FhirAuthorization | None = None
    prefetch: dict[str, Any] | None = None


def parse_hook(data: Any) -> HookRequest:
    """The hook request, checked: a problem is an :class:`InputError` naming the field."""
    if not isinstance(data, dict):
        raise InputError("expected a JSON object (a CDS Hooks request)", path="request body")
    hook = validated(HookRequest, data, "request body")
    if hook.hook != HOOK:
        raise InputError(
            f"this service answers '{HOOK}' hooks, not '{hook.hook[:80]}'", path="request body", field="hook"
        )
    return hook


FetcherFactory = Callable[[str, str], FhirFetcher]
"""Opens a fetcher for (fhirServer, access token); the service's factory checks the server against its allow-list."""


@dataclass
class _Record:
    """The entries of the patient's record as they are gathered, and where each came from."""

    patient_id: str
    fhir_server: str | None = None
    entries: list[Any] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)
    seen: dict[tuple[Any, Any], dict] = field(default_factory=dict)

    def append(self, entry: Any, where: str) -> None:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict):
            if resource.get("resourceType") == "Patient" and resource.get("id") != self.patient_id:
                # another patient's record must never be screened
                raise InputError("the Patient's id is not context.patientId", path="request body", field=where)
            key = (resource.get("resourceType"), resource.get("id"))
            if isinstance(key[1], str) and self.seen.get(key) == resource:
                return  # one Medication included by two searches: the same resource, read once
            self.seen[key] = resource
            entry = {k: v for k, v in entry.items() if k in ("fullUrl", "resource")}
            if resource.get("resourceType") == "Patient" and "fullUrl" not in entry and self.fhir_server:
                # the Patient's URL on the EHR's server: a record naming it so (an absolute reference) is its own
                entry["fullUrl"] = f"{self.fhir_server.rstrip('/')}/Patient/{self.patient_id}"
        self.entries.append(entry)
        self.origins.append(where)


def record_bundle(hook: HookRequest, open_fetcher: FetcherFactory) -> tuple[dict[str, Any], list[str]]:
    """The patient's record as a collection Bundle, and where each entry came from (``prefetch.conditions.entry[3]``
    or ``fhirServer Condition.entry[3]``), so that a problem in an entry can be named as the EHR sent it."""
    prefetch = hook.prefetch or {}
    wanted = [key for key in PREFETCH if prefetch.get(key) is None]
    pages = [key for key in PREFETCH if isinstance(prefetch.get(key), dict) and next_link(prefetch[key])]
    fetcher = None
    if wanted or pages:
        if hook.fhirServer is None or hook.fhirAuthorization is None:
            missing = ", ".join(wanted) or f"the next pages of {', '.join(pages)}"
            raise ApiError(412, f"prefetch lacks {missing}, and the request has no fhirServer and fhirAuthorization")
        fetcher = open_fetcher(hook.fhirServer, hook.fhirAuthorization.access_token)
    record = _Record(hook.context.patientId, hook.fhirServer)
    try:
        for key in PREFETCH:
            query = PREFETCH[key].replace("{{context.patientId}}", hook.context.patientId)
            if prefetch.get(key) is None:
                value, where = fetcher.read(query), f"fhirServer {_RESOURCE[key]}"  # type: ignore[union-attr]
            else:
                value, where = prefetch[key], f"prefetch.{key}"
                if isinstance(value, dict) and next_link(value):
                    value = fetcher.complete(value, where)  # type: ignore[union-attr]
            _add(key, value, where, record)
    finally:
        if fetcher is not None:
            fetcher.close()
    return {"resourceType": "Bundle", "type": "collection", "entry": record.entries}, record.origins


def _add(key: str, value: Any, where: str, record: _Record) -> None:
    """Add one prefetch value's resources to the record; refuse what is not a resource of the key's type."""
    if not isinstance(value, dict) or not isinstance(value.get("resourceType"), str):
        raise InputError("expected a FHIR resource or a searchset Bundle", path="request body", field=where)
    if value["resourceType"] == "Bundle":
        items = value.get("entry") or []
        if not isinstance(items, list):
            raise InputError("Bundle.entry must be a list of entries", path="request body", field=f"{where}.entry")
        for i, entry in enumerate(items):
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if isinstance(resource, dict) and resource.get("resourceType") == "OperationOutcome":
                continue  # the server's remarks on the search (search mode "outcome"), not the patient's record
            record.append(entry, f"{where}.entry[{i}]")
        return
    if value["resourceType"] != _RESOURCE[key]:
        raise InputError(
            f"expected a {_RESOURCE[key]} resource or a searchset Bundle, got {value['resourceType'][:40]}",
            path="request body",
            field=where,
        )
    record.append({"resource": value}, where)


def located(exc: InputError, origins: list[str]) -> InputError:
    """A FHIR reader error about ``entry[i]`` of the built Bundle, re-addressed to where the EHR sent that entry."""
    match = re.match(r"^entry\[(\d+)\](.*)$", exc.field or "")
    if match is None or int(match[1]) >= len(origins):
        return InputError(exc.problem, path="request body", field=exc.field)
    return InputError(exc.problem, path="request body", field=origins[int(match[1])] + match[2])
