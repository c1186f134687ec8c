"""The review tests reuse the service tests' real servers on 127.0.0.1 (the service, and the EHR's FHIR server)."""

from service.conftest import fhir, screener, service  # noqa: F401  (fixtures, re-exported for these tests)
