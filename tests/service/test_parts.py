"""The service's parts on their own: the report store's bounds, the feedback log under concurrent writers, the FHIR
fallback's bounds (pages, bytes, another host), the fhirServer allow-list, and the settings file."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from engine.errors import InputError
from engine.service.config import ServiceConfig, load_config
from engine.service.errors import ApiError
from engine.service.feedback import FeedbackItem, FeedbackLog
from engine.service.fhir_fetch import FhirFetcher
from engine.service.hooks import PREFETCH, parse_hook, record_bundle
from engine.service.reports import ReportStore
from engine.service.state import Service

from .conftest import CANDIDATES, FHIR_TOKEN
from .helpers import hook_request
from .records import BUNDLES, load_bundle
from .servers import FhirServer, FhirStore


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("shared", [False, True], ids=["memory", "directory"])
def test_reports_expire_and_the_oldest_go_first(tmp_path, shared):
    clock = Clock()
    store = ReportStore(capacity=3, ttl=60, directory=tmp_path if shared else None, clock=clock)
    tokens = [store.put(f"<p>report {i}</p>") for i in range(4)]
    assert store.get(tokens[0]) is None  # over capacity: the oldest left
    assert [store.get(t) for t in tokens[1:]] == ["<p>report 1</p>", "<p>report 2</p>", "<p>report 3</p>"]
    clock.now += 61
    if shared:  # file times are the real clock's: age them instead of the store's clock
        for path in tmp_path.iterdir():
            path.touch()
        clock.now = path.stat().st_mtime + 61
    assert all(store.get(t) is None for t in tokens)
    assert len(set(tokens)) == 4 and all(len(t) == 32 for t in tokens)


def test_a_report_directory_is_shared_by_stores_as_by_workers(tmp_path):
    one, two = ReportStore(10, 60, tmp_path), ReportStore(10, 60, tmp_path)
    token = one.put("<p>kept</p>")
    assert two.get(token) == "<p>kept</p>"
    assert two.get("../" + token) is None and two.get("x" * 32) is None
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no partial file left behind


def test_feedback_lines_from_many_threads_never_interleave(tmp_path):
    log = FeedbackLog(tmp_path / "deep" / "feedback.jsonl")
    item = FeedbackItem(card="c" * 150, outcome="accepted", outcomeTimestamp=datetime(2026, 11, 23, tzinfo=UTC))

    def write(n: int) -> None:
        for _ in range(50):
            log.record(f"service-{n}", [item, item], datetime.now(UTC))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = (tmp_path / "deep" / "feedback.jsonl").read_text().splitlines()
    assert len(lines) == 8 * 50 * 2
    assert all(json.loads(line)["card"] == "c" * 150 for line in lines)


def test_feedback_in_memory_keeps_the_latest(tmp_path):
    log = FeedbackLog(capacity=3)
    for n in range(5):
        item = FeedbackItem(card=str(n), outcome="overridden", outcomeTimestamp=datetime(2026, 11, 23, tzinfo=UTC))
        log.record("s", [item], datetime.now(UTC))
    assert [e["card"] for e in log.entries()] == ["2", "3", "4"]


@pytest.fixture(scope="module")
def small_pages():
    name = next(n for n in BUNDLES if n.startswith("Milton"))
    with FhirServer(FhirStore([load_bundle(name), *CANDIDATES]), FHIR_TOKEN, page_size=100) as server:
        yield server, next(e["resource"]["id"] for e in load_bundle(name)["entry"])


def _fetcher(base: str, **bounds) -> FhirFetcher:
    return FhirFetcher(base, FHIR_TOKEN, timeout=10, **{"max_pages": 20, "max_bytes": 10_000_000, **bounds})


def test_the_fallback_reads_every_page(small_pages):
    server, pid = small_pages
    fetcher = _fetcher(server.url)
    bundle = fetcher.read(f"Observation?patient={pid}")
    fetcher.close()
    assert len(bundle["entry"]) == bundle["total"] > 700 and bundle["link"] == []


def test_the_fallback_stops_at_its_bounds_and_says_so(small_pages):
    server, pid = small_pages
    with pytest.raises(ApiError) as pages:
        _fetcher(server.url, max_pages=3).read(f"Observation?patient={pid}")
    assert (pages.value.status, pages.value.message) == (412, "fhirServer: Observation search has more than 3 pages")
    with pytest.raises(ApiError) as size:
        _fetcher(server.url, max_bytes=50_000).read(f"Observation?patient={pid}")
    assert size.value.message == "fhirServer: the record is larger than 50,000 bytes"
    with pytest.raises(ApiError) as gone:
        _fetcher("http://127.0.0.1:9/fhir").read("Patient/x")
    assert gone.value.message == "fhirServer could not be read for Patient read (ConnectError)"


def test_the_token_never_follows_a_next_page_to_another_host(small_pages):
    server, pid = small_pages
    first = server.store.answer(server.url, f"Observation?patient={pid}", 1, 100)
    first["link"] = [{"relation": "next", "url": "http://localhost:1/steal?page=2"}]
    with pytest.raises(ApiError) as other:
        _fetcher(server.url).complete(first, "prefetch.observations")
    assert other.value.message == "prefetch.observations: the next page is not on fhirServer"
    assert not [p for p in server.requests if "steal" in p]


def test_fhir_servers_allow_list_matches_whole_path_segments():
    service = Service.start(ServiceConfig(insecure=True, fhir_servers=("https://ehr.example.org/fhir",)))
    service.fetcher("https://ehr.example.org/fhir/", "t").close()
    service.fetcher("https://ehr.example.org/fhir/r4", "t").close()
    for server in ("https://ehr.example.org/fhir-evil", "https://ehr.example.org.evil.test/fhir", "http://other/fhir"):
        with pytest.raises(ApiError) as refused:
            service.fetcher(server, "t")
        assert refused.value.status == 412


def test_settings_file_paths_are_relative_to_it_and_options_override(tmp_path: Path):
    config = tmp_path / "service.yaml"
    config.write_text("service:\n  feedback_log: logs/feedback.jsonl\n  insecure: false\n  report_ttl_seconds: 60\n")
    settings = load_config(config, insecure=True, rulesets=None)
    assert settings.feedback_log == tmp_path / "logs" / "feedback.jsonl"
    assert settings.insecure is True and settings.report_ttl_seconds == 60 and settings.config_file == config
    config.write_text("service:\n  public_url: ftp://x\n")
    with pytest.raises(InputError) as bad:
        load_config(config)
    assert str(bad.value).startswith(f"{config} field 'service.public_url': String should match pattern")


def test_a_resource_two_searches_include_is_read_once_and_entries_keep_their_origin():
    med = {"resourceType": "Medication", "id": "m1", "code": {"text": "prednisone 5 MG Oral Tablet"}}
    subject = {"reference": "Patient/p1"}
    request = {
        "resourceType": "MedicationRequest",
        "id": "r1",
        "subject": subject,
        "medicationReference": {"reference": "Medication/m1"},
    }
    given = {
        "resourceType": "MedicationAdministration",
        "id": "a1",
        "subject": subject,
        "medicationReference": {"reference": "Medication/m1"},
    }

    def searchset(*resources):
        return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}

    empty = searchset()
    prefetch = {key: empty for key in PREFETCH} | {
        "patient": {"resourceType": "Patient", "id": "p1"},
        "medicationRequests": searchset(request, med),
        "medicationAdministrations": searchset(given, med, {"resourceType": "OperationOutcome"}),
    }
    hook = parse_hook(hook_request("p1", prefetch))

    def no_fetching(server: str, token: str):
        raise AssertionError("everything was prefetched")

    bundle, origins = record_bundle(hook, no_fetching)
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds == ["Patient", "MedicationRequest", "Medication", "MedicationAdministration"]
    assert origins == [
        "prefetch.patient",
        "prefetch.medicationRequests.entry[0]",
        "prefetch.medicationRequests.entry[1]",
        "prefetch.medicationAdministrations.entry[0]",
    ]
