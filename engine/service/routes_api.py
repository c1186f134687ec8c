"""The HTTP API beside CDS Hooks: screen a patient, list the trials, one trial's criteria, health, and the reports
that cards link to."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from ..fhir import patient_from_bundle
from ..patient import Patient, patient_from_data
from ..render.html import render_html
from ..results import to_jsonable
from .errors import ApiError
from .state import Service, parse_as_of, parse_json

__all__ = ["router"]

router = APIRouter()

INSECURE_WARNING = "INSECURE: no JWT check; any caller can screen patients. For local demos only."

_REPORT_HEADERS = {
    # The report is a patient's data behind an unguessable link: not cached, not sent on as a referrer, no scripts.
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
}


class CriterionInfo(BaseModel):
    id: str
    kind: Literal["inclusion", "exclusion"]
    text: str
    gate: bool


class TrialInfo(BaseModel):
    id: str
    title: str
    short_title: str
    version: str
    hash: str
    criteria: int


class TrialDetail(BaseModel):
    id: str
    title: str
    short_title: str
    version: str
    hash: str
    registry_url: str
    criteria: list[CriterionInfo]


class Health(BaseModel):
    status: Literal["ok"]
    trials: int
    insecure: bool
    warning: str | None = None


class ErrorDetail(BaseModel):
    status: int
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (400, 401, 404, 413, 415, 422, 500)
}


def _service(request: Request) -> Service:
    return request.app.state.service


def _wants_html(accept: str) -> bool:
    """Whether the caller prefers HTML to JSON (a browser's Accept names text/html before anything JSON)."""
    kinds = [part.split(";", 1)[0].strip().lower() for part in accept.split(",")]
    html = kinds.index("text/html") if "text/html" in kinds else None
    json_at = min((i for i, k in enumerate(kinds) if k in ("application/json", "application/fhir+json")), default=None)
    return html is not None and (json_at is None or html < json_at)


@router.post(
    "/screen",
    tags=["Screening"],
    responses={
        200: {
            "description": "One result per trial (the JSON contract), or the HTML report for Accept: text/html.",
            "content": {
                "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
                "text/html": {},
            },
        },
        **_ERRORS,
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"description": "A native patient (JSON) or a FHIR R4 Bundle.", "type": "object"}
                }
            },
        }
    },
)
async def screen(
    request: Request,
    trial: Annotated[list[str] | None, Query(description="NCT id; repeat for several. Default: all.")] = None,
    as_of: Annotated[str | None, Query(description="Evaluation date YYYY-MM-DD. Default: today.")] = None,
) -> Response:
    """Screen one patient (native JSON or a FHIR R4 Bundle) against one or all trials."""
    service = _service(request)
    await service.authorize(request)
    body = await service.body(request)
    html = _wants_html(request.headers.get("accept", ""))
    answer = await run_in_threadpool(_screen, service, body, trial, as_of, html)
    return HTMLResponse(answer) if html else JSONResponse(answer)


def _screen(service: Service, body: bytes, trials: list[str] | None, as_of: str | None, html: bool) -> Any:
    when = parse_as_of(as_of)
    screener = service.screener
    chosen = screener.select_trials(trials)  # an unknown trial is answered before the body is read
    data = parse_json(body)
    patient: Patient = (
        patient_from_bundle(data, source="request body", vocabulary=screener.vocabulary)
        if isinstance(data, dict) and data.get("resourceType") == "Bundle"
        else patient_from_data(data, source="request body", vocabulary=screener.vocabulary)
    )
    results = screener.screen(patient, as_of=when, trials=chosen)
    return render_html(results) if html else to_jsonable(results)


@router.get("/trials", tags=["Trials"], response_model=list[TrialInfo])
async def trials(request: Request) -> JSONResponse:
    """The trials this service screens for."""
    screener = _service(request).screener
    return JSONResponse(
        [
            TrialInfo(
                id=rs.trial,
                title=rs.title,
                short_title=rs.short_title,
                version=rs.version,
                hash=rs.content_hash,
                criteria=len(rs.criteria),
            ).model_dump()
            for rs in (screener.rulesets[t] for t in screener.trials)
        ]
    )


@router.get("/trials/{trial_id}", tags=["Trials"], response_model=TrialDetail, responses={404: {"model": ErrorBody}})
async def trial(trial_id: str, request: Request) -> JSONResponse:
    """One trial's criteria: id, inclusion or exclusion, the protocol's text, and whether it is a gate."""
    screener = _service(request).screener
    rs = screener.rulesets[screener.select_trials([trial_id])[0]]
    detail = TrialDetail(
        id=rs.trial,
        title=rs.title,
        short_title=rs.short_title,
        version=rs.version,
        hash=rs.content_hash,
        registry_url=f"https://clinicaltrials.gov/study/{rs.trial}",
        # As in the results: a ruleset that marks no gates has every inclusion criterion as one.
        criteria=[
            CriterionInfo(id=c.id, kind=c.kind, text=c.text, gate=c.gate if rs.gated else c.kind == "inclusion")
            for c in rs.criteria
        ],
    )
    return JSONResponse(detail.model_dump())


@router.get("/healthz", tags=["Service"], response_model=Health)
async def healthz(request: Request) -> JSONResponse:
    """Alive, how many trials are loaded, and whether the JWT check is off."""
    service = _service(request)
    insecure = service.verifier is None
    health = Health(
        status="ok",
        trials=len(service.screener.rulesets),
        insecure=insecure,
        warning=INSECURE_WARNING if insecure else None,
    )
    return JSONResponse(health.model_dump(exclude_none=True))


@router.get(
    "/reports/{token}",
    tags=["Service"],
    response_class=HTMLResponse,
    responses={404: {"model": ErrorBody}},
)
async def report(token: str, request: Request) -> HTMLResponse:
    """The full HTML report of one screening a card linked to, while it is kept (minutes, not days)."""
    html = _service(request).reports.get(token)
    if html is None:
        raise ApiError(404, "no such report (reports are kept for a short time only)")
    return HTMLResponse(html, headers=_REPORT_HEADERS)
