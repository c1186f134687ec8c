"""The ASGI application: :func:`create_app` builds one per worker process, compiling the rulesets once.

``uvicorn`` runs it through :func:`app_from_environment` (a factory), which reads the settings ``prescreen serve``
put in :data:`~engine.service.config.SETTINGS_VAR`, so that every worker of ``--workers N`` builds its own.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from pydantic.json_schema import models_json_schema

from .config import SETTINGS_VAR, ServiceConfig, settings_from
from .errors import install_error_handlers
from .feedback import FeedbackRequest
from .hooks import HookRequest
from .middleware import BodyLimit, RequestLog
from .routes_api import INSECURE_WARNING
from .routes_api import router as api_router
from .routes_cds import router as cds_router
from .state import Service

__all__ = ["app_from_environment", "create_app"]

log = logging.getLogger("engine.service")


def create_app(config: ServiceConfig | None = None) -> FastAPI:
    """The service for ``config`` (default settings when None): rulesets compiled now, not per request."""
    config = config or ServiceConfig()
    service = Service.start(config)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if service.verifier is None:
            log.warning(INSECURE_WARNING)
        yield
        service.close()

    app = FastAPI(
        title="Clinical-trial prescreening",
        version="1",
        description="CDS Hooks 2.0 patient-view service and HTTP API: which trials a patient may be a candidate for.",
        lifespan=lifespan,
    )
    app.state.service = service
    install_error_handlers(app)
    app.add_middleware(BodyLimit, limit=config.max_body_bytes)
    if config.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(config.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        )
    app.add_middleware(RequestLog)  # added last: outermost, so it logs (and answers) whatever happens inside
    app.include_router(cds_router)
    app.include_router(api_router)
    _document_request_bodies(app)
    return app


def app_from_environment() -> FastAPI:
    """The app for the settings in the environment (the uvicorn factory of ``prescreen serve``)."""
    raw = os.environ.get(SETTINGS_VAR)
    return create_app(settings_from(json.loads(raw), SETTINGS_VAR) if raw else None)


def _document_request_bodies(app: FastAPI) -> None:
    """Add the models of the bodies the routes read themselves (strictly, as the CLI reads files) to the OpenAPI
    components their ``$ref`` names."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            _, defs = models_json_schema(
                [(HookRequest, "validation"), (FeedbackRequest, "validation")],
                ref_template="#/components/schemas/{model}",
            )
            schema.setdefault("components", {}).setdefault("schemas", {}).update(defs["$defs"])
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
