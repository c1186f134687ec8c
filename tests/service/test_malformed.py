"""Malformed requests get a clear 4xx with a JSON error naming the problem: never a 500, never a trace."""

from __future__ import annotations

import json
import logging
import socket

import httpx
import pytest

from engine.service import ServiceConfig, create_app

from .helpers import SERVICE, hook_request
from .servers import AppServer

_HOOK = hook_request("cand-001")
_PATIENT = {"resourceType": "Patient", "id": "cand-001", "gender": "female", "birthDate": "1990-05-01"}


def _prefetch(**values) -> dict:
    return {**_HOOK, "prefetch": {key: None for key in ("patient",)} | values}


CASES = {
    "missing context": (
        {k: v for k, v in _HOOK.items() if k != "context"},
        422,
        "request body field 'context': Field required",
    ),
    "missing patientId": (
        {**_HOOK, "context": {"userId": "Practitioner/1"}},
        422,
        "request body field 'context.patientId': Field required",
    ),
    "wrong hook": (
        {**_HOOK, "hook": "order-sign"},
        422,
        "request body field 'hook': this service answers 'patient-view' hooks, not 'order-sign'",
    ),
    "not an object": ([1, 2], 422, "request body: expected a JSON object (a CDS Hooks request)"),
    "prefetch not an object": (
        {**_HOOK, "prefetch": "everything"},
        422,
        "request body field 'prefetch': Input should be a valid dictionary",
    ),
    "prefetch patient is a list": (
        _prefetch(patient=[_PATIENT]),
        422,
        "request body field 'prefetch.patient': expected a FHIR resource or a searchset Bundle",
    ),
    "prefetch patient is an Observation": (
        _prefetch(patient={"resourceType": "Observation", "id": "x"}),
        422,
        "request body field 'prefetch.patient': expected a Patient resource or a searchset Bundle, got Observation",
    ),
    "prefetch bundle entry is not a list": (
        _prefetch(conditions={"resourceType": "Bundle", "type": "searchset", "entry": {"resource": {}}}),
        422,
        "request body field 'prefetch.conditions.entry': Bundle.entry must be a list of entries",
    ),
    "bad fhirServer": (
        {**_HOOK, "fhirServer": "file:///etc/passwd"},
        422,
        "request body field 'fhirServer': String should match pattern",
    ),
    "fhirAuthorization not bearer": (
        {
            **_HOOK,
            "fhirServer": "http://127.0.0.1:9/fhir",
            "fhirAuthorization": {"access_token": "t", "token_type": "MAC"},
        },
        422,
        "request body field 'fhirAuthorization.token_type': Input should be 'Bearer'",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_malformed_hook_request_is_a_clear_4xx(service, fhir, case):
    body, status, message = CASES[case]
    if isinstance(body, dict) and isinstance(body.get("prefetch"), dict):  # the rest of the record is prefetched
        body = {**body, "prefetch": {**fhir.store.prefetch(fhir.url, "cand-001"), **body["prefetch"]}}
        if body["prefetch"]["patient"] is None:
            body["prefetch"]["patient"] = _PATIENT
    answer = httpx.post(service.url + SERVICE, json=body, timeout=30)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]["status"] == status
    assert answer.json()["error"]["message"].startswith(message)


def test_a_broken_resource_inside_prefetch_is_named_where_the_ehr_sent_it(service, fhir):
    prefetch = fhir.store.prefetch(fhir.url, "cand-001")
    prefetch["patient"] = {**_PATIENT, "birthDate": "the year of the flood"}
    answer = httpx.post(service.url + SERVICE, json=hook_request("cand-001", prefetch), timeout=30)
    assert answer.status_code == 422
    assert answer.json()["error"]["message"].startswith("request body field 'prefetch.patient")


def test_broken_observations_are_skipped_with_a_warning_not_a_failure(service, fhir):
    prefetch = fhir.store.prefetch(fhir.url, "cand-001")
    prefetch["observations"]["entry"].append({"resource": {"resourceType": "Observation", "id": "junk", "code": 7}})
    prefetch["observations"]["entry"].append("not an entry")
    answer = httpx.post(service.url + SERVICE, json=hook_request("cand-001", prefetch), timeout=30)
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(
    ("content", "content_type", "status", "message"),
    [
        (b'{"hook": "patient-view",', "application/json", 400, "request body: not valid JSON: Expecting"),
        (b'{"hook": 1, "hook": 2}', "application/json", 400, "request body: duplicate key 'hook' (line 1)"),
        (b'{"x": NaN}', "application/json", 400, "request body: not valid JSON"),
        (b"[" * 5000 + b"]" * 5000, "application/json", 400, "request body: nested deeper than"),
        (b"\xff\xfe{}", "application/json", 400, "request body: not UTF-8"),
        (b"{}", "text/plain", 415, "content type text/plain is not accepted"),
        (b"{}", "", 415, "content type none is not accepted"),
        (b"hook=patient-view", "application/x-www-form-urlencoded", 415, "content type application/x-www-form"),
    ],
)
def test_bad_bodies_are_4xx_on_every_json_endpoint(service, content, content_type, status, message):
    for path in (SERVICE, SERVICE + "/feedback", "/screen"):
        headers = {"content-type": content_type} if content_type else {}
        answer = httpx.post(service.url + path, content=content, headers=headers, timeout=30)
        assert answer.status_code == status, (path, answer.text)
        assert answer.json() == {"error": {"status": status, "message": answer.json()["error"]["message"]}}
        assert answer.json()["error"]["message"].startswith(message), answer.text


def test_a_body_over_the_limit_is_413_by_its_length_before_it_is_read(service):
    huge = b'{"hook": "' + b"x" * (8 * 1024 * 1024) + b'"}'
    answer = httpx.post(service.url + SERVICE, content=huge, headers={"content-type": "application/json"}, timeout=60)
    assert answer.status_code == 413
    assert answer.json()["error"]["message"] == "request body is larger than 8,388,608 bytes"


def test_a_chunked_body_over_the_limit_is_413_while_it_is_read(service):
    def chunks():
        yield b'{"hook": "'
        for _ in range(9):
            yield b"x" * (1024 * 1024)
        yield b'"}'

    answer = httpx.post(service.url + "/screen", content=chunks(), headers={"content-type": "application/json"})
    assert answer.status_code == 413
    assert answer.json()["error"]["message"] == "request body is larger than 8,388,608 bytes"


def test_a_content_length_that_is_not_a_number_is_400(service):
    host, port = service.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as conn:
        conn.sendall(
            b"POST /screen HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n"
        )
        reply = conn.recv(4096)
    assert reply.startswith(b"HTTP/1.1 400")


def test_unknown_service_route_and_method_are_json_4xx(service):
    unknown = httpx.post(service.url + "/cds-services/another-service", json=_HOOK)
    assert unknown.status_code == 404
    assert (
        unknown.json()["error"]["message"] == "no CDS service 'another-service' (this server has 'trial-prescreening')"
    )
    assert httpx.get(service.url + "/no/such/route").json() == {"error": {"status": 404, "message": "Not Found"}}
    assert httpx.get(service.url + SERVICE).json()["error"]["status"] == 405


def test_no_answer_ever_carries_a_trace(service):
    """Every case above, once more, scanned for what a trace looks like."""
    for body in [*(c[0] for c in CASES.values()), {"hook": None}, {"context": []}, None]:
        answer = httpx.post(
            service.url + SERVICE, content=json.dumps(body), headers={"content-type": "application/json"}
        )
        assert 400 <= answer.status_code < 500, answer.text
        assert "Traceback" not in answer.text and 'File "' not in answer.text


def test_an_internal_failure_is_a_one_line_500_without_a_trace(tmp_path, caplog):
    """A fault of the server, not of the request (here a feedback log that is a directory): 500, one line."""
    (tmp_path / "feedback.jsonl").mkdir()
    app = create_app(ServiceConfig(insecure=True, feedback_log=tmp_path / "feedback.jsonl"))
    item = {"card": "c", "outcome": "accepted", "outcomeTimestamp": "2026-11-23T10:00:00Z"}
    with caplog.at_level(logging.INFO, logger="engine.service"), AppServer(app) as server:
        answer = httpx.post(server.url + SERVICE + "/feedback", json={"feedback": [item]})
    assert answer.status_code == 500
    assert answer.json() == {"error": {"status": 500, "message": "internal error (IsADirectoryError)"}}
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == ["internal error on POST /cds-services/{service_id}/feedback: IsADirectoryError"]
    assert not any(r.exc_info for r in caplog.records if r.levelno >= logging.INFO)
