"""CDS Hooks 2.0 routes: discovery, the patient-view service, and its feedback endpoint."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from ..errors import InputError
from ..fhir import patient_from_bundle
from ..render.cds_hooks import render_cards
from ..render.html import render_html
from .errors import ApiError
from .feedback import FeedbackRequest
from .hooks import SERVICE_ID, discovery, located, parse_hook, record_bundle
from .state import Service, parse_as_of, parse_json
from .validation import validated

__all__ = ["router"]

router = APIRouter(tags=["CDS Hooks"])


class Discovery(BaseModel):
    services: list[dict[str, Any]]


class Cards(BaseModel):
    cards: list[dict[str, Any]]
    systemActions: list[dict[str, Any]] | None = None


def _service(request: Request, service_id: str) -> Service:
    if service_id != SERVICE_ID:
        raise ApiError(404, f"no CDS service '{service_id[:80]}' (this server has '{SERVICE_ID}')")
    return request.app.state.service


@router.get("/cds-services", responses={200: {"model": Discovery}})
async def cds_discovery(request: Request) -> JSONResponse:
    """CDS Hooks discovery: the one patient-view service and its prefetch templates."""
    await request.app.state.service.authorize(request)
    return JSONResponse(discovery())


@router.post(
    "/cds-services/{service_id}",
    responses={200: {"model": Cards}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HookRequest"}}},
        }
    },
)
async def cds_call(service_id: str, request: Request) -> JSONResponse:
    """A patient-view hook: cards for the trials the patient may be a candidate for (none for the others)."""
    service = _service(request, service_id)
    await service.authorize(request)
    body = await service.body(request)
    report_base = service.url(request, "/reports/")
    return JSONResponse(await run_in_threadpool(_cards, service, body, report_base))


def _cards(service: Service, body: bytes, report_base: str) -> dict[str, Any]:
    hook = parse_hook(parse_json(body))
    bundle, origins = record_bundle(hook, service.fetcher)
    screener = service.screener
    try:
        patient = patient_from_bundle(bundle, source="request body", vocabulary=screener.vocabulary)
    except InputError as exc:
        raise located(exc, origins) from None
    results = screener.screen(patient, as_of=parse_as_of(None))
    if not any(r.candidate for r in results):
        return {"cards": []}
    report = report_base + service.reports.put(render_html(results))
    return render_cards(results, catalog=screener.catalog, report_url=report, fhir_patient_id=hook.context.patientId)


@router.post(
    "/cds-services/{service_id}/feedback",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FeedbackRequest"}}},
        }
    },
)
async def cds_feedback(service_id: str, request: Request) -> Response:
    """What the clinician did with cards (accepted, overridden and why): recorded, answered 200."""
    service = _service(request, service_id)
    await service.authorize(request, f"/cds-services/{service_id}")  # EHRs differ: the service's URL or this one
    body = await service.body(request)
    feedback = validated(FeedbackRequest, parse_json(body), "request body")
    await run_in_threadpool(service.feedback.record, service_id, feedback.feedback, datetime.now(UTC))
    return Response(status_code=200)
