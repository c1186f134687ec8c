"""Every error the service answers, as JSON ``{"error": {"status": ..., "message": "..."}}``, never a trace.

The message of an :class:`~engine.errors.EngineError` is the one the command line prints (file, field, problem).
Statuses: 400 a body that is not JSON, 401 no valid JWT, 404 unknown trial, service, report or route, 412 a hook
whose data the service can neither find in prefetch nor fetch, 413 a body over the limit, 415 a content type other
than JSON, 422 input that is JSON but not usable, 500 anything else (one line, nothing of the request).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from ..errors import EngineError, EvaluationError, UnknownTrialError
from .auth import AuthError

__all__ = ["ApiError", "error_response", "install_error_handlers", "route_template"]

log = logging.getLogger("engine.service")


class ApiError(Exception):
    """An answer other than success: an HTTP status and a message safe to show the caller."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(status, message)


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """The one shape of every error body."""
    return JSONResponse({"error": {"status": status, "message": message}}, status_code=status, headers=headers)


def _engine_status(exc: EngineError) -> int:
    if isinstance(exc, UnknownTrialError):
        return 404
    return 500 if isinstance(exc, EvaluationError) else 422


def install_error_handlers(app: FastAPI) -> None:
    """Answer every failure in the one JSON shape."""

    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.message)

    @app.exception_handler(AuthError)
    async def _auth(request: Request, exc: AuthError) -> JSONResponse:
        return error_response(401, exc.message, {"WWW-Authenticate": "Bearer"})

    @app.exception_handler(EngineError)
    async def _engine(request: Request, exc: EngineError) -> JSONResponse:
        status = _engine_status(exc)
        if status == 500:  # the engine disagreed with itself: a bug to report, not the caller's input
            log.error("internal error on %s %s: %s", request.method, route_template(request.scope), type(exc).__name__)
        return error_response(status, " ".join(str(exc).split()))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return error_response(422, f"{where}: {first['msg']}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), getattr(exc, "headers", None))


def route_template(scope: Scope) -> str:
    """The route template (``/reports/{token}``), not the path: paths can carry tokens and ids."""
    return getattr(scope.get("route"), "path", "(no route)")
