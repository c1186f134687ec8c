"""CDS Hooks 2.0 through a real server on 127.0.0.1: discovery, patient-view with prefetch and with the FHIR
fallback (a FHIR server the test runs), the report a card links to, feedback."""

from __future__ import annotations

import json

import httpx
import pytest

from engine.service.hooks import PREFETCH

from .conftest import CANDIDATES, FHIR_TOKEN, SANDBOX, validator
from .helpers import SERVICE, expected_cards, hook_request, normalized, patient_id
from .records import BUNDLES, load_bundle

CARDS = validator("cards.schema.json")
RECORDS = {name: patient_id(load_bundle(name)) for name in BUNDLES} | {
    "candidate": patient_id(CANDIDATES[0]),
}


def _post(url: str, body: dict, **kwargs) -> httpx.Response:
    return httpx.post(url, json=body, timeout=60, **kwargs)


def test_discovery_lists_the_patient_view_service_with_its_prefetch(service):
    answer = httpx.get(service.url + "/cds-services")
    assert answer.status_code == 200
    body = answer.json()
    validator("discovery.schema.json").validate(body)
    (entry,) = body["services"]
    assert entry["hook"] == "patient-view" and entry["id"] == "trial-prescreening"
    assert entry["prefetch"]["patient"] == "Patient/{{context.patientId}}"
    assert entry["prefetch"]["conditions"] == "Condition?patient={{context.patientId}}"
    wanted = ("Observation", "MedicationRequest", "MedicationStatement", "MedicationAdministration", "Procedure")
    assert all(any(t.startswith(f"{w}?patient={{{{context.patientId}}}}") for t in PREFETCH.values()) for w in wanted)


@pytest.mark.parametrize("record", list(RECORDS))
def test_patient_view_with_prefetch_answers_the_cards_of_the_library(service, fhir, screener, record):
    pid = RECORDS[record]
    prefetch = fhir.store.prefetch(fhir.url, pid)
    answer = _post(service.url + SERVICE, hook_request(pid, prefetch))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    CARDS.validate(body)
    assert normalized(body) == normalized(expected_cards(screener, prefetch, pid))
    if record == "candidate":  # the B-ALL trial, and only it, with what to check and a link to the full report
        (card,) = body["cards"]
        assert card["source"]["url"].endswith("NCT07245251") and card["indicator"] == "warning"
        assert any(link["url"].startswith(service.url + "/reports/") for link in card["links"])


@pytest.mark.parametrize("record", list(RECORDS))
def test_patient_view_without_prefetch_reads_the_fhir_server_and_gives_the_same_cards(service, fhir, record):
    pid = RECORDS[record]
    with_prefetch = _post(service.url + SERVICE, hook_request(pid, fhir.store.prefetch(fhir.url, pid)))
    fetched = _post(service.url + SERVICE, hook_request(pid, None, fhir.url, FHIR_TOKEN))
    assert fetched.status_code == 200, fetched.text
    CARDS.validate(fetched.json())
    assert normalized(fetched.json()) == normalized(with_prefetch.json())
    assert fhir.requests[f"/fhir/Patient/{pid}"] >= 1
    assert fhir.requests[f"/fhir/Condition?patient={pid}"] >= 1


def test_a_search_of_several_pages_is_read_to_its_end(service, fhir):
    """Milton's 705 observations come in two pages of 400: both are read (one page less could hide the result
    that rules a trial out)."""
    name = next(n for n in BUNDLES if n.startswith("Milton"))
    pid = RECORDS[name]
    answer = _post(service.url + SERVICE, hook_request(pid, None, fhir.url, FHIR_TOKEN))
    assert answer.status_code == 200, answer.text
    assert f"/fhir/Observation?patient={pid}&_page=2" in fhir.paged()


def test_a_partial_prefetch_is_completed_from_the_fhir_server(service, fhir):
    pid = RECORDS["candidate"]
    full = fhir.store.prefetch(fhir.url, pid)
    partial = {"patient": full["patient"], "conditions": full["conditions"], "observations": None}
    both = _post(service.url + SERVICE, hook_request(pid, partial, fhir.url, FHIR_TOKEN))
    assert both.status_code == 200, both.text
    assert normalized(both.json()) == normalized(_post(service.url + SERVICE, hook_request(pid, full)).json())
    assert fhir.requests[f"/fhir/Observation?patient={pid}"] >= 1


def test_a_prefetched_first_page_is_followed_by_the_next_pages(service, fhir, screener):
    name = next(n for n in BUNDLES if n.startswith("Milton"))
    pid = RECORDS[name]
    full = fhir.store.prefetch(fhir.url, pid)
    first_page = fhir.store.answer(fhir.url, f"Observation?patient={pid}", 1, 400)
    answer = _post(service.url + SERVICE, hook_request(pid, {**full, "observations": first_page}, fhir.url, FHIR_TOKEN))
    assert answer.status_code == 200, answer.text
    assert normalized(answer.json()) == normalized(expected_cards(screener, full, pid))


def test_no_prefetch_and_no_fhir_server_is_412_naming_what_is_missing(service):
    answer = _post(service.url + SERVICE, hook_request("cand-001"))
    assert answer.status_code == 412
    message = answer.json()["error"]["message"]
    assert "prefetch lacks patient, conditions" in message and "fhirServer" in message


def test_a_first_page_with_no_fhir_server_to_read_the_rest_is_412(service, fhir):
    name = next(n for n in BUNDLES if n.startswith("Milton"))
    pid = RECORDS[name]
    first_page = fhir.store.answer(fhir.url, f"Observation?patient={pid}", 1, 400)
    prefetch = {**fhir.store.prefetch(fhir.url, pid), "observations": first_page}
    answer = _post(service.url + SERVICE, hook_request(pid, prefetch))
    assert answer.status_code == 412
    assert "the next pages of observations" in answer.json()["error"]["message"]


def test_a_fhir_server_refusing_the_token_is_412(service, fhir):
    answer = _post(service.url + SERVICE, hook_request("cand-001", None, fhir.url, "a-wrong-token"))
    assert answer.status_code == 412
    assert answer.json()["error"]["message"] == "fhirServer answered 401 to Patient read"


def test_a_prefetched_patient_other_than_context_patient_is_refused(service, fhir):
    prefetch = fhir.store.prefetch(fhir.url, "cand-002")
    answer = _post(service.url + SERVICE, hook_request("cand-001", prefetch))
    assert answer.status_code == 422
    assert answer.json()["error"]["message"] == (
        "request body field 'prefetch.patient': the Patient's id is not context.patientId"
    )


def test_the_card_links_to_the_report_of_this_screening_kept_for_a_short_time(service, fhir):
    pid = "cand-003"
    answer = _post(service.url + SERVICE, hook_request(pid, fhir.store.prefetch(fhir.url, pid)))
    (card,) = answer.json()["cards"]
    (link,) = [x for x in card["links"] if "/reports/" in x["url"]]
    assert link["type"] == "absolute" and pid not in link["url"]
    report = httpx.get(link["url"])
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert report.headers["cache-control"] == "no-store" and report.headers["referrer-policy"] == "no-referrer"
    assert f"<title>Prescreening: patient {pid}, as of " in report.text and "cand-001" not in report.text
    missing = httpx.get(service.url + "/reports/" + "A" * 32)
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "no such report (reports are kept for a short time only)"


def test_feedback_is_validated_and_recorded(service):
    item = {
        "card": "5d3cd2b4-5b6b-4a66-9c5e-8f0e0a8a8a0b",
        "outcome": "overridden",
        "overrideReason": {"reason": {"code": "not-relevant", "system": "http://example.org"}, "userComment": "no"},
        "outcomeTimestamp": "2026-11-23T10:15:00Z",
    }
    validator("feedback.schema.json").validate({"feedback": [item]})
    answer = _post(service.url + SERVICE + "/feedback", {"feedback": [item]})
    assert answer.status_code == 200
    recorded = service.app.state.service.feedback
    lines = [json.loads(line) for line in recorded.path.read_text().splitlines()]
    assert any(e["card"] == item["card"] and e["outcome"] == "overridden" for e in lines)
    assert all(e["service"] == "trial-prescreening" for e in lines)
    bad = _post(service.url + SERVICE + "/feedback", {"feedback": [{**item, "outcome": "ignored"}]})
    assert bad.status_code == 422
    assert bad.json()["error"]["message"].startswith("request body field 'feedback.0.outcome': Input should be")


def test_a_browser_client_of_an_allowed_origin_may_call_the_service(service):
    """CORS, as CDS Hooks 2.0 asks: the sandbox calls from its page, with a preflight for the JSON POST."""
    preflight = {
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
    }
    allowed = httpx.options(service.url + SERVICE, headers={"origin": SANDBOX, **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == SANDBOX
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    other = httpx.options(service.url + SERVICE, headers={"origin": "https://elsewhere.test", **preflight})
    assert "access-control-allow-origin" not in other.headers
    discovery = httpx.get(service.url + "/cds-services", headers={"origin": SANDBOX})
    assert discovery.headers["access-control-allow-origin"] == SANDBOX
