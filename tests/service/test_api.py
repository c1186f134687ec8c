"""The HTTP API through a real server: /screen (native patient and FHIR Bundle, trial filter, as_of, HTML), the
trials, health, OpenAPI; and the JWT check as the EHR meets it on every CDS Hooks route and /screen."""

from __future__ import annotations

import time
from datetime import date

import httpx
import pytest

from engine.results import to_jsonable

from .conftest import ISSUER
from .helpers import SERVICE, hook_request
from .jwt_helpers import bearer, forge, mint, new_key
from .records import NATIVE, load_bundle, native_patient

AS_OF = date(2026, 11, 23)
NATIVE_AS_OF = date(2027, 1, 15)  # after every date in the native patient files


@pytest.mark.parametrize("path", NATIVE, ids=lambda p: p.name)
def test_screen_a_native_patient_gives_the_json_contract_of_the_library(service, screener, path):
    patient = native_patient(path)
    params = {"as_of": NATIVE_AS_OF.isoformat()}
    answer = httpx.post(service.url + "/screen", params=params, json=patient, timeout=60)
    assert answer.status_code == 200, answer.text[:500]
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == to_jsonable(screener.screen(patient, as_of=NATIVE_AS_OF))


def test_screen_a_fhir_bundle_with_a_trial_filter(service, screener):
    bundle = load_bundle("mcode_TrialMatching_Patient02.json")
    params = [("trial", "nct07257640"), ("trial", "NCT07245251"), ("as_of", "2026-11-23")]
    answer = httpx.post(service.url + "/screen", params=params, json=bundle, timeout=60)
    assert answer.status_code == 200, answer.text
    assert [r["trial"] for r in answer.json()] == ["NCT07257640", "NCT07245251"]
    expected = screener.screen(bundle, as_of=AS_OF, trials=["NCT07257640", "NCT07245251"])
    assert answer.json() == to_jsonable(expected)


def test_screen_without_as_of_screens_as_of_today(service):
    answer = httpx.post(service.url + "/screen", json=native_patient(NATIVE[0]), timeout=60)
    assert {r["as_of"] for r in answer.json()} == {date.today().isoformat()}


def test_screen_answers_html_to_a_browser(service):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    answer = httpx.post(
        service.url + "/screen?as_of=2026-11-23", json=native_patient(NATIVE[0]), headers={"accept": accept}
    )
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    assert '<section class="trial" id="NCT07245251"' in answer.text
    assert "<title>Prescreening: patient example-001, as of 2026-11-23</title>" in answer.text


@pytest.mark.parametrize(
    ("params", "body", "status", "message"),
    [
        ({"trial": "NCT00000000"}, {}, 404, "unknown trial 'NCT00000000' (known: NCT06849401,"),
        ({"as_of": "23/11/2026"}, {}, 422, "field 'as_of': '23/11/2026' is not a date (YYYY-MM-DD)"),
        ({"as_of": "2026-02-30"}, {}, 422, "field 'as_of': '2026-02-30' is not a date (YYYY-MM-DD)"),
        ({}, {"id": "p", "sex": "female", "labs": "many"}, 422, "request body field 'labs': "),
        ({}, {"id": "p", "sex": "robot"}, 422, "request body field 'sex': "),
        (
            {},
            {"resourceType": "Bundle", "type": "collection", "entry": []},
            422,
            "request body field 'entry': the bundle",
        ),
        ({"as_of": "2026-11-23"}, {"id": "p", "birth_date": "2027-01-01"}, 422, "field 'birth_date': birth date 2027"),
    ],
)
def test_screen_errors_say_what_the_cli_says(service, params, body, status, message):
    answer = httpx.post(service.url + "/screen", params=params, json=body)
    assert answer.status_code == status, answer.text[:500]
    assert answer.json()["error"]["message"].startswith(message), answer.text[:500]


def test_trials_and_one_trials_criteria(service, screener):
    listed = httpx.get(service.url + "/trials").json()
    assert [t["id"] for t in listed] == screener.trials
    assert all(t["criteria"] == len(screener.rulesets[t["id"]].criteria) for t in listed)
    detail = httpx.get(service.url + "/trials/nct07245251").json()
    rs = screener.rulesets["NCT07245251"]
    assert detail["id"] == "NCT07245251" and detail["registry_url"].endswith("/study/NCT07245251")
    assert [(c["id"], c["kind"], c["text"], c["gate"]) for c in detail["criteria"]] == [
        (c.id, c.kind, c.text, c.gate) for c in rs.criteria
    ]
    assert any(c["gate"] for c in detail["criteria"]) and not all(c["gate"] for c in detail["criteria"])
    unknown = httpx.get(service.url + "/trials/NCT1")
    assert unknown.status_code == 404 and unknown.json()["error"]["message"].startswith("unknown trial 'NCT1'")


def test_health_says_loudly_when_the_jwt_check_is_off(service, secure_service):
    insecure = httpx.get(service.url + "/healthz").json()
    assert insecure["status"] == "ok" and insecure["trials"] == 5 and insecure["insecure"] is True
    assert insecure["warning"].startswith("INSECURE")
    assert httpx.get(secure_service.url + "/healthz").json() == {"status": "ok", "trials": 5, "insecure": False}


def test_openapi_documents_every_route_and_its_schemas(service):
    spec = httpx.get(service.url + "/openapi.json").json()
    assert set(spec["paths"]) == {
        "/cds-services",
        "/cds-services/{service_id}",
        "/cds-services/{service_id}/feedback",
        "/screen",
        "/trials",
        "/trials/{trial_id}",
        "/healthz",
        "/reports/{token}",
    }
    schemas = spec["components"]["schemas"]
    for name in ("HookRequest", "PatientViewContext", "FhirAuthorization", "FeedbackRequest", "FeedbackItem"):
        assert name in schemas, name
    assert {"hook", "hookInstance", "context"} <= set(schemas["HookRequest"]["required"])
    assert set(schemas["FeedbackItem"]["required"]) == {"card", "outcome", "outcomeTimestamp"}
    hook_body = spec["paths"]["/cds-services/{service_id}"]["post"]["requestBody"]["content"]["application/json"]
    assert hook_body["schema"] == {"$ref": "#/components/schemas/HookRequest"}
    screen = spec["paths"]["/screen"]["post"]
    assert {p["name"] for p in screen["parameters"]} == {"trial", "as_of"}
    assert screen["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"
    }
    assert set(schemas["TrialDetail"]["properties"]["criteria"]["items"]["$ref"].split("/")[-1:]) == {"CriterionInfo"}
    assert httpx.get(service.url + "/docs").status_code == 200


# ---- the JWT check, through the server ----------------------------------------------------------------------


def _call(secure_service, path: str, authorization: str | None, body: dict | None = None) -> httpx.Response:
    headers = {"authorization": authorization} if authorization else {}
    if path == "/cds-services":
        return httpx.get(secure_service.url + path, headers=headers)
    return httpx.post(secure_service.url + path, json=body if body is not None else {}, headers=headers, timeout=60)


PROTECTED = ["/cds-services", SERVICE, SERVICE + "/feedback", "/screen"]


@pytest.mark.parametrize("path", PROTECTED)
def test_a_valid_token_for_this_endpoint_is_let_through(secure_service, ehr_key, path):
    token = mint(ehr_key, iss=ISSUER, aud=secure_service.url + path)
    answer = _call(secure_service, path, bearer(token))
    assert answer.status_code != 401, answer.text  # through the check; the empty body is then the caller's problem
    assert answer.status_code in (200, 412, 422)


def test_a_valid_token_gets_the_cards(secure_service, ehr_key, fhir):
    token = mint(ehr_key, iss=ISSUER, aud=secure_service.url + SERVICE)
    body = hook_request("cand-001", fhir.store.prefetch(fhir.url, "cand-001"))
    answer = _call(secure_service, SERVICE, bearer(token), body)
    assert answer.status_code == 200 and len(answer.json()["cards"]) == 1


def _bad_tokens(secure_service, ehr_key) -> dict[str, str | None]:
    aud = secure_service.url + SERVICE
    other = new_key("RS256", kid=ehr_key.kid)  # same kid, another key: a bad signature
    return {
        "none at all": None,
        "not bearer": "Basic dXNlcjpwYXNz",
        "expired": bearer(mint(ehr_key, iss=ISSUER, aud=aud, now=time.time() - 3600)),
        "wrong audience": bearer(mint(ehr_key, iss=ISSUER, aud=secure_service.url + "/screen")),
        "unknown issuer": bearer(mint(ehr_key, iss="https://evil.test", aud=aud)),
        "bad signature": bearer(mint(other, iss=ISSUER, aud=aud)),
        "alg none": bearer(forge({"alg": "none", "typ": "JWT", "kid": ehr_key.kid}, iss=ISSUER, aud=aud)),
        "hmac with the public key": bearer(
            forge({"alg": "HS256", "kid": ehr_key.kid}, iss=ISSUER, aud=aud, secret=ehr_key.public_pem())
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "none at all",
        "not bearer",
        "expired",
        "wrong audience",
        "unknown issuer",
        "bad signature",
        "alg none",
        "hmac with the public key",
    ],
)
def test_a_bad_token_is_401_before_anything_is_read(secure_service, ehr_key, fhir, case):
    authorization = _bad_tokens(secure_service, ehr_key)[case]
    answer = _call(
        secure_service, SERVICE, authorization, hook_request("cand-001", fhir.store.prefetch(fhir.url, "cand-001"))
    )
    assert answer.status_code == 401, answer.text
    assert answer.headers["www-authenticate"] == "Bearer"
    error = answer.json()["error"]
    assert error["status"] == 401 and error["message"] and "cand-001" not in answer.text


def test_feedback_accepts_a_token_for_its_service_or_for_itself(secure_service, ehr_key):
    body = {"feedback": [{"card": "c", "outcome": "accepted", "outcomeTimestamp": "2026-11-23T10:00:00Z"}]}
    for aud in (secure_service.url + SERVICE, secure_service.url + SERVICE + "/feedback"):
        answer = _call(secure_service, SERVICE + "/feedback", bearer(mint(ehr_key, iss=ISSUER, aud=aud)), body)
        assert answer.status_code == 200, answer.text
    other = bearer(mint(ehr_key, iss=ISSUER, aud=secure_service.url + "/screen"))
    assert _call(secure_service, SERVICE + "/feedback", other, body).status_code == 401


def test_a_replayed_token_is_401_the_second_time(secure_service, ehr_key):
    token = bearer(mint(ehr_key, iss=ISSUER, aud=secure_service.url + "/screen"))
    first = _call(secure_service, "/screen", token, {"id": "p"})
    assert first.status_code == 200
    again = _call(secure_service, "/screen", token, {"id": "p"})
    assert again.status_code == 401 and again.json()["error"]["status"] == 401


def test_unprotected_routes_need_no_token(secure_service):
    assert httpx.get(secure_service.url + "/trials").status_code == 200
    assert httpx.get(secure_service.url + "/healthz").status_code == 200
