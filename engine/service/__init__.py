"""The HTTP service (needs the ``server`` extra): CDS Hooks 2.0 ``patient-view`` with prefetch and FHIR fallback,
feedback, and an HTTP API (``/screen``, ``/trials``, ``/healthz``, ``/reports``), behind a JWT check.

    from engine.service import ServiceConfig, create_app
    app = create_app(ServiceConfig(insecure=True))   # an ASGI app; ``prescreen serve`` runs it under uvicorn

Modules: ``app`` (factory), ``state`` (per-worker state: compiled rulesets, stores), ``routes_cds`` and
``routes_api`` (endpoints), ``hooks`` (discovery, hook request, the record as a Bundle), ``fhir_fetch`` (FHIR
fallback), ``reports``, ``feedback``, ``middleware`` (size limit, log), ``errors`` (one JSON error shape),
``config``, ``validation`` (pydantic errors as the engine's), ``auth`` (JWT). The library never imports this
package.
"""

from .app import app_from_environment, create_app
from .config import ServiceConfig, load_config

__all__ = ["ServiceConfig", "app_from_environment", "create_app", "load_config"]
