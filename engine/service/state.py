"""What one worker process holds for its whole life: compiled rulesets and the stores; nothing of a patient.

Built once by the app factory (rulesets compiled at start-up, never per request). Every request reads it and
keeps its own data in local variables: nothing of one patient can reach another's response.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from ..errors import InputError
from ..files import load_json
from ..screening import Screener
from .auth import JwtVerifier, load_policy
from .config import ServiceConfig
from .errors import ApiError
from .feedback import FeedbackLog
from .fhir_fetch import FhirFetcher
from .reports import ReportStore

__all__ = ["JSON_TYPES", "Service", "parse_as_of", "parse_json"]

JSON_TYPES = ("application/json", "application/fhir+json")


@dataclass
class Service:
    """The per-worker state, one per app."""

    config: ServiceConfig
    screener: Screener
    reports: ReportStore
    feedback: FeedbackLog
    verifier: JwtVerifier | None

    @classmethod
    def start(cls, config: ServiceConfig) -> Service:
        """Compile the rulesets, open the stores and the JWT verifier (unless insecure)."""
        verifier = None
        if not config.insecure:
            if config.config_file is None:
                raise InputError(
                    "no JWT issuers are configured: give --config FILE with a 'security' section, "
                    "or --insecure for a local demo",
                    field="--config",
                )
            verifier = JwtVerifier(load_policy(config.config_file))
        return cls(
            config=config,
            screener=Screener.from_directory(config.rulesets, config.vocabulary or None),
            reports=ReportStore(config.report_capacity, config.report_ttl_seconds, config.report_dir),
            feedback=FeedbackLog(config.feedback_log, config.feedback_capacity),
            verifier=verifier,
        )

    def close(self) -> None:
        if self.verifier is not None:
            self.verifier.close()

    def url(self, request: Request, path: str | None = None) -> str:
        """The absolute URL of ``path`` (default: the request's own) as the caller knows it: under the configured
        public URL behind a proxy, else as this server sees it; never with the query."""
        base = self.config.public_url or str(request.base_url)
        return base.rstrip("/") + (path if path is not None else request.url.path)

    async def authorize(self, request: Request, *also: str) -> None:
        """The JWT check (CDS Hooks 2.0): the audience is this endpoint's URL (or one of the paths in ``also``, as
        the EHR may address it). Skipped only when insecure."""
        if self.verifier is None:
            return
        audiences = [self.url(request), *(self.url(request, path) for path in also)]
        await run_in_threadpool(self.verifier.verify, request.headers.get("authorization"), audiences)

    def fetcher(self, server: str, token: str) -> FhirFetcher:
        """A client for the hook's ``fhirServer``, when the allow-list (if any) names it."""
        allowed = self.config.fhir_servers
        wanted = server.rstrip("/")
        if allowed and not any(wanted == a.rstrip("/") or wanted.startswith(a.rstrip("/") + "/") for a in allowed):
            raise ApiError(412, "fhirServer is not one this service is configured to read")
        c = self.config
        return FhirFetcher(server, token, c.fhir_timeout_seconds, c.fhir_max_pages, c.fhir_max_bytes)

    @staticmethod
    async def body(request: Request) -> bytes:
        """The request body, when its content type is JSON (the size limit applies while it is read)."""
        media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media not in JSON_TYPES:
            shown = media[:60] or "none"
            raise ApiError(415, f"content type {shown} is not accepted; send {' or '.join(JSON_TYPES)}")
        return await request.body()


def parse_json(body: bytes) -> Any:
    """The body as JSON, checked as strictly as a file given to the command line (same messages); 400 if not."""
    try:
        return load_json(body.decode("utf-8-sig"), "request body")
    except UnicodeDecodeError as exc:
        raise ApiError(400, f"request body: not UTF-8 (byte {exc.start})") from None
    except InputError as exc:
        raise ApiError(400, str(exc)) from None


def parse_as_of(text: str | None) -> date:
    """The ``as_of`` query parameter (YYYY-MM-DD); today (the server's) when absent."""
    if text is None:
        return date.today()  # the service is an entry point: it may read the clock, the library never does
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise InputError(f"'{text[:40]}' is not a date (YYYY-MM-DD)", field="as_of")
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"'{text[:40]}' is not a date (YYYY-MM-DD)", field="as_of") from None
