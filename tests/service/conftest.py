"""Servers shared by the service tests (started once per session): the service without and with the JWT check,
the FHIR server the fallback reads, and the JSON Schemas of the CDS Hooks 2.0 responses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from engine.screening import Screener
from engine.service import ServiceConfig, create_app

from .jwt_helpers import JwksServer, jwks, new_key
from .records import BUNDLES, candidate_bundle, load_bundle
from .servers import AppServer, FhirServer, FhirStore

SCHEMAS = Path(__file__).parent / "schemas"
FHIR_TOKEN = "fhir-access-token-for-tests"
ISSUER = "https://ehr.test"
SANDBOX = "https://sandbox.cds-hooks.org"
CANDIDATES = [candidate_bundle(f"cand-{n:03d}", hemoglobin=9.0 + n / 10) for n in range(1, 5)]


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="session")
def screener() -> Screener:
    return Screener.from_directory()


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The service without the JWT check (feedback recorded to a file)."""
    log = tmp_path_factory.mktemp("feedback") / "feedback.jsonl"
    config = ServiceConfig(insecure=True, feedback_log=log, max_body_bytes=8 * 1024 * 1024, cors_origins=(SANDBOX,))
    app = create_app(config)
    with AppServer(app) as server:
        server.app = app  # type: ignore[attr-defined]
        yield server


@pytest.fixture(scope="session")
def ehr_key():
    return new_key("RS256")


@pytest.fixture(scope="session")
def secure_service(tmp_path_factory: pytest.TempPathFactory, ehr_key) -> Iterator[AppServer]:
    """The service as deployed: the JWT check on, the EHR's keys published at a JWKS URL."""
    with JwksServer(jwks(ehr_key)) as keys:
        config = tmp_path_factory.mktemp("config") / "service.yaml"
        config.write_text(f"security:\n  issuers:\n    - iss: {ISSUER}\n      jwks_url: {keys.url}\n")
        app = create_app(ServiceConfig(config_file=config))
        with AppServer(app) as server:
            yield server


@pytest.fixture(scope="session")
def fhir() -> Iterator[FhirServer]:
    """The EHR's FHIR server, holding every fixture bundle's resources (searches paged at 400 entries)."""
    store = FhirStore([load_bundle(name) for name in BUNDLES] + CANDIDATES)
    with FhirServer(store, FHIR_TOKEN) as server:
        yield server
