"""The edge of every request: a body size limit enforced while reading, a log line, and a last-resort 500.

Plain ASGI middleware (no response buffering): the size limit counts bytes as they arrive, so a huge body is
refused before it is held in memory or parsed; the log line names the route template, never a path, a query or
a body (they can carry patient ids and report tokens).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import ApiError, error_response, route_template

__all__ = ["BodyLimit", "RequestLog"]

log = logging.getLogger("engine.service")


def _too_large(limit: int) -> ApiError:
    return ApiError(413, f"request body is larger than {limit:,} bytes")


class BodyLimit:
    """Refuse a request body over ``limit`` bytes: by its Content-Length at once, else when the count passes it."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _send_error(send, 413 if declared.isdigit() else 400, _declared_problem(declared, self.limit))
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _too_large(self.limit)  # surfaces in the route reading the body: answered 413 there
            return message

        await self.app(scope, counted, send)


def _declared_problem(declared: bytes, limit: int) -> str:
    return _too_large(limit).message if declared.isdigit() else "Content-Length is not a number"


class RequestLog:
    """One INFO line per request (method, route template, status, milliseconds), and a 500 for any failure that
    no handler answered, with the exception's type only (its text may quote the request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status: dict[str, Any] = {"code": None}

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            log.error("internal error on %s %s: %s", scope["method"], route_template(scope), type(exc).__name__)
            log.debug("internal error", exc_info=exc)
            if status["code"] is None:
                await _send_error(send, 500, f"internal error ({type(exc).__name__})")
                status["code"] = 500
        log.info(
            "%s %s %s %.1f ms",
            scope["method"],
            route_template(scope),
            status["code"],
            (time.perf_counter() - start) * 1000,
        )


async def _send_error(send: Send, status: int, message: str) -> None:
    response = error_response(status, message)
    await send({"type": "http.response.start", "status": status, "headers": response.raw_headers})
    await send({"type": "http.response.body", "body": response.body})
